"""Unit tests for vawg_cli.model.schedule: parsing targets and listing their due dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from vawg_cli.model.schedule import (
    DayError,
    OneOff,
    Periodic,
    Schedule,
    TargetError,
    Yearly,
    is_recurring,
    month_end,
    occurrences,
    parse_day,
    parse_target,
)

PLAN_START = date(2024, 4, 1)
PLAN_END = date(2028, 4, 30)


def _dues(schedule: Schedule, year_start_month: int = 4, start: date = PLAN_START, end: date = PLAN_END) -> list[date]:
    return [o.due for o in occurrences(schedule, start, end, year_start_month)]


def _pairs(
    schedule: Schedule, year_start_month: int = 4, start: date = PLAN_START, end: date = PLAN_END
) -> list[tuple[date, date]]:
    return [(o.period_start, o.due) for o in occurrences(schedule, start, end, year_start_month)]


# --------------------------------------------------------------------------- month_end


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2025, 1, date(2025, 1, 31)),
        (2025, 2, date(2025, 2, 28)),
        (2024, 2, date(2024, 2, 29)),
        (2000, 2, date(2000, 2, 29)),
        (1900, 2, date(1900, 2, 28)),
        (2025, 4, date(2025, 4, 30)),
        (2025, 6, date(2025, 6, 30)),
        (2025, 9, date(2025, 9, 30)),
        (2025, 11, date(2025, 11, 30)),
        (2025, 12, date(2025, 12, 31)),
        (2025, 7, date(2025, 7, 31)),
    ],
)
def test_month_end(year: int, month: int, expected: date) -> None:
    assert month_end(year, month) == expected


# --------------------------------------------------------------------------- one-off dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-04-30", date(2025, 4, 30)),
        ("2024-02-29", date(2024, 2, 29)),
        ("2026-01-01", date(2026, 1, 1)),
        ("30/04/2025", date(2025, 4, 30)),
        ("01/12/2025", date(2025, 12, 1)),
        ("12/01/2025", date(2025, 1, 12)),  # UK order: 12 January, not 1 December
        ("31/03/2026", date(2026, 3, 31)),
        ("29/02/2028", date(2028, 2, 29)),
        ("30 April 2025", date(2025, 4, 30)),
        ("1 January 2026", date(2026, 1, 1)),
        ("31 December 2027", date(2027, 12, 31)),
        ("29 February 2024", date(2024, 2, 29)),
        ("  30   APRIL   2025  ", date(2025, 4, 30)),
        ("30 april 2025", date(2025, 4, 30)),
    ],
)
def test_parse_exact_date(text: str, expected: date) -> None:
    assert parse_target(text) == OneOff(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Apr-25", date(2025, 4, 30)),
        ("Mar-26", date(2026, 3, 31)),
        ("Jun-25", date(2025, 6, 30)),
        ("Sep-25", date(2025, 9, 30)),
        ("Dec-24", date(2024, 12, 31)),
        ("Nov-27", date(2027, 11, 30)),
        ("Feb-24", date(2024, 2, 29)),
        ("Feb-25", date(2025, 2, 28)),
        ("Feb-28", date(2028, 2, 29)),
        ("apr-25", date(2025, 4, 30)),
        ("APR-25", date(2025, 4, 30)),
        ("2025-04", date(2025, 4, 30)),
        ("2025-02", date(2025, 2, 28)),
        ("2024-02", date(2024, 2, 29)),
        ("2025-12", date(2025, 12, 31)),
        ("2026-09", date(2026, 9, 30)),
        ("April 2025", date(2025, 4, 30)),
        ("February 2024", date(2024, 2, 29)),
        ("February 2025", date(2025, 2, 28)),
        ("november 2026", date(2026, 11, 30)),
        ("  March   2027 ", date(2027, 3, 31)),
    ],
)
def test_parse_month_is_due_on_last_day(text: str, expected: date) -> None:
    assert parse_target(text) == OneOff(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-04-30", date(2025, 4, 30)),
        ("Apr-25", date(2025, 4, 30)),
        ("Feb-24", date(2024, 2, 29)),
    ],
)
def test_one_off_inside_period_returns_single_due(text: str, expected: date) -> None:
    assert _dues(parse_target(text)) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2030-01-15", date(2030, 1, 15)),  # after the plan ends
        ("2020-06-01", date(2020, 6, 1)),  # before the plan starts
        ("Mar-29", date(2029, 3, 31)),
        ("31/12/2023", date(2023, 12, 31)),
    ],
)
def test_one_off_outside_period_still_returns_its_due(text: str, expected: date) -> None:
    assert _dues(parse_target(text)) == [expected]


@pytest.mark.parametrize("year_start_month", [1, 4, 7])
def test_one_off_ignores_year_start_month(year_start_month: int) -> None:
    assert _dues(OneOff(date(2025, 4, 30)), year_start_month) == [date(2025, 4, 30)]


# --------------------------------------------------------------------------- yearly


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("November annually", Yearly(11)),
        ("annually in November", Yearly(11)),
        ("25 November annually", Yearly(11, 25)),
        ("november annually", Yearly(11)),
        ("NOVEMBER ANNUALLY", Yearly(11)),
        ("  November    annually  ", Yearly(11)),
        ("Annually In November", Yearly(11)),
        ("  annually   in   november ", Yearly(11)),
        ("25 NOVEMBER ANNUALLY", Yearly(11, 25)),
        ("March annually", Yearly(3)),
        ("1 April annually", Yearly(4, 1)),
        ("31 December annually", Yearly(12, 31)),
        ("30 November annually", Yearly(11, 30)),
        ("29 February annually", Yearly(2, 29)),
    ],
)
def test_parse_yearly(text: str, expected: Yearly) -> None:
    assert parse_target(text) == expected


def test_yearly_month_due_on_last_day_each_year_of_plan() -> None:
    assert _pairs(parse_target("November annually")) == [
        (date(2023, 12, 1), date(2024, 11, 30)),
        (date(2024, 12, 1), date(2025, 11, 30)),
        (date(2025, 12, 1), date(2026, 11, 30)),
        (date(2026, 12, 1), date(2027, 11, 30)),
    ]


def test_yearly_spellings_give_same_dues() -> None:
    expected = [date(2024, 11, 30), date(2025, 11, 30), date(2026, 11, 30), date(2027, 11, 30)]
    assert _dues(parse_target("annually in November")) == expected
    assert _dues(parse_target("NOVEMBER   annually")) == expected


def test_yearly_with_day() -> None:
    assert _pairs(parse_target("25 November annually")) == [
        (date(2023, 11, 26), date(2024, 11, 25)),
        (date(2024, 11, 26), date(2025, 11, 25)),
        (date(2025, 11, 26), date(2026, 11, 25)),
        (date(2026, 11, 26), date(2027, 11, 25)),
    ]


def test_yearly_includes_due_dates_on_both_period_boundaries() -> None:
    # The plan starts on 1 April 2024 and ends on 30 April 2028: both ends are inclusive.
    assert _pairs(parse_target("April annually")) == [
        (date(2023, 5, 1), date(2024, 4, 30)),
        (date(2024, 5, 1), date(2025, 4, 30)),
        (date(2025, 5, 1), date(2026, 4, 30)),
        (date(2026, 5, 1), date(2027, 4, 30)),
        (date(2027, 5, 1), date(2028, 4, 30)),
    ]
    assert _dues(parse_target("1 April annually")) == [
        date(2024, 4, 1),
        date(2025, 4, 1),
        date(2026, 4, 1),
        date(2027, 4, 1),
        date(2028, 4, 1),
    ]


def test_yearly_excludes_dates_just_outside_period() -> None:
    # 31 March 2024 is the day before the plan starts; 31 March 2028 is inside it.
    assert _dues(parse_target("March annually")) == [
        date(2025, 3, 31),
        date(2026, 3, 31),
        date(2027, 3, 31),
        date(2028, 3, 31),
    ]
    # 1 May 2028 is after the plan ends.
    assert _dues(parse_target("1 May annually")) == [
        date(2024, 5, 1),
        date(2025, 5, 1),
        date(2026, 5, 1),
        date(2027, 5, 1),
    ]


def test_yearly_february_month_end_follows_leap_years() -> None:
    assert _pairs(parse_target("February annually")) == [
        (date(2024, 3, 1), date(2025, 2, 28)),
        (date(2025, 3, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2027, 2, 28)),
        (date(2027, 3, 1), date(2028, 2, 29)),
    ]


def test_yearly_29_february_falls_on_28th_in_non_leap_years() -> None:
    assert _pairs(parse_target("29 February annually")) == [
        (date(2024, 3, 1), date(2025, 2, 28)),
        (date(2025, 3, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2027, 2, 28)),
        (date(2027, 3, 1), date(2028, 2, 29)),
    ]


def test_yearly_29_february_in_leap_year_plan() -> None:
    dues = _dues(Yearly(2, 29), start=date(2023, 1, 1), end=date(2025, 12, 31))
    assert dues == [date(2023, 2, 28), date(2024, 2, 29), date(2025, 2, 28)]


@pytest.mark.parametrize("year_start_month", [1, 4, 10])
def test_yearly_ignores_year_start_month(year_start_month: int) -> None:
    assert _dues(Yearly(6), year_start_month) == [
        date(2024, 6, 30),
        date(2025, 6, 30),
        date(2026, 6, 30),
        date(2027, 6, 30),
    ]


# --------------------------------------------------------------------------- quarterly / monthly


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quarterly", Periodic("quarter")),
        ("quarterly", Periodic("quarter")),
        ("QUARTERLY", Periodic("quarter")),
        ("  Quarterly  ", Periodic("quarter")),
        ("Monthly", Periodic("month")),
        ("monthly", Periodic("month")),
        ("MONTHLY", Periodic("month")),
        (" Monthly ", Periodic("month")),
    ],
)
def test_parse_periodic(text: str, expected: Periodic) -> None:
    assert parse_target(text) == expected


QUARTERLY_PLAN_DUES = [
    date(2024, 6, 30),
    date(2024, 9, 30),
    date(2024, 12, 31),
    date(2025, 3, 31),
    date(2025, 6, 30),
    date(2025, 9, 30),
    date(2025, 12, 31),
    date(2026, 3, 31),
    date(2026, 6, 30),
    date(2026, 9, 30),
    date(2026, 12, 31),
    date(2027, 3, 31),
    date(2027, 6, 30),
    date(2027, 9, 30),
    date(2027, 12, 31),
    date(2028, 3, 31),
]


@pytest.mark.parametrize("year_start_month", [4, 1])
def test_quarterly_dues_over_plan(year_start_month: int) -> None:
    assert _dues(parse_target("Quarterly"), year_start_month) == QUARTERLY_PLAN_DUES


def test_quarterly_period_starts_are_quarter_starts() -> None:
    assert _pairs(parse_target("Quarterly"), 4) == [
        (date(2024, 4, 1), date(2024, 6, 30)),
        (date(2024, 7, 1), date(2024, 9, 30)),
        (date(2024, 10, 1), date(2024, 12, 31)),
        (date(2025, 1, 1), date(2025, 3, 31)),
        (date(2025, 4, 1), date(2025, 6, 30)),
        (date(2025, 7, 1), date(2025, 9, 30)),
        (date(2025, 10, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 10, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 3, 31)),
        (date(2027, 4, 1), date(2027, 6, 30)),
        (date(2027, 7, 1), date(2027, 9, 30)),
        (date(2027, 10, 1), date(2027, 12, 31)),
        (date(2028, 1, 1), date(2028, 3, 31)),
    ]


@pytest.mark.parametrize(
    ("year_start_month", "expected"),
    [
        (
            4,
            [
                (date(2025, 4, 1), date(2025, 6, 30)),
                (date(2025, 7, 1), date(2025, 9, 30)),
                (date(2025, 10, 1), date(2025, 12, 31)),
                (date(2026, 1, 1), date(2026, 3, 31)),
            ],
        ),
        (
            1,
            [
                (date(2025, 1, 1), date(2025, 3, 31)),
                (date(2025, 4, 1), date(2025, 6, 30)),
                (date(2025, 7, 1), date(2025, 9, 30)),
                (date(2025, 10, 1), date(2025, 12, 31)),
            ],
        ),
        (
            # A reporting year starting in February: quarters end Apr, Jul, Oct, Jan.
            2,
            [
                (date(2025, 2, 1), date(2025, 4, 30)),
                (date(2025, 5, 1), date(2025, 7, 31)),
                (date(2025, 8, 1), date(2025, 10, 31)),
                (date(2025, 11, 1), date(2026, 1, 31)),
            ],
        ),
    ],
)
def test_quarterly_one_reporting_year(year_start_month: int, expected: list[tuple[date, date]]) -> None:
    start = date(2025, year_start_month, 1)
    end = date(2026, year_start_month, 1) - timedelta(days=1)
    assert _pairs(Periodic("quarter"), year_start_month, start, end) == expected


def test_quarterly_period_start_precedes_plan_start_when_plan_starts_mid_quarter() -> None:
    pairs = _pairs(Periodic("quarter"), 4, start=date(2024, 5, 15), end=date(2024, 12, 31))
    assert pairs == [
        (date(2024, 4, 1), date(2024, 6, 30)),
        (date(2024, 7, 1), date(2024, 9, 30)),
        (date(2024, 10, 1), date(2024, 12, 31)),
    ]


def test_quarterly_excludes_due_after_end() -> None:
    dues = _dues(Periodic("quarter"), 4, start=date(2024, 4, 1), end=date(2024, 12, 30))
    assert dues == [date(2024, 6, 30), date(2024, 9, 30)]


def test_monthly_dues_over_plan() -> None:
    dues = _dues(parse_target("Monthly"))
    assert len(dues) == 49
    assert dues[:14] == [
        date(2024, 4, 30),
        date(2024, 5, 31),
        date(2024, 6, 30),
        date(2024, 7, 31),
        date(2024, 8, 31),
        date(2024, 9, 30),
        date(2024, 10, 31),
        date(2024, 11, 30),
        date(2024, 12, 31),
        date(2025, 1, 31),
        date(2025, 2, 28),
        date(2025, 3, 31),
        date(2025, 4, 30),
        date(2025, 5, 31),
    ]
    assert dues[-4:] == [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31), date(2028, 4, 30)]
    assert date(2026, 2, 28) in dues
    assert date(2027, 2, 28) in dues


def test_monthly_period_starts_are_month_starts() -> None:
    pairs = _pairs(Periodic("month"), 4, start=date(2024, 1, 1), end=date(2024, 4, 30))
    assert pairs == [
        (date(2024, 1, 1), date(2024, 1, 31)),
        (date(2024, 2, 1), date(2024, 2, 29)),
        (date(2024, 3, 1), date(2024, 3, 31)),
        (date(2024, 4, 1), date(2024, 4, 30)),
    ]


@pytest.mark.parametrize("year_start_month", [1, 4])
def test_monthly_ignores_year_start_month(year_start_month: int) -> None:
    dues = _dues(Periodic("month"), year_start_month, start=date(2025, 1, 1), end=date(2025, 3, 31))
    assert dues == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)]


def test_monthly_plan_starting_mid_month() -> None:
    pairs = _pairs(Periodic("month"), 4, start=date(2025, 1, 15), end=date(2025, 3, 20))
    assert pairs == [
        (date(2025, 1, 1), date(2025, 1, 31)),
        (date(2025, 2, 1), date(2025, 2, 28)),
    ]


def test_recurring_period_with_no_due_date_is_empty() -> None:
    start, end = date(2025, 4, 1), date(2025, 4, 29)
    assert occurrences(Periodic("month"), start, end, 4) == ()
    assert occurrences(Periodic("quarter"), start, end, 4) == ()
    assert occurrences(Yearly(11), start, end, 4) == ()


# --------------------------------------------------------------------------- is_recurring


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-04-30", False),
        ("30/04/2025", False),
        ("30 April 2025", False),
        ("Apr-25", False),
        ("2025-04", False),
        ("April 2025", False),
        ("November annually", True),
        ("annually in November", True),
        ("25 November annually", True),
        ("Quarterly", True),
        ("Monthly", True),
    ],
)
def test_is_recurring(text: str, expected: bool) -> None:
    assert is_recurring(parse_target(text)) is expected


# --------------------------------------------------------------------------- errors


INVALID_TARGETS = [
    "soon",
    "once funded",
    "",
    "   ",
    "Q1",
    "Q5 2025",
    "Year 0",
    "Winter 2025",
    "2024-2025",
    "2024/26",
    "Apr-26 to Apr-25",
    "Spring 2025/26",
    "by",
    "by TBC",
    "ongoing and ongoing",
    "Quarterly and ongoing",
    "next year",
    "2025-13",
    "31/02/2025",
    "31 November annually",
    "2025-02-29",
    "29/02/2025",
    "31 April 2025",
    "30 February annually",
    "2025-00",
    "32/01/2025",
]


def test_target_error_is_a_value_error() -> None:
    assert issubclass(TargetError, ValueError)


@pytest.mark.parametrize("text", INVALID_TARGETS)
def test_invalid_target_raises_target_error(text: str) -> None:
    with pytest.raises(TargetError):
        parse_target(text)


@pytest.mark.parametrize("text", INVALID_TARGETS)
def test_invalid_target_message_lists_accepted_forms(text: str) -> None:
    with pytest.raises(TargetError) as excinfo:
        parse_target(text)
    message = str(excinfo.value)
    assert "Quarterly" in message
    assert "Apr-25" in message
    assert "November annually" in message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2025-13", "13"),
        ("2025-00", "no month 0"),
        ("31/02/2025", "2025-02-31"),
        ("2025-02-29", "2025-02-29"),
        ("31 April 2025", "2025-04-31"),
        ("31 November annually", "November has no day 31"),
        ("30 February annually", "February has no day 30"),
    ],
)
def test_impossible_date_message_says_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(TargetError, match=fragment):
        parse_target(text)


@pytest.mark.parametrize("text", ["soon", "once funded"])
def test_unknown_target_message_quotes_the_text(text: str) -> None:
    with pytest.raises(TargetError, match=repr(text)):
        parse_target(text)


@pytest.mark.parametrize(
    "text",
    ["2025-04-30", "30/04/2025", "30 April 2025", "  30th   APRIL 2025. ", "30 Apr. 2025", "2025-04-30."],
)
def test_parse_day_reads_each_form_of_a_day(text: str) -> None:
    assert parse_day(text) == date(2025, 4, 30)


@pytest.mark.parametrize("text", ["Apr-25", "April 2025", "2025-04"])
def test_parse_day_says_a_month_is_not_a_day_and_gives_its_last_day(text: str) -> None:
    with pytest.raises(DayError) as raised:
        parse_day(text)
    assert str(raised.value) == f"{text!r} is a month, not a day; write the day, such as 2025-04-30"


@pytest.mark.parametrize("text", ["2025-04-30X", "30 April 2025x", "soon", "Quarterly"])
def test_parse_day_refuses_what_is_not_one_day(text: str) -> None:
    with pytest.raises(DayError) as raised:
        parse_day(text)
    assert str(raised.value) == f"{text!r} is not a date; write it as 2025-12-31, 31/12/2025 or 31 December 2025"


@pytest.mark.parametrize("text", ["31/02/2025", "2025-13-01"])
def test_parse_day_refuses_a_date_that_does_not_exist(text: str) -> None:
    with pytest.raises(DayError, match=r"is not a date; write it as 2025-12-31"):
        parse_day(text)


def test_parse_day_names_the_years_a_plan_may_use() -> None:
    with pytest.raises(DayError) as raised:
        parse_day(" 31/12/9999 ")
    assert str(raised.value) == "31/12/9999 is not a day of a plan; give a date from 1900 to 2200"


@pytest.mark.parametrize(
    ("text", "expected"), [("Quarterly.", Periodic("quarter")), ("Apr-25.", OneOff(date(2025, 4, 30)))]
)
def test_parse_target_ignores_a_full_stop_at_the_end(text: str, expected: object) -> None:
    assert parse_target(text) == expected


def test_parse_target_refuses_text_after_a_target() -> None:
    with pytest.raises(TargetError, match="is not a date or a schedule I know"):
        parse_target("Apr-25X")


@pytest.mark.parametrize(("text", "expected"), [("1900-01-31", date(1900, 1, 31)), ("Dec-2200", date(2200, 12, 31))])
def test_the_first_and_last_years_of_a_plan_are_accepted(text: str, expected: date) -> None:
    assert parse_target(text) == OneOff(expected)


@pytest.mark.parametrize(("text", "year"), [("1899-12-31", 1899), ("Jan-2201", 2201)])
def test_a_year_outside_a_plans_reach_is_named(text: str, year: int) -> None:
    with pytest.raises(TargetError) as raised:
        parse_target(f"  {text} ")
    assert str(raised.value).startswith(f"target {text!r}: the year {year} is not a year of a plan; use a date")
