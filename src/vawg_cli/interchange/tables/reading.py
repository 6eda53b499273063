"""A file to import, read into a table of actions: which reader it goes to, its size and encoding.

The file comes from another program, so nothing about it is trusted: a folder, a pipe or a
device is refused before it is opened, its size is capped, and its bytes are decoded only as
the encodings Excel and text editors save (else it is refused as binary data).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from vawg_cli.interchange.tables.archive import office_kind
from vawg_cli.interchange.tables.columns import Columns, no_table_message, require_columns
from vawg_cli.interchange.tables.delimited import delimited_tables
from vawg_cli.interchange.tables.docx import docx_table
from vawg_cli.interchange.tables.markdown import markdown_tables
from vawg_cli.interchange.tables.merging import heading_above, merge_tables
from vawg_cli.interchange.tables.table import ImportProblem, Row, Table, with_notes
from vawg_cli.interchange.tables.xlsx import xlsx_table
from vawg_cli.plan import limits
from vawg_cli.text import UTF8_BOM


def read_table(path: Path, overrides: Mapping[str, str], *, need_lead: bool = True) -> tuple[Table, Columns]:
    """The table of actions in the file at `path`, and what its columns hold.

    `need_lead` False (--lead names every row's lead) accepts a table with no lead column.
    """
    raw = read_bytes(path)
    name = path.name
    suffix = path.suffix.lower()
    if not raw.strip():
        raise ImportProblem(f"{path} is empty; there is nothing to import")
    if raw.startswith(b"PK\x03\x04"):
        return _office(raw, path, overrides, need_lead=need_lead)
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportProblem(
            f"{path} is an old Word or Excel 97-2003 file (.doc, .xls) or another Office binary file; "
            "open it in Word or Excel and save it as .docx or .xlsx (or the table as CSV), then import that"
        )
    if suffix in (".xlsx", ".xlsm", ".docx", ".docm"):
        what = "a Word document" if suffix.startswith(".doc") else "an .xlsx workbook"
        again = "Word Document (.docx)" if suffix.startswith(".doc") else ".xlsx or as CSV"
        raise ImportProblem(
            f"{path} is named {path.suffix} but is not {what} (it is not a zip archive); "
            f"open it in {'Word' if suffix.startswith('.doc') else 'Excel'} and save it again as {again}"
        )
    text, notes = decode_text(raw, path)
    delimited_first = suffix in (".csv", ".tsv", ".tab")
    found: list[tuple[Table, Columns | None]] = []
    readers = (delimited_tables, markdown_tables) if delimited_first else (markdown_tables, delimited_tables)
    for reader in readers:
        tables = reader(text, name, overrides, suffix)
        usable = [
            (table, columns) for table, columns in tables if columns is not None and columns.usable(need_lead=need_lead)
        ]
        if usable:
            # Each separator tried gives its own reading of the same rows: only Markdown has several tables.
            table, columns = _several(usable if reader is markdown_tables else usable[:1], name)
            return with_notes(table, notes), columns
        found.extend(tables)
    for _, recognised in found:
        if recognised is not None:
            require_columns(path, recognised, need_lead=need_lead)  # raises: a lead or target column is missing
    raise ImportProblem(no_table_message(path, found))


def _several(usable: list[tuple[Table, Columns]], name: str) -> tuple[Table, Columns]:
    """One table, or several Markdown tables (one per priority) as one, each row themed by its
    table's heading where the tables have different headings."""
    if len(usable) == 1:
        return usable[0]
    headings = [heading_above(table.before) for table, _ in usable]
    themed = len(set(headings)) > 1
    tables = [
        (
            Table(
                table.header,
                tuple(
                    Row(row.cells, row.where, row.theme or (heading if themed else ""), row.fills) for row in table.rows
                ),
                table.kind,
            ),
            columns,
        )
        for (table, columns), heading in zip(usable, headings, strict=True)
    ]
    first, last = usable[0][0], usable[-1][0]
    return merge_tables(tables, f"{len(tables)} Markdown tables of {name}", before=first.before, after=last.after)


def _office(raw: bytes, path: Path, overrides: Mapping[str, str], *, need_lead: bool) -> tuple[Table, Columns]:
    """A Word document or an Excel workbook, told apart by what the archive holds; never one with macros."""
    kind = office_kind(raw)
    suffix = path.suffix.lower()
    if kind == "docm" or suffix in (".docm", ".xlsm", ".dotm"):
        raise ImportProblem(
            f"{path} is a macro-enabled Office file; vawg does not open those. In Word (or Excel), "
            "use File > Save As and choose Word Document (.docx) (or Excel Workbook, .xlsx), then import that"
        )
    if kind == "docx" or (not kind and suffix in (".docx", ".dotx")):
        return docx_table(raw, path, overrides, need_lead=need_lead)
    return xlsx_table(raw, path, overrides, need_lead=need_lead)


def read_bytes(path: Path, give: str = "the file that holds the table", kind: str = "a table of actions") -> bytes:
    """The file's bytes, refused unless it is a plain file of at most MAX_IMPORT_BYTES; `give` and
    `kind` say in the messages what file was wanted."""
    import os
    import stat

    # Looked at before opening: opening a named pipe (FIFO) would wait for a writer for ever.
    mode = path.stat().st_mode
    if stat.S_ISDIR(mode):
        raise ImportProblem(f"{path} is a folder; give {give}")
    if not stat.S_ISREG(mode):
        raise ImportProblem(f"{path} is not a file (a pipe or a device); give {give}")
    # Non-blocking all the same: it could be swapped for a pipe between the look and the open.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ImportProblem(f"{path} is not a file (a pipe or a device); give {give}")
        if info.st_size > limits.MAX_IMPORT_BYTES:
            raise ImportProblem(
                f"{path} is {info.st_size / 1024 / 1024:.1f} MB; {kind} is far smaller (the limit is "
                f"{limits.MAX_IMPORT_BYTES // 1024 // 1024} MB): is it the right file? Nothing was imported"
            )
        raw = handle.read(limits.MAX_IMPORT_BYTES + 1)
    if len(raw) > limits.MAX_IMPORT_BYTES:  # it grew while we looked
        raise ImportProblem(f"{path} is over {limits.MAX_IMPORT_BYTES // 1024 // 1024} MB; is it the right file?")
    return raw


def decode_text(raw: bytes, path: Path) -> tuple[str, tuple[str, ...]]:
    """The file's text: UTF-8 (with or without a byte-order mark), UTF-16 as Excel's "Unicode
    Text", else Windows-1252 as older Excel saves CSV (said so in a note)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), ()
        except UnicodeDecodeError:
            raise ImportProblem(f"{path} starts like UTF-16 text but is not; save it as UTF-8 text or CSV") from None
    if b"\x00" in raw:
        raise ImportProblem(_binary(path))
    if raw.startswith(UTF8_BOM):
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
        f"{path} is not a text file, a CSV file, a Word document or an .xlsx workbook (it holds binary data); "
        "give a text or Markdown file with the table pasted in, a CSV file, a .docx or an .xlsx workbook"
    )
