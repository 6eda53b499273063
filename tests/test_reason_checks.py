"""A target change's reason and approver, and a lifecycle change's reason, cannot be restricted:
every paper and export prints them. `vawg check` warns of personal data and small counts in them,
as it does in a public note."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, copy_plan
from vawg_cli.cli import app

REASON = (
    '    reason: "The information-sharing agreement with health partners is not yet signed, '
    'and the pathway cannot go live without it"'
)
APPROVER = "    approved_by: BCSP board"


def check(plan: Path) -> str:
    result = CliRunner().invoke(app, ["check", "--plan", str(plan), "--as-of", "2026-01-15"])
    return result.output


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return copy_plan(FIXTURES / "board", tmp_path / "plan")


def _edit(plan: Path, old: str, new: str) -> None:
    path = plan / "actions" / "03-referral-processes.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (REASON, '    reason: "Moved: call Jane on 07700 900123"', "target change 1's reason looks like it holds a"),
        (
            REASON,
            '    reason: "Delayed; see jane.doe@example.org"',
            "target change 1's reason looks like it holds an email",
        ),
        (APPROVER, "    approved_by: QQ123456C", "target change 1's approver looks like it holds a National Insurance"),
        (
            REASON,
            '    reason: "2 victims moved out of the borough"',
            "target change 1's reason gives a small count (\"2 victims",
        ),
    ],
)
def test_a_reason_that_would_print_personal_data_or_a_small_count_is_warned_about(
    plan: Path, old: str, new: str, said: str
) -> None:
    _edit(plan, old, new)
    output = check(plan)
    assert said in output
    assert "actions/03-referral-processes.yaml:" in output  # placed on the file's line, as every finding


def test_a_lifecycle_reason_is_checked_too(plan: Path) -> None:
    path = plan / "actions" / "06-working-group.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "lifecycle:\n  - date: 2025-06-01\n    state: on_hold\n    reason: Paused while 3 women give evidence\n",
        encoding="utf-8",
    )
    assert "lifecycle change 1's reason gives a small count" in check(plan)


def test_an_ordinary_reason_is_no_problem(plan: Path) -> None:
    assert "reason" not in check(plan)
