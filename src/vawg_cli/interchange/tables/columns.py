"""Recognising what a table's columns hold, from their header wordings or `--map COLUMN=FIELD`.

Council tables name the same column many ways ("Lead(s)", "Lead agency", "Responsible"), so
headers are compared normalised, against wordings ranked best first. A spreadsheet or CSV file
may have title lines above its table: the header row is the first row whose columns are
recognised.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from vawg_cli.interchange.tables.table import ImportProblem, Row, Table, make_table, refuse_wide, trimmed
from vawg_cli.text import from_spreadsheet

FIELDS = ("id", "title", "leads", "target", "theme", "notes", "owner", "description", "rag", "progress", "ignore")
_FIELD_ALIASES = {
    "aim": "title",
    "aims": "title",
    "number": "id",
    "no": "id",
    "lead": "leads",
    "due": "target",
    "note": "notes",
    "skip": "ignore",
    "status": "rag",
    "colour": "rag",
    "update": "progress",
    "comments": "progress",
}


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Header wordings, normalised (lower case, letters and digits only), best first: where two
# columns could be the aim, the one whose wording comes first here is the aim.
HEADERS: dict[str, tuple[str, ...]] = {
    "id": _words("no number num ref refno reference id actionno actionnumber actionref actionid item itemno"),
    "title": _words(
        "aims aim action actions objectiveaction objectiveactions activity activities deliverable deliverables "
        "commitment commitments objective objectives task tasks what project title"
    ),
    "leads": _words(
        "lead leads leadagency leadagencies leadpartner leadpartners leadorganisation leadorganisations "
        "leadorganization leadorganizations leadbody responsible responsibility who actionowner owner owners"
    ),
    "target": _words(
        "targetdate target deadline timescale timescales due duedate bywhen whenby when timeframe completiondate "
        "targetcompletiondate targetcompletion enddate forecastenddate forecastdate"
    ),
    "theme": _words("theme themes objectivegroup priority priorities strand workstream"),
    "owner": ("leadofficer", "nominatedleadofficer", "contact", "contactofficer"),
    "description": ("description", "details"),
    "rag": _words("rag ragstatus ragrating status currentstatus rating deliverystatus progressrag completeyn complete"),
    "progress": _words(
        "progress progressupdate progresstodate update updates latestupdate comments comment commentary"
    ),
    "notes": ("notes", "note", "remarks"),
}
_AIM_WORDS = "Aims, Action, Activity, Objective"
_LEAD_WORDS = "Lead, Lead(s), Lead agency, Action owner, Who, Responsible"
_TARGET_WORDS = "Target Date, Deadline, Timescale, By when, End date"


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

    def usable(self, *, need_lead: bool = True) -> bool:
        """Complete, or with no lead column where --lead names the lead of every row."""
        return self.complete or (not need_lead and all(field in self.fields for field in ("title", "target")))


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


# --- The header row of a grid of cells ----------------------------------------------------------


def grid_table(
    grid: Sequence[tuple[int, Sequence[str]]],
    kind: str,
    overrides: Mapping[str, str],
    fills: Mapping[int, tuple[str, ...]] | None = None,
) -> tuple[Table, Columns | None] | None:
    """The table in rows of cells (a CSV file or a sheet): the header is the first row (of the
    first 200) in which the aim, lead and target columns are recognised, else the first with an
    aim column; rows above it are the document's title lines. `fills` are a sheet's cells'
    colours by row number ("FF0000"), for a RAG column coloured by hand."""
    grid = [(number, trimmed(cells)) for number, cells in grid]
    refuse_wide(((f"row {number}", cells) for number, cells in grid), kind)
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
        return make_table([cell.strip() for cell in grid[header_at][1]], [], kind), None
    position, _ = chosen
    header = [cell.strip() for cell in grid[position][1]]
    # A cell that vawg's own CSV export guarded against formulas ("'=SUM") reads back as written.
    rows = [
        Row(
            tuple(from_spreadsheet(cell.strip()) for cell in cells),
            f"row {number}",
            fills=(fills or {}).get(number, ())[: len(cells)],
        )
        for number, cells in grid[position + 1 :]
    ]
    before = [" ".join(cell.strip() for cell in cells if cell.strip()) for _, cells in grid[:position]]
    table = make_table(header, rows, kind, before=before)
    return table, recognise(table.header, overrides, table.rows)


# --- Recognising the columns ---------------------------------------------------------------------


def _guess(header: str) -> tuple[str, int] | None:
    """The field a header names, and how good a match it is (lower is better)."""
    key = normalise(header)
    for field, words in HEADERS.items():
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


def require_columns(path: Path, columns: Columns, *, need_lead: bool = True) -> None:
    missing = [
        f"{what} column ({words})"
        for field, what, words in (("leads", "lead", _LEAD_WORDS), ("target", "target", _TARGET_WORDS))
        if field not in columns.fields and (need_lead or field != "leads")
    ]
    if missing:
        headers = ", ".join(repr(name) for name in columns.header if name)
        raise ImportProblem(
            f"the table in {path} has no {' and no '.join(missing)}; its columns are {headers}. "
            f'Name the column, or say which it is with --map, e.g. --map "Responsible=leads"'
            + (
                "; a table with no lead column can name the lead of every row with --lead CODE"
                if need_lead and "leads" not in columns.fields
                else ""
            )
        )


def no_table_message(
    path: Path, found: Sequence[tuple[Table, Columns | None]], *, xlsx: bool = False, docx: bool = False
) -> str:
    looked = (
        "looked in the first sheet for a header row"
        if xlsx
        else "looked in every table of the document for a header row"
        if docx
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
