"""A template never reads the plan's own files: included into a paper marked OFFICIAL, an action
file's raw text would carry its restricted notes and exact counts past every check."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, copy_plan
from vawg_cli.cli import app

PAPER = ["report", "--quarter", "2025-Q3", "--as-of", "2026-01-15", "--format", "md"]
ACTION = "03-referral-processes.yaml"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    plan = copy_plan(FIXTURES / "board", tmp_path / "plan")
    action = plan / "actions" / ACTION
    action.write_text(action.read_text(encoding="utf-8") + "# SECRET-IN-THE-FILE\n", encoding="utf-8")
    return plan


@pytest.mark.parametrize(
    "include",
    [
        f"plan/actions/{ACTION}",  # a template kept beside the plan folder
        "plan/plan.yaml",
    ],
)
def test_a_template_beside_the_plan_cannot_include_its_files(plan: Path, include: str) -> None:
    template = plan.parent / "board.md.j2"
    template.write_text(f'{{% include "{include}" %}}\n', encoding="utf-8")
    result = CliRunner().invoke(app, [*PAPER, "--plan", str(plan), "--template", str(template)])
    assert result.exit_code == 1
    assert "SECRET-IN-THE-FILE" not in result.output and "SECRET-IN-THE-FILE" not in result.stdout
    assert "outside its templates/ folder" in result.output


def test_a_way_round_through_dots_is_refused_too(plan: Path) -> None:
    template = plan.parent / "board.md.j2"
    template.write_text('{% include "plan/actions/../actions/' + ACTION + '" %}\n', encoding="utf-8")
    result = CliRunner().invoke(app, [*PAPER, "--plan", str(plan), "--template", str(template)])
    assert result.exit_code == 1
    assert "SECRET-IN-THE-FILE" not in result.output


def test_a_template_inside_the_plan_outside_templates_is_refused(plan: Path) -> None:
    template = plan / "leak.md.j2"
    template.write_text('{% include "actions/' + ACTION + '" %}\n', encoding="utf-8")
    result = CliRunner().invoke(app, [*PAPER, "--plan", str(plan), "--template", str(template)])
    assert result.exit_code == 1
    assert "SECRET-IN-THE-FILE" not in result.output
    assert "Keep templates in" in result.output


def test_a_link_in_the_template_folder_to_a_plan_file_is_refused(plan: Path) -> None:
    folder = plan.parent / "papers"
    folder.mkdir()
    (folder / "part.md.j2").symlink_to(plan / "actions" / ACTION)
    (folder / "board.md.j2").write_text('{% include "part.md.j2" %}\n', encoding="utf-8")
    result = CliRunner().invoke(app, [*PAPER, "--plan", str(plan), "--template", str(folder / "board.md.j2")])
    assert result.exit_code == 1
    assert "SECRET-IN-THE-FILE" not in result.output


def test_the_plans_own_templates_and_templates_beside_it_still_work(plan: Path) -> None:
    beside = plan.parent / "board.md.j2"
    (plan.parent / "part.md.j2").write_text("PART {{ report.plan_title }}\n", encoding="utf-8")
    beside.write_text('{% include "part.md.j2" %}\n', encoding="utf-8")
    result = CliRunner().invoke(app, [*PAPER, "--plan", str(plan), "--template", str(beside)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("PART ")
    (plan / "templates").mkdir()
    (plan / "templates" / "head.md.j2").write_text("HEAD\n", encoding="utf-8")
    (plan / "templates" / "report.md.j2").write_text('{% include "head.md.j2" %}OWN\n', encoding="utf-8")
    result = CliRunner().invoke(app, [*PAPER, "--plan", str(plan)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("HEAD\nOWN")
