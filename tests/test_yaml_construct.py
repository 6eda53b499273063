"""A plain YAML tree is built without PyYAML's constructor: the data must be what it would give."""

from __future__ import annotations

import math
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from vawg_cli.plan import yaml_source
from vawg_cli.plan.yaml_source import SourceError, parse

# Plain scalars that YAML 1.1 reads as something other than text, and text that looks close.
PLAIN = st.sampled_from(
    [
        "yes", "No", "on", "off", "true", "~", "null", "", "0x1F", "0o17", "017", "1_000", "1:30", "-12",
        "+7", "3.5", "1e3", ".inf", "-.Inf", ".nan", "2025-01-02", "2025-1-2", "2025-13-01", "2025-01-02 10:30:00",
        "2025-01-02T10:30:00Z", "green", "Apr-25", "N/A", "TBC", "12 of 40", "50%", "'quoted'", '"double"',
        "#not a comment", "a: b", "- item", "!!str 12", "!!int 12", "!!float 1", "!!bool yes", "!!null ''",
        "!!binary aGVsbG8=", "!!timestamp 2025-01-02",
    ]
)  # fmt: skip
KEYS = st.sampled_from(["id", "title", "note", "date", "rag", "by", "targets", "2025", "value"])


def _same(a: Any, b: Any) -> bool:
    """Equal, with NaN equal to itself and types compared too (1 and True and 1.0 differ here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _by_pyyaml(text: str) -> Any:
    loader = yaml_source._Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A block mapping of scalars, flow and block lists and nested mappings, as plan files are written."""
    lines = []
    for key in draw(st.lists(KEYS, min_size=1, max_size=6)):
        shape = draw(st.sampled_from(["scalar", "block list", "flow list", "mapping", "text"]))
        if shape == "scalar":
            lines.append(f"{key}: {draw(PLAIN)}")
        elif shape == "text":
            value = draw(st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=20))
            style = draw(st.sampled_from([None, '"', "'"]))
            written = yaml.safe_dump(value, default_style=style, width=10**6).removesuffix("\n...\n").strip()
            lines.append(f"{key}: {written}")
        elif shape == "block list":
            lines.append(f"{key}:")
            lines += [f"  - {draw(PLAIN)}" for _ in range(draw(st.integers(0, 3)))]
        elif shape == "flow list":
            items = draw(st.lists(st.sampled_from(["1", "a", "yes", "2025-01-02", "~"]), max_size=3))
            lines.append(f"{key}: [{', '.join(items)}]")
        else:
            lines.append(f"{key}:")
            lines += [f"  {inner}: {draw(PLAIN)}" for inner in draw(st.lists(KEYS, min_size=1, max_size=3))]
    return "\n".join(lines) + "\n"


@settings(deadline=None, max_examples=400)
@given(documents())
def test_a_plain_tree_is_built_as_pyyaml_builds_it(text: str) -> None:
    try:
        expected = _by_pyyaml(text)
    except (yaml.YAMLError, ValueError):
        return  # not a document PyYAML reads: parse() reports it its own way
    try:
        got = parse(text.encode()).data
    except SourceError:
        return  # refused before construction (a key that is not a word, say): nothing to compare
    assert _same(got, expected), (text, got, expected)


@pytest.mark.parametrize(
    "text",
    [
        "base: &b {rag: green}\nother: *b\n",  # an alias: PyYAML's own constructor
        "base: &b {rag: green}\nother:\n  <<: *b\n  note: x\n",  # a merge key
        "set: !!set {a, b}\n",  # a collection with a tag of its own
        "pairs: !!omap [a: 1, b: 2]\n",
    ],
)
def test_what_needs_pyyaml_still_gets_it(text: str) -> None:
    assert _same(parse(text.encode()).data, _by_pyyaml(text))


def test_a_python_tag_is_still_refused() -> None:
    with pytest.raises(SourceError):
        parse(b"title: !!python/object/apply:os.system ['echo hi']\n")
