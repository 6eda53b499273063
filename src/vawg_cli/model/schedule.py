"""Targets as people write them ("Apr-25", "November annually", "Quarterly") and their due dates.

The target text is kept as written; the schedule read from it is what vawg computes with. Some
targets name a year of the plan's own reckoning ("2025/26", "Q4 2024/25", "Year 2"): their due
date depends on plan.yaml (`year_start_month`, `start`), which a single action file does not
know, so their schedule keeps the form (`ReportingYear(2025)`) and `due_date` / `occurrences`
work out the day from the plan's settings. The plainer wordings plans use ("by end of 2025",
"Spring 2025", "Ongoing", "TBC") are read in `target_words.py`.

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
    "a reporting year (2025/26), a quarter (Q4 2024/25), a season or part of a year (Spring 2025, mid-2026), "
    "a year (2025), a range (Apr-25 to Mar-26), a year of the plan (Year 2), "
    "a yearly month (November annually, annually in November, 25 November annually), "
    "a cycle (Quarterly, Monthly, Annually, Six-monthly, Bi-monthly, Every two years), "
    "Ongoing, or TBC"
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
# Day first, always (UK order): 03/04/2025 is 3 April. A two-digit year is this century's.
_UK_DATE = r"(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})"
_DAY_MONTH_YEAR = r"(?:the )?" + _DAY + r" (?:of )?" + _MONTH + r",? (\d{4})"
_MONTH_DAY_YEAR = _MONTH + r" " + _DAY + r",? (\d{4})"
_ISO_MONTH = r"(\d{4})-(\d{1,2})"
# A two-digit year needs a mark before it (Apr-25, Apr/25, Apr '25): "April 25" could be a day.
_MONTH_YEAR = _MONTH + r"(?:[ \-/']?(\d{4})|\s?[\-/']\s?(\d{2}))"
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


CYCLE_MONTHS = {"month": 1, "two months": 2, "quarter": 3, "half year": 6, "year": 12, "two years": 24}
Cycle = Literal["month", "two months", "quarter", "half year", "year", "two years"]


@dataclass(frozen=True)
class Periodic:
    """Due at the end of every month, or of every stretch of the reporting year (two months, a
    quarter, a half, the year) that ends with it; "two years": the end of every second reporting
    year of the plan, counting the one it starts in as the first."""

    every: Cycle


@dataclass(frozen=True)
class ReportingYear:
    """Due on the last day of the reporting year that starts in `year` ("2025/26", "FY 2025-26")."""

    year: int


@dataclass(frozen=True)
class ReportingQuarter:
    """Due on the last day of quarter `number` of the reporting year that starts in `year`.

    "Q4 2024/25" and "2024/25 Q4" are ReportingQuarter(2024, 4). "Q2 2025" (one year) is read as
    `vawg report --quarter 2025-Q2` reads it: the second quarter of the reporting year that
    starts in 2025, which with April is July to September 2025.
    """

    year: int
    number: int


@dataclass(frozen=True)
class PlanYear:
    """Due on the last day of year `number` of the plan, counted from its `start` ("Year 2")."""

    number: int


Dated = OneOff | ReportingYear | ReportingQuarter | PlanYear
"""A target due once: on a day, or at the end of a year or quarter that the plan's settings place."""


@dataclass(frozen=True)
class Ongoing:
    """Work that carries on ("Ongoing", "Continuous"): no due date, so never overdue by date, and
    reported on every quarter like any action. With `first` ("By Autumn 2023 and ongoing"), due
    once at `first`, then ongoing."""

    first: Dated | None = None


@dataclass(frozen=True)
class Unset:
    """A target without a date yet: "TBC", "TBA", "To be confirmed", "N/A".

    Valid (`vawg check` warns), never overdue, and listed apart in papers so the board can chase
    it. It also stands in for a past target vawg cannot read, when a paper or `--as-of` looks
    back to before it was put right with `vawg retarget`.
    """


Schedule = OneOff | ReportingYear | ReportingQuarter | PlanYear | Yearly | Periodic | Ongoing | Unset
TargetKind = Literal["date", "recurring", "ongoing", "tbc"]


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
        month = re.fullmatch(_MONTH_YEAR, norm) or re.fullmatch(_ISO_MONTH, norm)
        what = "a month, not a day" if month else "more than one day"
        raise DayError(f"{text.strip()!r} is {what}; write the day, such as {schedule.due.isoformat()}")
    raise DayError(f"{text.strip()!r} is not a date; write it as {DAY_FORMS}")


