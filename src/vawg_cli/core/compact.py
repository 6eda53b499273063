"""`vawg status` worked out from a compact form of the plan: plain numbers and strings, no records.

A warm `vawg status` over ten thousand actions spent most of its time building the plan's
records (an `Action` and its `Update`s for every file, from the parse cache) to read a few of
their fields. The compact form keeps only what a status row needs: each action's id, reference,
title and leads, when it was added, its updates' days and colours, its lifecycle changes, and
for each target it has had, the due dates that target gives in this plan. It is made from the
records once (`encode`), kept with the plan's stat snapshot (plan/snapshot.py), and read back
by the quick path (cli/quick.py) with `marshal`, which builds no object per field.

`statuses` gives, for any day, exactly what `core.status.status_view` gives (tested field by
field on random plans, see tests/test_compact.py): the same rules, over numbers. Days are
ordinals (`date.toordinal`) so that the form holds only ints and strings.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import date
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from vawg_cli.model.codes import Lifecycle, LifecycleChange, Rag
from vawg_cli.text import plural

if TYPE_CHECKING:
    from vawg_cli.model.records import Action, PlanSettings
    from vawg_cli.model.schedule import Schedule

RAGS = tuple(Rag)
_RAG_INDEX = {rag: index for index, rag in enumerate(RAGS)}
_GREY, _BLUE = _RAG_INDEX[Rag.GREY], _RAG_INDEX[Rag.BLUE]
STATES = tuple(Lifecycle)
_STATE_INDEX = {state: index for index, state in enumerate(STATES)}
_ACTIVE = _STATE_INDEX[Lifecycle.ACTIVE]

# A target's kind, as the status rules tell them apart.
_RECURRING, _ONGOING, _UNSET, _OTHER = "R", "O", "U", "N"
_MAX = date.max.toordinal()
_DAYS_SHOWN_UP_TO = 60  # as core.status.ActionStatus.state

Target = tuple[str, tuple[int, ...], tuple[int, ...]]
"""A target's kind, the due days it gives in the plan, and the first day of each one's period."""
Row = tuple[
    int,  # id
    str | None,  # ref
    str,  # title
    tuple[str, ...],  # leads
    int,  # the day it was added; 0 for an action there from the plan's start
    bytes,  # its updates' days, in order (see `_days`)
    bytes,  # their colours, as indexes into RAGS
    bytes,  # its lifecycle changes' days, in order
    bytes,  # their states, as indexes into STATES
    bytes,  # its target changes' days, in order
    tuple[Target, ...],  # the target in force before each target change, then the one in force now
]
"""One action in compact form (see `encode`): only ints, strings, bytes, None and tuples of them."""


def settings_record(settings: PlanSettings) -> tuple[object, ...]:
    """What the status rules and the table need of the plan's settings, in compact form."""
    return (
        settings.title,
        settings.due_soon_days,
        tuple(settings.partners),
        tuple(settings.rag_wording(rag) for rag in RAGS),
    )


def encode(action: Action, settings: PlanSettings, shared: dict[Any, Any] | None = None) -> Row | None:
    """`action` in compact form; None for one the compact rules would not read as the records do.

    Updates, lifecycle changes and target changes are taken back to a day by cutting each list at
    the first entry after it, which is what `core.timeline.rewound` does only for lists in date
    order. `vawg check` keeps updates in order, but an action whose lists are not is left to the
    records (the caller then keeps no compact form of the plan at all).

    `shared`: one dict for every action of a plan, so that equal parts (the leads, a target's due
    dates) are one object, which marshal writes once and reads back once.
    """
    from vawg_cli.core.timeline import schedule_of  # making the form, not reading it: the quick path never does

    shared = {} if shared is None else shared
    updates = tuple(u.date.toordinal() for u in action.updates)
    changes = tuple(c.date.toordinal() for c in action.lifecycle)
    retargets = tuple(c.date.toordinal() for c in action.target_history)
    if any(list(days) != sorted(days) for days in (updates, changes, retargets)):
        return None
    # The schedule in force before each target change, then the one in force now.
    schedules = [*(schedule_of(change.old) for change in action.target_history), action.schedule]
    targets = tuple(_shared_record(schedule, settings, shared) for schedule in schedules)
    targets = shared.setdefault(targets, targets)
    if any(list(dues) != sorted(dues) for _, dues, _ in targets):
        return None
    return (
        action.id,
        action.ref,
        action.title,
        shared.setdefault(action.leads, action.leads),
        action.added.toordinal() if action.added else 0,
        _packed(updates),
        bytes(_RAG_INDEX[u.rag] for u in action.updates),
        _packed(changes),
        bytes(_STATE_INDEX[c.state] for c in action.lifecycle),
        _packed(retargets),
        targets,
    )


