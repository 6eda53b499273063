"""A new action file: its name and its text, for `vawg new` and `vawg import` alike.

Both write files in the layout of the bundled plan's (comments that say how the file came to
be and how to log progress, then id, title, leads, target, optional fields, `added` and an
empty `updates` list), so that a file looks the same whichever command made it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from vawg_cli.plan.loading import SCHEMA_DIR

SCHEMA_COMMENT = f"# yaml-language-server: $schema=../{SCHEMA_DIR}/action.schema.json"
"""The first line of an action file in a plan with a schema/ folder: editors then check it as typed."""
HOW_TO_LOG = "# Log progress under updates, oldest first: date, rag (red, amber, green, blue, grey) and note."


@dataclass(frozen=True)
class NewAction:
    """What a new action file holds, as the user or the table wrote it."""

    id: int
    title: str
    leads: Sequence[str]
    target: str
    owner: str | None = None
    theme: str | None = None
    description: str | None = None
    notes: str | None = None
    added: date | None = None
    """The day the action joins a plan that already runs (papers for earlier quarters leave it
    out); None for the actions a new plan starts with, which count from its start."""
    ref: str | None = None
    """The plan's own reference where it is not the id ("DAB 1", "1.1")."""
    first_update: FirstUpdate | None = None
    """The progress the table already showed (a RAG cell's colour and its progress text)."""


@dataclass(frozen=True)
class FirstUpdate:
    """An update a new file starts with: a date, a colour ("amber") and a note saying where it came from."""

    date: date
    rag: str
    note: str


def file_name(number: int, title: str) -> str:
    """ "07-deliver-vawg-training-for-bexley.yaml": the id, at least two digits, then the title's slug."""
    return f"{number:0{max(2, len(str(number)))}d}-{slug(title)}.yaml"


def slug(title: str, words: int = 5) -> str:
    """A file name from a title: "To deliver VAWG training..." gives "deliver-vawg-training-for-bexley"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    parts = [w for w in re.findall(r"[a-z0-9]+", ascii_title.lower()) if w not in {"to", "the", "a", "an", "of"}]
    # Cut to 60 characters: one "word" can be a pasted line, and file names stop at 255 bytes.
    return "-".join(parts[:words])[:60].strip("-") or "action"


def action_text(action: NewAction, *, origin: str, schema: bool, target_comment: str | None = None) -> tuple[str, int]:
    """The file's text, and the line (from 1) of its target.

    `origin` says how the file came to be, after "# Action N, " ("added with `vawg new` on
    2025-06-01"); `schema` starts the file with `SCHEMA_COMMENT`; `target_comment` is a comment
    line put just above the target (one vawg cannot read says how to write it).
    """
    # Imported here: it imports PyYAML, which only a write needs.
    from vawg_cli.edit.yaml_splice import scalar

    lines = [SCHEMA_COMMENT] if schema else []
    lines += [
        f"# Action {action.id}, {origin}.",
        HOW_TO_LOG,
        f"id: {action.id}",
        *([f"ref: {scalar(action.ref)}"] if action.ref else []),
        f"title: {scalar(action.title)}",
        "leads:",
        *(f"  - {scalar(lead)}" for lead in action.leads),
    ]
    if target_comment is not None:
        lines.append(target_comment)
    target_line = len(lines) + 1
    lines.append(f"target: {scalar(action.target)}")
    for key, value in (
        ("owner", action.owner),
        ("theme", action.theme),
        ("description", action.description),
        ("notes", action.notes),
    ):
        if value:
            lines.append(f"{key}: {scalar(value)}")
    if action.added is not None:
        # Papers for quarters before this day leave the action out: it was not in the plan yet.
        lines.append(f"added: {action.added.isoformat()}")
    if action.first_update is None:
        lines += ["updates: []", ""]
    else:
        update = action.first_update
        lines += [
            "updates:",
            f"  - date: {update.date.isoformat()}",
            f"    rag: {update.rag}",
            f"    note: {scalar(update.note)}",
            "",
        ]
    return "\n".join(lines), target_line
