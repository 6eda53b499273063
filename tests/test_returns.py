"""`vawg returns make`, `returns read` and `returns status`: the quarterly returns cycle (issue 12).

The whole cycle on a fixture plan with contacts and measures: make the workbooks, fill them as
partners would (openpyxl), read them back, and compare the plan's files with the expected text.
The error cases, stale returns, CSVs and colour spellings are in test_returns_read.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]
from typer.testing import CliRunner, Result

import vawg_cli.cli.options
from conftest import FIXTURES, copy_plan
from vawg_cli.cli import app

RETURNS_PLAN = FIXTURES / "returns"
TODAY = date(2026, 1, 10)
"""The day the filled returns are read: after 2025/26 Q3 ends, before its deadline (14 Jan 2026)."""
MADE = "2026-01-05"
QUARTER = "2025-Q3"
LBB_BOOK = "VAWG return 2025-26 Q3 - London Borough of Bexley.xlsx"
MET_BOOK = "VAWG return 2025-26 Q3 - Metropolitan Police Service.xlsx"
VOL_BOOK = "VAWG return 2025-26 Q3 - Voluntary and community sector.xlsx"
COLOUR, NOTE, NEXT_STEPS, BOARD_ASK, DATE, RESTRICTED, IDENTITY = 6, 7, 8, 9, 10, 11, 12
FIGURE, FIGURE_NOTE = 6, 7
HEADER_ROW = 4


# --- Helpers shared with test_returns_read.py ----------------------------------------------------


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vawg_cli.cli.options, "today", lambda: TODAY)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return copy_plan(RETURNS_PLAN, tmp_path / "plan")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def make(runner: CliRunner, plan: Path, out: Path, *args: str, as_of: str = MADE) -> Result:
    result = runner.invoke(
        app, ["returns", "make", "--quarter", QUARTER, "--as-of", as_of, "--plan", str(plan), "-o", str(out), *args]
    )
    assert result.exit_code == 0, result.output
    return result


def read(runner: CliRunner, plan: Path, *files: Path | str) -> Result:
    return runner.invoke(app, ["returns", "read", *map(str, files), "--plan", str(plan)])


def cells(path: Path) -> list[tuple[Any, ...]]:
    """The Return sheet's rows, from row 1."""
    book = load_workbook(path)
    try:
        return [tuple(row) for row in book["Return"].iter_rows(values_only=True)]
    finally:
        book.close()


def rows_of(path: Path) -> dict[str, int]:
    """The sheet row of each action ("1", "2" ...) and figure (its measure code), by its hidden identity."""
    found: dict[str, int] = {}
    for number, row in enumerate(cells(path), 1):
        identity = row[IDENTITY - 1] if len(row) >= IDENTITY else None
        if not isinstance(identity, str) or number <= HEADER_ROW:
            continue
        fields = dict(part.partition("=")[::2] for part in identity.split(";"))
        if "action" in fields:
            found[fields["action"]] = number
        elif "measure" in fields:
            found[fields["measure"]] = number
    return found


def fill(path: Path, answers: dict[str, dict[int, object]], *, save_as: Path | None = None) -> Path:
    """Type answers into the Return sheet: {action id or measure code: {column: value}}."""
    where = rows_of(path)
    book = load_workbook(path)
    sheet = book["Return"]
    for key, values in answers.items():
        for column, value in values.items():
            sheet.cell(where[key], column).value = value
    target = save_as or path
    book.save(target)
    book.close()
    return target


def fill_cell(path: Path, row: int, column: int, value: object) -> Path:
    book = load_workbook(path)
    book["Return"].cell(row, column).value = value
    book.save(path)
    book.close()
    return path


def action_file(plan: Path, action_id: int) -> Path:
    (found,) = plan.glob(f"actions/{action_id:02d}-*.yaml")
    return found


def updates_of(plan: Path, action_id: int) -> list[dict[str, Any]]:
    data = yaml.safe_load(action_file(plan, action_id).read_text(encoding="utf-8"))
    return list(data.get("updates") or [])


