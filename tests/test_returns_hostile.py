"""Returns from hostile hands: what an adversarial pass over `vawg returns` found, each kept fixed."""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]
from typer.testing import CliRunner

from test_returns import COLOUR, DATE, MET_BOOK, NOTE, action_file, fill, make, plan, read, rows_of, snapshot
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
    for column in range(1, 11):
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
