"""Importing into an empty or new folder: a whole new plan, its plan.yaml written last.

Its title and years come from the words around the table where they say them, its partners are
the leads as the table writes them, and its colours' wording is the bundled plan's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from vawg_cli.edit.atomic import write_atomic
from vawg_cli.interchange.importing.files import (
    Imported,
    NewPlan,
    about,
    action_numbers,
    build_actions,
    unique,
    verdict,
)
from vawg_cli.interchange.tables import Columns, RowData, Table, for_everyone, plan_title, plan_years, to_actions
from vawg_cli.model.records import DEFAULT_RAG_WORDING, PlanSettings, Rag
from vawg_cli.model.schedule import OneOff, parse_target
from vawg_cli.plan import bundled
from vawg_cli.plan.loading import ACTIONS_DIR, PLAN_FILE, SCHEMA_DIR, check_plan
from vawg_cli.plan.parsing import parse_plan_file
from vawg_cli.text import one_line

DEFAULT_TITLE = "VAWG Action Plan"
YEAR_START_MONTH = 4


@dataclass(frozen=True)
class NewSettings:
    title: str | None
    start: date | None
    end: date | None
    lead: str | None = None
    update_date: date | None = None


def reporting_year_start(day: date, month: int = YEAR_START_MONTH) -> date:
    return date(day.year if day.month >= month else day.year - 1, month, 1)


def _period(table: Table, rows: Sequence[RowData], given: NewSettings, today: date) -> tuple[date, date]:
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
        settings, _ = parse_plan_file((bundled.plan_dir() / PLAN_FILE).read_bytes(), PlanSettings)
    except OSError:
        settings = None
    wording = dict(DEFAULT_RAG_WORDING)
    if isinstance(settings, PlanSettings):
        wording.update(settings.rag)
    return wording


def _plan_text(plan: NewPlan, partners: Sequence[str], names: dict[str, str], *, source: Path, today: date) -> str:
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
        "# Short code: full name. The codes are the leads as the table wrote them (or the initials of",
        "# a full name): give each its full name.",
        "partners:",
        *(f"  {scalar(code)}: {scalar(names.get(code, code))}" for code in partners),
        "",
        "# The colour-coded monitoring scale: the colours are fixed, the wording is the plan's own.",
        "rag:",
        *(f"  {rag.value}: {scalar(wording)}" for rag, wording in _rag_wording().items()),
        "",
    ]
    return "\n".join(lines)


def into_new(
    folder: Path,
    source: Path,
    table: Table,
    columns: Columns,
    given: NewSettings,
    *,
    today: date,
    dry_run: bool,
) -> Imported:
    known: dict[str, str] = {}
    names: dict[str, str] = {}
    rows = to_actions(table, columns, known, names=names, lead=given.lead)
    numbers = action_numbers(rows, set(), folder)
    partners = unique(lead for row in rows for lead in row.leads)
    rows = for_everyone(rows, partners)
    start, end = _period(table, rows, given, today)
    plan = NewPlan(given.title or plan_title(table.before, table.after) or DEFAULT_TITLE, start, end)
    built = build_actions(folder, rows, numbers, source=source, today=today, added=None, update_date=given.update_date)
    plan_file = folder / PLAN_FILE
    files = {**built.files, plan_file: _plan_text(plan, partners, names, source=source, today=today).encode("utf-8")}
    built = replace(built, files=files)

    # Checked as the files would be, at their own paths: nothing of the new plan is on disk yet.
    diagnostics = check_plan(folder, today=today, cache_dir=None, overrides=files).diagnostics
    warnings = verdict(diagnostics, built)
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
        folder,
        table.kind,
        built.actions,
        plan,
        tuple(partners),
        built.attention,
        warnings,
        table.notes,
        not dry_run,
        about(rows, names, partners, given.lead),
    )
