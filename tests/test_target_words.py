"""Unit tests for the wordings published plans use for targets (vawg_cli.model.target_words).

Each form is read one way, and its due date is the one the README's "Targets" table gives; a
year-relative form ("2025/26", "Q4 2024/25", "Year 2") follows the plan's year_start_month and start.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from vawg_cli.model.schedule import (
    OneOff,
    Ongoing,
    Periodic,
    PlanYear,
    ReportingQuarter,
    ReportingYear,
    Schedule,
    TargetError,
    Unset,
    due_date,
    is_recurring,
    occurrences,
    once_due,
    parse_day,
    parse_target,
    target_kind,
)

PLAN_START = date(2024, 4, 1)
PLAN_END = date(2028, 3, 31)


def _due(text: str, year_start_month: int = 4, start: date = PLAN_START) -> date | None:
    return once_due(parse_target(text), start, year_start_month)


def _dues(schedule: Schedule, year_start_month: int = 4, start: date = PLAN_START, end: date = PLAN_END) -> list[date]:
    return [o.due for o in occurrences(schedule, start, end, year_start_month)]


# --------------------------------------------------------------------------- reporting years


@pytest.mark.parametrize(
    "text",
    [
        "2025/26",
        "2025-26",
        "FY 2025/26",
        "FY2025/26",
        "fy 2025-26",
        "2025/2026",
        "Financial year 2025/26",
        "2025/26 financial year",
        "by 2025/26",
        "By the end of 2025/26",
        "in 2025/26",
    ],
)
def test_reporting_year_forms(text: str) -> None:
    assert parse_target(text) == ReportingYear(2025)


@pytest.mark.parametrize(
    ("year_start_month", "expected"),
    [(4, date(2026, 3, 31)), (1, date(2025, 12, 31)), (7, date(2026, 6, 30)), (3, date(2026, 2, 28))],
)
def test_reporting_year_ends_with_the_plans_year(year_start_month: int, expected: date) -> None:
    assert _due("2025/26", year_start_month) == expected


def test_reporting_year_ending_in_a_leap_february() -> None:
    assert _due("2027/28", year_start_month=3) == date(2028, 2, 29)


def test_reporting_year_across_a_century() -> None:
    assert parse_target("2099/00") == ReportingYear(2099)


# --------------------------------------------------------------------------- quarters


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q4 2024/25", ReportingQuarter(2024, 4)),
        ("2024/25 Q4", ReportingQuarter(2024, 4)),
        ("Q4 2024-25", ReportingQuarter(2024, 4)),
        ("Quarter 4 2024/25", ReportingQuarter(2024, 4)),
        ("Q2 2025", ReportingQuarter(2025, 2)),
        ("2025 Q2", ReportingQuarter(2025, 2)),
        ("2025-Q2", ReportingQuarter(2025, 2)),
        ("by end of Q1 2026/27", ReportingQuarter(2026, 1)),
    ],
)
def test_quarter_forms(text: str, expected: ReportingQuarter) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize(
    ("text", "year_start_month", "expected"),
    [
        ("Q4 2024/25", 4, date(2025, 3, 31)),
        ("Q1 2024/25", 4, date(2024, 6, 30)),
        # One year: the quarter of the reporting year that starts in it, as `--quarter 2025-Q2` reads it.
        ("Q2 2025", 4, date(2025, 9, 30)),
        ("Q2 2025", 1, date(2025, 6, 30)),
        ("Q4 2025", 1, date(2025, 12, 31)),
        ("Q2 2025", 7, date(2025, 12, 31)),
        ("Q4 2025/26", 7, date(2026, 6, 30)),
        ("Q4 2027/28", 3, date(2028, 2, 29)),
        ("Q4 2026/27", 3, date(2027, 2, 28)),
    ],
)
def test_quarter_ends(text: str, year_start_month: int, expected: date) -> None:
    assert _due(text, year_start_month) == expected


# --------------------------------------------------------------------------- seasons and parts of a year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Spring 2025", date(2025, 5, 31)),
        ("Summer 2025", date(2025, 8, 31)),
        ("Autumn 2023", date(2023, 11, 30)),
        ("Fall 2023", date(2023, 11, 30)),
        ("Winter 2025/26", date(2026, 2, 28)),
        ("Winter 2027/28", date(2028, 2, 29)),
        ("by Autumn 2025", date(2025, 11, 30)),
        ("early 2026", date(2026, 4, 30)),
        ("Beginning of 2026", date(2026, 4, 30)),
        ("mid-2026", date(2026, 8, 31)),
        ("mid 2026", date(2026, 8, 31)),
        ("Middle of 2026", date(2026, 8, 31)),
        ("late 2025", date(2025, 12, 31)),
        ("end of 2025", date(2025, 12, 31)),
        ("By end of 2025", date(2025, 12, 31)),
        ("by the end of 2025", date(2025, 12, 31)),
        ("mid-April 2026", date(2026, 4, 30)),
        ("late February 2028", date(2028, 2, 29)),
        ("end of March 2026", date(2026, 3, 31)),
    ],
)
def test_seasons_and_parts_of_a_year(text: str, expected: date) -> None:
    assert parse_target(text) == OneOff(expected)


@pytest.mark.parametrize("year_start_month", [1, 4, 7])
def test_seasons_do_not_follow_the_reporting_year(year_start_month: int) -> None:
    assert _due("Spring 2025", year_start_month) == date(2025, 5, 31)


# --------------------------------------------------------------------------- a year alone, prefixes, days


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025", date(2025, 12, 31)),
        ("by 2025", date(2025, 12, 31)),
        ("Before March 2026", date(2026, 3, 31)),
        ("no later than 30 April 2025", date(2025, 4, 30)),
        ("Not later than Apr-25", date(2025, 4, 30)),
        ("To be completed by 31/03/2026", date(2026, 3, 31)),
        ("Sep '19", date(2019, 9, 30)),
        ("Sept '25", date(2025, 9, 30)),
        ("Sept 2025", date(2025, 9, 30)),
        ("Sept. 2025", date(2025, 9, 30)),
        ("1st April 2025", date(2025, 4, 1)),
        ("2nd May 2025", date(2025, 5, 2)),
        ("23rd June 2025", date(2025, 6, 23)),
        ("the 1st of April 2025", date(2025, 4, 1)),
        ("April 1st, 2025", date(2025, 4, 1)),
        ("February 29th 2028", date(2028, 2, 29)),
        ("03/04/2025", date(2025, 4, 3)),  # UK order: 3 April, never 4 March
        ("03.04.2025", date(2025, 4, 3)),
        ("3/4/25", date(2025, 4, 3)),
    ],
)
def test_years_prefixes_and_days(text: str, expected: date) -> None:
    assert parse_target(text) == OneOff(expected)


def test_a_day_in_any_of_these_forms_is_still_one_day() -> None:
    assert parse_day("1st April 2025") == parse_day("April 1st, 2025") == date(2025, 4, 1)


def test_a_year_is_not_a_day() -> None:
    with pytest.raises(ValueError, match="more than one day; write the day, such as 2025-12-31"):
        parse_day("2025")


# --------------------------------------------------------------------------- ranges


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q4 2024 to 2025", OneOff(date(2025, 12, 31))),
        ("2024-2026", OneOff(date(2026, 12, 31))),
        ("2024 - 2026", OneOff(date(2026, 12, 31))),
        ("2024\u20132026", OneOff(date(2026, 12, 31))),
        ("2024 to 2026", OneOff(date(2026, 12, 31))),
        ("Apr-25 to Mar-26", OneOff(date(2026, 3, 31))),
        ("Apr-25 - Mar-26", OneOff(date(2026, 3, 31))),
        ("From April 2025 until March 2026", OneOff(date(2026, 3, 31))),
        ("Between 2024 and 2026", OneOff(date(2026, 12, 31))),
        ("2024/25 to 2025/26", ReportingYear(2025)),
        ("Year 1 to Year 3", PlanYear(3)),
    ],
)
def test_a_range_is_due_at_its_end(text: str, expected: Schedule) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Apr-26 to Apr-25", "ends (2025-04-30) before it starts (2026-04-30)"),
        ("2026-2024", "ends before it starts"),
        ("2024-2025", "could be the reporting year 2024/25 or the calendar years 2024 to 2025"),
        ("2024/26", "not a reporting year"),
        ("Winter 2025", "write Winter 2024/25 or Winter 2025/26"),
    ],
)
def test_ambiguous_or_backwards_text_is_refused_with_both_readings(text: str, fragment: str) -> None:
    with pytest.raises(TargetError, match=re.escape(fragment)):
        parse_target(text)


# --------------------------------------------------------------------------- plan years


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Year 1", PlanYear(1)),
        ("Year 2", PlanYear(2)),
        ("year 4", PlanYear(4)),
        ("Y2", PlanYear(2)),
        ("Plan year 3", PlanYear(3)),
        ("Years 1-3", PlanYear(3)),
        ("By end of Year 2", PlanYear(2)),
    ],
)
def test_plan_year_forms(text: str, expected: PlanYear) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize(
    ("start", "number", "expected"),
    [
        (date(2024, 4, 1), 1, date(2025, 3, 31)),
        (date(2024, 4, 1), 2, date(2026, 3, 31)),
        (date(2025, 1, 1), 1, date(2025, 12, 31)),
        (date(2024, 7, 15), 2, date(2026, 7, 14)),
        (date(2023, 3, 1), 1, date(2024, 2, 29)),  # a leap year's February ends the first year
        (date(2024, 2, 29), 1, date(2025, 2, 28)),  # from 29 February: the anniversary is 1 March
        (date(2024, 2, 29), 4, date(2028, 2, 28)),
    ],
)
def test_plan_year_ends_the_day_before_its_anniversary(start: date, number: int, expected: date) -> None:
    assert due_date(PlanYear(number), start, 4) == expected


@pytest.mark.parametrize("year_start_month", [1, 4, 7])
def test_plan_year_ignores_year_start_month(year_start_month: int) -> None:
    assert _due("Year 2", year_start_month) == date(2026, 3, 31)


# --------------------------------------------------------------------------- more cycles


@pytest.mark.parametrize(
    ("text", "every"),
    [
        ("Annually", "year"),
        ("annual", "year"),
        ("Yearly", "year"),
        ("Every year", "year"),
        ("Six-monthly", "half year"),
        ("six monthly", "half year"),
        ("6-monthly", "half year"),
        ("Bi-annually", "half year"),
        ("Biannually", "half year"),
        ("Half-yearly", "half year"),
        ("Twice a year", "half year"),
        ("Bi-monthly", "two months"),
        ("Every two months", "two months"),
        ("Every two years", "two years"),
        ("Biennially", "two years"),
    ],
)
def test_cycle_forms(text: str, every: str) -> None:
    schedule = parse_target(text)
    assert schedule == Periodic(every)  # type: ignore[arg-type]
    assert is_recurring(schedule) and target_kind(schedule) == "recurring"


@pytest.mark.parametrize(
    ("year_start_month", "expected"),
    [
        (4, [date(2025, 3, 31), date(2026, 3, 31), date(2027, 3, 31), date(2028, 3, 31)]),
        (1, [date(2024, 12, 31), date(2025, 12, 31), date(2026, 12, 31), date(2027, 12, 31)]),
        (7, [date(2024, 6, 30), date(2025, 6, 30), date(2026, 6, 30), date(2027, 6, 30)]),
        (3, [date(2025, 2, 28), date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29)]),
    ],
)
def test_annually_is_the_end_of_each_reporting_year(year_start_month: int, expected: list[date]) -> None:
    assert _dues(Periodic("year"), year_start_month) == expected


def test_annually_periods_are_whole_reporting_years() -> None:
    first = occurrences(Periodic("year"), PLAN_START, PLAN_END, 4)[0]
    assert (first.period_start, first.due) == (date(2024, 4, 1), date(2025, 3, 31))


@pytest.mark.parametrize(
    ("year_start_month", "expected"),
    [
        (4, [date(2024, 9, 30), date(2025, 3, 31), date(2025, 9, 30)]),
        (1, [date(2024, 6, 30), date(2024, 12, 31), date(2025, 6, 30)]),
        (7, [date(2024, 6, 30), date(2024, 12, 31), date(2025, 6, 30)]),
    ],
)
def test_six_monthly_ends_with_each_half_of_the_reporting_year(year_start_month: int, expected: list[date]) -> None:
    assert _dues(Periodic("half year"), year_start_month)[:3] == expected


def test_bi_monthly_ends_with_the_reporting_year() -> None:
    assert _dues(Periodic("two months"), 4)[:6] == [
        date(2024, 5, 31),
        date(2024, 7, 31),
        date(2024, 9, 30),
        date(2024, 11, 30),
        date(2025, 1, 31),
        date(2025, 3, 31),
    ]
    assert date(2028, 1, 31) in _dues(Periodic("two months"), 4)


def test_every_two_years_is_the_end_of_every_second_reporting_year_of_the_plan() -> None:
    pairs = [(o.period_start, o.due) for o in occurrences(Periodic("two years"), PLAN_START, PLAN_END, 4)]
    assert pairs == [(date(2024, 4, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2028, 3, 31))]
    assert _dues(Periodic("two years"), 1, date(2025, 1, 1), date(2028, 12, 31)) == [
        date(2026, 12, 31),
        date(2028, 12, 31),
    ]


# --------------------------------------------------------------------------- ongoing and to be confirmed


@pytest.mark.parametrize(
    "text",
    ["Ongoing", "ongoing", "On-going", "Continuous", "Continuing", "Throughout the plan", "Throughout the plan period"],
)
def test_ongoing_forms(text: str) -> None:
    schedule = parse_target(text)
    assert schedule == Ongoing() and target_kind(schedule) == "ongoing"
    assert _dues(schedule) == [] and once_due(schedule, PLAN_START, 4) is None


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("By Autumn 2023 and ongoing", OneOff(date(2023, 11, 30))),
        ("Apr-25 and ongoing", OneOff(date(2025, 4, 30))),
        ("March 2026, then ongoing", OneOff(date(2026, 3, 31))),
        ("2025/26 and ongoing", ReportingYear(2025)),
        ("Year 1 and ongoing", PlanYear(1)),
    ],
)
def test_x_and_ongoing_is_due_at_x_then_ongoing(text: str, first: OneOff | ReportingYear | PlanYear) -> None:
    schedule = parse_target(text)
    assert schedule == Ongoing(first) and target_kind(schedule) == "ongoing"
    assert _dues(schedule) == [due_date(first, PLAN_START, 4)]


@pytest.mark.parametrize("text", ["TBC", "tbc", "TBA", "TBD", "To be confirmed", "To be agreed", "N/A", "n/a", "TBC."])
def test_to_be_confirmed_forms(text: str) -> None:
    schedule = parse_target(text)
    assert schedule == Unset() and target_kind(schedule) == "tbc"
    assert _dues(schedule) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("2025-04-30", "date"),
        ("Apr-25", "date"),
        ("2025/26", "date"),
        ("Q4 2024/25", "date"),
        ("Year 2", "date"),
        ("Spring 2025", "date"),
        ("November annually", "recurring"),
        ("Quarterly", "recurring"),
        ("Annually", "recurring"),
        ("Ongoing", "ongoing"),
        ("Apr-25 and ongoing", "ongoing"),
        ("TBC", "tbc"),
    ],
)
def test_target_kind(text: str, kind: str) -> None:
    assert target_kind(parse_target(text)) == kind


def test_the_error_for_unknown_text_lists_the_new_forms() -> None:
    with pytest.raises(TargetError) as error:
        parse_target("when funding allows")
    for form in ("2025/26", "Q4 2024/25", "Spring 2025", "Year 2", "Apr-25 to Mar-26", "Ongoing", "TBC"):
        assert form in str(error.value)


def test_every_schedule_survives_pickling() -> None:
    import pickle

    for text in ("2025/26", "Q4 2024/25", "Year 2", "Annually", "Apr-25 and ongoing", "Ongoing", "TBC"):
        schedule = parse_target(text)
        assert pickle.loads(pickle.dumps(schedule)) == schedule
        hash(schedule)  # occurrences() is memoised on it


@pytest.mark.parametrize(
    "text", ["Q4 2025/26 to Q1 2024/25", "Year 3 to Year 1", "Years 3-1", "2026 to Q4 2024/25", "2025/26 to 2024/25"]
)
def test_a_range_that_ends_before_it_starts_is_refused_whatever_its_ends(text: str) -> None:
    with pytest.raises(TargetError, match="before it starts"):
        parse_target(text)


@pytest.mark.parametrize("text", ["Q4 2024/25 to 2026", "Year 1 to Year 3", "2024/25 to 2025/26", "Q4 2024 to 2025"])
def test_a_range_earliest_first_is_read(text: str) -> None:
    parse_target(text)
