"""The status snapshot (plan/snapshot.py) answers `vawg status` only for the files it was read from.

The quick path (cli/quick.py) prints a table without reading the plan, on the word of a snapshot
kept by the last full `vawg status`. A stale snapshot would show a coordinator a board that is
not the plan's: an old colour, an action that was removed, another folder's plan. So the tests
here change the plan (or the snapshot, the day, the code) as a user or a tool might, then check
two things: the quick path did not answer (Typer was imported, which the quick path never does),
and what was printed is byte for byte what the full command prints with VAWG_NO_CACHE=1.

How they stay quick:
- A snapshot is kept only of files older than the reading by RACY_NS (2 s), and a change time
  cannot be set back; so the plans are copied once for the module and aged by a single wait
  (`Aged`), and each test takes its own copy.
- A run of the full command costs half a second, nearly all of it Python importing Typer and
  pydantic, and the machine may have a single core to give. The runs under test (`status`) are
  real processes, `python -X importtime -m vawg_cli status ...`; the full command's answer they
  are compared with (`reference`) is the same command run in this process through Click's test
  runner, with VAWG_NO_CACHE=1, which prints the same bytes as the process does
  (`test_the_reference_is_what_the_process_prints` holds it to that).
- Before a change, the snapshot is kept here (`keep_here`, the same `quick.keep` the full
  command calls after a reading), rather than by a run of the full command; the tests of the
  full command keeping it run the command itself.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import pty
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import BUNDLED_PLAN, FIXTURES
from vawg_cli.cli import app, quick
from vawg_cli.core.measures import outputs_by_action
from vawg_cli.plan import cache as plan_cache
from vawg_cli.plan import snapshot
from vawg_cli.plan.cache import RACY_NS, digest
from vawg_cli.plan.loading import load_plan
from vawg_cli.plan.location import ACTIONS_DIR, MEASURES_DIR, PLAN_FILE

AS_OF = "2025-06-01"
DIGEST_BYTES = 16  # the blake2b digest before a snapshot's marshalled body
SOURCES = {
    "bundled": BUNDLED_PLAN,
    "board": FIXTURES / "board",
    "measures": FIXTURES / "measures",
    "progress": FIXTURES / "progress",
    "reporting": FIXTURES / "reporting",
    "returns": FIXTURES / "returns",
}
# How many aged copies of each plan the module's tests take between them (see `Aged.plain`).
COPIES = {"bundled": 1, "board": 28, "measures": 4, "progress": 2, "reporting": 2, "returns": 1}
RUN_TIMEOUT = 60  # a run that waits on a planted pipe fails its test rather than hanging the suite


# --- Running vawg ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ran:
    code: int
    out: bytes
    err: bytes
    """Standard error without the lines of `-X importtime`."""
    quick: bool
    """Whether the quick path answered: the full command line always imports Typer, the quick path never."""

    @property
    def shown(self) -> tuple[int, bytes, bytes]:
        """What a user sees of a run: its exit status and both streams."""
        return (self.code, self.out, self.err)


def _environment(cache: Path | None) -> dict[str, str]:
    environ = dict(os.environ)  # NO_COLOR and COLUMNS, from conftest's _isolated
    environ.pop("VAWG_NO_CACHE", None)
    if cache is None:
        environ["VAWG_NO_CACHE"] = "1"
    else:
        environ["VAWG_CACHE_DIR"] = str(cache)
    return environ


def _ran(code: int, out: bytes, err: bytes) -> Ran:
    lines = err.splitlines(keepends=True)
    imported = {line.rsplit(b"|", 1)[1].strip() for line in lines if line.startswith(b"import time:")}
    rest = b"".join(line for line in lines if not line.startswith(b"import time:"))
    return Ran(code, out, rest, quick=b"typer" not in imported)


def run(args: list[str], *, cache: Path | None, cwd: Path | None = None) -> Ran:
    """`python -m vawg_cli ARGS` with its cache in `cache`; None for VAWG_NO_CACHE=1."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "vawg_cli", *args],
        capture_output=True,
        env=_environment(cache),
        cwd=cwd,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    return _ran(done.returncode, done.stdout, done.stderr)


def status_args(plan: Path, *extra: str, as_of: str = AS_OF) -> list[str]:
    return ["status", "--plan", str(plan), "--as-of", as_of, *extra]


def status(plan: Path, *extra: str, cache: Path | None, as_of: str = AS_OF) -> Ran:
    """`vawg status --plan PLAN --as-of AS_OF EXTRA...` as a process, kept with `cache`."""
    return run(status_args(plan, *extra, as_of=as_of), cache=cache)


def together(*calls: Callable[[], Ran]) -> list[Ran]:
    """Runs that read nothing the others write, side by side."""
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = [pool.submit(call) for call in calls]
        return [future.result() for future in futures]


_RUNNER = CliRunner()


