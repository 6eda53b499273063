"""An update's `next_steps` (what is being done) and `board_ask` (what the board is asked to do).

Set with `vawg update --next-steps/--board-ask`, asked for and read back by the quarterly
returns, and asked for by `vawg check` when an action's latest update is red.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]
from typer.testing import CliRunner, Result

import vawg_cli.cli.options
import vawg_cli.edit.writes
from conftest import BUNDLED_PLAN, copy_plan
from test_returns import (
    BOARD_ASK,
    COLOUR,
    DATE,
    HEADER_ROW,
    IDENTITY,
    MET_BOOK,
    NEXT_STEPS,
    NOTE,
    RESTRICTED,
    _fixed_today,
    action_file,
    fill,
    make,
    plan,
    read,
    rows_of,
    snapshot,
    updates_of,
)
from vawg_cli.cli import app
from vawg_cli.interchange.returns.identity import ReturnHeader, RowIdentity
from vawg_cli.interchange.returns.layout import NOTE_WIDTH

__all__ = ["_fixed_today", "plan"]  # fixtures, used by name

UPDATED = date(2025, 9, 15)
ACTION_5 = "actions/05-professionals-training.yaml"
HEAD_5 = "id: 5\ntitle: Training\nleads: [LBB]\ntarget: Apr-26\n"


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled plan, written to on 15 Sep 2025."""
    monkeypatch.setattr(vawg_cli.cli.options, "today", lambda: UPDATED)
    return copy_plan(BUNDLED_PLAN, tmp_path / "bundled")


def update(runner: CliRunner, folder: Path, *args: str) -> Result:
    return runner.invoke(app, ["update", "5", "--date", "2025-09-01", *args, "--plan", str(folder)])


def check(runner: CliRunner, folder: Path) -> Result:
    return runner.invoke(app, ["check", "--as-of", "2025-09-15", "--plan", str(folder)])


# --- vawg update ----------------------------------------------------------------------------------


