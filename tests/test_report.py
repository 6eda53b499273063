"""Quarterly reports: quarters, what the paper says, restricted notes, formats and templates."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import BUNDLED_PLAN, FIXTURES, copy_plan
from vawg_cli.cli import app
from vawg_cli.core.report import Note, Report, ReportError, build_report, choose_quarter, position_date
from vawg_cli.errors import BadOption
from vawg_cli.model.quarters import Quarter, QuarterError, parse_quarter, quarter_containing, quarters_between
from vawg_cli.model.records import Action, PlanSettings, Rag, TargetChange, Update
from vawg_cli.model.schedule import parse_target
from vawg_cli.plan.loading import load_plan

REPORTING = FIXTURES / "reporting"
GOLDEN = Path(__file__).parent / "golden"
SECRET = "jane.doe@example.org"


class TestQuarters:
    @pytest.mark.parametrize("text", ["2025-Q3", "2025-q3", "2025 Q3", "Q3 2025/26", "2025/26 Q3", " q3  2025/2026 "])
    def test_forms(self, text: str) -> None:
        assert parse_quarter(text, 4) == Quarter(2025, 3, 4)

    def test_april_year(self) -> None:
        q3 = Quarter(2025, 3, 4)
        assert (q3.start, q3.end) == (date(2025, 10, 1), date(2025, 12, 31))
        assert (q3.label, q3.months) == ("2025/26 Q3", "October to December 2025")
        q4 = Quarter(2025, 4, 4)
        assert (q4.start, q4.end, q4.months) == (date(2026, 1, 1), date(2026, 3, 31), "January to March 2026")

    def test_calendar_year_and_odd_starts(self) -> None:
        assert Quarter(2025, 1, 1).label == "2025 Q1"
        assert (Quarter(2025, 1, 1).start, Quarter(2025, 1, 1).end) == (date(2025, 1, 1), date(2025, 3, 31))
        november = Quarter(2025, 1, 11)
        assert (november.start, november.end) == (date(2025, 11, 1), date(2026, 1, 31))
        assert november.months == "November 2025 to January 2026"

    def test_shift_and_containing(self) -> None:
        assert Quarter(2025, 1, 4).shift(-1) == Quarter(2024, 4, 4)
        assert Quarter(2025, 4, 4).shift(1) == Quarter(2026, 1, 4)
        assert quarter_containing(date(2026, 2, 1), 4) == Quarter(2025, 4, 4)
        assert quarter_containing(date(2025, 4, 1), 4) == Quarter(2025, 1, 4)
        assert quarter_containing(date(2025, 3, 31), 4) == Quarter(2024, 4, 4)
        assert [q.code for q in quarters_between(date(2024, 5, 10), Quarter(2025, 1, 4))] == [
            "2024-Q1",
            "2024-Q2",
            "2024-Q3",
            "2024-Q4",
            "2025-Q1",
        ]

    @pytest.mark.parametrize("text", ["2025-Q5", "Q3", "2025/27 Q3", "autumn 2025", "", "3 2025"])
    def test_refused_with_the_accepted_forms(self, text: str) -> None:
        with pytest.raises(QuarterError, match=r"2025-Q3|follow"):
            parse_quarter(text, 4)


def report_for(quarter: str, *, include_restricted: bool = False) -> Report:
    plan = load_plan(REPORTING, today=date(2026, 11, 1))
    return build_report(
        [f.action for f in plan.actions],
        plan.settings,
        parse_quarter(quarter, plan.settings.year_start_month),
        produced=date(2026, 1, 5),
        include_restricted=include_restricted,
    )


def colours(counts: dict[Rag, int]) -> dict[str, int]:
    return {rag.value: n for rag, n in counts.items()}


class TestContent:
    def test_summary_counts_and_changes(self) -> None:
        report = report_for("2025-Q3")
        assert colours(report.counts) == {"red": 0, "amber": 2, "green": 2, "blue": 2, "grey": 1}
        assert colours(report.previous_counts) == {"red": 0, "amber": 1, "green": 4, "blue": 1, "grey": 1}
        assert {rag.value: report.change(rag) for rag in Rag} == {
            "red": 0,
            "amber": 1,
            "green": -2,
            "blue": 1,
            "grey": 0,
        }

    def test_exceptions_lead_with_the_worst_and_say_why_in_other_words(self) -> None:
        # Overdue before amber, amber before no update; the reasons add to the colour, never repeat it.
        flagged = [(item.line.id, item.flag, item.reasons) for item in report_for("2025-Q3").exceptions]
        assert flagged == [
            (4, "overdue", ("no better since 1 Jun 2025", "overdue: was due 30 Apr 2025, 245 days ago")),
            (1, "amber", ("worse than last quarter (was green)",)),
            (6, "no update", ("no update yet",)),
            (10, "no update", ("due 31 Dec 2025", "no update this quarter (the last was on 26 Sep 2025)")),
        ]

    def test_completed_and_due_next(self) -> None:
        report = report_for("2025-Q3")
        assert [line.id for line in report.completed] == [5]
        assert [(due, line.id) for due, line in report.due_next] == [(date(2026, 3, 31), 10)]
        earlier = report_for("2024-Q4")  # January to March 2025
        assert [line.id for line in earlier.completed] == [3]
        assert [(due, line.id) for due, line in earlier.due_next] == [(date(2025, 4, 30), 4), (date(2025, 6, 30), 10)]

    def test_an_update_after_the_quarter_does_not_exist_for_it(self) -> None:
        report = report_for("2025-Q2")  # July to September 2025: action 1 turned amber in October
        line = {line.id: line for line in report.lines}[1]
        assert line.rag is Rag.GREEN
        assert line.latest_note is not None and line.latest_note.note == "Consultation complete"

    def test_full_table_shows_last_quarter_against_this(self) -> None:
        lines = {line.id: line for line in report_for("2025-Q3").lines}
        assert (lines[1].rag_before, lines[1].rag) == (Rag.GREEN, Rag.AMBER)
        assert (lines[5].rag_before, lines[5].rag) == (Rag.GREEN, Rag.BLUE)
        assert lines[2].note_this_quarter is not None and lines[2].note_this_quarter.date == date(2025, 11, 24)
        assert lines[3].note_this_quarter is None

    def test_by_partner(self) -> None:
        partners = {p.code: p for p in report_for("2025-Q3").partners}
        assert list(partners) == ["LBB", "Met", "Vol Sector"]
        assert [line.id for line in partners["Met"].lines] == [3, 4, 6]
        assert colours(partners["Met"].counts) == {"red": 0, "amber": 1, "green": 0, "blue": 1, "grey": 1}

    def test_year_on_year(self) -> None:
        years = report_for("2025-Q3").years
        assert [y.quarter.label for y in years] == ["2024/25 Q3", "2025/26 Q3"]
        assert colours(years[0].counts) == {"red": 1, "amber": 1, "green": 3, "blue": 0, "grey": 2}
        assert [(id, when) for id, _, when in years[0].completed] == [(3, date(2025, 3, 15))]
        assert [(id, when) for id, _, when in years[1].completed] == [(5, date(2025, 12, 10))]

    def test_history_for_the_chart(self) -> None:
        history = report_for("2025-Q3").history
        assert (history[0].quarter.code, history[-1].quarter.code) == ("2024-Q1", "2025-Q3")
        assert colours(history[0].counts) == {"red": 0, "amber": 0, "green": 2, "blue": 0, "grey": 5}


SETTINGS = PlanSettings(
    title="Rules",
    start=date(2024, 4, 1),
    end=date(2028, 3, 31),
    partners={"LBB": "London Borough of Bexley", "Met": "Metropolitan Police Service"},
)


def action(id: int, target: str, *updates: Update, history: tuple[TargetChange, ...] = ()) -> Action:
    return Action(id, f"Action {id}", ("LBB",), target, parse_target(target), updates, target_history=history)


def green(day: date, note: str = "on track") -> Update:
    return Update(day, Rag.GREEN, note)


def blue(day: date) -> Update:
    return Update(day, Rag.BLUE, "done")


def paper(
    actions: list[Action],
    code: str,
    produced: date,
    settings: PlanSettings = SETTINGS,
    include_restricted: bool = False,
) -> Report:
    quarter = parse_quarter(code, settings.year_start_month)
    return build_report(actions, settings, quarter, produced=produced, include_restricted=include_restricted)


class TestRules:
    """Each rule of the paper on a small plan made in the test."""

    def test_a_paper_can_be_made_on_the_first_day_of_its_quarter(self) -> None:
        quarter = Quarter(2025, 1, 4)
        assert position_date(quarter, date(2025, 4, 1)) == date(2025, 4, 1)
        with pytest.raises(ReportError, match="has not started yet"):
            position_date(quarter, date(2025, 3, 31))

    def test_the_colour_before_is_the_one_at_the_end_of_the_previous_quarter(self) -> None:
        updates = (
            Update(date(2025, 2, 1), Rag.RED, "r"),
            Update(date(2025, 5, 1), Rag.AMBER, "a"),
            green(date(2025, 8, 1)),
        )
        report = paper([action(1, "Quarterly", *updates)], "2025-Q2", date(2025, 10, 5))
        (line,) = report.lines
        assert (line.rag_before, line.rag) == (Rag.AMBER, Rag.GREEN)
        assert (report.previous_counts[Rag.AMBER], report.previous_counts[Rag.RED]) == (1, 0)

    def test_only_partners_that_lead_an_action_get_a_summary(self) -> None:
        report = paper([action(1, "2025-09-30"), action(2, "2025-12-31")], "2025-Q2", date(2025, 10, 5))
        assert [(p.code, [line.id for line in p.lines]) for p in report.partners] == [("LBB", [1, 2])]

    def test_targets_changed_in_the_quarter_go_oldest_first(self) -> None:
        one = action(1, "Dec-25", history=(TargetChange(date(2025, 8, 20), "Sep-25", "Dec-25", "late"),))
        two = action(2, "Nov-25", history=(TargetChange(date(2025, 7, 10), "Aug-25", "Nov-25", "staff"),))
        report = paper([one, two], "2025-Q2", date(2025, 10, 5))
        assert [(c.line.id, c.move.date, c.move.slip_days) for c in report.targets_changed] == [
            (2, date(2025, 7, 10), 91),
            (1, date(2025, 8, 20), 92),
        ]
        assert [line.slip_days for line in report.lines] == [92, 91]

    def test_an_action_never_retargeted_has_no_slip(self) -> None:
        (line,) = paper([action(1, "2025-12-31")], "2025-Q2", date(2025, 10, 5)).lines
        assert (line.slip_days, line.retargeted, line.original_target) == (None, False, "2025-12-31")

    def test_a_restricted_note_keeps_its_date_colour_and_author_with_or_without_its_words(self) -> None:
        secret = Update(date(2025, 8, 1), Rag.AMBER, "names a victim", by="Jo", restricted=True)
        actions = [action(1, "2025-12-31", secret)]
        public = paper(actions, "2025-Q2", date(2025, 10, 5)).lines[0]
        withheld = Note(date(2025, 8, 1), Rag.AMBER, "", "Jo", restricted=True, withheld=True)
        assert (public.note_this_quarter, public.latest_note) == (withheld, withheld)
        private = paper(actions, "2025-Q2", date(2025, 10, 5), include_restricted=True).lines[0]
        shown = Note(date(2025, 8, 1), Rag.AMBER, "names a victim", "Jo", restricted=True)
        assert (private.note_this_quarter, private.latest_note) == (shown, shown)

    def test_a_completion_counts_once_in_the_reporting_year_it_falls_in(self) -> None:
        actions = [
            action(1, "Quarterly", blue(date(2025, 4, 1)), blue(date(2025, 5, 1))),  # first day of 2025/26
            action(2, "Quarterly", green(date(2025, 4, 2)), blue(date(2026, 3, 31))),  # last day of 2025/26
            action(3, "Quarterly", blue(date(2025, 3, 31))),  # last day of 2024/25
        ]
        years = paper(actions, "2025-Q4", date(2026, 4, 10)).years
        assert [y.quarter.code for y in years] == ["2024-Q4", "2025-Q4"]
        assert [(id, day) for id, _, day in years[0].completed] == [(3, date(2025, 3, 31))]
        assert [(id, day) for id, _, day in years[1].completed] == [(1, date(2025, 4, 1)), (2, date(2026, 3, 31))]

    def test_a_calendar_reporting_year_starts_in_january(self) -> None:
        settings = PlanSettings("Calendar", date(2024, 1, 1), date(2027, 12, 31), {"LBB": "Bexley"}, year_start_month=1)
        years = paper([action(1, "Quarterly", blue(date(2025, 2, 10)))], "2025-Q1", date(2025, 4, 5), settings).years
        assert [(y.quarter.code, [day for _, _, day in y.completed]) for y in years] == [
            ("2024-Q1", []),
            ("2025-Q1", [date(2025, 2, 10)]),
        ]

    def test_a_plan_that_starts_on_a_quarters_last_day_reports_on_that_quarter(self) -> None:
        settings = PlanSettings("Late", date(2024, 6, 30), date(2027, 3, 31), {"LBB": "Bexley"})
        quarter = choose_quarter("2024-Q1", date(2024, 7, 5), settings)
        assert quarter == Quarter(2024, 1, 4)
        years = paper([action(1, "Quarterly")], "2024-Q1", date(2024, 7, 5), settings).years
        assert [y.quarter.code for y in years] == ["2024-Q1"]
        with pytest.raises(ReportError, match="ends before the plan starts"):
            choose_quarter("2023-Q4", date(2024, 7, 5), settings)

    def test_a_quarter_that_does_not_read_is_an_error_of_the_quarter_option(self) -> None:
        with pytest.raises(BadOption) as raised:
            choose_quarter("autumn 2025", date(2025, 10, 5), SETTINGS)
        assert raised.value.option == "--quarter"


class TestRestricted:
    def test_withheld_by_default_but_the_colour_counts(self) -> None:
        line = {line.id: line for line in report_for("2025-Q3").lines}[4]
        # The restricted update stands in its place, wordless: never an older public note instead.
        assert line.note_this_quarter is not None and line.note_this_quarter.withheld
        assert line.note_this_quarter.note == "" and line.note_this_quarter.date == date(2025, 11, 3)
        assert line.note_this_quarter.rag is Rag.AMBER
        assert line.withheld == 1
        assert line.updated_this_quarter
        assert line.latest_note is not None and line.latest_note.withheld and SECRET not in line.latest_note.note

    def test_included_on_request(self) -> None:
        line = {line.id: line for line in report_for("2025-Q3", include_restricted=True).lines}[4]
        assert line.note_this_quarter is not None and SECRET in line.note_this_quarter.note
        assert line.withheld == 0

    @pytest.mark.parametrize("suffix", [".md", ".html"])
    def test_absent_from_both_formats_and_present_under_a_banner(
        self, runner: CliRunner, tmp_path: Path, suffix: str
    ) -> None:
        common = ["report", "--plan", str(REPORTING), "--quarter", "2025-Q3", "--as-of", "2026-01-05"]
        public, restricted = tmp_path / f"public{suffix}", tmp_path / f"restricted{suffix}"
        assert runner.invoke(app, [*common, "-o", str(public)]).exit_code == 0
        result = runner.invoke(app, [*common, "-o", str(restricted), "--include-restricted"])
        assert result.exit_code == 0, result.output
        assert "marked OFFICIAL-SENSITIVE" in result.stdout
        public_text, restricted_text = public.read_text(), restricted.read_text()
        assert SECRET not in public_text and "CONFIDENTIAL" not in public_text
        assert "OFFICIAL-SENSITIVE" not in public_text and "OFFICIAL" in public_text
        assert SECRET in restricted_text
        assert restricted_text.index("OFFICIAL-SENSITIVE") < restricted_text.index(
            "Test Borough VAWG Action Plan 2024-2028:" if suffix == ".md" else "<h1>"
        )


def run_report(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, ["report", "--as-of", "2026-01-05", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


class TestGolden:
    """The whole paper, byte for byte. After an intended change: VAWG_UPDATE_GOLDEN=1 pytest."""

    @pytest.mark.parametrize("fmt", ["md", "html"])
    def test_matches(self, runner: CliRunner, fmt: str) -> None:
        text = run_report(runner, "--plan", str(REPORTING), "--quarter", "2025-Q3", "--format", fmt)
        golden = GOLDEN / f"report-2025-Q3.{fmt}"
        if os.environ.get("VAWG_UPDATE_GOLDEN"):
            golden.write_text(text, encoding="utf-8")
        assert text == golden.read_text(encoding="utf-8")


class TestFormats:
    def test_html_escapes_plan_text(self, runner: CliRunner) -> None:
        html = run_report(runner, "--plan", str(REPORTING), "--quarter", "2025-Q3", "--format", "html")
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "Perpetrator-focused awareness &amp; intervention" in html
        assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in html
        assert "<svg" in html and "@media print" in html and "size: A4" in html

    def test_markdown_cells_cannot_break_a_row_or_hold_html(self, runner: CliRunner) -> None:
        md = run_report(runner, "--plan", str(REPORTING), "--quarter", "2025-Q3")
        assert "Campaign ran with 12 partners \\| a pipe" in md
        assert "\\<script>alert(1)\\</script>" in md
        (row,) = [line for line in md.splitlines() if "| November annually |" in line]
        assert row.count(" | ") == 5  # six cells: the escaped pipe does not split the row

    @pytest.mark.parametrize("fmt", ["md", "html"])
    def test_bundled_plan_paper_has_every_action(self, runner: CliRunner, tmp_path: Path, fmt: str) -> None:
        out = tmp_path / f"q1.{fmt}"
        result = runner.invoke(app, ["report", "--plan", str(BUNDLED_PLAN), "--quarter", "2025-Q1", "-o", str(out)])
        assert result.exit_code == 0, result.output
        text = out.read_text()
        for number in range(1, 11):
            assert re.search(rf"(\| {number} \||>{number}</td>)", text), number
        assert "Update Bexley VAWG Strategy" in text and "Oversight by and reporting to BCSP and MOPAC" in text
        # The sections in the order the board reads them: what needs a decision before the detail.
        headings = (
            "Summary",
            "For decision",
            "Targets changed this quarter",
            "Completed this quarter",
            "Due next quarter",
            "All actions",
            "By partner",
            "Year on year",
            "About this paper",
        )
        places = [text.find(heading) for heading in headings]
        assert -1 not in places and places == sorted(places), dict(zip(headings, places, strict=True))

    def test_format_from_the_file_name(self, runner: CliRunner, tmp_path: Path) -> None:
        common = ["report", "--plan", str(REPORTING), "--quarter", "2025-Q3"]
        assert runner.invoke(app, [*common, "-o", str(tmp_path / "a.htm")]).exit_code == 0
        assert (tmp_path / "a.htm").read_text().startswith("<!doctype html>")
        unknown = runner.invoke(app, [*common, "-o", str(tmp_path / "a.txt")])
        assert unknown.exit_code == 2 and "name the file .md, .html, .docx or .pdf" in unknown.output
        clash = runner.invoke(app, [*common, "-o", str(tmp_path / "a.md"), "--format", "html"])
        assert clash.exit_code == 2 and "does not match" in clash.output
        assert not (tmp_path / "a.md").exists() and not (tmp_path / "a.txt").exists()

    def test_default_quarter_holds_as_of(self, runner: CliRunner) -> None:
        md = run_report(runner, "--plan", str(REPORTING), "--as-of", "2025-11-02")
        assert "progress report for 2025/26 Q3" in md
        assert "produced 2\u00a0Nov\u00a02025" in md  # a date never breaks across lines

    def test_bad_quarter_is_a_usage_error(self, runner: CliRunner) -> None:
        result = runner.invoke(app, ["report", "--plan", str(REPORTING), "--quarter", "Q5 2025"])
        assert result.exit_code == 2
        assert "2025-Q3, Q3 2025/26 or 2025/26 Q3" in result.output

    def test_quarter_before_the_plan(self, runner: CliRunner) -> None:
        result = runner.invoke(app, ["report", "--plan", str(REPORTING), "--quarter", "2023-Q4"])
        assert result.exit_code == 1
        assert "ends before the plan starts" in result.stderr and "2024/25 Q1" in result.stderr

    def test_never_written_over_the_plan(self, runner: CliRunner, bundled_copy: Path) -> None:
        target = bundled_copy / "actions" / "01-update-strategy.yaml"
        before = target.read_bytes()
        result = runner.invoke(
            app, ["report", "--plan", str(bundled_copy), "--quarter", "2025-Q1", "--format", "md", "-o", str(target)]
        )
        assert result.exit_code == 1 and "is part of the plan" in result.stderr
        assert target.read_bytes() == before

    def test_a_plan_with_errors_gets_no_paper(self, runner: CliRunner, bundled_copy: Path, tmp_path: Path) -> None:
        (bundled_copy / "actions" / "02-raise-awareness.yaml").write_text(
            "id: 2\ntitle: x\nleads: [LBB]\ntarget: soon\n"
        )
        out = tmp_path / "q1.html"
        result = runner.invoke(app, ["report", "--plan", str(bundled_copy), "--quarter", "2025-Q1", "-o", str(out)])
        assert result.exit_code == 1
        assert "02-raise-awareness.yaml:4:9: error: target 'soon'" in result.stderr
        assert not out.exists()


class TestTemplates:
    def test_template_option_can_extend_the_shipped_one(self, runner: CliRunner, tmp_path: Path) -> None:
        custom = tmp_path / "brand.md.j2"
        custom.write_text("BOROUGH LETTERHEAD\n{% include 'report.md.j2' %}")
        md = run_report(runner, "--plan", str(REPORTING), "--quarter", "2025-Q3", "--template", str(custom))
        assert md.startswith("BOROUGH LETTERHEAD\n")
        assert "## Year on year" in md

    def test_templates_folder_beside_the_plan(self, runner: CliRunner, tmp_path: Path) -> None:
        plan = copy_plan(REPORTING, tmp_path / "plan")
        (plan / "templates").mkdir()
        (plan / "templates" / "report.html.j2").write_text(
            "<p>{{ report.plan_title }}: {{ report.counts[Rag.BLUE] }} done</p>"
        )
        html = run_report(runner, "--plan", str(plan), "--quarter", "2025-Q3", "--format", "html")
        # The template's page, with the policy that holds a browser to fetching nothing put first
        # (render/html_safety.py): a plan's template is someone else's code.
        from vawg_cli.render.html_safety import with_policy

        assert html == with_policy("<p>Test Borough VAWG Action Plan 2024-2028: 2 done</p>")

    def test_a_broken_template_is_a_clear_error(self, runner: CliRunner, tmp_path: Path) -> None:
        broken = tmp_path / "broken.html.j2"
        broken.write_text("<p>{{ report.no_such_thing }}</p>")
        result = runner.invoke(app, ["report", "--plan", str(REPORTING), "--format", "html", "--template", str(broken)])
        assert result.exit_code == 1
        assert "the report template failed" in result.stderr and "no_such_thing" in result.stderr
        missing = runner.invoke(app, ["report", "--plan", str(REPORTING), "--template", str(tmp_path / "nope.j2")])
        assert missing.exit_code == 1 and "is not a file" in missing.stderr


def test_rag_colours_meet_wcag_aa_contrast() -> None:
    from vawg_cli.render.marks import RAG_COLOURS

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for rag, (background, text) in RAG_COLOURS.items():
        light, dark = sorted((luminance(background), luminance(text)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, rag


@given(st.text(alphabet=st.sampled_from("ab @\\|<[]`*_\n\t\u00a0\u2028.")) | st.text())
def test_a_markdown_cell_is_the_one_substitution_however_it_is_made(text: str) -> None:
    # The quick test for special characters must never skip a cell the substitution would change.
    from vawg_cli.render.report import _MARKDOWN_SPECIAL, markdown_cell

    assert markdown_cell(text) == _MARKDOWN_SPECIAL.sub(r"\\\g<0>", " ".join(text.split()))
