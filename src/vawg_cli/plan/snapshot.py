"""The status snapshot: a valid plan in compact form, with the stat of every file it was read from.

`vawg status` reads the whole plan and checks it before it shows anything. When the plan it
read had no errors, it keeps a snapshot in the user's cache folder (never in the plan folder):
the plan's compact rows (core/compact.py), its settings, and each file's stat (inode, size,
modification and change times) as it was before the file was read. The next `vawg status`
lists the plan's folders and stats every file; if every name and every stat is the same, the
files are the ones that were read and checked, and the snapshot answers without reading them
(cli/quick.py). Anything else (a file edited, added, removed or replaced by a rename, a link,
a folder where a file was, another day for the checks that depend on it, other code) and the
snapshot is not used: the plan is read and checked in full, and a new snapshot kept.

The safety of the parse cache holds here too (plan/cache.py): only a regular file that this
user owns and nobody else can write is read, without following a link or waiting on a pipe;
its bytes are checked against a hash of them before they are unmarshalled; and a file
modified within the file system's timestamp resolution of the reading is never vouched for,
since its stat cannot tell an edit made in the same tick.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
from array import array
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from vawg_cli.plan.cache import RACY_NS, Stat, _stamp, digest, folder_key, in_plan, open_trusted, write_private
from vawg_cli.plan.location import ACTION_SUFFIXES, ACTIONS_DIR, MEASURES_DIR, PLAN_FILE

_FORMAT = f"4-{sys.byteorder}"  # compact rows hold days as the machine's ints (core/compact.py)
_DIGEST = 16  # bytes of blake2b before the marshalled body

Listing = tuple[tuple[str, int, int, int, int], ...]
"""(path below the plan folder, inode, size, mtime_ns, ctime_ns) for every file read, in order."""


def fingerprint(files: Listing) -> bytes | None:
    """A hash of every name and stat in `files`: what the snapshot keeps, and compares with
    `current` (comparing ten thousand stats read back would cost more than taking them). None
    for a stat out of range."""
    names = [entry[0] for entry in files]
    try:
        inodes = array("Q", [entry[1] for entry in files])
        numbers = array("q", [number for entry in files for number in entry[2:]])
    except OverflowError:
        return None
    return _hashed(names, inodes, numbers)


def _hashed(names: list[str], inodes: array[int], numbers: array[int]) -> bytes:
    joined = "\0".join(names).encode("utf-8", "surrogateescape")
    return digest(joined + b"\0" + inodes.tobytes() + numbers.tobytes())


class Snapshot(NamedTuple):
    settings: Any
    """`core.compact.settings_record`'s tuple, unchecked: the caller builds its own view of it."""
    rows: Sequence[Any]
    """`core.compact.Row`s, unchecked: a damaged row fails where it is read, and the caller falls back."""
    outputs_day: int
    """The day (ordinal) the outputs were worked out for; 0 when the plan has no measures."""
    outputs: dict[int, list[tuple[str, str]]]
    """Each action's output lines on that day, by id (render/status_text.py's `Texts`)."""


def _file(kind: str, cache_dir: Path, folder: Path) -> Path | None:
    if in_plan(cache_dir, folder):
        return None  # never in the plan folder, which is shared through git
    name = folder_key(os.path.realpath(folder))
    return cache_dir / f"{kind}-{name}.marshal"


def current(folder: Path) -> bytes | None:
    """The `fingerprint` of every plan file as the folders hold them now; None for anything only a
    full reading handles.

    A link (even one inside the plan), a folder or a pipe named like a plan file, and a folder
    that cannot be listed all send the command to the full reading, whose checks and messages
    cover them."""
    try:
        info = os.lstat(os.path.join(folder, PLAN_FILE))
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    names, inodes, numbers = [PLAN_FILE], array("Q", [info.st_ino]), array("q")
    numbers.extend((info.st_size, info.st_mtime_ns, info.st_ctime_ns))
    for sub in (ACTIONS_DIR, MEASURES_DIR):
        path = os.path.join(folder, sub)
        try:
            if os.path.islink(path):
                return None
            found = os.listdir(path)
        except FileNotFoundError:
            continue
        except OSError:
            return None
        # The folder is there: an empty folder and none at all are not the same plan to `vawg check`.
        names.append(f"{sub}/")
        inodes.append(0)
        numbers.extend((0, 0, 0))
        found = sorted(name for name in found if name[:1] != "." and name.lower().endswith(ACTION_SUFFIXES))
        names += [f"{sub}/{name}" for name in found]
        if not _stats(path, found, inodes, numbers):
            return None
    return _hashed(names, inodes, numbers)


