"""An action's life beyond RAG: `vawg hold`, `withdraw` and `resume`, and what they mean everywhere."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BUNDLED_PLAN
from vawg_cli.cli import app
from vawg_cli.cli import options as cli
from vawg_cli.plan.loading import check_plan

TODAY = date(2025, 9, 15)
ACTION_3 = "actions/03-referral-processes.yaml"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "today", lambda: TODAY)


def run(runner: CliRunner, plan: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--plan", str(plan)])
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(runner: CliRunner, plan: Path, *args: str) -> str:
    """The command fails with exit 1 and leaves every file of the plan as it was; its message."""
    before = {p: p.read_bytes() for p in plan.rglob("*") if p.is_file()}
    result = runner.invoke(app, [*args, "--plan", str(plan)])
    assert result.exit_code == 1, result.output
    assert {p: p.read_bytes() for p in plan.rglob("*") if p.is_file()} == before
    return " ".join(result.output.split())


WITHDRAWN_3 = (
    "target: Apr-25\nlifecycle:\n  - date: 2025-06-01\n    state: withdrawn\n"
    '    reason: "Merged: see action 4"\n    superseded_by: 4\n'
)


class TestCommands:
    def test_withdraw_records_the_change_and_keeps_every_other_byte(
        self, runner: CliRunner, bundled_copy: Path
    ) -> None:
        path = bundled_copy / ACTION_3
        before = path.read_text()
        out = run(
            runner,
            bundled_copy,
            "withdraw",
            "3",
            "--reason",
            "Merged: see action 4",
            "--superseded-by",
            "4",
            "--date",
            "2025-06-01",
        )
        assert "Withdrew action 3" in out
        assert path.read_text() == before.replace("target: Apr-25\n", WITHDRAWN_3)
        assert runner.invoke(app, ["check", "--plan", str(bundled_copy)]).exit_code == 0

    def test_hold_then_resume_appends_in_order(self, runner: CliRunner, bundled_copy: Path) -> None:
        path = bundled_copy / ACTION_3
        before = path.read_text()
        run(runner, bundled_copy, "hold", "3", "--reason", "Waiting for funding", "--date", "2025-05-01")
        run(runner, bundled_copy, "resume", "3", "--reason", "Funding agreed")
        added = (
            "target: Apr-25\nlifecycle:\n  - date: 2025-05-01\n    state: on hold\n    reason: Waiting for funding\n"
            f"  - date: {TODAY}\n    state: active\n    reason: Funding agreed\n"
        )
        assert path.read_text() == before.replace("target: Apr-25\n", added)
        checked = check_plan(bundled_copy, today=TODAY)
        assert checked.plan is not None and checked.errors == 0
        action = next(f.action for f in checked.plan.actions if f.action.id == 3)
        assert action.state.value == "active" and len(action.lifecycle) == 2

    def test_goes_after_the_target_history(self, runner: CliRunner, bundled_copy: Path) -> None:
        path = bundled_copy / ACTION_3
        run(runner, bundled_copy, "retarget", "3", "--target", "Oct-25", "--reason", "Later", "--date", "2025-04-01")
        before = path.read_text()
        run(runner, bundled_copy, "hold", "3", "--reason", "Paused", "--date", "2025-05-01")
        entry = "lifecycle:\n  - date: 2025-05-01\n    state: on hold\n    reason: Paused\n"
        assert path.read_text() == before.replace("updates: []\n", entry + "updates: []\n")

    def test_a_hand_written_flow_list_keeps_its_style(self, runner: CliRunner, bundled_copy: Path) -> None:
        path = bundled_copy / ACTION_3
        flow = "lifecycle: [{date: 2025-05-01, state: On hold, reason: Paused}]  # by hand\n"
        before = path.read_text().replace("updates: []\n", flow + "updates: []\n")
        path.write_text(before)
        run(runner, bundled_copy, "resume", "3", "--reason", "Back: again", "--date", "2025-06-01")
        added = ', {date: 2025-06-01, state: active, reason: "Back: again"}]  # by hand'
        assert path.read_text() == before.replace("]  # by hand", added)

    def test_dry_run_shows_the_diff_and_writes_nothing(self, runner: CliRunner, bundled_copy: Path) -> None:
        before = (bundled_copy / ACTION_3).read_bytes()
        out = run(runner, bundled_copy, "hold", "3", "--reason", "Paused", "--dry-run")
        assert "+    state: on hold\n" in out
        assert (bundled_copy / ACTION_3).read_bytes() == before

    @pytest.mark.parametrize(
        ("first", "args", "words"),
        [
            ((), ("resume", "3", "--reason", "x"), "cannot resume action 3: it is active already"),
            (("hold", "3", "--reason", "x"), ("hold", "3", "--reason", "y"), "already on hold (since 2025-09-15)"),
            (
                ("withdraw", "3", "--reason", "x", "--date", "2025-06-01"),
                ("withdraw", "3", "--reason", "y"),
                "already withdrawn (since 2025-06-01)",
            ),
            (
                ("hold", "3", "--reason", "x", "--date", "2025-06-01"),
                ("resume", "3", "--reason", "y", "--date", "2025-05-01"),
                "the last lifecycle change is dated 2025-06-01, after 2025-05-01",
            ),
            ((), ("hold", "3", "--reason", "x", "--date", "2025-09-16"), "in the future (today is 2025-09-15)"),
            ((), ("withdraw", "3", "--reason", "x", "--superseded-by", "99"), "superseded_by 99 names no action"),
            ((), ("withdraw", "3", "--reason", "x", "--superseded-by", "3"), "cannot be superseded by itself"),
            ((), ("hold", "42", "--reason", "x"), "there is no action 42"),
        ],
    )
    def test_refused_and_nothing_changes(
        self, runner: CliRunner, bundled_copy: Path, first: tuple[str, ...], args: tuple[str, ...], words: str
    ) -> None:
        if first:
            run(runner, bundled_copy, *first)
        message = refused(runner, bundled_copy, *args)
        assert words in message
        assert "nothing was changed" in message or "there is no action" in message

    def test_a_blank_reason_is_a_usage_error(self, runner: CliRunner, bundled_copy: Path) -> None:
        result = runner.invoke(app, ["hold", "3", "--reason", "  ", "--plan", str(bundled_copy)])
        assert result.exit_code == 2
        assert "say why" in result.output


def _action_file(plan: Path, lifecycle: str) -> Path:
    path = plan / ACTION_3
    path.write_text(path.read_text().replace("updates: []\n", lifecycle + "updates: []\n"))
    return path


class TestCheckRules:
    @pytest.mark.parametrize(
        ("lifecycle", "words"),
        [
            (
                "lifecycle:\n  - {date: 2025-06-01, state: on hold, reason: a}\n"
                "  - {date: 2025-05-01, state: active, reason: b}\n",
                "lifecycle change 2 (2025-05-01) is dated before change 1 (2025-06-01)",
            ),
            (
                "lifecycle:\n  - {date: 2025-05-01, state: on hold, reason: a}\n"
                "  - {date: 2025-06-01, state: on hold, reason: b}\n",
                "lifecycle change 2 makes the action on hold, but it is on hold already",
            ),
            (
                "lifecycle:\n  - {date: 2025-05-01, state: active, reason: a}\n",
                "lifecycle change 1 makes the action active, but it is active already",
            ),
            (
                "lifecycle:\n  - {date: 2025-05-01, state: on hold, reason: a, superseded_by: 4}\n",
                "only a withdrawn action is superseded",
            ),
            (
                "lifecycle:\n  - {date: 2025-05-01, state: withdrawn, reason: a, superseded_by: 3}\n",
                "action 3 cannot be superseded by itself",
            ),
            (
                "lifecycle:\n  - {date: 2025-05-01, state: withdrawn, reason: a, superseded_by: 77}\n",
                "superseded_by 77 names no action",
            ),
            (
                "lifecycle:\n  - {date: 2025-10-01, state: withdrawn, reason: a}\n",
                "lifecycle change 1 is dated 2025-10-01, in the future (today is 2025-09-15)",
            ),
            ("lifecycle:\n  - {date: 2025-05-01, state: paused, reason: a}\n", "lifecycle change 1"),
        ],
    )
    def test_errors(self, runner: CliRunner, bundled_copy: Path, lifecycle: str, words: str) -> None:
        _action_file(bundled_copy, lifecycle)
        result = runner.invoke(app, ["check", "--plan", str(bundled_copy)])
        assert result.exit_code == 1, result.output
        assert "03-referral-processes.yaml:" in result.output
        assert words in " ".join(result.output.split())

    def test_hand_written_state_words_are_read(self, runner: CliRunner, bundled_copy: Path) -> None:
        _action_file(
            bundled_copy,
            "lifecycle:\n  - date: 2025-05-01\n    state: On Hold\n    reason: Paused\n"
            "  - date: 2025-06-01\n    state: Withdrawn\n    reason: Stopped\n    superseded_by: 4\n",
        )
        result = runner.invoke(app, ["check", "--plan", str(bundled_copy)])
        assert result.exit_code == 0, result.output


def _status(runner: CliRunner, plan: Path, *args: str) -> list[dict[str, object]]:
    import json

    data: list[dict[str, object]] = json.loads(run(runner, plan, "status", "--format", "json", *args))
    return data


def _by_id(rows: list[dict[str, object]], number: int) -> dict[str, object]:
    return next(row for row in rows if row["id"] == number)


class TestStatus:
    def test_withdrawn_is_not_overdue_and_counted_apart(self, runner: CliRunner, bundled_copy: Path) -> None:
        assert _by_id(_status(runner, bundled_copy), 3)["overdue"] is True
        run(runner, bundled_copy, "withdraw", "3", "--reason", "Merged", "--superseded-by", "4", "--date", "2025-06-01")
        run(runner, bundled_copy, "hold", "5", "--reason", "Paused", "--date", "2025-07-01")
        row = _by_id(_status(runner, bundled_copy), 3)
        assert (row["overdue"], row["due_soon"], row["due"]) == (False, False, None)
        assert (row["state"], row["lifecycle"], row["superseded_by"]) == ("withdrawn since Jun 2025", "withdrawn", 4)
        held = _by_id(_status(runner, bundled_copy), 5)
        assert (held["state"], held["lifecycle"], held["overdue"]) == ("on hold since Jul 2025", "on hold", False)
        lines = run(runner, bundled_copy, "status").splitlines()
        assert lines[1].endswith(", 1 withdrawn, 1 on hold")
        assert [line.split()[0] for line in lines[-2:]] == ["3", "5"]  # set aside: last, by the day of the change

    def test_as_of_before_the_change_shows_it_as_it_was(self, runner: CliRunner, bundled_copy: Path) -> None:
        run(runner, bundled_copy, "withdraw", "3", "--reason", "Merged", "--date", "2025-06-01")
        row = _by_id(_status(runner, bundled_copy, "--as-of", "2025-05-15"), 3)
        assert (row["overdue"], row["lifecycle"], row["superseded_by"]) == (True, "active", None)
        assert "withdrawn" not in run(runner, bundled_copy, "status", "--as-of", "2025-05-15").splitlines()[1]

    def test_resumed_is_due_again(self, runner: CliRunner, bundled_copy: Path) -> None:
        run(runner, bundled_copy, "hold", "3", "--reason", "Paused", "--date", "2025-06-01")
        run(runner, bundled_copy, "resume", "3", "--reason", "Funding agreed")
        row = _by_id(_status(runner, bundled_copy), 3)
        assert (row["overdue"], row["lifecycle"], row["state"]) == (True, "active", "overdue 138 days")


class TestPaper:
    def _paper(self, runner: CliRunner, plan: Path, quarter: str) -> str:
        return run(runner, plan, "report", "--quarter", quarter)

    def test_set_aside_is_counted_apart_and_never_an_exception(self, runner: CliRunner, bundled_copy: Path) -> None:
        run(runner, bundled_copy, "withdraw", "5", "--reason", "Merged", "--superseded-by", "6", "--date", "2025-06-01")
        run(runner, bundled_copy, "withdraw", "3", "--reason", "Done by others", "--date", "2025-06-01")
        run(runner, bundled_copy, "hold", "10", "--reason", "Board paused it", "--date", "2025-07-01")
        paper = self._paper(runner, bundled_copy, "2025-Q2")
        summary = paper.split("## Summary")[1].split("## For decision")[0]
        assert " · 2 withdrawn (±0) · 1 on hold (+1)" in summary
        assert "; 2 withdrawn; 1 on hold." in summary  # in the sentence for the chair too
        assert "Actions withdrawn or on hold are not counted in the colours" in summary
        assert "| 🔘 Grey | 7 | -1 |" in summary  # the colours count only the actions still going ahead
        decisions = paper.split("## For decision")[1].split("## Targets")[0]
        assert not any(line.startswith(("### 3.", "### 5.", "### 10.")) for line in decisions.splitlines())
        assert "| 10 |" not in paper.split("## Due next quarter")[1].split("## All actions")[0]
        everything = paper.split("## All actions")[1].split("## By partner")[0].replace("\u00a0", " ")
        assert "; **Withdrawn (1 Jun 2025): Merged; superseded by 6** |" in everything
        assert "; **On hold (1 Jul 2025): Board paused it** |" in everything

    def test_a_paper_for_a_quarter_before_the_change_is_unchanged(self, runner: CliRunner, bundled_copy: Path) -> None:
        before = self._paper(runner, bundled_copy, "2024-Q4")
        run(runner, bundled_copy, "withdraw", "5", "--reason", "Merged", "--date", "2025-06-01")
        assert self._paper(runner, bundled_copy, "2024-Q4") == before

    def test_html_shows_the_state(self, runner: CliRunner, bundled_copy: Path, tmp_path: Path) -> None:
        run(runner, bundled_copy, "withdraw", "5", "--reason", "Merged", "--superseded-by", "6", "--date", "2025-06-01")
        out = tmp_path / "q2.html"
        run(runner, bundled_copy, "report", "--quarter", "2025-Q2", "-o", str(out))
        html = out.read_text()
        assert "<li><strong>1</strong> withdrawn" in html
        assert '<strong>Withdrawn</strong> <span class="when">(1 Jun 2025)</span>: Merged; superseded by 6' in html


class TestExport:
    def test_json_csv_and_ics(self, runner: CliRunner, bundled_copy: Path) -> None:
        import csv
        import io
        import json

        from icalendar import Calendar

        run(runner, bundled_copy, "withdraw", "3", "--reason", "Merged", "--superseded-by", "4", "--date", "2025-06-01")
        run(runner, bundled_copy, "hold", "5", "--reason", "Paused", "--date", "2025-07-01")
        document = json.loads(run(runner, bundled_copy, "export", "--format", "json"))
        action = next(a for a in document["actions"] if a["id"] == 3)
        assert action["lifecycle"] == [
            {"date": "2025-06-01", "state": "withdrawn", "reason": "Merged", "superseded_by": 4}
        ]
        assert (action["derived"]["lifecycle"], action["derived"]["superseded_by"]) == ("withdrawn", 4)
        assert action["derived"]["overdue"] is False

        result = runner.invoke(app, ["export", "--format", "csv", "--plan", str(bundled_copy)])
        rows = {row["ID"]: row for row in csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig")))}
        assert (rows["3"]["Lifecycle"], rows["5"]["Lifecycle"], rows["6"]["Lifecycle"]) == (
            "withdrawn",
            "on hold",
            "active",
        )

        result = runner.invoke(app, ["export", "--format", "ics", "--plan", str(bundled_copy)])
        summaries = [str(e["summary"]) for e in Calendar.from_ical(result.stdout_bytes).walk("VEVENT")]
        assert not any(s.startswith(("VAWG action 3 ", "VAWG action 5 ")) for s in summaries)
        assert any(s.startswith("VAWG action 6 ") for s in summaries)
        # Before the change the action was going ahead: its deadline is in the calendar of that day.
        result = runner.invoke(app, ["export", "--format", "ics", "--as-of", "2025-05-01", "--plan", str(bundled_copy)])
        assert "VAWG action 3 due" in result.stdout


def test_an_unknown_state_is_named_as_a_lifecycle_state_not_a_colour() -> None:
    from vawg_cli.model.records import Action
    from vawg_cli.plan.parsing import parse_plan_file

    raw = b"id: 5\ntitle: T\nleads: [LBB]\ntarget: Apr-25\nlifecycle: [{date: 2025-06-01, state: paused, reason: r}]\n"
    _, problems = parse_plan_file(raw, Action)
    assert [message for *_, message in problems] == [
        "lifecycle change 1: 'paused' is not a lifecycle state; use one of active, on hold, withdrawn"
    ]


def test_successors_that_are_set_aside_and_refs_used_twice_are_warnings(tmp_path: Path) -> None:
    from datetime import date

    from vawg_cli.cli import app as cli_app
    from vawg_cli.edit.lifecycle import change_lifecycle
    from vawg_cli.model.records import Lifecycle

    plan = tmp_path / "plan"
    shutil.copytree(BUNDLED_PLAN, plan)
    for number, other, day in ((4, 5, date(2025, 6, 1)), (5, 4, date(2025, 6, 2))):
        change_lifecycle(
            plan, number, Lifecycle.WITHDRAWN, reason="merged", superseded_by=other, on=day,
            today=date(2026, 1, 1), cache_dir=None,
        )  # fmt: skip
    for name in ("01-update-strategy.yaml", "02-raise-awareness.yaml"):
        path = plan / "actions" / name
        path.write_text(path.read_text().replace("\ntitle:", '\nref: "1.1"\ntitle:', 1))
    result = CliRunner().invoke(cli_app, ["check", "--plan", str(plan), "--as-of", "2026-01-01"])
    assert result.exit_code == 0, result.output  # warnings
    assert "warning: ref '1.1' is also the ref of action 1" in result.output
    assert "warning: action 5, which takes this one's place, is withdrawn too" in result.output
    assert "warning: action 4, which takes this one's place, is withdrawn too" in result.output


def test_a_lifecycle_change_before_the_action_was_in_the_plan_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    shutil.copytree(BUNDLED_PLAN, plan)
    before = (plan / "actions" / "06-working-group.yaml").read_bytes()
    args = ["hold", "6", "--reason", "x", "--date", "1900-01-01", "--plan", str(plan)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "lifecycle change 1 is dated 1900-01-01, before the action was in the plan (2024-04-01)" in result.output
    assert (plan / "actions" / "06-working-group.yaml").read_bytes() == before
