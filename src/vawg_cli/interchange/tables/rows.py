"""Rows of a table into the data of actions: their numbers, joint leads, targets and notes.

Every row that cannot be an action is an error, and all of them are reported at once; a row
whose target vawg cannot read is kept, with its target as written, for the user to fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, replace

from vawg_cli.interchange.tables.colours import colour_of_fill, colour_of_text
from vawg_cli.interchange.tables.columns import HEADERS, Columns, normalise
from vawg_cli.interchange.tables.leads import code_for, is_full_name, means_everyone, names_no_one
from vawg_cli.interchange.tables.table import ImportProblem, Row, Table
from vawg_cli.model.records import Rag
from vawg_cli.model.schedule import TargetError, parse_target
from vawg_cli.plan import limits
from vawg_cli.plan.leads import joint_leads
from vawg_cli.text import one_line


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
    ref: str | None = None
    """The table's own reference where it is not a whole number ("DAB 1", "1.1")."""
    rag: Rag | None = None
    """The colour of the row's RAG or status cell (its shading or its words): the first update."""
    progress: str | None = None
    """The row's progress or comments text: the first update's note, where it has a colour."""
    everyone: bool = False
    """The lead cell says "All partners": every partner leads it (filled in by `for_everyone`)."""
    lead_given: bool = False
    """The lead is --lead's: the row names none."""


# --- Rows into actions ---------------------------------------------------------------------------

# At most nine digits: a longer "number" is not an action's, and one of thousands cannot be read.
_NUMBER = re.compile(r"(?:action\s*)?#?\s*(\d{1,9})\s*\.?", re.IGNORECASE)
# A plan's own reference ("DAB 1", "1.1", "P2-3", "2a"): short, and more than digits.
_REF = re.compile(r"(?=.*[^\d\s])[A-Za-z0-9][\w .()/-]{0,23}")


def split_leads(text: str, known: Mapping[str, str], names: MutableMapping[str, str] | None = None) -> list[str]:
    """Joint leads as a list: "LBB / Met", "LBB, Met" and "LBB and Met" each give ["LBB", "Met"].

    `known` maps partners' codes and full names (lower case) to their codes: a known name is
    never split ("Health and Wellbeing Board"), and "met" is written as the plan's "Met". With
    `names` (codes to full names, and `known` then mutable), a lead written as a full name that
    is not a partner's becomes a code of its initials: "Public Health Scotland" is "PHS".
    """
    whole = "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    if not whole:
        return []
    if (flat := " ".join(whole.split()).lower()) in known:
        return [known[flat]]
    leads: list[str] = []
    for part in joint_leads(whole, lambda piece: piece.lower() in known or _one_name(piece)):
        code = known.get(part.lower(), part)
        if code == part and names is not None and isinstance(known, MutableMapping) and is_full_name(part):
            code = code_for(part, known, names)
        if code not in leads:
            leads.append(code)
    return leads


def _one_name(piece: str) -> bool:
    """ "Health and Wellbeing Board" is one name; "Scottish Government and COSLA" is two leads: a
    part in capitals is a partner's code."""
    parts = re.split(r"\s+and\s+", piece, flags=re.IGNORECASE)
    return is_full_name(piece) and not any(part.isupper() for part in parts)


def _short(text: str, longest: int = 60) -> str:
    """A cell's start, for a message: a cell can hold a whole pasted page."""
    return text if len(text) <= longest else text[:longest] + "..."


