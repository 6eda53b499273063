"""Cache files written by a forked child while the command goes on (plan/background.py): the
command must not end before they are written, the child must write nothing a user reads, and
without fork (or with another thread running) the write is done in turn."""

from __future__ import annotations

import os
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from vawg_cli.cli import quick
from vawg_cli.plan import background

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="only where the system can fork")


@pytest.fixture
def enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(background, "enabled", True)


def slow_write(path: Path) -> None:
    time.sleep(0.3)
    path.write_text("written")


def test_wait_returns_once_the_child_has_written(enabled: None, tmp_path: Path) -> None:
    target = tmp_path / "cache"
    background.run(lambda: slow_write(target))
    assert not target.exists()  # being written in the child, while this process goes on
    background.wait()
    assert target.read_text() == "written"


def test_the_command_waits_for_its_children_before_it_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    waited: list[bool] = []
    monkeypatch.setattr(background, "wait", lambda: waited.append(True))

    def ended(status: int) -> None:
        raise SystemExit(status)

    monkeypatch.setattr(os, "_exit", ended)
    monkeypatch.setattr(sys, "getprofile", lambda: None)  # as outside coverage's tracer
    monkeypatch.setattr(sys, "gettrace", lambda: None)
    with pytest.raises(SystemExit):
        quick.finish(0)
    assert waited == [True]


def test_the_child_writes_nothing_a_user_reads(enabled: None, capfd: pytest.CaptureFixture[str]) -> None:
    background.run(lambda: (os.write(1, b"from the child\n"), os.write(2, b"from the child\n")))
    background.wait()
    out, err = capfd.readouterr()
    assert "from the child" not in out + err


def test_off_the_work_is_done_in_turn(tmp_path: Path) -> None:
    assert background.enabled is False  # as the tests' process leaves it
    target = tmp_path / "cache"
    background.run(lambda: target.write_text("written"))
    assert target.read_text() == "written"


def test_no_fork_while_another_thread_runs(enabled: None, tmp_path: Path) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        target = tmp_path / "cache"
        background.run(lambda: target.write_text(str(os.getpid())))
        assert target.read_text() == str(os.getpid())  # written here, not in a child
    finally:
        stop.set()
        thread.join()


def test_a_second_check_in_one_command_reads_what_the_first_wrote(
    enabled: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `vawg update` checks the plan, then checks it again with the change: the second must find
    # the parse cache the first is still writing in its child (here, slowly).
    from conftest import FIXTURES, copy_plan
    from vawg_cli.plan import cache, loading, parsing

    real_save = cache.ParseCache.save

    def slow_save(self: cache.ParseCache) -> None:
        time.sleep(0.5)
        real_save(self)

    monkeypatch.setattr(cache.ParseCache, "save", slow_save)
    plan = copy_plan(FIXTURES / "board", tmp_path / "plan")
    loading.check_plan(plan, today=date(2026, 1, 20), cache_dir=tmp_path / "cache")
    parsed: list[bytes] = []
    real_parse = parsing.parse_plan_file

    def counting(raw: bytes, *args: object, **kwargs: object) -> object:
        parsed.append(raw)
        return real_parse(raw, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loading, "parse_plan_file", counting)
    loading.check_plan(plan, today=date(2026, 1, 20), cache_dir=tmp_path / "cache")
    background.wait()
    assert parsed == []
