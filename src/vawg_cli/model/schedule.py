"""Targets as people write them ("Apr-25", "November annually", "Quarterly") and their due dates.

Pure date arithmetic: nothing here knows about files, terminals or today's date.
"""

from __future__ import annotations

import calendar
import functools
import itertools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from vawg_cli.text import quoted

ACCEPTED_FORMS = (
    "a date (2025-04-30 or 30/04/2025 or 30 April 2025), "
    "a month (Apr-25, 2025-04 or April 2025), "
    "a yearly month (November annually, annually in November, 25 November annually), "
    "Quarterly or Monthly"
)

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEARLY = r"(?:annually|yearly|every year|each year)"

# Kept as text: `re` compiles each on first use and caches it, so a run whose records all come
# from the parse cache (and parses no target) compiles none of them.
_ISO_DATE = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_UK_DATE = r"(\d{1,2})/(\d{1,2})/(\d{4})"
_DAY_MONTH_YEAR = _DAY + r" " + _MONTH + r",? (\d{4})"
_ISO_MONTH = r"(\d{4})-(\d{1,2})"
# A two-digit year needs a mark before it (Apr-25, Apr/25, Apr '25): "April 25" could be a day.
_MONTH_YEAR = _MONTH + r"(?:[ \-/']?(\d{4})|[\-/']\s?(\d{2}))"
_YEARLY_AFTER = rf"(?:{_DAY} )?{_MONTH},? {_YEARLY}"
_YEARLY_BEFORE = rf"(?:{_YEARLY}|every),? (?:in |on |each |every )?(?:{_DAY} )?{_MONTH}"
_QUARTERLY = r"quarterly|every quarter|each quarter"
_MONTHLY = r"monthly|every month|each month"


class TargetError(ValueError):
    """A target that is not one of the accepted forms."""


class YearError(TargetError):
    """A year outside any plan's reach (Apr-0025, 9999-12-31): a typing mistake, and beyond date arithmetic."""


class DayError(ValueError):
    """Text that is not one day, in any of the forms a target's date may take."""


@dataclass(frozen=True)
class OneOff:
    """Due once, on `due`."""

    due: date


@dataclass(frozen=True)
class Yearly:
    """Due every year on `day` of `month`; `day` None means the month's last day."""

    month: int
    day: int | None = None


@dataclass(frozen=True)
class Periodic:
    """Due at the end of every reporting quarter, or of every month."""

    every: Literal["quarter", "month"]


@dataclass(frozen=True)
class Unset:
    """No due date: the target in force on a past day was text vawg cannot read (an imported "TBC").

    Never parsed from a file, where such a target is an error; it stands in for one when a paper
    or `--as-of` looks back to before the target was put right with `vawg retarget`.
    """


Schedule = OneOff | Yearly | Periodic | Unset


@dataclass(frozen=True)
class Occurrence:
    """One due date of a schedule, and the stretch of days whose updates count towards it."""

    due: date
    period_start: date


def parse_target(text: str) -> Schedule:
    """Read a target as the plan writes it; raise TargetError listing the accepted forms."""
    norm = " ".join(text.strip().rstrip(".").lower().split())
    try:
        schedule = _parse(norm)
    except TargetError as error:
        raise TargetError(f"target {quoted(text.strip())}: {error}; use {ACCEPTED_FORMS}") from None
    if schedule is None:
        raise TargetError(f"target {quoted(text.strip())} is not a date or a schedule I know; use {ACCEPTED_FORMS}")
    return schedule


DAY_FORMS = "2025-12-31, 31/12/2025 or 31 December 2025"


def parse_day(text: str) -> date:
    """One day, written as a target's date may be ("2025-12-31", "31/12/2025", "1st April 2025").

    A month ("Apr-25") is a target but not a day: an update or a change happened on one day.
    """
    norm = " ".join(text.strip().rstrip(".").lower().split())
    try:
        day = _day(norm)
        schedule = None if day else _parse(norm)
    except YearError:
        raise DayError(f"{text.strip()} is not a day of a plan; give a date from {FIRST_YEAR} to {LAST_YEAR}") from None
    except TargetError:
        day = schedule = None
    if day is not None:
        return day
    if isinstance(schedule, OneOff):
        raise DayError(f"{text.strip()!r} is a month, not a day; write the day, such as {schedule.due.isoformat()}")
    raise DayError(f"{text.strip()!r} is not a date; write it as {DAY_FORMS}")


