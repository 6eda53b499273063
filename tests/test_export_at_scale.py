"""`vawg export` of a large plan: the same bytes as ever, written a piece at a time, atomically.

The export streams its document (see `interchange/export.py`): JSON through its own indented
writer, the calendar as text lines rather than the icalendar library's objects. The reference
here is the export as it was first written, whole documents through `json.dumps`, the csv module
and the icalendar library, and every format must come out byte for byte the same as it: for the
fixture plans, the bundled plan and generated plans full of awkward text.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import BUNDLED_PLAN, FIXTURES
from vawg_cli.cli import app
from vawg_cli.core.measures import MeasureView, measure_views, outputs_by_action
from vawg_cli.core.status import ActionStatus
from vawg_cli.interchange import export as exporting
from vawg_cli.interchange import ical_text
from vawg_cli.interchange.export import ExportForm, export, export_pieces, plan_statuses
from vawg_cli.interchange.ical_text import event_description
from vawg_cli.model.records import Action, Lifecycle, LifecycleChange, PlanSettings, Rag, TargetChange, Update
from vawg_cli.model.schedule import CYCLE_MONTHS, Periodic, Yearly, occurrences, parse_target
from vawg_cli.plan.loading import ActionFile, Plan, load_plan
from vawg_cli.render.measure_data import measure_record
from vawg_cli.render.status import Outputs, as_record
from vawg_cli.text import iso, spreadsheet_csv

FORMS: tuple[ExportForm, ...] = ("json", "csv", "ics")
PLANS = [FIXTURES / name for name in ("board", "measures", "progress", "reporting", "returns")] + [BUNDLED_PLAN]
AS_OF = (date(2024, 5, 1), date(2025, 12, 1), date(2027, 1, 15))


# --- the reference: the export as first written, whole ------------------------------------------


def reference_export(plan: Plan, as_of: date, form: ExportForm, include_restricted: bool) -> bytes:
    statuses = plan_statuses(plan, as_of)
    if form == "json":
        records = [f.measure for f in plan.measures]
        views = measure_views(records, plan.settings, as_of, exact=include_restricted)
        outputs = outputs_by_action(records, plan.settings, as_of)
        return reference_json(statuses, plan.settings, as_of, include_restricted, views, outputs)
    if form == "csv":
        return reference_csv(statuses, plan.settings, include_restricted)
    return reference_ics(statuses, plan.settings, as_of)


def reference_json(
    statuses: Sequence[ActionStatus],
    settings: PlanSettings,
    as_of: date,
    include_restricted: bool,
    measures: Sequence[MeasureView],
    outputs: Outputs,
) -> bytes:
    def update_record(update: Update) -> dict[str, Any]:
        shown = include_restricted or not update.restricted
        return {
            "date": update.date.isoformat(),
            "rag": update.rag.value,
            "note": update.note if shown else None,
            "by": update.by,
            "restricted": update.restricted,
            "next_steps": update.next_steps if shown else None,
            "board_ask": update.board_ask if shown else None,
        }

    def action_record(status: ActionStatus) -> dict[str, Any]:
        action = status.action
        own = ("id", "title", "leads", "target")
        derived = {k: v for k, v in as_record(status, settings, outputs).items() if k not in own}
        return {
            "id": action.id,
            "title": action.title,
            "leads": list(action.leads),
            "target": action.target,
            "original_target": action.original_target,
            "owner": action.owner,
            "theme": action.theme,
            "description": action.description,
            "notes": action.notes,
            "added": iso(action.added),
            "updates": [update_record(u) for u in action.updates],
            "target_history": [
                {
                    "date": c.date.isoformat(),
                    "from": c.old,
                    "to": c.new,
                    "reason": c.reason,
                    "approved_by": c.approved_by,
                }
                for c in action.target_history
            ],
            "lifecycle": [
                {
                    "date": c.date.isoformat(),
                    "state": c.state.value,
                    "reason": c.reason,
                    "superseded_by": c.superseded_by,
                }
                for c in action.lifecycle
            ],
            "derived": derived,
        }

    document = {
        "format": "vawg-export",
        "version": 1,
        "as_of": as_of.isoformat(),
        "restricted_notes_included": include_restricted,
        "plan": {
            "title": settings.title,
            "start": settings.start.isoformat(),
            "end": settings.end.isoformat(),
            "year_start_month": settings.year_start_month,
            "due_soon_days": settings.due_soon_days,
            "partners": dict(settings.partners),
            "rag": {rag.value: settings.rag_wording(rag) for rag in Rag},
        },
        "actions": [action_record(s) for s in statuses],
        "measures": [measure_record(view, exact=include_restricted) for view in measures],
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def reference_csv(statuses: Sequence[ActionStatus], settings: PlanSettings, include_restricted: bool) -> bytes:
    rows = []
    for status in statuses:
        action, latest = status.action, status.latest
        note = (
            ""
            if latest is None
            else "Restricted update withheld"
            if latest.restricted and not include_restricted
            else latest.note
        )
        rows.append(
            [
                action.id, action.title, "; ".join(action.leads), action.target, action.original_target,
                status.rag.value.upper(), settings.rag_wording(status.rag), iso(status.due) or "",
                "yes" if status.overdue else "no", "yes" if status.due_soon else "no", status.state,
                action.state.value, iso(latest.date if latest else None) or "", note, action.owner or "",
                action.theme or "",
            ]
        )  # fmt: skip
    return spreadsheet_csv(exporting.CSV_COLUMNS, rows)


def reference_ics(statuses: Sequence[ActionStatus], settings: PlanSettings, as_of: date) -> bytes:
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//vawg//VAWG action plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # icalendar writes the name as it is (an X- property is not escaped as TEXT), and refused a line
    # break in it (an AssertionError): the export writes one as TEXT would, `\n`.
    name = settings.title
    if "\n" in name or "\r" in name:  # a bare CR in a content line is not allowed either (RFC 5545)
        name = name.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    cal.add("x-wr-calname", name)
    stamp = datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc)
    for status in statuses:
        action = status.action
        if status.complete or status.set_aside is not None:
            continue
        dates = occurrences(action.schedule, settings.start, settings.end, settings.year_start_month)
        if not dates:
            continue
        schedule, rule = action.schedule, None
        if isinstance(schedule, Yearly):
            rule = {"freq": "yearly", "bymonth": schedule.month}
            if schedule.day is None:
                rule["bymonthday"] = -1
            elif (schedule.month, schedule.day) == (2, 29):
                rule["bymonthday"] = [28, 29]
                rule["bysetpos"] = -1
            else:
                rule["bymonthday"] = schedule.day
        elif isinstance(schedule, Periodic):
            every = CYCLE_MONTHS[schedule.every]
            rule = (
                {"freq": "monthly", "interval": every, "bymonthday": -1}
                if every > 1
                else {"freq": "monthly", "bymonthday": -1}
            )
        if rule is not None:
            rule["until"] = settings.end
        first = dates[0].due
        event = Event()
        key = hashlib.sha256(f"{settings.title}\n{settings.start.isoformat()}".encode()).hexdigest()[:12]
        event.add("uid", f"vawg-{key}-action-{action.id}@vawg.local")
        event.add("dtstamp", stamp)
        event.add("sequence", 0)
        event.add("dtstart", first)
        event.add("dtend", first + timedelta(days=1))
        if rule is not None:
            event.add("rrule", rule)
        event.add("summary", f"VAWG action {action.id} due: {' '.join(action.title.split())}")
        event.add("description", event_description(status, settings))  # the words are not under test here
        event.add("categories", ["VAWG"])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


# --- the fixture plans and the bundled one ------------------------------------------------------


@pytest.mark.parametrize("folder", PLANS, ids=lambda p: p.name)
def test_every_format_is_byte_for_byte_the_reference(folder: Path, tmp_path: Path) -> None:
    plan = load_plan(folder, today=date(2026, 12, 2), cache_dir=tmp_path)
    for as_of in AS_OF:
        for form in FORMS:
            for include_restricted in (False, True):
                expected = reference_export(plan, as_of, form, include_restricted)
                assert export(plan, as_of, form, include_restricted=include_restricted) == expected, (form, as_of)


def test_the_command_writes_the_same_bytes_to_standard_output_and_to_a_file(runner: CliRunner, tmp_path: Path) -> None:
    plan = load_plan(FIXTURES / "measures", today=date(2026, 12, 2), cache_dir=tmp_path)
    for form in FORMS:
        expected = reference_export(plan, date(2025, 12, 1), form, False)
        args = ["export", "--plan", str(FIXTURES / "measures"), "--as-of", "2025-12-01", "--format", form]
        shown = runner.invoke(app, args)
        assert shown.exit_code == 0, shown.output
        assert shown.stdout_bytes == expected
        written = runner.invoke(app, [*args, "-o", str(tmp_path / f"out.{form}")])
        assert written.exit_code == 0, written.output
        assert (tmp_path / f"out.{form}").read_bytes() == expected


# --- generated plans full of awkward text -------------------------------------------------------

# What escaping and folding must get right: JSON's escapes, a CSV's quotes and formula guard, an
# iCalendar line's commas, semicolons, backslashes (and the `\N` it reads as a newline), carets,
# line ends of every kind, and characters of two, three and four bytes across a fold.
AWKWARD = st.sampled_from(
    [
        "", " ", "a\\Nb", "x,y;z", "back\\slash", "caret^", "\r\n", "cr\ronly", "tab\there", '"quoted"',
        "=1+1", "+44", "-2", "@sum", "\x1b[2J", "\x00nul", "\u2028", "Café", "日本語", "😀",
        "é" * 80, "😀" * 40, "x" * 73 + "\\,", "y" * 72 + "^^", "z" * 200,
    ]
)  # fmt: skip
TEXT = st.one_of(
    AWKWARD,
    st.text(st.characters(codec="utf-8"), max_size=30),
    st.text(st.sampled_from("ab \\^,;é日😀\n\r\t\"'N"), min_size=60, max_size=240),
)
WORDS = st.text(st.sampled_from("abc "), min_size=1, max_size=8).map(str.strip).filter(bool)
TARGETS = [
    "Apr-25", "2026-03-31", "November annually", "29 February annually", "31 March annually", "Quarterly",
    "Monthly", "Every two months", "Half-yearly", "Annually", "Every two years", "Ongoing", "TBC",
    "By Autumn 2024 and ongoing", "2025/26", "Q4 2024/25", "Year 2",
]  # fmt: skip
DAYS = st.dates(date(2024, 1, 1), date(2028, 12, 31))


@st.composite
def generated_plans(draw: st.DrawFn) -> Plan:
    partners = draw(st.dictionaries(st.sampled_from(["LBB", "Met", "NHS", "A,B"]), TEXT, max_size=3))
    rag = draw(st.dictionaries(st.sampled_from(list(Rag)), TEXT, max_size=2))
    start = draw(st.dates(date(2023, 1, 1), date(2025, 1, 1)))
    plan_settings = PlanSettings(
        title=draw(TEXT),
        start=start,
        end=start + timedelta(days=draw(st.integers(200, 2000))),
        partners=partners,
        year_start_month=draw(st.integers(1, 12)),
        due_soon_days=draw(st.integers(0, 60)),
        rag=rag,
    )
    optional = st.none() | TEXT
    actions = []
    for number in range(1, draw(st.integers(0, 5)) + 1):
        updates = tuple(
            Update(day, draw(st.sampled_from(list(Rag))), draw(TEXT), draw(optional), draw(st.booleans()),
                   draw(optional), draw(optional))
            for day in sorted(draw(st.lists(DAYS, max_size=4)))
        )  # fmt: skip
        targets = draw(st.lists(st.sampled_from(TARGETS), min_size=1, max_size=3))
        changed = sorted(draw(st.lists(DAYS, min_size=len(targets) - 1, max_size=len(targets) - 1)))
        history = tuple(
            TargetChange(day, old, new, draw(TEXT), draw(optional))
            for day, old, new in zip(changed, targets, targets[1:], strict=False)
        )
        states = draw(st.lists(st.sampled_from([Lifecycle.ON_HOLD, Lifecycle.WITHDRAWN, Lifecycle.ACTIVE]), max_size=2))
        lifecycle = tuple(
            LifecycleChange(day, state, draw(TEXT), draw(st.none() | st.integers(1, 9)))
            for day, state in zip(
                sorted(draw(st.lists(DAYS, min_size=len(states), max_size=len(states)))), states, strict=True
            )
        )
        action = Action(
            id=number,
            title=draw(TEXT),
            leads=tuple(draw(st.lists(st.sampled_from(["LBB", "Met", "NHS", "A,B", "Other"]), min_size=1, max_size=3))),
            target=targets[-1],
            schedule=parse_target(targets[-1]),
            updates=updates,
            owner=draw(optional),
            theme=draw(optional),
            description=draw(optional),
            notes=draw(optional),
            target_history=history,
            added=draw(st.none() | DAYS),
            ref=draw(st.none() | WORDS),
            lifecycle=lifecycle,
        )
        actions.append(ActionFile(Path("actions"), f"{number:02d}.yaml", action))
    return Plan(Path("."), plan_settings, tuple(actions))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(generated_plans(), DAYS, st.booleans())
def test_a_generated_plan_exports_as_the_reference_does(plan: Plan, as_of: date, include_restricted: bool) -> None:
    for form in FORMS:
        expected = reference_export(plan, as_of, form, include_restricted)
        pieces = list(export_pieces(plan, as_of, form, include_restricted=include_restricted))
        assert b"".join(pieces) == expected, form


# --- a file is written whole or not at all ------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_an_export_that_fails_half_way_leaves_no_file_and_an_old_file_as_it_was(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: ExportForm
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / f"export.{form}"
    # Each piece written as soon as it is made, and the third action's record fails: by then the
    # first two are in the temporary file, which must go, never renamed into place.
    # (Unbuffered, so that what is written is on disk to be seen.)
    monkeypatch.setattr(exporting, "_PIECE", 1)
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, mode: real_fdopen(fd, mode, buffering=0))
    made: list[int] = []
    seen_part_written: list[bool] = []
    original_action_json, original_event = exporting._action_json, ical_text._event

    def failing(make: Any) -> Any:
        def record(status: ActionStatus, *args: Any) -> Any:
            made.append(status.action.id)
            if len(made) == 3:
                seen_part_written.append(any(p.stat().st_size > 0 for p in folder.glob(".export.*.tmp")))
                raise RuntimeError("disk on fire")
            return make(status, *args)

        return record

    monkeypatch.setattr(exporting, "_action_json", failing(original_action_json))
    monkeypatch.setattr(ical_text, "_event", failing(original_event))
    monkeypatch.setattr(exporting, "_csv_row", failing(exporting._csv_row))
    args = ["export", "--plan", str(FIXTURES / "reporting"), "--as-of", "2025-05-01", "-o", str(target)]

    result = runner.invoke(app, args)
    assert result.exit_code != 0 and isinstance(result.exception, RuntimeError)
    assert os.listdir(folder) == [], "a half-written export, or its temporary file, was left behind"
    assert seen_part_written == [True], "the failure came before anything was written: the test proves nothing"

    target.write_bytes(b"the export of last week\n")
    made.clear()
    result = runner.invoke(app, args)
    assert result.exit_code != 0 and isinstance(result.exception, RuntimeError)
    assert os.listdir(folder) == [target.name]
    assert target.read_bytes() == b"the export of last week\n"


def test_a_reader_that_stops_early_ends_the_export_quietly(tmp_path: Path) -> None:
    """`vawg export | head`: once the reader has gone the rest is not written, and there is nothing
    to report (as when the export was written whole: the pipe's error never reached vawg then)."""
    plan = tmp_path / "plan"
    (plan / "actions").mkdir(parents=True)
    (plan / "plan.yaml").write_text("title: P\nstart: 2024-04-01\nend: 2028-03-31\npartners:\n  LBB: L B Bexley\n")
    note = "Met the partners and agreed the next steps for the training programme. " * 8
    updates = "".join(f"  - date: 2024-{month:02d}-01\n    rag: green\n    note: {note}\n" for month in range(5, 13))
    for number in range(1, 151):  # some 600 KB of JSON: far more than a pipe holds
        text = f"id: {number}\ntitle: Action {number}\nleads: [LBB]\ntarget: Quarterly\nupdates:\n{updates}"
        (plan / "actions" / f"{number:03d}-action.yaml").write_text(text)
    command = [sys.executable, "-m", "vawg_cli", "export", "--plan", str(plan), "--as-of", "2025-01-01"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    assert process.stdout.read(100).startswith(b'{\n  "format": "vawg-export"')
    process.stdout.close()
    _, errors = process.communicate(timeout=300)
    assert errors == b"", errors.decode()
    assert process.returncode in (0, 1)  # 1 if the last flush at exit also found the reader gone


# --- memory stays flat --------------------------------------------------------------------------


def large_plan(actions: int) -> Plan:
    """A plan of many actions with ten updates each, with notes of a realistic length."""
    plan_settings = PlanSettings("Large plan", date(2024, 4, 1), date(2028, 3, 31), {"LBB": "London Borough of Bexley"})
    note = "Met the partners and agreed the next steps for the training programme; report due next quarter. "
    files = []
    for number in range(1, actions + 1):
        updates = tuple(
            Update(date(2024, 5, 1) + timedelta(days=60 * n), Rag.GREEN if n % 3 else Rag.AMBER, note * 2, "LBB")
            for n in range(10)
        )
        target = ("Quarterly", "2026-03-31", "November annually")[number % 3]
        action = Action(number, f"Action {number}: train staff", ("LBB",), target, parse_target(target), updates)
        files.append(ActionFile(Path("actions"), f"{number}.yaml", action))
    return Plan(Path("."), plan_settings, tuple(files))


def peak_memory(make: Callable[[], object]) -> int:
    """The most memory Python held at once while `make` ran, over what it held before."""
    tracemalloc.start()
    try:
        make()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("form", FORMS)
def test_an_export_never_holds_its_whole_document(form: ExportForm) -> None:
    """Made whole, the export held several times its size (for 4,000 such actions, some 100 MB for
    20 MB of JSON). Written a piece at a time, it holds the actions' statuses, which every command
    computes, and one piece: never more than a megabyte over the statuses, whatever the size."""
    plan, day = large_plan(4000), date(2026, 12, 2)
    sizes: list[int] = []
    statuses = peak_memory(lambda: plan_statuses(plan, day))
    peak = peak_memory(lambda: sizes.append(sum(len(piece) for piece in export_pieces(plan, day, form))))
    assert sizes[0] > 1_000_000, "the plan is too small to tell"
    assert peak < statuses + 1_000_000, f"{form}: {peak:,} bytes held for {sizes[0]:,} written"


@pytest.mark.parametrize("name", ["Plan\ronly CR", "Plan\nLF", "Plan\r\nCRLF"])
def test_a_line_break_in_the_calendar_name_never_ends_its_line(name: str) -> None:
    # A bare CR in a content line is forbidden by RFC 5545, as a bare LF is; both are written `\n`.
    written = ical_text.verbatim(name)
    assert "\r" not in written and "\n" not in written and "\\n" in written
