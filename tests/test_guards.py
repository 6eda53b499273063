"""Tests that guard the guards: each fails if its safety net is taken out of vawg.

- the parse cache's code-version stamp (a cache written by other code is not served);
- the read-back proof after an edit (a splice that alters anything else is refused);
- the read-back proof of plan.yaml in `vawg import` (new partners only, nothing else);
- the lock's timeout (a writer gives up on a stuck holder, with a message, instead of hanging).
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import BUNDLED_PLAN, copy_plan
from vawg_cli.cli import app
from vawg_cli.edit import locking
from vawg_cli.edit import yaml_splice as yaml_edit
from vawg_cli.model.records import Action
from vawg_cli.plan import cache
from vawg_cli.plan.loading import load_plan

TODAY = "2025-01-15"
ACTION_1 = "actions/01-update-strategy.yaml"
TITLE_1 = "Update Bexley VAWG Strategy"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- 1. the parse cache's code-version stamp -------------------------------------------------------


def _poison(cache_dir: Path) -> None:
    """Rewrite every cached action's title, keeping the cache file's stamp as it was."""
    (cache_file,) = cache_dir.glob("plan-*.pickle")
    stamp, entries, index, written = pickle.loads(cache_file.read_bytes())
    poisoned: dict[bytes, Any] = {}
    for key, (record, problems) in entries.items():
        if isinstance(record, Action):
            record = dataclasses.replace(record, title="POISONED")
        poisoned[key] = (record, problems)
    cache_file.write_bytes(pickle.dumps((stamp, poisoned, index, written)))
    cache_file.chmod(0o600)  # the cache only trusts a file nobody else can write


def _titles(folder: Path, cache_dir: Path) -> set[str]:
    plan = load_plan(folder, today=date.fromisoformat(TODAY), cache_dir=cache_dir)
    return {f.action.title for f in plan.actions}


class TestCacheStamp:
    """Guards `cache._stamp` and its comparison in `ParseCache.__init__`: code that changed never
    trusts what older code decided about a file."""

    def test_an_entry_written_by_other_code_is_not_served(
        self, tmp_path: Path, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        cache_dir = tmp_path / "cache"
        monkeypatch.setattr(cache, "_stamp", lambda: ("old code",))
        assert TITLE_1 in _titles(bundled_copy, cache_dir)  # fills the cache
        _poison(cache_dir)
        # The same code serves its own entries: the poison is seen, so the test can see a cache hit.
        assert _titles(bundled_copy, cache_dir) == {"POISONED"}

        monkeypatch.setattr(cache, "_stamp", lambda: ("new code",))
        titles = _titles(bundled_copy, cache_dir)
        assert "POISONED" not in titles, "an entry made by other code was served from the cache"
        assert TITLE_1 in titles

    def test_the_stamp_covers_vawgs_modules_pydantic_and_pyyaml(self) -> None:
        import pydantic
        import yaml

        files = cache._stamp()[-1]
        assert isinstance(files, tuple)
        package = Path(cache.__file__).resolve().parents[1]
        ours = sorted(package.rglob("*.py"))
        assert len(ours) > 30 and any(p.parent != package for p in ours)  # every subpackage, not one folder
        named = [(p.relative_to(package).as_posix(), p) for p in ours]
        named += [(Path(str(lib.__file__)).name, Path(str(lib.__file__))) for lib in (pydantic, yaml)]
        for name, source in named:
            info = source.stat()
            assert (name, info.st_size, info.st_mtime_ns) in files, f"{source} is not in the cache's stamp"


# --- 2. the read-back proof after an edit ----------------------------------------------------------


class TestEditReadBack:
    """Guards `edit.writes.edit_action`: the new text must read back as the old action plus the change, else
    nothing is written."""

    def test_a_splice_that_also_changes_the_title_is_refused(
        self, runner: CliRunner, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real = yaml_edit.append_item

        def careless(doc: yaml_edit.Document, key: str, fields: Any, **kwargs: Any) -> str:
            # Valid YAML, a valid plan: only the read-back proof can tell the title moved.
            return real(doc, key, fields, **kwargs).replace(f"title: {TITLE_1}", "title: Something else")

        monkeypatch.setattr(yaml_edit, "append_item", careless)
        before = snapshot(bundled_copy)
        result = runner.invoke(
            app, ["update", "1", "--rag", "green", "--note", "Drafted", "--date", TODAY, "--plan", str(bundled_copy)]
        )
        assert result.exit_code == 1, result.output
        assert "could not be made without altering other parts of the file, so nothing was changed" in result.stderr
        assert snapshot(bundled_copy) == before

    def test_the_same_edit_without_the_careless_splice_is_written(self, runner: CliRunner, bundled_copy: Path) -> None:
        """The refusal above is the proof at work, not an update that fails anyway."""
        result = runner.invoke(
            app, ["update", "1", "--rag", "green", "--note", "Drafted", "--date", TODAY, "--plan", str(bundled_copy)]
        )
        assert result.exit_code == 0, result.output
        assert "note: Drafted" in (bundled_copy / ACTION_1).read_text()


# --- 3. the read-back proof of plan.yaml in import -------------------------------------------------


class TestImportReadBack:
    """Guards `importing.existing_plan.into_existing`: plan.yaml must read back as before plus the new partners."""

    def test_adding_partners_that_also_changes_the_title_is_refused(
        self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        folder = copy_plan(BUNDLED_PLAN, tmp_path / "plan")
        table = tmp_path / "more.csv"
        table.write_text("Action,Lead,Target\nRun a pilot with the new partner,NewCo,Apr-27\n", encoding="utf-8")
        real = yaml_edit.add_mapping_entries

        def careless(doc: yaml_edit.Document, key: str, entries: Any) -> str:
            text = real(doc, key, entries)
            return text.replace("title: Bexley VAWG Partnership", "title: Some Other Partnership")

        monkeypatch.setattr(yaml_edit, "add_mapping_entries", careless)
        before = snapshot(folder)
        result = runner.invoke(app, ["import", str(table), "--plan", str(folder)])
        assert result.exit_code == 1, result.output
        assert "the new partners could not be added without altering other parts of the file" in result.stderr
        assert "nothing was imported" in result.stderr
        assert snapshot(folder) == before

    def test_the_same_import_without_the_careless_splice_adds_the_partner(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        folder = copy_plan(BUNDLED_PLAN, tmp_path / "plan")
        table = tmp_path / "more.csv"
        table.write_text("Action,Lead,Target\nRun a pilot with the new partner,NewCo,Apr-27\n", encoding="utf-8")
        result = runner.invoke(app, ["import", str(table), "--plan", str(folder)])
        assert result.exit_code == 0, result.output
        assert "  NewCo: NewCo\n" in (folder / "plan.yaml").read_text()


# --- 4. the lock's timeout -------------------------------------------------------------------------

HOLD = """
import sys, time
from pathlib import Path
from vawg_cli.edit.locking import plan_lock
with plan_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(120)
"""

# `vawg update` with the lock's wait cut to a second (plan_lock reads WAIT_SECONDS when it is called).
WRITE = """
import sys
from vawg_cli.edit import locking
locking.WAIT_SECONDS = 1.0
from vawg_cli.cli import main
sys.argv = ["vawg", *sys.argv[1:]]
main()
"""


class TestLockTimeout:
    """Guards `locking._retry`'s deadline: a writer facing a lock held too long stops with a message."""

    def test_a_writer_gives_up_on_a_stuck_holder(self, bundled_copy: Path) -> None:
        assert locking.WAIT_SECONDS > 0
        env = {**os.environ, "VAWG_NO_CACHE": "1"}
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(bundled_copy)], stdout=subprocess.PIPE, text=True, env=env
        )
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline() == "locked\n"
            before = snapshot(bundled_copy)
            began = time.monotonic()
            args = ["update", "1", "--rag", "green", "--note", "Drafted", "--date", TODAY, "--plan", str(bundled_copy)]
            try:
                writer = subprocess.run(
                    [sys.executable, "-c", WRITE, *args], capture_output=True, text=True, env=env, timeout=15
                )
            except subprocess.TimeoutExpired:
                pytest.fail("vawg update was still waiting for the lock after 15 s: the lock has no timeout")
            elapsed = time.monotonic() - began
        finally:
            holder.kill()
            holder.wait()
        assert writer.returncode == 1, writer.stderr
        assert "vawg: error: another vawg command has been changing this plan for over 1 second;" in writer.stderr
        assert "look for a vawg process that is stuck" in writer.stderr
        assert elapsed < 12
        assert snapshot(bundled_copy) == before
