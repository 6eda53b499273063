"""The quarterly returns: who owes an update for which action, and which figures, by when.

Every quarter each lead partner is asked for an update on the actions it leads. One rule decides,
for `vawg returns make`, `returns status` and `returns read` alike, which actions a partner's
return lists, when it is due, and whether it has come in: so a workbook never asks for an action
that `status` would not chase, and `read` never accepts a row `make` would not have asked for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from vawg_cli.model.measures import Measure
from vawg_cli.model.periods import Frequency, Period
from vawg_cli.model.quarters import Quarter, quarter_containing
from vawg_cli.model.records import Action, Contact, Lifecycle, PlanSettings, Rag, Update, colour_of


@dataclass(frozen=True)
class ReturnWindow:
    """The days whose updates answer a quarter's return, and its deadline."""

    quarter: Quarter
    deadline: date
    figures_after: date
    """The previous quarter's deadline: a figure is due in the first return whose deadline falls
    on or after its period's end, so each period's figure is asked for exactly once."""

    @property
    def opens(self) -> date:
        return self.quarter.start

    @property
    def closes(self) -> date:
        """The last day an update may be dated and still answer this quarter's return.

        A deadline after the quarter ends lets an update written in those days count; one before
        it still leaves the whole quarter open."""
        return max(self.quarter.end, self.deadline)

    def holds(self, day: date) -> bool:
        return self.opens <= day <= self.closes


def deadline(settings: PlanSettings, quarter: Quarter) -> date:
    """The day a quarter's returns are due: a dated deadline in plan.yaml, else the quarter's last
    day moved by `days_after_quarter_end`."""
    dated = dict(settings.returns.deadlines)
    return dated.get(quarter.code) or quarter.end + timedelta(days=settings.returns.days_after_quarter_end)


def returns_quarter(settings: PlanSettings, today: date) -> Quarter:
    """The quarter whose returns are being collected on `today`: the last one, until its deadline
    has passed (when the deadline falls after the quarter ends), else the one holding `today`."""
    here = quarter_containing(today, settings.year_start_month)
    last = here.shift(-1)
    return last if today <= deadline(settings, last) and last.end >= settings.start else here


def window(settings: PlanSettings, quarter: Quarter) -> ReturnWindow:
    return ReturnWindow(quarter, deadline(settings, quarter), deadline(settings, quarter.shift(-1)))


@dataclass(frozen=True)
class FigureDue:
    """One figure a partner supplies: a measure it leads, for a period whose return this is."""

    measure: Measure
    period: Period
    value: int | float | None = None
    """The figure already recorded for the period, if any."""


@dataclass(frozen=True)
class PartnerReturn:
    """One partner's return for one quarter: what it lists, and what has come in."""

    code: str
    name: str
    contact: Contact | None
    window: ReturnWindow
    actions: tuple[Action, ...]
    """The actions the return asks about, by id: each active one the partner leads."""
    returned: dict[int, Update]
    """The latest update that answers the return, by action id (see `answered_by`)."""
    figures: tuple[FigureDue, ...] = ()

    @property
    def owed(self) -> tuple[Action, ...]:
        return tuple(action for action in self.actions if action.id not in self.returned)

    @property
    def figures_owed(self) -> tuple[FigureDue, ...]:
        return tuple(figure for figure in self.figures if figure.value is None)

    @property
    def complete(self) -> bool:
        return not self.owed and not self.figures_owed

    @property
    def started(self) -> bool:
        """Something of this return has come in."""
        return bool(self.returned) or any(figure.value is not None for figure in self.figures)


def asked_of(action: Action, quarter: Quarter, as_of: date) -> bool:
    """Whether a quarter's return asks for an update on `action`.

    Not an action that joins the plan after the quarter, nor one on hold or withdrawn when the
    quarter began (or since), nor one already complete before it: nothing is owed for those.
    """
    if action.added is not None and action.added > quarter.end:
        return False
    seen = min(as_of, quarter.end)
    state = next((c.state for c in reversed(action.lifecycle) if c.date <= seen), Lifecycle.ACTIVE)
    if state is not Lifecycle.ACTIVE:
        return False
    before = [update for update in action.updates if update.date < quarter.start]
    return colour_of(before) is not Rag.BLUE


