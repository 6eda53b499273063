"""How the parse cache keeps validated actions: as rows of plain values that `marshal` reads back.

Unpickling ten thousand actions builds every update, date and colour through a Python-level call
(a NamedTuple's __new__, Rag('green')), and that was a third of a warm `vawg status`. A row holds
only ints, strings, None and tuples, which `marshal` reads in C, several times faster; an action
is rebuilt from its row only when the run asks for it. Dates are day numbers (`toordinal`),
colours and lifecycle states their index in the enum, and schedules, of which a plan has a few
dozen different ones, an index into a table kept beside the rows.

`decode(encode(action)) == action` for every action (a Hypothesis law in tests/test_cache_codec.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from vawg_cli.model.records import Action, Lifecycle, LifecycleChange, Rag, TargetChange, Update
from vawg_cli.model.schedule import Schedule

_RAGS = tuple(Rag)
_RAG_INDEX = {rag: index for index, rag in enumerate(_RAGS)}
_STATES = tuple(Lifecycle)
_STATE_INDEX = {state: index for index, state in enumerate(_STATES)}

Row = tuple[Any, ...]


def encode(action: Action, schedules: dict[Schedule, int]) -> Row:
    """`action` as a row; its schedule is added to `schedules` (schedule -> index) if new."""
    schedule = schedules.setdefault(action.schedule, len(schedules))
    return (
        action.id,
        action.title,
        action.leads,
        action.target,
        schedule,
        tuple(
            (u.date.toordinal(), _RAG_INDEX[u.rag], u.note, u.by, u.restricted, u.next_steps, u.board_ask)
            for u in action.updates
        ),
        action.owner,
        action.theme,
        action.description,
        action.notes,
        tuple((c.date.toordinal(), c.old, c.new, c.reason, c.approved_by) for c in action.target_history),
        action.added.toordinal() if action.added is not None else None,
        action.ref,
        tuple((c.date.toordinal(), _STATE_INDEX[c.state], c.reason, c.superseded_by) for c in action.lifecycle),
    )


def decode(row: Row, schedules: Sequence[Schedule]) -> Action:
    """The action `row` was made from. A row of the wrong shape raises (the caller treats it as a miss)."""
    (ident, title, leads, target, schedule, updates, owner, theme, description, notes, history, added, ref, life) = row
    day = date.fromordinal
    new = tuple.__new__  # what a NamedTuple's own __new__ ends in, without its Python-level call
    rags = _RAGS
    return Action(
        ident,
        title,
        leads,
        target,
        schedules[schedule],
        tuple([new(Update, (day(d), rags[r], n, b, s, x, a)) for d, r, n, b, s, x, a in updates]),
        owner,
        theme,
        description,
        notes,
        tuple([new(TargetChange, (day(d), o, w, r, a)) for d, o, w, r, a in history]),
        None if added is None else day(added),
        ref,
        tuple([new(LifecycleChange, (day(d), _STATES[s], r, by)) for d, s, r, by in life]),
    )
