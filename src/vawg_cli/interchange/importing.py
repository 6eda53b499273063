"""`vawg import`: action files from a table in a document, a CSV file or a workbook.

The table is read by `interchange.tables` (pure); here the files are built and written the way
every other write to the plan is: under the plan folder's lock, every new file's text is built
first, the whole plan is checked as it would be after the import (`check_plan` with the new
files' bytes as overrides, plan.yaml too for a new plan), and only then is each file written
atomically. An import that
would leave any error is refused and nothing is written, with one exception: a row whose target
vawg cannot read is imported with the target kept as written, and reported as needing attention
(`vawg check` then points at it until it is fixed), because dropping it would lose the row.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from vawg_cli.edit.action_file import NewAction, action_text, file_name
from vawg_cli.edit.atomic import write_atomic
from vawg_cli.edit.locking import plan_lock
from vawg_cli.edit.writes import proved
from vawg_cli.errors import Diagnostic, PlanInvalid, PlanNotFound, VawgError, display_path
from vawg_cli.interchange.tables import (
    Columns,
    RowData,
    Table,
    parse_map,
    plan_title,
    plan_years,
    read_table,
    to_actions,
)
from vawg_cli.model.records import DEFAULT_RAG_WORDING, PlanSettings, Rag
from vawg_cli.model.schedule import OneOff, parse_target
from vawg_cli.plan import bundled
from vawg_cli.plan.loading import ACTION_SUFFIXES, ACTIONS_DIR, PLAN_FILE, SCHEMA_DIR, check_plan, find_plan, read_file
from vawg_cli.text import UTF8_BOM, one_line, plural

DEFAULT_TITLE = "VAWG Action Plan"
YEAR_START_MONTH = 4


@dataclass(frozen=True)
class Attention:
    """A row that was imported but needs fixing: its target is not one vawg can read."""

    where: str
    action_id: int
    path: Path
    problem: str


@dataclass(frozen=True)
class NewPlan:
    title: str
    start: date
    end: date


@dataclass(frozen=True)
class Imported:
    """What an import did (or, with dry_run, would do)."""

    folder: Path
    kind: str
    files: tuple[tuple[int, Path], ...]
    new_plan: NewPlan | None
    partners_added: tuple[str, ...]
    attention: tuple[Attention, ...]
    warnings: tuple[Diagnostic, ...]
    notes: tuple[str, ...]
    written: bool

    @property
    def plan_file(self) -> Path:
        return self.folder / PLAN_FILE


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
) -> Imported:
    """Import the table in `source` into the plan in `folder`, or into a new plan there."""
    table, columns = read_table(source, parse_map(mapping))
    existing = (folder / PLAN_FILE).is_file()
    if existing and (title is not None or start is not None or end is not None):
        raise VawgError(
            f"--title, --start and --end set up a new plan, but {folder / PLAN_FILE} exists already; "
            "change them there, or import into an empty folder"
        )
    if not existing:
        _refuse_unusable(folder)
    settings = _NewSettings(title, start, end)
    if not existing and dry_run:
        return _into_new(folder, source, table, columns, settings, today=today, dry_run=True)
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with plan_lock(folder):
            # Looked at again under the lock: another import may have just created the plan.
            if (folder / PLAN_FILE).is_file():
                return _into_existing(folder, source, table, columns, today=today, cache_dir=cache_dir, dry_run=dry_run)
            _refuse_unusable(folder)
            return _into_new(folder, source, table, columns, settings, today=today, dry_run=dry_run)
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if still empty: a refused import leaves no folder behind
        raise


@dataclass(frozen=True)
class _NewSettings:
    title: str | None
    start: date | None
    end: date | None


def _refuse_unusable(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise VawgError(f"{folder} is a file, not a folder; give --plan a folder for the plan")
    actions = folder / ACTIONS_DIR
    if actions.is_dir() and any(path.name.lower().endswith(ACTION_SUFFIXES) for path in actions.iterdir()):
        raise VawgError(
            f"{actions} holds action files but {folder} has no {PLAN_FILE}; nothing was imported. "
            f"Import into an empty folder, or restore {folder / PLAN_FILE} first"
        )


# --- Building the files --------------------------------------------------------------------------


# Above a target vawg cannot read, in the file itself: the user fixes it there.
_TARGET_TO_FIX = (
    "# To fix: vawg cannot read this target. Write a date (2025-04-30), a month (Apr-25), "
    "a yearly month (November annually), Quarterly or Monthly."
)


def _action_text(number: int, row: RowData, *, source: Path, today: date, added: date | None) -> tuple[str, int]:
    """An action file's text, in the layout of the bundled plan's files, and the line of its target.

    `added` is the day the action joins a plan that already runs (papers for earlier quarters
    leave it out); None for the actions a new plan starts with, which count from its start.
    """
    action = NewAction(
        number, row.title, row.leads, row.target, row.owner, row.theme, row.description, row.notes, added
    )
    return action_text(
        action,
        origin=f"imported with `vawg import` on {today} from {one_line(source.name)}, {row.where}",
        schema=True,
        target_comment=_TARGET_TO_FIX if row.target_problem else None,
    )


def _numbers(rows: Sequence[RowData], taken: set[int], folder: Path) -> list[int]:
    """The source's own numbers where it has them (a clash with the plan is refused); else the
    numbers after the plan's highest id."""
    if rows and all(row.number is not None for row in rows):
        numbers = [row.number for row in rows if row.number is not None]
        clashes = sorted(number for number in numbers if number in taken)
        if clashes:
            listed = ", ".join(str(number) for number in clashes[:20]) + (" ..." if len(clashes) > 20 else "")
            raise VawgError(
                f"the table's numbers clash with actions of the plan in {folder}: {listed} exist already; "
                "nothing was imported. Renumber them in the table, or number them after the plan's highest "
                'id by ignoring the number column: --map "No.=ignore"'
            )
        return numbers
    first = max(taken, default=0) + 1
    return list(range(first, first + len(rows)))


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