def _packed(days: tuple[int, ...]) -> bytes:
    """Days as the machine's 4-byte ints: marshal reads one bytes object where it would build an
    int for every update of every action (a million at 100,000 actions). See `_days`."""
    return array("i", days).tobytes()


def _days(packed: bytes) -> Sequence[int]:
    """The days `_packed` wrote, as a sequence `bisect` searches without making a list."""
    return memoryview(packed).cast("i") if packed else ()


def _shared_record(schedule: Schedule, settings: PlanSettings, shared: dict[Any, Any]) -> Target:
    """`_schedule_record`, worked out once for each distinct schedule of the plan (a handful)."""
    key = ("schedule", schedule)
    found: Target | None = shared.get(key)
    if found is None:
        found = shared[key] = _schedule_record(schedule, settings)
    return found


def _schedule_record(schedule: Schedule, settings: PlanSettings) -> Target:
    """A target's kind and its occurrences in the plan: due days, and the first day of each's period."""
    from vawg_cli.model.schedule import Ongoing, Periodic, Unset, Yearly, occurrences

    if isinstance(schedule, (Yearly, Periodic)):
        kind = _RECURRING
    elif isinstance(schedule, Ongoing):
        kind = _ONGOING
    elif isinstance(schedule, Unset):
        kind = _UNSET
    else:
        kind = _OTHER
    found = occurrences(schedule, settings.start, settings.end, settings.year_start_month)
    return kind, tuple(o.due.toordinal() for o in found), tuple(o.period_start.toordinal() for o in found)


class CompactSettings:
    """The settings a status table shows (its title and the colours' wording), from `settings_record`."""

    __slots__ = ("due_soon_days", "partners", "title", "wordings")

    def __init__(self, record: Sequence[object]) -> None:
        title, due_soon_days, partners, wordings = record
        if not (
            isinstance(title, str)
            and type(due_soon_days) is int
            and isinstance(partners, tuple)
            and isinstance(wordings, tuple)
            and len(wordings) == len(RAGS)
        ):
            raise ValueError("not a settings record")
        self.title, self.due_soon_days, self.partners, self.wordings = title, due_soon_days, partners, wordings

    def rag_wording(self, rag: Rag) -> str:
        return str(self.wordings[_RAG_INDEX[rag]])


class CompactStatus(NamedTuple):
    """One row of `vawg status`: what the table shows of an action and of where it stands.

    It is its own `action` (id, reference, title, leads), so that the renderers read it as they
    read an `ActionStatus` (render/status_text.py's `Shown`). A tuple, made by `_status` with
    `tuple.__new__`: a hundred thousand rows are made in a warm run."""

    id: int
    ref: str | None
    title: str
    leads: tuple[str, ...]
    rag: Rag
    due: date | None
    state: str
    overdue: bool
    due_soon: bool
    complete: bool
    set_aside: LifecycleChange | None

    @property
    def action(self) -> CompactStatus:
        return self


_new = tuple.__new__


def statuses(
    rows: Iterable[Row],
    settings: CompactSettings,
    as_of: date,
    *,
    lead: str | None = None,
    rag: Rag | None = None,
    overdue: bool = False,
    due_soon: bool = False,
) -> tuple[list[CompactStatus], int]:
    """The rows `vawg status` shows on `as_of`, most urgent first, and how many the plan held that day.

    The same as `core.status.status_view`'s `chosen` and `total` (an unknown `lead` is the
    caller's to refuse first)."""
    ranked: list[tuple[tuple[int, int, int], CompactStatus]] = []
    append = ranked.append
    status_on = _Day(as_of.toordinal(), settings.due_soon_days).status
    for row in rows:
        found = status_on(row)
        if found is not None:
            append(found)
    ranked.sort(key=itemgetter(0))
    chosen = select([status for _, status in ranked], lead=lead, rag=rag, overdue=overdue, due_soon=due_soon)
    return chosen, len(ranked)


class _Led(Protocol):
    @property
    def leads(self) -> tuple[str, ...]: ...


class Filtered(Protocol):
    """What `select` reads of a status: an `ActionStatus` (core/status.py) or a `CompactStatus`."""

    @property
    def action(self) -> _Led: ...
    @property
    def rag(self) -> Rag: ...
    @property
    def overdue(self) -> bool: ...
    @property
    def due_soon(self) -> bool: ...


F = TypeVar("F", bound=Filtered)


def select(
    statuses: Iterable[F],
    *,
    lead: str | None = None,
    rag: Rag | None = None,
    overdue: bool = False,
    due_soon: bool = False,
) -> list[F]:
    """The statuses that pass every filter given; --overdue with --due-soon keeps either kind."""
    chosen = []
    for status in statuses:
        if lead is not None and lead not in status.action.leads:
            continue
        if rag is not None and status.rag is not rag:
            continue
        if (overdue or due_soon) and not ((overdue and status.overdue) or (due_soon and status.due_soon)):
            continue
        chosen.append(status)
    return chosen