def to_actions(
    table: Table,
    columns: Columns,
    known: MutableMapping[str, str],
    *,
    names: MutableMapping[str, str] | None = None,
    lead: str | None = None,
) -> list[RowData]:
    """Each row with any text as an action's data; every row that cannot be one is an error.

    `known` (partners' codes and names in lower case, to codes) grows with each new lead code,
    so "MET" in a later row is written as the "Met" of an earlier one; `names` (codes to full
    names) gains the partners first written by their full names. `lead` (--lead) is the lead of
    each row that names none. A number column with any reference that is not a whole number
    ("DAB 1", "1.1") is kept as each action's `ref`, and the actions are numbered in table order.
    """
    if len(table.rows) > limits.MAX_ROWS:
        raise ImportProblem(f"the table has {len(table.rows)} rows; vawg imports at most {limits.MAX_ROWS} at a time")
    id_at = columns.index("id")
    written_ids = [row.cells[id_at].strip() for row in table.rows] if id_at is not None else []
    referenced = any(not _NUMBER.fullmatch(text) and _REF.fullmatch(text) for text in written_ids if text)
    numbered = any(written_ids) and not referenced
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
        everyone = means_everyone(cell("leads"))
        leads = () if everyone or names_no_one(cell("leads")) else tuple(split_leads(cell("leads"), known, names))
        lead_given = not leads and not everyone and lead is not None
        if lead_given and lead is not None:
            # --lead is read as a lead cell is: "lbb" is the plan's LBB, "LBB / Met" two leads,
            # "All partners" every partner.
            everyone = means_everyone(lead)
            leads = () if everyone else tuple(split_leads(lead, known, names))
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
        if not leads and not everyone:
            problems.append(
                f"{row.where} has no lead"
                + ("" if columns.index("leads") is not None else "; name the lead of every row with --lead CODE")
            )
        if len(problems) > errors_before:
            continue
        for code in leads:
            known.setdefault(code.lower(), code)
        problem = None
        if not target:
            problem = "has no target"
        else:
            try:
                parse_target(target)
            except TargetError:
                problem = f"target {target!r} is not a date vawg can read"
        rag, progress, kept = _first_update(row, columns)
        notes = [
            (name or f"Column {position + 1}", row.cells[position].strip())
            for position, (name, field) in enumerate(zip(columns.header, columns.fields, strict=True))
            if (field == "notes" or position in kept) and row.cells[position].strip()
        ]
        note_text = (
            notes[0][1]
            if len(notes) == 1 and normalise(notes[0][0]) in (*HEADERS["notes"], *HEADERS["progress"])
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
                theme=one_line(cell("theme")) or one_line(row.theme) or None,
                owner=one_line(cell("owner")) or None,
                description=cell("description") or None,
                notes=note_text or None,
                ref=one_line(cell("id")) or None if referenced else None,
                rag=rag,
                progress=progress,
                everyone=everyone,
                lead_given=lead_given,
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


def _first_update(row: Row, columns: Columns) -> tuple[Rag | None, str | None, set[int]]:
    """The colour of the row's RAG or status cell (its words, else its shading, else the progress
    cell's shading) and its progress text; and the columns to keep in the notes instead: a status
    that is not a colour ("Ongoing"), and the progress text of a row with no colour."""
    rag_at, progress_at = columns.index("rag"), columns.index("progress")
    words = row.cells[rag_at].strip() if rag_at is not None else ""
    fills = [row.fills[at] for at in (rag_at, progress_at) if at is not None and at < len(row.fills)]
    colour = colour_of_text(words) if words else None
    for fill in fills:
        colour = colour or colour_of_fill(fill)
    kept = {rag_at} if rag_at is not None and words and colour_of_text(words) is None else set()
    progress = row.cells[progress_at].strip() if progress_at is not None else ""
    if colour is None:
        return None, None, kept | ({progress_at} if progress_at is not None else set())
    return colour, progress or None, kept


def for_everyone(rows: Sequence[RowData], partners: Sequence[str]) -> list[RowData]:
    """Rows whose lead is "All partners" led by every partner; an error if there are none."""
    if any(row.everyone for row in rows) and not partners:
        raise ImportProblem(
            'every row\'s lead is "All partners", and no partner is named anywhere in the table; '
            "name the partners in plan.yaml first, or the lead of every row with --lead CODE"
        )
    return [replace(row, leads=tuple(partners)) if row.everyone else row for row in rows]
