"""`vawg check` over a plan with a problem in many files: the findings of the rules across files
get their lines from the parse cache on a warm run, never stale ones, and the output is the same
as when every file is parsed again."""

from __future__ import annotations

import sys
import weakref
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, copy_plan
from vawg_cli.errors import Diagnostic
from vawg_cli.plan import cache as cache_module
from vawg_cli.plan import positions_cache, yaml_source
from vawg_cli.plan.cache import ParseCache
from vawg_cli.plan.loading import CheckedPlan, check_plan
from vawg_cli.plan.positions_cache import PREFIX
from vawg_cli.render.diagnostics import render_text

TODAY = date(2026, 1, 20)
DUPLICATE = "actions/02-raise-awareness.yaml"
DATED_AHEAD = "actions/03-referral-processes.yaml"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """The board plan with findings across files: a duplicate id, an update dated after today
    (a path into a list), and a measure naming an action that is then missing."""
    folder = copy_plan(FIXTURES / "board", tmp_path / "plan")
    edit(folder / DUPLICATE, "id: 2\n", "id: 1\n")
    text = (folder / DATED_AHEAD).read_text(encoding="utf-8")
    last = text.rindex("  - date: ")
    (folder / DATED_AHEAD).write_text(text[:last] + "  - date: 2026-06-01" + text[last + 20 :], encoding="utf-8")
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check(folder: Path, cache_dir: Path | None, overrides: dict[Path, bytes] | None = None) -> CheckedPlan:
    return check_plan(folder, today=TODAY, cache_dir=cache_dir, overrides=overrides)


def placed(checked: CheckedPlan, folder: Path) -> list[tuple[str, int, int]]:
    return [(d.path.relative_to(folder).as_posix(), d.line, d.column) for d in checked.diagnostics]


