"""An Office file's zip archive, looked into before anything unpacks it: what it is, and whether
its sizes are those of a document (a small file can unpack to gigabytes: a "zip bomb")."""

from __future__ import annotations

from pathlib import Path

from vawg_cli.interchange.tables.table import ImportProblem
from vawg_cli.plan import limits


def archive_names(raw: bytes, path: Path, unreadable: str, *, text_part: str) -> list[str]:
    """The names of the archive's members, after its sizes are checked; `text_part` ends the name
    of the member that holds the text ("sharedstrings.xml", "document.xml")."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportProblem(unreadable) from None
    unpacked = sum(info.file_size for info in members)
    text = sum(info.file_size for info in members if info.filename.lower().endswith(text_part))
    if text > limits.MAX_SHARED_STRINGS_BYTES:
        raise ImportProblem(
            f"{path} holds {text // 1024 // 1024} MB of text; a table of actions holds far less "
            f"(the limit is {limits.MAX_SHARED_STRINGS_BYTES // 1024 // 1024} MB): is it the right file?"
        )
    if unpacked > limits.MAX_UNPACKED_BYTES:
        raise ImportProblem(f"{path} unpacks to {unpacked // 1024 // 1024} MB; that is not a table of actions")
    return [info.filename for info in members]


def office_kind(raw: bytes) -> str:
    """ "docx", "docm", "xlsx" or "" (not an Office document vawg knows), from the members' names."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = {name.lower() for name in archive.namelist()}
    except (zipfile.BadZipFile, ValueError, OSError):
        return ""
    if "word/document.xml" in names:
        return "docm" if "word/vbaproject.bin" in names else "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return ""
