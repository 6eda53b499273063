from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
BUNDLED_PLAN = REPO / "plan"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True, scope="session")
def _bundled_plan_untouched() -> Iterator[None]:
    """No test may change the repository's plan/: it is the plan vawg ships."""
    before = _snapshot(BUNDLED_PLAN)
    yield
    assert _snapshot(BUNDLED_PLAN) == before, "a test changed the files in plan/"


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads the developer's own cache, plan or colour settings."""
    monkeypatch.setenv("VAWG_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("VAWG_PLAN", raising=False)
    monkeypatch.delenv("VAWG_NO_CACHE", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    yield


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def copy_plan(source: Path, destination: Path) -> Path:
    """A writable copy of a plan folder, so a test can break it."""
    shutil.copytree(source, destination)
    return destination


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    return copy_plan(BUNDLED_PLAN, tmp_path / "plan")


@pytest.fixture
def progress_plan() -> Path:
    return FIXTURES / "progress"
