"""A cold run parses the files the cache lacks on every core first: the plan and every problem
must come out exactly as when each file is parsed in turn, and a failing pool must lose nothing."""

from __future__ import annotations

import re
import threading
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_plan
from vawg_cli.model.records import Action
from vawg_cli.plan import cache as cache_module
from vawg_cli.plan import loading, parsing, prefetch
from vawg_cli.plan.cache import ParseCache, file_stat
from vawg_cli.plan.loading import CheckedPlan, check_plan

TODAY = date(2026, 1, 20)

pytestmark = pytest.mark.skipif(
    prefetch._workers() < 2,
    reason="parsing in parallel needs fork, two cores and no other thread in this process",
)


@pytest.fixture
def big_plan(tmp_path: Path) -> Path:
    """The board fixture and forty copies of each of its actions, with some broken files among them."""
    plan = copy_plan(FIXTURES / "board", tmp_path / "plan")
    originals = sorted((plan / "actions").glob("*.yaml"))
    number = 100
    for copy in range(40):
        for source in originals:
            text, found = re.subn(r"(?m)^id: \d+$", f"id: {number}", source.read_text(encoding="utf-8"), count=1)
            assert found == 1, source
            if copy % 7 == 3:
                text = text.replace("target:", "target: [unclosed", 1)  # a YAML error
            elif copy % 11 == 5:
                text += "colour: purple\n"  # an unknown key
            (plan / "actions" / f"{number}-copy.yaml").write_text(text, encoding="utf-8")
            number += 1
    (plan / "actions" / "999-duplicate.yaml").write_text(
        (plan / "actions" / "100-copy.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return plan


def checked(plan: Path, cache_dir: Path | None) -> CheckedPlan:
    return check_plan(plan, today=TODAY, cache_dir=cache_dir)


def parsed_here(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the action files this process parses itself (workers' parsing is not counted here)."""
    calls: list[int] = []
    real = parsing.parse_plan_file

    def counting(*args: object, **kwargs: object) -> object:
        if args[1] is Action:
            calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loading, "parse_plan_file", counting)
    return calls


def test_in_parallel_the_plan_and_its_problems_are_as_in_turn(
    big_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prefetch, "PARALLEL_FROM", 10**9)
    in_turn = checked(big_plan, tmp_path / "serial")
    monkeypatch.setattr(prefetch, "PARALLEL_FROM", 50)
    here = parsed_here(monkeypatch)
    in_parallel = checked(big_plan, tmp_path / "parallel")
    assert here == [], "the action files were parsed by the workers, not here"
    assert in_parallel == in_turn
    assert in_turn.errors > 10  # the broken copies are reported, by either way
    assert in_parallel.plan is None or len(in_parallel.plan.actions) == len(in_turn.plan.actions)  # type: ignore[union-attr]


def test_files_parsed_in_different_workers_share_their_equal_days(
    big_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each worker's records come back with their own copies; the cache must keep one of each day.
    monkeypatch.setattr(prefetch, "PARALLEL_FROM", 50)
    here = parsed_here(monkeypatch)
    plan = checked(big_plan, tmp_path / "cache").plan
    assert here == [] and plan is not None
    kept: dict[date, date] = {}
    updates = [update for file in plan.actions for update in file.action.updates]
    assert all(kept.setdefault(update.date, update.date) is update.date for update in updates)
    assert len(updates) > 10 * len(kept)


def test_without_a_cache_folder_the_parsed_files_are_still_used(
    big_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # VAWG_NO_CACHE: nothing is written, but what the workers parsed is not parsed again.
    monkeypatch.setattr(prefetch, "PARALLEL_FROM", 10**9)
    in_turn = checked(big_plan, None)
    monkeypatch.setattr(prefetch, "PARALLEL_FROM", 50)
    here = parsed_here(monkeypatch)
    assert checked(big_plan, None) == in_turn
    assert here == []


def test_a_pool_that_fails_loses_nothing(big_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefetch, "PARALLEL_FROM", 10**9)
    in_turn = checked(big_plan, tmp_path / "serial")

    def failing(task: object) -> list[object]:
        raise MemoryError("a worker ran out of memory")

    monkeypatch.setattr(prefetch, "PARALLEL_FROM", 50)
    monkeypatch.setattr(prefetch, "_parse_many", failing)
    here = parsed_here(monkeypatch)
    assert checked(big_plan, tmp_path / "failed") == in_turn
    assert len(here) > 200, "every file was parsed in turn instead"


def test_no_fork_while_another_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert prefetch._workers() == 1
    finally:
        stop.set()
        thread.join()


def test_a_warm_run_does_not_look_at_every_file_twice(
    big_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prefetch, "PARALLEL_FROM", 50)
    checked(big_plan, tmp_path / "cache")  # fills the cache and its index
    looked: list[str] = []
    monkeypatch.setattr(prefetch, "file_stat", lambda path: looked.append(path))
    checked(big_plan, tmp_path / "cache")
    assert looked == []  # the files were each looked at once, in turn, by the reading itself


def test_a_file_nested_too_deeply_is_left_to_the_reading_in_turn(tmp_path: Path) -> None:
    # How deep a file may nest depends on the stack beneath the parser, deeper in a worker: so
    # that answer is never taken from a worker, where it could differ from reading in turn.
    deep, plain = tmp_path / "deep.yaml", tmp_path / "plain.yaml"
    deep.write_text("id: 1\ntitle: T\nleads: [LBB]\ntarget: Apr-25\nnotes: " + "[" * 6000 + "]" * 6000 + "\n")
    plain.write_text("id: 2\ntitle: T\nleads: [LBB]\ntarget: Apr-25\n")
    results = prefetch._parse_many((Action, None, b"Action:None:", 10**6, [str(deep), str(plain)]))
    assert [(path, entry is None) for path, _, _, entry in results] == [(str(deep), True), (str(plain), False)]
    entry = results[1][3]
    assert isinstance(entry, tuple) and isinstance(entry[0], Action) and entry[0].id == 2


def opened_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The action files this process opens to read them in turn (the workers' reading is not counted)."""
    opened: list[str] = []

    def counting(path: str, *args: object, **kwargs: object) -> object:
        if "/actions/" in str(path):
            opened.append(str(path))
        return open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(loading, "open", counting, raising=False)
    return opened


def test_a_file_a_worker_read_is_not_read_again_in_turn(
    big_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Files last changed before the run began: the hash a worker took of each is trusted while
    # its stat is the same (here "before" is any time before the run: racy by no margin).
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    monkeypatch.setattr(prefetch, "PARALLEL_FROM", 50)
    opened = opened_here(monkeypatch)
    in_parallel = checked(big_plan, tmp_path / "cache")
    assert opened == []
    monkeypatch.setattr(prefetch, "PARALLEL_FROM", 10**9)
    assert in_parallel == checked(big_plan, tmp_path / "serial")


def test_a_file_changed_near_the_run_is_read_again_in_turn(
    big_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Written a moment ago: within two seconds of the run, a change after a worker's reading could
    # leave the stat as it was, so each file is read again (the index's own rule).
    monkeypatch.setattr(prefetch, "PARALLEL_FROM", 50)
    opened = opened_here(monkeypatch)
    checked(big_plan, tmp_path / "cache")
    assert len(opened) == len(list((big_plan / "actions").glob("*.yaml")))


def test_a_worker_reading_is_not_trusted_once_the_file_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    path = tmp_path / "1.yaml"
    path.write_text("id: 1\n")
    then = file_stat(str(path))
    path.write_text("id: 22\n")  # changed after the worker's reading: a new size and change time
    now = file_stat(str(path))
    assert then is not None and now is not None
    cache = ParseCache(None, tmp_path)  # both before the run: only the stat tells them apart
    cache.fetched(str(path), then, b"hash of what the worker read")
    assert cache.known_digest(str(path), now) is None
    cache.fetched(str(path), now, b"hash of what the worker read")
    assert cache.known_digest(str(path), now) == b"hash of what the worker read"
