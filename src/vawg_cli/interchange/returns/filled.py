"""A filled return read back: the workbook as the partner sent it, or a CSV saved from its Return sheet.

Forgiving where people are (`Amber `, `A`, `amber` and the drop-down's "Amber: ..." are all
amber; a date as Excel stores it or as typed, 31/12/2025), strict where it matters: a colour that
is not one of the five, a date that is not a date, a row whose hidden identity was changed. What
is wrong is told as `file:row:column: error: ...`; the plan is consulted later (edit/returns.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from itertools import islice
from pathlib import Path

from vawg_cli.core.returned import ReadReturn, ReturnedFigure, ReturnedUpdate
from vawg_cli.errors import Diagnostic, VawgError
from vawg_cli.interchange.returns.identity import IdentityError, ReturnHeader, RowIdentity, is_header
from vawg_cli.interchange.returns.layout import (
    FIGURE,
    FIGURE_NOTE,
    FIGURES_MARK,
    LAYOUTS,
    NO,
    WIDEST,
    YES,
    Layout,
    layout_of,
)
from vawg_cli.interchange.tables.colours import colour_of_text
from vawg_cli.model.periods import PeriodError, parse_period
from vawg_cli.model.records import Rag
from vawg_cli.model.schedule import DayError, parse_day
from vawg_cli.plan import limits
from vawg_cli.plan.measure_format import MAX_FIGURE
from vawg_cli.text import quoted

Cell = object
Problem = Callable[[int, int, str], None]
"""Told of a cell that is wrong: its row, its column and what to do."""


class _Bad:
    """A cell that could not be read (already told through `Problem`)."""


BAD = _Bad()
_YES = {"yes", "y", "true", "1", "x", "restricted", YES.lower()}
_NO = {"", "no", "n", "false", "0", NO.lower()}
_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
_EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's dates, as Excel and LibreOffice count them


class NotAReturn(VawgError):
    """The file is not a return vawg made."""


def read_return(path: Path) -> ReadReturn:
    """The return in `path` (.xlsx, or .csv saved from its Return sheet), its cells interpreted."""
    from vawg_cli.interchange.tables.reading import decode_text, read_bytes
    from vawg_cli.interchange.tables.table import ImportProblem

    if not path.exists():
        raise NotAReturn(f"{path}: there is no such file; give the path of a filled return")
    raw = read_bytes(path, give="the filled return, an .xlsx or a CSV saved from it", kind="a return")
    if raw.startswith(b"PK"):
        return _interpret(path, _xlsx_rows(raw, path))
    try:
        text, _ = decode_text(raw, path)
    except ImportProblem:
        raise _not_a_return(path) from None
    return _interpret(path, _csv_rows(text, path))


def _not_a_return(path: Path) -> NotAReturn:
    return NotAReturn(
        f"{path}: this is not a return made by vawg returns make (its hidden identity column is missing); "
        "send the partner the workbook vawg made, or, for a CSV, save it from the workbook's Return sheet"
    )


def _xlsx_rows(raw: bytes, path: Path) -> list[tuple[int, list[Cell]]]:
    import io
    import warnings

    from vawg_cli.interchange.tables.archive import archive_names
    from vawg_cli.interchange.tables.table import ImportProblem

    unreadable = f"{path}: this cannot be read as an .xlsx workbook; open it in Excel and save it as .xlsx again"
    try:
        archive_names(raw, path, unreadable, text_part="sharedstrings.xml")
    except ImportProblem as problem:
        raise NotAReturn(str(problem)) from None
    from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Data Validation extension is not supported" and the like
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            try:
                for sheet in book.worksheets:
                    rows = [
                        (number, list(cells))
                        for number, cells in enumerate(
                            islice(sheet.iter_rows(max_col=WIDEST, values_only=True), limits.MAX_ROWS), 1
                        )
                    ]
                    if _header_at(rows) is not None:
                        return rows
            finally:
                book.close()
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise NotAReturn(unreadable) from None
    raise _not_a_return(path)


def _csv_rows(text: str, path: Path) -> list[tuple[int, list[Cell]]]:
    import csv
    import io

    offset = 0
    if match := re.match(r"sep=(.)\r?\n", text):  # the line Excel writes (and reads) naming the separator
        text, offset, delimiters = text[match.end() :], 1, match[1]
    else:
        delimiters = ",;\t"
    for delimiter in delimiters:
        try:
            rows = [
                (number + offset, list[Cell](cells))
                for number, cells in enumerate(
                    islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), limits.MAX_ROWS), 1
                )
            ]
        except csv.Error:
            continue
        if _header_at(rows) is not None:
            return rows
    raise _not_a_return(path)


def _header_at(rows: list[tuple[int, list[Cell]]]) -> tuple[int, Layout] | None:
    """The index of the row holding the return's header identity, and the layout whose column holds it."""
    for index, (_, cells) in enumerate(rows):
        for layout in LAYOUTS:
            if is_header(_at(cells, layout.identity)):
                return index, layout
    return None


