"""Every table of a Word document (.docx), with the heading above each and each cell's shading.

A partnership's plan is most often a Word table coloured by hand, and often one table per priority
under its own heading: each table's heading becomes its actions' theme, and the tables are one
plan. python-docx is imported only when a document is read (no other command needs it). Word
documents are zip archives, so their sizes are checked before they are unpacked, as for .xlsx.

Word's own layouts are read as a reader sees them: a cell merged down several rows (one lead for
a block of actions) gives its text to each row it spans; a cell merged across the whole row inside
a table ("Priority 2: Support") is a heading for the rows below it; a table that runs over a page
break is one table, whether its header row is repeated, or Word split it into two tables with
nothing between them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vawg_cli.interchange.tables.archive import archive_names
from vawg_cli.interchange.tables.columns import Columns, no_table_message, normalise, recognise, require_columns
from vawg_cli.interchange.tables.merging import merge_tables
from vawg_cli.interchange.tables.table import ImportProblem, Row, Table, make_table, refuse_wide, trimmed
from vawg_cli.plan import limits


@dataclass
class _Found:
    header: tuple[str, ...]
    columns: Columns | None
    rows: list[Row]
    number: int
    heading: str
    width: int


def docx_table(
    raw: bytes, path: Path, overrides: Mapping[str, str], *, need_lead: bool = True
) -> tuple[Table, Columns]:
    """The plan's table of actions: every table of the document with an aim column, as one."""
    import io

    unreadable = (
        f"{path} cannot be read as a Word document (.docx): it is a zip archive, but not one Word "
        "saved, or it is damaged. Open it in Word and save it again as a Word Document (.docx)"
    )
    archive_names(raw, path, unreadable, text_part="document.xml")
    # Imported here: only a Word document needs it.
    from docx import Document
    from docx.table import Table as WordTable

    try:
        document = Document(io.BytesIO(raw))
        blocks = list(document.iter_inner_content())
    except Exception:  # python-docx raises many kinds for a damaged or foreign file
        raise ImportProblem(unreadable) from None
    found: list[_Found] = []
    before: list[str] = []
    after: list[str] = []
    heading = ""
    text_since_table = True
    number = 0
    for block in blocks:
        if not isinstance(block, WordTable):
            text = " ".join(block.text.split())
            if text:
                (after if found else before).append(text)
                text_since_table = True
                if _is_heading(block, text):
                    heading = text
            continue
        number += 1
        if number > limits.MAX_ROWS:
            raise ImportProblem(f"{path} has over {limits.MAX_ROWS} tables; that is not a plan's table of actions")
        grid = _grid(block, number, path)
        previous = found[-1] if found else None
        continuing = previous if previous and not text_since_table else None
        table = _read_table(grid, number, heading, overrides, continuing)
        if table is not None:
            if table is not continuing:
                found.append(table)
            after = []
        text_since_table = False
    usable = [t for t in found if t.columns is not None and t.columns.usable(need_lead=need_lead)]
    if not usable:
        candidates = [(make_table(t.header, [], f"table {t.number} of {path.name}"), t.columns) for t in found]
        for _, columns in candidates:
            if columns is not None:
                require_columns(path, columns, need_lead=need_lead)
        raise ImportProblem(no_table_message(path, candidates, docx=True))
    themed = len({t.heading for t in usable}) > 1
    tables = []
    for t in usable:
        rows = [Row(row.cells, row.where, row.theme or (t.heading if themed else ""), row.fills) for row in t.rows]
        assert t.columns is not None
        tables.append((make_table(t.header, rows, f"table {t.number}"), t.columns))
    numbers = [t.number for t in usable]
    kind = (
        f"table {numbers[0]} of {path.name}"
        if len(numbers) == 1
        else f"{len(numbers)} tables of {path.name} (tables {', '.join(map(str, numbers))})"
    )
    return merge_tables(tables, kind, before=before, after=after)


def _is_heading(paragraph: Any, text: str) -> bool:
    """A heading style, or a short paragraph all in bold: what a reader takes for a heading."""
    style = getattr(getattr(paragraph, "style", None), "name", "") or ""
    if style.lower().startswith(("heading", "title")):
        return True
    runs = [run for run in paragraph.runs if run.text.strip()]
    return bool(runs) and len(text) <= 150 and all(run.bold for run in runs)


