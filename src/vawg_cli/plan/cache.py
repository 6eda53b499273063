"""A parse cache keyed by each file's content, kept outside the plan folder.

Parsing YAML is most of the cost of a run over thousands of files. An entry is found only by
the hash of the exact bytes it was made from (and this version of vawg and pydantic), so an
edited file can never be served stale: it simply misses. The cache is an optimisation only:
any failure to read or write it is ignored and the plan is read from the files.

Reading and hashing ten thousand files is the next cost, so the cache also keeps an index, as
git does: each file's stat (inode, size, modification and change times) and the hash of its
bytes when last read. A file whose stat is unchanged is not read again. An edit changes the
change time even when it keeps the size and puts the modification time back (`touch -r`), a
file replaced by a rename has a new inode, and a file modified within the file system's
timestamp resolution of the start of the run that wrote the index is "racy": its stat cannot
tell, so it is always read again.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from vawg_cli import __version__

try:  # hashlib's own BLAKE2, without loading hashlib's OpenSSL bindings: a quick run is short
    from _blake2 import blake2b
except ImportError:  # pragma: no cover  (an interpreter without it)
    from hashlib import blake2b


def _stamp() -> tuple[object, ...]:
    """What an entry's meaning depends on besides the file: the code that validated it.

    The sizes and times of vawg's own modules, pydantic's and PyYAML's make an edited or upgraded
    installation miss, rather than serve what older code decided.
    """
    from importlib.util import find_spec

    package = Path(__file__).resolve().parents[1]  # vawg_cli, with every subpackage
    sources = sorted(package.rglob("*.py"))
    for library in ("pydantic", "yaml"):
        spec = find_spec(library)
        if spec is not None and spec.origin:
            sources.append(Path(spec.origin))
    files = []
    for source in sources:
        with contextlib.suppress(OSError):
            info = source.stat()
            # The path below the package, not the bare name: core/status.py and render/status.py differ.
            name = source.relative_to(package).as_posix() if source.is_relative_to(package) else source.name
            files.append((name, info.st_size, info.st_mtime_ns))
    return (__version__, sys.version_info[:2], tuple(files))


def default_cache_dir(environ: Mapping[str, str]) -> Path | None:
    """VAWG_CACHE_DIR, else the platform's user cache folder; None when VAWG_NO_CACHE is set."""
    if environ.get("VAWG_NO_CACHE"):
        return None
    if explicit := environ.get("VAWG_CACHE_DIR"):
        return Path(explicit).absolute()
    if sys.platform == "win32" and (local := environ.get("LOCALAPPDATA")):
        return Path(local) / "vawg" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "vawg"
    # The XDG rules say a relative XDG_CACHE_HOME is to be ignored.
    xdg = environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "vawg"