def answered_by(action: Action, partner: str, window: ReturnWindow, as_of: date, *, each_lead: bool) -> Update | None:
    """The latest update that answers `partner`'s return for `action`, or None.

    An update in the return's window counts. On a joint action each lead answers for itself (an
    update `by` that partner's code) unless the plan says one lead is enough; an action with one
    lead is answered by any update, such as one the coordinator typed in from an email.
    """
    joint = len(action.leads) > 1 and each_lead
    for update in reversed(action.updates):
        if update.date > as_of or not window.holds(update.date):
            continue
        if not joint or same_partner(update.by, partner):
            return update
    return None


def same_partner(by: str | None, code: str) -> bool:
    return by is not None and by.strip().casefold() == code.casefold()


def figures_due(measures: Iterable[Measure], partner: str, window: ReturnWindow) -> list[FigureDue]:
    """The figures `partner` supplies in this return: for each measure it leads, each period that
    ended after the previous return's deadline and by this one's."""
    ysm = window.quarter.year_start_month
    due: list[FigureDue] = []
    for measure in measures:
        if not same_partner(measure.lead, partner):
            continue
        for period in _periods_ending(measure, window.figures_after, window.deadline, ysm):
            found = measure.value_for(period)
            due.append(FigureDue(measure, period, found.value if found else None))
    return due


def _periods_ending(measure: Measure, after: date, by: date, year_start_month: int) -> list[Period]:
    """The measure's periods whose last day is after `after` and on or before `by`."""
    after = max(after, by - timedelta(days=800))  # a few periods at most, whatever deadlines a plan gives
    frequency = measure.frequency
    calendar = bool(measure.values) and all(value.period.calendar for value in measure.values)
    found: list[Period] = []
    for year in range(after.year - 1, by.year + 1):
        if frequency is Frequency.MONTHLY:
            candidates = [Period(year, frequency, month) for month in range(1, 13)]
        elif frequency is Frequency.QUARTERLY:
            candidates = [Period(year, frequency, number) for number in range(1, 5)]
        else:
            candidates = [Period(year, frequency, calendar=calendar)]
        found += [period for period in candidates if after < period.end(year_start_month) <= by]
    return found


def partner_returns(
    settings: PlanSettings,
    actions: Iterable[Action],
    measures: Iterable[Measure],
    quarter: Quarter,
    as_of: date,
    *,
    partners: Sequence[str] = (),
) -> list[PartnerReturn]:
    """Each lead partner's return for `quarter`, in plan.yaml's order (only `partners`, if given).

    A partner that leads no action still asked about and supplies no figure has no return.
    """
    span = window(settings, quarter)
    asked = [action for action in sorted(actions, key=lambda a: a.id) if asked_of(action, quarter, as_of)]
    measures = list(measures)
    each_lead = not settings.returns.one_lead_enough
    made = []
    for code, name in settings.partners.items():
        if partners and code not in partners:
            continue
        own = tuple(action for action in asked if code in action.leads)
        figures = tuple(figures_due(measures, code, span))
        if not own and not figures:
            continue
        returned = {
            action.id: update
            for action in own
            if (update := answered_by(action, code, span, as_of, each_lead=each_lead)) is not None
        }
        made.append(PartnerReturn(code, name, settings.contacts.get(code), span, own, returned, figures))
    return made


def update_key(update: Update) -> str:
    """A short fingerprint of one update, as a return's workbook records the updates it was made from.

    Eight hex digits: enough to tell one action's few dozen updates apart, short enough to keep
    in a hidden cell. A restricted update's note is left out: the workbook goes to every lead of a
    joint action, and a hash of the note beside its date and colour would let a lead who may not
    read it test a guess at its words offline.
    """
    note = "" if update.restricted else update.note
    text = "\x1f".join(
        (update.date.isoformat(), update.rag.value, note, update.by or "", "1" if update.restricted else "")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def update_keys(update: Update) -> tuple[str, ...]:
    """Every fingerprint a workbook may hold for `update`: today's, and for a restricted one, the
    one workbooks made before held (its note included), so that their returns still read."""
    if not update.restricted:
        return (update_key(update),)
    text = "\x1f".join((update.date.isoformat(), update.rag.value, update.note, update.by or "", "1"))
    return (update_key(update), hashlib.sha256(text.encode("utf-8")).hexdigest()[:8])


def plan_key(title: str, start: date) -> str:
    """A plan's identity across its changes, as a return records it: its title and start date."""
    return hashlib.sha256(f"{title}\x1f{start.isoformat()}".encode()).hexdigest()[:12]
