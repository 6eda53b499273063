"""Measures: periods, the file's rules, year to date, direction of travel, series breaks, small
numbers kept safe (primary and secondary suppression), and the paper's Measures and Year on year."""

from __future__ import annotations

import itertools
import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import FIXTURES
from vawg_cli.cli import app
from vawg_cli.core.disclosure import Figure, number_text, protect
from vawg_cli.core.measures import measure_view
from vawg_cli.model.measures import Measure, SeriesBreak, Value
from vawg_cli.model.periods import Frequency, Period, PeriodError, parse_period, period_text
from vawg_cli.model.records import PlanSettings
from vawg_cli.plan.loading import check_plan, load_plan

MEASURES_PLAN = FIXTURES / "measures"
GOLDEN = Path(__file__).parent / "golden"
SETTINGS = PlanSettings("Test", date(2024, 4, 1), date(2028, 4, 30), {"LBB": "Council", "Met": "Police"})


def quarterly(*figures: tuple[str, int], **kwargs: object) -> Measure:
    values = tuple(Value(parse_period(p), v) for p, v in figures)
    return Measure("TRAINED", "Professionals trained", "people", "LBB", Frequency.QUARTERLY, values, **kwargs)  # type: ignore[arg-type]


class TestPeriods:
    @pytest.mark.parametrize(
        ("text", "period"),
        [
            ("2025/26 Q1", Period(2025, Frequency.QUARTERLY, 1)),
            ("Q1 2025/26", Period(2025, Frequency.QUARTERLY, 1)),
            ("2025-Q3", Period(2025, Frequency.QUARTERLY, 3)),
            ("Apr-25", Period(2025, Frequency.MONTHLY, 4)),
            ("April 2025", Period(2025, Frequency.MONTHLY, 4)),
            ("2025-04", Period(2025, Frequency.MONTHLY, 4)),
            ("sept 2025", Period(2025, Frequency.MONTHLY, 9)),
            ("2025/26", Period(2025, Frequency.YEARLY)),
            ("2025/2026", Period(2025, Frequency.YEARLY)),
            ("2024", Period(2024, Frequency.YEARLY, calendar=True)),
        ],
    )
    def test_forms_people_write(self, text: str, period: Period) -> None:
        assert parse_period(text) == period

    @pytest.mark.parametrize("text", ["2025/27", "2025-13", "Q5 2025/26", "soon", "", "0999", "25/26"])
    def test_refused_with_the_forms(self, text: str) -> None:
        with pytest.raises(PeriodError, match=r"2025/26|second year|month|year of a plan"):
            parse_period(text)

    def test_dates_follow_the_plans_year(self) -> None:
        q1 = parse_period("2025/26 Q1")
        assert (q1.start(4), q1.end(4), q1.label(4)) == (date(2025, 4, 1), date(2025, 6, 30), "2025/26 Q1")
        assert (q1.start(1), q1.end(1), q1.label(1)) == (date(2025, 1, 1), date(2025, 3, 31), "2025 Q1")
        year = parse_period("2025/26")
        assert (year.start(4), year.end(4)) == (date(2025, 4, 1), date(2026, 3, 31))
        calendar = parse_period("2024")
        assert (calendar.start(4), calendar.end(4), calendar.label(4)) == (date(2024, 1, 1), date(2024, 12, 31), "2024")


# Hypothesis laws stand at module level: mutmut runs a test again from another executor.
@given(
    st.builds(
        lambda kind, year, n: Period(year, kind, n if kind is not Frequency.YEARLY else 0),
        st.sampled_from(list(Frequency)),
        st.integers(2000, 2098),
        st.integers(1, 4),
    )
    | st.builds(lambda year: Period(year, Frequency.YEARLY, calendar=True), st.integers(2000, 2098))
    | st.builds(lambda year, month: Period(year, Frequency.MONTHLY, month), st.integers(2000, 2098), st.integers(1, 12))
)
def test_a_periods_written_form_reads_back(period: Period) -> None:
    assert parse_period(period_text(period)) == period
    # Periods of one kind tile time: the next one starts the day after this one ends.
    assert period.start(4) <= period.end(4)


