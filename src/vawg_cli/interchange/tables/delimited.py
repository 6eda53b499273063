"""Comma-, semicolon- or tab-separated rows, as Excel saves CSV (with a "sep=" line or without).

Excel in much of Europe saves CSV with semicolons, and a note full of commas can look like
many columns: each separator is tried in turn, and a table too wide for one is taken as a
sign of the wrong separator rather than an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from vawg_cli.interchange.tables.columns import Columns, grid_table
from vawg_cli.interchange.tables.table import ImportProblem, Table, TooWide

_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def delimited_tables(
    text: str, name: str, overrides: Mapping[str, str], suffix: str
) -> list[tuple[Table, Columns | None]]:
    import csv
    import io

    first, _, rest = text.partition("\n")
    # Excel writes (and reads) a first line "sep=;" naming the delimiter.
    if match := re.fullmatch(r"sep=(.)\r?", first):
        candidates: tuple[str, ...] = (match[1],)
        text = rest
        offset = 1
    else:
        candidates = ("\t", ",", ";") if suffix in (".tsv", ".tab") else (",", ";", "\t")
        offset = 0
    tables: list[tuple[Table, Columns | None]] = []
    too_wide: TooWide | None = None
    for delimiter in candidates:
        if delimiter not in text:
            continue
        try:
            grid = [
                (number + offset, row)
                for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)
            ]
        except csv.Error as error:
            what = _DELIMITER_NAMES.get(delimiter, repr(delimiter))
            raise ImportProblem(f"{name} cannot be read as {what}-separated rows: {error}") from None
        kind = f"the {_DELIMITER_NAMES.get(delimiter, repr(delimiter))}-separated rows of {name}"
        try:
            found = grid_table(grid, kind, overrides)
        except TooWide as error:  # perhaps only the wrong separator: a note with many commas
            too_wide = too_wide or error
            continue
        if found is not None:
            tables.append(found)
            if found[1] is not None and found[1].complete:
                break
    if too_wide is not None and not tables:
        raise too_wide
    return tables
