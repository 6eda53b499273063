"""`vawg returns read`: forgiving where people are, strict where it matters, all or nothing per file.

Each bad return is told as `file:row:column: error: ...` and nothing from that file is written.
The helpers and the fixture plan (tests/fixtures/returns) are test_returns.py's.
"""

from __future__ import annotations

import csv
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]
from typer.testing import CliRunner, Result

import vawg_cli.cli.options
from test_returns import (
    COLOUR,
    DATE,
    FIGURE,
    FIGURE_NOTE,
    HEADER_ROW,
    IDENTITY,
    LBB_BOOK,
    MET_BOOK,
    NOTE,
    RESTRICTED,
    VOL_BOOK,
    _fixed_today,
    action_file,
    add_update,
    cells,
    fill,
    fill_cell,
    make,
    plan,
    read,
    rows_of,
    set_plan,
    snapshot,
    status_json,
    updates_of,
)
from vawg_cli.cli import app

__all__ = ["_fixed_today", "plan"]  # fixtures, used by name

RAG_WORDING = {
    "red": "Not on track; needs the board's attention",
    "amber": "Some delay or risk, being managed",
    "green": "On track",
    "blue": "Complete",
    "grey": "Not started",
}


@pytest.fixture
def out(runner: CliRunner, plan: Path, tmp_path: Path) -> Path:
    """The fixture plan's blank returns for 2025/26 Q3, made on 5 Jan 2026."""
    folder = tmp_path / "out"
    make(runner, plan, folder)
    return folder


def refused(result: Result, plan_before: dict[str, bytes], plan: Path, where: str, *words: str) -> None:
    """The read failed with `where` (file:row:column, or file:row) and each of `words` in one error line; the plan
    is unchanged."""
    assert result.exit_code == 1, result.output
    pattern = re.compile(re.escape(where) + r"(:\d+)?: error: ")
    lines = [line for line in result.stderr.splitlines() if pattern.search(line)]
    assert lines, f"no error at {where}:\n{result.stderr}"
    assert any(all(word.lower() in line.lower() for word in words) for line in lines), result.stderr
    assert snapshot(plan) == plan_before


def met_row(book: Path, key: str) -> int:
    return rows_of(book)[key]


# --- Forgiving ----------------------------------------------------------------------------------