@dataclass(frozen=True)
class _Built:
    files: dict[Path, bytes]
    """Every file to write, by its path in the plan folder, in the order to write them."""
    actions: tuple[tuple[int, Path], ...]
    bad_targets: dict[Path, int]
    """The files whose target vawg cannot read, and the line of that target."""
    attention: tuple[Attention, ...]


def _build_actions(
    folder: Path, rows: Sequence[RowData], numbers: Sequence[int], *, source: Path, today: date, added: date | None
) -> _Built:
    files: dict[Path, bytes] = {}
    actions, attention = [], []
    bad_targets: dict[Path, int] = {}
    for number, row in zip(numbers, rows, strict=True):
        path = folder / ACTIONS_DIR / file_name(number, row.title)
        if path.exists():
            raise VawgError(f"{path} exists already; nothing was imported. Renumber the table's rows or move the file")
        text, target_line = _action_text(number, row, source=source, today=today, added=added)
        files[path] = text.encode("utf-8")
        actions.append((number, path))
        if row.target_problem:
            bad_targets[path] = target_line
            attention.append(Attention(row.where, number, path, row.target_problem))
    return _Built(files, tuple(actions), bad_targets, tuple(attention))


def _verdict(diagnostics: Iterable[Diagnostic], built: _Built) -> tuple[Diagnostic, ...]:
    """Refuse the import if the plan would have any error but the unreadable targets it reports;
    else the warnings about the new files."""
    errors = [
        d
        for d in diagnostics
        if d.severity == "error" and not (d.path in built.bad_targets and d.line == built.bad_targets[d.path])
    ]
    if errors:
        raise PlanInvalid(errors, refused=True)
    return tuple(d for d in diagnostics if d.severity == "warning" and d.path in built.files)


# --- Into an existing plan -----------------------------------------------------------------------


