"""Plans arrive through pull requests: every file, template and link in the plan folder is untrusted."""

from __future__ import annotations

import gc
import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, copy_plan
from vawg_cli.cli import app

REPORTING = FIXTURES / "reporting"
AS_OF = "2026-01-05"


def report(runner: CliRunner, plan: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["report", "--plan", str(plan), "--as-of", AS_OF, "--quarter", "2025-Q3", *args])
    return result.exit_code, result.stdout, result.stderr


def one_error_line(stderr: str) -> str:
    """A user error is one `vawg: error:` line, never a traceback."""
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("vawg: error: "), stderr
    return lines[0]


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    copied = copy_plan(REPORTING, tmp_path / "plan")
    (copied / "templates").mkdir()
    return copied


def override(plan: Path, text: str, name: str = "report.md.j2") -> Path:
    path = plan / "templates" / name
    path.write_text(text, encoding="utf-8")
    return path


class TestTemplateSandbox:
    @pytest.mark.parametrize(
        "attack",
        [
            "{{ lipsum.__globals__['os'].popen('touch PWNED').read() }}",
            "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
            "{{ ''.__class__.__mro__[1].__subclasses__() }}",
            "{{ report.__class__.__init__.__globals__ }}",
        ],
    )
    def test_a_template_cannot_reach_python(
        self, runner: CliRunner, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, attack: str
    ) -> None:
        monkeypatch.chdir(tmp_path)
        override(plan, f"line one\n{attack}\n")
        code, _, err = report(runner, plan)
        assert code == 1 and not (tmp_path / "PWNED").exists()
        line = one_error_line(err)
        assert "report.md.j2:2:" in line and "the report template failed" in line

    def test_shipped_templates_still_render_in_the_sandbox(self, runner: CliRunner, plan: Path) -> None:
        for fmt in ("md", "html"):
            code, out, err = report(runner, plan, "--format", fmt)
            assert code == 0, err
            assert "Year on year" in out

    def test_a_runtime_error_names_the_template_line(self, runner: CliRunner, plan: Path) -> None:
        override(plan, "fine\n\n{{ report.no_such_thing }}\n")
        code, _, err = report(runner, plan)
        assert code == 1
        line = one_error_line(err)
        assert "templates/report.md.j2:3: the report template failed" in line and "no_such_thing" in line

    def test_a_syntax_error_names_the_template_line(self, runner: CliRunner, plan: Path) -> None:
        override(plan, "fine\n{% if %}\n")
        code, _, err = report(runner, plan)
        assert code == 1 and "templates/report.md.j2:2: the report template failed" in one_error_line(err)

    def test_a_template_that_includes_itself_through_another_is_an_error(self, runner: CliRunner, plan: Path) -> None:
        override(plan, "{% include 'loop.md.j2' %}\n")
        override(plan, "{% include 'report.md.j2' %}\n", "loop.md.j2")
        code, _, err = report(runner, plan)
        assert code == 1
        assert "includes or extends itself" in one_error_line(err)


def test_a_macro_that_calls_itself_is_named_as_such(runner: CliRunner, plan: Path) -> None:
    # It was told as a template that "includes or extends itself", which this one does not.
    override(plan, "{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}{{ down(1) }}\n")
    code, _, err = report(runner, plan)
    assert code == 1
    assert "a macro that calls itself with nothing to stop it" in one_error_line(err)


