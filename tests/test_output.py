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
    assert lines[1].startswith("# Bexley VAWG Partnership Action Plan 2024-2028: progress report for 2025/26 Q2")
    assert not any(line.startswith("Wrote the") for line in lines)
    assert not (tmp_path / "-").exists()


def test_standard_error_by_name_is_appended_to_not_replaced(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    log.write_text("kept\n")
    script = f"{VAWG} export --plan {shlex.quote(str(BUNDLED_PLAN))} --format csv -o /dev/stderr 2>> {log}"
    subprocess.run(["sh", "-c", script], check=True, capture_output=True)
    text = log.read_text(encoding="utf-8-sig")
    assert text.startswith("kept\n") and "ID,Title,Leads" in text
