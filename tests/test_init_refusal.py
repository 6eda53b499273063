"""`vawg init` writes the whole plan or nothing, and never over anything already in the folder.

It once checked only plan.yaml, actions/ and schema/, then renamed the staged entries in turn:
a folder holding measures/ got actions/ and no plan.yaml, and the error named the hidden staging
folder. Then `vawg status` said to run `vawg init`, and `vawg init` said the folder held a plan.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from conftest import BUNDLED_PLAN
from vawg_cli.cli import app

# What init writes: every top-level name of the plan that ships, a folder's with a slash.
ENTRIES = sorted(f"{p.name}/" if p.is_dir() else p.name for p in BUNDLED_PLAN.iterdir() if not p.name.startswith("."))
STAGING = ".vawg-init-"


def snapshot(folder: Path) -> dict[str, bytes] | None:
    """Everything under `folder`, hidden entries and empty folders included; None if it is not there."""
    if not os.path.lexists(folder):
        return None
    return {
        str(p.relative_to(folder)) + ("/" if p.is_dir() else ""): p.read_bytes() if p.is_file() else b""
        for p in sorted(folder.rglob("*"))
    }


def with_own_file(target: Path) -> Path:
    """`target` made, holding a file of the user's own that init must never touch."""
    target.mkdir(parents=True)
    (target / "notes.txt").write_bytes(b"keep me\n")
    return target


def refused(result: Result) -> str:
    """The one error line, after checking it is an error the user can act on, not a crash."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert result.stdout == ""
    assert result.stderr.startswith("vawg: error: ")
    assert STAGING not in result.stderr
    return result.stderr


def make(path: Path, kind: str) -> None:
    """Something of the user's at `path`: a file, or a folder holding a file."""
    if kind == "file":
        path.write_bytes(b"the user's own words\n")
    else:
        path.mkdir()
        (path / "MINE.yaml").write_bytes(b"code: MINE\n")


def test_the_entries_are_the_bundled_plans() -> None:
    assert "plan.yaml" in ENTRIES
    assert {"actions/", "schema/"} <= set(ENTRIES)


@pytest.mark.parametrize("kind", ["file", "folder"])
@pytest.mark.parametrize("entry", ENTRIES)
def test_any_entry_in_the_way_refuses_and_changes_nothing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str, kind: str
) -> None:
    target = with_own_file(tmp_path / "i2")
    make(target / entry.rstrip("/"), kind)
    before = snapshot(target)

    def no_staging(*args: object, **kwargs: object) -> str:
        raise AssertionError("init began writing before it had decided")

    monkeypatch.setattr(tempfile, "mkdtemp", no_staging)

    error = refused(runner.invoke(app, ["init", str(target)]))

    assert error.startswith(f"vawg: error: {target} already "), error
    assert entry in error
    assert "nothing was changed" in error
    assert "choose an empty folder" in error.lower()
    assert snapshot(target) == before


def test_measures_alone_is_named_and_not_called_a_plan(runner: CliRunner, tmp_path: Path) -> None:
    """The tester's case: i2/measures/MINE.yaml and nothing else."""
    target = tmp_path / "i2"
    (target / "measures").mkdir(parents=True)
    (target / "measures" / "MINE.yaml").write_bytes(b"code: MINE\n")
    before = snapshot(target)

    error = refused(runner.invoke(app, ["init", str(target)]))

    assert f"{target} already has measures/; nothing was changed" in error
    assert "already holds a plan" not in error
    for entry in ENTRIES:  # and says what init would write, so the user knows what else to clear
        assert entry in error
    assert snapshot(target) == before
    assert not (target / "actions").exists()


def test_what_is_left_of_a_plan_is_named(runner: CliRunner, tmp_path: Path) -> None:
    """The tester's second case: plan.yaml and actions/ removed, schema/ and measures/ left."""
    target = tmp_path / "i3"
    assert runner.invoke(app, ["init", str(target)]).exit_code == 0
    (target / "plan.yaml").unlink()
    shutil.rmtree(target / "actions")
    before = snapshot(target)

    error = refused(runner.invoke(app, ["init", str(target)]))

    left = [entry for entry in ENTRIES if entry not in ("plan.yaml", "actions/")]
    assert all(entry in error.split(";")[0] for entry in left), error
    assert "already holds a plan" not in error
    assert snapshot(target) == before


