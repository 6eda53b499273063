"""render/indented_json.py writes what `json.dumps(value, indent=2, ensure_ascii=False)` writes,
byte for byte, for any JSON value: the export and `vawg status --format json` rely on it."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from test_compact import DAYS, SETTINGS, plans
from vawg_cli.core.status import statuses_on
from vawg_cli.model.records import Action
from vawg_cli.render.indented_json import dumps, members
from vawg_cli.render.status import as_record, render_json

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()  # any code point: quotes, backslashes, controls, lone surrogates
)
KEYS = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=30,
)


@given(VALUES)
@example({"a": [], "b": {}, "c": [[]], "d": True, "e": 1, "f": None, "g": '\u2028\x00"\\'})
@example([{"nested": {"deeper": [1, 2.5, float("nan"), float("-inf")]}}])
def test_dumps_is_json_dumps(value: Any) -> None:
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


@given(st.dictionaries(st.text(), VALUES, min_size=1, max_size=4), st.integers(0, 4))
def test_a_value_written_deeper_is_json_dumps_indented(mapping: dict[str, Any], level: int) -> None:
    inner = "  " * level
    expected = json.dumps(mapping, indent=2, ensure_ascii=False).replace("\n", "\n" + inner)
    assert dumps(mapping, level) == expected
    # and its members alone, as a document written a part at a time puts them between its braces
    assert "{\n  " + inner + members(mapping, level) + "\n" + inner + "}" == expected


@given(plans(), DAYS)
def test_status_json_is_json_dumps_of_the_records(plan: list[Action], as_of: date) -> None:
    statuses = statuses_on(plan, SETTINGS, as_of)
    expected = json.dumps([as_record(s, SETTINGS) for s in statuses], indent=2, ensure_ascii=False) + "\n"
    assert render_json(statuses, SETTINGS) == expected
