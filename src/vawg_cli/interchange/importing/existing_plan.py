"""Importing into a plan that exists: new partners spliced into plan.yaml (and proved to read
back as before, plus them), new actions numbered after the plan's own or as the table numbers them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from vawg_cli.edit.atomic import write_atomic
from vawg_cli.edit.writes import proved
from vawg_cli.errors import PlanInvalid, VawgError
from vawg_cli.interchange.importing.files import Imported, about, action_numbers, build_actions, unique, verdict
from vawg_cli.interchange.tables import Columns, Table, for_everyone, to_actions
from vawg_cli.model.records import PlanSettings
from vawg_cli.plan.loading import ACTIONS_DIR, PLAN_FILE, check_plan
from vawg_cli.text import UTF8_BOM


def into_existing(
    folder: Path,
    source: Path,
    table: Table,
    columns: Columns,
    *,
    today: date,
    cache_dir: Path | None,
    dry_run: bool,
    lead: str | None = None,
    update_date: date | None = None,
) -> Imported:
    from vawg_cli.edit.yaml_splice import EditError, add_mapping_entries, parse

    checked = check_plan(folder, today=today, cache_dir=cache_dir)
    if checked.plan is None or checked.errors:
        raise PlanInvalid(list(checked.diagnostics))
    settings = checked.plan.settings
    known = {name.lower(): code for code, name in settings.partners.items()}
    known.update({code.lower(): code for code in settings.partners})
    names = dict(settings.partners)
    rows = to_actions(table, columns, known, names=names, lead=lead)
    numbers = action_numbers(rows, {f.action.id for f in checked.plan.actions}, folder)
    added = [code for code in unique(code for row in rows for code in row.leads) if code not in settings.partners]
    rows = for_everyone(rows, [*settings.partners, *added])

    files: dict[Path, bytes] = {}
    plan_file = folder / PLAN_FILE
    if added:
        raw = plan_file.read_bytes()
        bom = UTF8_BOM if raw.startswith(UTF8_BOM) else b""
        try:
            text = add_mapping_entries(
                parse(raw[len(bom) :].decode("utf-8")), "partners", [(c, names.get(c, c)) for c in added]
            )
        except EditError as error:
            raise VawgError(f"{plan_file}: {error}; add the partners {', '.join(added)} by hand first") from None
        # Proof before trust: plan.yaml must read back as before, plus the new partners.
        files[plan_file] = proved(
            plan_file,
            bom + text.encode("utf-8"),
            PlanSettings,
            lambda: replace(
                settings, partners={**settings.partners, **{code: names.get(code, code) for code in added}}
            ),
            what="the new partners could not be added",
            nothing="imported",
            instead=f"add {', '.join(added)} under partners by hand and import again",
        )
    built = build_actions(folder, rows, numbers, source=source, today=today, added=today, update_date=update_date)
    files.update(built.files)
    built = replace(built, files=files)
    after = check_plan(folder, today=today, cache_dir=cache_dir, overrides=files)
    warnings = verdict(after.diagnostics, built)
    if not dry_run:
        (folder / ACTIONS_DIR).mkdir(exist_ok=True)
        for path, data in files.items():  # plan.yaml first: its new partners are harmless alone
            write_atomic(path, data)
    return Imported(
        folder,
        table.kind,
        built.actions,
        None,
        tuple(added),
        built.attention,
        warnings,
        table.notes,
        not dry_run,
        about(rows, names, added, lead),
    )
