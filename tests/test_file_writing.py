"""Atomic writes: a crash leaves the old file or the new one, never half of either."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vawg_cli.edit.atomic import write_atomic


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "q1.md"
    write_atomic(target, "first\n")
    target.chmod(0o640)
    write_atomic(target, "second\n")
    assert target.read_text() == "second\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q1.md"]


def test_a_failure_before_the_rename_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "q1.md"
    target.write_text("old\n")

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new\n")
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q1.md"]


def test_line_endings_are_written_as_given(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    write_atomic(target, "a\r\nb\n")
    assert target.read_bytes() == b"a\r\nb\n"


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        write_atomic(tmp_path / "nowhere" / "q1.md", "x")
    assert caught.value.filename == str(tmp_path / "nowhere")
    assert not (tmp_path / "nowhere").exists()
