"""Where an import goes: the plan folder it writes to, and whether it starts a plan or adds to one.

Both are decided again under the plan folder's lock, since another import may have just made
the plan; a refused import into a folder it created leaves no folder behind."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from vawg_cli.edit.locking import plan_lock
from vawg_cli.errors import PlanNotFound, VawgError
from vawg_cli.interchange.importing.existing_plan import into_existing
from vawg_cli.interchange.importing.files import Imported
from vawg_cli.interchange.importing.new_plan import NewSettings, into_new
from vawg_cli.interchange.tables import parse_map, read_table
from vawg_cli.plan import bundled
from vawg_cli.plan.loading import ACTION_SUFFIXES, ACTIONS_DIR, PLAN_FILE
from vawg_cli.plan.location import find_plan


def plan_folder_for_import(explicit: Path | None, environ: Mapping[str, str], cwd: Path) -> Path:
    """--plan (or VAWG_PLAN) as given, even a folder that does not exist yet; else the plan found
    from here, else a new plan/ here. Never the plan that ships with vawg."""
    given = explicit if explicit is not None else Path(environ["VAWG_PLAN"]) if environ.get("VAWG_PLAN") else None
    if given is None:
        location = find_plan(None, {}, cwd)
        folder = cwd / "plan" if location.bundled else location.folder
    else:
        try:
            folder = find_plan(given, {}, cwd).folder
        except PlanNotFound:
            if given.exists() and not given.is_dir():
                raise
            folder = given
    bundled.refuse_to_write(
        folder,
        "import into a folder of your own, e.g. --plan myplan (an empty or new folder starts a new plan), "
        "or copy the example first with: vawg init myplan",
    )
    return folder


def import_file(
    source: Path,
    folder: Path,
    *,
    mapping: Sequence[str] = (),
    title: str | None = None,
    start: date | None = None,
    end: date | None = None,
    today: date,
    cache_dir: Path | None,
    dry_run: bool = False,
    lead: str | None = None,
    update_date: date | None = None,
) -> Imported:
    """Import the table in `source` into the plan in `folder`, or into a new plan there.

    `lead` (--lead) is the lead of every row that names none (a table with no lead column);
    `update_date` (--date, default today) dates the first update a RAG or status cell gives.
    """
    table, columns = read_table(source, parse_map(mapping), need_lead=lead is None)
    existing = (folder / PLAN_FILE).is_file()
    if existing and (title is not None or start is not None or end is not None):
        raise VawgError(
            f"--title, --start and --end set up a new plan, but {folder / PLAN_FILE} exists already; "
            "change them there, or import into an empty folder"
        )
    if not existing:
        refuse_unusable(folder)
    settings = NewSettings(title, start, end, lead, update_date)
    if not existing and dry_run:
        return into_new(folder, source, table, columns, settings, today=today, dry_run=True)
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with plan_lock(folder):
            # Looked at again under the lock: another import may have just created the plan.
            if (folder / PLAN_FILE).is_file():
                return into_existing(
                    folder,
                    source,
                    table,
                    columns,
                    today=today,
                    cache_dir=cache_dir,
                    dry_run=dry_run,
                    lead=lead,
                    update_date=update_date,
                )
            refuse_unusable(folder)
            return into_new(folder, source, table, columns, settings, today=today, dry_run=dry_run)
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if still empty: a refused import leaves no folder behind
        raise


def refuse_unusable(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise VawgError(f"{folder} is a file, not a folder; give --plan a folder for the plan")
    actions = folder / ACTIONS_DIR
    if actions.is_dir() and any(path.name.lower().endswith(ACTION_SUFFIXES) for path in actions.iterdir()):
        raise VawgError(
            f"{actions} holds action files but {folder} has no {PLAN_FILE}; nothing was imported. "
            f"Import into an empty folder, or restore {folder / PLAN_FILE} first"
        )
