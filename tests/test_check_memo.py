"""`vawg check` gives kept findings only for the very files, day, folder name and code they came from."""

from __future__ import annotations

import marshal
import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BUNDLED_PLAN
from vawg_cli.cli import app
from vawg_cli.plan import check_memo, loading, snapshot
from vawg_cli.plan.cache import digest

DAY = date(2025, 6, 1)


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled plan, with one warning to find. Files written a moment ago are racy
    (plan/cache.py); here nothing runs between the copy and the check, so they are taken as settled."""
    monkeypatch.setattr(snapshot, "RACY_NS", 0)
    folder = tmp_path / "plan"
    shutil.copytree(BUNDLED_PLAN, folder)
    first = folder / "actions" / "01-update-strategy.yaml"
    first.write_text(first.read_text().replace("target: Apr-28", "target: TBC"))
    return folder


@pytest.fixture
def full_checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Each full check made, by folder."""
    made: list[Path] = []
    real = loading.check_plan

    def counted(folder: Path, **kwargs: object) -> loading.CheckedPlan:
        made.append(folder)
        return real(folder, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loading, "check_plan", counted)
    yield made


def run(folder: Path, cache: Path, *extra: str) -> str:
    done = CliRunner().invoke(
        app, ["check", "--plan", str(folder), "--as-of", DAY.isoformat(), *extra], env={"VAWG_CACHE_DIR": str(cache)}
    )
    assert done.exit_code in (0, 1), done.output
    return done.stdout


def test_the_second_check_is_the_first_without_reading_the_plan(
    plan: Path, tmp_path: Path, full_checks: list[Path]
) -> None:
    cache = tmp_path / "cache"
    for form in ("text", "json"):
        first = run(plan, cache, "--format", form)
        assert run(plan, cache, "--format", form) == first
    assert "target to be confirmed" in first or "TBC" in first
    assert len(full_checks) == 1  # the three others from the kept findings