def reference(args: list[str]) -> tuple[int, bytes, bytes]:
    """What the full command prints with VAWG_NO_CACHE=1, as `Ran.shown` has it: run here."""
    result = _RUNNER.invoke(app, args, env={"VAWG_NO_CACHE": "1"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return (result.exit_code, result.stdout_bytes, result.stderr_bytes)


def full(plan: Path, *extra: str, as_of: str = AS_OF) -> tuple[int, bytes, bytes]:
    return reference(status_args(plan, *extra, as_of=as_of))


def kept_files(cache: Path) -> list[Path]:
    """The status snapshots in a cache folder (whatever is at their place: a file, a pipe, a link)."""
    return sorted(cache.glob("status-*.marshal"))


def kept_file(cache: Path) -> Path:
    """The one status snapshot in a cache folder that holds one plan's."""
    (found,) = kept_files(cache)
    return found


def keep_here(plan: Path, cache: Path, *, as_of: str = AS_OF, read_from_ns: int | None = None) -> None:
    """Read the plan in full and keep its snapshot, as `vawg status --as-of AS_OF` does after its
    table (`quick.keep`); `read_from_ns` moves the reading's start, for files written just now."""
    today, day = date.today(), date.fromisoformat(as_of)
    read = load_plan(plan, today=today, cache_dir=cache)
    if read_from_ns is not None:
        read = replace(read, read_from_ns=read_from_ns)
    outputs = outputs_by_action([file.measure for file in read.measures], read.settings, day)
    saved = os.environ.get("VAWG_CACHE_DIR")
    os.environ["VAWG_CACHE_DIR"] = str(cache)
    try:
        quick.keep(read, checked_on=today, as_of=day, outputs=outputs)
    finally:
        if saved is None:
            del os.environ["VAWG_CACHE_DIR"]
        else:
            os.environ["VAWG_CACHE_DIR"] = saved


def primed(plan: Path, cache: Path, *extra: str, as_of: str = AS_OF) -> Ran:
    """The plan's snapshot kept, and its answer, which is the full command's: every test of a
    change starts here, so that a snapshot is known to be there, and to answer, until the change."""
    keep_here(plan, cache, as_of=as_of)
    assert kept_files(cache), "no snapshot was kept"
    before = status(plan, *extra, cache=cache, as_of=as_of)
    assert before.quick, "the snapshot did not answer an unchanged plan"
    assert before.shown == full(plan, *extra, as_of=as_of)
    return before


def not_stale(plan: Path, cache: Path, *extra: str, as_of: str = AS_OF) -> Ran:
    """After a change: the snapshot does not answer, and the output is the full command's."""
    ran = status(plan, *extra, cache=cache, as_of=as_of)
    assert not ran.quick, "the stale snapshot answered"
    assert ran.shown == full(plan, *extra, as_of=as_of)
    return ran


# --- Plans old enough to be vouched for ------------------------------------------------------------


def _link_a_file(plan: Path) -> None:
    """actions/01-*.yaml becomes a link to the same file elsewhere in the plan (which vawg follows)."""
    (action,) = (plan / ACTIONS_DIR).glob("01-*.yaml")
    (plan / "kept").mkdir()
    action.rename(plan / "kept" / action.name)
    action.symlink_to(Path("..") / "kept" / action.name)


def _link_a_folder(name: str) -> Callable[[Path], None]:
    def link(plan: Path) -> None:
        (plan / name).rename(plan / f"{name}-real")
        (plan / name).symlink_to(f"{name}-real", target_is_directory=True)

    return link


def _link_the_settings(plan: Path) -> None:
    (plan / "settings").mkdir()
    (plan / PLAN_FILE).rename(plan / "settings" / PLAN_FILE)
    (plan / PLAN_FILE).symlink_to(Path("settings") / PLAN_FILE)


# Plans with a link inside, made before the wait: the full command then keeps a snapshot of the
# files the links lead to (old enough), so that a test can show a snapshot there, and not used.
LINKED: dict[str, Callable[[Path], None]] = {
    "an action file": _link_a_file,
    "the actions folder": _link_a_folder(ACTIONS_DIR),
    "the measures folder": _link_a_folder(MEASURES_DIR),
    "plan.yaml": _link_the_settings,
}


class Aged:
    """Copies of the plans made once for the module, then left for longer than RACY_NS, so that a
    reading keeps a snapshot of them. Each copy goes to one test, which may change it."""

    def __init__(self, root: Path) -> None:
        self._unused = {
            name: [shutil.copytree(SOURCES[name], root / f"{name}-{n}") for n in range(count)]
            for name, count in COPIES.items()
        }
        self._linked: dict[str, Path] = {}
        for number, (name, prepare) in enumerate(LINKED.items()):
            self._linked[name] = shutil.copytree(SOURCES["board"], root / f"linked-{number}")
            prepare(self._linked[name])
        time.sleep(RACY_NS / 1e9 + 0.2)

    def plain(self, name: str) -> Path:
        assert self._unused[name], f"raise COPIES[{name!r}]: the module's tests take more copies"
        return self._unused[name].pop()

    def linked(self, name: str) -> Path:
        return self._linked.pop(name)


@pytest.fixture(scope="module")
def aged(tmp_path_factory: pytest.TempPathFactory) -> Aged:
    return Aged(tmp_path_factory.mktemp("aged"))


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def test_the_reference_is_what_the_process_prints(aged: Aged, tmp_path: Path) -> None:
    """The full command run here (`reference`) prints what `python -m vawg_cli` prints with
    VAWG_NO_CACHE=1, byte for byte, for a table, a filter, an error and another format."""
    plan = aged.plain("measures")
    cases = [(), ("--rag", "green", "--overdue"), ("--lead", "XYZ"), ("--format", "json")]
    runs = together(*(partial(status, plan, *extra, cache=None) for extra in cases))
    for extra, ran in zip(cases, runs, strict=True):
        assert not ran.quick
        assert ran.shown == full(plan, *extra), extra


# --- 1. An edit that keeps the size and the modification time ---------------------------------------


def edit_in_place(path: Path, old: str, new: str) -> None:
    """`old` becomes `new`, as long, in the same file, and the modification time is put back (as
    `touch -r` does): the inode, size and modification time are as they were; only the change
    time tells."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    raw = path.read_bytes()
    assert raw.count(old.encode()) == 1, f"{old!r} is not in {path.name} once"
    with path.open("r+b") as handle:
        handle.write(raw.replace(old.encode(), new.encode()))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)


# (plan, file, old, new): edits that keep the file's length and change what status shows.
EDITS = {
    "an update's colour": (
        "board",
        "actions/01-update-strategy.yaml",
        "2025-03-20\n    rag: green",
        "2025-03-20\n    rag: amber",
    ),
    "the plan's title": ("board", PLAN_FILE, "title: Test Borough", "title: Best Borough"),
    "a measure's figure": ("measures", "measures/COMMUNITY-GROUPS.yaml", "value: 15", "value: 16"),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edit_keeping_size_and_mtime_is_seen(aged: Aged, cache: Path, edit: str) -> None:
    source, name, old, new = EDITS[edit]
    plan = aged.plain(source)
    before = primed(plan, cache)
    edit_in_place(plan / name, old, new)
    after = not_stale(plan, cache)
    assert after.out != before.out  # the edit shows: the old snapshot would have hidden it


# --- 2. An edit in the same tick as the reading ------------------------------------------------------


def test_files_written_just_before_a_reading_get_no_snapshot(tmp_path: Path, cache: Path) -> None:
    """The full command itself, on files written within RACY_NS of its reading: it keeps no
    snapshot (an edit in the same tick would not change their stat), and an edit made in the
    same second as the reading is shown."""
    plan = shutil.copytree(FIXTURES / "board", tmp_path / "plan")  # every change time is now
    first = status(plan, cache=cache)
    assert first.code == 0 and not first.quick
    assert kept_files(cache) == []
    _, name, old, new = EDITS["an update's colour"]
    edit_in_place(plan / name, old, new)
    after = not_stale(plan, cache)
    assert after.out != first.out


def today() -> int:
    """The day the snapshots here are kept on (`keep_here`): the clock's, as the command's own run."""
    return date.today().toordinal()


LATER = 2**62  # a reading that began long after every file here was written (in the year 2116)


def newest_time(plan: Path) -> int:
    """The latest modification or change time of the plan's files, in nanoseconds."""
    paths = [plan / PLAN_FILE, *(plan / ACTIONS_DIR).iterdir(), *(plan / MEASURES_DIR).iterdir()]
    return max(max(info.st_mtime_ns, info.st_ctime_ns) for info in map(os.stat, paths))


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """A plan copied just now: kept with the reading's start given (see `keep_here`)."""
    return shutil.copytree(FIXTURES / "board", tmp_path / "plan")


def test_a_snapshot_vouches_only_for_files_older_than_the_reading(fresh: Path, cache: Path) -> None:
    """The edge, to the nanosecond: changed RACY_NS or less before the reading began, or after it
    began, and a file is not vouched for."""
    newest = newest_time(fresh)
    for began in (newest - 1, newest, newest + 1, newest + RACY_NS // 2, newest + RACY_NS):
        keep_here(fresh, cache, read_from_ns=began)
        assert kept_files(cache) == [], began - newest
    keep_here(fresh, cache, read_from_ns=newest + RACY_NS + 1)
    kept = snapshot.load(cache, fresh, today())
    assert kept is not None and len(kept.rows) == len(list((fresh / ACTIONS_DIR).iterdir()))


@pytest.mark.parametrize("touched", ["modification time", "change time"])
def test_one_file_changed_just_now_among_old_ones_is_enough_to_keep_nothing(
    aged: Aged, cache: Path, touched: str
) -> None:
    """A reading of old files keeps a snapshot; with one file touched just before it (its
    modification time, or only its change time), none."""
    plan = aged.plain("board")
    keep_here(plan, cache)
    assert kept_files(cache)
    kept_file(cache).unlink()
    action = plan / EDITS["an update's colour"][1]
    was = action.stat()
    os.utime(action, ns=(was.st_atime_ns, time.time_ns() if touched == "modification time" else was.st_mtime_ns))
    keep_here(plan, cache)
    assert kept_files(cache) == []


# --- 3, 4. A file replaced by a rename, removed or added ---------------------------------------------


def test_a_file_replaced_by_a_rename_is_seen(aged: Aged, cache: Path) -> None:
    """A tool that saves by writing a new file and renaming it over the old one: a new inode, and
    here the same size and modification time."""
    plan = aged.plain("board")
    before = primed(plan, cache)
    _, name, old, new = EDITS["an update's colour"]
    target = plan / name
    was = target.stat()
    written = plan / ACTIONS_DIR / ".01-update-strategy.yaml.tmp"
    written.write_bytes(target.read_bytes().replace(old.encode(), new.encode()))
    os.utime(written, ns=(was.st_atime_ns, was.st_mtime_ns))
    os.replace(written, target)
    now = target.stat()
    assert (now.st_size, now.st_mtime_ns) == (was.st_size, was.st_mtime_ns) and now.st_ino != was.st_ino
    after = not_stale(plan, cache)
    assert after.out != before.out


def test_the_same_bytes_renamed_over_a_file_are_still_read(aged: Aged, cache: Path) -> None:
    """The snapshot vouches for the files it read, not for their bytes: another file, even with
    the same content, is read again (and the output is of course the same)."""
    plan = aged.plain("board")
    before = primed(plan, cache)
    copy = plan / "plan.yaml.new"
    shutil.copy2(plan / PLAN_FILE, copy)
    os.replace(copy, plan / PLAN_FILE)
    assert not_stale(plan, cache).shown == before.shown


NEW_ACTION = "id: 99\ntitle: A new action\nleads:\n  - LBB\ntarget: Apr-28\n"


def _add_action(name: str) -> Callable[[Path], None]:
    def add(plan: Path) -> None:
        (plan / ACTIONS_DIR / name).write_text(NEW_ACTION, encoding="utf-8")

    return add


def _add_measure(plan: Path) -> None:
    text = (plan / MEASURES_DIR / "BUSINESSES-TRAINED.yaml").read_text(encoding="utf-8")
    new = text.replace("code: BUSINESSES-TRAINED", "code: NEW-MEASURE").replace("name: Local", "name: Other")
    (plan / MEASURES_DIR / "NEW-MEASURE.yaml").write_text(new, encoding="utf-8")


def _remove(name: str) -> Callable[[Path], None]:
    def remove(plan: Path) -> None:
        (plan / name).unlink()

    return remove


CHANGES: dict[str, Callable[[Path], None]] = {
    "an action file removed": _remove("actions/07-victim-centred-support.yaml"),
    "a measure file removed": _remove("measures/COMMUNITY-GROUPS.yaml"),
    "the measures folder removed": lambda plan: shutil.rmtree(plan / MEASURES_DIR),
    "an action file added": _add_action("99-new.yaml"),
    "an action file added as .yml": _add_action("99-new.yml"),
    "an action file added as .YAML": _add_action("99-NEW.YAML"),
    "a measure file added": _add_measure,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_file_removed_or_added_is_seen(aged: Aged, cache: Path, change: str) -> None:
    plan = aged.plain("board")
    before = primed(plan, cache)
    CHANGES[change](plan)
    after = not_stale(plan, cache)
    assert after.code == 0 and after.out != before.out


def test_a_measures_folder_moved_in_is_seen(aged: Aged, cache: Path, tmp_path: Path) -> None:
    """A plan kept with no measures/ folder, which then gets one moved in whole (its files keep
    their times, and no file that was read changes)."""
    plan = aged.plain("board")
    (plan / MEASURES_DIR).rename(tmp_path / "away")
    before = primed(plan, cache)
    (tmp_path / "away").rename(plan / MEASURES_DIR)
    after = not_stale(plan, cache)
    assert after.out != before.out


def test_files_that_are_not_plan_files_leave_the_snapshot_answering(aged: Aged, cache: Path) -> None:
    """What a reading never reads (notes, an editor's hidden files) changes nothing: the snapshot
    still answers, with what the full command prints."""
    plan = aged.plain("board")
    before = primed(plan, cache)
    (plan / ACTIONS_DIR / "notes.txt").write_text("not an action", encoding="utf-8")
    (plan / ACTIONS_DIR / ".01-update-strategy.yaml.swp").write_text("x", encoding="utf-8")
    (plan / ACTIONS_DIR / ".hidden.yaml").write_text(NEW_ACTION, encoding="utf-8")
    (plan / "README.md").write_text("about the plan", encoding="utf-8")
    ran = status(plan, cache=cache)
    assert ran.quick
    assert ran.shown == before.shown == full(plan)


# --- 5. The plan folder moved ------------------------------------------------------------------------


def test_a_plan_moved_to_another_folder_is_read_there(aged: Aged, cache: Path, tmp_path: Path) -> None:
    plan = aged.plain("board")
    before = primed(plan, cache)
    moved = tmp_path / "moved"
    plan.rename(moved)
    assert not_stale(moved, cache).shown == before.shown  # the same files: only the place differs
    gone = status(plan, cache=cache)  # the old place now holds nothing
    assert not gone.quick and gone.code != 0
    assert gone.shown == full(plan)


def test_two_plans_swapping_folders_are_each_read(aged: Aged, cache: Path, tmp_path: Path) -> None:
    """Each folder's snapshot is of the plan that was there: after a swap, each holds the other's."""
    one, other = aged.plain("board"), aged.plain("reporting")
    one_before, other_before = primed(one, cache), primed(other, cache)
    one.rename(tmp_path / "swap")
    other.rename(one)
    (tmp_path / "swap").rename(other)
    assert not_stale(one, cache).shown == other_before.shown
    assert not_stale(other, cache).shown == one_before.shown


# --- 6, 7. Other code, another day, another folder ----------------------------------------------------


def test_a_snapshot_of_other_code_is_not_used(fresh: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An upgrade (or an edit) of vawg, pydantic or PyYAML changes the stamp: what older code
    decided about the plan is not shown. snapshot.py took `_stamp` by name from plan/cache.py,
    so it is replaced where load and save look it up."""
    keep_here(fresh, cache, read_from_ns=LATER)
    assert snapshot.load(cache, fresh, today()) is not None
    real = plan_cache._stamp()
    monkeypatch.setattr(snapshot, "_stamp", lambda: (*real[:2], ()))
    assert snapshot.load(cache, fresh, today()) is None
    keep_here(fresh, cache, read_from_ns=LATER)  # kept by that other code: not for this one
    assert snapshot.load(cache, fresh, today()) is not None
    monkeypatch.undo()
    assert snapshot.load(cache, fresh, today()) is None


def test_a_snapshot_is_used_only_on_the_day_it_was_checked(fresh: Path, cache: Path) -> None:
    """An update dated tomorrow is an error today and fine tomorrow: the checks a plan passed are the day's."""
    keep_here(fresh, cache, read_from_ns=LATER)
    assert snapshot.load(cache, fresh, today()) is not None
    assert snapshot.load(cache, fresh, today() + 1) is None
    assert snapshot.load(cache, fresh, today() - 1) is None


def test_a_snapshot_is_used_only_for_its_own_folder(fresh: Path, cache: Path, tmp_path: Path) -> None:
    keep_here(fresh, cache, read_from_ns=LATER)
    other = shutil.copytree(fresh, tmp_path / "other")
    assert snapshot.load(cache, fresh, today()) is not None
    assert snapshot.load(cache, other, today()) is None


def test_a_snapshot_is_never_kept_in_the_plan_folder(fresh: Path) -> None:
    """The plan folder is shared through git: a cache folder inside it gets nothing."""
    for inside in (fresh, fresh / ".cache", fresh / ACTIONS_DIR):
        keep_here(fresh, inside, read_from_ns=LATER)
        assert not list(fresh.rglob("status-*"))
        assert snapshot.load(inside, fresh, today()) is None


# --- 8. A damaged snapshot ---------------------------------------------------------------------------


def _cut(path: Path) -> None:
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _flip(at: int) -> Callable[[Path], None]:
    def flip(path: Path) -> None:
        raw = bytearray(path.read_bytes())
        raw[at] ^= 0x01
        path.write_bytes(bytes(raw))

    return flip


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(path.stat().st_size))


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _link(path: Path) -> None:
    """A link to a good snapshot: a link there could lead anywhere, so none is followed."""
    elsewhere = path.with_name("elsewhere.marshal")
    path.rename(elsewhere)
    path.symlink_to(elsewhere.name)


def _mode(mode: int) -> Callable[[Path], None]:
    def chmod(path: Path) -> None:
        path.chmod(mode)

    return chmod


Edit = Callable[[list[Any], list[Any]], object]


def _rewritten(edit: Edit) -> Callable[[Path], None]:
    """The snapshot's contents changed under a digest that matches them: what the digest cannot
    catch. `edit` changes the outer tuple (format, stamp, day, fingerprint, body) or the body
    (settings, rows, outputs' day, outputs) in place, or returns something else to keep instead."""

    def rewrite(path: Path) -> None:
        raw = path.read_bytes()
        top = list(marshal.loads(raw[DIGEST_BYTES:]))
        body = list(top[-1])
        assert len(top) == 5 and len(body) == 4, "the snapshot's layout has changed: update _rewritten"
        whole: Any = edit(top, body)
        new = marshal.dumps((*top[:-1], tuple(body)) if whole is None else whole)
        path.write_bytes(digest(new) + new)

    return rewrite


def _in_body(index: int, value: object) -> Edit:
    def edit(top: list[Any], body: list[Any]) -> None:
        body[index] = value

    return edit


def _bad_row(field: int, value: object) -> Edit:
    """The first row with one field of the wrong type."""

    def edit(top: list[Any], body: list[Any]) -> None:
        rows = body[1]
        row = list(rows[0])
        row[field] = value
        rows[0] = tuple(row)

    return edit


def _another_format(top: list[Any], body: list[Any]) -> None:
    top[0] = 0


DAMAGES: dict[str, Callable[[Path], None]] = {
    "cut short": _cut,
    "emptied": _empty,
    "a byte of the digest flipped": _flip(3),
    "a byte of the body flipped": _flip(-40),
    "garbage": _garbage,
    "a named pipe": _fifo,
    "a folder": _folder,
    "a link to a good snapshot": _link,
    "writable by others (0o666)": _mode(0o666),
    "writable by the group (0o620)": _mode(0o620),
    "another format": _rewritten(_another_format),
    "not a tuple": _rewritten(lambda top, body: {"rows": body}),
    "a tuple too short": _rewritten(lambda top, body: tuple(top[:4])),
    "a body not a tuple": _rewritten(lambda top, body: (*top[:-1], "body")),
    "settings of the wrong shape": _rewritten(_in_body(0, ("Title",))),
    "rows not a list": _rewritten(_in_body(1, "rows")),
    "rows of the wrong shape": _rewritten(_in_body(1, [1, 2, 3])),
    "outputs' day not a number": _rewritten(_in_body(2, "June")),
    "outputs not a dict": _rewritten(_in_body(3, [])),
    "a row's title not text": _rewritten(_bad_row(2, 12345)),
    "a row's reference not text": _rewritten(_bad_row(1, 3.5)),
    "a row's leads not a list": _rewritten(_bad_row(3, 7)),
}


@pytest.fixture(scope="module")
def shared(aged: Aged, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A plan and a cache for the tests that leave the plan as it is (each leaves a snapshot
    that answers, or none)."""
    return aged.plain("board"), tmp_path_factory.mktemp("shared") / "cache"


@pytest.fixture
def kept(shared: tuple[Path, Path]) -> Iterator[tuple[Path, Path]]:
    """The shared plan, with a good snapshot in its place (whatever the last test left there)."""
    plan, cache = shared
    for path in kept_files(cache):
        if path.is_dir() and not path.is_symlink():
            path.rmdir()
    keep_here(plan, cache)
    path = kept_file(cache)
    assert path.is_file() and not path.is_symlink()
    yield plan, cache


def answer_here(plan: Path, cache: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> int | None:
    """The quick path's answer, run here: its exit status, or None to leave it to the full command."""
    capsys.readouterr()
    answered = quick.answer(status_args(plan, *extra), _environment(cache), date.today())
    if answered is None:
        assert capsys.readouterr() == ("", ""), "the quick path wrote, then left it to the full command"
    return answered


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_snapshot_is_left_to_the_full_command(
    kept: tuple[Path, Path], capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    """Whatever is at the snapshot's place, the quick path declines without a word, a wait or an
    exception: no table from a file damaged, cut short, someone else's to write, or a pipe."""
    plan, cache = kept
    assert answer_here(plan, cache, capsys) == 0  # the good snapshot answers
    DAMAGES[damage](kept_file(cache))
    assert answer_here(plan, cache, capsys) is None


# Each end to end as well: what the user sees is the full command's, and the full command then
# keeps a good snapshot in the damaged one's place (a folder there stays in the way).
@pytest.mark.parametrize(
    "damage", ["garbage", "a named pipe", "a folder", "a link to a good snapshot", "writable by others (0o666)"]
)
def test_a_damaged_snapshot_gets_the_full_commands_answer(kept: tuple[Path, Path], damage: str) -> None:
    plan, cache = kept
    DAMAGES[damage](kept_file(cache))
    after = not_stale(plan, cache)
    assert after.code == 0
    assert status(plan, cache=cache).quick is (damage != "a folder")


def test_a_snapshot_with_a_malformed_row_does_not_crash_status(kept: tuple[Path, Path]) -> None:
    """A snapshot that passes its digest but holds a row the renderer cannot draw (here a title
    that is a number) must still be left to the full command, as quick.py promises ("A damaged
    snapshot can hold anything: whatever it makes fail, the full command answers"). The digest
    is no key: anything that can write the file can write a matching one."""
    plan, cache = kept
    DAMAGES["a row's title not text"](kept_file(cache))
    after = status(plan, cache=cache)
    assert b"Traceback" not in after.err
    assert after.shown == full(plan)


# --- 9. Links and things not files in the plan -------------------------------------------------------


@pytest.mark.parametrize("linked", list(LINKED))
def test_a_link_in_the_plan_sends_status_to_the_full_command(aged: Aged, cache: Path, linked: str) -> None:
    """A link, even to a file inside the plan, is the full reading's to follow and check: the full
    command keeps a snapshot (of the files the links lead to), and it never answers."""
    plan = aged.linked(linked)
    first = status(plan, cache=cache)
    assert first.code == 0 and not first.quick
    assert first.shown == full(plan)
    assert kept_files(cache)
    not_stale(plan, cache)


NOT_FILES: dict[str, Callable[[Path], None]] = {
    "a folder named x.yaml in actions/": lambda plan: (plan / ACTIONS_DIR / "x.yaml").mkdir(),
    "a folder named x.yaml in measures/": lambda plan: (plan / MEASURES_DIR / "x.yaml").mkdir(),
    "a named pipe named x.yaml in actions/": lambda plan: os.mkfifo(plan / ACTIONS_DIR / "x.yaml"),
}


@pytest.mark.parametrize("made", list(NOT_FILES))
def test_something_not_a_file_named_like_one_sends_status_to_the_full_command(
    aged: Aged, cache: Path, made: str
) -> None:
    """Made after the snapshot was kept; and still there at the next run, after a full reading
    that kept a snapshot of the files it did read."""
    plan = aged.plain("board")
    before = primed(plan, cache)
    NOT_FILES[made](plan)
    assert not_stale(plan, cache).shown == before.shown
    assert kept_files(cache)
    assert not_stale(plan, cache).shown == before.shown


# --- 10. Outputs are the day's -----------------------------------------------------------------------


def test_the_outputs_shown_are_the_as_of_days(aged: Aged, cache: Path) -> None:
    """A plan with measures keeps the outputs worked out for the day asked: another --as-of is
    the full command's, whose outputs differ."""
    plan = aged.plain("measures")
    june = primed(plan, cache, as_of="2025-06-01")
    september = not_stale(plan, cache, as_of="2025-09-01")
    shown = [line for line in september.out.splitlines() if b"Output:" in line]
    assert shown and shown != [line for line in june.out.splitlines() if b"Output:" in line]
    # The full command kept September's: June is read again in turn.
    assert status(plan, cache=cache, as_of="2025-09-01").quick
    assert not_stale(plan, cache, as_of="2025-06-01").shown == june.shown


def test_a_plan_without_measures_is_answered_on_any_day(aged: Aged, cache: Path) -> None:
    plan = aged.plain("progress")
    primed(plan, cache, as_of="2025-06-01")
    days = ("2024-06-01", "2025-09-01", "2027-01-31")
    for day, ran in zip(days, together(*(partial(status, plan, cache=cache, as_of=day) for day in days)), strict=True):
        assert ran.quick
        assert ran.shown == full(plan, as_of=day)


# --- 11. What the quick path leaves to the full command ----------------------------------------------

DECLINED = [
    ("--format", "json"),
    ("--format=json",),
    ("--format", "csv"),
    ("--lead", "XYZ"),
    ("--lead", "lbb"),
    ("--rag", "purple"),
    ("--as-of", "9999-12-31"),
    ("--as-of", "not a day"),
    ("--lead", "LBB", "--lead", "Met"),
    ("--overdue", "--overdue"),
    ("--help",),
    ("--overdue=yes",),
    ("--plan",),
    ("--unknown",),
]


@pytest.mark.parametrize("extra", DECLINED, ids=" ".join)
def test_what_the_quick_path_leaves_to_the_full_command(
    kept: tuple[Path, Path], capsys: pytest.CaptureFixture[str], extra: tuple[str, ...]
) -> None:
    """Other formats, options the quick path does not read as Click would, values the full
    command refuses: declined, though a snapshot is there that answers the plain command."""
    plan, cache = kept
    assert answer_here(plan, cache, capsys, *extra) is None
    assert answer_here(plan, cache, capsys) == 0


@pytest.mark.parametrize("extra", [("--format", "json"), ("--lead", "XYZ")], ids=" ".join)
def test_json_and_an_unknown_partner_are_the_full_commands(kept: tuple[Path, Path], extra: tuple[str, ...]) -> None:
    plan, cache = kept
    ran = not_stale(plan, cache, *extra)
    if extra[0] == "--lead":
        assert ran.code == 1 and ran.out == b""
        assert ran.err.startswith(b"vawg: error: --lead 'XYZ' is not a partner code")
    else:
        assert ran.code == 0 and ran.out.startswith(b"[")
    assert status(plan, "--format=table", cache=cache).quick  # the snapshot was there all along


# --- 12. The same bytes, quick or full, for every plan -----------------------------------------------

FILTERS: list[tuple[str, ...]] = [(), ("--overdue",), ("--due-soon",), ("--rag", "red"), ("--lead", "LBB")]


@pytest.mark.parametrize("name", list(SOURCES))
def test_the_quick_path_prints_what_the_full_command_prints(aged: Aged, tmp_path: Path, name: str) -> None:
    """Every plan the tests hold, on two days, with each filter: the full command keeps a
    snapshot, and the quick path's answers from it are the full command's bytes. A plan that is
    not valid today (an update dated after today is an error) gets no snapshot, and is skipped."""
    plan = aged.plain(name)
    partners = yaml.safe_load((plan / PLAN_FILE).read_text(encoding="utf-8")).get("partners") or {}
    filters = [f for f in FILTERS if f[:1] != ("--lead",) or f[1] in partners]
    for day in ("2025-06-01", "2026-01-15"):
        cache = tmp_path / day
        first = status(plan, cache=cache, as_of=day)
        if first.code != 0:
            pytest.skip(f"{name} is not a valid plan today: {first.err.decode()}")
        assert not first.quick and kept_files(cache)
        runs = together(*(partial(status, plan, *f, cache=cache, as_of=day) for f in filters))
        assert runs[0].shown == first.shown
        for extra, ran in zip(filters, runs, strict=True):
            assert ran.quick, (day, extra)
            assert ran.shown == full(plan, *extra, as_of=day), (day, extra)


def test_the_bundled_plan_found_by_default_with_its_notice(tmp_path: Path, cache: Path) -> None:
    """No --plan, no plan here or above, no --as-of: the bundled plan, today, with the notice on
    standard error, from the snapshot as from the full command."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    first, reference_run = together(
        partial(run, ["status"], cache=cache, cwd=elsewhere), partial(run, ["status"], cache=None, cwd=elsewhere)
    )
    assert first.code == 0 and not first.quick
    assert b"using the bundled example plan" in first.err
    again = run(["status"], cache=cache, cwd=elsewhere)
    assert again.quick
    assert again.shown == first.shown == reference_run.shown


def test_a_plan_found_from_inside_it_is_answered(aged: Aged, cache: Path) -> None:
    """Working inside a plan folder (found from the current folder, an absolute path)."""
    plan = aged.plain("board")
    first = run(["status", "--as-of", AS_OF], cache=cache, cwd=plan)
    assert first.code == 0 and not first.quick
    again = run(["status", "--as-of", AS_OF], cache=cache, cwd=plan)
    assert again.quick and again.shown == first.shown


def test_a_plan_named_dot_is_answered_from_its_snapshot(aged: Aged, cache: Path) -> None:
    """`vawg status --plan .` inside the plan folder, twice on an unchanged plan: the second run
    should be the quick path's, as it is for the same folder found by itself or named in full."""
    plan = aged.plain("board")
    first = run(["status", "--plan", ".", "--as-of", AS_OF], cache=cache, cwd=plan)
    assert first.code == 0 and not first.quick
    again = run(["status", "--plan", ".", "--as-of", AS_OF], cache=cache, cwd=plan)
    assert again.shown == first.shown
    assert kept_files(cache), "the full command kept no snapshot for --plan ."
    assert again.quick


# --- In a terminal -----------------------------------------------------------------------------------


def in_terminal(args: list[str], *, cache: Path | None) -> Ran:
    """A run with standard output on a pseudo-terminal, in colour: Rich's table or the line renderer's."""
    environ = _environment(cache)
    environ.pop("NO_COLOR", None)
    environ["TERM"] = "xterm-256color"
    main, secondary = pty.openpty()
    chunks: list[bytes] = []

    def read() -> None:
        with contextlib.suppress(OSError):  # EIO once the other end has closed
            while chunk := os.read(main, 65536):
                chunks.append(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        process = subprocess.Popen(
            [sys.executable, "-X", "importtime", "-m", "vawg_cli", *args],
            stdin=subprocess.DEVNULL,
            stdout=secondary,
            stderr=subprocess.PIPE,
            env=environ,
        )
        os.close(secondary)
        _, err = process.communicate(timeout=RUN_TIMEOUT)
    finally:
        reader.join(timeout=RUN_TIMEOUT)
        os.close(main)
    return _ran(process.returncode, b"".join(chunks), err)


def test_the_table_in_a_terminal_is_the_same(aged: Aged, cache: Path) -> None:
    plan = aged.plain("board")
    args = status_args(plan)
    first, reference_run = together(partial(in_terminal, args, cache=cache), partial(in_terminal, args, cache=None))
    assert first.code == 0 and not first.quick and b"\x1b[" in first.out
    again = in_terminal(args, cache=cache)
    assert again.quick
    assert again.shown == first.shown == reference_run.shown


# --- Random plans ------------------------------------------------------------------------------------

PLAN_YAML = """\
title: A random plan
start: 2024-04-01
end: 2028-04-30
year_start_month: 4
due_soon_days: {due_soon}
partners:
  LBB: London Borough of Bexley
  Met: Metropolitan Police Service
  VS: Voluntary sector
"""
TARGETS = ["Apr-25", "2024-12-15", "Mar-26", "2026/27", "Q3 2025/26", "November annually", "Quarterly", "Monthly"]
TARGETS += ["Ongoing", "TBC", "By Autumn 2025 and ongoing", "2027-06-30"]
DAYS = st.dates(min_value=date(2024, 4, 1), max_value=date(2025, 12, 31))


@st.composite
def action_files(draw: st.DrawFn, number: int) -> dict[str, Any]:
    action: dict[str, Any] = {
        "id": number,
        "title": draw(st.sampled_from([f"Action {number}", "A title long enough to wrap " * 4])),
        "leads": draw(st.lists(st.sampled_from(["LBB", "Met", "VS"]), min_size=1, max_size=3, unique=True)),
        "target": draw(st.sampled_from(TARGETS)),
    }
    if draw(st.booleans()):
        action["ref"] = draw(st.sampled_from(["DAB 1", "1.1"]))
    rags = ["red", "amber", "green", "blue", "grey"]
    updates = [
        {"date": day, "rag": draw(st.sampled_from(rags)), "note": "n"}
        for day in sorted(draw(st.lists(DAYS, max_size=5)))
    ]
    if updates:
        action["updates"] = updates
    return action


@st.composite
def random_plans(draw: st.DrawFn) -> tuple[int, list[dict[str, Any]]]:
    count = draw(st.integers(0, 8))
    return draw(st.integers(0, 90)), [draw(action_files(number)) for number in range(1, count + 1)]


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(random_plans(), st.sampled_from(["2025-01-31", "2025-06-30", "2026-02-28"]), st.sampled_from(FILTERS))
def test_random_plans_quick_and_full_alike(
    tmp_path: Path, drawn: tuple[int, list[dict[str, Any]]], day: str, extra: tuple[str, ...]
) -> None:
    """Plans written out as files, kept as if their files were old (the reading's start moved
    on, since a change time cannot be set back), then shown by the quick path as a process and
    by the full command: the same bytes."""
    due_soon, actions = drawn
    plan = tmp_path / f"plan-{time.monotonic_ns()}"
    (plan / ACTIONS_DIR).mkdir(parents=True)
    (plan / PLAN_FILE).write_text(PLAN_YAML.format(due_soon=due_soon), encoding="utf-8")
    for action in actions:
        text = yaml.safe_dump(action, sort_keys=False)
        (plan / ACTIONS_DIR / f"{action['id']:02d}-action.yaml").write_text(text, encoding="utf-8")
    cache = plan.with_name(plan.name + "-cache")
    keep_here(plan, cache, as_of=day, read_from_ns=time.time_ns() + 10 * RACY_NS)
    ran = status(plan, *extra, cache=cache, as_of=day)
    assert ran.quick
    assert ran.shown == full(plan, *extra, as_of=day)