def _day(norm: str) -> date | None:
    if m := re.fullmatch(_ISO_DATE, norm):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(_UK_DATE, norm):
        return _date(int(m[4]) + (2000 if len(m[4]) == 2 else 0), int(m[3]), int(m[1]))
    if m := re.fullmatch(_DAY_MONTH_YEAR, norm):
        return _date(int(m[3]), _MONTHS[m[2]], int(m[1]))
    if m := re.fullmatch(_MONTH_DAY_YEAR, norm):
        return _date(int(m[3]), _MONTHS[m[1]], int(m[2]))
    return None


def _parse(norm: str) -> Schedule | None:
    if one_day := _day(norm):
        return OneOff(one_day)
    if (m := re.fullmatch(_ISO_MONTH, norm)) and not (int(m[2]) > 12 and int(m[2]) == (int(m[1]) + 1) % 100):
        # "2025-26" is the reporting year 2025/26 (target_words); "2025-13" is a mistyped month.
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
    from vawg_cli.model.target_words import wording  # the rarer forms: loaded only when needed

    return wording(norm)


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


def due_date(schedule: Dated, start: date, year_start_month: int) -> date:
    """The day a target due once falls due, in a plan that starts on `start`."""
    if isinstance(schedule, OneOff):
        return schedule.due
    if isinstance(schedule, ReportingYear):
        return month_end(*add_months(schedule.year, year_start_month, 11))
    if isinstance(schedule, ReportingQuarter):
        return month_end(*add_months(schedule.year, year_start_month, 3 * schedule.number - 1))
    # The day before the plan's Nth anniversary; a plan started on 29 February has its
    # anniversaries on 1 March in other years, so its years end on 28 February.
    year = start.year + schedule.number
    if start.day <= calendar.monthrange(year, start.month)[1]:
        return date(year, start.month, start.day) - timedelta(days=1)
    return date(year, start.month, start.day - 1)


def once_due(schedule: Schedule, start: date, year_start_month: int) -> date | None:
    """The due date of a target due once; None for one that recurs, carries on or is to be confirmed."""
    if isinstance(schedule, (OneOff, ReportingYear, ReportingQuarter, PlanYear)):
        return due_date(schedule, start, year_start_month)
    return None


def target_kind(schedule: Schedule) -> TargetKind:
    """What sort of target it is, as `status --format json` and the export say: date, recurring, ongoing, tbc."""
    if isinstance(schedule, (Yearly, Periodic)):
        return "recurring"
    if isinstance(schedule, Ongoing):
        return "ongoing"
    if isinstance(schedule, Unset):
        return "tbc"
    return "date"


@functools.lru_cache(maxsize=8192)
def occurrences(schedule: Schedule, start: date, end: date, year_start_month: int) -> tuple[Occurrence, ...]:
    """Every due date of `schedule` that falls within the plan period [start, end].

    A one-off target is kept even outside the period: a plan can slip past its end, and the
    action is still due. An occurrence's period runs from the day after the previous due date.
    Memoised: a plan has far fewer distinct schedules than actions. Room for thousands: a large
    plan's one-off targets give a schedule for each day named, and a cache smaller than those
    (it held 256) misses on nearly every action, as each paper's statuses go through them in turn.
    """
    if isinstance(schedule, Ongoing):
        return () if schedule.first is None else occurrences(schedule.first, start, end, year_start_month)
    if isinstance(schedule, Unset):
        return ()
    if isinstance(schedule, Yearly):
        dues = [_yearly_due(schedule, year) for year in range(start.year - 1, end.year + 1)]
    elif isinstance(schedule, Periodic):
        dues = _cycle_dues(CYCLE_MONTHS[schedule.every], start, end, year_start_month)
    else:
        return (Occurrence(due_date(schedule, start, year_start_month), date.min),)
    return tuple(
        Occurrence(due, previous + timedelta(days=1))
        for previous, due in itertools.pairwise(dues)
        if start <= due <= end
    )


def _cycle_dues(step: int, start: date, end: date, year_start_month: int) -> list[date]:
    """Month ends `step` months apart, in step with the end of the reporting year, from one before `start`.

    The reporting year ends in the month before it starts (with April, March): quarters then end
    in June, September, December and March. Two years: from the end of the plan's first
    reporting year, the second, fourth and so on fall due.
    """
    year, month = start.year - 1, (year_start_month - 2) % 12 + 1
    while month_end(year, month) < start:  # the first reporting year's end on or after the start
        year += 1
    year, month = add_months(year, month, -12)  # then one year back: the first due date's period begins after it
    dues = []
    while (due := month_end(year, month)) <= end:
        dues.append(due)
        year, month = add_months(year, month, step)
    return dues


def _yearly_due(schedule: Yearly, year: int) -> date:
    if schedule.day is None:
        return month_end(year, schedule.month)
    # 29 February falls on the 28th in a year that has no 29th.
    return date(year, schedule.month, min(schedule.day, calendar.monthrange(year, schedule.month)[1]))


def is_recurring(schedule: Schedule) -> bool:
    return target_kind(schedule) == "recurring"
