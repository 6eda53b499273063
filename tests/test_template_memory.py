"""A template that asks for gigabytes is stopped with one line, as one that runs too long is: a
pull request's template must not take CI's runner down with it (render/memory_limit.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, plan_with_template

resource = pytest.importorskip("resource")
pytestmark = pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="the limit is set where Linux tells it")

CAP = 4 * 1024**3
"""The test's own ceiling: were vawg's limit gone, the template would stop here, not take the machine."""


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


@pytest.mark.parametrize(
    "template",
    [
        '{% set ns = namespace(s="abcdefghij" * 1000000) %}'
        "{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
        '{{ "x"|center(3000000000) }}',
    ],
)
def test_a_template_that_asks_for_gigabytes_is_stopped(template: str, tmp_path: Path) -> None:
    plan = plan_with_template(FIXTURES / "board", tmp_path / "plan", "report.md.j2", template + "\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "vawg_cli",
            "report",
            "--plan",
            str(plan),
            "--quarter",
            "2025-Q3",
            "--as-of",
            "2026-01-15",
        ],
        capture_output=True,
        text=True,
        preexec_fn=_capped,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "asked for more memory than any paper needs" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_limit_is_lifted_after_the_paper(tmp_path: Path) -> None:
    from vawg_cli.render.memory_limit import memory_limit

    before = resource.getrlimit(resource.RLIMIT_AS)
    with memory_limit():
        assert resource.getrlimit(resource.RLIMIT_AS)[0] != resource.RLIM_INFINITY
    assert resource.getrlimit(resource.RLIMIT_AS) == before
