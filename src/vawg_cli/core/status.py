"""Where each action stands on a given day: colour, next due date, overdue or due soon.

`as_of` is always a parameter: the same plan and the same day give the same answer, so tests
and old reports never depend on the clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from vawg_cli.core.compact import select as select  # one rule for both forms; re-exported
from vawg_cli.core.timeline import rewound
from vawg_cli.errors import VawgError
from vawg_cli.model.records import Action, Lifecycle, LifecycleChange, PlanSettings, Rag, Update, colour_of
from vawg_cli.model.schedule import Occurrence, Ongoing, Periodic, Unset, Yearly, occurrences
from vawg_cli.text import plural

# Beyond this many days a distance reads better in months.
_DAYS_SHOWN_UP_TO = 60


class Standing:
    """What an action's colour and missed due date say: the one rule for status rows and paper rows."""

    rag: Rag
    overdue_since: date | None

    @property
    def overdue(self) -> bool:
        return self.overdue_since is not None

    @property
    def complete(self) -> bool:
        return self.rag is Rag.BLUE


@dataclass(frozen=True)
class ActionStatus(Standing):
    action: Action
    """The action as it stood on `as_of`: later updates and target changes undone."""
    rag: Rag
    latest: Update | None
    due: date | None
    """The date the state speaks of: the missed due date while overdue, else the next due date.

    Shown beside "overdue N days", it is always the date those days are counted from."""
    overdue_since: date | None
    """The due date that was missed, while the action is overdue."""
    due_soon: bool
    as_of: date
    reported: bool = False
    """A recurring action already has an update in the period of its next occurrence."""
    next_due: date | None = None
    """The next due date on or after `as_of`; for an overdue recurring action, the one after the miss."""

    @property
    def days_overdue(self) -> int | None:
        return (self.as_of - self.overdue_since).days if self.overdue_since else None

    @property
    def days_left(self) -> int | None:
        return (self.due - self.as_of).days if self.due else None

    @property
    def set_aside(self) -> LifecycleChange | None:
        """The change that put the action on hold or withdrew it, while it stays so (on `as_of`)."""
        lifecycle = self.action.lifecycle
        return lifecycle[-1] if lifecycle and lifecycle[-1].state is not Lifecycle.ACTIVE else None

    @property
    def state(self) -> str:
        """A few words for the status column: "overdue 12 days", "due in 5 days", "withdrawn since Jun 2025"."""
        if (change := self.set_aside) is not None:
            # The month is enough at a glance (and keeps the column narrow); the day is in the
            # JSON's lifecycle list and in the paper.
            return f"{change.state.value} since {change.date:%b %Y}"
        if self.complete:
            return "complete"
        if self.days_overdue is not None:
            return f"overdue {plural(self.days_overdue, 'day')}"
        days = self.days_left
        if days is None:
            schedule = self.action.schedule
            if isinstance(schedule, Unset):
                return "target to be confirmed"
            return "ongoing" if isinstance(schedule, Ongoing) else "no further due dates"
        if self.reported:
            return "done for this period"
        if days == 0:
            return "due today"
        if days == 1:
            return "due tomorrow"
        if days <= _DAYS_SHOWN_UP_TO:
            return f"due in {days} days"
        return f"due in {plural(days * 12 // 365, 'month')}"


