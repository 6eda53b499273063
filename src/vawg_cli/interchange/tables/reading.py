"""A file to import, read into a table of actions: which reader it goes to, its size and encoding.

The file comes from another program, so nothing about it is trusted: a folder, a pipe or a
device is refused before it is opened, its size is capped, and its bytes are decoded only as
the encodings Excel and text editors save (else it is refused as binary data).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from vawg_cli.interchange.tables.columns import Columns, no_table_message, require_columns
from vawg_cli.interchange.tables.delimited import delimited_tables
from vawg_cli.interchange.tables.markdown import markdown_tables
from vawg_cli.interchange.tables.table import ImportProblem, Table, with_notes
from vawg_cli.interchange.tables.xlsx import xlsx_table
from vawg_cli.plan import limits
from vawg_cli.text import UTF8_BOM


def read_table(path: Path, overrides: Mapping[str, str]) -> tuple[Table, Columns]:
    """The table of actions in the file at `path`, and what its columns hold."""
    raw = _read_bytes(path)
    name = path.name
    if not raw.strip():
        raise ImportProblem(f"{path} is empty; there is nothing to import")
    if raw.startswith(b"PK\x03\x04"):
        return xlsx_table(raw, path, overrides)
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
    readers = (delimited_tables, markdown_tables) if delimited_first else (markdown_tables, delimited_tables)
    for reader in readers:
        tables = reader(text, name, overrides, path.suffix.lower())
        for table, columns in tables:
            if columns is not None and columns.complete:
                return with_notes(table, notes), columns
        found.extend(tables)
    for _, columns in found:
        if columns is not None:
            require_columns(path, columns)  # raises: a lead or target column is missing
    raise ImportProblem(no_table_message(path, found))


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
        f"{path} is not a text file, a CSV file or an .xlsx workbook (it holds binary data); "
        "give a text or Markdown file with the table pasted in, a CSV file or an .xlsx workbook"
    )
