"""`vawg export`: JSON that agrees with `vawg status`, a CSV Excel opens cleanly, an iCalendar file that
a calendar library reads back with the right recurring deadlines and stable UIDs."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from dateutil.rrule import rrulestr  # python-dateutil comes with icalendar
from typer.testing import CliRunner

from conftest import FIXTURES, copy_plan
from vawg_cli.cli import app
from vawg_cli.interchange.export import CSV_COLUMNS, ExportForm, csv_bytes, export, plan_statuses
from vawg_cli.model.schedule import occurrences, parse_target
from vawg_cli.plan.loading import load_plan

REPORTING = FIXTURES / "reporting"
PLAN_START, PLAN_END = date(2024, 4, 1), date(2028, 4, 30)
SECRET = "jane.doe@example.org"  # in action 4's restricted update of 2025-11-03
# Dates across the fixture's life: before any update, mid-way, with 5 not yet complete, after it.
AS_OF_DATES = ("2024-05-01", "2025-05-01", "2025-12-01", "2025-12-20", "2027-01-15")


def export_bytes(runner: CliRunner, plan: Path, *args: str) -> bytes:
    result = runner.invoke(app, ["export", "--plan", str(plan), *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def export_json(runner: CliRunner, plan: Path, *args: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(export_bytes(runner, plan, "--format", "json", *args))
    return document


def status_by_id(runner: CliRunner, plan: Path, as_of: str) -> dict[int, dict[str, Any]]:
    result = runner.invoke(app, ["status", "--plan", str(plan), "--format", "json", "--as-of", as_of])
    assert result.exit_code == 0, result.output
    return {record["id"]: record for record in json.loads(result.stdout)}


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def calendar(data: bytes) -> Any:
    return icalendar.Calendar.from_ical(data)


def events_by_id(data: bytes) -> dict[int, Any]:
    events = {}
    for event in calendar(data).walk("VEVENT"):
        summary = str(event["SUMMARY"])
        assert summary.startswith("VAWG action "), summary
        events[int(summary.split()[2])] = event
    return events


def rule_parts(event: Any) -> dict[str, str]:
    """The RRULE as written in the file, as {part: value}."""
    text = event["RRULE"].to_ical().decode()
    return dict(part.split("=", 1) for part in text.split(";"))


def expand(event: Any) -> list[date]:
    """Every date the calendar shows for the event, as a calendar application would expand it."""
    start = event.decoded("DTSTART")
    assert type(start) is date, "an all-day event has a DATE start"
    if "RRULE" not in event:
        return [start]
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=datetime(start.year, start.month, start.day))
    return [moment.date() for moment in rule]


def plan_with(
    tmp_path: Path, *, actions: dict[str, str] | None = None, plan_yaml: tuple[str, str] | None = None
) -> Path:
    """A copy of the reporting plan with extra action files and one text change in plan.yaml."""
    folder = copy_plan(REPORTING, tmp_path / "plan")
    for name, text in (actions or {}).items():
        (folder / "actions" / name).write_text(text)
    if plan_yaml is not None:
        old, new = plan_yaml
        text = (folder / "plan.yaml").read_text()
        assert old in text
        (folder / "plan.yaml").write_text(text.replace(old, new))
    return folder


class TestJson:
    @pytest.mark.parametrize("as_of", AS_OF_DATES)
    def test_derived_state_matches_status(self, runner: CliRunner, as_of: str) -> None:
        document = export_json(runner, REPORTING, "--as-of", as_of)
        statuses = status_by_id(runner, REPORTING, as_of)
        assert document["format"] == "vawg-export"
        assert document["version"] == 1
        assert document["as_of"] == as_of
        assert [a["id"] for a in document["actions"]] == [1, 2, 3, 4, 5, 6, 10]  # plan order
        assert {a["id"] for a in document["actions"]} == set(statuses)
        for action in document["actions"]:
            status = statuses[action["id"]]
            derived = action["derived"]
            shared = set(derived) & set(status)
            assert shared >= {"rag", "rag_meaning", "due", "overdue", "overdue_since", "due_soon", "complete", "state"}
            assert shared >= {"last_update", "recurring"}
            for key in shared:
                assert derived[key] == status[key], (action["id"], key)
            for key in ("title", "leads", "target"):
                assert action[key] == status[key]
                assert key not in derived  # the action's own data is not dressed up as derived

    def test_known_states_on_1_december_2025(self, runner: CliRunner) -> None:
        actions = {a["id"]: a for a in export_json(runner, REPORTING, "--as-of", "2025-12-01")["actions"]}
        assert actions[4]["derived"]["overdue"] is True
        assert actions[4]["derived"]["overdue_since"] == "2025-04-30"
        assert actions[3]["derived"]["complete"] is True and actions[3]["derived"]["due"] is None
        assert actions[5]["derived"]["due_soon"] is True and actions[5]["derived"]["due"] == "2025-12-15"
        assert actions[10]["derived"]["due"] == "2025-12-31"
        assert actions[2]["derived"]["due"] == "2026-11-30"

    def test_plan_settings(self, runner: CliRunner) -> None:
        plan = export_json(runner, REPORTING, "--as-of", "2025-12-01")["plan"]
        assert plan["title"] == "Test Borough VAWG Action Plan 2024-2028"
        assert (plan["start"], plan["end"]) == ("2024-04-01", "2028-04-30")
        assert (plan["year_start_month"], plan["due_soon_days"]) == (4, 30)
        assert plan["partners"]["Met"] == "Metropolitan Police Service"
        assert list(plan["rag"]) == ["red", "amber", "green", "blue", "grey"]
        assert plan["rag"]["red"] == "Not on track; needs the board's attention"

    def test_action_data_as_written(self, runner: CliRunner) -> None:
        action = export_json(runner, REPORTING, "--as-of", "2025-12-01")["actions"][2]
        assert action["id"] == 3
        assert action["leads"] == ["LBB", "Met"]
        assert action["target"] == action["original_target"] == "Apr-25"
        assert action["updates"] == [
            {
                "date": "2024-09-01",
                "rag": "amber",
                "note": "Draft pathway with legal",
                "by": None,
                "restricted": False,
                "next_steps": None,
                "board_ask": None,
            },
            {
                "date": "2025-03-15",
                "rag": "blue",
                "note": "Pathway agreed by the working group",
                "by": None,
                "restricted": False,
                "next_steps": None,
                "board_ask": None,
            },
        ]
        assert action["target_history"] == []
        assert {"owner", "theme", "description", "notes"} <= set(action)

    def test_target_history_and_original_target(self, runner: CliRunner, tmp_path: Path) -> None:
        folder = copy_plan(REPORTING, tmp_path / "plan")
        moved = runner.invoke(
            app,
            [
                *("retarget", "3", "--target", "Oct-25", "--reason", "Legal review"),
                *("--approved-by", "BCSP board", "--date", "2025-03-01", "--plan", str(folder)),
            ],
        )
        assert moved.exit_code == 0, moved.output
        action = export_json(runner, folder, "--as-of", "2025-12-01")["actions"][2]
        assert (action["target"], action["original_target"]) == ("Oct-25", "Apr-25")
        assert action["target_history"] == [
            {
                "date": "2025-03-01",
                "from": "Apr-25",
                "to": "Oct-25",
                "reason": "Legal review",
                "approved_by": "BCSP board",
            }
        ]

    def test_updates_after_as_of_are_left_out(self, runner: CliRunner) -> None:
        actions = {a["id"]: a for a in export_json(runner, REPORTING, "--as-of", "2025-06-01")["actions"]}
        assert [u["date"] for u in actions[4]["updates"]] == ["2024-10-01", "2025-06-01"]
        assert actions[4]["derived"]["last_update"] == "2025-06-01"
        assert actions[6]["updates"] == [] and actions[6]["derived"]["rag"] == "grey"

    def test_restricted_note_withheld_by_default(self, runner: CliRunner) -> None:
        raw = export_bytes(runner, REPORTING, "--format", "json", "--as-of", "2025-12-01")
        assert SECRET.encode() not in raw
        document = json.loads(raw)
        assert document["restricted_notes_included"] is False
        action = document["actions"][3]
        assert action["id"] == 4
        withheld = action["updates"][-1]
        assert withheld == {
            "date": "2025-11-03",
            "rag": "amber",
            "note": None,
            "by": None,
            "restricted": True,
            "next_steps": None,
            "board_ask": None,
        }
        # Its date and colour still count.
        assert action["derived"]["last_update"] == "2025-11-03"
        assert action["derived"]["rag"] == "amber"
        assert action["updates"][0]["note"] == "Data sharing agreement stalled"

    def test_include_restricted_puts_the_note_in(self, runner: CliRunner) -> None:
        document = export_json(runner, REPORTING, "--as-of", "2025-12-01", "--include-restricted")
        assert document["restricted_notes_included"] is True
        update = document["actions"][3]["updates"][-1]
        assert SECRET in update["note"]
        assert update["restricted"] is True

    def test_output_file_holds_the_same_bytes(self, runner: CliRunner, tmp_path: Path) -> None:
        target = tmp_path / "plan.json"
        result = runner.invoke(app, ["export", "--plan", str(REPORTING), "--as-of", "2025-12-01", "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert f"to {target}" in result.stdout
        assert target.read_bytes() == export_bytes(runner, REPORTING, "--as-of", "2025-12-01")
        assert json.loads(target.read_bytes())["format"] == "vawg-export"


class TestCsv:
    def test_excel_form_bom_and_crlf(self, runner: CliRunner) -> None:
        data = export_bytes(runner, REPORTING, "--format", "csv", "--as-of", "2025-12-01")
        assert data.startswith(b"\xef\xbb\xbf")
        assert not data[3:].startswith(b"\xef\xbb\xbf")
        lines = data.split(b"\r\n")
        assert lines[-1] == b""  # every line ends with CRLF
        assert all(b"\n" not in line for line in lines)  # no bare LF line ends
        assert len(lines) - 1 == 1 + 7  # header and one row per action

    def test_columns_and_one_row_per_action(self, runner: CliRunner) -> None:
        data = export_bytes(runner, REPORTING, "--format", "csv", "--as-of", "2025-12-01")
        header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert header == list(CSV_COLUMNS)
        assert header == [
            "ID",
            "Title",
            "Leads",
            "Target",
            "Original target",
            "RAG",
            "RAG meaning",
            "Due",
            "Overdue",
            "Due soon",
            "State",
            "Lifecycle",
            "Last update",
            "Latest note",
            "Owner",
            "Theme",
        ]
        rows = {int(row["ID"]): row for row in csv_rows(data)}
        assert list(rows) == [1, 2, 3, 4, 5, 6, 10]
        assert rows[3]["Leads"] == "LBB; Met"
        assert (rows[3]["RAG"], rows[3]["RAG meaning"], rows[3]["State"]) == ("BLUE", "Complete", "complete")
        assert rows[4]["RAG meaning"] == "Some delay or risk, being managed"  # a comma, quoted right
        assert (rows[4]["Overdue"], rows[4]["Due soon"], rows[4]["Due"]) == ("yes", "no", "2025-04-30")
        assert (rows[5]["Overdue"], rows[5]["Due soon"], rows[5]["Due"]) == ("no", "yes", "2025-12-15")
        assert rows[2]["Title"] == "Raise awareness every November, including 25 November"
        assert rows[2]["Latest note"] == "Campaign ran with 12 partners | a pipe"
        assert (rows[6]["Last update"], rows[6]["Latest note"], rows[6]["RAG"]) == ("", "", "GREY")

    @pytest.mark.parametrize("as_of", AS_OF_DATES)
    def test_rows_agree_with_status(self, runner: CliRunner, as_of: str) -> None:
        rows = csv_rows(export_bytes(runner, REPORTING, "--format", "csv", "--as-of", as_of))
        statuses = status_by_id(runner, REPORTING, as_of)
        assert {int(row["ID"]) for row in rows} == set(statuses)
        for row in rows:
            status = statuses[int(row["ID"])]
            assert row["RAG"] == status["rag"].upper()
            assert row["RAG meaning"] == status["rag_meaning"]
            assert row["Due"] == (status["due"] or "")
            assert row["Overdue"] == ("yes" if status["overdue"] else "no")
            assert row["Due soon"] == ("yes" if status["due_soon"] else "no")
            assert row["State"] == status["state"]
            assert row["Last update"] == (status["last_update"] or "")

    def test_restricted_note_withheld_unless_asked(self, runner: CliRunner) -> None:
        plain = export_bytes(runner, REPORTING, "--format", "csv", "--as-of", "2025-12-01")
        assert SECRET.encode() not in plain
        row = {int(r["ID"]): r for r in csv_rows(plain)}[4]
        assert (row["Last update"], row["Latest note"]) == ("2025-11-03", "Restricted update withheld")
        full = export_bytes(runner, REPORTING, "--format", "csv", "--as-of", "2025-12-01", "--include-restricted")
        assert SECRET in {int(r["ID"]): r for r in csv_rows(full)}[4]["Latest note"]

    def test_awkward_text_stays_in_its_cell_and_formulas_are_not_run(self, runner: CliRunner, tmp_path: Path) -> None:
        folder = plan_with(
            tmp_path,
            actions={
                "11-awkward.yaml": 'id: 11\ntitle: "Say \\"no\\", twice\\nover two lines: café"\nleads: [LBB]\n'
                "target: Apr-26\nowner: Jo Bloggs\ntheme: Prevention\n"
                'updates:\n  - {date: 2025-01-01, rag: green, note: "=HYPERLINK(\\"http://x\\")"}\n'
            },
        )
        rows = {
            int(r["ID"]): r for r in csv_rows(export_bytes(runner, folder, "--format", "csv", "--as-of", "2025-12-01"))
        }
        assert len(rows) == 8
        assert rows[11]["Title"] == 'Say "no", twice\nover two lines: café'
        assert rows[11]["Latest note"] == '\'=HYPERLINK("http://x")'
        assert (rows[11]["Owner"], rows[11]["Theme"]) == ("Jo Bloggs", "Prevention")

    def test_format_from_the_file_name(self, runner: CliRunner, tmp_path: Path) -> None:
        target = tmp_path / "board.CSV"
        result = runner.invoke(app, ["export", "--plan", str(REPORTING), "--as-of", "2025-12-01", "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert target.read_bytes() == export_bytes(runner, REPORTING, "--format", "csv", "--as-of", "2025-12-01")


class TestIcs:
    def test_parses_with_icalendar_and_names_the_calendar(self, runner: CliRunner) -> None:
        cal = calendar(export_bytes(runner, REPORTING, "--format", "ics", "--as-of", "2025-12-01"))
        assert str(cal["VERSION"]) == "2.0"
        assert str(cal["PRODID"]) == "-//vawg//VAWG action plan//EN"
        assert str(cal["METHOD"]) == "PUBLISH"
        assert str(cal["CALSCALE"]) == "GREGORIAN"
        assert str(cal["X-WR-CALNAME"]) == "Test Borough VAWG Action Plan 2024-2028"

    def test_completed_actions_are_left_out(self, runner: CliRunner) -> None:
        # On 1 December 2025 action 3 is complete; action 5 is completed on 10 December.
        before = events_by_id(export_bytes(runner, REPORTING, "--format", "ics", "--as-of", "2025-12-01"))
        after = events_by_id(export_bytes(runner, REPORTING, "--format", "ics", "--as-of", "2025-12-20"))
        assert set(before) == {1, 2, 4, 5, 6, 10}
        assert set(after) == {1, 2, 4, 6, 10}
        early = events_by_id(export_bytes(runner, REPORTING, "--format", "ics", "--as-of", "2025-03-01"))
        assert 3 in early  # not yet complete then

    def test_quarterly_is_a_recurring_event_to_the_plan_end(self, runner: CliRunner) -> None:
        event = events_by_id(export_bytes(runner, REPORTING, "--format", "ics", "--as-of", "2025-12-01"))[10]
        assert rule_parts(event) == {"FREQ": "MONTHLY", "INTERVAL": "3", "BYMONTHDAY": "-1", "UNTIL": "20280430"}
        assert event["RRULE"]["UNTIL"] == [PLAN_END]
        assert event.decoded("DTSTART") == date(2024, 6, 30)  # the first quarter end in the plan period
        assert event.decoded("DTEND") == date(2024, 7, 1)
        assert "DTSTART;VALUE=DATE:20240630" in event.to_ical().decode()

    def test_november_annually_is_a_yearly_event(self, runner: CliRunner) -> None:
        event = events_by_id(export_bytes(runner, REPORTING, "--format", "ics", "--as-of", "2025-12-01"))[2]
        assert rule_parts(event) == {"FREQ": "YEARLY", "BYMONTH": "11", "BYMONTHDAY": "-1", "UNTIL": "20280430"}
        assert event.decoded("DTSTART") == date(2024, 11, 30)

    def test_one_off_targets_are_single_events(self, runner: CliRunner) -> None:
        events = events_by_id(export_bytes(runner, REPORTING, "--format", "ics", "--as-of", "2025-12-01"))
        expected = {1: date(2028, 4, 30), 4: date(2025, 4, 30), 5: date(2025, 12, 15), 6: date(2028, 4, 30)}
        for action_id, due in expected.items():
            event = events[action_id]
            assert "RRULE" not in event
            assert event.decoded("DTSTART") == due
            assert event.decoded("DTEND") == due + timedelta(days=1)

    def test_event_text(self, runner: CliRunner) -> None:
        event = events_by_id(export_bytes(runner, REPORTING, "--format", "ics", "--as-of", "2025-12-01"))[4]
        assert str(event["SUMMARY"]) == "VAWG action 4 due: Return of data for analysis"
        description = str(event["DESCRIPTION"])
        assert "Leads: Met (Metropolitan Police Service)" in description
        assert "Target: Apr-25" in description
        assert "AMBER (Some delay or risk, being managed)" in description
        assert "State: overdue 215 days" in description
        assert SECRET not in description
        assert [str(c) for c in event["CATEGORIES"].cats] == ["VAWG"]
        assert int(event["SEQUENCE"]) == 0
        assert event.decoded("DTSTAMP") == datetime.fromisoformat("2025-12-01T00:00:00+00:00")

    def test_uids_are_stable_and_distinct(self, runner: CliRunner, tmp_path: Path) -> None:
        one = copy_plan(REPORTING, tmp_path / "clone-a" / "plan")
        two = copy_plan(REPORTING, tmp_path / "elsewhere" / "my-plan")
        runs = [
            export_bytes(runner, one, "--format", "ics", "--as-of", "2025-12-01"),
            export_bytes(runner, one, "--format", "ics", "--as-of", "2025-12-01"),
            export_bytes(runner, two, "--format", "ics", "--as-of", "2025-12-01"),
            export_bytes(runner, two, "--format", "ics", "--as-of", "2026-02-01"),  # a later export of the same plan
        ]
        uids = [{action_id: str(e["UID"]) for action_id, e in events_by_id(run).items()} for run in runs]
        assert uids[0] == uids[1] == uids[2]
        # Later, action 5 is complete and gone; every other event keeps its UID, so it is updated.
        assert uids[3] == {action_id: uid for action_id, uid in uids[0].items() if action_id != 5}
        assert len(set(uids[0].values())) == len(uids[0])
        for action_id, uid in uids[0].items():
            assert uid.startswith("vawg-") and uid.endswith(f"-action-{action_id}@vawg.local")
        # The same bytes, run after run: a re-export changes nothing in git.
        assert runs[0] == runs[1] == runs[2]

    def test_another_plan_has_other_uids(self, runner: CliRunner, tmp_path: Path) -> None:
        other = plan_with(tmp_path, plan_yaml=("title: Test Borough", "title: Another Borough"))
        mine = events_by_id(export_bytes(runner, REPORTING, "--format", "ics", "--as-of", "2025-12-01"))
        theirs = events_by_id(export_bytes(runner, other, "--format", "ics", "--as-of", "2025-12-01"))
        assert {str(e["UID"]) for e in mine.values()}.isdisjoint(str(e["UID"]) for e in theirs.values())

    def test_recurring_events_expand_to_the_plan_due_dates(self, runner: CliRunner) -> None:
        events = events_by_id(export_bytes(runner, REPORTING, "--format", "ics", "--as-of", "2025-12-01"))
        for action_id, target in ((10, "Quarterly"), (2, "November annually")):
            expected = [o.due for o in occurrences(parse_target(target), PLAN_START, PLAN_END, 4)]
            assert expand(events[action_id]) == expected
        assert expand(events[10])[:4] == [date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31), date(2025, 3, 31)]
        assert expand(events[10])[-1] == date(2028, 3, 31)
        assert expand(events[2]) == [date(2024, 11, 30), date(2025, 11, 30), date(2026, 11, 30), date(2027, 11, 30)]

    def test_every_schedule_expands_as_vawg_computes_it(self, runner: CliRunner, tmp_path: Path) -> None:
        targets = {
            11: "Monthly",
            12: "25 November annually",
            13: "29 February annually",
            14: "annually in February",
            15: "31 March annually",
        }
        # A reporting year starting in February: quarters end in January, April, July and October.
        folder = plan_with(
            tmp_path,
            actions={
                f"{i}-t.yaml": f"id: {i}\ntitle: Target {t}\nleads: [LBB]\ntarget: {t}\n" for i, t in targets.items()
            },
            plan_yaml=("year_start_month: 4", "year_start_month: 2"),
        )
        events = events_by_id(export_bytes(runner, folder, "--format", "ics", "--as-of", "2024-05-01"))
        for action_id, target in {**targets, 10: "Quarterly", 2: "November annually"}.items():
            expected = [o.due for o in occurrences(parse_target(target), PLAN_START, PLAN_END, 2)]
            assert expected, target
            assert expand(events[action_id]) == expected, target
        assert date(2025, 2, 28) in expand(events[13]) and date(2028, 2, 29) in expand(events[13])
        assert expand(events[10])[0] == date(2024, 4, 30)  # year starting in February: quarters end Apr, Jul, ...

    def test_output_file_is_written(self, runner: CliRunner, tmp_path: Path) -> None:
        target = tmp_path / "deadlines.ics"
        result = runner.invoke(app, ["export", "--plan", str(REPORTING), "--as-of", "2025-12-01", "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert set(events_by_id(target.read_bytes())) == {1, 2, 4, 5, 6, 10}
        assert target.read_bytes() == export_bytes(runner, REPORTING, "--format", "ics", "--as-of", "2025-12-01")


class TestCommandLine:
    def test_default_is_json_on_standard_output(self, runner: CliRunner) -> None:
        assert json.loads(export_bytes(runner, REPORTING, "--as-of", "2025-12-01"))["version"] == 1

    def test_format_and_file_name_must_agree(self, runner: CliRunner, tmp_path: Path) -> None:
        target = tmp_path / "x.csv"
        result = runner.invoke(app, ["export", "--plan", str(REPORTING), "--format", "ics", "-o", str(target)])
        assert result.exit_code == 2
        assert "does not match" in result.output
        assert not target.exists()

    def test_unknown_extension_needs_a_format(self, runner: CliRunner, tmp_path: Path) -> None:
        target = tmp_path / "deadlines.txt"
        result = runner.invoke(app, ["export", "--plan", str(REPORTING), "-o", str(target)])
        assert result.exit_code == 2
        assert "cannot tell the format" in result.output
        written = runner.invoke(
            app, ["export", "--plan", str(REPORTING), "-o", str(target), "--format", "ics", "--as-of", "2025-12-01"]
        )
        assert written.exit_code == 0, written.output
        assert set(events_by_id(target.read_bytes())) == {1, 2, 4, 5, 6, 10}

    def test_never_writes_over_the_plan(self, runner: CliRunner, tmp_path: Path) -> None:
        folder = copy_plan(REPORTING, tmp_path / "plan")
        victim = folder / "actions" / "04-data.yaml"
        before = victim.read_bytes()
        result = runner.invoke(app, ["export", "--plan", str(folder), "--format", "json", "-o", str(victim)])
        assert result.exit_code == 1
        assert "is part of the plan" in result.stderr
        assert victim.read_bytes() == before

    def test_a_plan_with_errors_is_not_exported(self, runner: CliRunner, tmp_path: Path) -> None:
        folder = plan_with(tmp_path, actions={"12-bad.yaml": "id: 12\ntitle: Bad\nleads: [LBB]\ntarget: someday\n"})
        target = tmp_path / "out.ics"
        result = runner.invoke(app, ["export", "--plan", str(folder), "-o", str(target)])
        assert result.exit_code == 1
        assert "12-bad.yaml" in result.stderr
        assert not target.exists()

    def test_other_commands_do_not_import_icalendar(self, tmp_path: Path) -> None:
        code = (
            "import sys\n"
            "from vawg_cli.cli import app\n"
            f"try:\n    app(['status', '--plan', {str(REPORTING)!r}], prog_name='vawg')\n"
            "except SystemExit:\n    pass\n"
            "sys.stderr.write('icalendar loaded' if 'icalendar' in sys.modules else 'icalendar not loaded')\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=False,
            env={"VAWG_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
        )
        assert "icalendar not loaded" in done.stderr, done.stderr


class TestOneEntry:
    """`export` computes the statuses once and gives the same bytes as the command, for each format."""

    @pytest.mark.parametrize("form", ["json", "csv", "ics"])
    def test_export_gives_the_commands_bytes(self, runner: CliRunner, form: ExportForm) -> None:
        plan = load_plan(REPORTING, today=date(2030, 1, 1))
        expected = export_bytes(runner, REPORTING, "--format", form, "--as-of", "2025-12-01", "--include-restricted")
        assert export(plan, date(2025, 12, 1), form, include_restricted=True) == expected

    def test_the_renderers_take_statuses_and_read_nothing(self) -> None:
        plan = load_plan(REPORTING, today=date(2030, 1, 1))
        statuses = plan_statuses(plan, date(2025, 12, 1))
        assert [s.action.id for s in statuses] == [f.action.id for f in plan.actions]
        assert csv_bytes(statuses, plan.settings, False) == export(plan, date(2025, 12, 1), "csv")


def test_what_is_being_done_and_asked_go_with_the_note(runner: CliRunner) -> None:
    # The board-paper fixture's action 3: its latest update gives both; an older one is restricted.
    board = Path(__file__).parent / "fixtures" / "board"
    public = json.loads(export_bytes(runner, board, "--format", "json", "--as-of", "2025-12-31"))
    action = next(a for a in public["actions"] if a["id"] == 3)
    assert action["updates"][-1]["next_steps"] and action["updates"][-1]["board_ask"]
    hidden = [u for u in action["updates"] if u["restricted"]]
    assert hidden and all(u["note"] is None and u["next_steps"] is None for u in hidden)
