"""benchmarks/run.py times `vawg diff` in a git history it makes once per generated plan: HEAD
a few actions behind, the working tree exactly the generated plan (which every other command
reads), and a diff that finds just those actions."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from vawg_cli.cli import app

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def run_py() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))  # run.py imports generate_plan from beside it
    try:
        spec = importlib.util.spec_from_file_location("benchmark_run", BENCHMARKS / "run.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_the_history_leaves_the_plan_as_generated_and_diff_finds_the_changed_actions(
    run_py: ModuleType, tmp_path: Path
) -> None:
    folder = tmp_path / "plan"
    run_py.write_plan(folder, 40, 7)
    generated = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    plan = run_py.PlanUnderTest("40", folder, 40, None)

    run_py.with_history(plan)

    assert {path: path.read_bytes() for path in generated} == generated
    changed = subprocess.run(
        ["git", "diff", "--name-only"], cwd=folder, capture_output=True, text=True, check=True
    ).stdout.split()
    assert len(changed) == run_py.DIFF_CHANGED and all(name.startswith("actions/") for name in changed)
    result = CliRunner().invoke(app, ["diff", "--plan", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    actions = json.loads(result.stdout)["actions"]
    assert len(actions) == run_py.DIFF_CHANGED
    assert all(len(action["new_updates"]) == 1 and not action.get("invalid") for action in actions)

    head = (folder / ".git" / "HEAD").stat().st_mtime_ns
    run_py.with_history(plan)  # made once: a second call changes nothing
    assert (folder / ".git" / "HEAD").stat().st_mtime_ns == head


def test_an_unfinished_history_is_made_again(run_py: ModuleType, tmp_path: Path) -> None:
    folder = tmp_path / "plan"
    run_py.write_plan(folder, 12, 7)
    (folder / ".git").mkdir()  # as an interrupted run leaves it: no mark of a finished history
    run_py.with_history(run_py.PlanUnderTest("12", folder, 12, None))
    assert (folder / ".git" / run_py.HISTORY_READY).is_file()
    assert subprocess.run(["git", "diff", "--quiet"], cwd=folder, check=False).returncode == 1