def _stats(path: str, names: list[str], inodes: array[int], numbers: array[int]) -> bool:
    """Each file's stat into `inodes` and `numbers`; False for one that is not a regular file.

    Ten thousand stats are most of a quick run: each by name within the open folder where the
    system can, with as little else as possible per file."""
    within = os.stat in os.supports_dir_fd
    try:
        where = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)) if within else -1
    except OSError:
        return False
    add_inode, add_numbers, regular = inodes.append, numbers.extend, stat.S_ISREG
    try:
        for name in names:
            info = os.stat(name, dir_fd=where, follow_symlinks=False) if within else os.lstat(os.path.join(path, name))
            if not regular(info.st_mode):  # a link, a folder, a pipe
                return False
            add_inode(info.st_ino)
            add_numbers((info.st_size, info.st_mtime_ns, info.st_ctime_ns))
    except (OSError, OverflowError):
        return False
    finally:
        if within:
            os.close(where)
    return True


def read_listing(folder: Path, seen: Mapping[str, Stat], paths: Sequence[str]) -> Listing | None:
    """The listing of the files a full reading read (`paths`, below the folder), from the stats it
    took before reading each; None if it has no stat for one of them."""
    found = []
    for path in paths:
        if path.endswith("/"):  # a folder that was there (see `current`)
            found.append((path, 0, 0, 0, 0))
            continue
        taken = seen.get(str(folder / path))  # as the reading named it: Path(".") / "plan.yaml" is "plan.yaml"
        if taken is None:
            return None
        found.append((path, *taken))
    return tuple(found)


def load(cache_dir: Path, folder: Path, checked_on: int) -> Snapshot | None:
    """The status snapshot of the plan in `folder`, if every file is as it was read; else None.

    `checked_on`: today (an ordinal). The checks a plan passed depend on the day (an update dated
    in the future is an error), so a snapshot answers only on the day it was checked."""
    found = read_status(cache_dir, folder, checked_on)
    if found is None or not found[1].still_true(current(folder), _stamp_digest()):
        return None
    return found[0]


def read_status(cache_dir: Path, folder: Path, checked_on: int) -> tuple[Snapshot, Kept] | None:
    """The status snapshot as its file holds it, not yet held to the files: the caller asks
    `Kept.still_true` (see `verified_ahead`) before it shows anything of it."""
    found = read_kept(_STATUS, cache_dir, folder, checked_on)
    if found is None or not (isinstance(found.body, tuple) and len(found.body) == 4):
        return None
    settings, rows, outputs_day, outputs = found.body
    if not isinstance(rows, list) or type(outputs_day) is not int or not _lines_by_id(outputs):
        return None
    return Snapshot(settings, rows, outputs_day, outputs), found


def _lines_by_id(outputs: object) -> bool:
    """Whether `outputs` has the shape `Snapshot.outputs` promises (a handful of lines: all checked)."""
    return isinstance(outputs, dict) and all(
        type(number) is int
        and isinstance(lines, list)
        and all(type(pair) is tuple and len(pair) == 2 and all(type(text) is str for text in pair) for pair in lines)
        for number, lines in outputs.items()
    )


def save(
    cache_dir: Path,
    folder: Path,
    *,
    checked_on: int,
    files: Listing,
    read_from_ns: int,
    settings: object,
    rows: list[object],
    outputs_day: int,
    outputs: dict[int, list[tuple[str, str]]],
) -> None:
    """Keep the status snapshot of a plan read in full and found valid (see `keep`)."""
    body = (settings, rows, outputs_day, outputs)
    keep(_STATUS, cache_dir, folder, checked_on=checked_on, files=files, read_from_ns=read_from_ns, body=body)


_STATUS = "status"


