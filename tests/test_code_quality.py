"""ruff, mypy --strict and the import contracts over the code, so that the README's one test command covers them too."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

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


# Calls that read the clock, by the full name their module gives them.
CLOCK_READS = {
    "datetime.date.today",
    "datetime.datetime.now",
    "datetime.datetime.today",
    "datetime.datetime.utcnow",
    "time.time",
    "time.time_ns",
}


def _imported_names(tree: ast.Module) -> dict[str, str]:
    """What each name bound by an import stands for: `dt` for `datetime`, `date` for `datetime.date`."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    top = alias.name.partition(".")[0]
                    names[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


def _run_on_import(tree: ast.Module) -> Iterator[ast.AST]:
    """Every node evaluated when the module is imported: all but the bodies of functions and lambdas.

    A function's decorators and default values run when it is defined, so they count; so does a class body.
    """
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            if not isinstance(node, ast.Lambda):
                stack.extend(node.decorator_list)
            stack.extend(node.args.defaults)
            stack.extend(default for default in node.args.kw_defaults if default is not None)
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def clock_reads_on_import(source: str) -> list[tuple[int, str]]:
    """(line, name) of each call that reads the clock while the module is imported."""
    tree = ast.parse(source)
    imported = _imported_names(tree)
    found = []
    for node in _run_on_import(tree):
        if isinstance(node, ast.Call) and (name := _dotted(node.func)) is not None:
            head, dot, rest = name.partition(".")
            full = imported.get(head, head) + dot + rest
            if full in CLOCK_READS:
                found.append((node.lineno, name))
    return sorted(found)


def test_no_test_reads_the_clock_on_import() -> None:
    """A date taken at import goes stale in a long run and differs between runs: tests use fixed dates."""
    tests = Path(__file__).parent
    found = [
        f"{path.relative_to(REPO)}:{line}: {name}()"
        for path in sorted(tests.rglob("*.py"))
        for line, name in clock_reads_on_import(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "read the clock at import time; use a fixed date:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from datetime import date\nTODAY = date.today()\n", [(2, "date.today")]),
        ("import datetime as dt\nNOW = [dt.datetime.now()]\n", [(2, "dt.datetime.now")]),
        ("from time import time\nclass T:\n    began = time()\n", [(3, "time")]),
        ("import time\ndef f(at=time.time()):\n    pass\n", [(2, "time.time")]),
        (
            "import pytest\nfrom datetime import datetime\n"
            "@pytest.mark.parametrize('day', [datetime.utcnow()])\ndef test(day):\n    pass\n",
            [(3, "datetime.utcnow")],
        ),
        ("from datetime import date\ndef test():\n    assert date.today()\n", []),
        ("from datetime import date\nf = lambda: date.today()\n", []),
        ("from datetime import date\nTODAY = date(2026, 11, 24)\n", []),
    ],
    ids=["constant", "alias", "class body", "default argument", "parametrize", "in a test", "in a lambda", "fixed"],
)
def test_clock_reads_on_import_are_found(source: str, expected: list[tuple[int, str]]) -> None:
    assert clock_reads_on_import(source) == expected
