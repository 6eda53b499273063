"""Which actions a board paper puts before the board, in what order, and why.

A board reads the first page and stops. So the exceptions lead with what needs a decision: red
first, then overdue, then amber, then no update this quarter; within each, by id, so that the
same action is always in the same place. Each says why it is flagged in words that add to its
colour (which the paper shows beside it) instead of repeating it: how long it has been so,
whether it got worse, how late it is, when it was last heard of.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from vawg_cli.model.records import Rag, Update
from vawg_cli.text import day, plural

if TYPE_CHECKING:
    from vawg_cli.core.report import ActionLine, Note

Flag = Literal["red", "overdue", "amber", "no update"]

FLAG_ORDER: tuple[Flag, ...] = ("red", "overdue", "amber", "no update")
"""The order of the "For decision" section."""

# Worse to better, for "got worse since last quarter". Grey (not started) is not on this scale.
_RANK = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.BLUE: 3}


@dataclass(frozen=True)
class ExceptionItem:
    """An action the board should look at: why, and what is being done and asked."""

    line: ActionLine
    reasons: tuple[str, ...]
    """Why it is flagged, in words that add to its colour: "overdue: due 31 Mar 2025, 245 days ago"."""
    flag: Flag = "no update"
    """What puts it in the section: the first of red, overdue, amber, no update that holds."""

    @property
    def note(self) -> Note | None:
        """The update the section quotes: this quarter's latest, else the latest of all."""
        return self.line.note_this_quarter or self.line.latest_note

    @property
    def next_steps(self) -> str | None:
        """What is being done, from the update quoted (never from a withheld one)."""
        note = self.note
        return note.next_steps if note is not None else None

    @property
    def board_ask(self) -> str | None:
        """What the board is asked to do, from the update quoted (never from a withheld one)."""
        note = self.note
        return note.board_ask if note is not None else None


def flag_of(line: ActionLine) -> Flag | None:
    """The flag that puts `line` before the board, or None when nothing is asked of it."""
    if line.set_aside is not None:  # on hold or withdrawn: nothing is asked of it, not even an update
        return None
    if line.rag is Rag.RED:
        return "red"
    if line.overdue:
        return "overdue"
    if line.rag is Rag.AMBER:
        return "amber"
    if not line.updated_this_quarter and not line.complete:
        return "no update"
    return None


def exception_for(line: ActionLine, as_at: date, quarter_start: date) -> ExceptionItem | None:
    flag = flag_of(line)
    if flag is None:
        return None
    return ExceptionItem(line, tuple(_reasons(line, as_at, quarter_start)), flag)


def in_order(items: list[ExceptionItem]) -> tuple[ExceptionItem, ...]:
    return tuple(sorted(items, key=lambda item: (FLAG_ORDER.index(item.flag), item.line.id)))


def _reasons(line: ActionLine, as_at: date, quarter_start: date) -> list[str]:
    reasons = []
    before = line.rag_before
    if before is None:
        reasons.append("added to the plan this quarter")
    elif line.rag in _RANK and before in _RANK and line.rag is not before:
        trend = "worse" if _RANK[line.rag] < _RANK[before] else "better"
        reasons.append(f"{trend} than last quarter (was {before.value})")
    elif line.rag in (Rag.RED, Rag.AMBER) and line.colour_since is not None and line.colour_since < quarter_start:
        reasons.append(f"no better since {day(line.colour_since)}")
    if line.overdue_since is not None:
        late = (as_at - line.overdue_since).days
        reasons.append(f"overdue: was due {day(line.overdue_since)}, {plural(late, 'day')} ago")
    elif line.due is not None and not line.complete and 0 <= (line.due - as_at).days <= 92:
        reasons.append(f"due {day(line.due)}")
    if line.slip_days:
        moves = len(line.target_moves)
        times = {1: "once", 2: "twice"}.get(moves, f"{moves} times")
        reasons.append(
            f"target moved {times}, {plural(abs(line.slip_days), 'day')} "
            f"{'later' if line.slip_days > 0 else 'earlier'} than first set"
        )
    if not line.updated_this_quarter and not line.complete:
        latest = line.latest_note
        reasons.append(f"no update this quarter (the last was on {day(latest.date)})" if latest else "no update yet")
    return reasons


def colour_since(updates: tuple[Update, ...]) -> date | None:
    """The day the action's current colour began: the first of the latest run of updates in that colour."""
    if not updates:
        return None
    start = updates[-1]
    for update in reversed(updates):
        if update.rag is not start.rag:
            break
        start = update
    return start.date
