"""The first sheet of an .xlsx workbook, read only, after its size is checked.

openpyxl is imported only when a workbook is read: it takes a while to import, and no other
command needs it. A workbook is a zip archive, so its sizes are checked before it is unpacked.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from vawg_cli.interchange.tables.archive import archive_names
from vawg_cli.interchange.tables.columns import Columns, grid_table, no_table_message, require_columns
from vawg_cli.interchange.tables.table import ImportProblem, Table, TooWide, with_notes
from vawg_cli.plan import limits


def xlsx_table(
    raw: bytes, path: Path, overrides: Mapping[str, str], *, need_lead: bool = True
) -> tuple[Table, Columns]:
    import io
    import warnings

    unreadable = (
        f"{path} cannot be read as an .xlsx workbook (it is a zip archive, but not a workbook vawg "
        "can read: a Word document, or a damaged file?); open it in Excel and save it as .xlsx or CSV"
    )
    archive_names(raw, path, unreadable, text_part="sharedstrings.xml")
    # Imported here: only an .xlsx needs it, and it takes a while to import.
    from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

    grid: list[tuple[int, list[str]]] = []
    fills: dict[int, tuple[str, ...]] = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Data Validation extension is not supported" and the like
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            try:
                sheets = book.worksheets
                if not sheets:
                    raise ImportProblem(f"{path} holds no worksheet")
                sheet = sheets[0]
                _refuse_wide_sheet(sheet, path)
                # At most one column more than a table may have: enough to refuse a wider sheet
                # without making a cell for every column its dimension claims (up to XFD).
                for number, cells in enumerate(sheet.iter_rows(max_col=limits.MAX_COLUMNS + 1), 1):
                    if number > limits.MAX_ROWS + 200:
                        raise ImportProblem(
                            f"{path} has over {limits.MAX_ROWS} rows; that is not a plan's table of actions"
                        )
                    grid.append((number, [_cell_text(cell) for cell in cells]))
                    fills[number] = tuple(_cell_fill(cell) for cell in cells)
                title, count = sheet.title, len(sheets)
            finally:
                book.close()
    except ImportProblem:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportProblem(unreadable) from None
    kind = f"the first sheet ({title!r}) of {path.name}"
    found = grid_table(grid, kind, overrides, fills)
    notes = (f"{path.name} has {count} sheets; only the first, {title!r}, was read",) if count > 1 else ()
    if found is None or found[1] is None:
        raise ImportProblem(no_table_message(path, [found] if found else [], xlsx=True))
    table, columns = found[0], found[1]
    require_columns(path, columns, need_lead=need_lead)
    return with_notes(table, notes), columns


def _refuse_wide_sheet(sheet: Any, path: Path) -> None:
    """Refuse a sheet whose saved dimension (its used range) is wider than a table of actions."""
    width = sheet.max_column  # from the <dimension ref="A1:XFD9000"> Excel writes; None if absent
    if isinstance(width, int) and width > limits.MAX_COLUMNS:
        from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

        raise TooWide(
            f"the first sheet of {path} is used up to column {get_column_letter(width)} ({width} columns); "
            f"a table of actions has a dozen or so, at most {limits.MAX_COLUMNS}. In Excel, delete the "
            "columns after the table (select them, right-click, Delete) and save again"
        )


def _cell_text(cell: Any) -> str:
    """A cell as the text Excel shows for it: a date formatted as a month ("Apr-25") stays a month."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == time(0, 0):
        value = value.date()
    if isinstance(value, date) and not isinstance(value, datetime):
        form = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", str(getattr(cell, "number_format", "") or "")).lower()
        if "d" not in form and "m" in form and "y" in form:
            return f"{calendar.month_abbr[value.month]}-{value.year % 100:02d}"
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell_fill(cell: Any) -> str:
    """A cell's solid fill as "RRGGBB" ("" for none, or a theme colour vawg cannot see)."""
    fill = getattr(cell, "fill", None)
    if fill is None or getattr(fill, "fill_type", None) != "solid":
        return ""
    rgb = getattr(getattr(fill, "fgColor", None), "rgb", None)
    return rgb[-6:] if isinstance(rgb, str) and len(rgb) in (6, 8) else ""
