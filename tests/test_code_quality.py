"""ruff, mypy --strict and the import contracts over the code, so that the README's one test command covers them too."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)


def test_ruff() -> None:
    pytest.importorskip("ruff", reason="ruff not installed: pip install '.[test]'")
    done = run(sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks", "scripts")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict() -> None:
    pytest.importorskip("mypy", reason="mypy not installed: pip install '.[test]'")
    done = run(sys.executable, "-m", "mypy")
    assert done.returncode == 0, done.stdout + done.stderr


def test_import_contracts() -> None:
    """The layers the README draws, and who may import Typer, Rich and Jinja (pyproject.toml)."""
    pytest.importorskip("importlinter", reason="import-linter not installed: pip install '.[test]'")
    done = run(
        sys.executable,
        "-c",
        "from importlinter.cli import lint_imports; raise SystemExit(lint_imports(no_cache=True, no_logo=True))",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 4 kept, 0 broken." in done.stdout


def test_no_module_is_over_400_lines() -> None:
    """Small modules named for what they hold: a module past 400 lines holds two jobs."""
    package = REPO / "src" / "vawg_cli"
    sizes = {
        p.relative_to(package).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in package.rglob("*.py")
    }
    assert {name: lines for name, lines in sizes.items() if lines > 400} == {}