def action_status(action: Action, settings: PlanSettings, as_of: date) -> ActionStatus:
    """Where `action` stands at the end of `as_of`, from what was known that day alone."""
    # Updates and target changes written after `as_of` do not exist yet, as far as this day is
    # concerned. (Whether the action existed at all is the caller's question: see `statuses_on`.)
    action = rewound(action, as_of)
    updates = action.updates
    latest = updates[-1] if updates else None
    rag = colour_of(updates)
    # On hold or withdrawn: nothing falls due while it stays so, so nothing is overdue or due soon.
    if rag is Rag.BLUE or action.state is not Lifecycle.ACTIVE:
        return ActionStatus(action, rag, latest, None, None, False, as_of)
    schedule = action.schedule
    reported = False
    dates = occurrences(schedule, settings.start, settings.end, settings.year_start_month)
    if isinstance(schedule, (Yearly, Periodic)):
        next_due, overdue_since, reported = _recurring(dates, updates, as_of)
    elif not dates:  # ongoing, or to be confirmed: no date to miss
        next_due, overdue_since = None, None
    elif isinstance(schedule, Ongoing) and as_of > dates[0].due:
        # "By Autumn 2023 and ongoing": past its first date it is ongoing work, overdue only while
        # nothing at all has been reported on it.
        next_due, overdue_since = None, None if updates else dates[0].due
    else:  # due once
        next_due = dates[0].due
        overdue_since = next_due if as_of > next_due else None
    days = (next_due - as_of).days if next_due else None
    due_soon = overdue_since is None and not reported and days is not None and 0 <= days <= settings.due_soon_days
    due = overdue_since or next_due
    return ActionStatus(action, rag, latest, due, overdue_since, due_soon, as_of, reported, next_due)


def statuses_on(actions: Iterable[Action], settings: PlanSettings, as_of: date) -> list[ActionStatus]:
    """The status of every action the plan held on `as_of`, in the order given.

    An action added after `as_of` is left out: a paper for an earlier quarter never shows it.
    """
    return [
        action_status(action, settings, as_of) for action in actions if action.added is None or action.added <= as_of
    ]


def _recurring(
    dates: Sequence[Occurrence], updates: Sequence[Update], as_of: date
) -> tuple[date | None, date | None, bool]:
    """(next due date, missed due date, whether the next one is already reported on).

    It is overdue when its most recent past occurrence had no update within that occurrence's
    period; its next due date is the next occurrence. An update counts for the period it falls
    in, and no other: a late report for last quarter is this quarter's report.
    """

    def reported(occurrence: Occurrence) -> bool:
        return any(occurrence.period_start <= u.date <= occurrence.due for u in updates)

    past = [o for o in dates if o.due < as_of]
    upcoming = next((o for o in dates if o.due >= as_of), None)
    missed = past[-1].due if past and not reported(past[-1]) else None
    if upcoming is None:
        return None, missed, False
    return upcoming.due, missed, reported(upcoming)


def _urgency(status: ActionStatus) -> tuple[int, date, int]:
    if status.set_aside is not None:  # last: nothing is asked of it
        return 4, status.set_aside.date, status.action.id
    if status.overdue_since is not None:
        return 0, status.overdue_since, status.action.id
    if status.due_soon and status.due is not None:
        return 1, status.due, status.action.id
    if status.due is not None:
        return 2, status.due, status.action.id
    return 3, date.max, status.action.id


def plan_status(actions: Iterable[Action], settings: PlanSettings, as_of: date) -> list[ActionStatus]:
    """Every action's status, most urgent first: overdue, then due soon, then by due date."""
    return sorted(statuses_on(actions, settings, as_of), key=_urgency)


@dataclass(frozen=True)
class StatusView:
    """What `vawg status` shows: the chosen actions, most urgent first, out of how many."""

    chosen: list[ActionStatus]
    total: int
    as_of: date


def status_view(
    actions: Iterable[Action],
    settings: PlanSettings,
    as_of: date,
    *,
    lead: str | None = None,
    rag: Rag | None = None,
    overdue: bool = False,
    due_soon: bool = False,
) -> StatusView:
    """Every action's status on `as_of`, filtered as `vawg status` asks; an unknown --lead is named."""
    if lead is not None and lead not in settings.partners:
        from vawg_cli.plan.messages import did_you_mean  # difflib is slow to import: only for a mistake

        raise VawgError(
            f"--lead {lead!r} is not a partner code{did_you_mean(lead, settings.partners)}; "
            f"the partners are: {', '.join(settings.partners)}"
        )
    everything = plan_status(actions, settings, as_of)
    chosen = select(everything, lead=lead, rag=rag, overdue=overdue, due_soon=due_soon)
    return StatusView(chosen, len(everything), as_of)
