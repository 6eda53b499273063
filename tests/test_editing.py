"""Writing to the plan: exact bytes kept, invalid changes refused, crashes and races survived."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vawg_cli.cli import app
from vawg_cli.cli import options as cli
from vawg_cli.edit import yaml_splice as yaml_edit
from vawg_cli.plan.loading import check_plan

# "Today" for every command these tests run: edits are checked against it (no update after
# today), so the tests must not depend on the real date.
TODAY = date(2025, 9, 15)
ACTION_3 = "actions/03-referral-processes.yaml"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "today", lambda: TODAY)


def edit(runner: CliRunner, plan: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--plan", str(plan)])
    assert result.exit_code == 0, result.output
    return result.stdout


TORTURE = """\
# Action 3 \u2014 a file with character: comments, odd spacing, quotes.
id: 3   # never change this
title: "Referral processes, clearly defined"
leads: [LBB, Met]     # a flow list

target: Apr-25
updates:
  # the first entry
  - date: 2024-06-01
    rag: green
    note: >
      Folded note
      over two lines

  - {date: 2024-09-01, rag: amber, note: 'single quoted'}   # trailing comment
# a comment at the very end
"""


class TestUpdateKeepsEveryOtherByte:
    def test_done_when_one_update_on_the_bundled_plan(self, runner: CliRunner, bundled_copy: Path) -> None:
        path = bundled_copy / ACTION_3
        before = path.read_text()
        edit(runner, bundled_copy, "update", "3", "--rag", "amber", "--note", "Referral pathway drafted")
        expected = before.replace(
            "updates: []\n", f"updates:\n  - date: {TODAY}\n    rag: amber\n    note: Referral pathway drafted\n"
        )
        assert path.read_text() == expected
        assert runner.invoke(app, ["check", "--plan", str(bundled_copy)]).exit_code == 0

    def test_comments_and_unusual_formatting(self, runner: CliRunner, bundled_copy: Path) -> None:
        path = bundled_copy / ACTION_3
        path.write_text(TORTURE)
        edit(runner, bundled_copy, "update", "3", "--rag", "green", "--note", "Back on track: yes #1", "--by", "Met")
        added = f'  - {{date: {TODAY}, rag: green, note: "Back on track: yes #1", by: Met}}\n'
        marker = "# trailing comment\n"
        assert path.read_text() == TORTURE.replace(marker, marker + added)

    def test_block_items_follow_the_file_own_indentation(self, runner: CliRunner, bundled_copy: Path) -> None:
        path = bundled_copy / ACTION_3
        text = (
            "id: 3\ntitle: T\nleads: [LBB]\ntarget: Apr-25\n"
            "updates:\n-   date: 2024-06-01\n    rag: green\n    note: x\n"
        )
        path.write_text(text)
        edit(runner, bundled_copy, "update", "3", "--rag", "amber", "--note", "y", "--restricted")
        assert path.read_text() == text + f"-   date: {TODAY}\n    rag: amber\n    note: y\n    restricted: true\n"

    def test_windows_file_keeps_its_bom_and_crlf(self, runner: CliRunner, bundled_copy: Path) -> None:
        path = bundled_copy / ACTION_3
        text = (
            "id: 3\r\ntitle: T\r\nleads: [LBB]\r\ntarget: Apr-25\r\n"
            "updates:\r\n  - {date: 2024-06-01, rag: green, note: x}\r\n"
        )
        path.write_bytes(b"\xef\xbb\xbf" + text.encode())
        edit(runner, bundled_copy, "update", "3", "--rag", "amber", "--note", "y")
        added = f"  - {{date: {TODAY}, rag: amber, note: y}}\r\n"
        assert path.read_bytes() == b"\xef\xbb\xbf" + (text + added).encode()

    @pytest.mark.parametrize(
        ("layout", "expected_tail"),
        [
            ("updates: []   # none yet\n", "updates:   # none yet\n  - date: {d}\n    rag: red\n    note: Stalled\n"),
            ("updates:\n", "updates:\n  - date: {d}\n    rag: red\n    note: Stalled\n"),
            ("", "updates:\n  - date: {d}\n    rag: red\n    note: Stalled\n"),
        ],
        ids=["empty flow list", "empty key", "no key"],
    )
    def test_starting_the_list(self, runner: CliRunner, bundled_copy: Path, layout: str, expected_tail: str) -> None:
        path = bundled_copy / ACTION_3
        head = "id: 3\ntitle: T\nleads: [LBB]\ntarget: Apr-25\n"
        path.write_text(head + layout)
        edit(runner, bundled_copy, "update", "3", "--rag", "red", "--note", "Stalled")
        assert path.read_text() == head + expected_tail.format(d=TODAY)

    @pytest.mark.parametrize(
        ("value", "written"),
        [
            ("Plain words", "Plain words"),
            ("yes", '"yes"'),
            ("2025-01-01", '"2025-01-01"'),
            ("a: b", '"a: b"'),
            ('say "hi"', 'say "hi"'),
            ('"quoted"', '"\\"quoted\\""'),
            ("- dash", '"- dash"'),
            ("caf\u00e9 \u2013 ok", "caf\u00e9 \u2013 ok"),
        ],
    )
    def test_scalars_read_back_as_written(self, value: str, written: str) -> None:
        import yaml

        assert yaml_edit.scalar(value) == written
        assert yaml.safe_load(f"k: {written}")["k"] == value


class TestRefusals:
    @pytest.mark.parametrize(
        ("args", "words"),
        [
            (["update", "3", "--rag", "amber", "--note", "x", "--date", "2099-01-01"], "in the future"),
            (["retarget", "3", "--target", "soon", "--reason", "r"], "target 'soon' is not a date"),
            (["new", "--title", "T", "--lead", "Mett", "--target", "Apr-26"], "unknown partner 'Mett'"),
        ],
    )
    def test_refused_and_nothing_changes(
        self, runner: CliRunner, bundled_copy: Path, args: list[str], words: str
    ) -> None:
        files = sorted((bundled_copy / "actions").iterdir())
        before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
        result = runner.invoke(app, [*args, "--plan", str(bundled_copy)])
        assert result.exit_code == 1
        assert words in result.stderr
        assert "nothing was changed" in result.stderr
        assert "Traceback" not in result.output
        assert sorted((bundled_copy / "actions").iterdir()) == files
        assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == before

    def test_a_blank_note_is_a_usage_error_that_says_what_to_write(self, runner: CliRunner, bundled_copy: Path) -> None:
        before = {p: p.read_bytes() for p in (bundled_copy / "actions").iterdir()}
        result = runner.invoke(app, ["update", "3", "--rag", "amber", "--note", "   ", "--plan", str(bundled_copy)])
        assert result.exit_code == 2
        assert "Invalid value for --note: is empty; write what happened, in a sentence or two" in result.stderr
        assert {p: p.read_bytes() for p in (bundled_copy / "actions").iterdir()} == before

    def test_unknown_action(self, runner: CliRunner, bundled_copy: Path) -> None:
        result = runner.invoke(app, ["update", "42", "--rag", "red", "--note", "x", "--plan", str(bundled_copy)])
        assert result.exit_code == 1
        assert "there is no action 42; the actions are: 1, 2, 3" in result.stderr

    def test_the_bundled_plan_is_never_written(
        self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        result = runner.invoke(app, ["update", "3", "--rag", "red", "--note", "x"])
        assert result.exit_code == 1
        assert "the bundled plan is not to be changed" in result.stderr


class TestDryRun:
    def test_prints_the_diff_and_writes_nothing(self, runner: CliRunner, bundled_copy: Path) -> None:
        before = (bundled_copy / ACTION_3).read_bytes()
        out = edit(runner, bundled_copy, "update", "3", "--rag", "amber", "--note", "Drafted", "--dry-run")
        assert out.startswith("--- a/plan/actions/03-referral-processes.yaml\n+++ b/plan/actions/03-referral")
        assert "-updates: []\n+updates:\n+  - date: " in out and "+    note: Drafted\n" in out
        assert (bundled_copy / ACTION_3).read_bytes() == before

    def test_new_dry_run_creates_no_file(self, runner: CliRunner, bundled_copy: Path) -> None:
        out = edit(
            runner, bundled_copy, "new", "--title", "Train staff", "--lead", "LBB", "--target", "Mar-26", "--dry-run"
        )
        assert "+++ b/plan/actions/11-train-staff.yaml" in out and "+id: 11\n" in out
        assert not (bundled_copy / "actions" / "11-train-staff.yaml").exists()


class TestNewAndRetarget:
    def test_new_takes_the_next_number_and_a_name_from_the_title(self, runner: CliRunner, bundled_copy: Path) -> None:
        edit(
            runner,
            bundled_copy,
            "new",
            "--title",
            "To train licensing staff in VAWG awareness!",
            "--lead",
            "LBB",
            "--lead",
            "Vol Sector",
            "--target",
            "Mar-26",
            "--date",
            "2025-06-30",
        )
        path = bundled_copy / "actions" / "11-train-licensing-staff-in-vawg.yaml"
        text = path.read_text()
        assert "id: 11\ntitle: To train licensing staff in VAWG awareness!\n" in text
        assert "leads:\n  - LBB\n  - Vol Sector\ntarget: Mar-26\nadded: 2025-06-30\nupdates: []\n" in text
        assert (
            text.startswith("# yaml-language-server: $schema=../schema/action.schema.json\n")
            == (bundled_copy / "schema" / "action.schema.json").is_file()
        )
        assert runner.invoke(app, ["check", "--plan", str(bundled_copy)]).exit_code == 0

    def test_retarget_records_the_change(self, runner: CliRunner, bundled_copy: Path) -> None:
        path = bundled_copy / ACTION_3
        before = path.read_text()
        edit(
            runner,
            bundled_copy,
            "retarget",
            "3",
            "--target",
            "Oct-25",
            "--reason",
            "Legal review: longer",
            "--approved-by",
            "BCSP board",
            "--date",
            "2025-04-20",
        )
        history = (
            "target: Oct-25\ntarget_history:\n  - date: 2025-04-20\n    from: Apr-25\n    to: Oct-25\n"
            '    reason: "Legal review: longer"\n    approved_by: BCSP board\n'
        )
        assert path.read_text() == before.replace("target: Apr-25\n", history)
        plan = check_plan(bundled_copy, today=TODAY)
        assert plan.plan is not None
        action = next(f.action for f in plan.plan.actions if f.action.id == 3)
        assert (action.target, action.original_target) == ("Oct-25", "Apr-25")
        edit(runner, bundled_copy, "retarget", "3", "--target", "Dec-25", "--reason", "Again", "--date", "2025-09-01")
        assert path.read_text().count("  - date: ") == 2
        assert "    from: Oct-25\n    to: Dec-25\n" in path.read_text()


class TestCrashesAndRaces:
    def test_a_crash_before_the_rename_leaves_the_file_whole(
        self, runner: CliRunner, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        before = (bundled_copy / ACTION_3).read_bytes()

        def crash(src: str, dst: str) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "replace", crash)
        result = runner.invoke(app, ["update", "3", "--rag", "red", "--note", "x", "--plan", str(bundled_copy)])
        assert result.exit_code == 1
        assert "No space left on device" in result.stderr
        assert (bundled_copy / ACTION_3).read_bytes() == before
        assert not [p for p in (bundled_copy / "actions").iterdir() if p.name.startswith(".")]

    def test_twenty_updates_at_once_all_land(self, bundled_copy: Path, tmp_path: Path) -> None:
        env = {**os.environ, "VAWG_CACHE_DIR": str(tmp_path / "cache")}
        processes = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "vawg_cli",
                    "update",
                    "3",
                    "--rag",
                    "amber",
                    "--note",
                    f"Note {n}",
                    "--date",  # the real clock runs these; a fixed past date keeps the check independent of it
                    "2025-09-01",
                    "--plan",
                    str(bundled_copy),
                ],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for n in range(20)
        ]
        outcomes = [(p.wait(timeout=120), p.stderr.read() if p.stderr else b"") for p in processes]
        assert all(code == 0 for code, _ in outcomes), outcomes
        checked = check_plan(bundled_copy, today=TODAY)
        assert checked.errors == 0
        assert checked.plan is not None
        action = next(f.action for f in checked.plan.actions if f.action.id == 3)
        assert sorted(u.note for u in action.updates) == sorted(f"Note {n}" for n in range(20))


class TestReviewedLayouts:
    """Inputs a review found: each once ended in a traceback or a misleading refusal."""

    def test_a_tab_before_a_comment(self, runner: CliRunner, bundled_copy: Path) -> None:
        path = bundled_copy / ACTION_3
        path.write_text(path.read_text().replace("target: Apr-25\n", "target: Apr-25\t# agreed\n"))
        edit(runner, bundled_copy, "update", "3", "--rag", "green", "--note", "x")
        assert "target: Apr-25\t# agreed\n" in path.read_text()

    @pytest.mark.parametrize("null", ["~", "null  # none yet"])
    def test_an_explicit_null_list(self, runner: CliRunner, bundled_copy: Path, null: str) -> None:
        path = bundled_copy / ACTION_3
        path.write_text("id: 3\ntitle: T\nleads: [LBB]\ntarget: Apr-25\nupdates: " + null + "\n")
        edit(runner, bundled_copy, "update", "3", "--rag", "red", "--note", "Stalled")
        comment = "  # none yet" if "#" in null else ""
        expected = f"updates:{comment}\n  - date: {TODAY}\n    rag: red\n    note: Stalled\n"
        assert path.read_text() == "id: 3\ntitle: T\nleads: [LBB]\ntarget: Apr-25\n" + expected

    def test_an_anchored_target_is_refused_in_one_line(self, runner: CliRunner, bundled_copy: Path) -> None:
        path = bundled_copy / ACTION_3
        path.write_text("id: 3\ntitle: T\nleads: [LBB]\ntarget: &t Apr-25\nnotes: *t\n")
        before = path.read_bytes()
        result = runner.invoke(
            app, ["retarget", "3", "--target", "Oct-25", "--reason", "r", "--plan", str(bundled_copy)]
        )
        assert result.exit_code == 1
        assert "carries a YAML anchor or tag; change it by hand" in result.stderr
        assert "Traceback" not in result.output and path.read_bytes() == before

    def test_retarget_to_the_same_target_is_refused(self, runner: CliRunner, bundled_copy: Path) -> None:
        result = runner.invoke(
            app, ["retarget", "3", "--target", "Apr-25", "--reason", "r", "--plan", str(bundled_copy)]
        )
        assert result.exit_code == 1 and "the target is already 'Apr-25'" in result.stderr

    def test_text_that_is_not_utf8_is_a_usage_error(self, runner: CliRunner, bundled_copy: Path) -> None:
        before = (bundled_copy / ACTION_3).read_bytes()
        result = runner.invoke(
            app, ["update", "3", "--rag", "red", "--note", "bad \udcff", "--plan", str(bundled_copy)]
        )
        assert result.exit_code == 2
        assert "not UTF-8 text" in result.output
        assert (bundled_copy / ACTION_3).read_bytes() == before

    def test_line_separators_in_a_note_are_escaped(self, runner: CliRunner, bundled_copy: Path) -> None:
        edit(runner, bundled_copy, "update", "3", "--rag", "red", "--note", "one\u2028two\x85three")
        text = (bundled_copy / ACTION_3).read_text()
        assert 'note: "one\\u2028two\\x85three"\n' in text
        plan = check_plan(bundled_copy, today=TODAY)
        assert plan.plan is not None
        action = next(f.action for f in plan.plan.actions if f.action.id == 3)
        assert action.updates[-1].note == "one\u2028two\x85three"

    def test_a_blank_by_is_left_out(self, runner: CliRunner, bundled_copy: Path) -> None:
        edit(runner, bundled_copy, "update", "3", "--rag", "red", "--note", "x", "--by", "  ")
        assert "by:" not in (bundled_copy / ACTION_3).read_text()

    def test_a_symlinked_action_file_is_written_through(self, runner: CliRunner, bundled_copy: Path) -> None:
        # Inside the plan folder: a link leaving it is not read at all (see test_hostile_plans.py).
        link = bundled_copy / ACTION_3
        (bundled_copy / "shared").mkdir()
        real = bundled_copy / "shared" / "03.yaml"
        link.rename(real)
        link.symlink_to(real)
        edit(runner, bundled_copy, "update", "3", "--rag", "red", "--note", "Through the link")
        assert link.is_symlink()
        assert "note: Through the link" in real.read_text()

    def test_new_makes_the_actions_folder(self, runner: CliRunner, bundled_copy: Path) -> None:
        import shutil

        shutil.rmtree(bundled_copy / "actions")
        edit(runner, bundled_copy, "new", "--title", "First", "--lead", "LBB", "--target", "Mar-26")
        assert (bundled_copy / "actions" / "01-first.yaml").is_file()

    def test_a_file_system_without_locks_is_a_clear_error(
        self, runner: CliRunner, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import errno
        import fcntl

        def no_locks(fd: int, operation: int) -> None:
            raise OSError(errno.ENOLCK, "No locks available")

        monkeypatch.setattr(fcntl, "flock", no_locks)
        result = runner.invoke(app, ["update", "3", "--rag", "red", "--note", "x", "--plan", str(bundled_copy)])
        assert result.exit_code == 1
        assert "cannot lock the plan folder (No locks available)" in result.stderr


class TestDateForms:
    """Every date option takes the forms a target's date takes, and says so plainly when it cannot."""

    @pytest.mark.parametrize("written", ["2025-06-30", "30/06/2025", "30 June 2025", "30 Jun 2025", "30th June 2025"])
    def test_update_date_in_any_form(self, runner: CliRunner, bundled_copy: Path, written: str) -> None:
        edit(runner, bundled_copy, "update", "3", "--rag", "amber", "--note", "x", "--date", written)
        assert "  - date: 2025-06-30\n" in (bundled_copy / ACTION_3).read_text()

    def test_retarget_date_in_a_uk_form(self, runner: CliRunner, bundled_copy: Path) -> None:
        edit(runner, bundled_copy, "retarget", "3", "--target", "Oct-25", "--reason", "r", "--date", "1st April 2025")
        assert "target_history:\n  - date: 2025-04-01\n" in (bundled_copy / ACTION_3).read_text()

    @pytest.mark.parametrize(
        ("written", "message"),
        [
            (
                "31/13/2025",
                "Invalid value for '--date': '31/13/2025' is not a date; "
                "write it as 2025-12-31, 31/12/2025 or 31 December 2025",
            ),
            ("Apr-25", "Invalid value for '--date': 'Apr-25' is a month, not a day; write the day, such as 2025-04-30"),
            ("soon", "Invalid value for '--date': 'soon' is not a date"),
        ],
    )
    def test_a_bad_date_is_a_usage_error_in_words(
        self, runner: CliRunner, bundled_copy: Path, written: str, message: str
    ) -> None:
        before = (bundled_copy / ACTION_3).read_bytes()
        result = runner.invoke(
            app, ["update", "3", "--rag", "red", "--note", "x", "--date", written, "--plan", str(bundled_copy)]
        )
        assert result.exit_code == 2
        assert message in " ".join(result.output.split())
        assert "does not match the format" not in result.output and "Traceback" not in result.output
        assert (bundled_copy / ACTION_3).read_bytes() == before

    @pytest.mark.parametrize(
        "args",
        [
            ["status", "--as-of", "31 December 2025"],
            ["check", "--as-of", "31/12/2025"],
            ["report", "--as-of", "31 Dec 2025"],
            ["export", "--as-of", "2025-12-31"],
        ],
    )
    def test_as_of_in_any_form(self, runner: CliRunner, bundled_copy: Path, args: list[str]) -> None:
        result = runner.invoke(app, [*args, "--plan", str(bundled_copy)])
        assert result.exit_code == 0, result.output

    @pytest.mark.parametrize("option", ["--start", "--end"])
    def test_import_dates_are_checked_in_words(self, runner: CliRunner, tmp_path: Path, option: str) -> None:
        table = tmp_path / "t.csv"
        table.write_text("No.,Action,Lead,Target\n1,Do it,LBB,Apr-26\n")
        result = runner.invoke(app, ["import", str(table), "--plan", str(tmp_path / "p"), option, "2025-02-30"])
        assert result.exit_code == 2
        assert f"Invalid value for '{option}': '2025-02-30' is not a date" in " ".join(result.output.split())