# Opening never waits and never follows a link: a named pipe (FIFO) planted where the cache file
# goes would otherwise block every command at the open, before any check could refuse it.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def open_trusted(path: Path) -> BinaryIO | None:
    """The cache file for reading, or None when it is missing or not one to trust."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:  # missing, a symbolic link (ELOOP), or not ours to read
        return None
    try:
        # A folder planted under the cache file's name opens, but reading it fails: look first.
        handle = os.fdopen(fd, "rb")
    except OSError:
        os.close(fd)
        return None
    if not _trusted(handle):
        handle.close()
        return None
    return handle


def _trusted(handle: Any) -> bool:
    """Only a regular file that this user owns and nobody else can write is unpickled.

    Unpickling runs code named in the file, so a cache in a shared folder (VAWG_CACHE_DIR pointed
    at one) must not be taken from someone else; and a pipe or a device there is never read.
    """
    info = os.fstat(handle.fileno())
    if not stat.S_ISREG(info.st_mode):
        return False
    if not hasattr(os, "getuid"):  # Windows: the user's own profile folder, not shared
        return True
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def digest(raw: bytes) -> bytes:
    return blake2b(raw, digest_size=16).digest()


def write_private(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """A cache file written by `write` into a temporary file only this user can read (the cache
    holds restricted notes) and renamed over `path`; any failure leaves `path` as it was, and is
    not the command's: the next run reads the plan again. (Not flushed to disk: a cache lost in a
    crash costs only time, and `edit.atomic` is for the plan's own files.)"""
    import tempfile  # only when something is written: slow to import

    with contextlib.suppress(OSError, ValueError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                write(handle)
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise


def in_plan(cache_dir: Path, plan_folder: str | Path) -> bool:
    """Whether `cache_dir` is inside the plan folder, or inside the git working tree that holds it,
    where nothing of the cache may go: the plan is shared through git, so a pull request could
    plant a cache file there, and a file from a checkout is owned by whoever checked it out, as a
    cache file is (say VAWG_CACHE_DIR=.vawg-cache in CI). (`realpath`, not `Path.resolve`, which
    raises on a cache folder that is a loop of links.)"""
    cache = os.path.realpath(cache_dir)
    top = os.path.realpath(plan_folder)
    folder = top
    # The outermost folder at or above the plan that holds .git: a plan kept as a submodule (its
    # .git a file) is checked out inside another repository, whose pull requests reach it too.
    while True:
        if os.path.lexists(os.path.join(folder, ".git")):
            top = folder
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return cache == top or cache.startswith(os.path.join(top, ""))


def folder_key(folder: str) -> str:
    """A short name for a plan folder's files in the cache folder (plan-, status- and check-KEY)."""
    return blake2b(folder.encode(), digest_size=8).hexdigest()


RACY_NS = 2_000_000_000
"""A file modified this close to the index's writing is read again: FAT keeps times to 2 s."""

Stat = tuple[int, int, int, int]


def file_stat(path: str) -> Stat | None:
    """What the index compares: inode, size, and modification and change times in nanoseconds."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


keep_until_exit = False
"""Set by the command line, whose process ends without freeing anything (cli/root.py): what a
cache file held is then kept to the end rather than freed, object by object, as soon as the
plan is read (a twentieth of a warm run over ten thousand actions). Tests, one long process,
leave it off."""
_kept: list[object] = []


class ParseCache:
    """Entries for one plan folder; `save` keeps only what this run used, so it never grows stale."""

    def __init__(self, cache_dir: Path | None, plan_folder: Path) -> None:
        self._file: Path | None = None
        self._old: dict[bytes, Any] = {}
        self._used: dict[bytes, Any] = {}
        self._index: dict[str, tuple[Stat, bytes]] = {}
        self._new_index: dict[str, tuple[Stat, bytes]] = {}
        self._fetched: dict[str, tuple[Stat, bytes]] = {}
        self._written_ns = 0
        # The index is as of this moment, before any file is looked at: a file edited after its
        # stat was taken, in the same clock tick, is then racy however long the run takes.
        self._started_ns = time.time_ns()
        self._dirty = False
        self._stamp: tuple[object, ...] = ()
        self.pool: dict[Any, Any] = {}
        """Equal values of this run's new entries as one object (plan/sharing.py)."""
        if cache_dir is None:
            return
        folder = os.path.realpath(plan_folder)
        if in_plan(cache_dir, folder):
            return  # never write into the plan folder, which is shared through git
        self._stamp = _stamp()
        name = folder_key(folder)
        self._file = cache_dir / f"plan-{name}.pickle"
        # A cache from another version, or one that cannot be read, is simply not used.
        handle = open_trusted(self._file)
        if handle is None:
            return
        import pickle  # here, not at the top: `vawg status` answered from its snapshot never unpickles

        # A damaged or foreign pickle raises anything at all; each entry is checked where it is used.
        with contextlib.suppress(Exception), handle:
            stamp, entries, index, written = pickle.load(handle)
            if stamp == self._stamp and isinstance(entries, dict) and isinstance(index, dict):
                self._old, self._index, self._written_ns = entries, index, int(written)
                if keep_until_exit:
                    _kept.append((entries, index))

    def unindexed(self, paths: Sequence[str]) -> int:
        """How many of `paths` the index has no entry for (new files, or a cache of other code)."""
        index = self._index
        return sum(path not in index for path in paths)

    def known_digest(self, path: str, stat_now: Stat | None) -> bytes | None:
        """The hash of `path`'s bytes as last read, if its stat says they cannot have changed."""
        if stat_now is None:
            return None
        fetched = self._fetched.get(path)
        # Read by a worker this run (see `fetched`): its stat, taken before it read the file, is
        # still the file's, and the file was last changed before this run began, so no change
        # since could have left the stat as it was.
        if (
            fetched is not None
            and fetched[0] == stat_now
            and max(stat_now[2], stat_now[3]) < self._started_ns - RACY_NS
        ):
            return fetched[1]
        known = self._index.get(path)
        # A damaged index gives anything at all: only an entry of the right shape is used.
        if not (type(known) is tuple and len(known) == 2 and known[0] == stat_now and type(known[1]) is bytes):
            return None
        if max(stat_now[2], stat_now[3]) >= self._written_ns - RACY_NS:
            return None  # modified too near the index's writing for its times to tell: read it
        return known[1]

    def fetched(self, path: str, stat_then: Stat, file_digest: bytes) -> None:
        """A worker's reading of `path` (plan/prefetch.py): its stat, taken before it read the
        bytes that hash to `file_digest`. `known_digest` trusts it while the stat is unchanged and
        older than this run (two seconds, as the index's own entries): the file is then not read
        again."""
        self._fetched[path] = (stat_then, file_digest)

    def remember(self, path: str, stat_now: Stat | None, file_digest: bytes) -> None:
        if stat_now is not None:
            self._new_index[path] = (stat_now, file_digest)

    @property
    def started_ns(self) -> int:
        return self._started_ns

    def seen(self) -> dict[str, Stat]:
        """Each file's stat as this run took it, before reading the file (or knowing it unchanged)."""
        return {path: stat for path, (stat, _) in self._new_index.items()}

    def digest_of(self, path: str) -> bytes | None:
        """The hash of `path`'s bytes as this run read them (or knew them unchanged), if it did."""
        seen = self._new_index.get(path)
        return seen[1] if seen is not None else None

    def has(self, key: bytes) -> bool:
        """Whether an entry is kept under `key` (not checked: `get` may still find it damaged)."""
        return key in self._used or key in self._old

    def get(self, key: bytes) -> Any:
        entry = self._used.get(key)  # put by this run (files parsed ahead, see prefetch.py)
        if entry is not None:
            return entry
        entry = self._old.get(key)
        if entry is not None:
            self._used[key] = entry
        return entry

    def put(self, key: bytes, entry: Any) -> None:
        self._used[key] = entry
        self._dirty = True

    def save(self) -> None:
        if self._file is None:
            return
        changed = self._dirty or len(self._used) != len(self._old) or self._new_index != self._index
        # Racy entries are written again once they are old enough to be trusted.
        if not changed and not any(
            max(stat[2], stat[3]) >= self._written_ns - RACY_NS for stat, _ in self._new_index.values()
        ):
            return
        import pickle

        entries = (self._stamp, self._used, self._new_index, self._started_ns)
        write_private(self._file, lambda handle: pickle.dump(entries, handle, protocol=pickle.HIGHEST_PROTOCOL))
