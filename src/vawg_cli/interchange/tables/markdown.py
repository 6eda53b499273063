"""Markdown tables found anywhere in a text or Markdown document, with prose around them.

A table pasted from a strategy document keeps the lines above and below it: the plan's title
and years are read from them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from vawg_cli.interchange.tables.columns import Columns, recognise
from vawg_cli.interchange.tables.table import Row, Table, make_table, refuse_wide, trimmed

_DELIMITER_ROW = re.compile(r"\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(.+)\1", re.DOTALL)


def _markdown_cells(line: str) -> list[str]:
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells = []
    for cell in _UNESCAPED_PIPE.split(text):
        value = _BREAK.sub("\n", cell.replace("\\|", "|")).strip()
        if match := _EMPHASIS.fullmatch(value):
            value = match[2].strip()
        cells.append(value)
    return cells


def markdown_tables(
    text: str, name: str, overrides: Mapping[str, str], suffix: str
) -> list[tuple[Table, Columns | None]]:
    lines = text.splitlines()
    tables: list[tuple[Table, Columns | None]] = []
    index = 0
    while index < len(lines) - 1:
        line, below = lines[index], lines[index + 1]
        if "|" not in line or "-" not in below or not _DELIMITER_ROW.fullmatch(below) or "|" not in below:
            index += 1
            continue
        header = _markdown_cells(line)
        end = index + 2
        rows = []
        while end < len(lines) and lines[end].strip() and "|" in lines[end]:
            rows.append(Row(tuple(_markdown_cells(lines[end])), f"row {end - index - 1}, line {end + 1}"))
            end += 1
        kind = f"the Markdown table at line {index + 1} of {name}"
        refuse_wide(
            [
                (f"line {index + 1}", trimmed(header)),
                *((f"line {row.where.rpartition(' ')[2]}", trimmed(row.cells)) for row in rows),
            ],
            kind,
        )
        table = make_table(
            header,
            rows,
            kind,
            before=lines[:index],
            after=lines[end:],
        )
        tables.append((table, recognise(table.header, overrides, table.rows)))
        index = end
    return tables
