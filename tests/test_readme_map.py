"""The README's map of the code ("How it is built") is the code: every module, and the layers' order."""

from __future__ import annotations

import re

from conftest import REPO

PACKAGE = REPO / "src" / "vawg_cli"


def _section() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("## How it is built")
    end = readme.find("\n## ", start + 1)
    return readme[start : end if end != -1 else len(readme)]


def test_every_module_is_on_the_map_and_nothing_else() -> None:
    listed = set(re.findall(r"(?m)^\| `([\w/]+\.py)` \|", _section()))
    real = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}
    assert sorted(real - listed) == [], "modules missing from the README's map"
    assert sorted(listed - real) == [], "the README's map names modules that do not exist"


def test_the_layers_are_drawn_in_the_order_the_contract_enforces() -> None:
    # Read with a pattern rather than tomllib, which Python 3.10 does not have.
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    block = re.search(r'(?s)type = "layers"\nlayers = \[(.*?)\]', pyproject)
    assert block is not None
    layers = re.findall(r'"([^"]+)"', block[1])
    drawn = re.search(r"(?m)^layers: (.+)$", _section())
    assert drawn is not None, "the README's map has no 'layers:' line"
    names = [name.removeprefix("vawg_cli.") for layer in layers for name in layer.split(" | ")]
    assert re.findall(r"[\w.]+", drawn[1].replace("/", "")) == names
