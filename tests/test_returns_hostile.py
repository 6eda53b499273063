"""Returns from hostile hands: what an adversarial pass over `vawg returns` found, each kept fixed."""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]
from typer.testing import CliRunner

from test_returns import (
    COLOUR,
    DATE,
    IDENTITY,
    LBB_BOOK,
    MET_BOOK,
    NOTE,
    RESTRICTED,
    action_file,
    fill,
    make,
    plan,
    read,
    rows_of,
    snapshot,
    updates_of,
)
from test_returns_read import as_csv
from vawg_cli.cli import app

__all__ = ["plan"]  # the fixture, imported for the tests below


def test_plan_text_that_is_a_formula_or_a_control_character_stays_text(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    path = action_file(plan, 2)
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    hostile = 'title: "=HYPERLINK(\\"http://evil.example\\",\\"x\\") \\e[2J"'
    path.write_text(text.replace(title, hostile), encoding="utf-8")
    out = tmp_path / "out"
    make(runner, plan, out)
    for book_path in out.glob("*.xlsx"):
        book = load_workbook(book_path)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                assert all(cell.data_type != "f" for cell in row), f"a formula in {book_path.name}"
        book.close()


def test_two_rows_for_one_action_in_a_return_are_refused(runner: CliRunner, plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    make(runner, plan, out)
    book_path = out / MET_BOOK
    where = rows_of(book_path)
    first = next(key for key in where if key.isdigit())
    fill(book_path, {first: {COLOUR: "Amber", NOTE: "Some progress", DATE: "01/12/2025"}})
    book = load_workbook(book_path)
    sheet = book["Return"]
    copy = sheet.max_row + 2
    for column in range(1, IDENTITY + 1):
        sheet.cell(copy, column).value = sheet.cell(where[first], column).value
    book.save(book_path)
    before = snapshot(plan)
    result = read(runner, plan, book_path)
    assert result.exit_code == 1
    assert f":{copy}:1: error: action {first} has a second row in this return" in result.output
    assert snapshot(plan) == before


def test_a_figure_too_large_to_keep_is_a_row_error(runner: CliRunner, plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    make(runner, plan, out)
    book_path = out / MET_BOOK
    code = next(key for key in rows_of(book_path) if not key.isdigit())
    fill(book_path, {code: {COLOUR: 1e300}})
    before = snapshot(plan)
    result = read(runner, plan, book_path)
    assert result.exit_code == 1
    assert "is not a figure vawg can keep" in result.output
    assert "Traceback" not in result.output
    assert snapshot(plan) == before


def test_a_link_in_the_output_folder_is_not_written_through(runner: CliRunner, plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = action_file(plan, 1)
    before = victim.read_bytes()
    (out / MET_BOOK.replace(".xlsx", ".eml")).symlink_to(victim)
    args = ["returns", "make", "--quarter", "2025-Q3", "--as-of", "2026-01-05", "--email"]
    result = runner.invoke(app, [*args, "--plan", str(plan), "-o", str(out)])
    assert result.exit_code == 1
    assert "is a link" in result.output
    assert victim.read_bytes() == before


def test_a_pipe_given_as_a_return_is_refused_without_waiting(runner: CliRunner, plan: Path, tmp_path: Path) -> None:
    pipe = tmp_path / "return.xlsx"
    os.mkfifo(pipe)
    result = read(runner, plan, pipe)
    assert result.exit_code == 1
    assert "not a file" in result.output


def test_asking_again_for_a_note_to_be_restricted_is_warned_about(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    make(runner, plan, out)
    first = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Ran.", DATE: "01/12/2025"}})
    assert read(runner, plan, first).exit_code == 0
    after = snapshot(plan)
    again = fill(first, {"2": {RESTRICTED: "Yes"}}, save_as=tmp_path / "again.xlsx")
    result = read(runner, plan, again)
    assert result.exit_code == 0, result.output
    assert "warning: this row asks for its note to be restricted" in result.output
    assert "add `restricted: true`" in result.output
    assert snapshot(plan) == after


def test_a_dry_run_of_two_returns_sees_the_first_in_the_second(runner: CliRunner, plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    make(runner, plan, out)
    met = fill(out / MET_BOOK, {"3": {COLOUR: "Amber", NOTE: "Met's word.", DATE: "01/12/2025"}})
    lbb = fill(out / LBB_BOOK, {"3": {COLOUR: "Green", NOTE: "LBB's word.", DATE: "02/12/2025"}})
    before = snapshot(plan)
    result = runner.invoke(app, ["returns", "read", str(met), str(lbb), "--dry-run", "--plan", str(plan)])
    assert result.exit_code == 0, result.output
    assert snapshot(plan) == before
    # The second diff of the joint action's file starts from the first return's update.
    met_line = "  - {date: 2025-12-01, rag: amber, note: Met's word., by: Met}"
    first, second = result.stdout.split("--- a/plan/actions/03-referral.yaml")[1:]
    assert f"+{met_line}" in first
    assert f"\n {met_line}\n+  - {{date: 2025-12-02, rag: green, note: LBB's word., by: LBB}}" in second


def test_a_csv_saved_as_unicode_text_reads(runner: CliRunner, plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    make(runner, plan, out)
    book = fill(out / MET_BOOK, {"2": {COLOUR: "Green", NOTE: "Ran.", DATE: "01/12/2025"}})
    text = as_csv(book, tmp_path / "utf8.csv", delimiter="\t").read_text(encoding="utf-8")
    unicode_text = tmp_path / "return.txt"
    unicode_text.write_bytes(text.encode("utf-16"))  # Excel's "Unicode Text": UTF-16 with a BOM, tabs
    result = read(runner, plan, unicode_text)
    assert result.exit_code == 0, result.output
    assert [u["note"] for u in updates_of(plan, 2)] == ["Ran."]


def test_a_device_given_as_a_return_is_refused(runner: CliRunner, plan: Path) -> None:
    result = read(runner, plan, "/dev/zero")
    assert result.exit_code == 1
    assert "not a file" in result.output


def test_many_bad_rows_are_told_in_part(runner: CliRunner, plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    make(runner, plan, out)
    book_path = out / MET_BOOK
    book = load_workbook(book_path)
    sheet = book["Return"]
    for row in range(sheet.max_row + 2, sheet.max_row + 202):
        sheet.cell(row, COLOUR).value = "Purple"  # rows added by hand: each an error
    book.save(book_path)
    result = read(runner, plan, book_path)
    assert result.exit_code == 1
    assert result.output.count(": error: ") == 51
    assert "and 150 more problems in later rows" in result.output


def test_a_deadline_far_from_its_quarter_is_refused_by_check(runner: CliRunner, plan: Path) -> None:
    settings = plan / "plan.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            "returns:\n", "returns:\n  deadlines: {2025/26 Q3: 2020-01-09}\n", 1
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", "--plan", str(plan)])
    assert result.exit_code == 1
    assert "the deadline for 2025/26 Q3 is 2020-01-09, outside the quarter" in result.output


def test_a_control_character_in_the_plans_title_still_makes_the_workbooks(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    # The title goes into each workbook's document properties too, which are XML: a character an
    # .xlsx cannot hold stopped every workbook with a traceback, though `vawg check` passed the plan.
    plan_file = plan / "plan.yaml"
    text = plan_file.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    plan_file.write_text(text.replace(title, 'title: "Plan \\x01 title"'), encoding="utf-8")
    out = tmp_path / "out"
    make(runner, plan, out)
    books = sorted(out.glob("*.xlsx"))
    assert books
    for book_path in books:
        book = load_workbook(book_path)
        assert book.properties.title.startswith("Plan \\x01 title: return ")
        book.close()


def test_a_restricted_notes_fingerprint_cannot_confirm_a_guess(runner: CliRunner, plan: Path, tmp_path: Path) -> None:
    # Every lead of a joint action gets its row, with a hidden fingerprint of each update; one of
    # a restricted update's note beside its visible date and colour would let a lead who may not
    # read it test guesses at its words offline.
    import hashlib

    secret = "Case detail SECRET for the working group"
    path = action_file(plan, 3)  # led by LBB and Met
    path.write_text(
        path.read_text(encoding="utf-8")
        + f"  - {{date: 2025-09-10, rag: red, note: {secret}, by: LBB, restricted: true, next_steps: Escalated}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    make(runner, plan, out)
    guess = hashlib.sha256("\x1f".join(("2025-09-10", "red", secret, "LBB", "1")).encode()).hexdigest()[:8]
    for book_path in out.glob("*.xlsx"):
        book = load_workbook(book_path)
        cells = [str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
        book.close()
        assert not any(guess in cell for cell in cells), book_path.name


def test_a_restricted_updates_fingerprint_leaves_its_note_out() -> None:
    from datetime import date

    from vawg_cli.core.returns import update_key, update_keys
    from vawg_cli.model.records import Rag, Update

    one, other = (Update(date(2025, 9, 10), Rag.RED, note, "LBB", True) for note in ("first words", "other words"))
    assert update_key(one) == update_key(other)
    public = [Update(date(2025, 9, 10), Rag.RED, note, "LBB") for note in ("first words", "other words")]
    assert update_key(public[0]) != update_key(public[1])
    # A workbook made before this held the note's hash: its returns still read without a false "stale".
    assert len(set(update_keys(one))) == 2 and update_keys(one)[0] == update_key(one)
    assert update_keys(public[0]) == (update_key(public[0]),)


def test_a_return_made_with_the_old_fingerprint_is_not_stale() -> None:
    import hashlib
    from datetime import date
    from types import SimpleNamespace

    from vawg_cli.edit.return_checks import moved_on
    from vawg_cli.model.records import Action, Rag, Update
    from vawg_cli.model.schedule import parse_target

    update = Update(date(2025, 9, 10), Rag.RED, "words", "LBB", True)
    old = hashlib.sha256("\x1f".join(("2025-09-10", "red", "words", "LBB", "1")).encode()).hexdigest()[:8]
    action = Action(3, "T", ("LBB", "Met"), "Apr-27", parse_target("Apr-27"), (update,))
    assert moved_on(action, SimpleNamespace(seen=(old,)), "LBB") == []  # type: ignore[arg-type]
    assert moved_on(action, SimpleNamespace(seen=()), "LBB") == [update]  # type: ignore[arg-type]
