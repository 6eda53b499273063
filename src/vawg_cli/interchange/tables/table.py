"""A table as read from a file, before its columns mean anything: a header and rows of text cells.

Every reader (Markdown, CSV and TSV, .xlsx) makes one of these, and every reader refuses a table
wider than a table of actions before its headers are compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vawg_cli.errors import VawgError
from vawg_cli.plan import limits


class ImportProblem(VawgError):
    """The file to import cannot be read as a table of actions; nothing was written."""


class TooWide(ImportProblem):
    """A row has more columns than a table of actions."""


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    where: str
    """How to find the row in the file: "row 5" (a spreadsheet's numbering) or "row 3, line 21"."""
    theme: str = ""
    """The heading above the row's table, where a document has one table per priority or theme."""
    fills: tuple[str, ...] = ()
    """Each cell's shading as Word saves it ("FF0000"), "" for none: a RAG cell's colour."""


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    kind: str
    """What was read, for the summary: "the Markdown table at line 19", "semicolon-separated rows"."""
    before: tuple[str, ...] = ()
    """Lines of the file above the table, nearest last: where its title and period are found."""
    after: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    """Things the user should know about how the file was read (an encoding that was guessed)."""


def with_notes(table: Table, notes: tuple[str, ...]) -> Table:
    if not notes:
        return table
    return Table(table.header, table.rows, table.kind, table.before, table.after, (*notes, *table.notes))


def make_table(
    header: Sequence[str], rows: Sequence[Row], kind: str, *, before: Iterable[str] = (), after: Iterable[str] = ()
) -> Table:
    """A table whose rows all have the header's width: a longer row widens the header with
    unnamed columns (kept as notes), a shorter row is padded with empty cells."""
    width = max([len(header), *(len(row.cells) for row in rows)])
    padded = tuple(
        Row(
            (*row.cells, *([""] * (width - len(row.cells)))),
            row.where,
            row.theme,
            (*row.fills, *([""] * (width - len(row.fills)))) if row.fills else (),
        )
        for row in rows
    )
    wide_header = (*header, *([""] * (width - len(header))))
    return Table(wide_header, padded, kind, tuple(before), tuple(after))


def trimmed(cells: Sequence[str]) -> Sequence[str]:
    """A row without the empty cells after its last text (spreadsheets save many)."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells if end == len(cells) else cells[:end]


def refuse_wide(rows: Iterable[tuple[str, Sequence[str]]], kind: str) -> None:
    """Refuse a table with a row of more than MAX_COLUMNS columns, before its headers are compared."""
    for where, cells in rows:
        if len(cells) > limits.MAX_COLUMNS:
            raise TooWide(
                f"{kind}: {where} has more than {limits.MAX_COLUMNS} columns; a table of actions has a "
                "dozen or so. Is it the right file? In a spreadsheet, delete the unused columns and save again"
            )