def _at(cells: list[Cell], column: int | None) -> Cell:
    if column is None:
        return None
    return cells[column - 1] if len(cells) >= column else None


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _interpret(path: Path, rows: list[tuple[int, list[Cell]]]) -> ReadReturn:
    found = _header_at(rows)
    assert found is not None  # the rows were chosen for having it
    header_at, layout = found
    try:
        header = ReturnHeader.decode(str(_at(rows[header_at][1], layout.identity)))
    except IdentityError:
        raise NotAReturn(
            f"{path}:{rows[header_at][0]}: the return's hidden identity was changed, so vawg cannot tell which "
            "plan and partner it is for; ask the partner to copy their answers into a new return from vawg returns make"
        ) from None
    if layout_of(header.version) != layout:
        raise NotAReturn(
            f"{path}:{rows[header_at][0]}: columns were added to or removed from the Return sheet, so vawg cannot "
            "tell which answer is which; ask the partner to copy their answers into a new return from vawg returns make"
        )
    return _rows(path, rows[header_at + 1 :], header, layout)


def _rows(path: Path, rows: list[tuple[int, list[Cell]]], header: ReturnHeader, layout: Layout) -> ReadReturn:
    """The rows after the header, read in `layout`'s columns."""
    colour_at, note_at, date_at, restricted_at = layout.colour, layout.note, layout.date, layout.restricted
    problems: list[Diagnostic] = []

    def problem(row: int, column: int, message: str) -> None:
        problems.append(Diagnostic(path, row, column, "error", message))

    updates: list[ReturnedUpdate] = []
    figures: list[ReturnedFigure] = []
    blank: list[int] = []
    blank_figures = 0
    for number, cells in rows:
        identity_text = _text(_at(cells, layout.identity))
        if identity_text == FIGURES_MARK:
            continue
        filled = [_text(_at(cells, column)) for column in (colour_at, note_at, date_at, restricted_at)]
        steps, ask = _text(_at(cells, layout.next_steps)), _text(_at(cells, layout.board_ask))
        if not identity_text:
            if any(filled[:3]) or steps or ask or filled[3].lower() not in _NO:
                problem(
                    number,
                    colour_at,
                    "this row was added by hand, so vawg cannot tell which action it is for; "
                    "put the update in its action's own row",
                )
            continue
        try:
            identity = RowIdentity.decode(identity_text, header)
        except IdentityError:
            problem(
                number,
                layout.identity,
                "this row's hidden identity was changed (or the row was copied from another "
                "return), so vawg cannot tell which action it is for; put the row back as it was made",
            )
            continue
        if identity.action is None:
            value, note = _text(_at(cells, FIGURE)), _text(_at(cells, FIGURE_NOTE))
            if not value:
                if note:
                    problem(number, FIGURE, "a note on a figure, but no figure; give the figure, or clear the note")
                blank_figures += 1
                continue
            figure = _figure(_at(cells, FIGURE), number, problem)
            try:
                period = parse_period(identity.period or "")
            except PeriodError:
                problem(number, layout.identity, "this row's period cannot be read; make the return again")
                continue
            if figure is not None:
                figures.append(ReturnedFigure(number, identity.measure or "", period, figure, note or None))
            continue
        colour, note, _, restricted = filled
        if not colour and not note and not filled[2] and not steps and not ask and restricted.lower() in _NO:
            blank.append(identity.action)
            continue
        rag = _colour(colour, number, problem, colour_at)
        on = _date(_at(cells, date_at), number, problem, date_at)
        secret = _restricted(restricted, number, problem, restricted_at)
        if not note:
            given = "a colour or date" if colour or filled[2] or not (steps or ask) else "next steps or a board ask"
            problem(
                number,
                note_at,
                f"{given} without a progress note; write what has happened this quarter, in a sentence or two",
            )
            continue
        if not isinstance(rag, _Bad) and not isinstance(on, _Bad) and secret is not None:
            shown = _text(_at(cells, 1))
            updates.append(
                ReturnedUpdate(
                    number, identity.action, shown, identity.seen, rag, note, on, secret, steps or None, ask or None
                )
            )
    if len(problems) > limits.MAX_PROBLEMS_PER_FILE:  # a file of ten thousand bad rows needs its first few
        rest = problems[limits.MAX_PROBLEMS_PER_FILE :]
        message = f"and {len(rest)} more problems in later rows; fix those above, then read the file again"
        problems[limits.MAX_PROBLEMS_PER_FILE :] = [Diagnostic(path, rest[0].line, 1, "error", message)]
    return ReadReturn(
        path,
        header.plan,
        header.title,
        header.quarter,
        header.partner,
        header.made,
        tuple(updates),
        tuple(figures),
        tuple(blank),
        blank_figures,
        tuple(problems),
    )


