"""The wordings published plans use for targets, beyond dates and months.

"2025/26", "Q4 2024/25", "Spring 2025", "By end of 2025", "Year 2", "Apr-25 to Mar-26",
"Annually", "Ongoing", "TBC". `wording` is called by `schedule.parse_target` for text that is
none of the plain forms; it gets the text lower case with single spaces, and returns None for
text it does not know (an error listing the forms) or raises TargetError naming what is wrong.

Every wording is read one way, documented in the README's "Targets" table; text that could mean
two things ("2024-2025": a reporting year, or two calendar years?) is refused with both readings,
never guessed.
"""

from __future__ import annotations

import re
from datetime import date

from vawg_cli.model.schedule import (
    _MONTH_YEAR,
    Cycle,
    Dated,
    OneOff,
    Ongoing,
    Periodic,
    PlanYear,
    ReportingQuarter,
    ReportingYear,
    Schedule,
    TargetError,
    Unset,
    _day,
    _parse,
    _year,
    month_end,
)

_TO_BE_CONFIRMED = r"tbc|tba|tbd|to be (?:confirmed|agreed|announced|decided|determined)|n/?a|not applicable"
_ONGOING = (
    r"ongoing|on-going|on going|continuous|continuing|continual|throughout|"
    r"throughout the (?:plan|plan period|life of the plan|strategy)"
)
_CYCLES: dict[Cycle, str] = {
    "year": r"annually|annual|yearly|every year|each year|once a year",
    "half year": r"six[- ]?monthly|6[- ]?monthly|bi-?annual(?:ly)?|half[- ]?yearly|twice (?:a|per) year|"
    r"twice yearly|every (?:six|6) months",
    "two months": r"bi-?monthly|every (?:two|2) months|every other month",
    "two years": r"every (?:two|2) years|bi-?ennial(?:ly)?|every other year",
}
# Stripped from the front: "By end of 2025", "No later than March 2026", "By the end of Q4 2024/25".
_PREFIX = re.compile(
    r"(?:(?:to be )?(?:completed |delivered |achieved )?(?:by|before|no later than|not later than|until|in|during|"
    r"due|due by|deadline:?|target:?)\s+)?(?:the\s+)?(?:end of\s+|close of\s+)?(?:the\s+)?"
)
# "Apr-25 to Mar-26", "Q4 2024 - 2025", "from 2024 until 2026", "between 2024 and 2026".
_RANGE = re.compile(r"(?:from |between )?(.+?)\s+(?:to|until|till|through|-|and)\s+(.+)")
_YEAR_PAIR = re.compile(r"(?:fy|financial year|reporting year)?\s?(\d{4})\s*([/-])\s*(\d{4}|\d{2})")
_FY_TAIL = re.compile(r"(.+?)\s+(?:financial|reporting) year")
_QUARTER = re.compile(r"(?:q|quarter )([1-4])\s+(?:of\s+)?(.+)|(.+?)\s+(?:q|quarter )([1-4])|(\d{4})-q([1-4])")
_SEASON = re.compile(r"(spring|summer|autumn|fall|winter)\s+(?:of\s+)?(\d{4})(?:\s*/\s*(\d{4}|\d{2}))?")
_PART = re.compile(r"(early|beginning of|start of|middle of|mid|late|end of)\s?-?\s?(.+)")
_PLAN_YEAR = re.compile(
    r"(?:plan |delivery )?(?:year|yr|y) ?(\d{1,2})(?:\s*(?:-|to|and|&)\s*(?:year |yr |y)?(\d{1,2}))?"
)
_PLAN_YEARS = re.compile(r"years (\d{1,2})\s*(?:-|to|and|&)\s*(\d{1,2})")

# The last day each season or part of a year names. Seasons are the meteorological ones (spring
# is March to May); a year's parts are its thirds: early January to April, mid May to August,
# late (or end of) September to December.
_SEASON_END = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11}
_PART_END = {"early": 4, "beginning of": 4, "start of": 4, "mid": 8, "middle of": 8, "late": 12}
_PLAN_YEARS_AT_MOST = 20


