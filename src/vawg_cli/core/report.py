"""What a quarterly board paper says, computed from the plan: no templates, no files.

Everything is worked out from what was known on the paper's position date (the quarter's last
day, or the day it is made while the quarter still runs): an update, a target change or an
action dated later does not exist for the report, so re-running an old quarter gives the same
paper. Restricted notes are
removed here, before any template sees the data: a template cannot leak what it never gets.
The colours still count them (a board paper must not show a wrong status); only their words
are withheld.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from vawg_cli.core.decisions import ExceptionItem, colour_since, exception_for, in_order
from vawg_cli.core.headline import sentence
from vawg_cli.core.history import QuarterCounts, RagCounts, YearSummary, count, quarter_history, year_on_year
from vawg_cli.core.measures import MeasureView, measure_views
from vawg_cli.core.report_groups import PartnerSummary, ThemeGroup, partner_rows, theme_groups
from vawg_cli.core.status import ActionStatus, Standing, statuses_on
from vawg_cli.core.timeline import slip_days
from vawg_cli.errors import BadOption, VawgError
from vawg_cli.model.measures import Measure
from vawg_cli.model.quarters import Quarter, QuarterError, parse_quarter, quarter_containing
from vawg_cli.model.records import Action, Lifecycle, LifecycleChange, PlanSettings, Rag, Update
from vawg_cli.model.schedule import TargetKind, occurrences, parse_target, target_kind


class ReportError(VawgError):
    """A quarter a paper cannot be made for."""


@dataclass(frozen=True)
class Note:
    """An update as a report may show it.

    A restricted update that the paper may not show keeps its date, author and colour, and has
    no words (`withheld`): the board sees that something was reported, never an older note in
    its place.
    """

    date: date
    rag: Rag
    note: str
    by: str | None
    restricted: bool
    withheld: bool = False
    next_steps: str | None = None
    """What is being done about it (none from a withheld update)."""
    board_ask: str | None = None
    """What the board is asked to do (none from a withheld update)."""


@dataclass(frozen=True)
class TargetMove:
    """One recorded change of an action's target, as a paper shows it."""

    date: date
    old: str
    new: str
    reason: str
    approved_by: str | None
    slip_days: int | None
    """Days later the action is due after the change (negative: earlier); None for a recurring target."""


@dataclass(frozen=True)
class ActionLine(Standing):
    """One action as the paper shows it at the position date."""

    id: int
    title: str
    leads: tuple[str, ...]
    target: str
    """The target in force on the position date."""
    rag_before: Rag | None
    """The colour at the end of the previous quarter; None for an action added since."""
    rag: Rag
    due: date | None
    """The date the state speaks of: the missed due date while overdue, else the next due date."""
    overdue_since: date | None
    state: str
    note_this_quarter: Note | None
    """The latest update of the quarter (withheld if restricted and the paper is public)."""
    latest_note: Note | None
    """The latest update from any quarter (withheld if restricted and the paper is public)."""
    updated_this_quarter: bool
    withheld: int
    """How many restricted updates of the quarter are left out of this paper."""
    original_target: str = ""
    """The target the plan first set; the same as `target` unless it was moved."""
    slip_days: int | None = None
    """Days from the original target's due date to the current one, when both are dates."""
    target_moves: tuple[TargetMove, ...] = ()
    set_aside: LifecycleChange | None = None
    """The change that put the action on hold or withdrew it, while it stays so: no longer asked to report."""
    target_kind: TargetKind = "date"
    """date, recurring, ongoing or tbc (to be confirmed: no date yet)."""
    ref: str | None = None
    """The plan's own reference where it is not the id ("DAB 1"), shown beside it."""
    theme: str | None = None
    colour_since: date | None = None
    """The day the current colour began (the first of the latest run of updates in it)."""

    @property
    def retargeted(self) -> bool:
        return bool(self.target_moves)


@dataclass(frozen=True)
class TargetChanged:
    """A target moved during the paper's quarter."""

    line: ActionLine
    move: TargetMove


