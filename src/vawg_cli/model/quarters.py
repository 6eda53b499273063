"""Reporting quarters: "2025-Q3" with a year starting in April is October to December 2025.

A reporting year is named by the calendar year it starts in (2025/26 starts in April 2025), as
UK public bodies and MOPAC name theirs. Pure date arithmetic, like `schedule`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from vawg_cli.model.schedule import FIRST_YEAR, LAST_YEAR, add_months, month_end

ACCEPTED_FORMS = "2025-Q3, Q3 2025/26 or 2025/26 Q3"

_CODE = re.compile(r"(\d{4})\s*-?\s*q([1-4])")
_FISCAL = re.compile(r"(\d{4})\s*/\s*(\d{2}|\d{4})")


class QuarterError(ValueError):
    """A quarter that is not written in one of the accepted forms."""


@dataclass(frozen=True, order=True)
class Quarter:
    """Quarter `number` (1-4) of the reporting year that starts in `year_start_month` of `year`."""

    year: int
    number: int
    year_start_month: int = 4

    # Worked out once for each quarter: a paper asks each quarter's bounds of every update.
    @cached_property
    def start(self) -> date:
        year, month = add_months(self.year, self.year_start_month, 3 * (self.number - 1))
        return date(year, month, 1)

    @cached_property
    def end(self) -> date:
        year, month = add_months(self.year, self.year_start_month, 3 * self.number - 1)
        return month_end(year, month)

    @property
    def year_label(self) -> str:
        """The reporting year: "2025/26", or "2025" when the year starts in January."""
        if self.year_start_month == 1:
            return str(self.year)
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        return f"{self.year_label} Q{self.number}"

    @property
    def code(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def months(self) -> str:
        """ "October to December 2025", "January to March 2026", "November 2025 to January 2026"."""
        first, last = self.start, self.end
        if first.year == last.year:
            return f"{calendar.month_name[first.month]} to {calendar.month_name[last.month]} {last.year}"
        return f"{calendar.month_name[first.month]} {first.year} to {calendar.month_name[last.month]} {last.year}"

    def shift(self, quarters: int) -> Quarter:
        index = self.year * 4 + self.number - 1 + quarters
        return Quarter(index // 4, index % 4 + 1, self.year_start_month)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def quarter_containing(day: date, year_start_month: int) -> Quarter:
    offset = (day.month - year_start_month) % 12
    year = day.year if day.month >= year_start_month else day.year - 1
    return Quarter(year, offset // 3 + 1, year_start_month)


def quarters_between(first: date, last: Quarter) -> list[Quarter]:
    """Every quarter from the one holding `first` up to `last`, in order."""
    quarter = quarter_containing(first, last.year_start_month)
    result = []
    while quarter <= last:
        result.append(quarter)
        quarter = quarter.shift(1)
    return result


def parse_quarter(text: str, year_start_month: int) -> Quarter:
    """Read "2025-Q3", "Q3 2025/26" or "2025/26 Q3"; raise QuarterError naming the accepted forms."""
    norm = " ".join(text.strip().lower().split())
    if m := _CODE.fullmatch(norm):
        return Quarter(_year(int(m[1])), int(m[2]), year_start_month)
    parts = norm.split(" ")
    if len(parts) == 2:
        number = next((p for p in parts if re.fullmatch(r"q[1-4]", p)), None)
        fiscal = next((p for p in parts if p != number), "")
        if number is not None and (m := _FISCAL.fullmatch(fiscal)):
            start, second = int(m[1]), int(m[2])
            if second % 100 != (start + 1) % 100:
                raise QuarterError(f"{fiscal} is not a reporting year: the second year must follow the first")
            return Quarter(_year(start), int(number[1]), year_start_month)
    raise QuarterError(f"quarter {text.strip()!r} is not one I can read; write it as {ACCEPTED_FORMS}")


def _year(year: int) -> int:
    # Outside these years the quarter's dates would not exist (9999-Q4 ends in the year 10000).
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise QuarterError(f"{year:04d} is not a year of a plan; write a year from {FIRST_YEAR} to {LAST_YEAR}")
    return year