class TestForgiving:
    @pytest.mark.parametrize(
        ("typed", "expected"),
        [
            (datetime(2025, 12, 31), date(2025, 12, 31)),
            ("31/12/2025", date(2025, 12, 31)),
            ("31 December 2025", date(2025, 12, 31)),
            ("2025-12-31", date(2025, 12, 31)),
            ((date(2025, 12, 31) - date(1899, 12, 30)).days, date(2025, 12, 31)),
            (str((date(2025, 12, 31) - date(1899, 12, 30)).days), date(2025, 12, 31)),
            ("  01/10/2025 ", date(2025, 10, 1)),
        ],
        ids=["datetime cell", "typed day first", "words", "iso", "excel serial", "serial as text", "padded"],
    )
    def test_dates(self, runner: CliRunner, plan: Path, out: Path, typed: object, expected: date) -> None:
        fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran.", DATE: typed}})
        result = read(runner, plan, out / MET_BOOK)
        assert result.exit_code == 0, result.output
        assert updates_of(plan, 2)[-1]["date"] == expected

    def test_a_blank_date_is_the_quarters_last_day(self, runner: CliRunner, plan: Path, out: Path) -> None:
        """As the Instructions sheet says, even when read after the quarter (before or after the deadline)."""
        fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran."}})
        result = read(runner, plan, out / MET_BOOK)
        assert result.exit_code == 0, result.output
        assert updates_of(plan, 2)[-1]["date"] == date(2025, 12, 31)

    def test_a_blank_date_read_during_the_quarter_is_that_day(
        self, runner: CliRunner, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        make(runner, plan, tmp_path / "early", as_of="2025-12-02")
        book = fill(tmp_path / "early" / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran."}})
        monkeypatch.setattr(vawg_cli.cli.options, "today", lambda: date(2025, 12, 10))
        result = read(runner, plan, book)
        assert result.exit_code == 0, result.output
        assert updates_of(plan, 2)[-1]["date"] == date(2025, 12, 10)
        # Read again on a later day, the undated row is recognised, not added a second time.
        after = snapshot(plan)
        monkeypatch.setattr(vawg_cli.cli.options, "today", lambda: date(2026, 1, 3))
        again = read(runner, plan, book)
        assert again.exit_code == 0, again.output
        assert snapshot(plan) == after
        assert "1 row already in the plan" in again.stdout

    def test_a_note_without_a_colour_keeps_the_colour(self, runner: CliRunner, plan: Path, out: Path) -> None:
        fill(out / LBB_BOOK, {"1": {NOTE: "Still consulting.", DATE: "01/12/2025"}})
        result = read(runner, plan, out / LBB_BOOK)
        assert result.exit_code == 0, result.output
        assert updates_of(plan, 1)[-1] == {
            "date": date(2025, 12, 1),
            "rag": "amber",
            "note": "Still consulting.",
            "by": "LBB",
        }

    def test_a_blank_row_is_not_returned(self, runner: CliRunner, plan: Path, out: Path) -> None:
        before = snapshot(plan)
        result = read(runner, plan, out / VOL_BOOK)
        assert result.exit_code == 0, result.output
        assert f"{VOL_BOOK} (Vol Sector, 2025-Q3): left blank (not returned): actions 4, 5" in result.stdout
        assert "returned by nobody" in result.stdout
        assert snapshot(plan) == before

    def test_restricted_yes_is_kept(self, runner: CliRunner, plan: Path, out: Path) -> None:
        fill(out / MET_BOOK, {"2": {COLOUR: "Red", NOTE: "Case detail.", DATE: "01/12/2025", RESTRICTED: "Yes"}})
        result = read(runner, plan, out / MET_BOOK)
        assert result.exit_code == 0, result.output
        assert updates_of(plan, 2)[-1]["restricted"] is True

    def test_a_figure_shown_with_a_thousands_separator(self, runner: CliRunner, plan: Path, out: Path) -> None:
        fill(out / MET_BOOK, {"ARRESTS": {FIGURE: "1,234"}})
        result = read(runner, plan, out / MET_BOOK)
        assert result.exit_code == 0, result.output
        data = yaml.safe_load((plan / "measures" / "ARRESTS.yaml").read_text(encoding="utf-8"))
        assert data["values"][-1]["value"] == 1234

    def test_one_files_problem_leaves_the_others_written(self, runner: CliRunner, plan: Path, out: Path) -> None:
        fill(out / LBB_BOOK, {"1": {COLOUR: "Green", NOTE: "Done the consultation.", DATE: "01/12/2025"}})
        fill(out / MET_BOOK, {"2": {COLOUR: "Purple", NOTE: "Campaign ran.", DATE: "01/12/2025"}})
        result = read(runner, plan, out / LBB_BOOK, out / MET_BOOK)
        assert result.exit_code == 1
        assert updates_of(plan, 1)[-1]["note"] == "Done the consultation."
        assert updates_of(plan, 2) == []
        assert f"{MET_BOOK}: 1 problem, so nothing from it was added" in result.stdout


# --- Strict: each bad return is an error with its place, and writes nothing -----------------------


class TestStrict:
    def test_a_colour_not_of_the_five(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Purple", NOTE: "Campaign ran.", DATE: "01/12/2025"}})
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:{met_row(book, '2')}:{COLOUR}", "purple", "colour")

    def test_a_date_that_is_not_a_date(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran.", DATE: "next Tuesday"}})
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:{met_row(book, '2')}:{DATE}", "31/12/2025")

    def test_a_date_in_the_future(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran.", DATE: "12/01/2026"}})
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:{met_row(book, '2')}", "future")

    @pytest.mark.parametrize("typed", ["30/09/2025", "15/01/2026"], ids=["before the quarter", "after the deadline"])
    def test_a_date_outside_the_window(
        self, runner: CliRunner, plan: Path, out: Path, monkeypatch: pytest.MonkeyPatch, typed: str
    ) -> None:
        monkeypatch.setattr(vawg_cli.cli.options, "today", lambda: date(2026, 2, 1))
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran.", DATE: typed}})
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:{met_row(book, '2')}", "outside", "2026-01-14")

    def test_a_colour_without_a_note(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green"}})
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:{met_row(book, '2')}:{NOTE}", "progress note")

    def test_restricted_neither_yes_nor_no(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Ran.", RESTRICTED: "Maybe"}})
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:{met_row(book, '2')}:{RESTRICTED}", "yes or no")

    def test_a_figure_that_is_not_a_number(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"ARRESTS": {FIGURE: "about 30"}})
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:{met_row(book, 'ARRESTS')}:{FIGURE}", "number")

    def test_a_note_on_a_figure_without_the_figure(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"ARRESTS": {FIGURE_NOTE: "Figures late"}})
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:{met_row(book, 'ARRESTS')}", "no figure")

    def test_an_action_the_partner_no_longer_leads(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran.", DATE: "01/12/2025"}})
        path = action_file(plan, 2)
        path.write_text(path.read_text(encoding="utf-8").replace("leads: [Met]", "leads: [LBB]"), encoding="utf-8")
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:{met_row(book, '2')}", "does not lead action 2")

    def test_a_row_copied_from_another_partners_return(self, runner: CliRunner, plan: Path, out: Path) -> None:
        """LBB's row for action 1 pasted over Met's row for action 2: its identity is LBB's return's."""
        lbb = cells(out / LBB_BOOK)[met_row(out / LBB_BOOK, "1") - 1]
        row = met_row(out / MET_BOOK, "2")
        book = load_workbook(out / MET_BOOK)
        for column, value in enumerate(lbb, 1):
            book["Return"].cell(row, column).value = value
        book["Return"].cell(row, COLOUR).value = "Green"
        book["Return"].cell(row, NOTE).value = "Strategy done."
        book.save(out / MET_BOOK)
        before = snapshot(plan)
        refused(read(runner, plan, out / MET_BOOK), before, plan, f"{MET_BOOK}:{row}:{IDENTITY}", "identity")

    def test_a_hand_edited_identity(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran.", DATE: "01/12/2025"}})
        row = met_row(book, "2")
        identity = str(cells(book)[row - 1][IDENTITY - 1])
        fill_cell(book, row, IDENTITY, identity.replace("action=2;", "action=3;"))
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:{row}:{IDENTITY}", "identity was changed")

    def test_a_changed_ref_cell(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran.", DATE: "01/12/2025"}})
        row = met_row(book, "2")
        fill_cell(book, row, 1, "5")
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:{row}", "Ref column says", "action 2")

    def test_an_action_id_changed_in_the_plan(self, runner: CliRunner, plan: Path, out: Path) -> None:
        """The action's reference changed by hand after the return was made: the row no longer matches."""
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran.", DATE: "01/12/2025"}})
        path = action_file(plan, 2)
        path.write_text(path.read_text(encoding="utf-8").replace("id: 2\n", "id: 2\nref: 2a\n"), encoding="utf-8")
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:{met_row(book, '2')}", "Ref column says")

    def test_a_row_added_by_hand(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran.", DATE: "01/12/2025"}})
        blank = met_row(book, "4") + 1  # the blank row between the actions and the figures
        assert all(cell is None for cell in cells(book)[blank - 1])
        fill_cell(book, blank, NOTE, "Another thing we did")
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:{blank}:{COLOUR}", "added by hand")

    def test_a_return_for_another_plan(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran.", DATE: "01/12/2025"}})
        set_plan(plan, title="Another Borough VAWG Action Plan")
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:1", "made for the plan")

    def test_a_return_for_a_plan_started_on_another_day(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran.", DATE: "01/12/2025"}})
        set_plan(plan, start=date(2024, 5, 1))
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:1", "made for the plan")

    def test_another_quarter_than_asked(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran.", DATE: "01/12/2025"}})
        before = snapshot(plan)
        result = runner.invoke(app, ["returns", "read", str(book), "--quarter", "2025-Q2", "--plan", str(plan)])
        refused(result, before, plan, f"{MET_BOOK}:1", "2025/26 Q3", "not 2025/26 Q2")

    def test_the_quarter_asked_for_is_read(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran.", DATE: "01/12/2025"}})
        result = runner.invoke(app, ["returns", "read", str(book), "--quarter", "Q3 2025/26", "--plan", str(plan)])
        assert result.exit_code == 0, result.output

    def test_a_changed_header_identity(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran.", DATE: "01/12/2025"}})
        header = str(cells(book)[HEADER_ROW - 1][IDENTITY - 1])
        fill_cell(book, HEADER_ROW, IDENTITY, header.replace("partner=Met", "partner=LBB"))
        before = snapshot(plan)
        result = read(runner, plan, book)
        assert result.exit_code == 1
        assert f"{MET_BOOK}:{HEADER_ROW}: " in result.stderr
        assert "identity was changed" in result.stderr
        assert snapshot(plan) == before

    def test_a_workbook_that_is_not_a_return(self, runner: CliRunner, plan: Path, tmp_path: Path) -> None:
        from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

        path = tmp_path / "other.xlsx"
        book = Workbook()
        book.active["A1"] = "Ref"
        book.save(path)
        before = snapshot(plan)
        result = read(runner, plan, path)
        assert result.exit_code == 1
        assert "not a return made by vawg returns make" in result.stderr
        assert snapshot(plan) == before

    def test_a_figure_that_differs_from_the_plans(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"ARRESTS": {FIGURE: 30}})
        path = plan / "measures" / "ARRESTS.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "  - period: 2025/26 Q3\n    value: 29\n", encoding="utf-8")
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:{met_row(book, 'ARRESTS')}", "already has 29")

    def test_every_problem_of_a_file_is_told(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(
            out / MET_BOOK,
            {
                "2": {COLOUR: "Purple", NOTE: "Campaign ran.", DATE: "01/12/2025"},
                "3": {COLOUR: "Green", NOTE: "Pathway live.", DATE: "32/12/2025"},
                "4": {COLOUR: "Green", NOTE: "Cohort two.", DATE: "01/12/2025"},
            },
        )
        before = snapshot(plan)
        result = read(runner, plan, book)
        refused(result, before, plan, f"{MET_BOOK}:{met_row(book, '2')}:{COLOUR}", "purple")
        refused(result, before, plan, f"{MET_BOOK}:{met_row(book, '3')}:{DATE}", "31/12/2025")
        assert f"{MET_BOOK}: 2 problems, so nothing from it was added" in result.stdout


# --- Stale returns ---------------------------------------------------------------------------------


class TestStale:
    def test_a_later_update_makes_the_return_stale(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Amber", NOTE: "Campaign ran late.", DATE: "01/12/2025"}})
        add_update(plan, 2, "2025-12-20", "green", "Campaign evaluated", by="Met")
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:{met_row(book, '2')}", "stale", "--accept-stale")

    def test_accept_stale_adds_it_in_date_order(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Amber", NOTE: "Campaign ran late.", DATE: "01/12/2025"}})
        add_update(plan, 2, "2025-12-20", "green", "Campaign evaluated", by="Met")
        result = runner.invoke(app, ["returns", "read", str(book), "--accept-stale", "--plan", str(plan)])
        assert result.exit_code == 0, result.output
        assert [(u["date"], u["note"]) for u in updates_of(plan, 2)] == [
            (date(2025, 12, 1), "Campaign ran late."),
            (date(2025, 12, 20), "Campaign evaluated"),
        ]
        check = runner.invoke(app, ["check", "--plan", str(plan)])
        assert check.exit_code == 0, check.output

    def test_accept_stale_with_a_quoted_date_in_the_file(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Amber", NOTE: "Campaign ran late.", DATE: "01/12/2025"}})
        path = action_file(plan, 2)
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "updates: []\n", "updates:\n  - date: '2025-12-20'\n    rag: green\n    note: Campaign evaluated\n"
            ),
            encoding="utf-8",
        )
        assert runner.invoke(app, ["check", "--plan", str(plan)]).exit_code == 0
        result = runner.invoke(app, ["returns", "read", str(book), "--accept-stale", "--plan", str(plan)])
        assert result.exit_code == 0, result.output
        assert [u["note"] for u in updates_of(plan, 2)] == ["Campaign ran late.", "Campaign evaluated"]

    def test_another_leads_update_of_a_joint_action_is_not_stale(
        self, runner: CliRunner, plan: Path, out: Path
    ) -> None:
        book = fill(out / MET_BOOK, {"4": {COLOUR: "Green", NOTE: "Cohort two started.", DATE: "01/12/2025"}})
        add_update(plan, 4, "2025-12-20", "amber", "Venue lost", by="Vol Sector")
        result = read(runner, plan, book)
        assert result.exit_code == 0, result.output
        assert [u["note"] for u in updates_of(plan, 4)][-2:] == ["Cohort two started.", "Venue lost"]

    def test_an_update_the_return_saw_is_not_stale(self, runner: CliRunner, plan: Path, out: Path) -> None:
        """Action 1 had its Q2 update when the return was made: answering it is not stale."""
        book = fill(out / LBB_BOOK, {"1": {COLOUR: "Green", NOTE: "Consulted.", DATE: "01/12/2025"}})
        result = read(runner, plan, book)
        assert result.exit_code == 0, result.output


class TestJointActions:
    def test_both_leads_return_for_a_joint_action_in_one_run(self, runner: CliRunner, plan: Path, out: Path) -> None:
        lbb = fill(out / LBB_BOOK, {"3": {COLOUR: "Green", NOTE: "Pathway live in the council.", DATE: "01/12/2025"}})
        met = fill(out / MET_BOOK, {"3": {COLOUR: "Amber", NOTE: "Police training late.", DATE: "02/12/2025"}})
        result = read(runner, plan, lbb, met)
        assert result.exit_code == 0, result.output
        assert [(u["note"], u.get("by")) for u in updates_of(plan, 3)] == [
            ("Pathway drafted", None),
            ("Pathway live in the council.", "LBB"),
            ("Police training late.", "Met"),
        ]
        by_code = {p["partner"]: p for p in status_json(runner, plan)["partners"]}
        assert 3 not in by_code["LBB"]["owed"]
        assert 3 not in by_code["Met"]["owed"]
        assert by_code["Met"]["returned"]["3"] == {"date": "2025-12-02", "rag": "amber"}

    def test_a_second_different_answer_from_the_same_partner_is_stale(
        self, runner: CliRunner, plan: Path, out: Path, tmp_path: Path
    ) -> None:
        first = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Ran.", DATE: "01/12/2025"}})
        second = fill(
            out / MET_BOOK, {"2": {COLOUR: "Red", NOTE: "Cancelled.", DATE: "02/12/2025"}}, save_as=tmp_path / "b.xlsx"
        )
        result = read(runner, plan, first, second)
        assert result.exit_code == 1
        assert "b.xlsx" in result.stderr and "stale" in result.stderr
        assert [u["note"] for u in updates_of(plan, 2)] == ["Ran."]


class TestFigures:
    def test_a_figure_for_a_period_not_yet_ended(
        self, runner: CliRunner, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        make(runner, plan, tmp_path / "early", as_of="2025-12-02")
        book = fill(tmp_path / "early" / MET_BOOK, {"ARRESTS": {FIGURE: 12}})
        monkeypatch.setattr(vawg_cli.cli.options, "today", lambda: date(2025, 12, 10))
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:{met_row(book, 'ARRESTS')}", "not ended yet")

    def test_a_blank_figure_is_told(self, runner: CliRunner, plan: Path, out: Path) -> None:
        fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Ran.", DATE: "01/12/2025"}})
        result = read(runner, plan, out / MET_BOOK)
        assert result.exit_code == 0, result.output
        assert "1 figure left blank" in result.stdout


class TestChase:
    def test_chase_lists_only_what_is_owed(self, runner: CliRunner, plan: Path, out: Path, tmp_path: Path) -> None:
        fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Ran.", DATE: "01/12/2025"}, "ARRESTS": {FIGURE: 30}})
        fill(
            out / LBB_BOOK,
            {
                "1": {COLOUR: "Green", NOTE: "Done.", DATE: "01/12/2025"},
                "3": {COLOUR: "Green", NOTE: "Live.", DATE: "01/12/2025"},
                "ADVICE": {FIGURE: 150},
            },
        )
        assert read(runner, plan, out / MET_BOOK, out / LBB_BOOK).exit_code == 0
        chase = tmp_path / "chase"
        make(runner, plan, chase, "--chase", as_of="2026-01-10")
        assert sorted(p.name for p in chase.glob("*.xlsx")) == [MET_BOOK, VOL_BOOK]
        assert set(rows_of(chase / MET_BOOK)) == {"3", "4"}
        assert set(rows_of(chase / VOL_BOOK)) == {"4", "5"}
        assert (chase / MET_BOOK.replace(".xlsx", ".eml")).exists()


# --- Idempotence, dry run, CSV ------------------------------------------------------------------


class TestAgainAndDryRun:
    def test_reading_twice_adds_nothing(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Ran.", DATE: "01/12/2025"}, "ARRESTS": {FIGURE: 30}})
        first = read(runner, plan, book)
        assert first.exit_code == 0, first.output
        after = snapshot(plan)
        second = read(runner, plan, book)
        assert second.exit_code == 0, second.output
        assert snapshot(plan) == after
        assert "2 rows already in the plan" in second.stdout

    def test_reading_twice_in_one_run_adds_once(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Ran.", DATE: "01/12/2025"}})
        copy = shutil.copy(book, out / "copy.xlsx")
        result = read(runner, plan, book, copy)
        assert result.exit_code == 0, result.output
        assert len(updates_of(plan, 2)) == 1

    def test_a_restricted_update_marked_since_is_still_the_same(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Ran.", DATE: "01/12/2025"}})
        assert read(runner, plan, book).exit_code == 0
        path = action_file(plan, 2)
        path.write_text(path.read_text(encoding="utf-8") + "    restricted: true\n", encoding="utf-8")
        after = snapshot(plan)
        again = read(runner, plan, book)
        assert again.exit_code == 0, again.output
        assert snapshot(plan) == after

    def test_dry_run_writes_nothing_and_prints_a_diff(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(
            out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran.", DATE: "01/12/2025"}, "ARRESTS": {FIGURE: 30}}
        )
        before = snapshot(plan)
        result = runner.invoke(app, ["returns", "read", str(book), "--dry-run", "--plan", str(plan)])
        assert result.exit_code == 0, result.output
        assert snapshot(plan) == before
        assert "--- a/plan/actions/02-awareness.yaml" in result.stdout
        assert "+++ b/plan/actions/02-awareness.yaml" in result.stdout
        assert "+    note: Campaign ran." in result.stdout
        assert "+  - period: 2025/26 Q3" in result.stdout
        assert "would add 1 update (actions 2)" in result.stderr
        assert "dry run: nothing was written" in result.stderr

    def test_dry_run_of_a_bad_return_prints_its_errors(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Purple", NOTE: "Campaign ran.", DATE: "01/12/2025"}})
        before = snapshot(plan)
        result = runner.invoke(app, ["returns", "read", str(book), "--dry-run", "--plan", str(plan)])
        refused(result, before, plan, f"{MET_BOOK}:{met_row(book, '2')}:{COLOUR}", "purple")
        assert "+++" not in result.stdout


def as_csv(book: Path, path: Path, *, delimiter: str = ",", sep_line: bool = False, bom: bool = False) -> Path:
    """The Return sheet saved as CSV, as Excel would: dates as shown (dd/mm/yyyy)."""
    rows = []
    for row in cells(book):
        rows.append(["" if v is None else v.strftime("%d/%m/%Y") if isinstance(v, datetime) else str(v) for v in row])
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        if sep_line:
            handle.write(f"sep={delimiter}\r\n")
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


class TestCsv:
    @pytest.mark.parametrize(
        ("delimiter", "sep_line", "bom"),
        [(",", False, False), (";", False, False), (";", True, False), (",", False, True), ("\t", False, False)],
        ids=["comma", "semicolon", "sep line", "utf-8 bom", "tab"],
    )
    def test_a_csv_reads_as_its_workbook(
        self, runner: CliRunner, plan: Path, out: Path, tmp_path: Path, delimiter: str, sep_line: bool, bom: bool
    ) -> None:
        answers: dict[str, dict[int, object]] = {
            "2": {
                COLOUR: "Amber: Some delay, or risk",
                NOTE: "Campaign ran; a week late, sadly.",
                DATE: datetime(2025, 12, 1),
            },
            "4": {NOTE: "Cohort two.", DATE: "02/12/2025", RESTRICTED: "Yes"},
            "ARRESTS": {FIGURE: 30, FIGURE_NOTE: "Provisional"},
        }
        book = fill(out / MET_BOOK, answers)
        other = shutil.copytree(plan, tmp_path / "other")
        from_book = read(runner, other, book)
        assert from_book.exit_code == 0, from_book.output
        path = as_csv(book, tmp_path / "return.csv", delimiter=delimiter, sep_line=sep_line, bom=bom)
        from_csv = read(runner, plan, path)
        assert from_csv.exit_code == 0, from_csv.output
        assert snapshot(plan) == snapshot(other)
        assert "return.csv (Met, 2025-Q3): added 2 updates (actions 2, 4); recorded 1 figure" in from_csv.stdout

    def test_a_csv_row_copied_from_another_return(
        self, runner: CliRunner, plan: Path, out: Path, tmp_path: Path
    ) -> None:
        met = as_csv(
            fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Ran.", DATE: "01/12/2025"}}), tmp_path / "met.csv"
        )
        lbb = as_csv(
            fill(out / LBB_BOOK, {"1": {COLOUR: "Green", NOTE: "Done.", DATE: "01/12/2025"}}), tmp_path / "l.csv"
        )
        lbb_lines = lbb.read_text(encoding="utf-8").splitlines(keepends=True)
        met_lines = met.read_text(encoding="utf-8").splitlines(keepends=True)
        copied = next(line for line in lbb_lines if "action=1;" in line)
        row = len(met_lines) + 1
        met.write_text("".join([*met_lines, copied]), encoding="utf-8")
        before = snapshot(plan)
        refused(read(runner, plan, met), before, plan, f"met.csv:{row}:{IDENTITY}", "identity")

    def test_a_csv_row_for_an_action_of_another_partner(
        self, runner: CliRunner, plan: Path, out: Path, tmp_path: Path
    ) -> None:
        """Met's CSV with its row for action 2 rewritten by hand to be action 1 (LBB's)."""
        met = as_csv(
            fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Ran.", DATE: "01/12/2025"}}), tmp_path / "m.csv"
        )
        text = re.sub(r"\n2,", "\n1,", met.read_text(encoding="utf-8").replace("action=2;", "action=1;"))
        met.write_text(text, encoding="utf-8")
        before = snapshot(plan)
        result = read(runner, plan, met)
        assert result.exit_code == 1
        assert re.search(r"m\.csv:\d+:\d+: error: ", result.stderr), result.stderr
        assert snapshot(plan) == before


# --- Personal data ---------------------------------------------------------------------------------

PERSONAL = "Referred to Jo at jo.bloggs@example.org, phone 020 7946 0958."


class TestPersonalData:
    def test_restrict_personal_marks_the_note_restricted(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: PERSONAL, DATE: "01/12/2025"}})
        result = runner.invoke(app, ["returns", "read", str(book), "--restrict-personal", "--plan", str(plan)])
        assert result.exit_code == 0, result.output
        assert updates_of(plan, 2)[-1]["restricted"] is True
        assert "personal data" not in result.stderr

    @pytest.mark.parametrize("note", ["Ring 07700 900123 to book.", "Contact j.smith@example.org for places."])
    def test_each_kind_is_restricted(self, runner: CliRunner, plan: Path, out: Path, note: str) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: note, DATE: "01/12/2025"}})
        result = runner.invoke(app, ["returns", "read", str(book), "--restrict-personal", "--plan", str(plan)])
        assert result.exit_code == 0, result.output
        assert updates_of(plan, 2)[-1]["restricted"] is True

    def test_a_plain_note_is_not_restricted(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Campaign ran.", DATE: "01/12/2025"}})
        result = runner.invoke(app, ["returns", "read", str(book), "--restrict-personal", "--plan", str(plan)])
        assert result.exit_code == 0, result.output
        assert "restricted" not in updates_of(plan, 2)[-1]

    def test_without_it_a_warning_like_checks(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: PERSONAL, DATE: "01/12/2025"}})
        result = read(runner, plan, book)
        assert result.exit_code == 0, result.output
        assert "restricted" not in updates_of(plan, 2)[-1]
        warning = [line for line in result.stderr.splitlines() if ": warning: " in line]
        assert warning, result.stderr
        assert "02-awareness.yaml" in warning[0]
        assert "personal data" in warning[0]
        check = runner.invoke(app, ["check", "--plan", str(plan)])
        checked = [line for line in check.output.splitlines() if ": warning: " in line]
        assert [line.split(": warning: ")[1] for line in checked] == [line.split(": warning: ")[1] for line in warning]


# --- Colour spellings ---------------------------------------------------------------------------

WORDS = {
    "red": ["red", "r"],
    "amber": ["amber", "a"],
    "green": ["green", "g"],
    "blue": ["blue", "b", "complete"],
    "grey": ["grey", "gray", "not started"],
}


@st.composite
def spellings(draw: st.DrawFn) -> tuple[str, str]:
    """(the colour meant, as a partner might write it)."""
    rag = draw(st.sampled_from(sorted(WORDS)))
    dropdown = f"{rag.capitalize()}: {RAG_WORDING[rag]}"
    word = draw(st.sampled_from([*WORDS[rag], dropdown]))
    cased = "".join(ch.upper() if draw(st.booleans()) else ch.lower() for ch in word)
    pad = st.sampled_from(["", " ", "  ", "\t", " \n"])
    return rag, draw(pad) + cased + draw(pad)


class TestColourSpellings:
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(spelling=spellings())
    def test_the_colour_meant_is_read(
        self, runner: CliRunner, plan: Path, out: Path, tmp_path: Path, spelling: tuple[str, str]
    ) -> None:
        rag, written = spelling
        book = fill(
            out / MET_BOOK,
            {"2": {COLOUR: written, NOTE: "Campaign ran.", DATE: "01/12/2025"}},
            save_as=tmp_path / "x.xlsx",
        )
        result = runner.invoke(app, ["returns", "read", str(book), "--dry-run", "--plan", str(plan)])
        assert result.exit_code == 0, (written, result.output)
        assert f"+    rag: {rag}\n" in result.stdout, (written, result.stdout)

    @pytest.mark.parametrize("written", ["Purple", "Ambre", "RAG", "Green/Amber", "5"])
    def test_not_a_colour(self, runner: CliRunner, plan: Path, out: Path, written: str) -> None:
        book = fill(out / MET_BOOK, {"2": {COLOUR: written, NOTE: "Campaign ran.", DATE: "01/12/2025"}})
        before = snapshot(plan)
        refused(read(runner, plan, book), before, plan, f"{MET_BOOK}:{met_row(book, '2')}:{COLOUR}", "not a colour")