@pytest.mark.parametrize(
    "change",
    ["same size and time", "rename over", "remove", "add", "empty measures folder", "plan.yaml"],
)
def test_any_change_to_the_files_checks_again(plan: Path, tmp_path: Path, full_checks: list[Path], change: str) -> None:
    cache = tmp_path / "cache"
    run(plan, cache)
    action = plan / "actions" / "02-raise-awareness.yaml"
    if change == "same size and time":
        # Same length, modification time put back (`touch -r`): only the change time tells.
        before = action.stat()
        text = action.read_text()
        action.write_text(text.replace("Met", "Mex", 1) if "Met" in text else text.replace("LBB", "LBX", 1))
        os.utime(action, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert action.stat().st_size == before.st_size
    elif change == "rename over":
        fresh = plan / "actions" / "fresh.tmp"
        fresh.write_text(action.read_text().replace("LBB", "LBX", 1))
        os.replace(fresh, action)
    elif change == "remove":
        action.unlink()
    elif change == "add":
        shutil.copy(action, plan / "actions" / "11-copy.yaml")
    elif change == "empty measures folder":
        shutil.rmtree(plan / "measures")
        run(plan, cache)  # kept without the folder
        (plan / "measures").mkdir()
    else:
        settings = plan / "plan.yaml"
        settings.write_text(settings.read_text().replace("due_soon_days: 30", "due_soon_days: 31"))
    made = len(full_checks)
    after = run(plan, cache)
    assert len(full_checks) == made + 1
    fresh_cache = tmp_path / "fresh"
    assert after == run(plan, fresh_cache)  # what a check with nothing kept says


def test_another_day_or_another_name_for_the_folder_checks_again(
    plan: Path, tmp_path: Path, full_checks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    run(plan, cache)
    run(plan, cache, "--as-of", "2025-06-02")  # the last --as-of wins: another day
    assert len(full_checks) == 2
    monkeypatch.chdir(tmp_path)
    CliRunner().invoke(app, ["check", "--plan", "plan", "--as-of", "2025-06-02"], env={"VAWG_CACHE_DIR": str(cache)})
    assert full_checks[-1] == Path("plan")  # its paths are shown as named: a check of its own


def test_findings_of_a_file_modified_as_it_was_read_are_not_kept(
    plan: Path, tmp_path: Path, full_checks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file changed in the same tick as its reading has the same stat as what was read: racy."""
    monkeypatch.setattr(snapshot, "RACY_NS", 2_000_000_000)
    cache = tmp_path / "cache"
    run(plan, cache)
    run(plan, cache)
    assert len(full_checks) == 2


@pytest.mark.parametrize("damage", ["not a tuple", "a bad problem", "another folder", "cut short"])
def test_damaged_findings_are_not_used(plan: Path, tmp_path: Path, full_checks: list[Path], damage: str) -> None:
    cache = tmp_path / "cache"
    first = run(plan, cache)
    kept = snapshot._file("check", cache, plan)
    assert kept is not None and kept.is_file()
    raw = kept.read_bytes()
    form, stamp, day, vouched, (named, files, problems) = marshal.loads(raw[16:])
    body: object = {
        "not a tuple": [named, files, problems],
        "a bad problem": (named, files, [("x", "1", 1, "error", "m")]),
        "another folder": (str(tmp_path / "elsewhere"), files, problems),
        "cut short": None,
    }[damage]
    if body is None:
        kept.write_bytes(raw[:-10])
    else:
        again = marshal.dumps((form, stamp, day, vouched, body))  # type: ignore[arg-type]
        kept.write_bytes(digest(again) + again)
    assert run(plan, cache) == first
    assert len(full_checks) == 2


def test_without_a_cache_folder_nothing_is_kept(plan: Path, full_checks: list[Path]) -> None:
    found = check_memo.check(plan, today=DAY, cache_dir=None)
    again = check_memo.check(plan, today=DAY, cache_dir=None)
    assert found == again and len(full_checks) == 2


def test_an_unchanged_plan_is_checked_before_typer_loads(tmp_path: Path) -> None:
    """`vawg check` on a plan whose findings are kept is answered by the quick path (cli/quick.py):
    the same lines, the same exit code, text or json, with errors or without."""
    import subprocess
    import sys
    import time

    folder = tmp_path / "plan"
    shutil.copytree(BUNDLED_PLAN, folder)
    time.sleep(2.1)  # older than a reading's racy window (plan/cache.py), so that its findings are kept
    env = {**os.environ, "VAWG_CACHE_DIR": str(tmp_path / "cache")}

    def check(*extra: str) -> tuple[int, str, bool]:
        args = [sys.executable, "-X", "importtime", "-m", "vawg_cli", "check", "--plan", str(folder), *extra]
        done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=tmp_path)
        quick = not any(line.rsplit("|", 1)[-1].strip() == "typer" for line in done.stderr.splitlines())
        return done.returncode, done.stdout, quick

    first = True
    for extra in ((), ("--format", "json"), ("--as-of", "2024-05-01"), ("--format=json", "--as-of=2024-05-01")):
        env["VAWG_NO_CACHE"] = "1"
        full = check(*extra)  # nothing kept, nothing read from the cache: the full command
        del env["VAWG_NO_CACHE"]
        assert not full[2]
        kept = check(*extra)  # keeps the findings where this day's are not kept yet
        assert kept[:2] == full[:2] and not (first and kept[2])  # the very first keeps, never answers
        first = False
        assert check(*extra) == (*full[:2], True), extra
    assert check("--as-of", "2024-05-01")[0] == 1  # updates dated after it: errors, and exit 1 either way


def test_a_folder_made_just_after_its_listing_is_not_taken_as_listed(
    plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether actions/ was there is taken from its listing itself: a folder made between the
    listing and a later look would have the findings of "no folder" kept as those of a folder."""
    shutil.rmtree(plan / "actions")
    real = loading._file_names

    def listed_then_made(folder: Path, root: str, *, coming: bool) -> tuple[list[str], list[object], bool]:
        found = real(folder, root, coming=coming)
        if folder.name == "actions":
            folder.mkdir(exist_ok=True)  # made by someone else, just after the listing
        return found  # type: ignore[return-value]

    monkeypatch.setattr(loading, "_file_names", listed_then_made)
    cache = tmp_path / "cache"
    assert "there is no actions/ folder yet" in run(plan, cache)
    monkeypatch.setattr(loading, "_file_names", real)
    assert run(plan, cache) == run(plan, tmp_path / "fresh")  # the folder is there now: no such warning