def _colour(text: str, row: int, problem: Problem, column: int) -> Rag | _Bad | None:
    """The colour written, None for none (the colour stays), BAD when it is not one of the five."""
    if not text:
        return None
    # The drop-down's "Amber: Some delay...", or a colour followed by a dash or a bracket.
    word = re.split("[:(\u2013\u2014]| - ", text, maxsplit=1)[0].strip().lower()
    found = colour_of_text(word)
    if found is None:
        problem(
            row,
            column,
            f"{quoted(text)} is not a colour of the scale; choose Red, Amber, Green, Blue (complete) "
            "or Grey (not started) from the drop-down",
        )
        return BAD
    return found


def _date(value: Cell, row: int, problem: Problem, column: int) -> date | _Bad | None:
    """The date written, None for none, BAD when it is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20_000 < value < 80_000:
        return _EXCEL_EPOCH + timedelta(days=int(value))  # a date Excel saved as its day number
    text = _text(value)
    if not text:
        return None
    if re.fullmatch(r"\d{5}", text) and 20_000 < int(text) < 80_000:
        return _EXCEL_EPOCH + timedelta(days=int(text))
    try:
        return parse_day(text)
    except DayError as error:
        problem(row, column, f"{error}, day first (31/12/2025)")
        return BAD


def _restricted(text: str, row: int, problem: Problem, column: int) -> bool | None:
    word = text.strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    problem(row, column, f"{quoted(text)} in Restricted? is not Yes or No; choose one (blank means No)")
    return None


def _figure(value: Cell, row: int, problem: Problem) -> int | float | None:
    if isinstance(value, bool):
        value = None
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or abs(value) > MAX_FIGURE:
            problem(row, FIGURE, f"{value} is not a figure vawg can keep; give the number counted, such as 412")
            return None
        return int(value) if float(value).is_integer() else value
    text = _text(value)
    if _THOUSANDS.fullmatch(text):  # a spreadsheet's display of 1234 as 1,234
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        problem(row, FIGURE, f"{quoted(text)} is not a number; give the figure alone, such as 412 (no % or words)")
        return None
    if not math.isfinite(number) or abs(number) > MAX_FIGURE:
        problem(row, FIGURE, f"{quoted(text)} is not a number; give the figure alone, such as 412")
        return None
    return int(number) if number.is_integer() and "." not in text else number