def _grid(table: Any, number: int, path: Path) -> list[tuple[tuple[str, ...], tuple[str, ...], bool]]:
    """Each row's cells' text and shading, and whether the row is one cell merged across the table.

    Read from the table's XML in one pass rather than through python-docx's `row.cells`, which
    walks up the table for every cell merged down (quadratic, and a RecursionError on a merge of
    a thousand rows) and trusts `gridSpan` (a span of 10**20 would fill memory). A document comes
    from another organisation: its spans are checked, and a merge with no cell above is empty.
    """
    from docx.table import _Cell

    rows: list[tuple[tuple[str, ...], tuple[str, ...], bool]] = []
    above: list[tuple[str, str]] = []  # the text and shading of each grid column in the row before
    for tr in table._tbl.tr_lst:
        texts: list[str] = []
        fills: list[str] = []
        owners: list[int] = []
        for tc in tr.tc_lst:
            span = _span(tc)
            if len(texts) + span > limits.MAX_COLUMNS:
                refuse_wide([(f"row {len(rows) + 1}", [""] * (len(texts) + span))], f"table {number} of {path.name}")
            if _continues_merge(tc):
                column = len(texts)
                text, fill = above[column] if column < len(above) else ("", "")
            else:
                text, fill = _Cell(tc, table).text.strip(), _fill_of(tc)
            texts += [text] * span
            fills += [fill] * span
            owners += [id(tc)] * span
        rows.append((tuple(texts), tuple(fills), len(owners) > 1 and len(set(owners)) == 1))
        above = list(zip(texts, fills, strict=True))
        if len(rows) > limits.MAX_ROWS + 200:
            raise ImportProblem(f"table {number} of {path.name} has over {limits.MAX_ROWS} rows")
    return rows


def _span(tc: Any) -> int:
    """How many grid columns a cell covers: a span Word could not have written counts as one."""
    values = tc.xpath("./w:tcPr/w:gridSpan/@w:val")
    text = str(values[0]).strip() if values else "1"
    # More digits than any table has columns is refused below as too wide, without making the number.
    if not text.isdigit() or len(text) > 6:
        return 1 if not text.isdigit() else limits.MAX_COLUMNS + 1
    return max(1, int(text))


def _continues_merge(tc: Any) -> bool:
    """A cell merged down from the one above (w:vMerge with no value, or "continue")."""
    merges = tc.xpath("./w:tcPr/w:vMerge")
    if not merges:
        return False
    value = merges[0].xpath("./@w:val")
    return not value or str(value[0]) == "continue"


def _fill_of(tc: Any) -> str:
    """The cell's shading as Word saves it (w:shd w:fill, "FFC000"), "" for none."""
    fills = tc.xpath("./w:tcPr/w:shd/@w:fill")
    return str(fills[0]) if fills else ""


def _read_table(
    grid: Sequence[tuple[tuple[str, ...], tuple[str, ...], bool]],
    number: int,
    heading: str,
    overrides: Mapping[str, str],
    continuing: _Found | None,
) -> _Found | None:
    """A Word table's header and rows, or (where it has no header of its own and follows a table
    of its width with nothing between them) the rows of the table it continues, added to it."""
    header_at = None
    columns = None
    for position, (texts, _, whole) in enumerate(grid[:10]):
        if whole or sum(1 for text in texts if text) < 2:
            continue
        columns = recognise(trimmed(texts), overrides)
        if columns is not None:
            header_at = position
            break
    if header_at is None or columns is None:
        if continuing is not None and grid and len(grid[0][0]) == continuing.width:
            target = continuing
            start = 0
        else:
            first = next((texts for texts, _, whole in grid if not whole and any(texts)), None)
            if first is None:
                return None
            return _Found(tuple(first), None, [], number, heading, len(first))
    elif continuing is not None and _same_header(grid[header_at][0], continuing.header):
        target, start = continuing, header_at + 1  # the same table, after a page break
    else:
        header = tuple(grid[header_at][0])
        target = _Found(header, columns, [], number, heading, len(header))
        start = header_at + 1
    theme = target.rows[-1].theme if target.rows and target is continuing else ""
    for position, (texts, fills, whole) in enumerate(grid[start:], start + 1):
        if whole:
            theme = texts[0]
            continue
        if not any(texts) or _same_header(texts, target.header):
            continue  # an empty row, or the header row repeated at the top of each page
        target.rows.append(Row(texts, f"table {number}, row {position}", theme, fills))
    return target


def _same_header(texts: Sequence[str], header: Sequence[str]) -> bool:
    return [normalise(text) for text in trimmed(texts)] == [normalise(text) for text in trimmed(header)]
