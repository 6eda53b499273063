"""Plan text made safe to show in a terminal: controls and direction overrides as visible escapes.

Titles, notes, partner codes and file names come from many hands. Shown raw, an escape sequence
(ESC, `\\x1b[2J`) could clear the screen, recolour or hide lines, or retitle the window, and a
right-to-left override (U+202E) could make a line read differently from what it holds. Each such
character is shown instead as the escape that names it: `\\x1b`, `\\u202e`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

# C0 controls but tab and newline, DEL, C1 controls; the invisible marks that change the direction
# of text (Trojan Source, CVE-2021-42574); the line and paragraph separators some terminals break
# lines at; a byte-order mark or non-character inside text; and lone surrogates, which cannot be
# written as UTF-8 at all.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]"
)
# A carriage return alone moves back over what the line showed; ending a Windows line, it does not.
_UNSAFE_OR_LONE_CR = re.compile(_UNSAFE.pattern + "|\r(?!\n)")
_UNSAFE_OR_BREAK = re.compile(_UNSAFE.pattern[:-1] + "\r\n]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, newlines: bool = False) -> str:
    """`text` with every character that could act on a terminal shown as its escape.

    Newlines are escaped too unless `newlines` is true: one diagnostic, one line.
    """
    # Every character escaped below is one Python counts as unprintable (a control, format,
    # separator, surrogate or unassigned character), so text that is all printable, nearly all
    # of a plan, is returned as it is without running the pattern: a tenth of printing a long plan.
    if text.isprintable():
        return text
    return (_UNSAFE_OR_LONE_CR if newlines else _UNSAFE_OR_BREAK).sub(_escape, text)


def printable_json(document: str) -> str:
    """A JSON document with every character `printable` escapes written as a JSON `\\u` escape.

    A tool reading the document gets the same values (`json.loads` turns `\\u202e` back into the
    character), while a terminal or a page showing the JSON itself never meets a raw control or
    direction override. `json.dumps` escapes only C0 controls, `"` and `\\` when it keeps other
    characters as they are, as it should for é, Welsh or emoji. Outside strings JSON allows only
    space, tab, CR and LF, which this leaves alone, so every character replaced sits in a string.
    """
    return _UNSAFE.sub(lambda match: f"\\u{ord(match[0]):04x}", document)


# --- Small text helpers every layer uses: one owner each ------------------------------------------

UTF8_BOM = b"\xef\xbb\xbf"
"""The byte-order mark Windows editors put at the start of UTF-8 files, and Excel wants in a CSV."""


def iso(day: date | None) -> str | None:
    """A date as JSON and CSV carry it (2025-04-30), or None."""
    return day.isoformat() if day else None


def day(value: date | None) -> str:
    """A date as people write it in a paper ("3 Feb 2026"), or "-" for none.

    One owner, so that the paper, the diff, the returns and the reasons the core gives write a
    day the same way, byte for byte. (Not %-d: Windows has no such directive.)
    """
    return f"{value.day} {value:%b %Y}" if value else "-"


def plural(number: int, word: str) -> str:
    """ "1 day", "2 days", "0 errors": a count with its noun (nouns whose plural adds an s)."""
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def one_line(text: str) -> str:
    """Text with every run of white space, line breaks included, as one space."""
    return " ".join(text.split())


# A cell starting with one of these is run as a formula by Excel and LibreOffice (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Plan text for a CSV cell that a spreadsheet shows as text and never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def spreadsheet_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A table for a spreadsheet: UTF-8 with a byte-order mark and CRLF, as Excel writes CSV, and
    text cells that never run as formulas (numbers stay numbers)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) if isinstance(cell, str) else cell for cell in row])
    return UTF8_BOM + out.getvalue().encode("utf-8")


def from_spreadsheet(text: str) -> str:
    """A cell as `spreadsheet_safe` wrote it, back as the plan text: "'+1 more refuges" is "+1 more refuges".

    Only an apostrophe before a formula's first character is taken off: it can only be the guard
    (a spreadsheet keeps its own text mark out of the cell's value).
    """
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def file_diff(old: str, new: str, path: Path, folder: Path) -> str:
    """A unified diff of a plan file's text, as git shows it: named from the plan folder's parent
    (`plan/actions/03-...yaml`), and from /dev/null for a new file."""
    import difflib  # slow to import, and only a write's diff needs it

    relative = path.relative_to(folder.parent) if folder.parent in path.parents else path
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"a/{relative}" if old else "/dev/null",
            tofile=f"b/{relative}",
        )
    )


# The most of a file's text one message quotes: enough to recognise a value, too little to copy
# a file (a link to /etc/passwd, a secrets file saved as .yaml) into a CI log.
MAX_QUOTED_CHARS = 60


def excerpt(text: object) -> str:
    """Text from a file as a message may show it: cut short with an ellipsis."""
    value = str(text)
    return value if len(value) <= MAX_QUOTED_CHARS else value[:MAX_QUOTED_CHARS] + "…"


def quoted(text: object) -> str:
    """Text from a file as a message quotes it: in quotes, cut short with an ellipsis."""
    return repr(excerpt(text))