class _Day:
    """The status rules on one day (an ordinal), with what recurs down a long plan made once: a
    few hundred due dates, and the words of a few hundred states."""

    __slots__ = ("dates", "day", "soon_days", "states")

    def __init__(self, day: int, soon_days: int) -> None:
        self.day, self.soon_days = day, soon_days
        self.dates: dict[int, date] = {}
        self.states: dict[tuple[str, int | None, bool], str] = {}

    def status(self, row: Row) -> tuple[tuple[int, int, int], CompactStatus] | None:
        """One action's urgency and row on the day; None before it was added.

        Each step is `core.status.action_status`'s (and `rewound`'s), in the same order."""
        number, ref, title, leads, added, packed_updates, colours, packed_changes, states, retargeted, schedules = row
        day = self.day
        if added and added > day:
            return None
        updates = _days(packed_updates)
        known = bisect_right(updates, day)
        rag = RAGS[colours[known - 1]] if known else Rag.GREY
        # Most actions were never set aside or given a new target: their lists are empty.
        if packed_changes:
            changes = _days(packed_changes)
            if made := bisect_right(changes, day):
                lifecycle = STATES[states[made - 1]]
                if lifecycle is not Lifecycle.ACTIVE:
                    since = date.fromordinal(changes[made - 1])
                    aside = LifecycleChange(since, lifecycle, "")
                    state = f"{lifecycle.value} since {since:%b %Y}"
                    row_status = _new(
                        CompactStatus,
                        (number, ref, title, leads, rag, None, state, False, False, rag is Rag.BLUE, aside),
                    )
                    return (4, changes[made - 1], number), row_status
        if rag is Rag.BLUE:
            row_status = _new(
                CompactStatus, (number, ref, title, leads, rag, None, "complete", False, False, True, None)
            )
            return (3, _MAX, number), row_status
        kind, dues, starts = schedules[bisect_right(_days(retargeted), day)] if retargeted else schedules[0]
        reported = False
        next_due: int | None
        missed: int | None
        if kind == _RECURRING:
            upcoming = bisect_left(dues, day)  # the first due on or after the day
            missed = None
            if upcoming and not _reported_in(updates, known, starts[upcoming - 1], dues[upcoming - 1]):
                missed = dues[upcoming - 1]
            if upcoming < len(dues):
                next_due = dues[upcoming]
                reported = _reported_in(updates, known, starts[upcoming], next_due)
            else:
                next_due = None
        elif not dues:
            next_due = missed = None
        elif kind == _ONGOING and day > dues[0]:
            next_due, missed = None, None if known else dues[0]
        else:
            next_due = dues[0]
            missed = next_due if day > next_due else None
        due = missed or next_due
        state_key: tuple[str, int | None, bool]
        if missed is not None:
            soon = False
            state_key = ("overdue", day - missed, False)
            urgency = (0, missed, number)
        else:
            soon = not reported and next_due is not None and 0 <= next_due - day <= self.soon_days
            state_key = (kind, None if due is None else due - day, reported)
            urgency = (1 if soon else 2, due, number) if due is not None else (3, _MAX, number)
        words = self.states.get(state_key)
        if words is None:
            words = self.states[state_key] = _state(*state_key)
        shown: date | None
        if due is None:
            shown = None
        elif (shown := self.dates.get(due)) is None:
            shown = self.dates[due] = date.fromordinal(due)
        row_status = _new(
            CompactStatus, (number, ref, title, leads, rag, shown, words, missed is not None, soon, False, None)
        )
        return urgency, row_status


def _reported_in(updates: Sequence[int], known: int, first: int, last: int) -> bool:
    """Whether one of the first `known` update days falls in [first, last] (the days are in order)."""
    return bisect_left(updates, first, 0, known) < bisect_right(updates, last, 0, known)


def _state(kind: str, days: int | None, reported: bool) -> str:
    """`ActionStatus.state` for an active action that is not complete: "overdue" with the days
    since, or a target's kind, the days until its next due date and whether it is reported on."""
    if kind == "overdue":
        return f"overdue {plural(days or 0, 'day')}"
    if days is None:
        if kind == _UNSET:
            return "target to be confirmed"
        return "ongoing" if kind == _ONGOING else "no further due dates"
    if reported:
        return "done for this period"
    if days == 0:
        return "due today"
    if days == 1:
        return "due tomorrow"
    if days <= _DAYS_SHOWN_UP_TO:
        return f"due in {days} days"
    return f"due in {plural(days * 12 // 365, 'month')}"