HEAD_3 = "id: 3\ntitle: T\nleads: [LBB]\ntarget: Apr-25\n"


def block_update(day: str, rag: str, note: str) -> str:
    return f"  - date: {day}\n    rag: {rag}\n    note: {note}\n"


class TestLateReturns:
    """A partner's late return goes in date order; every other byte stays."""

    def test_put_before_the_first_later_update(self, runner: CliRunner, bundled_copy: Path) -> None:
        path = bundled_copy / ACTION_3
        first, later = block_update("2025-05-01", "amber", "a"), block_update("2025-07-15", "amber", "c")
        path.write_text(HEAD_3 + "updates:\n" + first + "  # July's return\n" + later)
        out = edit(runner, bundled_copy, "update", "3", "--rag", "green", "--note", "b", "--date", "2025-06-30")
        middle = block_update("2025-06-30", "green", "b")
        assert path.read_text() == HEAD_3 + "updates:\n" + first + middle + "  # July's return\n" + later
        assert out.rstrip().endswith("; it was put before the update of 2025-07-15, in date order")

    def test_same_day_goes_after_and_earliest_goes_first(self, runner: CliRunner, bundled_copy: Path) -> None:
        path = bundled_copy / ACTION_3
        only = block_update("2025-06-30", "amber", "a")
        path.write_text(HEAD_3 + "updates:   # oldest first\n  # the first return\n" + only)
        out = edit(runner, bundled_copy, "update", "3", "--rag", "green", "--note", "b", "--date", "2025-06-30")
        assert "date order" not in out
        edit(runner, bundled_copy, "update", "3", "--rag", "red", "--note", "z", "--date", "2025-01-02")
        assert path.read_text() == (
            HEAD_3
            + "updates:   # oldest first\n"
            + block_update("2025-01-02", "red", "z")
            + "  # the first return\n"
            + only
            + block_update("2025-06-30", "green", "b")
        )

    def test_into_a_flow_list(self, runner: CliRunner, bundled_copy: Path) -> None:
        path = bundled_copy / ACTION_3
        path.write_text(HEAD_3 + "updates: [{date: 2025-07-01, rag: red, note: x}]  # kept\n")
        edit(runner, bundled_copy, "update", "3", "--rag", "amber", "--note", "y", "--date", "2025-06-01")
        assert path.read_text() == HEAD_3 + (
            "updates: [{date: 2025-06-01, rag: amber, note: y}, {date: 2025-07-01, rag: red, note: x}]  # kept\n"
        )

    def test_the_proof_expects_the_update_at_its_place(
        self, runner: CliRunner, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The read-back guard: a splice that put the update anywhere else is refused."""
        path = bundled_copy / ACTION_3
        path.write_text(HEAD_3 + "updates:\n" + block_update("2025-07-15", "amber", "c"))
        before = path.read_bytes()
        monkeypatch.setattr(
            yaml_edit, "insert_item", lambda doc, key, fields, at: yaml_edit.append_item(doc, key, fields)
        )
        result = runner.invoke(
            app, ["update", "3", "--rag", "red", "--note", "x", "--date", "2025-06-01", "--plan", str(bundled_copy)]
        )
        assert result.exit_code == 1
        assert "could not be made without altering other parts of the file" in result.stderr
        assert path.read_bytes() == before

    def test_the_readme_sequence_runs_as_written(self, runner: CliRunner, tmp_path: Path) -> None:
        readme = (Path(__file__).parent.parent / "README.md").read_text()
        section = readme.split("### Changing the plan", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
        commands = [shlex.split(line, comments=True)[1:] for line in section.splitlines() if line.startswith("vawg ")]
        assert len(commands) >= 5
        plan = tmp_path / "plan"
        assert runner.invoke(app, ["init", str(plan)]).exit_code == 0
        outputs = [edit(runner, plan, *command) for command in commands]
        assert "it was put before the update of 2025-09-15, in date order" in outputs[2]
        text = (plan / ACTION_3).read_text()
        assert text.endswith(
            "target: Oct-25\ntarget_history:\n  - date: 2025-09-15\n    from: Apr-25\n    to: Oct-25\n"
            "    reason: Legal review took longer\n    approved_by: BCSP board\nupdates:\n"
            + block_update("2025-06-30", "green", "Pathway agreed")
            + block_update("2025-09-15", "amber", "Referral pathway drafted")
            + "    by: LBB\n"
        )
        assert runner.invoke(app, ["check", "--plan", str(plan), "--as-of", "2025-09-15"]).exit_code == 0


UNREADABLE_4 = "id: 4\ntitle: Data platforms\nleads: [LBB]\ntarget: Once funded   # imported\nupdates: []\n"
ACTION_4 = "actions/04-data-collection-platforms.yaml"


class TestWritesOnAPlanWithErrors:
    """A write may never add an error; the errors a plan already has do not block it."""

    def test_an_unreadable_target_is_fixed_by_retarget(self, runner: CliRunner, bundled_copy: Path) -> None:
        path = bundled_copy / ACTION_4
        path.write_text(UNREADABLE_4)
        out = edit(runner, bundled_copy, "retarget", "4", "--target", "Apr-26", "--reason", "Agreed at the board")
        assert out.startswith("Moved the target of action 4 to Apr-26 in ")
        assert path.read_text() == UNREADABLE_4.replace(
            "target: Once funded   # imported\n",
            f"target: Apr-26   # imported\ntarget_history:\n  - date: {TODAY}\n    from: Once funded\n    to: Apr-26\n"
            "    reason: Agreed at the board\n",
        )
        assert runner.invoke(app, ["check", "--plan", str(bundled_copy), "--as-of", str(TODAY)]).exit_code == 0

    def test_an_action_with_an_unreadable_target_still_takes_updates(
        self, runner: CliRunner, bundled_copy: Path
    ) -> None:
        path = bundled_copy / ACTION_4
        path.write_text(UNREADABLE_4)
        result = runner.invoke(app, ["update", "4", "--rag", "amber", "--note", "Scoping", "--plan", str(bundled_copy)])
        assert result.exit_code == 0, result.output
        assert path.read_text() == UNREADABLE_4.replace(
            "updates: []\n", "updates:\n" + block_update(str(TODAY), "amber", "Scoping")
        )
        assert "vawg: note: the plan still has 1 error it had before; vawg check lists them" in result.stderr

    @pytest.mark.parametrize(
        "args",
        [
            ["update", "4", "--rag", "red", "--note", "x", "--date", "2062-01-01"],
            ["retarget", "4", "--target", "Apr-26", "--reason", "x", "--date", "2062-01-01"],
        ],
        ids=["update", "retarget"],
    )
    def test_a_file_with_an_error_gets_no_date_from_the_future(
        self, runner: CliRunner, bundled_copy: Path, args: list[str]
    ) -> None:
        """`check` dates entries only in a valid file: a write must not slip a future date past a typo."""
        path = bundled_copy / ACTION_4
        path.write_text(path.read_text().replace("title:", "tittle:"))
        before = path.read_bytes()
        result = runner.invoke(app, [*args, "--plan", str(bundled_copy)])
        assert result.exit_code == 1
        assert "is dated 2062-01-01, in the future (today is 2025-09-15)" in result.stderr
        assert path.read_bytes() == before

    def test_a_file_with_an_error_keeps_its_target_changes_in_order(
        self, runner: CliRunner, bundled_copy: Path
    ) -> None:
        path = bundled_copy / ACTION_4
        path.write_text(path.read_text().replace("title:", "tittle:"))
        edit(runner, bundled_copy, "retarget", "4", "--target", "Apr-26", "--reason", "x", "--date", "2025-01-01")
        before = path.read_bytes()
        args = ["retarget", "4", "--target", "May-26", "--reason", "y", "--date", "2024-06-01"]
        result = runner.invoke(app, [*args, "--plan", str(bundled_copy)])
        assert result.exit_code == 1
        assert "the last target change is dated 2025-01-01, after 2024-06-01" in result.stderr
        assert path.read_bytes() == before

    def test_an_update_while_another_file_has_an_error(self, runner: CliRunner, bundled_copy: Path) -> None:
        broken = bundled_copy / "actions" / "05-professionals-training.yaml"
        broken.write_text("id: 5\ntitle: x\n")
        edit(runner, bundled_copy, "update", "3", "--rag", "red", "--note", "x")
        assert broken.read_text() == "id: 5\ntitle: x\n"
        assert "note: x" in (bundled_copy / ACTION_3).read_text()

    def test_new_skips_the_id_of_a_file_that_fails_validation(self, runner: CliRunner, bundled_copy: Path) -> None:
        (bundled_copy / "actions" / "11-imported.yaml").write_text(UNREADABLE_4.replace("id: 4", "id: 11"))
        edit(runner, bundled_copy, "new", "--title", "Next", "--lead", "LBB", "--target", "Mar-26")
        assert (bundled_copy / "actions" / "12-next.yaml").is_file()

    def test_a_write_that_adds_an_error_names_only_the_new_one(self, runner: CliRunner, bundled_copy: Path) -> None:
        (bundled_copy / ACTION_4).write_text(UNREADABLE_4)
        before = (bundled_copy / ACTION_3).read_bytes()
        result = runner.invoke(
            app, ["retarget", "3", "--target", "someday", "--reason", "r", "--plan", str(bundled_copy)]
        )
        assert result.exit_code == 1
        assert "target 'someday' is not a date" in result.stderr
        assert "'Once funded'" not in result.stderr
        assert "vawg: refused: the change would add these 2 errors to the plan; nothing was changed" in result.stderr
        assert (bundled_copy / ACTION_3).read_bytes() == before

    def test_the_proof_for_an_invalid_file_compares_its_data(
        self, runner: CliRunner, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The read-back guard without a record: a splice that changed anything else is refused."""
        path = bundled_copy / ACTION_4
        path.write_text(UNREADABLE_4)
        real = yaml_edit.replace_value
        monkeypatch.setattr(
            yaml_edit, "replace_value", lambda doc, key, value: real(doc, key, value).replace("Data", "Date")
        )
        result = runner.invoke(
            app, ["retarget", "4", "--target", "Apr-26", "--reason", "r", "--plan", str(bundled_copy)]
        )
        assert result.exit_code == 1
        assert "could not be made without altering other parts of the file" in result.stderr
        assert path.read_text() == UNREADABLE_4
