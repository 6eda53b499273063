"""The parse cache's stat index: a file whose stat is unchanged is not read again, and the index
is never stale: an edit that keeps size and mtime, an edit in the same second, a file replaced by
a rename, removed, a plan moved, or new code, is always seen. Status is the same with the index,
without any cache, and cold."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import BUNDLED_PLAN, FIXTURES, copy_plan
from vawg_cli.cli import app
from vawg_cli.plan import cache as cache_module
from vawg_cli.plan.cache import RACY_NS, ParseCache, file_stat
from vawg_cli.plan.loading import load_plan

TODAY = date(2026, 1, 20)


def titles(folder: Path, cache_dir: Path | None) -> dict[int, str]:
    plan = load_plan(folder, today=TODAY, cache_dir=cache_dir)
    return {f.action.id: f.action.title for f in plan.actions}


def age(path: Path, seconds: int = 3600) -> None:
    """Put a file's modification time an hour back, as a file long in a checkout is."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - seconds * 1_000_000_000))


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Every edit after a run began is also newer than that run, so the racy rule alone would
    # read it again, and these tests could not tell whether the stat comparison works. Here no
    # entry is racy (as if the clock had gone back): only the stat comparison stands between the
    # index and a stale file. The racy rule has tests of its own, which restore it.
    monkeypatch.setattr(cache_module, "RACY_NS", -(10**19))
    folder = copy_plan(FIXTURES / "board", tmp_path / "plan")
    for path in folder.rglob("*.yaml"):
        age(path)
    return folder


def first_action(folder: Path) -> Path:
    return sorted((folder / "actions").glob("*.yaml"))[0]