class TestUpdate:
    def test_both_fields_are_written_after_by_and_restricted_keeping_every_other_byte(
        self, runner: CliRunner, bundled: Path
    ) -> None:
        path = bundled / ACTION_5
        before = path.read_text(encoding="utf-8")
        assert before.endswith("updates: []\n")
        result = update(
            runner,
            bundled,
            "--rag", "red",
            "--note", "Trainer left",
            "--by", "LBB",
            "--restricted",
            "--next-steps", "Recruiting: interviews on 20 September",
            "--board-ask", "Agree a six-month delay",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert path.read_text(encoding="utf-8") == before.removesuffix("updates: []\n") + (
            "updates:\n"
            "  - date: 2025-09-01\n"
            "    rag: red\n"
            "    note: Trainer left\n"
            "    by: LBB\n"
            "    restricted: true\n"
            '    next_steps: "Recruiting: interviews on 20 September"\n'
            "    board_ask: Agree a six-month delay\n"
        )
        (written,) = yaml.safe_load(path.read_text(encoding="utf-8"))["updates"]
        assert written["next_steps"] == "Recruiting: interviews on 20 September"
        assert written["board_ask"] == "Agree a six-month delay"
        assert "warning" not in result.output
        assert check(runner, bundled).stdout.endswith("no problems\n")

    def test_text_that_needs_quotes_reads_back_exactly(self, runner: CliRunner, bundled: Path) -> None:
        steps = 'Ask "MASH" # again: 50% by Q3 - ok? \u2013 yes'
        ask = "- [a list?] {no}: just words"
        result = update(runner, bundled, "--rag", "amber", "--note", "n", "--next-steps", steps, "--board-ask", ask)
        assert result.exit_code == 0, result.output
        (written,) = yaml.safe_load((bundled / ACTION_5).read_text(encoding="utf-8"))["updates"]
        assert (written["next_steps"], written["board_ask"]) == (steps, ask)

    def test_blank_options_write_nothing(self, runner: CliRunner, bundled: Path) -> None:
        result = update(runner, bundled, "--rag", "amber", "--note", "n", "--next-steps", "  ", "--board-ask", "")
        assert result.exit_code == 0, result.output
        (written,) = yaml.safe_load((bundled / ACTION_5).read_text(encoding="utf-8"))["updates"]
        assert set(written) == {"date", "rag", "note"}

    def test_a_red_update_with_neither_is_written_with_the_warning(self, runner: CliRunner, bundled: Path) -> None:
        result = update(runner, bundled, "--rag", "red", "--note", "Trainer left")
        assert result.exit_code == 0, result.output
        assert "warning: update 1 (2025-09-01), the latest, is red but says neither" in result.output

    def test_the_read_back_proof_covers_both_fields(
        self, runner: CliRunner, bundled: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A splice that lost the board ask would not read back as the update asked for: refused."""
        fields = vawg_cli.edit.writes._update_fields
        monkeypatch.setattr(
            vawg_cli.edit.writes, "_update_fields", lambda u: [(k, v) for k, v in fields(u) if k != "board_ask"]
        )
        before = snapshot(bundled)
        result = update(runner, bundled, "--rag", "red", "--note", "n", "--next-steps", "s", "--board-ask", "a")
        assert result.exit_code == 1
        assert "the change could not be made without altering other parts of the file" in result.output
        assert snapshot(bundled) == before


# --- vawg check -------------------------------------------------------------------------------------


def write_updates(folder: Path, *updates: str, tail: str = "") -> None:
    (folder / ACTION_5).write_text(HEAD_5 + "updates:\n" + "".join(updates) + tail, encoding="utf-8")


RED = "  - date: 2025-08-01\n    rag: red\n    note: Trainer left\n"
AMBER = "  - date: 2025-09-01\n    rag: amber\n    note: New trainer found\n"


class TestCheck:
    def test_a_red_latest_update_with_neither_is_a_warning_at_that_update(
        self, runner: CliRunner, bundled: Path
    ) -> None:
        write_updates(bundled, AMBER.replace("2025-09-01", "2025-07-01"), RED)
        result = check(runner, bundled)
        assert result.exit_code == 0, result.output  # a warning, not an error
        assert result.stdout.splitlines() == [
            f"{bundled / ACTION_5}:9:5: warning: update 2 (2025-08-01), the latest, is red "
            "but says neither what is being done (next_steps) nor what the board is asked to do (board_ask); "
            "add one to it so that the board paper can say it",
            "checked 16 files: 0 errors, 1 warning",
        ]

    @pytest.mark.parametrize("given", ["    next_steps: Recruiting\n", "    board_ask: Agree a delay\n"])
    def test_either_field_is_enough(self, runner: CliRunner, bundled: Path, given: str) -> None:
        write_updates(bundled, RED + given)
        assert check(runner, bundled).stdout.endswith("no problems\n")

    def test_an_older_red_update_is_history(self, runner: CliRunner, bundled: Path) -> None:
        write_updates(bundled, RED, AMBER)
        assert check(runner, bundled).stdout.endswith("no problems\n")

    @pytest.mark.parametrize("state", ["on hold", "withdrawn"])
    def test_an_action_on_hold_or_withdrawn_is_not_flagged(self, runner: CliRunner, bundled: Path, state: str) -> None:
        write_updates(bundled, RED, tail=f"lifecycle:\n  - date: 2025-08-02\n    state: {state}\n    reason: Paused\n")
        assert check(runner, bundled).stdout.endswith("no problems\n")

    def test_personal_data_in_the_new_fields_is_a_warning_unless_restricted(
        self, runner: CliRunner, bundled: Path
    ) -> None:
        write_updates(bundled, RED + "    next_steps: Call jane.doe@example.org\n")
        result = check(runner, bundled)
        assert (
            "05-professionals-training.yaml:9:17: warning: update 1: its next_steps looks like it holds an email"
            in (result.stdout)
        )
        write_updates(bundled, RED + "    next_steps: Call jane.doe@example.org\n    restricted: true\n")
        assert check(runner, bundled).stdout.endswith("no problems\n")


# --- vawg returns make and read -------------------------------------------------------------------


@pytest.fixture
def out(runner: CliRunner, plan: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    make(runner, plan, folder)
    return folder


ANSWERS: dict[int, object] = {
    COLOUR: "Red",
    NOTE: "Campaign postponed: no venue.",
    NEXT_STEPS: "Two venues asked;\nreply due 20 January",
    BOARD_ASK: "Agree to fund a venue",
    DATE: "01/12/2025",
    RESTRICTED: "No",
}


class TestReturns:
    def test_the_workbook_asks_for_both_in_yellow_unlocked_wrapped_cells(self, out: Path) -> None:
        book = load_workbook(out / MET_BOOK)
        sheet, instructions = book["Return"], book["Instructions"]
        row = rows_of(out / MET_BOOK)["2"]
        assert sheet.cell(HEADER_ROW, NEXT_STEPS).value == "What is being done"
        assert sheet.cell(HEADER_ROW, BOARD_ASK).value == "What the board is asked to do (leave blank if nothing)"
        for column in (NOTE, NEXT_STEPS, BOARD_ASK):
            cell = sheet.cell(row, column)
            assert cell.protection.locked is False
            assert cell.fill.fgColor.rgb.endswith("FFF2CC")
            assert cell.alignment.wrap_text
            assert sheet.column_dimensions[cell.column_letter].width == NOTE_WIDTH
        assert sheet.column_dimensions["L"].hidden
        assert sheet.protection.sheet
        text = " ".join(str(c) for r in instructions.iter_rows(values_only=True) for c in r if c)
        assert "What is being done" in text and "What the board is asked to do" in text
        assert "most needed when the colour is Red" in text

    def test_read_puts_them_into_the_update_and_twice_changes_nothing(
        self, runner: CliRunner, plan: Path, out: Path
    ) -> None:
        book = fill(out / MET_BOOK, {"2": ANSWERS})
        first = read(runner, plan, book)
        assert first.exit_code == 0, first.output
        (added,) = updates_of(plan, 2)
        assert added["next_steps"] == "Two venues asked;\nreply due 20 January"
        assert added["board_ask"] == "Agree to fund a venue"
        assert (
            action_file(plan, 2)
            .read_text(encoding="utf-8")
            .endswith(
                '    by: Met\n    next_steps: "Two venues asked;\\nreply due 20 January"\n'
                "    board_ask: Agree to fund a venue\n"
            )
        )
        after = snapshot(plan)
        again = read(runner, plan, book)
        assert again.exit_code == 0, again.output
        assert snapshot(plan) == after
        assert "warning" not in again.output

    def test_read_from_csv_too(self, runner: CliRunner, plan: Path, out: Path, tmp_path: Path) -> None:
        from test_returns_read import as_csv

        book = fill(out / MET_BOOK, {"2": {**ANSWERS, BOARD_ASK: None}})
        result = read(runner, plan, as_csv(book, tmp_path / "met.csv"))
        assert result.exit_code == 0, result.output
        (added,) = updates_of(plan, 2)
        assert added["next_steps"] == "Two venues asked;\nreply due 20 January"
        assert "board_ask" not in added

    def test_next_steps_without_a_note_is_refused(self, runner: CliRunner, plan: Path, out: Path) -> None:
        before = snapshot(plan)
        book = fill(out / MET_BOOK, {"2": {NEXT_STEPS: "Venues asked"}})
        result = read(runner, plan, book)
        assert result.exit_code == 1
        assert f":{rows_of(book)['2']}:{NOTE}: error: next steps or a board ask without a progress note" in (
            result.output
        )
        assert snapshot(plan) == before

    def test_a_row_read_before_without_them_gets_a_warning_not_a_change(
        self, runner: CliRunner, plan: Path, out: Path, tmp_path: Path
    ) -> None:
        plain = fill(out / MET_BOOK, {"2": {**ANSWERS, NEXT_STEPS: None, BOARD_ASK: None}}, save_as=tmp_path / "a.xlsx")
        assert read(runner, plan, plain).exit_code == 0
        after = snapshot(plan)
        result = read(runner, plan, fill(out / MET_BOOK, {"2": ANSWERS}))
        assert result.exit_code == 0, result.output
        assert snapshot(plan) == after
        assert "this row says what is being done (next_steps), but the update of 2025-12-01" in result.output

    def test_a_workbook_made_before_the_columns_were_added_still_reads(
        self, runner: CliRunner, plan: Path, out: Path, tmp_path: Path
    ) -> None:
        old = as_version_1(out / MET_BOOK, tmp_path / "old.xlsx")
        old_row = rows_of_old(old)["2"]
        book = load_workbook(old)
        sheet = book["Return"]
        for column, value in ((6, "Amber"), (7, "Venue found."), (8, "01/12/2025"), (9, "Yes")):
            sheet.cell(old_row, column).value = value
        book.save(old)
        result = read(runner, plan, old)
        assert result.exit_code == 0, result.output
        assert updates_of(plan, 2) == [
            {"date": date(2025, 12, 1), "rag": "amber", "note": "Venue found.", "by": "Met", "restricted": True}
        ]

    def test_a_workbook_with_columns_removed_by_hand_is_refused(self, runner: CliRunner, plan: Path, out: Path) -> None:
        book = load_workbook(out / MET_BOOK)
        book["Return"].delete_cols(NEXT_STEPS, 2)
        book.save(out / MET_BOOK)
        before = snapshot(plan)
        result = read(runner, plan, out / MET_BOOK)
        assert result.exit_code == 1
        assert f"{MET_BOOK}:{HEADER_ROW}: columns were added to or removed from the Return sheet" in result.output
        assert snapshot(plan) == before


def as_version_1(path: Path, save_as: Path) -> Path:
    """The workbook as vawg made it before the two columns: identity in J, its header version 1."""
    book = load_workbook(path)
    sheet = book["Return"]
    header = ReturnHeader.decode(str(sheet.cell(HEADER_ROW, IDENTITY).value))
    old = ReturnHeader(header.plan, header.title, header.quarter, header.partner, header.made, version="1")
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        text = sheet.cell(row, IDENTITY).value
        if isinstance(text, str) and text.startswith(("action=", "measure=")):
            sheet.cell(row, IDENTITY).value = RowIdentity.decode(text, header).encode(old)
    sheet.cell(HEADER_ROW, IDENTITY).value = old.encode()
    sheet.delete_cols(NEXT_STEPS, 2)
    book.save(save_as)
    return save_as


def rows_of_old(path: Path) -> dict[str, int]:
    sheet = load_workbook(path)["Return"]
    return {
        str(value).split(";")[0].removeprefix("action="): row
        for row in range(1, sheet.max_row + 1)
        if str(value := sheet.cell(row, 10).value).startswith("action=")
    }