def load_kept(kind: str, cache_dir: Path, folder: Path, checked_on: int) -> object:
    """What was kept of `kind` ("status", "check") for the plan in `folder`, if every file is as it
    was read, on the day it was checked, by this code; else None. Unchecked: the caller checks
    its shape, and falls back to a full reading on anything it does not expect."""
    found = read_kept(kind, cache_dir, folder, checked_on)
    if found is None or not found.still_true(current(folder), _stamp_digest()):
        return None
    return found.body


class Kept(NamedTuple):
    """What a snapshot file holds, read but not yet held to the files (see `still_true`)."""

    body: object
    vouched: bytes
    stamp: bytes
    """A hash of the code's stamp it was kept by (see `_stamp_digest`)."""

    def still_true(self, now: bytes | None, stamp: bytes) -> bool:
        """Whether the files' fingerprint and the code's stamp are now what they were."""
        return now is not None and now == self.vouched and stamp == self.stamp


def read_kept(kind: str, cache_dir: Path, folder: Path, checked_on: int) -> Kept | None:
    """The snapshot file of `kind` for `folder`, if it is whole, of this format and of the day."""
    path = _file(kind, cache_dir, folder)
    if path is None:
        return None
    handle = open_trusted(path)
    if handle is None:
        return None
    with handle:
        raw = handle.read()
    if digest(raw[_DIGEST:]) != raw[:_DIGEST]:
        return None  # damaged, or cut short
    try:
        form, stamp, day, vouched, body = marshal.loads(raw[_DIGEST:])
    except Exception:
        return None
    if form != _FORMAT or day != checked_on or type(vouched) is not bytes or type(stamp) is not bytes:
        return None
    return Kept(body, vouched, stamp)


def _stamp_digest() -> bytes:
    # repr, not marshal: marshal's bytes for equal tuples can differ with the objects' sharing.
    return digest(repr(_stamp()).encode("utf-8", "surrogateescape"))


def verified_ahead(folder: Path) -> Callable[[], tuple[bytes | None, bytes]]:
    """Start taking the plan's fingerprint and the code's stamp; the returned function gives them.

    Ten thousand stats are a third of a quick `vawg status`, and the work that does not need
    them (reading the snapshot, working out and drawing the table) another two: where the system
    can fork, a child process takes the stats on the other core while this one works, and the
    answer is held back until they agree. Elsewhere (Windows), or if forking fails, they are
    taken in turn when asked for."""
    threads = sys.modules.get("threading")  # forking a process that runs other threads can deadlock
    if not hasattr(os, "fork") or (threads is not None and threads.active_count() > 1):
        return lambda: (current(folder), _stamp_digest())
    try:
        reader, writer = os.pipe()
        child = os.fork()
    except OSError:
        return lambda: (current(folder), _stamp_digest())
    if child == 0:  # the child: nothing of the parent's is flushed or torn down
        try:
            os.close(reader)
            now = current(folder)
            os.write(writer, _stamp_digest() + (now if now is not None else b""))
        finally:
            os._exit(0)
    os.close(writer)

    def answer() -> tuple[bytes | None, bytes]:
        try:
            with os.fdopen(reader, "rb") as pipe:
                said = pipe.read()
            os.waitpid(child, 0)
        except OSError:
            said = b""
        if len(said) not in (_DIGEST, 2 * _DIGEST):  # the child failed: ask again here
            return current(folder), _stamp_digest()
        return (said[_DIGEST:] or None), said[:_DIGEST]

    return answer


def keep(
    kind: str, cache_dir: Path, folder: Path, *, checked_on: int, files: Listing, read_from_ns: int, body: object
) -> None:
    """Keep `body` for a plan read in full; failures are ignored (it is only a cache).

    `files`: each file's stat taken before it was read; `read_from_ns`: when the reading began.
    A file modified too near that time for its stat to tell a later edit is not vouched for:
    nothing is kept, and the next full reading, once the file is old enough, keeps it."""
    path = _file(kind, cache_dir, folder)
    if path is None:
        return
    if any(max(entry[3], entry[4]) >= read_from_ns - RACY_NS for entry in files):
        return
    vouched = fingerprint(files)
    if vouched is None:
        return
    kept: Any = (_FORMAT, _stamp_digest(), checked_on, vouched, body)
    try:
        body_bytes = marshal.dumps(kept)
    except ValueError:  # something marshal cannot write: nothing is kept
        return
    write_private(path, lambda out: out.write(digest(body_bytes) + body_bytes))