@dataclass(frozen=True)
class Report:
    plan_title: str
    quarter: Quarter
    produced: date
    as_at: date
    """The position date: the quarter's last day, or the day produced while the quarter is still running."""
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
    targets_changed: tuple[TargetChanged, ...] = ()
    """Targets moved during the quarter, up to the position date, oldest first."""
    set_aside: tuple[tuple[str, int, int], ...] = ()
    """("withdrawn" or "on hold", how many, change since last quarter), where either quarter has any;
    these actions are counted here and not in `counts`."""
    to_be_confirmed: tuple[ActionLine, ...] = ()
    """Actions not complete whose target is still to be confirmed (TBC), by id: the board chases them."""
    measures: tuple[MeasureView, ...] = ()
    """The plan's measures at the position date: the actions' outputs by action, then the context
    measures of the whole plan. Small counts are already withheld unless the paper is restricted."""
    themes: tuple[ThemeGroup, ...] = ()
    """The actions by theme, in order of their first action; none when no action has a theme."""
    headline: str = ""
    """One sentence a chair can read aloud (see core/headline.py)."""
    marking: str = "OFFICIAL"
    """The protective marking for every page: the plan's public or restricted wording."""
    example: bool = False
    """Made from an example plan (the bundled one): the paper says so at the top."""
    no_updates: bool = False
    """The plan holds no update at all: the paper says so at the top."""

    @property
    def counted(self) -> tuple[ActionLine, ...]:
        """The actions counted in the colours: all but those on hold or withdrawn."""
        return tuple(line for line in self.lines if line.set_aside is None)

    @property
    def overdue(self) -> tuple[ActionLine, ...]:
        return tuple(line for line in self.counted if line.overdue)

    @property
    def not_updated(self) -> tuple[ActionLine, ...]:
        """Counted actions, not complete, with no update this quarter."""
        return tuple(line for line in self.counted if not line.updated_this_quarter and not line.complete)

    @property
    def notes_withheld(self) -> int:
        """Restricted updates of the quarter left out of this paper."""
        return sum(line.withheld for line in self.lines)

    @property
    def outputs(self) -> tuple[MeasureView, ...]:
        return tuple(m for m in self.measures if m.action is not None)

    @property
    def context(self) -> tuple[MeasureView, ...]:
        return tuple(m for m in self.measures if m.action is None)

    @property
    def figures_withheld(self) -> bool:
        """Some figure of a measure is withheld from this paper (it then says why)."""
        return any(m.withheld for m in self.measures)

    @property
    def interim(self) -> bool:
        """The quarter had not ended when the paper was made: the position is the day it was made."""
        return self.as_at < self.quarter.end

    def change(self, rag: Rag) -> int:
        return self.counts[rag] - self.previous_counts[rag]


def position_date(quarter: Quarter, today: date) -> date:
    """The day a paper for `quarter` speaks of: its last day, or today while it is still running.

    A paper never speaks of a day that has not come: figures would run ahead of `vawg status`.
    """
    if today < quarter.start:
        raise ReportError(
            f"{quarter.label} has not started yet (it starts on {_long_day(quarter.start)}, and today is "
            f"{_long_day(today)}); choose a quarter up to {quarter_containing(today, quarter.year_start_month).label}"
        )
    return min(quarter.end, today)


def _long_day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"  # not %-d: Windows has no such directive


def build_report(
    actions: Sequence[Action],
    settings: PlanSettings,
    quarter: Quarter,
    *,
    produced: date,
    include_restricted: bool = False,
    measures: Sequence[Measure] = (),
) -> Report:
    """The paper for `quarter`, from what was known on its position date and nothing later.

    Updates, target changes and actions dated after the position date are left out, so a paper
    for a past quarter comes out the same whenever it is made.
    """
    as_at = position_date(quarter, produced)
    previous_end = quarter.shift(-1).end
    now = statuses_on(actions, settings, as_at)
    earlier = statuses_on(actions, settings, previous_end)
    before = {s.action.id: s.rag for s in earlier}
    lines = tuple(_line(s, before.get(s.action.id), quarter, include_restricted, settings) for s in now)
    by_id = sorted(lines, key=lambda line: line.id)
    next_quarter = quarter.shift(1)
    report = Report(
        plan_title=settings.title,
        quarter=quarter,
        produced=produced,
        as_at=as_at,
        include_restricted=include_restricted,
        counts=count(s.rag for s in now if s.set_aside is None),
        previous_counts=count(s.rag for s in earlier if s.set_aside is None),
        set_aside=_set_aside(now, earlier),
        exceptions=in_order(
            [e for e in (exception_for(line, as_at, quarter.start) for line in by_id) if e is not None]
        ),
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
        partners=partner_rows(by_id, settings, [s.action for s in now], quarter, as_at),
        years=year_on_year(actions, settings, quarter, as_at),
        history=quarter_history(actions, settings, quarter, as_at),
        rag_key=tuple((rag, settings.rag_wording(rag)) for rag in Rag),
        targets_changed=tuple(
            sorted(
                (
                    TargetChanged(line, move)
                    for line in by_id
                    for move in line.target_moves
                    if quarter.contains(move.date)
                ),
                key=lambda changed: (changed.move.date, changed.line.id),
            )
        ),
        to_be_confirmed=tuple(
            line for line in by_id if line.target_kind == "tbc" and not line.complete and line.set_aside is None
        ),
        measures=tuple(
            sorted(
                measure_views(measures, settings, as_at, exact=include_restricted),
                key=lambda m: (m.action is None, m.action or 0, m.code.upper()),
            )
        ),
        themes=theme_groups(by_id),
        marking=settings.marking.restricted if include_restricted else settings.marking.public,
        example=settings.example,
        no_updates=not any(s.action.updates for s in now),  # as known on the position date
    )
    return replace(report, headline=sentence(report))


