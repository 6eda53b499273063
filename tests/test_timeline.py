"""Papers and status speak only of what was known on their day.

A board paper for a past quarter must come out the same whenever it is made: later updates,
retargets and new actions do not reach back into it. A paper for the running quarter is an
interim position as at the day it is made, never a day that has not come.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import BUNDLED_PLAN
from vawg_cli.cli import app
from vawg_cli.core.report import ReportError, build_report, position_date
from vawg_cli.core.status import plan_status, statuses_on
from vawg_cli.core.timeline import as_known_on, plan_on
from vawg_cli.edit import writes as editing
from vawg_cli.model.quarters import Quarter
from vawg_cli.model.records import Action, PlanSettings, Rag, TargetChange, Update
from vawg_cli.model.schedule import parse_target
from vawg_cli.render.report import render_report

SETTINGS = PlanSettings(
    title="Test plan",
    start=date(2024, 4, 1),
    end=date(2028, 4, 30),
    partners={"LBB": "London Borough of Bexley", "Met": "Metropolitan Police Service"},
)
Q = Quarter(2024, 3)  # October to December 2024


def action(
    id: int,
    target: str = "Apr-25",
    updates: tuple[Update, ...] = (),
    history: tuple[TargetChange, ...] = (),
    added: date | None = None,
) -> Action:
    return Action(
        id=id,
        title=f"Action {id}",
        leads=("LBB",),
        target=target,
        schedule=parse_target(target),
        updates=updates,
        target_history=history,
        added=added,
    )


def upd(day: str, rag: str = "green", note: str = "note", restricted: bool = False, by: str | None = None) -> Update:
    return Update(date.fromisoformat(day), Rag(rag), note, by, restricted)


class TestAsKnownOn:
    def test_a_later_retarget_is_undone(self) -> None:
        moved = action(3, "Oct-25", history=(TargetChange(date(2025, 3, 1), "Apr-25", "Oct-25", "legal review"),))
        then = as_known_on(moved, date(2024, 12, 31))
        assert then is not None
        assert (then.target, then.schedule, then.target_history) == ("Apr-25", parse_target("Apr-25"), ())
        assert as_known_on(moved, date(2025, 3, 1)) == moved  # in force from its own day

    def test_of_two_retargets_only_the_later_is_undone(self) -> None:
        twice = action(
            3,
            "Jan-26",
            history=(
                TargetChange(date(2025, 1, 10), "Apr-25", "Oct-25", "first"),
                TargetChange(date(2025, 9, 1), "Oct-25", "Jan-26", "second"),
            ),
        )
        then = as_known_on(twice, date(2025, 6, 30))
        assert then is not None and then.target == "Oct-25" and len(then.target_history) == 1

    def test_an_action_added_later_is_not_there(self) -> None:
        late = action(11, added=date(2025, 5, 1))
        assert as_known_on(late, date(2025, 4, 30)) is None
        assert as_known_on(late, date(2025, 5, 1)) == late
        assert plan_on([action(1), late], date(2025, 1, 1)) == [action(1)]

    def test_without_added_an_action_counts_from_the_plan_start(self) -> None:
        assert as_known_on(action(1), date(2024, 4, 1)) == action(1)


class TestPositionDate:
    def test_a_past_quarter_is_as_at_its_last_day(self) -> None:
        assert position_date(Q, date(2026, 6, 1)) == date(2024, 12, 31)

    def test_the_running_quarter_is_as_at_today(self) -> None:
        assert position_date(Q, date(2024, 11, 15)) == date(2024, 11, 15)

    def test_a_quarter_not_yet_begun_is_refused_with_the_latest_allowed(self) -> None:
        with pytest.raises(ReportError, match=r"2024/25 Q3 has not started yet.*choose a quarter up to 2024/25 Q2"):
            position_date(Q, date(2024, 9, 30))


def test_a_paper_for_a_quarter_not_yet_begun_is_refused_in_plain_words(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["report", "--plan", str(BUNDLED_PLAN), "--quarter", "2026-Q3", "--as-of", "2026-06-01"]
    )
    assert result.exit_code == 1
    assert result.output.endswith(
        "vawg: error: 2026/27 Q3 has not started yet (it starts on 1 October 2026, and today is 1 June 2026); "
        "choose a quarter up to 2026/27 Q1\n"
    )


class TestPaper:
    def test_the_running_quarter_is_an_interim_position_and_never_counts_past_today(self) -> None:
        late = action(1, "Apr-24")  # overdue since 30 April 2024
        paper = build_report([late], SETTINGS, Q, produced=date(2024, 11, 15))
        assert paper.interim and paper.as_at == date(2024, 11, 15)
        assert paper.lines[0].state == "overdue 199 days"  # to 15 November, not to 31 December
        text = render_report(paper, "md", plan_folder=Path("/nonexistent")).replace("\u00a0", " ")
        assert "position as at 15 Nov 2024 (interim)" in text
        assert "31 Dec 2024" not in text.split("## Summary")[0].split("position as at")[1].split("\n")[0][:30]

    def test_a_restricted_latest_update_is_shown_withheld_never_an_older_public_note(self) -> None:
        item = action(
            4,
            updates=(
                upd("2024-08-01", "green", "OLD PUBLIC NOTE"),
                upd("2024-11-03", "amber", "SECRET CASE DETAIL", restricted=True, by="Met"),
            ),
        )
        paper = build_report([item], SETTINGS, Q, produced=date(2025, 1, 10))
        for fmt in ("md", "html"):
            text = render_report(paper, fmt, plan_folder=Path("/nonexistent")).replace("\u00a0", " ")
            assert "SECRET" not in text and "OLD PUBLIC NOTE" not in text
            assert "No update yet" not in text
            assert "Restricted update withheld" in text and "3 Nov 2024, Met" in text
        exceptions = {e.line.id: e for e in paper.exceptions}
        assert exceptions[4].line.latest_note is not None and exceptions[4].line.latest_note.rag is Rag.AMBER

    def test_a_restricted_update_in_an_earlier_quarter_is_withheld_too(self) -> None:
        item = action(
            4, updates=(upd("2024-05-01", "green", "OLD"), upd("2024-08-01", "red", "SECRET", restricted=True))
        )
        paper = build_report([item], SETTINGS, Q, produced=date(2025, 1, 10))
        latest = paper.lines[0].latest_note
        assert latest is not None and latest.withheld and latest.note == "" and latest.rag is Rag.RED

    def test_a_missed_recurring_date_is_the_date_shown_beside_overdue(self) -> None:
        quarterly = action(10, "Quarterly", updates=(upd("2024-08-01"),))  # nothing in Oct-Dec
        paper = build_report([quarterly], SETTINGS, Quarter(2024, 4), produced=date(2025, 1, 31))
        line = paper.lines[0]
        assert (line.due, line.state) == (date(2024, 12, 31), "overdue 31 days")

    def test_retargets_show_in_the_row_and_in_the_quarter_they_were_approved(self) -> None:
        moved = action(
            3,
            "Oct-25",
            history=(TargetChange(date(2025, 2, 10), "Apr-25", "Oct-25", "Legal review took longer", "BCSP board"),),
        )
        paper = build_report([moved], SETTINGS, Quarter(2024, 4), produced=date(2025, 4, 1))
        line = paper.lines[0]
        assert (line.original_target, line.target, line.slip_days) == ("Apr-25", "Oct-25", 184)
        assert [(c.line.id, c.move.reason, c.move.slip_days) for c in paper.targets_changed] == [
            (3, "Legal review took longer", 184)
        ]
        text = render_report(paper, "md", plan_folder=Path("/nonexistent")).replace("\u00a0", " ")
        assert "| Oct-25 (first set: Apr-25, 184 days later) |" in text
        assert (
            "| 3 | Action 3 | 10 Feb 2025 | Apr-25 → Oct-25 (184 days later) | Legal review took longer | BCSP board |"
            in text
        )
        html = render_report(paper, "html", plan_folder=Path("/nonexistent"))
        assert 'id="targets-changed"' in html and "Legal review took longer" in html and "184 days later" in html
        # The next quarter's paper still shows the move in the row, but not in its "changed" list.
        later = build_report([moved], SETTINGS, Quarter(2025, 1), produced=date(2025, 7, 1))
        assert later.lines[0].retargeted and later.targets_changed == ()

    def test_an_action_added_this_quarter_is_new_not_grey_last_quarter(self) -> None:
        paper = build_report([action(1), action(2, added=date(2024, 11, 1))], SETTINGS, Q, produced=date(2025, 1, 10))
        assert [(line.id, line.rag_before) for line in paper.lines] == [(1, Rag.GREY), (2, None)]
        assert sum(paper.previous_counts.values()) == 1 and sum(paper.counts.values()) == 2
        assert "| 2 | Action 2 | New → 🔘 Grey | LBB | Apr-25 |" in render_report(
            paper, "md", plan_folder=Path("/nonexistent")
        )


def _produced_removed(text: str) -> str:
    return re.sub(r"([Pp]roduced:?\**:?\s*(</dt><dd>)?)\d{1,2}[ \u00a0]\w{3}[ \u00a0]\d{4}", r"\1<produced>", text)


class TestOldPapersNeverChange:
    """The issue's own check, through the command line: 2024-Q4 (January to March 2025, in reporting
    year 2024/25) made just after it ended, and again after a later retarget and new actions."""

    def test_a_paper_is_byte_identical_after_later_updates_retargets_and_new_actions(
        self, runner: CliRunner, bundled_copy: Path
    ) -> None:
        plan = bundled_copy
        cache = None
        for action_id, day, rag, note in [
            (3, "2024-10-15", "amber", "Draft pathway with legal"),
            (5, "2025-01-20", "green", "First course ran"),
            (10, "2025-03-10", "green", "Q4 report to the board"),
            (4, "2025-03-20", "red", "Data sharing agreement stalled"),
        ]:
            editing.add_update(plan, action_id, upd(day, rag, note), today=date(2025, 4, 5), cache_dir=cache)
        papers = {}
        for fmt in ("md", "html"):
            args = ["report", "--plan", str(plan), "--quarter", "2024-Q4", "--format", fmt, "--as-of", "2025-04-10"]
            result = runner.invoke(app, args)
            assert result.exit_code == 0, result.output
            papers[fmt] = result.stdout

        # A year on: more updates, action 3 retargeted, two new actions, a restricted note.
        editing.retarget(
            plan, 3, "Oct-25", reason="Legal review took longer", approved_by="BCSP board",
            on=date(2025, 6, 10), today=date(2025, 9, 1), cache_dir=cache,
        )  # fmt: skip
        editing.add_update(
            plan, 3, upd("2025-06-30", "green", "Pathway agreed"), today=date(2025, 9, 1), cache_dir=cache
        )
        editing.add_update(
            plan, 4, upd("2025-05-02", "amber", "Named case", restricted=True), today=date(2025, 9, 1), cache_dir=cache
        )
        for title in ("Train licensing staff", "Night-time economy safety audit"):
            editing.new_action(
                plan, title=title, leads=["LBB"], target="Mar-26", today=date(2025, 9, 1), cache_dir=cache,
                added=date(2025, 5, 1),
            )  # fmt: skip

        for fmt in ("md", "html"):
            args = ["report", "--plan", str(plan), "--quarter", "2024-Q4", "--format", fmt, "--as-of", "2025-09-15"]
            result = runner.invoke(app, args)
            assert result.exit_code == 0, result.output
            assert result.stdout != papers[fmt]  # only the produced date differs...
            assert _produced_removed(result.stdout) == _produced_removed(papers[fmt])  # ...and nothing else
        assert "Oct-25" not in papers["md"] and "Train licensing staff" not in papers["md"]


# Property tests: the laws behind the examples above.

TARGETS = ["Apr-25", "2024-12-15", "Mar-26", "November annually", "Quarterly", "Monthly", "2027-06-30"]
DAYS = st.dates(min_value=date(2024, 4, 1), max_value=date(2027, 3, 31))


@st.composite
def plans(draw: st.DrawFn) -> tuple[list[Action], Quarter, list[Action]]:
    """A plan known up to a quarter's end, and the same plan with later updates, retargets and actions."""
    quarter = Quarter(draw(st.integers(2024, 2026)), draw(st.integers(1, 4)))
    end = quarter.end
    after = st.dates(min_value=end + timedelta(days=1), max_value=end + timedelta(days=500))
    base: list[Action] = []
    grown: list[Action] = []
    for number in range(1, draw(st.integers(1, 6)) + 1):
        target = draw(st.sampled_from(TARGETS))
        early = sorted(draw(st.lists(st.dates(SETTINGS.start, end), max_size=4)))
        updates = tuple(
            upd(d.isoformat(), draw(st.sampled_from(list(Rag))).value, f"n{number}", draw(st.booleans())) for d in early
        )
        original = action(number, target, updates)
        base.append(original)
        later = sorted(draw(st.lists(after, max_size=3)))
        extra = tuple(upd(d.isoformat(), draw(st.sampled_from(list(Rag))).value, "later") for d in later)
        grown_action = replace(original, updates=updates + extra)
        if draw(st.booleans()):
            moved_to = draw(st.sampled_from([t for t in TARGETS if t != target]))
            on = draw(after)
            grown_action = replace(
                grown_action,
                target=moved_to,
                schedule=parse_target(moved_to),
                target_history=(TargetChange(on, target, moved_to, "moved"),),
            )
        grown.append(grown_action)
    for number in range(len(base) + 1, len(base) + 1 + draw(st.integers(0, 2))):
        grown.append(action(number, draw(st.sampled_from(TARGETS)), added=draw(after)))
    return base, quarter, grown


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(), st.integers(0, 800), st.booleans())
def test_a_quarters_paper_is_the_same_made_at_its_end_or_later(
    case: tuple[list[Action], Quarter, list[Action]], days_later: int, include_restricted: bool
) -> None:
    base, quarter, grown = case
    on_time = build_report(base, SETTINGS, quarter, produced=quarter.end, include_restricted=include_restricted)
    later = build_report(
        grown,
        SETTINGS,
        quarter,
        produced=quarter.end + timedelta(days=days_later),
        include_restricted=include_restricted,
    )
    assert replace(later, produced=on_time.produced) == on_time


