"""Several tables of one document as one plan: a Word document or a Markdown file with one table
per priority, each under its heading, whose columns may differ a little from table to table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from vawg_cli.interchange.tables.columns import Columns, normalise
from vawg_cli.interchange.tables.table import Row, Table

_MANY = ("notes", "ignore")
"""The fields several columns may have; each other field is one column of the merged table."""


def merge_tables(
    tables: Sequence[tuple[Table, Columns]], kind: str, *, before: Iterable[str] = (), after: Iterable[str] = ()
) -> tuple[Table, Columns]:
    """The tables as one: a column for each field (and for each notes column, by its header), the
    rows in document order, each keeping its own table's heading as its theme."""
    header: list[str] = []
    fields: list[str] = []
    slots: dict[tuple[str, str], int] = {}

    def key(name: str, field: str) -> tuple[str, str]:
        return (field, normalise(name) or name) if field in _MANY else (field, "")

    for _, columns in tables:
        for name, field in zip(columns.header, columns.fields, strict=True):
            if key(name, field) not in slots:
                slots[key(name, field)] = len(header)
                header.append(name)
                fields.append(field)
    rows: list[Row] = []
    for table, columns in tables:
        for row in table.rows:
            cells = [""] * len(header)
            fills = [""] * len(header)
            for position, (name, field) in enumerate(zip(columns.header, columns.fields, strict=True)):
                at = slots[key(name, field)]
                cells[at] = row.cells[position]
                fills[at] = row.fills[position] if position < len(row.fills) else ""
            rows.append(Row(tuple(cells), row.where, row.theme, tuple(fills)))
    notes = tuple(note for table, _ in tables for note in table.notes)
    merged = Table(tuple(header), tuple(rows), kind, tuple(before), tuple(after), notes)
    return merged, Columns(tuple(header), tuple(fields))


def heading_above(before: Sequence[str]) -> str:
    """The heading just above a Markdown table ("## Priority 1: Prevention", "**Theme 2**"): the
    nearest line with text, if it reads as a heading rather than a sentence."""
    for line in reversed(before):
        text = line.strip()
        if not text or text.startswith("<!--"):
            continue
        plain = text.lstrip("#").strip().strip("*_").strip()
        if text.startswith("#") or (len(plain) <= 100 and not plain.endswith((".", ":", ";", ","))):
            return plain
        return ""
    return ""
