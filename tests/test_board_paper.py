"""The board paper's content: the headline, what is put before the board and in what order, themes,
partners by colour, the marking and the notices. Formats (Word, PDF, phone) have tests of their own."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import BUNDLED_PLAN, FIXTURES, copy_plan
from vawg_cli.cli import app
from vawg_cli.core.decisions import FLAG_ORDER, colour_since, flag_of
from vawg_cli.core.report import Report, build_report
from vawg_cli.model.quarters import Quarter
from vawg_cli.model.records import Action, PlanSettings, Rag, Update
from vawg_cli.model.schedule import parse_target
from vawg_cli.plan.loading import load_plan
from vawg_cli.render.report import css_string

PUBLICATION = "OFFICIAL \u2013 for publication"  # with an en dash, as councils write it

BOARD = FIXTURES / "board"
Q3 = Quarter(2025, 3, 4)
PRODUCED = date(2026, 1, 20)


def board(include_restricted: bool = False) -> Report:
    plan = load_plan(BOARD, today=PRODUCED)
    return build_report(
        [f.action for f in plan.actions],
        plan.settings,
        Q3,
        produced=PRODUCED,
        include_restricted=include_restricted,
        measures=[f.measure for f in plan.measures],
    )


class TestHeadline:
    def test_the_chair_can_read_it_aloud(self) -> None:
        assert board().headline == (
            "6 of 10 actions complete or on track; 2 red (actions 3 and 7); 2 amber; 1 overdue; "
            "1 with no update this quarter; 1 target changed this quarter."
        )

    def test_good_news_is_said_too(self) -> None:
        settings = PlanSettings("P", date(2025, 4, 1), date(2027, 3, 31), {"A": "A"})
        on_track = Action(
            1, "One", ("A",), "Mar-27", parse_target("Mar-27"), (Update(date(2025, 11, 1), Rag.GREEN, "ok"),)
        )
        paper = build_report([on_track], settings, Q3, produced=PRODUCED)
        assert paper.headline == "1 of 1 action complete or on track; none red; none overdue."

    def test_a_plan_with_no_actions(self) -> None:
        settings = PlanSettings("P", date(2025, 4, 1), date(2027, 3, 31), {"A": "A"})
        assert build_report([], settings, Q3, produced=PRODUCED).headline == "The plan has no actions to report on yet."


class TestForDecision:
    def test_red_then_overdue_then_amber_then_no_update(self) -> None:
        order = [(item.line.id, item.flag) for item in board().exceptions]
        assert order == [(3, "red"), (7, "red"), (4, "overdue"), (8, "amber"), (9, "no update")]

    def test_reasons_add_to_the_colour_and_never_repeat_it(self) -> None:
        items = {item.line.id: item for item in board().exceptions}
        assert items[3].reasons == (
            "worse than last quarter (was amber)",
            "due 31 Mar 2026",
            "target moved once, 335 days later than first set",
        )
        assert items[7].reasons == ("no better since 16 Jun 2025",)
        assert items[4].reasons[-1] == "overdue: was due 30 Apr 2025, 245 days ago"
        assert items[9].reasons == ("no update this quarter (the last was on 29 Sep 2025)",)
        for item in items.values():
            assert not any(item.line.rag.value in reason.split("(was")[0] for reason in item.reasons), item.reasons

    def test_what_is_being_done_and_what_the_board_is_asked(self) -> None:
        items = {item.line.id: item for item in board().exceptions}
        assert items[7].board_ask and "MOPAC" in items[7].board_ask
        assert items[3].next_steps and items[3].board_ask
        assert items[4].next_steps and items[4].board_ask is None
        assert items[9].next_steps is None

    def test_a_withheld_update_gives_no_next_steps_or_ask(self) -> None:
        settings = PlanSettings("P", date(2025, 4, 1), date(2027, 3, 31), {"A": "A"})
        secret = Update(date(2025, 11, 1), Rag.RED, "case detail", "A", True, "secret step", "secret ask")
        action = Action(1, "One", ("A",), "Mar-27", parse_target("Mar-27"), (secret,))
        public = build_report([action], settings, Q3, produced=PRODUCED).exceptions[0]
        assert (public.next_steps, public.board_ask) == (None, None)
        shown = build_report([action], settings, Q3, produced=PRODUCED, include_restricted=True).exceptions[0]
        assert (shown.next_steps, shown.board_ask) == ("secret step", "secret ask")

    @given(
        st.lists(
            st.tuples(st.sampled_from(list(Rag)), st.integers(min_value=-400, max_value=400), st.booleans()),
            min_size=1,
            max_size=12,
        )
    )
    def test_the_order_holds_for_any_plan(self, rows: list[tuple[Rag, int, bool]]) -> None:
        # Law: the flags never go back up the order, and ids rise within a flag.
        settings = PlanSettings("P", date(2024, 4, 1), date(2028, 3, 31), {"A": "A"})
        actions = []
        for number, (rag, offset, updated) in enumerate(rows, start=1):
            due = Q3.end + timedelta(days=offset)
            when = date(2025, 11, 1) if updated else date(2025, 5, 1)
            actions.append(
                Action(
                    number,
                    f"A{number}",
                    ("A",),
                    due.isoformat(),
                    parse_target(due.isoformat()),
                    (Update(when, rag, "n"),),
                )
            )
        items = build_report(actions, settings, Q3, produced=PRODUCED).exceptions
        keys = [(FLAG_ORDER.index(item.flag), item.line.id) for item in items]
        assert keys == sorted(keys)
        assert all(flag_of(item.line) == item.flag for item in items)

    def test_colour_since_is_the_start_of_the_latest_run(self) -> None:
        updates = (
            Update(date(2025, 1, 1), Rag.RED, "a"),
            Update(date(2025, 2, 1), Rag.AMBER, "b"),
            Update(date(2025, 3, 1), Rag.RED, "c"),
            Update(date(2025, 4, 1), Rag.RED, "d"),
        )
        assert colour_since(updates) == date(2025, 3, 1)
        assert colour_since(()) is None


class TestGroups:
    def test_actions_by_theme_with_their_counts(self) -> None:
        themes = {group.name: ([line.id for line in group.lines], group.counts) for group in board().themes}
        assert list(themes) == [
            "Partnership and accountability",
            "Prevention and awareness",
            "Support for victims and survivors",
        ]
        assert themes["Support for victims and survivors"][0] == [3, 5, 7]
        assert themes["Support for victims and survivors"][1][Rag.RED] == 2

    def test_no_themes_means_no_groups(self) -> None:
        plan = load_plan(FIXTURES / "reporting", today=PRODUCED)
        paper = build_report([f.action for f in plan.actions], plan.settings, Q3, produced=PRODUCED)
        assert paper.themes == ()

    def test_partners_by_colour_with_updates_received(self) -> None:
        rows = {p.code: p for p in board().partners}
        assert list(rows) == ["LBB", "Met", "Vol Sector"]
        lbb = rows["LBB"]
        assert (lbb.counts[Rag.RED], lbb.counts[Rag.AMBER], lbb.counts[Rag.GREEN], lbb.counts[Rag.BLUE]) == (2, 2, 4, 2)
        assert (lbb.overdue, lbb.set_aside) == (1, 0)
        assert lbb.returned <= lbb.asked and lbb.asked > 0


class TestMarkingAndNotices:
    def test_official_unless_restricted(self) -> None:
        assert board().marking == "OFFICIAL"
        assert board(include_restricted=True).marking == "OFFICIAL-SENSITIVE"

    def test_the_plan_words_its_own(self, tmp_path: Path, runner: CliRunner) -> None:
        plan = copy_plan(BOARD, tmp_path / "plan")
        text = (plan / "plan.yaml").read_text()
        (plan / "plan.yaml").write_text(
            text + f"\nmarking:\n  public: {PUBLICATION}\n  restricted: RESTRICTED\n"
            if "marking:" not in text
            else text.replace("public: OFFICIAL\n", f"public: {PUBLICATION}\n").replace(
                "restricted: OFFICIAL-SENSITIVE", "restricted: RESTRICTED"
            )
        )
        common = ["report", "--plan", str(plan), "--quarter", "2025-Q3", "--as-of", "2026-01-20"]
        out = runner.invoke(app, [*common, "--format", "md"])
        assert out.exit_code == 0, out.output
        assert out.stdout.startswith(f"**{PUBLICATION}**") and out.stdout.rstrip().endswith(f"**{PUBLICATION}**")
        restricted = runner.invoke(app, [*common, "--format", "html", "--include-restricted"])
        assert '<p class="marking restricted" role="note">RESTRICTED' in restricted.stdout

    def test_a_marking_too_long_is_a_check_error(self, tmp_path: Path, runner: CliRunner) -> None:
        plan = copy_plan(BOARD, tmp_path / "plan")
        text = (plan / "plan.yaml").read_text()
        long = "X" * 61
        (plan / "plan.yaml").write_text(text.replace("public: OFFICIAL\n", f"public: {long}\n"))
        result = runner.invoke(app, ["check", "--plan", str(plan), "--as-of", "2026-01-20"])
        assert result.exit_code == 1 and "plan.yaml:" in result.stdout and "60" in result.stdout

    @pytest.mark.parametrize("fmt", ["md", "html"])
    def test_the_example_plan_says_so(self, runner: CliRunner, fmt: str) -> None:
        result = runner.invoke(
            app,
            ["report", "--plan", str(BUNDLED_PLAN), "--quarter", "2025-Q3", "--as-of", "2026-01-20", "--format", fmt],
        )
        assert result.exit_code == 0
        text = result.stdout
        assert "Example plan." in text and "No progress recorded yet." in text
        assert text.index("Example plan.") < text.index("For decision")

    def test_a_real_plan_does_not(self, runner: CliRunner) -> None:
        result = runner.invoke(app, ["report", "--plan", str(BOARD), "--quarter", "2025-Q3", "--as-of", "2026-01-20"])
        assert "Example plan." not in result.stdout and "No progress recorded yet." not in result.stdout


class TestCssString:
    @given(st.text(max_size=80))
    def test_plan_text_cannot_leave_its_css_string(self, text: str) -> None:
        quoted = str(css_string(text))
        inner = quoted[1:-1]
        assert quoted[0] == quoted[-1] == '"'
        assert not any(c in inner for c in "\"'<>;{}\n\r") and "/" not in inner


class TestHostilePlanText:
    def test_a_bidi_override_or_control_character_is_shown_as_its_escape(self, tmp_path: Path) -> None:
        plan = copy_plan(BOARD, tmp_path / "plan")
        path = next((plan / "actions").glob("03-*.yaml"))
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\ntitle: ", '\ntitle: "\\u202eevil\\x07" #', 1), encoding="utf-8")
        for fmt in ("md", "html"):
            result = CliRunner().invoke(
                app, ["report", "--plan", str(plan), "--quarter", "2025-Q3", "--as-of", "2026-01-20", "--format", fmt]
            )
            assert result.exit_code == 0, result.output
            assert "\u202e" not in result.stdout and "\x07" not in result.stdout
            assert "\\u202eevil\\x07" in result.stdout

    def test_every_action_set_aside_is_said_so(self) -> None:
        from vawg_cli.model.records import Lifecycle, LifecycleChange

        settings = PlanSettings("P", date(2025, 4, 1), date(2027, 3, 31), {"A": "A"})
        gone = LifecycleChange(date(2025, 5, 1), Lifecycle.WITHDRAWN, "Merged")
        actions = [Action(n, f"A{n}", ("A",), "Mar-27", parse_target("Mar-27"), lifecycle=(gone,)) for n in (1, 2, 3)]
        paper = build_report(actions, settings, Q3, produced=PRODUCED)
        assert paper.headline == "None of the plan's 3 actions is going ahead: 3 withdrawn."