@settings(max_examples=150, deadline=None)
@given(plans())
def test_status_never_depends_on_what_came_after_as_of(case: tuple[list[Action], Quarter, list[Action]]) -> None:
    base, quarter, grown = case
    assert plan_status(grown, SETTINGS, quarter.end) == plan_status(base, SETTINGS, quarter.end)
    assert [s.action.id for s in statuses_on(grown, SETTINGS, quarter.end)] == [a.id for a in base]


class TestLookingBackPastATargetPutRight:
    """An imported "TBC" put right with `vawg retarget`: before the change there was no due date."""

    def moved(self) -> Action:
        return replace(
            action(5, "Apr-26"),
            target_history=(TargetChange(date(2026, 1, 15), "TBC", "Apr-26", "set"),),
        )

    def test_status_before_the_change_has_no_due_date(self) -> None:
        (status,) = plan_status([self.moved()], SETTINGS, date(2025, 12, 1))
        assert (status.action.target, status.due, status.overdue, status.state) == (
            "TBC",
            None,
            False,
            "target to be confirmed",
        )

    def test_a_paper_before_the_change_shows_no_due_date_from_the_future(self) -> None:
        paper = build_report([self.moved()], SETTINGS, Quarter(2025, 3), produced=date(2026, 12, 1))
        (line,) = paper.lines
        assert (line.target, line.due) == ("TBC", None)
        assert "30 Apr 2026" not in render_report(paper, "md", plan_folder=Path("/nonexistent"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(), DAYS)
def test_the_history_counts_each_colour_as_status_gives_it(
    case: tuple[list[Action], Quarter, list[Action]], day: date
) -> None:
    """The paper's history counts colours without working out each status: the two must agree."""
    from vawg_cli.core.history import colours_on, count

    _, _, grown = case
    assert colours_on(grown, day) == count(s.rag for s in statuses_on(grown, SETTINGS, day))


def test_a_rewound_copy_is_what_dataclasses_replace_makes() -> None:
    from vawg_cli.core.timeline import _replaced

    original = action(3, "Apr-25", (upd("2025-01-02"),))
    assert _replaced(original, updates=(), target="Oct-25") == replace(original, updates=(), target="Oct-25")
    assert original.updates and original.target == "Apr-25"  # the original is untouched
    with pytest.raises(TypeError, match="no field"):
        _replaced(original, updatez=())