def _into_existing(
    folder: Path, source: Path, table: Table, columns: Columns, *, today: date, cache_dir: Path | None, dry_run: bool
) -> Imported:
    from vawg_cli.edit.yaml_splice import EditError, add_mapping_entries, parse

    checked = check_plan(folder, today=today, cache_dir=cache_dir)
    if checked.plan is None or checked.errors:
        raise PlanInvalid(list(checked.diagnostics))
    settings = checked.plan.settings
    known = {name.lower(): code for code, name in settings.partners.items()}
    known.update({code.lower(): code for code in settings.partners})
    rows = to_actions(table, columns, known)
    numbers = _numbers(rows, {f.action.id for f in checked.plan.actions}, folder)
    added = [lead for lead in _unique(lead for row in rows for lead in row.leads) if lead not in settings.partners]

    files: dict[Path, bytes] = {}
    plan_file = folder / PLAN_FILE
    if added:
        raw = plan_file.read_bytes()
        bom = UTF8_BOM if raw.startswith(UTF8_BOM) else b""
        try:
            text = add_mapping_entries(parse(raw[len(bom) :].decode("utf-8")), "partners", [(c, c) for c in added])
        except EditError as error:
            raise VawgError(f"{plan_file}: {error}; add the partners {', '.join(added)} by hand first") from None
        # Proof before trust: plan.yaml must read back as before, plus the new partners.
        files[plan_file] = proved(
            plan_file,
            bom + text.encode("utf-8"),
            PlanSettings,
            lambda: replace(settings, partners={**settings.partners, **{code: code for code in added}}),
            what="the new partners could not be added",
            nothing="imported",
            instead=f"add {', '.join(added)} under partners by hand and import again",
        )
    built = _build_actions(folder, rows, numbers, source=source, today=today, added=today)
    files.update(built.files)
    built = replace(built, files=files)
    after = check_plan(folder, today=today, cache_dir=cache_dir, overrides=files)
    warnings = _verdict(after.diagnostics, built)
    if not dry_run:
        (folder / ACTIONS_DIR).mkdir(exist_ok=True)
        for path, data in files.items():  # plan.yaml first: its new partners are harmless alone
            write_atomic(path, data)
    return Imported(
        folder, table.kind, built.actions, None, tuple(added), built.attention, warnings, table.notes, not dry_run
    )


# --- Into a new plan -----------------------------------------------------------------------------


def reporting_year_start(day: date, month: int = YEAR_START_MONTH) -> date:
    return date(day.year if day.month >= month else day.year - 1, month, 1)


def _period(table: Table, rows: Sequence[RowData], given: _NewSettings, today: date) -> tuple[date, date]:
    """The plan's years where the document says them ("The Action plan 2024-2028": 1 April 2024
    to 31 March 2028), else four reporting years from the current one; the end moves out to the
    latest one-off target, so that every target falls inside the period."""
    years = plan_years(table.before, table.after)
    start = given.start or (date(years[0], YEAR_START_MONTH, 1) if years else reporting_year_start(today))
    if given.end is not None:
        return start, given.end
    if years:
        end = date(years[1], YEAR_START_MONTH, 1) - timedelta(days=1)
    else:
        end = date(start.year + 4, start.month, 1) - timedelta(days=1)
    dues = []
    for row in rows:
        if not row.target_problem and isinstance(schedule := parse_target(row.target), OneOff):
            dues.append(schedule.due)
    return start, max([end, *dues])


def _rag_wording() -> dict[Rag, str]:
    """The bundled plan's wording for each colour (the defaults, should it be unreadable)."""
    try:
        settings, _ = read_file((bundled.plan_dir() / PLAN_FILE).read_bytes(), PlanSettings)
    except OSError:
        settings = None
    wording = dict(DEFAULT_RAG_WORDING)
    if isinstance(settings, PlanSettings):
        wording.update(settings.rag)
    return wording


def _plan_text(plan: NewPlan, partners: Sequence[str], *, source: Path, today: date) -> str:
    from vawg_cli.edit.yaml_splice import scalar

    lines = [
        f"# yaml-language-server: $schema={SCHEMA_DIR}/plan.schema.json",
        f"# The partnership's VAWG action plan, imported with `vawg import` from {one_line(source.name)} on {today}.",
        "# Each action is a file in actions/; run `vawg check` after editing, `vawg status` to see progress.",
        f"title: {scalar(plan.title)}",
        f"start: {plan.start.isoformat()}",
        f"end: {plan.end.isoformat()}",
        "# The reporting year starts in April, so Q1 is April to June (as MOPAC reports).",
        f"year_start_month: {YEAR_START_MONTH}",
        "due_soon_days: 30",
        "",
        "# Short code: full name. The codes are the leads as the table wrote them: give each its full name.",
        "partners:",
        *(f"  {scalar(code)}: {scalar(code)}" for code in partners),
        "",
        "# The colour-coded monitoring scale: the colours are fixed, the wording is the plan's own.",
        "rag:",
        *(f"  {rag.value}: {scalar(wording)}" for rag, wording in _rag_wording().items()),
        "",
    ]
    return "\n".join(lines)


