"""Measures: the numbers behind the plan, as plain frozen records.

A measure is either a context indicator of the whole plan (recorded offences, referrals, a survey
score: the strategy's Appendix A) or an output of one action (people trained, businesses engaged:
Appendix C). Each is kept in its own file, measures/CODE.yaml, with its figures, one per period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from vawg_cli.model.periods import Frequency, Period

DEFAULT_SUPPRESS_BELOW = 5
"""Counts from 1 up to this are shown as "<5" in public outputs: the usual threshold of statistical
disclosure control for sensitive counts (NHS England and ONS both use 5 for small numbers)."""


class Value(NamedTuple):
    """One figure: the measure's value for one period."""

    period: Period
    value: int | float
    note: str | None = None
    by: str | None = None


class SeriesBreak(NamedTuple):
    """A change in how a figure is collected: figures on either side of it are never compared."""

    date: date
    reason: str


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    unit: str
    lead: str
    frequency: Frequency
    values: tuple[Value, ...] = ()
    action: int | None = None
    """The action whose output this is; None for a context measure of the whole plan."""
    higher_is_better: bool | None = None
    """None where neither way is better (recorded offences may rise because more people report)."""
    level: bool = False
    """A level (a percentage, a score, a rate) is read, not added: a year's figure is its latest
    value and its target a level to reach. A count (the default) adds up over the year."""
    targets: tuple[tuple[Period, int | float], ...] = ()
    """Targets by year (reporting or calendar, as the measure's figures are kept)."""
    source: str | None = None
    breaks: tuple[SeriesBreak, ...] = ()
    suppress_below: int | None = None
    """This measure's own small-number threshold; None takes the plan's."""
    description: str | None = None

    def value_for(self, period: Period) -> Value | None:
        return next((value for value in self.values if value.period == period), None)

    def target_for(self, year: Period) -> int | float | None:
        return next((target for period, target in self.targets if period == year), None)
