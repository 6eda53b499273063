"""Equal days, partners and targets across a plan's records are one object (plan/sharing.py):
that changes no record, survives the parse cache, and holds for files parsed in workers too."""

from __future__ import annotations

import pickle
import re
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from conftest import FIXTURES, copy_plan
from test_compact import actions
from vawg_cli.model.records import Action, PlanSettings, Rag, Update
from vawg_cli.model.schedule import parse_target
from vawg_cli.plan.loading import load_plan
from vawg_cli.plan.sharing import shared

TODAY = date(2026, 1, 20)


@given(st.lists(actions(1), min_size=1, max_size=5))
def test_sharing_changes_no_record(drawn: list[Action]) -> None:
    pool: dict[object, object] = {}
    for action in drawn:
        problems = ((3, 1, "warning", "a problem"),)
        record, kept = shared((action, problems), pool)
        assert record == action
        assert kept is problems
        # and a second pass finds everything already shared: the same objects again
        again, _ = shared((record, problems), pool)
        assert again == record
        assert all(a.date is b.date for a, b in zip(again.updates, record.updates, strict=True))


def test_equal_values_of_different_actions_are_one_object() -> None:
    pool: dict[object, object] = {}
    first, second = (shared((_action(number), ()), pool)[0] for number in (1, 2))
    assert first.updates[0].date is not _action(1).updates[0].date  # the test's own values are not shared
    assert first.updates[0].date is second.updates[0].date
    assert first.updates[0].by is second.updates[0].by
    assert first.leads is second.leads
    assert first.target is second.target
    assert first.schedule is second.schedule


def test_other_entries_come_back_as_they_are() -> None:
    settings = PlanSettings("Plan", date(2024, 4, 1), date(2028, 3, 31), {"Met": "Police"})
    for entry in ((settings, ()), (None, ((1, 1, "error", "bad"),)), "damaged"):
        assert shared(entry, {}) is entry


def test_a_loaded_plan_shares_its_days_and_keeps_them_shared_through_the_cache(tmp_path: Path) -> None:
    plan = copy_plan(FIXTURES / "board", tmp_path / "plan")
    # A second action with the first one's updates: every day in it is also the first one's.
    first = (plan / "actions" / "01-update-strategy.yaml").read_text(encoding="utf-8")
    (plan / "actions" / "11-copy.yaml").write_text(re.sub(r"(?m)^id: 1$", "id: 11", first), encoding="utf-8")
    cache_dir = tmp_path / "cache"
    for run in ("cold", "warm"):
        loaded = load_plan(plan, today=TODAY, cache_dir=cache_dir)
        kept: dict[date, date] = {}
        for file in loaded.actions:
            for update in file.action.updates:
                assert kept.setdefault(update.date, update.date) is update.date, (run, file.name, update.date)
        # Days in common between actions, or this test would prove nothing.
        assert sum(len(f.action.updates) for f in loaded.actions) > len(kept), run
    assert any(cache_dir.glob("plan-*.pickle"))


def test_pickle_stores_a_shared_day_once() -> None:
    pool: dict[object, object] = {}
    back = pickle.loads(pickle.dumps([shared((_action(number), ()), pool) for number in (1, 2)]))
    assert back[0][0].updates[0].date is back[1][0].updates[0].date


def _fresh(text: str) -> str:
    """An equal string that is a new object, as parsing another file gives (literals are shared)."""
    return text.encode().decode()


def _action(number: int) -> Action:
    """An action made of new objects only, as parsing its own file makes it."""
    target = _fresh("Mar-26")
    update = Update(date(2025, 5, 1), Rag.GREEN, "note", _fresh("Met"))
    return Action(number, "Title", (_fresh("Met"), _fresh("LBB")), target, parse_target(target), (update,))