class TestDisclosure:
    def test_a_small_count_is_shown_as_below_the_threshold(self) -> None:
        no_totals: dict[str, list[str]] = {}
        cells = protect({"a": 3, "b": 0, "c": 12}, no_totals, 5, exact=False)
        assert [cells.parts[k].text for k in "abc"] == ["<5", "0", "12"]

    def test_the_next_part_or_the_year_to_date_is_withheld_beside_a_small_one(self) -> None:
        # Q1 was printed in the Q1 paper: hiding it now would protect nothing. The Q2 paper hides
        # its year to date (123 less Q1's 120 is 3); the Q3 paper hides Q3 and prints 263.
        cells = protect({"q1": 120, "q2": 3, "q3": 140, "q4": 149}, {"year": ["q1", "q2", "q3", "q4"]}, 5, exact=False)
        assert {k: f.text for k, f in cells.parts.items()} == {"q1": "120", "q2": "<5", "q3": "withheld", "q4": "149"}
        assert {k: f.text for k, f in cells.running.items()} == {
            "q1": "120",
            "q2": "withheld",
            "q3": "263",
            "q4": "412",
        }
        assert cells.totals["year"].text == "412"

    def test_two_small_parts_still_need_a_larger_one_withheld(self) -> None:
        # 1 + 1: the total less the shown parts is 2, which pins both.
        cells = protect({"a": 1, "b": 1, "c": 50, "d": 60}, {"y": ["a", "b", "c", "d"]}, 5, exact=False)
        assert cells.parts["c"].withheld == "secondary" and cells.parts["d"].shown

    def test_the_total_goes_when_no_other_part_can(self) -> None:
        cells = protect({"a": 3, "b": 0, "c": 0}, {"y": ["a", "b", "c"]}, 5, exact=False)
        # A total of 3 is small itself, and withheld without saying so: "<5" would tell its parts more.
        assert cells.totals["y"].withheld == "secondary" and cells.totals["y"].text == "withheld"
        cells = protect({"a": 3, "b": 0}, {"y": ["a", "b"]}, 2, exact=False)
        assert cells.parts["a"].shown and cells.totals["y"].shown  # 3 is not small against 2

    def test_a_figure_withheld_beside_a_small_one_is_large_enough_to_hide_it(self) -> None:
        # 1 (<5) and 5 (withheld) with a year to date of 6 would say the 1: the 50 after is withheld too.
        cells = protect({"q1": 1, "q2": 5, "q3": 50, "q4": 60}, {"y": ["q1", "q2", "q3", "q4"]}, 5, exact=False)
        assert [cells.parts[q].text for q in ("q1", "q2", "q3", "q4")] == ["<5", "withheld", "withheld", "60"]
        assert [cells.running[q].text for q in ("q1", "q2", "q3", "q4")] == ["withheld", "withheld", "56", "116"]

    def test_small_parts_under_a_small_total_are_not_pinned(self) -> None:
        months = {m: (1 if m < 4 else 0) for m in range(12)}
        cells = protect(months, {"y": list(range(12))}, 5, exact=False)
        assert all(not f.shown for f in cells.running.values()) and cells.totals["y"].text == "withheld"

    def test_a_figure_withheld_beside_a_small_one_is_enough_right_at_the_margin(self) -> None:
        # 1 and 8: the sum 9 less 5 (the least a withheld figure can be) leaves the 1 anything up to 4.
        cells = protect({"q1": 1, "q2": 8, "q3": 50}, {"y": ["q1", "q2", "q3"]}, 5, exact=False)
        assert cells.running["q2"].text == "9" and cells.parts["q2"].text == "withheld"
        # 2 and 7 likewise (9 - 5 = 4); 2 and 6 would leave the 2 at most 3, so it waits for q3.
        cells = protect({"q1": 2, "q2": 7, "q3": 50}, {"y": ["q1", "q2", "q3"]}, 5, exact=False)
        assert cells.running["q2"].text == "9"
        cells = protect({"q1": 2, "q2": 6, "q3": 50}, {"y": ["q1", "q2", "q3"]}, 5, exact=False)
        assert not cells.running["q2"].shown and cells.running["q3"].text == "58"

    def test_a_small_figure_after_a_protected_one_is_protected_afresh(self) -> None:
        # The 3 is hidden beside the 100; the 2 later must not lean on them: 105 less 103 would be it.
        cells = protect({"q1": 3, "q2": 100, "q3": 2, "q4": 50}, {"y": ["q1", "q2", "q3", "q4"]}, 5, exact=False)
        assert cells.running["q2"].text == "103" and not cells.running["q3"].shown
        assert cells.parts["q4"].text == "withheld" and cells.running["q4"].text == "155"
        # And after a year to date printed with nothing to protect: 155 less 153 would be the 2.
        cells = protect({"q1": 3, "q2": 100, "q3": 50, "q4": 2}, {"y": ["q1", "q2", "q3", "q4"]}, 5, exact=False)
        assert cells.running["q3"].text == "153" and not cells.running["q4"].shown

    def test_a_zero_is_never_withheld_to_protect_another(self) -> None:
        cells = protect({"q1": 3, "q2": 0, "q3": 50}, {"y": ["q1", "q2", "q3"]}, 5, exact=False)
        assert cells.parts["q2"].text == "0" and cells.parts["q3"].text == "withheld"

    def test_the_threshold_travels_with_every_figure(self) -> None:
        for exact in (False, True):
            cells = protect({"a": 7, "b": 30}, {"y": ["a", "b"]}, 10, exact=exact)
            figures = [*cells.parts.values(), *cells.running.values(), *cells.totals.values()]
            assert {f.threshold for f in figures} == {10}
        assert protect({"a": 7}, {}, 10, exact=False).parts["a"].text == "<10"

    def test_a_restricted_output_is_exact(self) -> None:
        cells = protect({"a": 3, "b": 40}, {"y": ["a", "b"]}, 5, exact=True)
        assert cells.parts["a"] == Figure(3, None, 5) and cells.totals["y"].exact == 43

    def test_numbers_read_as_a_paper_prints_them(self) -> None:
        assert [number_text(v) for v in (3971, 5.98, 6.5, 12.0, 0, 12.001, 1234.5)] == [
            "3,971",
            "5.98",
            "6.5",
            "12",
            "0",
            "12",
            "1,234.5",
        ]