def wording(norm: str) -> Schedule | None:
    """The schedule `norm` names, or None when it is no form vawg knows."""
    norm = norm.replace("\u2013", "-").replace("\u2014", "-")  # en and em dashes, as word processors write them
    if re.fullmatch(_TO_BE_CONFIRMED, norm):
        return Unset()
    if re.fullmatch(_ONGOING, norm):
        return Ongoing()
    for cycle, pattern in _CYCLES.items():
        if re.fullmatch(pattern, norm):
            return Periodic(cycle)
    if m := re.fullmatch(r"(.+?),?\s+(?:and|then|&)\s+(?:" + _ONGOING + r")(?: thereafter)?", norm):
        first = dated(m[1])
        return Ongoing(first) if first is not None else None
    return dated(norm)


def dated(norm: str) -> Dated | None:
    """A target due once, with any "by", "before", "end of" in front, or a range ending in one."""
    norm = _unprefixed(norm)
    if one := _one(norm):
        return one
    if m := _RANGE.fullmatch(norm):
        first, last = _one(_unprefixed(m[1])), _one(m[2])
        if first is None or last is None:
            return None
        if isinstance(first, OneOff) and isinstance(last, OneOff) and last.due < first.due:
            raise TargetError(f"the range ends ({last.due}) before it starts ({first.due}); write it earliest first")
        if _backwards(first, last):
            raise TargetError("the range ends before it starts; write it earliest first")
        return last
    return None


def _backwards(first: Dated, last: Dated) -> bool:
    """Whether a range surely ends before it starts, whatever the plan's year start and start day.

    Reporting years and quarters are compared as (year, quarter); plan years by number; a day
    against a reporting period only when it lies beyond every end that period could have.
    """
    if isinstance(first, PlanYear) or isinstance(last, PlanYear):
        return isinstance(first, PlanYear) and isinstance(last, PlanYear) and last.number < first.number
    if isinstance(first, OneOff):
        # Two days are compared by date above, with the dates in the message.
        return not isinstance(last, OneOff) and first.due > _month_from(_reporting_key(last), latest=True)
    if isinstance(last, OneOff):
        return _month_from(_reporting_key(first), latest=False) > last.due
    return _reporting_key(last) < _reporting_key(first)


def _reporting_key(period: ReportingYear | ReportingQuarter) -> tuple[int, int]:
    return (period.year, 4) if isinstance(period, ReportingYear) else (period.year, period.number)