def _line(
    status: ActionStatus, rag_before: Rag | None, quarter: Quarter, include_restricted: bool, settings: PlanSettings
) -> ActionLine:
    # The status's action is already as it stood on the position date: later updates and target
    # changes are gone from it.
    action = status.action
    known = action.updates
    this_quarter = [u for u in known if quarter.contains(u.date)]
    shown = include_restricted
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
        note_this_quarter=_note(this_quarter[-1], shown) if this_quarter else None,
        latest_note=_note(known[-1], shown) if known else None,
        updated_this_quarter=bool(this_quarter),
        withheld=0 if shown else sum(u.restricted for u in this_quarter),
        original_target=action.original_target,
        slip_days=_slip(action.original_target, action.target, settings) if action.target_history else None,
        target_moves=tuple(
            TargetMove(c.date, c.old, c.new, c.reason, c.approved_by, _slip(c.old, c.new, settings))
            for c in action.target_history
        ),
        set_aside=status.set_aside,
        target_kind=target_kind(action.schedule),
        ref=action.ref,
        theme=action.theme,
        colour_since=colour_since(known),
    )


def _slip(old: str, new: str, settings: PlanSettings) -> int | None:
    try:
        return slip_days(parse_target(old), parse_target(new), settings)
    except ValueError:  # a target that does not parse has no due date to measure from
        return None


def _due_in(status: ActionStatus, settings: PlanSettings, quarter: Quarter) -> date | None:
    """The first date in `quarter` when the action falls due, unless it is complete."""
    if status.complete or status.set_aside is not None:
        return None
    dates = occurrences(status.action.schedule, settings.start, settings.end, settings.year_start_month)
    return next((o.due for o in dates if quarter.contains(o.due)), None)


def _note(update: Update, shown: bool) -> Note:
    if update.restricted and not shown:
        return Note(update.date, update.rag, "", update.by, True, withheld=True)
    return Note(
        update.date, update.rag, update.note, update.by, update.restricted, False, update.next_steps, update.board_ask
    )


def _set_aside(now: Sequence[ActionStatus], earlier: Sequence[ActionStatus]) -> tuple[tuple[str, int, int], ...]:
    counted = []
    for state in (Lifecycle.WITHDRAWN, Lifecycle.ON_HOLD):
        number, previous = (sum(s.action.state is state for s in statuses) for statuses in (now, earlier))
        if number or previous:
            counted.append((state.value, number, number - previous))
    return tuple(counted)


def choose_quarter(text: str | None, today: date, settings: PlanSettings) -> Quarter:
    """The quarter `--quarter` names (or the one holding `today`), if the plan has reached it."""
    try:
        quarter = (
            parse_quarter(text, settings.year_start_month)
            if text
            else quarter_containing(today, settings.year_start_month)
        )
    except QuarterError as error:
        raise BadOption("--quarter", str(error)) from None
    if quarter.end < settings.start:
        raise ReportError(
            f"{quarter.label} ends before the plan starts ({settings.start}); "
            f"choose a quarter from {quarter_containing(settings.start, settings.year_start_month).label} on"
        )
    return quarter
