"""Laws of adding updates, checked over many generated cases: date order, and no other byte touched."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from vawg_cli.edit.writes import splice_update
from vawg_cli.model.records import Rag, Update
from vawg_cli.plan.yaml_source import parse

HEAD = "# Action 3\nid: 3\ntitle: T\nleads: [LBB]\ntarget: Apr-25   # agreed\n"
LAYOUTS = [
    "updates: []\n",
    "updates:\n",
    "",
    "updates:   # oldest first\n  # the first return\n  - date: 2025-01-01\n    rag: green\n    note: start\n",
    "updates:\n-   date: 2025-01-01\n    rag: green\n    note: >\n      folded\n      note\n\n# the end\n",
    "updates: [{date: 2025-01-01, rag: green, note: start}]   # flow\n",
    "updates:\n  - {date: 2025-01-01, rag: green, note: start}\nowner: Jo   # after the list\n",
]
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))


def data_of(text: str) -> dict[str, Any]:
    data = parse(text.encode("utf-8")).data
    assert isinstance(data, dict)
    return data


def is_one_insertion(old: str, new: str) -> bool:
    """Whether `new` is `old` with one run of text put in somewhere, every old byte kept in order."""
    prefix = 0
    while prefix < len(old) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = len(old) - prefix
    return len(new) > len(old) and new[len(new) - suffix :] == old[prefix:]


@settings(max_examples=150, deadline=None)
@given(layout=st.sampled_from(LAYOUTS), days=st.lists(DAYS, min_size=1, max_size=8), crlf=st.booleans())
def test_updates_added_in_any_order_end_in_date_order_and_keep_every_other_byte(
    layout: str, days: list[date], crlf: bool
) -> None:
    text = HEAD + layout
    if crlf:
        text = text.replace("\n", "\r\n")
    for number, day in enumerate(days):
        data = data_of(text)
        before = list(data.get("updates") or [])
        new_text, at = splice_update(text, data, Update(day, Rag.AMBER, f"return {number}", None, False))
        if before:  # the first item may have to replace an empty `[]`; after that, only insertions
            assert is_one_insertion(text, new_text), (text, new_text)
        after = data_of(new_text)
        item = {"date": day, "rag": "amber", "note": f"return {number}"}
        assert after == {**data, "updates": [*before[:at], item, *before[at:]]}
        if crlf:  # the new lines take the file's own line endings
            assert "\n" not in new_text.replace("\r\n", "")
        text = new_text
    updates = data_of(text)["updates"]
    assert [u["date"] for u in updates] == sorted(u["date"] for u in updates)
    # Returns of the same day stay in the order they were added.
    added = [(u["date"], int(u["note"].split()[1])) for u in updates if u["note"].startswith("return ")]
    assert added == sorted(added)