def parses(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every file parsed again for positions from now on (a file's record is parsed elsewhere)."""
    asked: list[bytes] = []
    real = yaml_source.parse

    def recording(raw: bytes) -> yaml_source.Source:
        if sys._getframe(1).f_globals["__name__"] == positions_cache.__name__:
            asked.append(raw)
        return real(raw)

    monkeypatch.setattr(yaml_source, "parse", recording)
    return asked


def test_the_fixture_has_findings_in_three_files(plan: Path) -> None:
    where = placed(check(plan, None), plan)
    assert (DUPLICATE, 3, 5) in where
    assert "measures/COMMUNITY-GROUPS.yaml" in {path for path, _, _ in where}
    assert any(path == DATED_AHEAD and line > 3 for path, line, _ in where)


@pytest.mark.parametrize("index_trusted", [True, False], ids=["stat-index", "files-read-again"])
def test_a_warm_check_takes_every_position_from_the_cache(
    plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index_trusted: bool
) -> None:
    if index_trusted:  # files are not read again: the hash comes from the stat index
        monkeypatch.setattr(cache_module, "RACY_NS", -(10**19))
    cache_dir = tmp_path / "cache"
    cold = check(plan, cache_dir)
    assert cold.diagnostics == check(plan, None).diagnostics

    def refuse(raw: bytes) -> yaml_source.Source:
        raise AssertionError("a file was parsed again for positions on a warm run")

    monkeypatch.setattr(yaml_source, "parse", refuse)
    warm = check(plan, cache_dir)
    assert warm.diagnostics == cold.diagnostics
    assert render_text(warm.diagnostics, plan, files=1, errors=1, warnings=0) == render_text(
        cold.diagnostics, plan, files=1, errors=1, warnings=0
    )


@pytest.mark.parametrize("index_trusted", [True, False], ids=["stat-index", "files-read-again"])
def test_an_edited_file_gets_its_new_line_not_the_cached_one(
    plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index_trusted: bool
) -> None:
    if index_trusted:
        monkeypatch.setattr(cache_module, "RACY_NS", -(10**19))
    cache_dir = tmp_path / "cache"
    assert (DUPLICATE, 3, 5) in placed(check(plan, cache_dir), plan)
    path = plan / DUPLICATE
    path.write_bytes(b"# a comment the editor added\n" + path.read_bytes())

    asked = parses(monkeypatch)
    where = placed(check(plan, cache_dir), plan)
    assert (DUPLICATE, 4, 5) in where
    assert (DUPLICATE, 3, 5) not in where
    assert asked == [path.read_bytes()]  # that file alone is parsed again
    assert check(plan, cache_dir).diagnostics == check(plan, None).diagnostics


@pytest.mark.parametrize(
    "garbage",
    [(0, 5), (1, 0), (-3, 5), (True, 1), (3.0, 5.0), ("3", "5"), (3,), (3, 5, 7), [3, 5], "35", 35, (None, None)],
)
def test_a_damaged_position_is_a_miss_and_the_file_is_parsed(
    plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, garbage: object
) -> None:
    cache_dir = tmp_path / "cache"
    expected = check(plan, cache_dir).diagnostics
    real_get = ParseCache.get

    def damaged(self: ParseCache, key: bytes) -> Any:
        entry = real_get(self, key)
        return garbage if key.startswith(PREFIX) and entry is not None else entry

    monkeypatch.setattr(ParseCache, "get", damaged)
    asked = parses(monkeypatch)
    assert check(plan, cache_dir).diagnostics == expected
    assert len(asked) == 3  # each file with a finding, once

    monkeypatch.setattr(ParseCache, "get", real_get)
    asked.clear()
    assert check(plan, cache_dir).diagnostics == expected
    assert asked == []  # the right positions were kept in place of the damaged ones


def test_a_damaged_cache_file_is_a_miss(plan: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    expected = check(plan, cache_dir).diagnostics
    (cache_file,) = cache_dir.glob("plan-*.pickle")
    raw = cache_file.read_bytes()
    cache_file.write_bytes(raw[: len(raw) // 2])
    assert check(plan, cache_dir).diagnostics == expected


def test_overrides_are_placed_on_the_new_content(plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cache"
    path = plan / DUPLICATE
    on_disk = path.read_bytes()
    assert (DUPLICATE, 3, 5) in placed(check(plan, cache_dir), plan)  # the disk's positions are cached

    # A write that would add two lines above the id: the file on disk is unchanged.
    coming = b"# one\n# two\n" + on_disk
    where = placed(check(plan, cache_dir, overrides={path: coming}), plan)
    assert (DUPLICATE, 5, 5) in where
    assert (DUPLICATE, 3, 5) not in where
    assert path.read_bytes() == on_disk

    # Placed from the cache the second time, still on the new content.
    asked = parses(monkeypatch)
    assert (DUPLICATE, 5, 5) in placed(check(plan, cache_dir, overrides={path: coming}), plan)
    assert asked == []
    assert (DUPLICATE, 3, 5) in placed(check(plan, cache_dir), plan)


def test_an_override_for_a_new_file_is_placed(plan: Path, tmp_path: Path) -> None:
    new = plan / "actions" / "11-new.yaml"
    content = (plan / DUPLICATE).read_bytes().replace(b"id: 1\n", b"\n\nid: 1\n", 1)
    where = placed(check(plan, tmp_path / "cache", overrides={new: content}), plan)
    assert ("actions/11-new.yaml", 5, 5) in where


def test_one_file_tree_is_held_at_a_time(plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    live: weakref.WeakSet[yaml_source.Positions] = weakref.WeakSet()
    most = 0

    class Counted(yaml_source.Positions):
        def __init__(self, root: Any) -> None:
            nonlocal most
            super().__init__(root)
            live.add(self)
            most = max(most, len(live))

    monkeypatch.setattr(yaml_source, "Positions", Counted)
    check(plan, tmp_path / "cache")
    assert most == 1


@pytest.mark.parametrize(
    "base", ["/", "/srv", "/srv/plan", "/srv/plan/actions", "/elsewhere", "/SRV/plan", "relative", "."]
)
def test_rendered_paths_are_those_of_the_diagnostics_own_format(base: str) -> None:
    paths = [
        "/srv/plan/actions/01-a.yaml",
        "/srv/plan/actions/02-b.yaml",
        "/srv/plan/plan.yaml",
        "/srv/plan",
        "/srv/plan/actions",
        "/srv/planned/actions/01-a.yaml",
        "/srv",
        "/",
        "/srv/plan/measures/X\nY.yaml",
        "relative/plan.yaml",
        "plan.yaml",
    ]
    diagnostics = [Diagnostic(Path(path), 3, 5, "error", "a message") for path in paths * 2]
    lines = render_text(diagnostics, Path(base), files=1, errors=1, warnings=0).splitlines()
    assert lines[:-1] == [d.format(Path(base)) for d in diagnostics]
