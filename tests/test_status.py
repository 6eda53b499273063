"""Status on a given day: the core functions, with no command line in between."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from vawg_cli.core.status import ActionStatus, action_status, plan_status, select, status_view, statuses_on
from vawg_cli.errors import VawgError
from vawg_cli.model.records import Action, PlanSettings, Rag, Update
from vawg_cli.model.schedule import parse_target
from vawg_cli.plan.loading import Plan, load_plan

SETTINGS = PlanSettings(
    title="Test plan",
    start=date(2024, 4, 1),
    end=date(2028, 4, 30),
    partners={"LBB": "London Borough of Bexley", "Met": "Metropolitan Police Service"},
    year_start_month=4,
    due_soon_days=30,
)


def make(target: str, *updates: tuple[str, str], id: int = 1, leads: tuple[str, ...] = ("LBB",)) -> Action:
    return Action(
        id=id,
        title=f"Action {id}",
        leads=leads,
        target=target,
        schedule=parse_target(target),
        updates=tuple(Update(date.fromisoformat(d), Rag(r), "note") for d, r in updates),
    )


def at(action: Action, day: str) -> ActionStatus:
    return action_status(action, SETTINGS, date.fromisoformat(day))


class TestOneOff:
    def test_not_overdue_on_the_due_day_itself(self) -> None:
        status = at(make("Apr-25"), "2025-04-30")
        assert not status.overdue
        assert status.due == date(2025, 4, 30)
        assert status.state == "due today"

    def test_overdue_the_day_after(self) -> None:
        status = at(make("Apr-25"), "2025-05-01")
        assert status.overdue
        assert status.overdue_since == date(2025, 4, 30)
        assert status.state == "overdue 1 day"

    def test_overdue_days_counted(self) -> None:
        assert at(make("2025-04-30"), "2025-05-12").state == "overdue 12 days"

    @pytest.mark.parametrize(
        ("day", "soon"),
        [("2025-03-31", True), ("2025-03-30", False), ("2025-04-30", True), ("2025-04-29", True)],
    )
    def test_due_soon_within_due_soon_days(self, day: str, soon: bool) -> None:
        # 30 days before 30 April is 31 March.
        assert at(make("Apr-25"), day).due_soon is soon

    def test_due_in_days_and_months(self) -> None:
        assert at(make("2025-04-30"), "2025-04-25").state == "due in 5 days"
        assert at(make("2025-04-30"), "2025-04-29").state == "due tomorrow"
        assert at(make("2026-04-30"), "2025-04-30").state == "due in 12 months"

    def test_complete_is_never_overdue(self) -> None:
        status = at(make("Apr-25", ("2025-03-01", "blue")), "2026-01-01")
        assert status.complete
        assert not status.overdue
        assert not status.due_soon
        assert status.due is None
        assert status.state == "complete"

    def test_complete_keeps_its_latest_update_and_its_day(self) -> None:
        action = make("Apr-25", ("2025-02-01", "green"), ("2025-03-01", "blue"))
        status = at(action, "2026-01-01")
        assert (status.latest, status.as_of) == (action.updates[-1], date(2026, 1, 1))

    def test_a_one_off_is_never_reported_for_a_period(self) -> None:
        assert at(make("Apr-25", ("2025-03-01", "green")), "2025-04-10").reported is False

    def test_red_action_past_due_is_overdue(self) -> None:
        assert at(make("Apr-25", ("2025-03-01", "red")), "2025-06-01").overdue


class TestRag:
    def test_grey_without_updates(self) -> None:
        assert at(make("Apr-25"), "2025-01-01").rag is Rag.GREY

    def test_latest_update_sets_the_colour(self) -> None:
        action = make("Apr-28", ("2024-06-01", "green"), ("2025-01-01", "amber"))
        assert at(action, "2025-02-01").rag is Rag.AMBER

    def test_updates_after_as_of_do_not_exist_yet(self) -> None:
        action = make("Apr-25", ("2024-06-01", "amber"), ("2025-03-01", "blue"))
        earlier = at(action, "2025-02-01")
        assert earlier.rag is Rag.AMBER
        assert earlier.latest is not None and earlier.latest.date == date(2024, 6, 1)
        assert at(action, "2025-03-01").complete


class TestRecurring:
    def test_quarterly_overdue_when_last_quarter_had_no_update(self) -> None:
        # Quarter ending 31 March 2025 (Jan-Mar) has no update.
        status = at(make("Quarterly", ("2024-12-15", "green")), "2025-04-10")
        assert status.overdue
        assert status.overdue_since == date(2025, 3, 31)
        # The date shown beside "overdue 10 days" is the one missed; the next one is kept apart.
        assert status.due == date(2025, 3, 31)
        assert status.next_due == date(2025, 6, 30)
        assert status.state == "overdue 10 days"

    def test_quarterly_not_overdue_when_last_quarter_was_reported(self) -> None:
        status = at(make("Quarterly", ("2025-02-15", "green")), "2025-04-10")
        assert not status.overdue
        assert status.due == date(2025, 6, 30)

    def test_an_update_before_the_period_does_not_count(self) -> None:
        # 31 December 2024 belongs to the quarter ending that day, not to Jan-Mar.
        assert at(make("Quarterly", ("2024-12-31", "green")), "2025-04-01").overdue

    def test_an_occurrence_already_reported_on_is_not_due_soon(self) -> None:
        status = at(make("Quarterly", ("2025-03-10", "green"), ("2025-05-20", "green")), "2025-06-01")
        assert not status.overdue
        assert status.due == date(2025, 6, 30)
        assert status.reported
        assert not status.due_soon
        assert status.state == "done for this period"

    def test_a_late_report_counts_for_the_period_it_falls_in(self) -> None:
        # Reported on 15 July: too late for the quarter ending 30 June, in time for July-September.
        action = make("Quarterly", ("2024-07-15", "green"))
        july = at(action, "2024-07-20")
        assert july.overdue_since == date(2024, 6, 30)
        assert july.state == "overdue 20 days"
        assert july.due == date(2024, 6, 30)
        assert july.next_due == date(2024, 9, 30)
        october = at(action, "2024-10-01")
        assert not october.overdue
        assert october.due == date(2024, 12, 31)
        assert not october.reported

    def test_unreported_occurrence_is_due_soon(self) -> None:
        status = at(make("Quarterly", ("2025-03-10", "green")), "2025-06-01")
        assert status.due == date(2025, 6, 30)
        assert status.due_soon

    def test_on_the_occurrence_day_it_is_due_today_not_overdue(self) -> None:
        status = at(make("Quarterly", ("2025-03-10", "green")), "2025-06-30")
        assert not status.overdue
        assert status.state == "due today"

    def test_yearly_overdue_after_a_missed_november(self) -> None:
        status = at(make("November annually", ("2024-11-25", "green")), "2025-12-05")
        assert status.overdue
        assert status.overdue_since == date(2025, 11, 30)
        assert status.due == date(2025, 11, 30)
        assert status.next_due == date(2026, 11, 30)

    def test_yearly_on_a_given_day(self) -> None:
        status = at(make("25 November annually"), "2024-11-01")
        assert status.due == date(2024, 11, 25)
        assert status.due_soon

    def test_before_the_first_occurrence_nothing_is_overdue(self) -> None:
        status = at(make("November annually"), "2024-05-01")
        assert not status.overdue
        assert status.due == date(2024, 11, 30)

    def test_after_the_plan_ends_no_further_due_dates(self) -> None:
        status = at(make("Quarterly", ("2028-03-01", "green")), "2028-06-01")
        assert status.due is None
        assert not status.overdue
        assert status.state == "no further due dates"

    @pytest.mark.parametrize("day", ["2025-04-01", "2025-06-30"])
    def test_an_update_on_either_end_of_a_period_counts_for_it(self, day: str) -> None:
        status = at(make("Quarterly", ("2025-03-15", "green"), (day, "green")), "2025-07-05")
        assert (status.overdue, status.due) == (False, date(2025, 9, 30))

    def test_after_the_plan_ends_nothing_is_reported_on(self) -> None:
        status = at(make("Quarterly", ("2028-03-15", "green")), "2028-05-01")
        assert (status.reported, status.state) == (False, "no further due dates")

    def test_an_action_is_in_the_plan_on_the_day_it_is_added(self) -> None:
        added = replace(make("Apr-25", id=7), added=date(2025, 3, 1))
        assert [s.action.id for s in statuses_on([added], SETTINGS, date(2025, 3, 1))] == [7]
        assert statuses_on([added], SETTINGS, date(2025, 2, 28)) == []

    def test_monthly(self) -> None:
        status = at(make("Monthly", ("2025-04-03", "green")), "2025-05-02")
        assert not status.overdue
        assert status.due == date(2025, 5, 31)
        assert at(make("Monthly", ("2025-03-03", "green")), "2025-05-02").overdue_since == date(2025, 4, 30)


class TestOrderAndFilters:
    def actions(self) -> list[Action]:
        return [
            make("2028-04-30", id=1),  # due later
            make("2025-04-30", id=2, leads=("Met",)),  # overdue 31 days on 31 May
            make("2025-06-10", ("2025-01-01", "amber"), id=3),  # due soon
            make("2025-03-01", id=4, leads=("LBB", "Met")),  # overdue longer
            make("2025-01-01", ("2024-12-01", "blue"), id=5),  # complete
            make("2025-06-05", id=6),  # due soon, sooner
        ]

    def test_most_urgent_first(self) -> None:
        statuses = plan_status(self.actions(), SETTINGS, date(2025, 5, 31))
        assert [s.action.id for s in statuses] == [4, 2, 6, 3, 1, 5]

    def test_filters(self) -> None:
        statuses = plan_status(self.actions(), SETTINGS, date(2025, 5, 31))
        assert [s.action.id for s in select(statuses, lead="Met")] == [4, 2]
        assert [s.action.id for s in select(statuses, rag=Rag.AMBER)] == [3]
        assert [s.action.id for s in select(statuses, overdue=True)] == [4, 2]
        assert [s.action.id for s in select(statuses, due_soon=True)] == [6, 3]
        assert [s.action.id for s in select(statuses, overdue=True, due_soon=True)] == [4, 2, 6, 3]
        assert [s.action.id for s in select(statuses, lead="LBB", overdue=True)] == [4]

    def test_a_filter_keeps_looking_past_a_status_it_leaves_out(self) -> None:
        statuses = plan_status(self.actions(), SETTINGS, date(2025, 5, 31))
        # Action 2 (Met alone) comes second: the LBB actions after it are still chosen.
        assert [s.action.id for s in select(statuses, lead="LBB")] == [4, 6, 3, 1, 5]

    def test_due_soon_comes_before_an_earlier_date_already_reported_on(self) -> None:
        reported = make("Quarterly", ("2025-02-10", "green"), ("2025-04-10", "green"), id=1)  # next due 30 June
        soon = make("2025-07-03", id=2)  # 28 days away: due soon
        later = make("2025-09-30", id=3)
        statuses = plan_status([later, reported, soon], SETTINGS, date(2025, 6, 5))
        assert [(s.action.id, s.due, s.due_soon, s.reported) for s in statuses] == [
            (2, date(2025, 7, 3), True, False),
            (1, date(2025, 6, 30), False, True),
            (3, date(2025, 9, 30), False, False),
        ]

    def test_status_view_filters_and_counts_every_action(self) -> None:
        as_of = date(2025, 5, 31)
        view = status_view(self.actions(), SETTINGS, as_of, lead="Met")
        assert ([s.action.id for s in view.chosen], view.total, view.as_of) == ([4, 2], 6, as_of)
        everything = status_view(self.actions(), SETTINGS, as_of)
        assert [s.action.id for s in everything.chosen] == [4, 2, 6, 3, 1, 5]
        assert [s.action.id for s in status_view(self.actions(), SETTINGS, as_of, rag=Rag.AMBER).chosen] == [3]
        assert [s.action.id for s in status_view(self.actions(), SETTINGS, as_of, overdue=True).chosen] == [4, 2]
        assert [s.action.id for s in status_view(self.actions(), SETTINGS, as_of, due_soon=True).chosen] == [6, 3]

    def test_status_view_names_an_unknown_lead_and_the_partners(self) -> None:
        with pytest.raises(VawgError) as raised:
            status_view(self.actions(), SETTINGS, date(2025, 5, 31), lead="Mett")
        assert (
            str(raised.value) == "--lead 'Mett' is not a partner code (did you mean 'Met'?); the partners are: LBB, Met"
        )


def test_fixture_plan_on_a_fixed_day(progress_plan: Path) -> None:
    plan: Plan = load_plan(progress_plan, today=date(2026, 1, 1))
    by_id = {s.action.id: s for s in plan_status((f.action for f in plan.actions), plan.settings, date(2025, 5, 1))}
    assert by_id[4].overdue and by_id[4].rag is Rag.RED
    assert by_id[5].due_soon and by_id[5].due == date(2025, 5, 15)
    assert by_id[3].complete
    assert by_id[10].due == date(2025, 6, 30) and not by_id[10].overdue
    assert plan.settings.rag_wording(Rag.RED) == "Off track"
    assert plan.settings.rag_wording(Rag.AMBER) == "Some problems: delivery may slip"  # default wording
