from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
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


def plan_with_template(source: Path, destination: Path, name: str, text: str) -> Path:
    """A copy of the plan `source` whose own templates/ folder holds `name` with `text`."""
    plan = copy_plan(source, destination)
    (plan / "templates").mkdir(exist_ok=True)
    (plan / "templates" / name).write_text(text, encoding="utf-8")
    return plan


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    return copy_plan(BUNDLED_PLAN, tmp_path / "plan")


@pytest.fixture
def progress_plan() -> Path:
    return FIXTURES / "progress"


class Repo:
    """A git repository holding a copy of the bundled plan in plan/, with helpers to change it."""

    def __init__(self, root: Path, plan: Path) -> None:
        self.root = root
        self.plan = plan

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def commit(self, message: str = "change") -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def action_path(self, action_id: int) -> Path:
        (path,) = self.plan.glob(f"actions/{action_id:02d}-*.yaml")
        return path

    def edit(self, path: Path, change: Callable[[dict[str, Any]], None]) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

    def edit_action(self, action_id: int, change: Callable[[dict[str, Any]], None]) -> None:
        self.edit(self.action_path(action_id), change)

    def add_update(self, action_id: int, day: str, rag: str, note: str, **extra: Any) -> None:
        def append(data: dict[str, Any]) -> None:
            data["updates"] = [*(data.get("updates") or []), {"date": day, "rag": rag, "note": note, **extra}]

        self.edit_action(action_id, append)

    def set(self, action_id: int, **values: Any) -> None:
        self.edit_action(action_id, lambda data: data.update(values))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    # Nobody's own git settings (signing, hooks, templates) may change what the tests commit.
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for variable in ("NAME", "EMAIL"):
        monkeypatch.setenv(f"GIT_AUTHOR_{variable}", "Test" if variable == "NAME" else "test@example.org")
        monkeypatch.setenv(f"GIT_COMMITTER_{variable}", "Test" if variable == "NAME" else "test@example.org")
    root = tmp_path / "repo"
    root.mkdir()
    plan = copy_plan(BUNDLED_PLAN, root / "plan")
    made = Repo(root, plan)
    made.git("init", "-q", "-b", "main")
    made.commit("the bundled plan")
    monkeypatch.chdir(root)
    return made


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for a test module (Debian's, not Playwright's download), shared by
    the browser and phone tests; skipped without one, unless VAWG_REQUIRE_BROWSER=1."""
    from test_report_browser import CHROMIUM_ARGS, NO_BROWSER, NO_PLAYWRIGHT, find_chromium, no_browser

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        no_browser(NO_PLAYWRIGHT)
    executable = find_chromium()
    if executable is None:
        no_browser(NO_BROWSER)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
