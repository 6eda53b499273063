"""`-o` to a standard stream writes into it: a shell's redirection of that stream keeps what it held."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUNDLED_PLAN

VAWG = f"{shlex.quote(sys.executable)} -m vawg_cli"
REPORT = f"report --plan {shlex.quote(str(BUNDLED_PLAN))} --quarter 2025-Q2 --as-of 2026-01-01 --format md"


@pytest.mark.parametrize("name", ["-", "/dev/stdout"])
def test_standard_output_by_name_is_standard_output(tmp_path: Path, name: str) -> None:
    paper = tmp_path / "paper.md"
    script = f"{{ echo HEADER; {VAWG} {REPORT} -o {name}; echo FOOTER; }} > {shlex.quote(str(paper))}"
    subprocess.run(["sh", "-c", script], check=True, capture_output=True)
    lines = paper.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "HEADER" and lines[-1] == "FOOTER"
    assert lines[3].startswith("# Bexley VAWG Partnership Action Plan 2024-2028: progress report for 2025/26 Q2")
    assert not any(line.startswith("Wrote the") for line in lines)
    assert not (tmp_path / "-").exists()


def test_standard_error_by_name_is_appended_to_not_replaced(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    log.write_text("kept\n")
    script = f"{VAWG} export --plan {shlex.quote(str(BUNDLED_PLAN))} --format csv -o /dev/stderr 2>> {log}"
    subprocess.run(["sh", "-c", script], check=True, capture_output=True)
    text = log.read_text(encoding="utf-8-sig")
    assert text.startswith("kept\n") and "ID,Title,Leads" in text


@pytest.mark.parametrize(
    "args", [["status", "--format", "csv"], ["status", "--format", "json"], ["export", "--format", "csv"]]
)
def test_tool_formats_shown_in_a_terminal_carry_no_live_escapes(tmp_path: Path, args: list[str]) -> None:
    """Piped, csv and json are data as written; in a terminal a person reads them, and a title's
    escape sequence must not clear the screen or retitle the window."""
    import os
    import pty
    import shutil

    plan = tmp_path / "plan"
    shutil.copytree(BUNDLED_PLAN, plan)
    action = plan / "actions" / "01-update-strategy.yaml"
    action.write_text(action.read_text().replace("title: Update Bexley VAWG Strategy", 'title: "Train \\e[2J staff"'))
    leader, follower = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "vawg_cli", *args, "--plan", str(plan), "--as-of", "2026-01-01"],
        stdout=follower,
        stderr=subprocess.PIPE,
        check=False,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert done.returncode == 0, done.stderr
    assert b"\x1b" not in shown
    assert b"Train \\x1b[2J staff" in shown or b"Train \\u001b[2J staff" in shown  # JSON escapes it its own way


@pytest.mark.parametrize(
    "args", [["status", "--format", "json"], ["status", "--format", "csv"], ["export", "--format", "json"]]
)
def test_a_reader_that_goes_early_is_no_error(tmp_path: Path, args: list[str]) -> None:
    """`vawg status --format json | head`: more output than a pipe holds, and a reader that stops
    after a line. vawg stops writing and ends quietly, as `cat` does, rather than blaming a path."""
    import shutil

    plan = tmp_path / "plan"
    shutil.copytree(BUNDLED_PLAN, plan)
    first = (plan / "actions" / "01-update-strategy.yaml").read_text(encoding="utf-8")
    for number in range(100, 400):  # about 600 bytes of JSON each: well past a pipe's 64 KiB
        (plan / "actions" / f"{number}.yaml").write_text(first.replace("id: 1\n", f"id: {number}\n", 1))
    command = [sys.executable, "-m", "vawg_cli", *args, "--plan", str(plan), "--as-of", "2026-01-01"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(10)
        process.stdout.close()
        errors = process.stderr.read()
    assert process.returncode == 0, errors
    assert errors == b""
