"""The command line as a coordinator uses it: through Typer's runner, with fixed --as-of dates."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BUNDLED_PLAN, copy_plan
from vawg_cli.cli import app
from vawg_cli.core.status import plan_status
from vawg_cli.plan.loading import load_plan
from vawg_cli.render.status_text import print_table


def status_json(runner: CliRunner, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["status", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    records: list[dict[str, object]] = json.loads(result.stdout)
    return records


class TestStatusOnTheBundledPlan:
    def test_lists_all_ten_actions(self, runner: CliRunner) -> None:
        result = runner.invoke(app, ["status", "--plan", str(BUNDLED_PLAN), "--as-of", "2025-01-01"])
        assert result.exit_code == 0, result.output
        rows = [line for line in result.stdout.splitlines() if re.match(r"\s*\d+\s+GREY\s", line)]
        assert len(rows) == 10
        assert "Referral processes for VAWG issues and cases clearly defined" in result.stdout

    def test_one_off_apr_25_actions_overdue_on_1_may_2025(self, runner: CliRunner) -> None:
        records = status_json(runner, "--plan", str(BUNDLED_PLAN), "--as-of", "2025-05-01")
        assert len(records) == 10
        overdue = {r["id"] for r in records if r["overdue"]}
        apr_25 = {r["id"] for r in records if r["target"] == "Apr-25"}
        assert apr_25 == {3, 4, 5, 6}
        assert apr_25 <= overdue
        for record in records:
            assert set(record) >= {"id", "title", "leads", "rag", "due", "overdue", "due_soon"}
            if record["id"] in apr_25:
                assert record["due"] == "2025-04-30"
                assert record["state"] == "overdue 1 day"
        # Nothing was reported on for the year: the quarterly and yearly actions are overdue too.
        assert overdue == {2, 3, 4, 5, 6, 10}
        assert {r["id"]: r["due"] for r in records}[1] == "2028-04-30"

    def test_json_is_most_urgent_first(self, runner: CliRunner) -> None:
        records = status_json(runner, "--plan", str(BUNDLED_PLAN), "--as-of", "2025-05-01")
        flags = [(not r["overdue"], not r["due_soon"]) for r in records]
        assert flags == sorted(flags)


class TestStatusOptions:
    def test_as_of_ignores_later_updates(self, runner: CliRunner, progress_plan: Path) -> None:
        before = {r["id"]: r for r in status_json(runner, "--plan", str(progress_plan), "--as-of", "2025-03-14")}
        after = {r["id"]: r for r in status_json(runner, "--plan", str(progress_plan), "--as-of", "2025-03-15")}
        assert before[3]["rag"] == "amber" and before[3]["last_update"] == "2024-09-01"
        assert after[3]["rag"] == "blue" and after[3]["complete"] is True and after[3]["due"] is None

    def test_filters(self, runner: CliRunner, progress_plan: Path) -> None:
        common = ["--plan", str(progress_plan), "--as-of", "2025-05-01"]
        assert [r["id"] for r in status_json(runner, *common, "--overdue")] == [4]
        assert [r["id"] for r in status_json(runner, *common, "--due-soon")] == [5]
        assert [r["id"] for r in status_json(runner, *common, "--lead", "Met")] == [4, 3]
        assert [r["id"] for r in status_json(runner, *common, "--rag", "RED")] == [4]

    def test_unknown_lead_names_the_partners(self, runner: CliRunner, progress_plan: Path) -> None:
        result = runner.invoke(app, ["status", "--plan", str(progress_plan), "--lead", "Mett"])
        assert result.exit_code == 1
        assert "'Mett' is not a partner code (did you mean 'Met'?)" in result.stderr
        assert "LBB, Met, Vol Sector" in result.stderr

    def test_bad_option_values_are_usage_errors(self, runner: CliRunner, progress_plan: Path) -> None:
        assert runner.invoke(app, ["status", "--plan", str(progress_plan), "--rag", "purple"]).exit_code == 2
        assert runner.invoke(app, ["status", "--plan", str(progress_plan), "--as-of", "2025-13-01"]).exit_code == 2
        assert runner.invoke(app, ["status", "--plan", str(progress_plan), "--format", "xml"]).exit_code == 2

    def test_csv(self, runner: CliRunner, progress_plan: Path) -> None:
        result = runner.invoke(
            app, ["status", "--plan", str(progress_plan), "--as-of", "2025-05-01", "--format", "csv"]
        )
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert [r["id"] for r in rows] == ["4", "5", "10", "2", "1", "3"]
        assert rows[0]["overdue"] == "True" and rows[0]["rag"] == "red" and rows[0]["due"] == "2025-04-30"
        assert rows[1]["leads"] == "LBB; Vol Sector"

    def test_plain_output_when_piped(self, runner: CliRunner, progress_plan: Path) -> None:
        result = runner.invoke(app, ["status", "--plan", str(progress_plan), "--as-of", "2025-05-01"])
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert lines[0] == "Test VAWG Action Plan, as of 1 May 2025"
        assert lines[1] == "6 actions: 1 overdue, 1 due soon, 1 complete"
        assert re.match(r"\s*4  RED\s+2025-04-30  overdue 1 day\s+Met\s+Return of data for analysis$", lines[4])
        assert "\x1b[" not in result.stdout

    @staticmethod
    def _table(progress_plan: Path, *, no_color: bool | None = None) -> str:
        """What Rich writes to a (pretend) colour terminal."""
        from rich.console import Console

        plan = load_plan(progress_plan, today=date(2026, 1, 1))
        statuses = plan_status((f.action for f in plan.actions), plan.settings, date(2025, 5, 1))
        out = io.StringIO()
        console = Console(file=out, width=140, force_terminal=True, color_system="truecolor", no_color=no_color)
        print_table(console, statuses, plan.settings, date(2025, 5, 1), len(statuses))
        return out.getvalue()

    def test_rich_table_labels_carry_the_word_and_the_colour(self, progress_plan: Path) -> None:
        written = self._table(progress_plan, no_color=False)
        text = re.sub(r"\x1b\[[0-9;]*m", "", written)
        assert " RED " in text and " BLUE " in text and "overdue 1 day" in text
        assert "Key:" in text and "Off track" in text
        assert "48;2;176;0;32m RED " in written  # the red label: its word on its colour

    def test_rich_table_honours_no_color(self, progress_plan: Path) -> None:
        written = self._table(progress_plan)  # NO_COLOR is set for every test
        assert " RED " in written
        assert "48;2;" not in written and "38;2;" not in written

    def test_a_plan_with_errors_is_not_reported_on(self, runner: CliRunner, bundled_copy: Path) -> None:
        (bundled_copy / "actions" / "03-referral-processes.yaml").write_text(
            "id: 3\ntitle: x\nleads: [Mett]\ntarget: Apr-25\n"
        )
        result = runner.invoke(app, ["status", "--plan", str(bundled_copy), "--format", "json"])
        assert result.exit_code == 1
        assert result.stdout == ""
        assert re.search(
            r"03-referral-processes\.yaml:3:9: error: unknown partner 'Mett' \(did you mean 'Met'\?\)", result.stderr
        )
        assert "Traceback" not in result.output
        assert isinstance(result.exception, SystemExit)


class TestPlanDiscovery:
    def test_plan_option_accepts_the_repository_folder(self, runner: CliRunner, tmp_path: Path) -> None:
        copy_plan(BUNDLED_PLAN, tmp_path / "repo" / "plan")
        assert len(status_json(runner, "--plan", str(tmp_path / "repo"))) == 10

    def test_vawg_plan_environment(
        self, runner: CliRunner, progress_plan: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("VAWG_PLAN", str(progress_plan))
        assert len(status_json(runner, "--as-of", "2025-05-01")) == 6

    def test_found_from_a_subfolder(self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        copy_plan(Path(__file__).parent / "fixtures" / "progress", tmp_path / "plan")
        (tmp_path / "docs" / "minutes").mkdir(parents=True)
        monkeypatch.chdir(tmp_path / "docs" / "minutes")
        result = runner.invoke(app, ["status", "--format", "json", "--as-of", "2025-05-01"])
        assert result.exit_code == 0, result.output
        assert len(json.loads(result.stdout)) == 6
        assert result.stderr == ""

    def test_bundled_plan_when_none_found_says_so_on_stderr(
        self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        result = runner.invoke(app, ["status", "--format", "json"])
        assert result.exit_code == 0, result.output
        assert len(json.loads(result.stdout)) == 10
        assert result.stderr.count("\n") == 1
        assert "bundled" in result.stderr and "vawg init" in result.stderr

    def test_missing_plan_folder(self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("VAWG_PLAN", str(tmp_path / "nowhere"))
        result = runner.invoke(app, ["status"])
        assert result.exit_code == 1
        assert result.stderr.startswith("vawg: error: VAWG_PLAN names ")
        assert "does not exist" in result.stderr and "vawg init" in result.stderr

    def test_folder_without_plan_yaml(self, runner: CliRunner, tmp_path: Path) -> None:
        result = runner.invoke(app, ["check", "--plan", str(tmp_path)])
        assert result.exit_code == 1
        assert "has no plan.yaml" in result.stderr


class TestInit:
    def test_writes_the_bundled_plan(self, runner: CliRunner, tmp_path: Path) -> None:
        target = tmp_path / "ours" / "plan"
        result = runner.invoke(app, ["init", str(target)])
        assert result.exit_code == 0, result.output
        assert (target / "plan.yaml").read_bytes() == (BUNDLED_PLAN / "plan.yaml").read_bytes()
        copied = sorted(p.name for p in (target / "actions").iterdir())
        assert copied == sorted(p.name for p in (BUNDLED_PLAN / "actions").iterdir())
        assert not [p for p in target.iterdir() if p.name.startswith(".")]
        check = runner.invoke(app, ["check", "--plan", str(target)])
        assert check.exit_code == 0, check.output

    def test_defaults_to_plan_in_the_current_folder(
        self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        assert runner.invoke(app, ["init"]).exit_code == 0
        assert (tmp_path / "plan" / "plan.yaml").is_file()

    def test_refuses_to_overwrite_and_changes_nothing(self, runner: CliRunner, bundled_copy: Path) -> None:
        plan_file = bundled_copy / "plan.yaml"
        plan_file.write_text("title: Ours, edited by hand\n")
        result = runner.invoke(app, ["init", str(bundled_copy)])
        assert result.exit_code == 1
        assert "already holds a plan; nothing was changed" in result.stderr
        assert plan_file.read_text() == "title: Ours, edited by hand\n"


class TestCache:
    def test_warm_run_gives_the_same_answer(self, runner: CliRunner, progress_plan: Path) -> None:
        first = status_json(runner, "--plan", str(progress_plan), "--as-of", "2025-05-01")
        assert list(Path(os.environ["VAWG_CACHE_DIR"]).glob("plan-*.pickle"))
        assert status_json(runner, "--plan", str(progress_plan), "--as-of", "2025-05-01") == first

    def test_an_edited_file_is_never_served_stale(self, runner: CliRunner, bundled_copy: Path) -> None:
        status_json(runner, "--plan", str(bundled_copy))
        action = bundled_copy / "actions" / "03-referral-processes.yaml"
        action.write_text(
            action.read_text().replace("updates: []", "updates:\n  - {date: 2025-01-01, rag: blue, note: Done}")
        )
        records = {r["id"]: r for r in status_json(runner, "--plan", str(bundled_copy), "--as-of", "2025-05-01")}
        assert records[3]["rag"] == "blue"
        action.write_text(action.read_text().replace("rag: blue", "rag: bleu"))
        result = runner.invoke(app, ["check", "--plan", str(bundled_copy)])
        assert result.exit_code == 1 and "'bleu' is not a colour" in result.stdout

    def test_a_damaged_cache_is_ignored(self, runner: CliRunner, progress_plan: Path) -> None:
        first = status_json(runner, "--plan", str(progress_plan), "--as-of", "2025-05-01")
        for cached in Path(os.environ["VAWG_CACHE_DIR"]).glob("plan-*.pickle"):
            cached.write_bytes(b"not a pickle")
        assert status_json(runner, "--plan", str(progress_plan), "--as-of", "2025-05-01") == first

    def test_an_unwritable_cache_folder_is_no_problem(
        self, runner: CliRunner, progress_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        blocker = tmp_path / "file"
        blocker.write_text("")
        monkeypatch.setenv("VAWG_CACHE_DIR", str(blocker / "cache"))
        assert len(status_json(runner, "--plan", str(progress_plan))) == 6


class TestHelpAndDocs:
    # Every command's help, its example and its place in the README: tests/test_cli_reference.py.

    def test_no_arguments_shows_help(self, runner: CliRunner) -> None:
        result = runner.invoke(app, [])
        assert "status" in result.output and "check" in result.output

    def test_python_dash_m_works(self, tmp_path: Path) -> None:
        env = {**os.environ, "VAWG_CACHE_DIR": str(tmp_path)}
        done = subprocess.run(
            [sys.executable, "-m", "vawg_cli", "status", "--plan", str(BUNDLED_PLAN), "--format", "json"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert len(json.loads(done.stdout)) == 10


class TestTheProcessEnds:
    """The command line ends its process without tearing its objects down (os._exit): everything
    printed must still arrive, and the exit status must be the command's."""

    def run(self, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
        # Buffered, as standard output into a pipe is unless PYTHONUNBUFFERED is set (as CI sets it).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"} | {"VAWG_CACHE_DIR": str(tmp_path / "c")}
        return subprocess.run([sys.executable, "-m", "vawg_cli", *args], capture_output=True, env=env, check=False)

    def test_output_larger_than_a_pipe_arrives_whole(self, tmp_path: Path) -> None:
        # Far more than the 64 KiB a pipe buffers: what is still in Python's buffer at the end is flushed.
        plan = copy_plan(BUNDLED_PLAN, tmp_path / "plan")
        for number in range(11, 400):
            (plan / "actions" / f"{number}.yaml").write_text(
                f"id: {number}\ntitle: Action {number} {'x' * 200}\nleads: [LBB]\ntarget: Apr-25\n", encoding="utf-8"
            )
        done = self.run(tmp_path, "status", "--plan", str(plan), "--as-of", "2025-01-01", "--format", "json")
        assert done.returncode == 0, done.stderr
        assert len(json.loads(done.stdout)) == 399

    def test_output_smaller_than_a_buffer_arrives(self, tmp_path: Path) -> None:
        # A few kilobytes written at once stay in Python's buffer until the end.
        done = self.run(tmp_path, "status", "--plan", str(BUNDLED_PLAN), "--as-of", "2025-01-01", "--format", "json")
        assert done.returncode == 0, done.stderr
        assert len(json.loads(done.stdout)) == 10

    @pytest.mark.parametrize(
        ("args", "code"),
        [(("--version",), 0), (("check", "--plan", "/no/such/plan"), 1), (("status", "--rag", "purple"), 2)],
    )
    def test_the_exit_status_is_the_commands(self, tmp_path: Path, args: tuple[str, ...], code: int) -> None:
        done = self.run(tmp_path, *args)
        assert done.returncode == code, done.stderr
        assert b"Traceback" not in done.stderr

    def test_a_profiler_still_writes_its_file(self, tmp_path: Path) -> None:
        profile = tmp_path / "status.prof"
        done = subprocess.run(
            [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "vawg_cli", "--version"],
            capture_output=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert profile.stat().st_size > 0

    def test_what_the_cache_held_is_kept_to_the_end(self) -> None:
        # Freeing it as soon as the plan is read costs a twentieth of a large warm run; the process
        # ends without freeing anything, so the command line keeps it (tests do not: they would leak).
        from vawg_cli.plan import cache

        assert cache.keep_until_exit is False
        script = (
            "import sys, vawg_cli.cli.root as root, vawg_cli.plan.cache as cache; "
            "root.app = lambda **kw: sys.exit(0 if cache.keep_until_exit else 3); root.main()"
        )
        assert subprocess.run([sys.executable, "-c", script], check=False).returncode == 0

    def test_an_exit_with_a_message_prints_it(self, tmp_path: Path) -> None:
        script = "import sys, vawg_cli.cli.root as root; root.app = lambda **kw: sys.exit('stopped here'); root.main()"
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, check=False)
        assert (done.returncode, done.stderr) == (1, b"stopped here\n")


class TestHardCases:
    def test_titles_are_text_not_rich_markup(self, bundled_copy: Path) -> None:
        from rich.console import Console

        action = bundled_copy / "actions" / "01-update-strategy.yaml"
        action.write_text(
            action.read_text().replace("title: Update Bexley VAWG Strategy", 'title: "[/] [bold]Draft[/bold]"')
        )
        plan = load_plan(bundled_copy, today=date(2026, 1, 1))
        statuses = plan_status((f.action for f in plan.actions), plan.settings, date(2025, 5, 1))
        out = io.StringIO()
        print_table(Console(file=out, width=200, force_terminal=True), statuses, plan.settings, date(2025, 5, 1), 10)
        assert "[/] [bold]Draft[/bold]" in out.getvalue()

    def test_found_inside_a_plan_folder_of_any_name(
        self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        result = runner.invoke(app, ["init", str(tmp_path / "myplan")])
        assert result.exit_code == 0, result.output
        assert f"--plan {tmp_path / 'myplan'}" in result.stdout
        (tmp_path / "myplan" / "actions" / "01-update-strategy.yaml").write_text("id: 1\ntittle: x\n")
        monkeypatch.chdir(tmp_path / "myplan" / "actions")
        result = runner.invoke(app, ["check"])
        assert result.exit_code == 1
        assert "01-update-strategy.yaml:2:1: error: unknown key 'tittle'" in result.stdout
        assert "bundled" not in result.stderr

    def test_plan_option_naming_a_file(self, runner: CliRunner, tmp_path: Path) -> None:
        (tmp_path / "notes.yaml").write_text("x: 1\n")
        result = runner.invoke(app, ["status", "--plan", str(tmp_path / "notes.yaml")])
        assert result.exit_code == 1
        assert "which is a file; point it at the folder that holds plan.yaml" in result.stderr

    def test_init_where_a_folder_cannot_be_made(self, runner: CliRunner, tmp_path: Path) -> None:
        (tmp_path / "afile").write_text("")
        result = runner.invoke(app, ["init", str(tmp_path / "afile" / "plan")])
        assert result.exit_code == 1
        assert result.stderr.startswith("vawg: error: ")
        assert "check that the path is right" in result.stderr
        assert isinstance(result.exception, SystemExit)

    def test_a_console_that_cannot_show_a_character(self, bundled_copy: Path, tmp_path: Path) -> None:
        action = bundled_copy / "actions" / "01-update-strategy.yaml"
        action.write_text(action.read_text().replace("Update Bexley VAWG Strategy", "Strategy \u2265 2028 \u2192 done"))
        env = {**os.environ, "VAWG_CACHE_DIR": str(tmp_path / "cache"), "PYTHONIOENCODING": "cp1252"}
        done = subprocess.run(
            [sys.executable, "-m", "vawg_cli", "status", "--plan", str(bundled_copy), "--as-of", "2025-01-01"],
            capture_output=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert b"Strategy ? 2028 ? done" in done.stdout


class TestCacheSafety:
    def test_a_cache_file_others_can_write_is_never_unpickled(
        self, runner: CliRunner, progress_plan: Path, tmp_path: Path
    ) -> None:
        import pickle

        status_json(runner, "--plan", str(progress_plan))
        (cached,) = Path(os.environ["VAWG_CACHE_DIR"]).glob("plan-*.pickle")
        marker = tmp_path / "ran"

        class Trap:
            def __reduce__(self) -> tuple[object, ...]:
                return (Path.touch, (marker,))

        cached.write_bytes(pickle.dumps(Trap()))
        cached.chmod(0o666)
        assert len(status_json(runner, "--plan", str(progress_plan))) == 6
        assert not marker.exists()

    def test_never_kept_inside_the_plan_folder(
        self, runner: CliRunner, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        before = sorted(p.relative_to(bundled_copy) for p in bundled_copy.rglob("*"))
        monkeypatch.setenv("VAWG_CACHE_DIR", str(bundled_copy / ".cache"))
        assert len(status_json(runner, "--plan", str(bundled_copy))) == 10
        assert sorted(p.relative_to(bundled_copy) for p in bundled_copy.rglob("*")) == before

    def test_relative_xdg_cache_home_is_ignored(self) -> None:
        from vawg_cli.plan.cache import default_cache_dir

        assert default_cache_dir({"XDG_CACHE_HOME": "relative"}) == Path.home() / ".cache" / "vawg"
        assert default_cache_dir({"XDG_CACHE_HOME": "/var/c"}) == Path("/var/c/vawg")
        assert default_cache_dir({"VAWG_CACHE_DIR": "rel"}) == Path.cwd() / "rel"
        assert default_cache_dir({"VAWG_NO_CACHE": "1", "VAWG_CACHE_DIR": "/x"}) is None


def test_a_warm_status_imports_only_what_it_needs(tmp_path: Path) -> None:
    """The speed of the command run many times a day rests on what it does not import: on an
    unchanged plan it is answered from its snapshot, before Typer and the plan's parser load."""
    env = {**os.environ, "VAWG_CACHE_DIR": str(tmp_path / "cache")}

    def imports(*args: str) -> set[str]:
        done = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr[-2000:]
        return {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}

    status = ["-m", "vawg_cli", "status", "--plan", str(BUNDLED_PLAN)]
    first = imports(*status)  # reads the plan in full, and keeps its snapshot
    assert "vawg_cli.plan.loading" in first and "typer" in first
    ours = imports(*status)
    unwanted = {
        "typer",
        "click",
        "pydantic",
        "yaml",
        "pickle",
        "jinja2",
        "rich",
        "difflib",
        "csv",
        "json",
        "tempfile",
        "vawg_cli.cli.root",
        "vawg_cli.plan.loading",
        "vawg_cli.plan.file_format",
        "vawg_cli.plan.yaml_source",
        "vawg_cli.plan.messages",
        "vawg_cli.edit.writes",
        "vawg_cli.core.status",
        "vawg_cli.core.changes",
    }
    assert ours & unwanted == set()
    assert "vawg_cli.core.compact" in ours  # the measurement itself works


def test_every_command_runs_inside_the_one_exit_path() -> None:
    """Registered through cli/root.py's `command()`, every command shares cli/handler.py's exit path,
    the commands of a group (`vawg measure add`) too."""
    import typer.main

    from vawg_cli.cli.handler import Command

    def leaves(command: object, path: str) -> dict[str, object]:
        inner = getattr(command, "commands", None)
        if inner is None:
            return {path: command}
        return {
            name: cmd for sub, child in inner.items() for name, cmd in leaves(child, f"{path} {sub}".strip()).items()
        }

    commands = leaves(typer.main.get_command(app), "")
    assert len(commands) == 20
    assert "measure record" in commands
    assert all(isinstance(cmd, Command) for cmd in commands.values()), [
        name for name, cmd in commands.items() if not isinstance(cmd, Command)
    ]