def same_size_edit(path: Path, old: str, new: str) -> None:
    assert len(old.encode()) == len(new.encode())
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class TestNeverStale:
    def test_an_unchanged_file_is_not_read_again(
        self, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        cache_dir = tmp_path / "cache"
        titles(plan, cache_dir)  # writes the index
        opened: list[str] = []
        real_open = open

        def watching(file: object, *args: object, **kwargs: object) -> object:
            if isinstance(file, str) and file.endswith(".yaml"):
                opened.append(file)
            return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

        monkeypatch.setattr("builtins.open", watching)
        titles(plan, cache_dir)
        assert opened == []

    def test_an_edit_that_keeps_size_and_mtime_is_seen(self, plan: Path, tmp_path: Path) -> None:
        cache_dir = tmp_path / "cache"
        path = first_action(plan)
        assert titles(plan, cache_dir)[1] == "Update Bexley VAWG Strategy"
        before = path.stat()
        same_size_edit(path, "Update Bexley VAWG Strategy", "Update Camden VAWG Strategy")
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # touch -r: the time put back
        after = path.stat()
        assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
        assert titles(plan, cache_dir)[1] == "Update Camden VAWG Strategy"

    def test_a_file_replaced_by_a_rename_is_seen(self, plan: Path, tmp_path: Path) -> None:
        cache_dir = tmp_path / "cache"
        path = first_action(plan)
        titles(plan, cache_dir)
        before = path.stat()
        replacement = tmp_path / "new.yaml"
        replacement.write_text(
            path.read_text(encoding="utf-8").replace("Update Bexley VAWG Strategy", "Update Camden VAWG Strategy"),
            encoding="utf-8",
        )
        os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
        os.replace(replacement, path)
        assert titles(plan, cache_dir)[1] == "Update Camden VAWG Strategy"

    def test_a_removed_file_is_gone_and_a_moved_plan_is_read(self, plan: Path, tmp_path: Path) -> None:
        cache_dir = tmp_path / "cache"
        assert 1 in titles(plan, cache_dir)
        first_action(plan).unlink()
        assert 1 not in titles(plan, cache_dir)
        moved = tmp_path / "moved"
        plan.rename(moved)
        assert titles(moved, cache_dir) == titles(moved, None)

    def test_new_code_does_not_trust_an_old_index(
        self, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        cache_dir = tmp_path / "cache"
        titles(plan, cache_dir)
        monkeypatch.setattr(cache_module, "_stamp", lambda: ("another version",))
        assert (
            ParseCache(cache_dir, plan).known_digest(str(first_action(plan)), file_stat(str(first_action(plan))))
            is None
        )

    def test_a_file_modified_as_the_index_was_written_is_read_again(
        self, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(cache_module, "RACY_NS", RACY_NS)
        # Racy: on a file system that keeps times to the second (or 2 s), an edit in the same
        # second as the index leaves the stat as it was. Such an entry is never trusted.
        cache_dir = tmp_path / "cache"
        path = str(first_action(plan))
        titles(plan, cache_dir)
        index = ParseCache(cache_dir, plan)
        stat_now = file_stat(path)
        assert stat_now is not None and path in index._index
        inode, size, _, _ = stat_now
        hour_ago = index._written_ns - 3600 * 1_000_000_000
        recent = index._written_ns - RACY_NS // 2
        index._index[path] = ((inode, size, hour_ago, hour_ago), index._index[path][1])
        assert index.known_digest(path, (inode, size, hour_ago, hour_ago)) is not None
        index._index[path] = ((inode, size, recent, recent), index._index[path][1])
        assert index.known_digest(path, (inode, size, recent, recent)) is None

    def test_a_file_just_written_is_read_on_the_next_run(
        self, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(cache_module, "RACY_NS", RACY_NS)
        # The same as above, end to end: an edit in the second after a run, keeping size and times.
        cache_dir = tmp_path / "cache"
        path = first_action(plan)
        path.touch()  # modified now: racy for the index the next run writes
        titles(plan, cache_dir)
        before = path.stat()
        same_size_edit(path, "Update Bexley VAWG Strategy", "Update Camden VAWG Strategy")
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert titles(plan, cache_dir)[1] == "Update Camden VAWG Strategy"


class TestSameOutput:
    @pytest.mark.parametrize(
        "folder", [BUNDLED_PLAN, FIXTURES / "board", FIXTURES / "reporting", FIXTURES / "measures"]
    )
    def test_status_is_identical_with_the_index_without_a_cache_and_cold(
        self, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        plan = copy_plan(folder, tmp_path / "plan")
        for path in plan.rglob("*.yaml"):
            age(path)
        runner = CliRunner()
        arguments = ["status", "--plan", str(plan), "--as-of", "2026-01-20", "--format", "json"]
        monkeypatch.setenv("VAWG_CACHE_DIR", str(tmp_path / "cache"))
        cold = runner.invoke(app, arguments).stdout
        warm = runner.invoke(app, arguments).stdout
        monkeypatch.setenv("VAWG_NO_CACHE", "1")
        none = runner.invoke(app, arguments).stdout
        assert cold == warm == none and cold

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.tuples(st.integers(0, 9), st.sampled_from(["red", "amber", "green"])), max_size=6))
    def test_any_sequence_of_edits_reads_as_without_a_cache(
        self, tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[int, str]]
    ) -> None:
        # Law: after any run of same-size edits (the hardest case for a stat index), with a run
        # between each, the plan read through the index is the plan read from the files alone.
        with pytest.MonkeyPatch.context() as patch:  # the index used, as in the `plan` fixture
            patch.setattr(cache_module, "RACY_NS", -(10**19))
            self._edits(tmp_path_factory, edits)

    @staticmethod
    def _edits(tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[int, str]]) -> None:
        root = tmp_path_factory.mktemp("plan")
        plan = copy_plan(FIXTURES / "board", root / "plan")
        for path in plan.rglob("*.yaml"):
            age(path)
        cache_dir = root / "cache"
        files = sorted((plan / "actions").glob("*.yaml"))
        for number, colour in edits:
            titles(plan, cache_dir)
            path = files[number]
            text = path.read_text(encoding="utf-8")
            first = text.find("rag: ")
            if first < 0:
                continue
            word = text[first + 5 : text.index("\n", first)]
            if len(word) != len(colour):
                continue
            before = path.stat()
            path.write_text(text[: first + 5] + colour + text[first + 5 + len(word) :], encoding="utf-8")
            os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        through_index = load_plan(plan, today=TODAY, cache_dir=cache_dir)
        from_files = load_plan(plan, today=TODAY, cache_dir=None)
        assert [f.action for f in through_index.actions] == [f.action for f in from_files.actions]


def test_what_a_cache_file_held_is_kept_when_asked(plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept: list[object] = []
    monkeypatch.setattr(cache_module, "_kept", kept)
    titles(plan, tmp_path / "cache")
    titles(plan, tmp_path / "cache")
    assert kept == []  # off, as in tests and any long process
    monkeypatch.setattr(cache_module, "keep_until_exit", True)
    titles(plan, tmp_path / "cache")
    assert len(kept) == 1


def test_a_plan_comes_back_from_the_cache_as_it_was_read(plan: Path, tmp_path: Path) -> None:
    fresh = load_plan(plan, today=TODAY, cache_dir=None)
    load_plan(plan, today=TODAY, cache_dir=tmp_path / "cache")
    assert load_plan(plan, today=TODAY, cache_dir=tmp_path / "cache") == fresh
