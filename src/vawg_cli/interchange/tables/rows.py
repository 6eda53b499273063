"""Rows of a table into the data of actions: their numbers, joint leads, targets and notes.

Every row that cannot be an action is an error, and all of them are reported at once; a row
whose target vawg cannot read is kept, with its target as written, for the user to fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass

from vawg_cli.interchange.tables.columns import HEADERS, Columns, normalise
from vawg_cli.interchange.tables.table import ImportProblem, Row, Table
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


# --- Rows into actions ---------------------------------------------------------------------------

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
    for part in joint_leads(whole, lambda piece: piece.lower() in known):
        code = known.get(part.lower(), part)
        if code not in leads:
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
            if len(notes) == 1 and normalise(notes[0][0]) in HEADERS["notes"]
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
