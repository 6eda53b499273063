"""Reading a table of actions out of a file, for `vawg import`: pure, nothing here writes.

A file's bytes become a `Table` (a header and rows of text cells): a Markdown table found
anywhere in a text or Markdown file with prose around it, comma-, semicolon- or tab-separated
rows (as Excel saves them, with or without a byte-order mark), or the first sheet of an .xlsx
workbook. Its columns are then recognised by their headers, and each row becomes the data of
one action. The file comes from another program, so nothing about it is trusted: its size, its
encoding and its shape are all checked, and a problem is a `VawgError` that says what to do.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from vawg_cli.errors import VawgError
from vawg_cli.model.schedule import TargetError, parse_target
from vawg_cli.plan import limits
from vawg_cli.text import from_spreadsheet, one_line

FIELDS = ("id", "title", "leads", "target", "theme", "notes", "owner", "description", "ignore")
_FIELD_ALIASES = {
    "aim": "title",
    "aims": "title",
    "number": "id",
    "no": "id",
    "lead": "leads",
    "due": "target",
    "note": "notes",
    "skip": "ignore",
}


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Header wordings, normalised (lower case, letters and digits only), best first: where two
# columns could be the aim, the one whose wording comes first here is the aim.
_HEADERS: dict[str, tuple[str, ...]] = {
    "id": _words("no number num ref refno reference id actionno actionnumber actionref actionid item itemno"),
    "title": _words("aims aim action actions activity activities objective objectives task tasks title"),
    "leads": _words(
        "lead leads leadagency leadagencies leadpartner leadpartners leadorganisation leadorganisations "
        "leadorganization responsible owner owners"
    ),
    "target": _words(
        "targetdate target deadline timescale timescales due duedate bywhen timeframe completiondate "
        "targetcompletiondate"
    ),
    "theme": _words("theme themes objectivegroup priority priorities strand workstream"),
    "owner": ("leadofficer", "contact"),
    "description": ("description", "details"),
    "notes": ("notes", "note", "comments", "comment", "remarks"),
}
_AIM_WORDS = "Aims, Action, Activity, Objective"
_LEAD_WORDS = "Lead, Lead(s), Lead agency, Owner"
_TARGET_WORDS = "Target Date, Deadline, Timescale, Due"
_SINGLE = ("id", "title", "leads", "target", "theme", "owner", "description")


class ImportProblem(VawgError):
    """The file to import cannot be read as a table of actions; nothing was written."""


class TooWide(ImportProblem):
    """A row has more columns than a table of actions."""


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    where: str
    """How to find the row in the file: "row 5" (a spreadsheet's numbering) or "row 3, line 21"."""


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


@dataclass(frozen=True)
class Columns:
    """The field each column of a table goes to ("ignore" for none)."""

    header: tuple[str, ...]
    fields: tuple[str, ...]

    def index(self, field: str) -> int | None:
        return self.fields.index(field) if field in self.fields else None

    @property
    def complete(self) -> bool:
        return all(field in self.fields for field in ("title", "leads", "target"))


@dataclass(frozen=True)
class RowData:
    """One row as an action: the text as written, and what is wrong with its target, if anything."""

    where: str
    number: int | None
    title: str
    leads: tuple[str, ...]
    target: str
    target_problem: str | None
    theme: str | None = None
    owner: str | None = None
    description: str | None = None
    notes: str | None = None


def normalise(header: str) -> str:
    """Headers compared: "Lead(s)", "LEADS" and "Lead (s)" are the same; "#" is a number column."""
    ascii_text = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode().lower()
    letters = re.sub(r"[^a-z0-9]", "", ascii_text)
    return "no" if not letters and "#" in header else letters


# --- --map COLUMN=FIELD --------------------------------------------------------------------------


def parse_map(items: Sequence[str]) -> dict[str, str]:
    """--map options as {normalised column: field}; a wrong one is an error naming the fields."""
    result: dict[str, str] = {}
    for item in items:
        column, equals, field = item.rpartition("=")
        field = _FIELD_ALIASES.get(field.strip().lower(), field.strip().lower())
        if not equals or not column.strip():
            raise ImportProblem(f'--map {item!r}: write it as COLUMN=FIELD, e.g. --map "Lead agency=leads"')
        if field not in FIELDS:
            raise ImportProblem(f"--map {item!r}: {field!r} is not a field; the fields are: {', '.join(FIELDS)}")
        result[normalise(column)] = field
    return result


# --- Reading the file ----------------------------------------------------------------------------


def read_table(path: Path, overrides: Mapping[str, str]) -> tuple[Table, Columns]:
    """The table of actions in the file at `path`, and what its columns hold."""
    raw = _read_bytes(path)
    name = path.name
    if not raw.strip():
        raise ImportProblem(f"{path} is empty; there is nothing to import")
    if raw.startswith(b"PK\x03\x04"):
        return _xlsx_table(raw, path, overrides)
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportProblem(
            f"{path} is an old Excel 97-2003 workbook (.xls) or another Office binary file; "
            "open it in Excel and save it as .xlsx or as CSV, then import that"
        )
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise ImportProblem(
            f"{path} is named {path.suffix} but is not an .xlsx workbook (it is not a zip archive); "
            "open it in Excel and save it again as .xlsx or as CSV"
        )
    text, notes = _decode(raw, path)
    delimited_first = path.suffix.lower() in (".csv", ".tsv", ".tab")
    found: list[tuple[Table, Columns | None]] = []
    readers = (_delimited_tables, _markdown_tables) if delimited_first else (_markdown_tables, _delimited_tables)
    for reader in readers:
        tables = reader(text, name, overrides, path.suffix.lower())
        for table, columns in tables:
            if columns is not None and columns.complete:
                return _with_notes(table, notes), columns
        found.extend(tables)
    for _, columns in found:
        if columns is not None:
            _require_columns(path, columns)  # raises: a lead or target column is missing
    raise ImportProblem(_no_table_message(path, found))


def _read_bytes(path: Path) -> bytes:
    import os
    import stat

    # Looked at before opening: opening a named pipe (FIFO) would wait for a writer for ever.
    kind = path.stat().st_mode
    if stat.S_ISDIR(kind):
        raise ImportProblem(f"{path} is a folder; give the file that holds the table")
    if not stat.S_ISREG(kind):
        raise ImportProblem(f"{path} is not a file (a pipe or a device); give the file that holds the table")
    # Non-blocking all the same: it could be swapped for a pipe between the look and the open.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ImportProblem(f"{path} is not a file (a pipe or a device); give the file that holds the table")
        if info.st_size > limits.MAX_IMPORT_BYTES:
            raise ImportProblem(
                f"{path} is {info.st_size / 1024 / 1024:.1f} MB; a table of actions is far smaller (the limit is "
                f"{limits.MAX_IMPORT_BYTES // 1024 // 1024} MB): is it the right file? Nothing was imported"
            )
        raw = handle.read(limits.MAX_IMPORT_BYTES + 1)
    if len(raw) > limits.MAX_IMPORT_BYTES:  # it grew while we looked
        raise ImportProblem(f"{path} is over {limits.MAX_IMPORT_BYTES // 1024 // 1024} MB; is it the right file?")
    return raw


def _decode(raw: bytes, path: Path) -> tuple[str, tuple[str, ...]]:
    """The file's text: UTF-8 (with or without a byte-order mark), UTF-16 as Excel's "Unicode
    Text", else Windows-1252 as older Excel saves CSV (said so in a note)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), ()
        except UnicodeDecodeError:
            raise ImportProblem(f"{path} starts like UTF-16 text but is not; save it as UTF-8 text or CSV") from None
    if b"\x00" in raw:
        raise ImportProblem(_binary(path))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    notes: tuple[str, ...] = ()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportProblem(_binary(path)) from None
        notes = (
            f"{path.name} is not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start}); "
            "it was read as Windows-1252, as Excel saves CSV: check the accented letters and dashes",
        )
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f")
    if controls > max(8, len(text) // 100):
        raise ImportProblem(_binary(path))
    return text, notes


def _binary(path: Path) -> str:
    return (
        f"{path} is not a text file, a CSV file or an .xlsx workbook (it holds binary data); "
        "give a text or Markdown file with the table pasted in, a CSV file or an .xlsx workbook"
    )


def _with_notes(table: Table, notes: tuple[str, ...]) -> Table:
    if not notes:
        return table
    return Table(table.header, table.rows, table.kind, table.before, table.after, (*notes, *table.notes))


# --- Markdown tables -----------------------------------------------------------------------------

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


def _markdown_tables(
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
        _refuse_wide(
            [
                (f"line {index + 1}", _trimmed(header)),
                *((f"line {row.where.rpartition(' ')[2]}", _trimmed(row.cells)) for row in rows),
            ],
            kind,
        )
        table = _table(
            header,
            rows,
            kind,
            before=lines[:index],
            after=lines[end:],
        )
        tables.append((table, recognise(table.header, overrides, table.rows)))
        index = end
    return tables


def _table(
    header: Sequence[str], rows: Sequence[Row], kind: str, *, before: Iterable[str] = (), after: Iterable[str] = ()
) -> Table:
    """A table whose rows all have the header's width: a longer row widens the header with
    unnamed columns (kept as notes), a shorter row is padded with empty cells."""
    width = max([len(header), *(len(row.cells) for row in rows)])
    padded = tuple(Row((*row.cells, *([""] * (width - len(row.cells)))), row.where) for row in rows)
    wide_header = (*header, *([""] * (width - len(header))))
    return Table(wide_header, padded, kind, tuple(before), tuple(after))


# --- CSV and TSV ---------------------------------------------------------------------------------

_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def _delimited_tables(
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
            found = _grid_table(grid, kind, overrides)
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


def _trimmed(cells: Sequence[str]) -> Sequence[str]:
    """A row without the empty cells after its last text (spreadsheets save many)."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells if end == len(cells) else cells[:end]


def _refuse_wide(rows: Iterable[tuple[str, Sequence[str]]], kind: str) -> None:
    """Refuse a table with a row of more than MAX_COLUMNS columns, before its headers are compared."""
    for where, cells in rows:
        if len(cells) > limits.MAX_COLUMNS:
            raise TooWide(
                f"{kind}: {where} has more than {limits.MAX_COLUMNS} columns; a table of actions has a "
                "dozen or so. Is it the right file? In a spreadsheet, delete the unused columns and save again"
            )


def _grid_table(
    grid: Sequence[tuple[int, Sequence[str]]], kind: str, overrides: Mapping[str, str]
) -> tuple[Table, Columns | None] | None:
    """The table in rows of cells (a CSV file or a sheet): the header is the first row (of the
    first 200) in which the aim, lead and target columns are recognised, else the first with an
    aim column; rows above it are the document's title lines."""
    grid = [(number, _trimmed(cells)) for number, cells in grid]
    _refuse_wide(((f"row {number}", cells) for number, cells in grid), kind)
    chosen: tuple[int, Columns] | None = None
    for position, (_, cells) in enumerate(grid[:200]):
        if len([cell for cell in cells if cell.strip()]) < 2:
            continue
        columns = recognise(tuple(cell.strip() for cell in cells), overrides)
        if columns is None:
            continue
        if columns.complete:
            chosen = (position, columns)
            break
        if chosen is None:
            chosen = (position, columns)
    if chosen is None:
        # No aim column: the first row of several cells is shown as what was found.
        header_at = next((i for i, (_, cells) in enumerate(grid[:200]) if sum(1 for c in cells if c.strip()) > 1), None)
        if header_at is None:
            return None
        return _table([cell.strip() for cell in grid[header_at][1]], [], kind), None
    position, _ = chosen
    header = [cell.strip() for cell in grid[position][1]]
    # A cell that vawg's own CSV export guarded against formulas ("'=SUM") reads back as written.
    rows = [
        Row(tuple(from_spreadsheet(cell.strip()) for cell in cells), f"row {number}")
        for number, cells in grid[position + 1 :]
    ]
    before = [" ".join(cell.strip() for cell in cells if cell.strip()) for _, cells in grid[:position]]
    table = _table(header, rows, kind, before=before)
    return table, recognise(table.header, overrides, table.rows)


# --- .xlsx ---------------------------------------------------------------------------------------


def _xlsx_table(raw: bytes, path: Path, overrides: Mapping[str, str]) -> tuple[Table, Columns]:
    import io
    import warnings
    import zipfile

    unreadable = (
        f"{path} cannot be read as an .xlsx workbook (it is a zip archive, but not a workbook vawg "
        "can read: a Word document, or a damaged file?); open it in Excel and save it as .xlsx or CSV"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportProblem(unreadable) from None
    unpacked = sum(info.file_size for info in members)
    text = sum(info.file_size for info in members if info.filename.lower().endswith("sharedstrings.xml"))
    if text > limits.MAX_SHARED_STRINGS_BYTES:
        raise ImportProblem(
            f"{path} holds {text // 1024 // 1024} MB of text; a table of actions holds far less "
            f"(the limit is {limits.MAX_SHARED_STRINGS_BYTES // 1024 // 1024} MB): is it the right file?"
        )
    if unpacked > limits.MAX_UNPACKED_BYTES:
        raise ImportProblem(f"{path} unpacks to {unpacked // 1024 // 1024} MB; that is not a table of actions")
    # Imported here: only an .xlsx needs it, and it takes a while to import.
    from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

    grid: list[tuple[int, list[str]]] = []
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
                title, count = sheet.title, len(sheets)
            finally:
                book.close()
    except ImportProblem:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportProblem(unreadable) from None
    kind = f"the first sheet ({title!r}) of {path.name}"
    found = _grid_table(grid, kind, overrides)
    notes = (f"{path.name} has {count} sheets; only the first, {title!r}, was read",) if count > 1 else ()
    if found is None or found[1] is None:
        raise ImportProblem(_no_table_message(path, [found] if found else [], xlsx=True))
    table, columns = found[0], found[1]
    _require_columns(path, columns)
    return _with_notes(table, notes), columns


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


# --- Recognising the columns ---------------------------------------------------------------------


def _guess(header: str) -> tuple[str, int] | None:
    """The field a header names, and how good a match it is (lower is better)."""
    key = normalise(header)
    for field, words in _HEADERS.items():
        if key in words:
            return field, words.index(key)
    return None


def recognise(header: Sequence[str], overrides: Mapping[str, str], rows: Sequence[Row] = ()) -> Columns | None:
    """The field of each column, or None when no column is the aim.

    --map decides first. Where two columns could be the same field, the better wording wins and
    the other is kept: a second aim-like "Objective" becomes the theme, a second lead-like
    "Owner" the owner, anything else goes into the notes. Columns with no header and no text are
    ignored. Nothing with text in it is dropped.
    """
    fields: list[str | None] = [overrides.get(normalise(name)) if name else None for name in header]
    best: dict[str, tuple[int, int]] = {}
    for position, name in enumerate(header):
        guess = _guess(name) if fields[position] is None else None
        if guess is None or guess[0] in fields:  # --map may have given this field to another column
            continue
        field, rank = guess
        if field not in best or rank < best[field][0]:
            best[field] = (rank, position)
    for field, (_, position) in best.items():
        fields[position] = field
    if "title" not in fields:
        return None
    result: list[str] = []
    for position, name in enumerate(header):
        chosen = fields[position]
        if chosen is None:
            guess = _guess(name)
            if guess and guess[0] == "title" and normalise(name).startswith("objective") and "theme" not in fields:
                chosen = "theme"
            elif guess and guess[0] == "leads" and "owner" not in fields:
                chosen = "owner"
            elif not name and not any(row.cells[position].strip() for row in rows if position < len(row.cells)):
                chosen = "ignore"
            else:
                chosen = "notes"
            fields[position] = chosen
        result.append(chosen)
    return Columns(tuple(header), tuple(result))


def _require_columns(path: Path, columns: Columns) -> None:
    missing = [
        f"{what} column ({words})"
        for field, what, words in (("leads", "lead", _LEAD_WORDS), ("target", "target", _TARGET_WORDS))
        if field not in columns.fields
    ]
    if missing:
        headers = ", ".join(repr(name) for name in columns.header if name)
        raise ImportProblem(
            f"the table in {path} has no {' and no '.join(missing)}; its columns are {headers}. "
            f'Name the column, or say which it is with --map, e.g. --map "Responsible=leads"'
        )


def _no_table_message(path: Path, found: Sequence[tuple[Table, Columns | None]], *, xlsx: bool = False) -> str:
    looked = (
        "looked in the first sheet for a header row"
        if xlsx
        else "looked for a Markdown table (a | header | row, a |---| line, then rows) and for comma-, "
        "semicolon- or tab-separated rows"
    )
    message = f"no table with an aim column ({_AIM_WORDS}) was found in {path}; {looked}"
    headers = [", ".join(repr(name) for name in table.header if name) for table, _ in found if table.header]
    if len(headers) == 1:
        message += f". The table found has the columns {headers[0]}"
    elif headers:
        message += ". The tables found have the columns " + "; ".join(headers[:3])
    return message + '. Name the aim column, or say which it is with --map, e.g. --map "COLUMN=title"'


# --- Rows into actions ---------------------------------------------------------------------------

_PRIMARY_SEPARATORS = re.compile(r"\s*(?:/|,|;|&|\+|\n)\s*")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
# At most nine digits: a longer "number" is not an action's, and one of thousands cannot be read.
_NUMBER = re.compile(r"(?:action\s*)?#?\s*(\d{1,9})\s*\.?", re.IGNORECASE)


def split_leads(text: str, known: Mapping[str, str]) -> list[str]:
    """Joint leads as a list: "LBB / Met", "LBB, Met" and "LBB and Met" each give ["LBB", "Met"].

    `known` maps partners' codes and full names (lower case) to their codes: a known name is
    never split ("Health and Wellbeing Board"), and "met" is written as the plan's "Met".
    """
    whole = "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    if not whole:
        return []
    if (flat := " ".join(whole.split()).lower()) in known:
        return [known[flat]]
    leads: list[str] = []
    for piece in _PRIMARY_SEPARATORS.split(whole):
        piece = piece.strip(" .")
        if not piece:
            continue
        parts = [piece] if piece.lower() in known else [part.strip(" .") for part in _AND.split(piece)]
        for part in parts:
            code = known.get(part.lower(), part)
            if part and code not in leads:
                leads.append(code)
    return leads


def _short(text: str, longest: int = 60) -> str:
    """A cell's start, for a message: a cell can hold a whole pasted page."""
    return text if len(text) <= longest else text[:longest] + "..."


def to_actions(table: Table, columns: Columns, known: MutableMapping[str, str]) -> list[RowData]:
    """Each row with any text as an action's data; every row that cannot be one is an error.

    `known` (partners' codes and names in lower case, to codes) grows with each new lead code,
    so "MET" in a later row is written as the "Met" of an earlier one.
    """
    if len(table.rows) > limits.MAX_ROWS:
        raise ImportProblem(f"the table has {len(table.rows)} rows; vawg imports at most {limits.MAX_ROWS} at a time")
    id_at = columns.index("id")
    numbered = id_at is not None and any(row.cells[id_at].strip() for row in table.rows)
    problems: list[str] = []
    actions: list[RowData] = []
    first_with: dict[int, str] = {}
    for row in table.rows:
        if not any(cell.strip() for cell in row.cells):
            continue
        errors_before = len(problems)

        def cell(field: str, row: Row = row) -> str:
            at = columns.index(field)
            return row.cells[at].strip() if at is not None else ""

        title = one_line(cell("title"))
        leads = tuple(split_leads(cell("leads"), known))
        target = one_line(cell("target"))
        number = None
        if numbered:
            written = cell("id")
            match = _NUMBER.fullmatch(written)
            if match is None or int(match[1]) == 0:
                problems.append(
                    f"{row.where}: the number {_short(written)!r} is not a whole number above 0"
                    if written
                    else f"{row.where} has no number while other rows have one"
                )
            else:
                number = int(match[1])
                if number in first_with:
                    problems.append(f"{row.where} has the number {number}, as {first_with[number]} has")
                first_with.setdefault(number, row.where)
        if not title:
            problems.append(f"{row.where} has no aim")
        if not leads:
            problems.append(f"{row.where} has no lead")
        if len(problems) > errors_before:
            continue
        for lead in leads:
            known.setdefault(lead.lower(), lead)
        problem = None
        if not target:
            problem = "has no target"
        else:
            try:
                parse_target(target)
            except TargetError:
                problem = f"target {target!r} is not a date vawg can read"
        notes = [
            (name or f"Column {position + 1}", row.cells[position].strip())
            for position, (name, field) in enumerate(zip(columns.header, columns.fields, strict=True))
            if field == "notes" and row.cells[position].strip()
        ]
        note_text = (
            notes[0][1]
            if len(notes) == 1 and normalise(notes[0][0]) in _HEADERS["notes"]
            else "\n".join(f"{name}: {value}" for name, value in notes)
        )
        actions.append(
            RowData(
                where=row.where,
                number=number,
                title=title,
                leads=leads,
                target=target,
                target_problem=problem,
                theme=one_line(cell("theme")) or None,
                owner=one_line(cell("owner")) or None,
                description=cell("description") or None,
                notes=note_text or None,
            )
        )
    if problems:
        shown = "\n  ".join(problems[:20]) + (f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else "")
        raise ImportProblem(
            f"{len(problems)} row(s) cannot be imported; correct them in the file and import again "
            f"(nothing was written):\n  {shown}"
        )
    if not actions:
        raise ImportProblem("the table has a header but no rows of actions; there is nothing to import")
    return actions


# --- The plan's title and period, from the words around the table --------------------------------

_TITLE_PREFIX = re.compile(
    r"^(?:appendix|annex|annexe|schedule|table|section|part)\s+[\w.]+\s*[-\u2013\u2014:.]\s*", re.IGNORECASE
)
_YEARS = re.compile(r"\b((?:19|20)\d{2})\s*(?:-|\u2013|\u2014|to)\s*((?:19|20)?\d{2})\b")


def _heading(line: str) -> str:
    text = re.sub(r"^\s*(?:#+|[-*+]|\d+[.)])\s+", "", line).strip().strip("*_ ").strip()
    return text


def plan_title(before: Sequence[str], after: Sequence[str] = ()) -> str | None:
    """The nearest heading-like line above the table that names an action plan (else below it),
    without an "Appendix B - " in front: a sentence of prose is not a title."""
    for line in [*reversed(before), *after]:
        text = _heading(line)
        if "action plan" not in text.lower() or len(text) > 120 or text.endswith((".", ":", ";", ",")):
            continue
        title = _TITLE_PREFIX.sub("", text).strip()
        if title:
            return title
    return None


def plan_years(before: Sequence[str], after: Sequence[str] = ()) -> tuple[int, int] | None:
    """The plan's years where the text says them ("The Action plan 2024-2028"): a line that
    mentions a plan or strategy first."""
    lines = [*before, *after]
    ranked = [line for line in lines if re.search(r"plan|strategy", line, re.IGNORECASE)] + lines
    for line in ranked:
        for match in _YEARS.finditer(line):
            first = int(match[1])
            last = int(match[2]) if len(match[2]) == 4 else first // 100 * 100 + int(match[2])
            if first < last <= first + 10:
                return first, last
    return None