def _day(norm: str) -> date | None:
    if m := re.fullmatch(_ISO_DATE, norm):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(_UK_DATE, norm):
        return _date(int(m[3]), int(m[2]), int(m[1]))
    if m := re.fullmatch(_DAY_MONTH_YEAR, norm):
        return _date(int(m[3]), _MONTHS[m[2]], int(m[1]))
    return None


def _parse(norm: str) -> Schedule | None:
    if one_day := _day(norm):
        return OneOff(one_day)
    if m := re.fullmatch(_ISO_MONTH, norm):
        return OneOff(month_end(_year(int(m[1])), _month_number(int(m[2]))))
    if m := re.fullmatch(_MONTH_YEAR, norm):
        year = int(m[2]) if m[2] else 2000 + int(m[3])
        return OneOff(month_end(_year(year), _MONTHS[m[1]]))
    if m := re.fullmatch(_YEARLY_AFTER, norm) or re.fullmatch(_YEARLY_BEFORE, norm):
        month = _MONTHS[m[2]]
        day = int(m[1]) if m[1] else None
        if day is not None and not 1 <= day <= (29 if month == 2 else calendar.monthrange(2001, month)[1]):
            raise TargetError(f"{calendar.month_name[month]} has no day {day}")
        return Yearly(month, day)
    if re.fullmatch(_QUARTERLY, norm):
        return Periodic("quarter")
    if re.fullmatch(_MONTHLY, norm):
        return Periodic("month")
    return None


# Dates outside these years are typing mistakes (Apr-0025), and would overflow date arithmetic.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise YearError(f"the year {year} is not a year of a plan")
    return year


def _month_number(month: int) -> int:
    if not 1 <= month <= 12:
        raise TargetError(f"there is no month {month}; months run from 1 to 12")
    return month


def _date(year: int, month: int, day: int) -> date:
    _year(year)  # outside the try: "not a year of a plan" says more than "not a real date"
    try:
        return date(year, month, day)
    except ValueError:
        raise TargetError(f"{year:04d}-{month:02d}-{day:02d} is not a real date") from None


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


@functools.lru_cache(maxsize=256)
def occurrences(schedule: Schedule, start: date, end: date, year_start_month: int) -> tuple[Occurrence, ...]:
    """Every due date of `schedule` that falls within the plan period [start, end].

    A one-off target is kept even outside the period: a plan can slip past its end, and the
    action is still due. An occurrence's period runs from the day after the previous due date.
    Memoised: a plan has only a handful of distinct schedules across thousands of actions.
    """
    if isinstance(schedule, OneOff):
        return (Occurrence(schedule.due, date.min),)
    if isinstance(schedule, Unset):
        return ()
    if isinstance(schedule, Yearly):
        dues = [_yearly_due(schedule, year) for year in range(start.year - 1, end.year + 1)]
    else:
        step = 3 if schedule.every == "quarter" else 1
        # Quarter ends fall in the months before each quarter start: with April, Jun/Sep/Dec/Mar.
        first_month = (year_start_month - 2) % 12 + 1 if step == 3 else start.month
        year, month = start.year - 1, first_month
        dues = []
        while (due := month_end(year, month)) <= end:
            dues.append(due)
            year, month = add_months(year, month, step)
    return tuple(
        Occurrence(due, previous + timedelta(days=1))
        for previous, due in itertools.pairwise(dues)
        if start <= due <= end
    )


def _yearly_due(schedule: Yearly, year: int) -> date:
    if schedule.day is None:
        return month_end(year, schedule.month)
    # 29 February falls on the 28th in a year that has no 29th.
    return date(year, schedule.month, min(schedule.day, calendar.monthrange(year, schedule.month)[1]))


def is_recurring(schedule: Schedule) -> bool:
    return isinstance(schedule, (Yearly, Periodic))
