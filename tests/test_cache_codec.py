"""The parse cache keeps actions as rows of plain values: every action comes back exactly as it
went in, through marshal, and a damaged row is a miss, never a wrong action."""

from __future__ import annotations

import marshal
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, copy_plan
from vawg_cli.model.records import Action, Lifecycle, LifecycleChange, Rag, TargetChange, Update
from vawg_cli.model.schedule import Schedule, parse_target
from vawg_cli.plan import cache_codec
from vawg_cli.plan.cache_codec import decode, encode
from vawg_cli.plan.loading import load_plan

TEXT = st.text(max_size=30)
MAYBE_TEXT = st.none() | TEXT
DAYS = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
TARGETS = ["Apr-25", "2026-03-31", "Quarterly", "November annually", "Ongoing", "TBC", "Year 2", "Q4 2025/26"]

updates = st.builds(
    Update,
    date=DAYS,
    rag=st.sampled_from(list(Rag)),
    note=TEXT,
    by=MAYBE_TEXT,
    restricted=st.booleans(),
    next_steps=MAYBE_TEXT,
    board_ask=MAYBE_TEXT,
)
target_changes = st.builds(TargetChange, date=DAYS, old=TEXT, new=TEXT, reason=TEXT, approved_by=MAYBE_TEXT)
lifecycle_changes = st.builds(
    LifecycleChange,
    date=DAYS,
    state=st.sampled_from(list(Lifecycle)),
    reason=TEXT,
    superseded_by=st.none() | st.integers(1, 10**6),
)


@st.composite
def actions(draw: st.DrawFn) -> Action:
    target = draw(st.sampled_from(TARGETS))
    return Action(
        id=draw(st.integers(1, 10**9)),
        title=draw(TEXT),
        leads=tuple(draw(st.lists(TEXT, max_size=3))),
        target=target,
        schedule=parse_target(target),
        updates=tuple(draw(st.lists(updates, max_size=4))),
        owner=draw(MAYBE_TEXT),
        theme=draw(MAYBE_TEXT),
        description=draw(MAYBE_TEXT),
        notes=draw(MAYBE_TEXT),
        target_history=tuple(draw(st.lists(target_changes, max_size=2))),
        added=draw(st.none() | DAYS),
        ref=draw(MAYBE_TEXT),
        lifecycle=tuple(draw(st.lists(lifecycle_changes, max_size=2))),
    )


@settings(deadline=None, max_examples=300)
@given(st.lists(actions(), min_size=1, max_size=5))
def test_every_action_comes_back_as_it_went_in(plan: list[Action]) -> None:
    table: dict[Schedule, int] = {}
    rows = marshal.loads(marshal.dumps([encode(action, table) for action in plan]))
    schedules = tuple(table)
    back = [decode(row, schedules) for row in rows]
    assert back == plan
    # Field by field too: equal is not enough when a NamedTuple could compare equal to a tuple.
    for got, want in zip(back, plan, strict=True):
        assert all(type(u) is Update and type(u.rag) is Rag for u in got.updates)
        assert [type(c) for c in got.target_history] == [TargetChange] * len(want.target_history)
        assert [type(c.state) for c in got.lifecycle] == [Lifecycle] * len(want.lifecycle)


def test_a_plan_comes_back_from_the_cache_as_it_was_read(tmp_path: Path) -> None:
    plan = copy_plan(FIXTURES / "board", tmp_path / "plan")
    cache_dir = tmp_path / "cache"
    fresh = load_plan(plan, today=date(2026, 1, 20), cache_dir=None)
    load_plan(plan, today=date(2026, 1, 20), cache_dir=cache_dir)
    cached = load_plan(plan, today=date(2026, 1, 20), cache_dir=cache_dir)
    assert cached == fresh


@pytest.mark.parametrize(
    "damage",
    [
        lambda row: row[:-1],  # a field short
        lambda row: (*row[:5], ((1, 99, "note", None, False, None, None),), *row[6:]),  # no such colour
        lambda row: (*row[:4], 10**6, *row[5:]),  # no such schedule
        lambda row: (*row[:5], (("not a day", 0, "note", None, False, None, None),), *row[6:]),
    ],
)
def test_a_damaged_row_is_a_miss_and_the_file_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: Callable[[tuple[object, ...]], tuple[object, ...]]
) -> None:
    plan = copy_plan(FIXTURES / "board", tmp_path / "plan")
    cache_dir = tmp_path / "cache"
    fresh = load_plan(plan, today=date(2026, 1, 20), cache_dir=None)
    load_plan(plan, today=date(2026, 1, 20), cache_dir=cache_dir)
    real = cache_codec.decode

    def damaged(row: tuple[object, ...], schedules: tuple[Schedule, ...]) -> Action:
        return real(damage(row), schedules)

    monkeypatch.setattr(cache_codec, "decode", damaged)
    assert load_plan(plan, today=date(2026, 1, 20), cache_dir=cache_dir) == fresh