def test_init_twice_still_says_the_folder_holds_a_plan(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "plan"
    assert runner.invoke(app, ["init", str(target)]).exit_code == 0
    (target / "plan.yaml").write_text("title: Ours, edited by hand\n")
    before = snapshot(target)

    error = refused(runner.invoke(app, ["init", str(target)]))

    assert "already holds a plan; nothing was changed" in error
    assert snapshot(target) == before


def test_an_unrelated_file_does_not_block_init(runner: CliRunner, tmp_path: Path) -> None:
    target = with_own_file(tmp_path / "i4")
    (target / ".git").mkdir()

    result = runner.invoke(app, ["init", str(target)])

    assert result.exit_code == 0, result.output
    assert (target / "notes.txt").read_bytes() == b"keep me\n"
    assert (target / "plan.yaml").read_bytes() == (BUNDLED_PLAN / "plan.yaml").read_bytes()
    expected = {*ENTRIES, "notes.txt", ".git/"}
    assert {f"{p.name}/" if p.is_dir() else p.name for p in target.iterdir()} == expected


Rename = Callable[..., None]


def failing_for(name: str, real: Rename) -> Rename:
    """os.rename or os.link that refuses to put `name` in place (as a read-only disk or a lock would)."""

    def fake(source: str | Path, destination: str | Path, *args: object, **kwargs: object) -> None:
        if Path(source).parent.name.startswith(STAGING) and Path(destination).name == name:
            raise PermissionError(errno.EACCES, "Permission denied", str(source))
        real(source, destination, *args, **kwargs)

    return fake


@pytest.mark.parametrize("exists", [True, False], ids=["existing folder", "new folder"])
@pytest.mark.parametrize("entry", ENTRIES)
def test_a_move_that_fails_part_way_is_undone(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str, exists: bool
) -> None:
    target = tmp_path / "new" / "plan"
    if exists:
        with_own_file(target)
    before = snapshot(target)
    monkeypatch.setattr(os, "rename", failing_for(entry.rstrip("/"), os.rename))
    monkeypatch.setattr(os, "link", failing_for(entry.rstrip("/"), os.link))

    error = refused(runner.invoke(app, ["init", str(target)]))

    assert f"could not put the new {entry} there (Permission denied); nothing was changed" in error
    assert "check that you may write to" in error
    assert snapshot(target) == before
    if not exists:  # the folders init made for the plan go too
        assert not (tmp_path / "new").exists()


def test_the_second_rename_failing_undoes_the_first(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = with_own_file(tmp_path / "i2")
    before = snapshot(target)
    real = os.rename
    moves: list[str] = []

    def second_fails(source: str | Path, destination: str | Path) -> None:
        if Path(source).parent.name.startswith(STAGING):
            moves.append(Path(destination).name)
            if len(moves) == 2:
                raise OSError(errno.EIO, "Input/output error", str(source))
        real(source, destination)

    monkeypatch.setattr(os, "rename", second_fails)

    error = refused(runner.invoke(app, ["init", str(target)]))

    assert len(moves) == 2
    assert f"could not put the new {moves[1]}/ there (Input/output error)" in error
    assert snapshot(target) == before


def test_a_file_that_appears_meanwhile_is_not_replaced(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone saves plan.yaml between the check and the move: theirs stays, init undoes its own."""
    target = tmp_path / "i2"
    target.mkdir()
    real = os.link

    def theirs_first(source: str | Path, destination: str | Path) -> None:
        if Path(destination).name == "plan.yaml":
            Path(destination).write_bytes(b"title: theirs\n")
        real(source, destination)

    monkeypatch.setattr(os, "link", theirs_first)

    error = refused(runner.invoke(app, ["init", str(target)]))

    assert "plan.yaml appeared there while vawg init was writing; nothing was changed" in error
    assert snapshot(target) == {"plan.yaml": b"title: theirs\n"}


def test_what_cannot_be_taken_back_is_named(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "i2"
    target.mkdir()
    real_rename, real_rmtree = os.rename, shutil.rmtree

    def stuck(source: str | Path, destination: str | Path) -> None:
        if Path(destination).name == "measures" or Path(source).parent == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(source))
        real_rename(source, destination)

    def no_rmtree(path: str | Path, *args: object, **kwargs: object) -> None:
        if Path(path).parent == target and not Path(path).name.startswith(STAGING):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        real_rmtree(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", stuck)
    monkeypatch.setattr(shutil, "rmtree", no_rmtree)

    error = refused(runner.invoke(app, ["init", str(target)]))

    assert "could not put the new measures/ there (Permission denied)" in error
    assert "could not take back the actions/ it had put there: delete it by hand" in error
    assert "nothing was changed" not in error.split("(nothing else")[0]
    assert {p.name for p in target.iterdir()} == {"actions"}


def test_a_copy_that_fails_names_no_hidden_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = with_own_file(tmp_path / "i2")
    before = snapshot(target)
    real = shutil.copy2
    copies: list[Path] = []

    def disk_full(source: Path, destination: Path) -> object:
        copies.append(destination)
        if len(copies) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(destination))
        return real(source, destination)

    monkeypatch.setattr(shutil, "copy2", disk_full)

    error = refused(runner.invoke(app, ["init", str(target)]))

    assert "could not copy the new plan there (No space left on device); nothing was changed" in error
    assert snapshot(target) == before
