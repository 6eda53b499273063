"""What a quarterly board paper says, computed from the plan: no templates, no files.

Everything is worked out as of the quarter's last day, so an update dated later does not exist
for the report and re-running an old quarter gives the same paper. Restricted notes are
removed here, before any template sees the data: a template cannot leak what it never gets.
The colours still count them (a board paper must not show a wrong status); only their words
are withheld.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .quarters import Quarter, quarters_between
from .records import Action, PlanSettings, Rag, Update
from .schedule import occurrences
from .status import ActionStatus, action_status

RagCounts = dict[Rag, int]


@dataclass(frozen=True)
class Note:
    """An update as a report may show it."""

    date: date
    rag: Rag
    note: str
    by: str | None
    restricted: bool


@dataclass(frozen=True)
class ActionLine:
    """One action as the paper shows it at the quarter's end."""

    id: int
    title: str
    leads: tuple[str, ...]
    target: str
    rag_before: Rag
    """The colour at the end of the previous quarter."""
    rag: Rag
    due: date | None
    overdue_since: date | None
    state: str
    note_this_quarter: Note | None
    """The latest update of the quarter that this paper may show."""
    latest_note: Note | None
    """The latest update this paper may show, from any quarter."""
    updated_this_quarter: bool
    withheld: int
    """How many restricted updates of the quarter are left out of this paper."""

    @property
    def overdue(self) -> bool:
        return self.overdue_since is not None

    @property
    def complete(self) -> bool:
        return self.rag is Rag.BLUE


@dataclass(frozen=True)
class ExceptionItem:
    """An action the board should look at, and why."""

    line: ActionLine
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PartnerSummary:
    code: str
    name: str
    lines: tuple[ActionLine, ...]
    counts: RagCounts


@dataclass(frozen=True)
class YearSummary:
    """One reporting year, at the same quarter as the report."""

    quarter: Quarter
    counts: RagCounts
    completed: tuple[tuple[int, str, date], ...]
    """(id, title, date) of the actions completed in that reporting year, up to the report's end."""


@dataclass(frozen=True)
class QuarterCounts:
    quarter: Quarter
    counts: RagCounts


@dataclass(frozen=True)
class Report:
    plan_title: str
    quarter: Quarter
    produced: date
    include_restricted: bool
    counts: RagCounts
    previous_counts: RagCounts
    exceptions: tuple[ExceptionItem, ...]
    completed: tuple[ActionLine, ...]
    due_next: tuple[tuple[date, ActionLine], ...]
    """Actions with a due date in the next quarter, and that date."""
    lines: tuple[ActionLine, ...]
    partners: tuple[PartnerSummary, ...]
    years: tuple[YearSummary, ...]
    history: tuple[QuarterCounts, ...]
    rag_key: tuple[tuple[Rag, str], ...]

    def change(self, rag: Rag) -> int:
        return self.counts[rag] - self.previous_counts[rag]


def count(rags: Iterable[Rag]) -> RagCounts:
    counts = dict.fromkeys(Rag, 0)
    for rag in rags:
        counts[rag] += 1
    return counts