class TestTemplateWorkIsBounded:
    """A template from a pull request must not hang `vawg report` in CI, nor crash it."""

    def test_nested_ranges_are_stopped_by_the_budget(self, runner: CliRunner, plan: Path) -> None:
        override(plan, "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}\n")
        started = time.monotonic()
        code, _, err = report(runner, plan)
        assert code == 1 and time.monotonic() - started < 10
        assert "counts through more than 2,000,000 numbers with range()" in one_error_line(err)

    @pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the alarm needs SIGALRM (not on Windows)")
    def test_a_loop_that_calls_nothing_is_stopped_by_the_clock(
        self, runner: CliRunner, plan: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from vawg_cli.render import templates

        monkeypatch.setattr(templates, "SECONDS", 1)
        override(plan, "{% for i in 'x' * 99999 %}{% for j in 'y' * 99999 %}{% endfor %}{% endfor %}\n")
        started = time.monotonic()
        code, _, err = report(runner, plan)
        assert code == 1 and time.monotonic() - started < 10
        assert "ran for over 1 seconds and was stopped" in one_error_line(err)

    def test_a_constant_too_big_to_compile_is_the_templates_problem(self, runner: CliRunner, plan: Path) -> None:
        override(plan, "{{ 10**5000 }}\n")
        code, _, err = report(runner, plan)
        line = one_error_line(err)  # refused while compiling, or by the guard on ** before it
        assert code == 1 and ("cannot be compiled" in line or "to the power 5000" in line)

    def test_no_made_up_text_on_request(self, runner: CliRunner, plan: Path) -> None:
        override(plan, "{{ lipsum(10**6) }}\n")
        code, _, err = report(runner, plan)
        assert code == 1 and "lipsum" in one_error_line(err)


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the alarm needs SIGALRM (not on Windows)")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
class TestTheTimeLimitHolds:
    """The alarm's exception can be swallowed: raised inside a garbage-collector callback, Python
    prints it and goes on (CI saw this with Hypothesis's callback installed). The limit must hold."""

    @pytest.fixture
    def slow_collection(self) -> Iterator[None]:
        def slow(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                until = time.monotonic() + 1.5
                while time.monotonic() < until:
                    pass

        gc.callbacks.append(slow)
        try:
            yield
        finally:
            gc.callbacks.remove(slow)

    def test_a_stop_swallowed_by_a_gc_callback_is_made_again(self, slow_collection: None) -> None:
        from vawg_cli.render.templates import TemplateProblem, time_limit

        started = time.monotonic()
        with pytest.raises(TemplateProblem, match="stopped"), time_limit(1, "stopped"):
            gc.collect()  # the alarm fires inside the callback and is swallowed there
            while time.monotonic() - started < 20:
                pass
        assert time.monotonic() - started < 5

    def test_work_that_ends_after_a_swallowed_stop_is_still_stopped(self, slow_collection: None) -> None:
        from vawg_cli.render.templates import TemplateProblem, time_limit

        with pytest.raises(TemplateProblem, match="stopped"), time_limit(1, "stopped"):
            gc.collect()

    def test_the_alarm_is_put_back_as_it_was(self) -> None:
        from vawg_cli.render.templates import time_limit

        before = signal.getsignal(signal.SIGALRM)
        with time_limit(5, "stopped"):
            pass
        assert signal.getsignal(signal.SIGALRM) is before
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


class TestTemplateFiles:
    @pytest.mark.parametrize("target", ["/etc/passwd", "../actions/03-referral.yaml", "../plan.yaml"])
    def test_a_link_out_of_the_templates_folder_is_not_read(self, runner: CliRunner, plan: Path, target: str) -> None:
        override(plan, "start {% include 'other.md.j2' %} end\n")
        (plan / "templates" / "other.md.j2").symlink_to(target)
        code, out, err = report(runner, plan)
        assert code == 1 and out == ""
        line = one_error_line(err)
        assert "other.md.j2" in line and "link" in line and "root:" not in line and "updates" not in line

    def test_the_template_itself_may_not_be_a_link_out(self, runner: CliRunner, plan: Path) -> None:
        (plan / "templates" / "report.md.j2").symlink_to("/etc/passwd")
        code, out, err = report(runner, plan)
        assert code == 1 and "root:" not in out + err
        assert "link" in one_error_line(err)

    def test_a_templates_folder_that_is_a_link_out_is_not_read(
        self, runner: CliRunner, plan: Path, tmp_path: Path
    ) -> None:
        (plan / "templates").rmdir()
        (plan / "templates").symlink_to(plan / "actions")
        code, out, err = report(runner, plan)
        assert code == 1 and "updates" not in out
        assert "templates" in one_error_line(err)

    def test_a_link_inside_the_templates_folder_is_followed(self, runner: CliRunner, plan: Path) -> None:
        override(plan, "HEADER\n", "letterhead.md.j2")
        (plan / "templates" / "header.md.j2").symlink_to("letterhead.md.j2")
        override(plan, "{% include 'header.md.j2' %}")
        code, out, err = report(runner, plan)
        assert (code, out) == (0, "HEADER\n"), err

    def test_a_fifo_is_refused_without_blocking(self, runner: CliRunner, plan: Path) -> None:
        os.mkfifo(plan / "templates" / "report.md.j2")
        code, _, err = report(runner, plan)
        assert code == 1 and "not a plain file" in one_error_line(err)

    def test_dot_dot_cannot_leave_the_folder(self, runner: CliRunner, plan: Path) -> None:
        override(plan, "{% include '../actions/03-referral.yaml' %}")
        code, out, err = report(runner, plan)
        assert code == 1 and "updates" not in out
        one_error_line(err)

    def test_template_option_is_confined_too(self, runner: CliRunner, tmp_path: Path) -> None:
        brand = tmp_path / "brand"
        brand.mkdir()
        (brand / "secret.j2").symlink_to("/etc/passwd")
        (brand / "page.md.j2").write_text("{% include 'secret.j2' %}")
        code, out, err = report(runner, REPORTING, "--template", str(brand / "page.md.j2"))
        assert code == 1 and "root:" not in out + err
        one_error_line(err)


class TestBuildingOnTheShippedTemplate:
    def test_an_override_that_includes_its_own_name_gets_the_shipped_one(self, runner: CliRunner, plan: Path) -> None:
        override(plan, "LETTERHEAD\n{% include 'report.md.j2' %}")
        code, out, err = report(runner, plan)
        assert code == 0, err
        assert out.startswith("LETTERHEAD\n**OFFICIAL**\n\n# Test Borough") and "## Year on year" in out

    def test_the_shipped_name_always_means_the_shipped_copy(self, runner: CliRunner, plan: Path) -> None:
        override(plan, "OVERRIDE\n")
        override(plan, "{% include 'shipped/report.md.j2' %}", "wrapper.md.j2")
        code, out, err = report(runner, plan, "--template", str(plan / "templates" / "wrapper.md.j2"))
        assert code == 0, err
        assert out.startswith("**OFFICIAL**\n\n# Test Borough") and "OVERRIDE" not in out

    def test_extending_the_shipped_html(self, runner: CliRunner, plan: Path) -> None:
        override(plan, "{% extends 'shipped/report.html.j2' %}", "report.html.j2")
        code, out, err = report(runner, plan, "--format", "html")
        assert code == 0, err
        assert out.startswith("<!doctype html>")


PAYLOAD = "<img src=x onerror=alert(1)>"


def hostile_text_plan(tmp_path: Path) -> Path:
    """Plan text in every place a paper prints it holds HTML, or a spreadsheet formula."""
    plan = copy_plan(REPORTING, tmp_path / "plan")
    settings = (plan / "plan.yaml").read_text(encoding="utf-8")
    settings = settings.replace("title: Test Borough VAWG Action Plan 2024-2028", f"title: '{PAYLOAD}'")
    settings = settings.replace("LBB: London Borough of Bexley", f"LBB: '{PAYLOAD}'")
    settings = settings.replace("green: On track", f"green: '{PAYLOAD}'")
    (plan / "plan.yaml").write_text(settings, encoding="utf-8")
    (plan / "actions" / "20-hostile.yaml").write_text(
        f"id: 20\ntitle: '=HYPERLINK(\"http://x\") {PAYLOAD}'\nleads: [LBB]\ntarget: Dec-25\n"
        f"updates:\n  - {{date: 2025-11-01, rag: red, note: '{PAYLOAD}', by: '{PAYLOAD}'}}\n",
        encoding="utf-8",
    )
    return plan


class TestPlanTextIsEscaped:
    def test_markdown_report_escapes_html_everywhere(self, runner: CliRunner, tmp_path: Path) -> None:
        code, out, err = report(runner, hostile_text_plan(tmp_path), "--format", "md")
        assert code == 0, err
        assert re.search(r"(?<!\\)<img", out) is None, "plan text printed without escaping"
        assert out.count("\\<img") >= 6  # title, partner name, rag wording, action title, note
        assert out.startswith("**OFFICIAL**\n\n# \\<img src=x onerror=alert(1)>: progress report")

    def test_markdown_report_makes_no_links_images_or_mentions(self, runner: CliRunner, tmp_path: Path) -> None:
        folder = copy_plan(REPORTING, tmp_path / "plan")
        path = folder / "actions" / "01-strategy.yaml"
        sneaky = "![t](http://track.example/p.png) [x](javascript:alert(1)) @everyone"
        path.write_text(path.read_text().replace("title: Update the VAWG strategy", f"title: '{sneaky}'"))
        code, out, err = report(runner, folder, "--format", "md")
        assert code == 0, err
        assert "!\\[t\\](http://track.example/p.png) \\[x\\](javascript:alert(1)) \\@everyone" in out
        assert re.search(r"(?<!\\)\[(?:t|x)(?<!\\)\]", out) is None

    def test_status_csv_defuses_formulas(self, runner: CliRunner, tmp_path: Path) -> None:
        import csv
        import io

        plan = hostile_text_plan(tmp_path)
        result = runner.invoke(app, ["status", "--plan", str(plan), "--as-of", AS_OF, "--format", "csv"])
        assert result.exit_code == 0, result.output
        rows = {row["id"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
        assert rows["20"]["title"] == f'\'=HYPERLINK("http://x") {PAYLOAD}'
        assert all(not value.startswith(("=", "+", "-", "@")) for row in rows.values() for value in row.values())

    def test_one_definition_of_the_formula_guard(self) -> None:
        from vawg_cli.interchange import export
        from vawg_cli.render import status as render_status

        assert not hasattr(export, "_FORMULA_STARTS") and not hasattr(export, "_cell")
        # Reached through render.status on purpose (it imports the one guard from text.py), so mypy's
        # no-implicit-reexport rule does not see the name.
        assert render_status.spreadsheet_safe("=1+1") == "'=1+1"  # type: ignore[attr-defined]


class TestOutputThatIsNotAFile:
    def test_dev_null_stays_a_device(self, runner: CliRunner, tmp_path: Path) -> None:
        import stat

        # First a private copy of /dev/null (same device numbers), so that a regression fails here
        # without replacing the machine's own /dev/null with a regular file.
        try:
            os.mknod(tmp_path / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("making a device node needs root (as in CI)")
        for sink in (str(tmp_path / "null"), "/dev/null"):
            assert stat.S_ISCHR(os.stat(sink).st_mode)
            for command in (["export", "--format", "json"], ["report", "--format", "md", "--quarter", "2025-Q3"]):
                result = runner.invoke(app, [*command, "--plan", str(REPORTING), "--as-of", AS_OF, "-o", sink])
                assert result.exit_code == 0, result.output
                assert stat.S_ISCHR(os.stat(sink).st_mode), f"{command[0]} replaced {sink} with a regular file"

    def test_a_link_to_dev_null_is_written_through(self, runner: CliRunner, tmp_path: Path) -> None:
        import stat

        try:
            os.mknod(tmp_path / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("making a device node needs root (as in CI)")
        (tmp_path / "sink.csv").symlink_to(tmp_path / "null")
        result = runner.invoke(
            app, ["export", "--plan", str(REPORTING), "--as-of", AS_OF, "-o", str(tmp_path / "sink.csv")]
        )
        assert result.exit_code == 0, result.output
        assert stat.S_ISCHR(os.stat(tmp_path / "null").st_mode) and (tmp_path / "sink.csv").is_symlink()

    def test_a_pipe_with_a_reader_gets_the_export(self, runner: CliRunner, tmp_path: Path) -> None:
        import stat

        fifo = tmp_path / "pipe.csv"
        os.mkfifo(fifo)
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        try:
            result = runner.invoke(app, ["export", "--plan", str(REPORTING), "--as-of", AS_OF, "-o", str(fifo)])
            assert result.exit_code == 0, result.output
            received = os.read(reader, 1 << 16)
        finally:
            os.close(reader)
        assert received.startswith(b"\xef\xbb\xbfID,Title")
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)

    def test_a_pipe_with_no_reader_is_refused_without_waiting(self, runner: CliRunner, tmp_path: Path) -> None:
        fifo = tmp_path / "pipe.csv"
        os.mkfifo(fifo)
        result = runner.invoke(app, ["export", "--plan", str(REPORTING), "--as-of", AS_OF, "-o", str(fifo)])
        assert result.exit_code == 1
        assert "nothing is reading" in one_error_line(result.stderr)

    def test_a_folder_or_socket_is_refused(self, runner: CliRunner, tmp_path: Path) -> None:
        import socket

        folder = tmp_path / "out.csv"
        folder.mkdir()
        result = runner.invoke(app, ["export", "--plan", str(REPORTING), "--as-of", AS_OF, "-o", str(folder)])
        assert result.exit_code == 1 and "is a folder" in one_error_line(result.stderr)
        assert folder.is_dir()
        server = socket.socket(socket.AF_UNIX)
        try:
            server.bind(str(tmp_path / "s.csv"))
            result = runner.invoke(
                app, ["export", "--plan", str(REPORTING), "--as-of", AS_OF, "-o", str(tmp_path / "s.csv")]
            )
        finally:
            server.close()
        assert result.exit_code == 1 and "socket" in one_error_line(result.stderr)


class TestOutputNeverOverwritesThePlan:
    @pytest.mark.parametrize(
        "where",
        [
            "plan/plan.yaml",
            "plan/actions/new.md",
            "plan/schema/plan.schema.json",
            "plan/templates/report.md.j2",
            "plan/schema/../templates/report.md",
            "link-to-schema.md",
        ],
    )
    def test_refused(
        self, runner: CliRunner, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
    ) -> None:
        monkeypatch.chdir(tmp_path)
        override(plan, "{{ report.plan_title }}\n")
        (plan / "schema").mkdir()
        (plan / "schema" / "plan.schema.json").write_text("{}\n")
        (tmp_path / "link-to-schema.md").symlink_to(plan / "schema" / "plan.schema.json")
        before = {p: p.read_bytes() for p in plan.rglob("*") if p.is_file()}
        result = runner.invoke(app, ["report", "--plan", "plan", "--as-of", AS_OF, "--format", "md", "-o", where])
        assert result.exit_code == 1 and "part of the plan" in one_error_line(result.stderr)
        assert {p: p.read_bytes() for p in plan.rglob("*") if p.is_file()} == before


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the plan that ships with vawg, so that no test can touch the real one."""
    from vawg_cli.plan import bundled

    folder = copy_plan(bundled.plan_dir(), tmp_path / "site-packages" / "vawg_cli" / "_bundled" / "plan")
    monkeypatch.setattr(bundled, "plan_dir", lambda: folder)
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


WRITES = [
    ["update", "3", "--rag", "amber", "--note", "Drafted", "--date", "2025-05-01"],
    ["new", "--title", "Train licensing staff", "--lead", "LBB", "--target", "Mar-26"],
    ["retarget", "3", "--target", "Oct-25", "--reason", "Legal review", "--date", "2025-05-01"],
    ["schema"],
    ["import", str(FIXTURES / "seed" / "appendix-b.txt"), "--map", "No.=ignore"],
    ["measure", "record", "TRAINED", "--period", "2025", "--value", "412"],
    ["measure", "add", "NEW", "--name", "New", "--unit", "people", "--lead", "LBB"],
]


class TestTheBundledPlanIsNeverWritten:
    @pytest.mark.parametrize("command", WRITES, ids=lambda c: c[0])
    @pytest.mark.parametrize("how", ["--plan", "VAWG_PLAN", "cwd", "cwd-parent", "dotdot", "link"])
    def test_refused(
        self,
        runner: CliRunner,
        shipped: Path,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        command: list[str],
        how: str,
    ) -> None:
        before = snapshot(shipped)
        monkeypatch.chdir(tmp_path)
        extra: list[str] = []
        if how == "--plan":
            extra = ["--plan", str(shipped)]
        elif how == "VAWG_PLAN":
            monkeypatch.setenv("VAWG_PLAN", str(shipped))
        elif how == "cwd":
            monkeypatch.chdir(shipped / "actions")
        elif how == "cwd-parent":
            monkeypatch.chdir(shipped.parent)
        elif how == "dotdot":
            extra = ["--plan", str(shipped / "actions" / "..")]
        else:
            (tmp_path / "mine").symlink_to(shipped)
            extra = ["--plan", str(tmp_path / "mine")]
        result = runner.invoke(app, [*command, *extra])
        assert result.exit_code == 1, result.output
        assert "vawg init" in one_error_line(result.stderr)
        assert snapshot(shipped) == before

    def test_a_copy_is_writable(self, runner: CliRunner, shipped: Path, tmp_path: Path) -> None:
        mine = copy_plan(shipped, tmp_path / "mine")
        result = runner.invoke(app, [*WRITES[0], "--plan", str(mine)])
        assert result.exit_code == 0, result.output


SECRET_TEXT = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n" + (
    "API_TOKEN=" + "s3cr3t" * 40 + "\n"
)


def check(runner: CliRunner, plan: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["check", "--plan", str(plan), "--as-of", AS_OF])
    return result.exit_code, result.stdout + result.stderr


class TestLinksDoNotLeaveThePlan:
    @pytest.fixture
    def secret(self, tmp_path: Path) -> Path:
        path = tmp_path / "secrets.yaml"
        path.write_text(SECRET_TEXT, encoding="utf-8")
        return path

    def test_an_action_file_linking_outside_is_not_read(
        self, runner: CliRunner, tmp_path: Path, secret: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        plan = copy_plan(REPORTING, tmp_path / "plan")
        (plan / "actions" / "20-x.yaml").symlink_to(secret)
        (plan / "actions" / "21-y.yaml").symlink_to("/etc/passwd")
        monkeypatch.chdir(tmp_path)
        code, output = check(runner, Path("plan"))
        assert code == 1
        assert "root:" not in output and "s3cr3t" not in output
        for name in ("20-x.yaml", "21-y.yaml"):
            assert (
                f"plan/actions/{name}:1:1: error: this is a link to a file outside the plan folder, which vawg "
                "does not follow; replace the link with the file itself" in output
            )

    def test_plan_yaml_linking_outside_is_not_read(self, runner: CliRunner, tmp_path: Path, secret: Path) -> None:
        plan = copy_plan(REPORTING, tmp_path / "plan")
        (plan / "plan.yaml").unlink()
        (plan / "plan.yaml").symlink_to(secret)
        code, output = check(runner, plan)
        assert code == 1 and "root:" not in output and "link to a file outside the plan folder" in output

    def test_an_actions_folder_linking_outside_is_not_read(
        self, runner: CliRunner, tmp_path: Path, secret: Path
    ) -> None:
        plan = copy_plan(REPORTING, tmp_path / "plan")
        elsewhere = tmp_path / "elsewhere"
        (plan / "actions").rename(elsewhere)
        (plan / "actions").symlink_to(elsewhere)
        (elsewhere / "20-x.yaml").write_text(SECRET_TEXT)
        code, output = check(runner, plan)
        assert code == 1 and "root:" not in output and "link to a folder outside the plan folder" in output

    def test_a_link_inside_the_plan_is_followed(self, runner: CliRunner, tmp_path: Path) -> None:
        plan = copy_plan(REPORTING, tmp_path / "plan")
        (plan / "kept").mkdir()
        (plan / "actions" / "10-oversight.yaml").rename(plan / "kept" / "10-oversight.yaml")
        (plan / "actions" / "10-oversight.yaml").symlink_to(plan / "kept" / "10-oversight.yaml")
        code, output = check(runner, plan)
        assert code == 0, output

    def test_a_plan_reached_through_a_link_is_fine(self, runner: CliRunner, tmp_path: Path) -> None:
        plan = copy_plan(REPORTING, tmp_path / "real")
        (tmp_path / "plan").symlink_to(plan)
        code, output = check(runner, tmp_path / "plan")
        assert code == 0, output


class TestMessagesQuoteOnlyAnExcerpt:
    def test_a_file_of_other_text_is_not_copied_into_the_message(self, runner: CliRunner, tmp_path: Path) -> None:
        plan = copy_plan(REPORTING, tmp_path / "plan")
        (plan / "actions" / "20-x.yaml").write_text(SECRET_TEXT)
        code, output = check(runner, plan)
        assert code == 1 and "nologin" not in output and "s3cr3t" not in output
        assert "root:x:0:0" in output and "…" in output

    @pytest.mark.parametrize(
        "text",
        [
            "id: 20\ntitle: t\nleads: [LBB]\ntarget: " + "never " * 30 + "\n",
            "id: 20\ntitle: t\nleads: [" + "Mett" * 30 + "]\ntarget: Apr-25\n",
            "id: 20\ntitle: t\nleads: [LBB]\ntarget: Apr-25\n" + "k" * 200 + ": 1\n",
            "id: 20\ntitle: t\nleads: [LBB]\ntarget: Apr-25\nupdates:\n  - {date: 2025-01-01, rag: "
            + "purple" * 30
            + ", note: x}\n",
            "id: 20\ntitle: " + "t" * 200 + "\ntitle: again\nleads: [LBB]\ntarget: Apr-25\n",
            "id: " + "x" * 200 + "\ntitle: t\nleads: [LBB]\ntarget: Apr-25\n",
            "id: 20\ntitle: t\nleads: [LBB]\ntarget: Apr-25\nnotes: *" + "a" * 200 + "\n",
            "id: 20\n" + "x" * 200 + ": !!python/" + "y" * 200 + " 1\n",
        ],
    )
    def test_no_message_quotes_more_than_a_short_excerpt(self, runner: CliRunner, tmp_path: Path, text: str) -> None:
        plan = copy_plan(REPORTING, tmp_path / "plan")
        (plan / "actions" / "20-x.yaml").write_text(text)
        code, output = check(runner, plan)
        lines = [line for line in output.splitlines() if "20-x.yaml" in line]
        assert code == 1 and lines, output
        for line in lines:
            for word in ("never " * 11, "Mett" * 16, "k" * 61, "purple" * 11, "t" * 61, "x" * 61, "a" * 61, "y" * 61):
                assert word not in line, line


class TestSchemaFilesDoNotLeaveThePlan:
    @pytest.mark.parametrize("linked", ["file", "folder"])
    @pytest.mark.parametrize("check_only", [False, True])
    def test_a_link_out_is_neither_written_nor_read(
        self, runner: CliRunner, bundled_copy: Path, tmp_path: Path, linked: str, check_only: bool
    ) -> None:
        victim = tmp_path / "victim"
        victim.mkdir()
        (victim / "plan.schema.json").write_text("precious\n")
        if linked == "file":
            (bundled_copy / "schema" / "plan.schema.json").unlink()
            (bundled_copy / "schema" / "plan.schema.json").symlink_to(victim / "plan.schema.json")
        else:
            import shutil

            shutil.rmtree(bundled_copy / "schema")
            (bundled_copy / "schema").symlink_to(victim)
        result = runner.invoke(app, ["schema", "--plan", str(bundled_copy), *(["--check"] if check_only else [])])
        assert result.exit_code == 1
        assert "outside the plan folder" in one_error_line(result.stderr)
        assert sorted(p.name for p in victim.iterdir()) == ["plan.schema.json"]
        assert (victim / "plan.schema.json").read_text() == "precious\n"

    @pytest.mark.parametrize(
        ("name", "target"),
        [("plan.schema.json", "../actions/03-referral-processes.yaml"), ("action.schema.json", "../plan.yaml")],
    )
    def test_a_link_inside_the_plan_is_not_written_through(
        self, runner: CliRunner, bundled_copy: Path, name: str, target: str
    ) -> None:
        """A pull request could link a schema file to plan.yaml: `vawg schema` would overwrite the plan."""
        victim = (bundled_copy / "schema" / target).resolve()
        before = victim.read_bytes()
        (bundled_copy / "schema" / name).unlink()
        (bundled_copy / "schema" / name).symlink_to(target)
        result = runner.invoke(app, ["schema", "--plan", str(bundled_copy)])
        assert result.exit_code == 1
        assert "is a link, and vawg writes the schema files only as plain files" in one_error_line(result.stderr)
        assert victim.read_bytes() == before


def test_diff_does_not_read_a_plan_yaml_linking_out(
    runner: CliRunner, bundled_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "test@example.org")
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "plan"]):
        subprocess.run(["git", *command], cwd=bundled_copy, check=True, capture_output=True)
    secret = tmp_path / "secrets.yaml"
    settings = (bundled_copy / "plan.yaml").read_text(encoding="utf-8")
    secret.write_text(re.sub(r"(?m)^title: .*$", "title: s3cr3t", settings), encoding="utf-8")
    (bundled_copy / "plan.yaml").unlink()
    (bundled_copy / "plan.yaml").symlink_to(secret)
    result = runner.invoke(app, ["diff", "--plan", str(bundled_copy), "--format", "json"])
    assert "s3cr3t" not in result.output and "root:" not in result.output
    assert "link to a file outside the plan folder" in result.output


@pytest.mark.parametrize(
    ("tag", "said"),
    [("{{ 'x' * 100000000 }}", "repeats text or a list"), ("{{ 9 ** 100000 }}", "to the power 100000")],
)
def test_a_template_cannot_make_a_string_or_number_too_large(
    runner: CliRunner, tmp_path: Path, tag: str, said: str
) -> None:
    plan = copy_plan(REPORTING, tmp_path / "plan")
    (plan / "templates").mkdir()
    (plan / "templates" / "report.md.j2").write_text(tag, encoding="utf-8")
    result = runner.invoke(app, ["report", "--plan", str(plan), "--quarter", "2025-Q3", "--format", "md"])
    assert result.exit_code == 1 and said in result.output and "Traceback" not in result.output


class _Record:
    """A record as a template sees one: a plain field, a private one, and a method."""

    def __init__(self) -> None:
        self.title = "Visible"
        self._secret = "hidden"

    def shout(self) -> str:
        return self.title.upper()


@pytest.mark.parametrize(
    "source",
    [
        "{{ r.title }}{{ r._secret }}",  # a private field, after a plain one of the same record
        "{{ r.title }}{{ r.title.format.__globals__ }}",
        "{{ r.title }}{{ r.shout.__func__ }}",
    ],
)
def test_the_quick_way_to_a_field_answers_as_the_sandbox_does(source: str) -> None:
    """Plain values read fast once judged safe (render/templates.py's `getattr`): everything else
    must still meet the sandbox, as Jinja's own immutable sandbox answers it."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from vawg_cli.render.templates import ReportEnvironment

    answers = []
    for environment in (
        ImmutableSandboxedEnvironment(undefined=StrictUndefined),
        ReportEnvironment(undefined=StrictUndefined),
    ):
        try:
            answers.append(environment.from_string(source).render(r=_Record()))
        except Exception as error:  # the sandbox's refusal, whichever it is
            answers.append(type(error).__name__)
    assert answers[0] == answers[1]
    assert "hidden" not in answers[1] and "globals" not in answers[1]


def test_a_template_macro_is_called_as_jinja_calls_it() -> None:
    from jinja2 import StrictUndefined

    from vawg_cli.render.templates import ReportEnvironment

    source = (
        "{% macro m(a, b='b') %}{{ a }}{{ b }}{{ varargs | join }}{{ kwargs.get('k', '') }}{% endmacro %}"
        "{{ m(1) }}|{{ m(1, 2, 3, 4) }}|{{ m(1, b=5, k=6) }}"
        "{% macro wrap() %}[{{ caller() }}]{% endmacro %}|{% call wrap() %}inside{% endcall %}"
    )
    assert ReportEnvironment(undefined=StrictUndefined).from_string(source).render() == "1b|1234|156|[inside]"