def _month_from(key: tuple[int, int], *, latest: bool) -> date:
    """The last day of a reporting quarter, with the year starting in December (latest) or January."""
    year, number = key
    index = year * 12 + (11 if latest else 0) + 3 * number - 1
    return month_end(index // 12, index % 12 + 1)


def _unprefixed(norm: str) -> str:
    prefix = _PREFIX.match(norm)
    return norm[prefix.end() :] if prefix else norm


def _one(norm: str) -> Dated | None:
    """One period or day, without a prefix or a range."""
    if not norm:
        return None
    if re.fullmatch(r"\d{4}", norm):
        return OneOff(month_end(_year(int(norm)), 12))
    if m := _YEAR_PAIR.fullmatch(norm):
        return _year_pair(m)
    if (m := _FY_TAIL.fullmatch(norm)) and (pair := _YEAR_PAIR.fullmatch(m[1])):
        return _year_pair(pair)
    if m := _QUARTER.fullmatch(norm):
        return _quarter(m)
    if m := _SEASON.fullmatch(norm):
        return _season(m)
    if m := _PART.fullmatch(norm):
        return _part(m[1], m[2])
    if m := _PLAN_YEAR.fullmatch(norm) or _PLAN_YEARS.fullmatch(norm):
        if m[2] and int(m[2]) < int(m[1]):
            raise TargetError(f"the range of plan years ends (year {m[2]}) before it starts (year {m[1]})")
        return _plan_year(int(m[2] or m[1]))
    return _parse_plain(norm)


def _parse_plain(norm: str) -> OneOff | None:
    """A day or a month in the plain forms (not these wordings: no range inside a range)."""
    if one_day := _day(norm):
        return OneOff(one_day)
    if re.fullmatch(r"\d{4}-\d{1,2}", norm) or re.fullmatch(_MONTH_YEAR, norm):
        schedule = _parse(norm)
        return schedule if isinstance(schedule, OneOff) else None
    return None


def _year_pair(m: re.Match[str]) -> Dated:
    first, mark, second = int(m[1]), m[2], m[3]
    _year(first)
    follows = int(second) % 100 == (first + 1) % 100 if len(second) == 2 else int(second) == first + 1
    if len(second) == 4 and mark == "-" and not m[0].startswith(("fy", "financial", "reporting")):
        last = int(second)
        if follows:
            raise TargetError(
                f"{m[0]} could be the reporting year {first}/{(first + 1) % 100:02d} or the calendar years {first} "
                f"to {last}; write {first}/{(first + 1) % 100:02d} for the reporting year, or {first} to {last}"
            )
        if last > first:
            return OneOff(month_end(_year(last), 12))
        raise TargetError(f"{m[0]} ends before it starts; write the earlier year first")
    if not follows:
        last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        raise TargetError(
            f"{m[0]} is not a reporting year (the second year must follow the first, as in "
            f"{first}/{(first + 1) % 100:02d}); for several years write {first} to {last}"
        )
    return ReportingYear(first)


def _quarter(m: re.Match[str]) -> Dated | None:
    if m[5]:
        return ReportingQuarter(_year(int(m[5])), int(m[6]))
    number, year_text = (m[1], m[2]) if m[1] else (m[4], m[3])
    if re.fullmatch(r"\d{4}", year_text):
        return ReportingQuarter(_year(int(year_text)), int(number))
    pair = _YEAR_PAIR.fullmatch(year_text) or ((t := _FY_TAIL.fullmatch(year_text)) and _YEAR_PAIR.fullmatch(t[1]))
    if not pair:
        return None
    year = _year_pair(pair)
    if not isinstance(year, ReportingYear):
        one_year = f"{pair[1]}/{(int(pair[1]) + 1) % 100:02d}"
        raise TargetError(f"a quarter belongs to one reporting year, such as Q{number} {one_year}")
    return ReportingQuarter(year.year, int(number))


def _season(m: re.Match[str]) -> OneOff:
    season, year = m[1], _year(int(m[2]))
    if season != "winter":
        if m[3]:
            raise TargetError(f"{season} falls in one calendar year; write {season.title()} {year}")
        return OneOff(month_end(year, _SEASON_END[season]))
    if not m[3]:
        raise TargetError(
            f"winter {year} could end in February {year} or in February {year + 1}; "
            f"write Winter {year - 1}/{year % 100:02d} or Winter {year}/{(year + 1) % 100:02d}"
        )
    if int(m[3]) % 100 != (year + 1) % 100:
        raise TargetError(f"a winter runs into the next year; write Winter {year}/{(year + 1) % 100:02d}")
    return OneOff(month_end(_year(year + 1), 2))


def _part(part: str, rest: str) -> OneOff | None:
    """ "early 2026" (30 April), "mid-2026" (31 August), "late 2026" (31 December), "mid-April 2026" (30 April)."""
    if re.fullmatch(r"\d{4}", rest):
        return OneOff(month_end(_year(int(rest)), _PART_END.get(part, 12)))
    if re.fullmatch(_MONTH_YEAR, rest):
        return _parse_plain(rest)  # a part of a month is due at the month's end
    return None


def _plan_year(number: int) -> PlanYear:
    if not 1 <= number <= _PLAN_YEARS_AT_MOST:
        raise TargetError(f"year {number} is not a year of a plan; plan years count from Year 1")
    return PlanYear(number)