def build_report(
    actions: Sequence[Action],
    settings: PlanSettings,
    quarter: Quarter,
    *,
    produced: date,
    include_restricted: bool = False,
) -> Report:
    end, previous_end = quarter.end, quarter.shift(-1).end
    now = [action_status(a, settings, end) for a in actions]
    before = {s.action.id: s.rag for s in (action_status(a, settings, previous_end) for a in actions)}
    lines = tuple(_line(s, before[s.action.id], quarter, include_restricted) for s in now)
    by_id = sorted(lines, key=lambda line: line.id)
    next_quarter = quarter.shift(1)
    return Report(
        plan_title=settings.title,
        quarter=quarter,
        produced=produced,
        include_restricted=include_restricted,
        counts=count(line.rag for line in lines),
        previous_counts=count(before.values()),
        exceptions=tuple(e for e in (_exception(line) for line in lines) if e is not None),
        completed=tuple(line for line in by_id if line.complete and line.rag_before is not Rag.BLUE),
        due_next=tuple(
            sorted(
                (
                    (due, line)
                    for line, s in zip(lines, now, strict=True)
                    if (due := _due_in(s, settings, next_quarter))
                ),
                key=lambda pair: (pair[0], pair[1].id),
            )
        ),
        lines=tuple(by_id),
        partners=tuple(
            PartnerSummary(
                code,
                name,
                theirs := tuple(line for line in by_id if code in line.leads),
                count(line.rag for line in theirs),
            )
            for code, name in settings.partners.items()
            if any(code in line.leads for line in by_id)
        ),
        years=_years(actions, settings, quarter),
        history=tuple(
            QuarterCounts(q, count(action_status(a, settings, q.end).rag for a in actions))
            for q in quarters_between(settings.start, quarter)
        ),
        rag_key=tuple((rag, settings.rag_wording(rag)) for rag in Rag),
    )


def _line(status: ActionStatus, rag_before: Rag, quarter: Quarter, include_restricted: bool) -> ActionLine:
    action = status.action
    known = [u for u in action.updates if u.date <= quarter.end]
    this_quarter = [u for u in known if quarter.contains(u.date)]
    visible = [u for u in known if include_restricted or not u.restricted]
    visible_this_quarter = [u for u in visible if quarter.contains(u.date)]
    return ActionLine(
        id=action.id,
        title=action.title,
        leads=action.leads,
        target=action.target,
        rag_before=rag_before,
        rag=status.rag,
        due=status.due,
        overdue_since=status.overdue_since,
        state=status.state,
        note_this_quarter=_note(visible_this_quarter[-1]) if visible_this_quarter else None,
        latest_note=_note(visible[-1]) if visible else None,
        updated_this_quarter=bool(this_quarter),
        withheld=len(this_quarter) - len(visible_this_quarter),
    )


def _due_in(status: ActionStatus, settings: PlanSettings, quarter: Quarter) -> date | None:
    """The first date in `quarter` when the action falls due, unless it is complete."""
    if status.complete:
        return None
    dates = occurrences(status.action.schedule, settings.start, settings.end, settings.year_start_month)
    return next((o.due for o in dates if quarter.contains(o.due)), None)


def _note(update: Update) -> Note:
    return Note(update.date, update.rag, update.note, update.by, update.restricted)


def _exception(line: ActionLine) -> ExceptionItem | None:
    reasons = []
    if line.rag in (Rag.RED, Rag.AMBER):
        reasons.append(line.rag.value)
    if line.overdue:
        reasons.append(line.state)
    if not line.updated_this_quarter and not line.complete:
        reasons.append("no update this quarter")
    return ExceptionItem(line, tuple(reasons)) if reasons else None


def _years(actions: Sequence[Action], settings: PlanSettings, quarter: Quarter) -> tuple[YearSummary, ...]:
    """The same quarter of every reporting year of the plan so far, with that year's completions."""
    completions = [(a, day) for a in actions for day in _completion_dates(a.updates, quarter.end)]
    years = []
    for back in range(quarter.year - settings.start.year + 1, -1, -1):
        same = quarter.shift(-4 * back)
        if same.end < settings.start:
            continue
        year_start, year_end = (
            Quarter(same.year, 1, same.year_start_month).start,
            min(same.shift(4 - same.number).end, quarter.end),
        )
        completed = tuple(sorted((a.id, a.title, day) for a, day in completions if year_start <= day <= year_end))
        years.append(YearSummary(same, count(action_status(a, settings, same.end).rag for a in actions), completed))
    return tuple(years)


def _completion_dates(updates: Sequence[Update], until: date) -> list[date]:
    """The days an action turned blue (complete), up to `until`."""
    dates, was_blue = [], False
    for update in updates:
        if update.date > until:
            break
        is_blue = update.rag is Rag.BLUE
        if is_blue and not was_blue:
            dates.append(update.date)
        was_blue = is_blue
    return dates