def _into_new(
    folder: Path,
    source: Path,
    table: Table,
    columns: Columns,
    given: _NewSettings,
    *,
    today: date,
    dry_run: bool,
) -> Imported:
    known: dict[str, str] = {}
    rows = to_actions(table, columns, known)
    numbers = _numbers(rows, set(), folder)
    partners = _unique(lead for row in rows for lead in row.leads)
    start, end = _period(table, rows, given, today)
    plan = NewPlan(given.title or plan_title(table.before, table.after) or DEFAULT_TITLE, start, end)
    built = _build_actions(folder, rows, numbers, source=source, today=today, added=None)
    plan_file = folder / PLAN_FILE
    files = {**built.files, plan_file: _plan_text(plan, partners, source=source, today=today).encode("utf-8")}
    built = replace(built, files=files)

    # Checked as the files would be, at their own paths: nothing of the new plan is on disk yet.
    diagnostics = check_plan(folder, today=today, cache_dir=None, overrides=files).diagnostics
    warnings = _verdict(diagnostics, built)
    if not dry_run:
        schema = folder / SCHEMA_DIR
        if not schema.exists():
            schema.mkdir()
            for path in sorted((bundled.plan_dir() / SCHEMA_DIR).glob("*.json")):
                write_atomic(schema / path.name, path.read_bytes())
        (folder / ACTIONS_DIR).mkdir(exist_ok=True)
        for path, data in files.items():  # plan.yaml last: the plan is there once it is whole
            write_atomic(path, data)
    return Imported(
        folder, table.kind, built.actions, plan, tuple(partners), built.attention, warnings, table.notes, not dry_run
    )


# --- What to tell the user -----------------------------------------------------------------------


def _ids(numbers: Sequence[int]) -> str:
    if len(numbers) == 1:
        return f"id {numbers[0]}"
    ordered = sorted(numbers)
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"ids {ordered[0]} to {ordered[-1]}"
    return "ids " + ", ".join(str(number) for number in ordered)


def summary(result: Imported, base: Path | None = None) -> str:
    """The lines `vawg import` prints: what was created, which partners were added, what to fix."""

    def shown(path: Path) -> str:
        return display_path(path, base)

    would = not result.written
    create, add = ("Would create", "Would add") if would else ("Created", "Added")
    lines = [f"Read {plural(len(result.files), 'row')} from {result.kind}."]
    if result.new_plan is not None:
        plan = result.new_plan
        lines.append(f"{create} {shown(result.plan_file)}: {plan.title!r}, {plan.start} to {plan.end}.")
    numbers = [number for number, _ in result.files]
    lines.append(
        f"{create} {plural(len(numbers), 'action')} in {shown(result.folder / ACTIONS_DIR)} ({_ids(numbers)})."
    )
    if would:
        lines += [f"  {shown(path)}" for _, path in result.files]
    if result.partners_added:
        count = len(result.partners_added)
        them = "them their full names" if count > 1 else "it its full name"
        lines.append(
            f"{add} {plural(count, 'partner')} to {shown(result.plan_file)}: {', '.join(result.partners_added)} "
            f"(named by {'their codes' if count > 1 else 'its code'}: give {them} there)."
        )
    check = "vawg check" + ("" if shown(result.folder) == "plan" else f" --plan {shown(result.folder)}")
    if len(result.attention) == 1:
        row = result.attention[0]
        lines.append(f"1 row needs attention: {row.where} (action {row.action_id}), {row.problem}: run {check}.")
    elif result.attention:
        lines.append(f"{len(result.attention)} rows need attention (each is imported with its target as written):")
        lines += [f"  {row.where} (action {row.action_id}): {row.problem}" for row in result.attention]
        lines.append(f"Correct their targets in the files, then run {check}.")
    if would:
        lines.append("(dry run: nothing was written)")
    return "\n".join(lines) + "\n"
