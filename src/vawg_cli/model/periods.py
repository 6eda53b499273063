"""The periods a measure's figures are collected for, written as people write them.

"Apr-25" is a month, "2025/26 Q1" a reporting quarter, "2025/26" a reporting year and "2024" a
calendar year (police and survey figures are often published by calendar year, as Bexley's own
Appendix A is). A period is kept in a form that does not depend on plan.yaml: "2025/26 Q1" is
quarter 1 of the reporting year that starts in 2025 whatever month that year starts in, so a
measure file can be parsed (and cached) on its own bytes; its dates are worked out with the
plan's `year_start_month`.

Pure date arithmetic: nothing here knows about files, terminals or today's date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

from vawg_cli.model.quarters import QuarterError, parse_quarter
from vawg_cli.model.schedule import _ISO_MONTH, _MONTH_YEAR, _MONTHS, FIRST_YEAR, LAST_YEAR, add_months, month_end


class Frequency(str, Enum):
    """How often a measure is collected: the kind of period each of its figures is for."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


PERIOD_FORMS = {
    Frequency.MONTHLY: "a month (Apr-25, April 2025 or 2025-04)",
    Frequency.QUARTERLY: "a reporting quarter (2025/26 Q1, Q1 2025/26 or 2025-Q1)",
    Frequency.YEARLY: "a reporting year (2025/26) or a calendar year (2025)",
}
ACCEPTED_FORMS = "; ".join(PERIOD_FORMS.values())

_FISCAL = re.compile(r"(\d{4})\s*/\s*(\d{2}|\d{4})")


class PeriodError(ValueError):
    """A period written in none of the accepted forms."""


@dataclass(frozen=True, order=True)
class Period:
    """One period: `number` is the month (1-12) of a month, the quarter (1-4) of a reporting
    quarter, and 0 for a year; `calendar` marks a calendar year (January to December)."""

    year: int
    frequency: Frequency
    number: int = 0
    calendar: bool = False

    def start(self, year_start_month: int) -> date:
        if self.frequency is Frequency.MONTHLY:
            return date(self.year, self.number, 1)
        if self.calendar:
            return date(self.year, 1, 1)
        offset = 3 * (self.number - 1) if self.frequency is Frequency.QUARTERLY else 0
        year, month = add_months(self.year, year_start_month, offset)
        return date(year, month, 1)

    def end(self, year_start_month: int) -> date:
        if self.frequency is Frequency.MONTHLY:
            return month_end(self.year, self.number)
        if self.calendar:
            return date(self.year, 12, 31)
        last = 3 * self.number - 1 if self.frequency is Frequency.QUARTERLY else 11
        year, month = add_months(self.year, year_start_month, last)
        return month_end(year, month)

    def label(self, year_start_month: int) -> str:
        """How a paper names it: "Apr 2025", "2025/26 Q1", "2025/26", "2024"."""
        if self.frequency is Frequency.MONTHLY:
            return f"{calendar.month_abbr[self.number]} {self.year}"
        year = reporting_year_label(self.year, year_start_month)
        if self.frequency is Frequency.QUARTERLY:
            return f"{year} Q{self.number}"
        return str(self.year) if self.calendar else year

    def reporting_year(self, year_start_month: int) -> int:
        """The reporting year (named by the year it starts in) that holds the period's start.

        A calendar year is its own year: its figures are compared and totalled by calendar year."""
        if self.calendar or (self.frequency is Frequency.YEARLY):
            return self.year
        start = self.start(year_start_month)
        return start.year if start.month >= year_start_month else start.year - 1

    def year_earlier(self) -> Period:
        """The same period one year before: what "year on year" compares a figure with."""
        return Period(self.year - 1, self.frequency, self.number, self.calendar)


def reporting_year_label(year: int, year_start_month: int) -> str:
    """ "2025/26", or "2025" when the reporting year starts in January."""
    return str(year) if year_start_month == 1 else f"{year}/{(year + 1) % 100:02d}"


def parse_period(text: str) -> Period:
    """A period as written; raise PeriodError naming the accepted forms."""
    norm = " ".join(str(text).strip().lower().split())
    if re.fullmatch(r"\d{4}", norm):
        return Period(_year(int(norm)), Frequency.YEARLY, calendar=True)
    if m := _FISCAL.fullmatch(norm):
        start, second = int(m[1]), int(m[2])
        if second % 100 != (start + 1) % 100:
            raise PeriodError(f"{norm} is not a reporting year: the second year must follow the first (2025/26)")
        return Period(_year(start), Frequency.YEARLY)
    if "q" in norm:
        try:
            quarter = parse_quarter(norm, 4)
        except QuarterError:
            pass
        else:
            return Period(quarter.year, Frequency.QUARTERLY, quarter.number)
    if m := re.fullmatch(_ISO_MONTH, norm):
        return _month(int(m[1]), int(m[2]))
    if m := re.fullmatch(_MONTH_YEAR, norm):
        month = _MONTHS[m[1]]
        year = int(m[2]) if m[2] else 2000 + int(m[3])
        return _month(year, month)
    raise PeriodError(f"{str(text).strip()!r} is not a period I can read; write {ACCEPTED_FORMS}")


def _month(year: int, month: int) -> Period:
    if not 1 <= month <= 12:
        raise PeriodError(f"{year}-{month:02d} has no month {month}; months run from 01 to 12")
    return Period(_year(year), Frequency.MONTHLY, month)


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"{year:04d} is not a year of a plan; write a year from {FIRST_YEAR} to {LAST_YEAR}")
    return year


def period_text(period: Period) -> str:
    """The period written in a form `parse_period` reads back, the same whatever the plan's year."""
    if period.frequency is Frequency.MONTHLY:
        return f"{calendar.month_abbr[period.number]}-{period.year % 100:02d}"
    if period.calendar:
        return str(period.year)
    year = f"{period.year}/{(period.year + 1) % 100:02d}"
    return f"{year} Q{period.number}" if period.frequency is Frequency.QUARTERLY else year
