"""No cache file is kept, or read, inside the git working tree that holds the plan: a pull request
could plant one there (VAWG_CACHE_DIR=.vawg-cache in CI, say), and a file from a checkout is owned
by whoever checked it out, as a cache file is, so ownership cannot tell them apart. Unpickling a
planted parse cache, or loading planted compiled template code, would run it."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BUNDLED_PLAN, copy_plan
from vawg_cli.cli import app
from vawg_cli.plan.cache import folder_key, in_plan

STATUS = ["status", "--as-of", "2026-01-15", "--format", "json"]
PAPER = ["report", "--quarter", "2025-Q3", "--as-of", "2026-01-15", "--format", "md"]


class Planted:
    """Unpickled, it leaves a mark: what a planted cache file would do with worse intent."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.makedirs, (str(MARK),))


MARK = Path("/nonexistent")  # replaced per test


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    copy_plan(BUNDLED_PLAN, root / "plan")
    (root / ".git").mkdir()  # as a checkout has it
    return root


def test_a_cache_folder_inside_the_plans_repository_is_never_used(
    repository: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    global MARK
    MARK = tmp_path / "code-ran"
    cache = repository / ".vawg-cache"
    cache.mkdir()
    plan = repository / "plan"
    planted = cache / f"plan-{folder_key(os.path.realpath(plan))}.pickle"
    planted.write_bytes(pickle.dumps(Planted()))
    os.chmod(planted, 0o600)
    monkeypatch.setenv("VAWG_CACHE_DIR", str(cache))
    runner = CliRunner()
    for args in (STATUS, STATUS, PAPER, ["export"]):
        result = runner.invoke(app, [*args, "--plan", str(plan)])
        assert result.exit_code == 0, result.output
    assert not MARK.exists(), "a planted cache file was unpickled"
    assert sorted(p.name for p in cache.iterdir()) == [planted.name], "vawg wrote its cache into the repository"


def test_the_top_of_the_working_tree_bounds_it(repository: Path, tmp_path: Path) -> None:
    plan = repository / "plan"
    assert in_plan(repository / ".vawg-cache", plan)
    assert in_plan(plan / ".cache", plan)
    assert in_plan(repository, plan)
    assert not in_plan(tmp_path / "cache", plan)
    # Without a repository, the plan folder itself is the bound, as before.
    (repository / ".git").rmdir()
    assert not in_plan(repository / ".vawg-cache", plan)
    assert in_plan(plan / ".cache", plan)


def test_a_plan_kept_as_a_submodule_is_bounded_by_the_outer_repository(repository: Path) -> None:
    # A submodule's .git is a file; the checkout that holds it, and its pull requests, are the outer one's.
    plan = repository / "plan"
    (plan / ".git").write_text("gitdir: ../.git/modules/plan\n", encoding="utf-8")
    assert in_plan(repository / ".vawg-cache", plan)