@settings(max_examples=600, deadline=None)
@given(
    # Small counts, zeros and larger figures in any order: the mixes secondary suppression is about.
    st.lists(st.integers(0, 4) | st.integers(5, 12) | st.integers(13, 150), min_size=1, max_size=12),
    st.integers(2, 10),
    st.integers(1, 4),
)
def test_nothing_small_is_shown_nor_given_back_by_a_total(figures: list[int], threshold: int, per_year: int) -> None:
    parts = {index: value for index, value in enumerate(figures)}
    groups = {year: [i for i in parts if i // per_year == year] for year in {i // per_year for i in parts}}
    cells = protect(parts, groups, threshold, exact=False)
    for figure in [*cells.parts.values(), *cells.running.values(), *cells.totals.values()]:
        assert figure.exact is None or not 0 < figure.exact < threshold
        assert figure.exact is not None or figure.withheld is not None
    for figure in [*cells.running.values(), *cells.totals.values()]:
        assert figure.withheld != "small", "a withheld total marked <5 tells its small parts more"
    for members in groups.values():
        # Every running total any output ever printed (one a quarter's paper), and 0 before the
        # year: any two less the parts shown between them is the sum of the hidden ones there.
        # A reader who knows "<5" is 1 to 4 and "withheld" beside it is 5 or more must still
        # find every small one could be anything from 1 to 4.
        printed = [0] + [n for n, part in enumerate(members, 1) if cells.running[part].shown]
        for first, second in itertools.combinations(printed, 2):
            between = members[first:second]
            hidden = [i for i in between if not cells.parts[i].shown]
            assert_full_range([parts[i] for i in hidden], [cells.parts[i].withheld for i in hidden], threshold)


def assert_full_range(values: list[int], marks: list[str | None], threshold: int) -> None:
    """Each small hidden value's feasible range, given the sum of `values`, is the whole 1..threshold-1."""
    total = sum(values)
    low = {"small": 1, "secondary": threshold}
    high = {"small": threshold - 1, "secondary": 10**9}
    for index, mark in enumerate(marks):
        if mark != "small":
            continue
        others = [m for j, m in enumerate(marks) if j != index]
        least = max(1, total - sum(high[m or "secondary"] for m in others))
        most = min(threshold - 1, total - sum(low[m or "secondary"] for m in others))
        assert (least, most) == (1, threshold - 1), (values, marks, threshold)


class TestView:
    def test_year_to_date_against_target_and_travel(self) -> None:
        measure = quarterly(
            ("2024/25 Q1", 100),
            ("2024/25 Q2", 50),
            ("2025/26 Q1", 112),
            ("2025/26 Q2", 40),
            higher_is_better=True,
            targets=((parse_period("2025/26"), 400),),
        )
        view = measure_view(measure, SETTINGS, date(2025, 10, 15), exact=False)
        assert view.latest is not None and view.latest.label == "2025/26 Q2"
        assert view.year_earlier is not None and view.year_earlier.figure.exact == 50
        assert view.travel is not None and view.travel.words == "down 20% on 2024/25 Q2"
        assert (view.travel.arrow, view.travel.better) == ("↓", False)
        ytd = view.year_to_date
        assert ytd is not None and ytd.figure.exact == 152 and ytd.against_target == "152 of 400 (38%)"
        assert not ytd.complete and ytd.travel is None  # half a year is not set against a whole one

    def test_a_year_ending_on_the_day_is_complete_and_its_labels_follow_the_plan(self) -> None:
        measure = quarterly(*((f"2025/26 Q{n}", 10) for n in range(1, 5)), higher_is_better=False)
        view = measure_view(measure, SETTINGS, date(2026, 3, 31), exact=False)
        assert view.years[0].complete and view.years[0].label == "2025/26" and view.higher_is_better is False
        calendar_plan = PlanSettings("T", date(2024, 1, 1), date(2028, 12, 31), {"LBB": "x"}, year_start_month=1)
        view = measure_view(measure, calendar_plan, date(2026, 12, 31), exact=False)
        assert view.years[0].label == "2025" and view.series[0].label == "2025 Q1"

    def test_a_target_of_0_and_a_levels_target_give_no_share(self) -> None:
        zero = quarterly(("2025/26 Q1", 10), targets=((parse_period("2025/26"), 0),))
        (year,) = measure_view(zero, SETTINGS, date(2025, 7, 1), exact=False).years
        assert year.share is None and year.against_target == "10 of 0"
        level = Measure(
            "SAFE",
            "Safe",
            "score",
            "LBB",
            Frequency.YEARLY,
            (Value(parse_period("2025/26"), 6.0),),
            level=True,
            targets=((parse_period("2025/26"), 6.5),),
        )
        (year,) = measure_view(level, SETTINGS, date(2026, 6, 30), exact=False).years
        assert year.share is None and year.against_target == "6 against a target of 6.5"

    def test_a_shown_figure_keeps_its_note_and_author(self) -> None:
        values = (Value(parse_period("2025/26 Q1"), 40, "Two new courses", "LBB"),)
        measure = Measure("T", "Trained", "people", "LBB", Frequency.QUARTERLY, values)
        (point,) = measure_view(measure, SETTINGS, date(2025, 7, 1), exact=False).series
        assert (point.note, point.by) == ("Two new courses", "LBB")

    @pytest.mark.parametrize(
        ("then", "now", "higher", "words", "arrow", "better"),
        [
            (300, 400, True, "up 33% on 2024/25 Q1", "↑", True),
            (300, 200, False, "down 33% on 2024/25 Q1", "↓", True),
            (0, 20, None, "up from 0 to 20 on 2024/25 Q1", "↑", None),
            (40, 40, True, "no change on 2024/25 Q1", "→", None),
        ],
    )
    def test_the_direction_of_travel_in_words(
        self, then: int, now: int, higher: bool | None, words: str, arrow: str, better: bool | None
    ) -> None:
        measure = quarterly(("2024/25 Q1", then), ("2025/26 Q1", now), higher_is_better=higher)
        travel = measure_view(measure, SETTINGS, date(2025, 7, 1), exact=False).travel
        assert travel is not None and (travel.words, travel.arrow, travel.better) == (words, arrow, better)

    def test_a_levels_change_is_in_its_own_units(self) -> None:
        values = (Value(parse_period("2024/25 Q1"), 5.0), Value(parse_period("2025/26 Q1"), 5.456))
        score = Measure("S", "Score", "score", "LBB", Frequency.QUARTERLY, values, level=True)
        travel = measure_view(score, SETTINGS, date(2025, 7, 1), exact=False).travel
        assert travel is not None and travel.words == "up 0.46 on 2024/25 Q1"

    def test_a_break_on_the_position_date_is_shown(self) -> None:
        measure = quarterly(("2025/26 Q1", 10), breaks=(SeriesBreak(date(2025, 7, 1), "new system"),))
        assert measure_view(measure, SETTINGS, date(2025, 7, 1), exact=False).breaks
        assert not measure_view(measure, SETTINGS, date(2025, 6, 30), exact=False).breaks

    def test_figures_of_periods_not_over_are_left_out(self) -> None:
        measure = quarterly(("2025/26 Q1", 10), ("2025/26 Q2", 20))
        view = measure_view(measure, SETTINGS, date(2025, 9, 29), exact=False)
        assert [p.label for p in view.series] == ["2025/26 Q1"]

    def test_a_series_break_is_never_compared_across(self) -> None:
        offences = Measure(
            "OFF",
            "Offences",
            "offences",
            "Met",
            Frequency.YEARLY,
            (Value(parse_period("2023"), 3971), Value(parse_period("2024"), 2912)),
            breaks=(SeriesBreak(date(2024, 3, 1), "the police's new recording system"),),
        )
        view = measure_view(offences, SETTINGS, date(2025, 6, 30), exact=False)
        assert view.travel is not None and view.travel.direction is None
        assert view.travel.words == "not comparable with 2023: the police's new recording system (March 2024)"
        assert "%" not in view.years[1].travel.words  # type: ignore[union-attr]

    def test_a_withheld_figures_note_goes_with_it(self) -> None:
        measure = Measure(
            "REF",
            "Referrals",
            "people",
            "LBB",
            Frequency.QUARTERLY,
            (
                Value(parse_period("2025/26 Q1"), 40),
                Value(parse_period("2025/26 Q2"), 3, "3 referrals from GPs", "LBB"),
            ),
        )
        public = measure_view(measure, SETTINGS, date(2025, 10, 15), exact=False)
        assert public.latest is not None and (public.latest.note, public.latest.by) == (None, None)
        exact = measure_view(measure, SETTINGS, date(2025, 10, 15), exact=True)
        assert exact.latest is not None and exact.latest.note == "3 referrals from GPs"

    def test_a_level_is_read_not_added(self) -> None:
        score = Measure(
            "SAFE",
            "Feeling safe",
            "score",
            "LBB",
            Frequency.QUARTERLY,
            (Value(parse_period("2025/26 Q1"), 5.9), Value(parse_period("2025/26 Q2"), 2.1)),
            level=True,
            targets=((parse_period("2025/26"), 6.5),),
        )
        view = measure_view(score, SETTINGS, date(2025, 12, 31), exact=False)
        assert view.year_to_date is not None and view.year_to_date.figure.exact == 2.1  # not withheld: not a count
        assert view.year_to_date.against_target == "2.1 against a target of 6.5"


class TestCheck:
    def write(self, tmp_path: Path, text: str) -> Path:
        plan = tmp_path / "plan"
        shutil.copytree(MEASURES_PLAN, plan)
        (plan / "measures" / "TRAINED.yaml").write_text(text, encoding="utf-8")
        return plan

    BASE = "code: TRAINED\nname: Trained\nunit: people\nlead: LBB\naction: 5\nperiod: quarterly\n"

    @pytest.mark.parametrize(
        ("values", "message"),
        [
            ("  - period: 2025/26 Q1\n    value: 12\n  - period: Q1 2025/26\n    value: 13\n", "has a figure already"),
            ("  - period: Apr-25\n    value: 12\n", "collected quarterly"),
            ("  - period: 2025/26 Q1\n    value: -2\n", "cannot be negative"),
            ("  - period: 2025/26 Q1\n    value: 2.5\n", "whole number"),
            ("  - period: 2025/26 Q1\n    value: 1,234\n", "without its commas: 1234"),
            ("  - period: 2025/26 Q1\n    value: 45%\n", "bare number 45"),
            ("  - period: 2025/26 Q1\n    value: twelve\n", "not a number"),
            ("  - period: 2025/26 Q1\n    value: 1e3\n", "in full: 1000"),
            ('  - period: 2025/26 Q1\n    value: "١٢"\n', "not a number"),
            ("  - period: 2025/26 Q1\n    value: " + "9" * 400 + "\n", "larger than any figure a plan keeps"),
            ("  - period: 2025/26 Q1\n    value: 1.0e+300\n", "larger than any figure a plan keeps"),
            ("  - period: 2031/32 Q1\n    value: 12\n", "outside the plan"),
            ("  - period: 2026/27 Q4\n    value: 12\n", "has not ended yet"),
            ("  - period: soon\n    value: 12\n", "not a period I can read"),
        ],
    )
    def test_each_rule_says_what_to_do(self, tmp_path: Path, values: str, message: str) -> None:
        plan = self.write(tmp_path, self.BASE + "values:\n" + values)
        checked = check_plan(plan, today=date(2026, 7, 15))
        found = [d for d in checked.diagnostics if d.severity == "error"]
        assert found and message in found[0].message, [d.message for d in checked.diagnostics]
        assert found[0].path.name == "TRAINED.yaml" and found[0].line > 7

    def test_a_calendar_years_target_on_a_quarterly_measure_is_refused(self, tmp_path: Path) -> None:
        plan = self.write(tmp_path, self.BASE + "targets:\n  2025: 40\n")
        messages = [d.message for d in check_plan(plan, today=date(2026, 7, 15)).diagnostics]
        assert any("is for a calendar year" in m and "write it for 2025/26" in m for m in messages), messages

    def test_a_code_windows_keeps_for_a_device_is_refused(self, tmp_path: Path) -> None:
        plan = self.write(tmp_path, self.BASE.replace("code: TRAINED", "code: con"))
        (plan / "measures" / "TRAINED.yaml").rename(plan / "measures" / "con.yaml")
        found = [d.message for d in check_plan(plan, today=date(2026, 7, 15)).diagnostics]
        assert any("Windows cannot open a file named con.yaml" in m for m in found), found

    def test_a_threshold_of_2_is_refused(self, tmp_path: Path) -> None:
        # "<2" could only mean 1.
        plan = self.write(tmp_path, self.BASE + "suppress_below: 2\n")
        found = [d for d in check_plan(plan, today=date(2026, 7, 15)).diagnostics if d.severity == "error"]
        assert found and "suppress_below" in found[0].message

    def test_unknown_action_partner_and_file_name(self, tmp_path: Path) -> None:
        plan = self.write(tmp_path, self.BASE.replace("action: 5", "action: 55").replace("LBB", "NHS"))
        (plan / "measures" / "TRAINED.yaml").rename(plan / "measures" / "TRAINING.yaml")
        messages = [d.message for d in check_plan(plan, today=date(2026, 7, 15)).diagnostics]
        assert any("action 55 is not in the plan" in m for m in messages)
        assert any("unknown partner 'NHS'" in m for m in messages)
        assert any("rename it to TRAINED.yaml" in m for m in messages)

    def test_a_calendar_years_target_is_written_as_a_bare_year(self, tmp_path: Path) -> None:
        plan = tmp_path / "plan"
        shutil.copytree(MEASURES_PLAN, plan)
        offences = plan / "measures" / "VAWG-OFFENCES.yaml"
        offences.write_text(offences.read_text().replace("values:", "targets:\n  2025: 2800\nvalues:"))
        assert check_plan(plan, today=date(2026, 7, 15)).diagnostics == ()
        loaded = load_plan(plan, today=date(2026, 7, 15))
        measure = next(f.measure for f in loaded.measures if f.measure.code == "VAWG-OFFENCES")
        assert measure.target_for(parse_period("2025")) == 2800
        # Elsewhere a number is still no key: `2025: x` among the partners is a slip.
        (plan / "plan.yaml").write_text((plan / "plan.yaml").read_text().replace("  LBB:", "  2025: x\n  LBB:"))
        messages = [d.message for d in check_plan(plan, today=date(2026, 7, 15)).diagnostics]
        assert any("this key is not a word" in m for m in messages)

    def test_the_fixture_and_bundled_plan_pass(self) -> None:
        assert check_plan(MEASURES_PLAN, today=date(2026, 7, 15)).diagnostics == ()


def report(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, ["report", "--plan", str(MEASURES_PLAN), "--as-of", "2026-07-15", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


class TestPaper:
    """The done-when of issue 11, on a plan with the Appendix C outputs recorded for two years."""

    def test_each_outputs_totals_per_year_and_the_change(self, runner: CliRunner) -> None:
        for fmt in ("md", "html"):
            text = report(runner, "--quarter", "2026-Q1", "--format", fmt)
            assert re.search(r"368(</strong>)? in 2024/25", text) and re.search(r"412(</strong>)? in 2025/26", text)
            assert "up 12% on 2024/25" in text

    def test_measures_section_has_charts_in_html_and_tables_in_markdown(self, runner: CliRunner) -> None:
        html = report(runner, "--quarter", "2026-Q1", "--format", "html")
        section = html[html.index('<section id="measures">') : html.index('<section id="year-on-year">')]
        assert section.count('class="measure-chart"') == 5 and section.count("<table") == 5
        markdown = report(runner, "--quarter", "2026-Q1", "--format", "md")
        assert "## Measures" in markdown and "| Period | Figure (people) |" in markdown

    def test_a_count_of_3_is_in_no_public_paper_and_cannot_be_worked_out(self, runner: CliRunner) -> None:
        for fmt in ("md", "html"):
            text = report(runner, "--quarter", "2025-Q2", "--format", fmt)
            assert "2025/26 Q2: <5" in text or "<strong>&lt;5</strong>" in text
            # The year to date (123) is withheld: less Q1's 120, printed in the Q1 paper, it would give 3.
            assert not re.search(r"\b123\b", _figures(text))
            assert "2025/26: withheld" in text or 'withheld <span class="when">2025/26</span>' in text
            assert not re.search(r"(?<![\d,.])3(?![\d,./])", _figures(text)), "a 3 is printed among the figures"
            restricted = report(runner, "--quarter", "2025-Q2", "--format", fmt, "--include-restricted")
            assert (
                re.search(r"2025/26 Q2(: |</td><td class=\"num\">)3\b", restricted)
                or "| 2025/26 Q2 | 3 |" in restricted
            )

    def test_papers_of_the_year_set_side_by_side_give_nothing_back(self, runner: CliRunner) -> None:
        """Each quarter's paper prints the year to date; one less the one before is a quarter's figure."""
        printed: dict[str, set[str]] = {}
        for quarter in ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"):
            text = report(runner, "--quarter", quarter, "--format", "md")
            row = next(line for line in text.splitlines() if line.startswith("| Professionals trained"))
            printed.setdefault("year to date", set()).add(row.split(" | ")[3])
            section = text[text.index("### Professionals trained") :]
            section = section[: section.index("###", 3)]
            for label, figure in re.findall(r"^\| (2025/26 Q\d) \| (\S+) \|$", section, flags=re.M):
                printed.setdefault(label, set()).add(figure)
        assert printed["year to date"] >= {
            "2025/26: 120 of 400 (30%)",
            "2025/26: withheld",
            "2025/26: 263 of 400 (66%)",
        }
        assert "2025/26: 123 of 400 (31%)" not in printed["year to date"]
        assert printed["2025/26 Q2"] == {"<5"} and printed["2025/26 Q3"] == {"withheld"}

    def test_the_paper_says_why_no_comparison_is_made(self, runner: CliRunner) -> None:
        text = report(runner, "--quarter", "2026-Q1", "--format", "md")
        assert "not comparable with 2023: the police's new recording system (CONNECT)" in text
        assert "Series break on 1\u00a0Mar\u00a02024" in text
        assert not re.search(r"(up|down) \d+% on 2023", text)

    @pytest.mark.parametrize("fmt", ["md", "html"])
    def test_golden(self, runner: CliRunner, fmt: str) -> None:
        text = report(runner, "--quarter", "2025-Q2", "--format", fmt)
        golden = GOLDEN / f"report-measures-2025-Q2.{fmt}"
        if os.environ.get("VAWG_UPDATE_GOLDEN"):
            golden.write_text(text, encoding="utf-8")
        assert text == golden.read_text(encoding="utf-8")

    def test_a_plan_without_measures_has_no_measures_section(self, runner: CliRunner) -> None:
        result = runner.invoke(
            app, ["report", "--plan", str(FIXTURES / "reporting"), "--as-of", "2026-01-05", "--quarter", "2025-Q3"]
        )
        assert "## Measures" not in result.stdout and "Outputs by year" not in result.stdout

    def test_the_bundled_plans_published_figures(self) -> None:
        plan = load_plan(FIXTURES.parents[1] / "plan", today=date(2026, 12, 2))
        codes = {m.measure.code: m.measure for m in plan.measures}
        assert codes["TRAINED"].values[0].value == 368 and codes["VAWG-OFFENCES"].breaks


def _figures(text: str) -> str:
    """The paper's figures: the Measures section and the measure lines of Year on year, without dates."""
    measures = text[text.index("Measures") : text.index("Year on year")]
    by_year = text[text.index("Outputs by year") : text.index("About this paper")]
    cut = re.sub(r"\d{1,2} [A-Z][a-z]{2} \d{4}", "", measures + by_year)  # dates such as 30 Sep 2025
    cut = re.sub(r"\b(Q[1-4]|\d{4}/\d{2}|\d{4})\b|action \d+|score out of 10", "", cut)  # periods, years, ids
    return re.sub(r"(?s)<style>.*?</style>|<svg.*?</svg>|<[^>]+>", " ", cut)