def leads_by_partner(plan: Path) -> dict[str, list[str]]:
    """Each partner's actions, as the action files name their leads (refs as the workbook shows them)."""
    found: dict[str, list[str]] = {}
    for path in sorted(plan.glob("actions/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for lead in data["leads"]:
            found.setdefault(lead, []).append(str(data.get("ref") or data["id"]))
    return {code: sorted(refs, key=int) for code, refs in found.items()}


def action_refs(path: Path) -> list[str]:
    """The Ref cells of the action rows, in order (the rows before the first blank one)."""
    refs = []
    for row in cells(path)[HEADER_ROW:]:
        if row[0] is None:
            break
        refs.append(str(row[0]))
    return refs


# --- make -----------------------------------------------------------------------------------------


class TestMake:
    def test_one_workbook_per_lead_partner_of_the_bundled_plan(
        self, runner: CliRunner, bundled_copy: Path, tmp_path: Path
    ) -> None:
        out = tmp_path / "out"
        make(runner, bundled_copy, out, as_of="2025-12-02")
        books = sorted(p.name for p in out.glob("*.xlsx"))
        assert books == [
            "VAWG return 2025-26 Q3 - London Borough of Bexley.xlsx",
            "VAWG return 2025-26 Q3 - Metropolitan Police Service.xlsx",
            "VAWG return 2025-26 Q3 - Voluntary and community sector.xlsx",
        ]
        leads = leads_by_partner(bundled_copy)
        assert set(leads) == {"LBB", "Met", "Vol Sector"}
        names = {
            "LBB": "London Borough of Bexley",
            "Met": "Metropolitan Police Service",
            "Vol Sector": "Voluntary and community sector",
        }
        for code, name in names.items():
            book = out / f"VAWG return 2025-26 Q3 - {name}.xlsx"
            assert action_refs(book) == leads[code], code
            header = cells(book)[HEADER_ROW - 1]
            assert header[:11] == (
                "Ref",
                "Action",
                "Target",
                "Due",
                "Latest update",
                "New colour",
                "Progress this quarter",
                "What is being done",
                "What the board is asked to do (leave blank if nothing)",
                "Date of update",
                "Restricted?",
            )
            assert str(header[IDENTITY - 1]).startswith("vawg-return=2;plan=")
            assert f"partner={code}" in str(header[IDENTITY - 1])

    def test_the_workbook_has_instructions_and_a_return_sheet(
        self, runner: CliRunner, plan: Path, tmp_path: Path
    ) -> None:
        make(runner, plan, tmp_path / "out")
        book = load_workbook(tmp_path / "out" / MET_BOOK)
        try:
            assert book.sheetnames == ["Instructions", "Return"]
            text = " ".join(str(c) for row in book["Instructions"].iter_rows(values_only=True) for c in row if c)
        finally:
            book.close()
        assert "2025/26 Q3" in text
        assert "14 Jan 2026" in text
        assert "VAWG Coordinator <coordinator@example.org>" in text
        assert "Amber: Some delay or risk, being managed" in text

    def test_a_partner_lists_its_actions_and_figures_not_complete_ones(
        self, runner: CliRunner, plan: Path, tmp_path: Path
    ) -> None:
        make(runner, plan, tmp_path / "out")
        out = tmp_path / "out"
        # Action 6 was complete (blue) before the quarter: nothing is asked of it.
        assert action_refs(out / LBB_BOOK) == ["1", "3"]
        assert action_refs(out / MET_BOOK) == ["2", "3", "4"]
        assert action_refs(out / VOL_BOOK) == ["4", "5"]
        assert set(rows_of(out / LBB_BOOK)) == {"1", "3", "ADVICE"}
        assert set(rows_of(out / MET_BOOK)) == {"2", "3", "4", "ARRESTS"}
        assert set(rows_of(out / VOL_BOOK)) == {"4", "5"}

    def test_only_the_partners_asked_for(self, runner: CliRunner, plan: Path, tmp_path: Path) -> None:
        make(runner, plan, tmp_path / "out", "--partner", "met")
        assert [p.name for p in (tmp_path / "out").glob("*.xlsx")] == [MET_BOOK]

    def test_email_drafts_for_partners_with_an_address(self, runner: CliRunner, plan: Path, tmp_path: Path) -> None:
        result = make(runner, plan, tmp_path / "out", "--email")
        drafts = sorted(p.name for p in (tmp_path / "out").glob("*.eml"))
        assert drafts == [LBB_BOOK.replace(".xlsx", ".eml"), MET_BOOK.replace(".xlsx", ".eml")]
        assert "no email draft" in result.output
        draft = (tmp_path / "out" / MET_BOOK.replace(".xlsx", ".eml")).read_text(encoding="utf-8")
        assert "jane@example.org" in draft

    def test_the_summary_is_one_line_per_workbook(self, runner: CliRunner, plan: Path, tmp_path: Path) -> None:
        result = make(runner, plan, tmp_path / "out")
        lines = result.stdout.splitlines()
        assert [line.split(":")[0] for line in lines[:3]] == ["LBB", "Met", "Vol Sector"]
        assert "\\x0a" not in result.stdout

    def test_the_returns_are_not_written_into_the_plan(self, runner: CliRunner, plan: Path) -> None:
        result = runner.invoke(
            app, ["returns", "make", "--quarter", QUARTER, "--as-of", MADE, "--plan", str(plan), "-o", str(plan / "r")]
        )
        assert result.exit_code != 0
        assert "inside the plan folder" in result.stderr
        assert not (plan / "r").exists()

    def test_a_filled_workbook_is_not_written_over(self, runner: CliRunner, plan: Path, tmp_path: Path) -> None:
        out = tmp_path / "out"
        make(runner, plan, out)
        fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran in November"}})
        before = (out / MET_BOOK).read_bytes()
        result = runner.invoke(
            app, ["returns", "make", "--quarter", QUARTER, "--as-of", MADE, "--plan", str(plan), "-o", str(out)]
        )
        assert result.exit_code != 0
        assert "already exists and has answers" in result.stderr
        assert (out / MET_BOOK).read_bytes() == before


# --- The whole cycle ------------------------------------------------------------------------------

EXPECTED_ACTION_1 = """\
id: 1
title: Update the VAWG strategy
leads: [LBB]
target: Apr-28
updates:
  - {date: 2025-08-20, rag: amber, note: Consultation delayed by the election}
"""


def filled_cycle(runner: CliRunner, plan: Path, out: Path) -> list[Path]:
    """Make the returns and fill LBB's and Met's as the partners would; Vol Sector sends nothing back."""
    make(runner, plan, out)
    lbb = fill(
        out / LBB_BOOK,
        {
            "1": {
                COLOUR: "Green",
                NOTE: "Consultation finished; the draft strategy goes to cabinet in February.",
                DATE: datetime(2025, 12, 15),
                RESTRICTED: "No",
            },
            "3": {
                COLOUR: "Amber: Some delay or risk, being managed",
                NOTE: "Training on the pathway slipped.",
                DATE: "05/01/2026",
            },
            "ADVICE": {FIGURE: 152, FIGURE_NOTE: "Includes the new hub"},
        },
    )
    met = fill(
        out / MET_BOOK,
        {
            "2": {COLOUR: "a", NOTE: "Campaign ran for 16 days in November.", DATE: datetime(2025, 12, 1)},
            "4": {NOTE: "Second cohort started."},
            "ARRESTS": {FIGURE: 30},
        },
    )
    return [lbb, met]


class TestCycle:
    @pytest.fixture
    def cycle(self, runner: CliRunner, plan: Path, tmp_path: Path) -> Iterator[tuple[list[Path], Result]]:
        files = filled_cycle(runner, plan, tmp_path / "out")
        yield files, read(runner, plan, *files)

    def test_the_plan_files_read_as_expected(self, plan: Path, cycle: tuple[list[Path], Result]) -> None:
        _, result = cycle
        assert result.exit_code == 0, result.output
        # An update is written in the style of the file's others: flow style after a flow-style update.
        assert action_file(plan, 1).read_text(encoding="utf-8") == EXPECTED_ACTION_1 + (
            "  - {date: 2025-12-15, rag: green, note: Consultation finished; the draft strategy goes to cabinet in "
            "February., by: LBB}\n"
        )
        assert action_file(plan, 3).read_text(encoding="utf-8") == (
            "id: 3\n"
            "title: Define referral processes for VAWG cases\n"
            "leads: [LBB, Met]\n"
            "target: Apr-27\n"
            "updates:\n"
            "  - {date: 2025-06-30, rag: green, note: Pathway drafted}\n"
            "  - {date: 2026-01-05, rag: amber, note: Training on the pathway slipped., by: LBB}\n"
        )
        assert action_file(plan, 2).read_text(encoding="utf-8") == (
            "id: 2\n"
            "title: Raise awareness of VAWG across the borough\n"
            "leads: [Met]\n"
            "target: November annually\n"
            "updates:\n"
            "  - date: 2025-12-01\n"
            "    rag: amber\n"
            "    note: Campaign ran for 16 days in November.\n"
            "    by: Met\n"
        )
        # A note without a colour keeps the action's colour; a blank date is the quarter's last day.
        assert action_file(plan, 4).read_text(encoding="utf-8") == (
            "id: 4\n"
            "title: Improve perpetrator-focused intervention\n"
            "leads: [Met, Vol Sector]\n"
            "target: Apr-28\n"
            "updates:\n"
            "  - {date: 2025-09-10, rag: green, note: Programme commissioned}\n"
            "  - {date: 2025-12-31, rag: green, note: Second cohort started., by: Met}\n"
        )
        assert (plan / "measures" / "ARRESTS.yaml").read_text(encoding="utf-8") == (
            "code: ARRESTS\n"
            "name: Arrests for VAWG offences\n"
            "unit: arrests\n"
            "lead: Met\n"
            "period: quarterly\n"
            "values:\n"
            "  - period: 2025/26 Q1\n"
            "    value: 31\n"
            "  - period: 2025/26 Q2\n"
            "    value: 28\n"
            "  - period: 2025/26 Q3\n"
            "    value: 30\n"
            "    by: Met\n"
        )
        assert (plan / "measures" / "ADVICE.yaml").read_text(encoding="utf-8") == (
            (RETURNS_PLAN / "measures" / "ADVICE.yaml").read_text(encoding="utf-8")
            + "  - period: 2025/26 Q3\n    value: 152\n    note: Includes the new hub\n    by: LBB\n"
        )

    def test_untouched_files_stay_byte_identical(self, plan: Path, cycle: tuple[list[Path], Result]) -> None:
        changed = {"actions/01-strategy.yaml", "actions/02-awareness.yaml", "actions/03-referral.yaml"}
        changed |= {"actions/04-perpetrators.yaml", "measures/ADVICE.yaml", "measures/ARRESTS.yaml"}
        assert set(snapshot(plan)) == set(snapshot(RETURNS_PLAN))
        for name in sorted(set(snapshot(plan)) - changed):
            assert (plan / name).read_bytes() == (RETURNS_PLAN / name).read_bytes(), name

    def test_the_summary(self, cycle: tuple[list[Path], Result]) -> None:
        _, result = cycle
        assert f"{LBB_BOOK} (LBB, 2025-Q3): added 2 updates (actions 1, 3); recorded 1 figure" in result.stdout
        assert "left blank (not returned): action 3" in result.stdout
        assert "returned by LBB, Met" in result.stdout

    def test_check_passes_after(self, runner: CliRunner, plan: Path, cycle: tuple[list[Path], Result]) -> None:
        result = runner.invoke(app, ["check", "--plan", str(plan)])
        assert result.exit_code == 0, result.output

    def test_status_shows_who_has_not_returned(
        self, runner: CliRunner, plan: Path, cycle: tuple[list[Path], Result]
    ) -> None:
        result = runner.invoke(
            app, ["returns", "status", "--quarter", QUARTER, "--as-of", "2026-01-10", "--plan", str(plan)]
        )
        assert result.exit_code == 0, result.output
        assert "LBB (London Borough of Bexley): returned all 2 actions" in result.stdout
        assert "Met (Metropolitan Police Service): owes 1 of 3 actions" in result.stdout
        assert "Vol Sector (Voluntary and community sector): owes 2 of 2 actions" in result.stdout
        assert "2 of 3 partners still owe a return: Met, Vol Sector" in result.stdout
        assert "4 days left" in result.stdout

    def test_reading_again_changes_nothing_and_says_so(
        self, runner: CliRunner, plan: Path, cycle: tuple[list[Path], Result]
    ) -> None:
        files, _ = cycle
        before = snapshot(plan)
        again = read(runner, plan, *files)
        assert again.exit_code == 0, again.output
        assert snapshot(plan) == before
        assert "3 rows already in the plan" in again.stdout  # LBB: 2 updates and a figure
        assert "0 updates added, 0 figures recorded" in again.stdout


# --- status -------------------------------------------------------------------------------------


def status_json(runner: CliRunner, plan: Path, as_of: str = "2026-01-10") -> dict[str, Any]:
    result = runner.invoke(
        app, ["returns", "status", "--quarter", QUARTER, "--format", "json", "--as-of", as_of, "--plan", str(plan)]
    )
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def set_plan(plan: Path, **values: Any) -> None:
    path = plan / "plan.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(values)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def add_update(plan: Path, action_id: int, day: str, rag: str, note: str, **extra: Any) -> None:
    path = action_file(plan, action_id)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = {"date": date.fromisoformat(day), "rag": rag, "note": note, **extra}
    data["updates"] = [*(data.get("updates") or []), entry]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


class TestStatus:
    def test_json_structure(self, runner: CliRunner, plan: Path) -> None:
        document = status_json(runner, plan, "2026-01-20")
        assert {k: document[k] for k in ("quarter", "label", "as_of")} == {
            "quarter": "2025-Q3",
            "label": "2025/26 Q3",
            "as_of": "2026-01-20",
        }
        by_code = {p["partner"]: p for p in document["partners"]}
        assert list(by_code) == ["LBB", "Met", "Vol Sector"]
        met = by_code["Met"]
        assert set(met) == {
            "partner",
            "name",
            "email",
            "deadline",
            "days_left",
            "actions",
            "owed",
            "returned",
            "figures_owed",
            "complete",
        }
        assert met["name"] == "Metropolitan Police Service"
        assert met["email"] == "jane@example.org"
        assert met["deadline"] == "2026-01-14"
        assert met["days_left"] == -6
        assert met["actions"] == [2, 3, 4]
        assert met["owed"] == [2, 3, 4]
        assert met["returned"] == {}
        assert met["figures_owed"] == [{"measure": "ARRESTS", "period": "2025/26 Q3"}]
        assert met["complete"] is False
        assert by_code["Vol Sector"]["email"] is None
        assert by_code["Vol Sector"]["figures_owed"] == []

    def test_table_says_overdue(self, runner: CliRunner, plan: Path) -> None:
        result = runner.invoke(
            app, ["returns", "status", "--quarter", QUARTER, "--as-of", "2026-01-20", "--plan", str(plan)]
        )
        assert result.exit_code == 0, result.output
        assert "6 days overdue" in result.stdout
        assert "3 of 3 partners still owe a return" in result.stdout
        assert "contact: DI Jane Smith <jane@example.org>" in result.stdout

    def test_an_update_before_the_quarter_does_not_count(self, runner: CliRunner, plan: Path) -> None:
        # Action 1's update of 20 Aug 2025 is Q2's; Q3 still owes one.
        assert 1 in {p["partner"]: p for p in status_json(runner, plan)["partners"]}["LBB"]["owed"]

    def test_each_lead_of_a_joint_action_returns_for_itself(self, runner: CliRunner, plan: Path) -> None:
        add_update(plan, 3, "2025-11-03", "green", "Pathway agreed by the council", by="LBB")
        by_code = {p["partner"]: p for p in status_json(runner, plan)["partners"]}
        assert 3 not in by_code["LBB"]["owed"]
        assert by_code["LBB"]["returned"] == {"3": {"date": "2025-11-03", "rag": "green"}}
        assert 3 in by_code["Met"]["owed"]

    def test_an_update_by_nobody_does_not_answer_a_joint_action(self, runner: CliRunner, plan: Path) -> None:
        add_update(plan, 3, "2025-11-03", "green", "Pathway agreed")
        by_code = {p["partner"]: p for p in status_json(runner, plan)["partners"]}
        assert 3 in by_code["LBB"]["owed"]
        assert 3 in by_code["Met"]["owed"]

    def test_one_lead_is_enough_when_the_plan_says_so(self, runner: CliRunner, plan: Path) -> None:
        set_plan(plan, returns={"days_after_quarter_end": 14, "joint_actions": "one lead"})
        add_update(plan, 3, "2025-11-03", "green", "Pathway agreed by the council", by="LBB")
        by_code = {p["partner"]: p for p in status_json(runner, plan)["partners"]}
        assert 3 not in by_code["LBB"]["owed"]
        assert 3 not in by_code["Met"]["owed"]

    def test_a_single_lead_action_is_answered_by_any_update(self, runner: CliRunner, plan: Path) -> None:
        add_update(plan, 2, "2025-11-03", "green", "Typed in from an email by the coordinator")
        by_code = {p["partner"]: p for p in status_json(runner, plan)["partners"]}
        assert 2 not in by_code["Met"]["owed"]

    def test_a_complete_partner(self, runner: CliRunner, plan: Path) -> None:
        add_update(plan, 5, "2025-11-03", "amber", "Bid submitted", by="Vol Sector")
        add_update(plan, 4, "2025-11-04", "green", "Second cohort", by="Vol Sector")
        vol = {p["partner"]: p for p in status_json(runner, plan)["partners"]}["Vol Sector"]
        assert vol["owed"] == []
        assert vol["complete"] is True

    def test_an_update_after_as_of_is_not_seen(self, runner: CliRunner, plan: Path) -> None:
        add_update(plan, 2, "2025-12-20", "green", "Campaign evaluated")
        met = {p["partner"]: p for p in status_json(runner, plan, "2025-12-10")["partners"]}["Met"]
        assert 2 in met["owed"]

    def test_a_dated_deadline_overrides_the_count(self, runner: CliRunner, plan: Path) -> None:
        set_plan(plan, returns={"days_after_quarter_end": 14, "deadlines": {"2025/26 Q3": "2026-01-09"}})
        document = status_json(runner, plan, "2026-01-05")
        assert {p["deadline"] for p in document["partners"]} == {"2026-01-09"}
        assert {p["days_left"] for p in document["partners"]} == {4}

    def test_a_deadline_before_the_quarter_ends(self, runner: CliRunner, plan: Path) -> None:
        set_plan(plan, returns={"days_before_quarter_end": 10})
        document = status_json(runner, plan, "2025-12-01")
        assert {p["deadline"] for p in document["partners"]} == {"2025-12-21"}


# --- check ------------------------------------------------------------------------------------------


class TestCheckReturnsSettings:
    @pytest.mark.parametrize(
        ("change", "words"),
        [
            (
                {"partners": {"Met": {"name": "Metropolitan Police Service", "email": "not an address"}}},
                "email",
            ),
            ({"returns": {"days_after_quarter_end": 14, "days_before_quarter_end": 10}}, "not both"),
            ({"returns": {"deadlines": {"Q7 of 2025": "2026-01-09"}}}, "Q7 of 2025"),
            ({"returns": {"send_to": {"name": "Coordinator", "email": "coordinator@"}}}, "email"),
            ({"returns": {"joint_actions": "every other lead"}}, "one lead"),
        ],
        ids=["bad partner email", "both counts", "bad quarter key", "bad send_to email", "bad joint_actions"],
    )
    def test_check_refuses(self, runner: CliRunner, plan: Path, change: dict[str, Any], words: str) -> None:
        set_plan(plan, **change)
        result = runner.invoke(app, ["check", "--plan", str(plan)])
        assert result.exit_code == 1, result.output
        assert "plan.yaml" in result.output
        assert words in result.output

    def test_check_passes_the_fixture(self, runner: CliRunner, plan: Path) -> None:
        result = runner.invoke(app, ["check", "--plan", str(plan)])
        assert result.exit_code == 0, result.output
