"""A parse cache keyed by each file's content, kept outside the plan folder.

Parsing YAML is most of the cost of a run over thousands of files. An entry is found only by
the hash of the exact bytes it was made from (and this version of vawg and pydantic), so an
edited file can never be served stale: it simply misses. The cache is an optimisation only:
any failure to read or write it is ignored and the plan is read from the files.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import Any, BinaryIO

from vawg_cli import __version__


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


def default_cache_dir(environ: dict[str, str] | os._Environ[str]) -> Path | None:
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


def _open_cache(path: Path) -> BinaryIO | None:
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
    return hashlib.blake2b(raw, digest_size=16).digest()


class ParseCache:
    """Entries for one plan folder; `save` keeps only what this run used, so it never grows stale."""

    def __init__(self, cache_dir: Path | None, plan_folder: Path) -> None:
        self._file: Path | None = None
        self._old: dict[bytes, Any] = {}
        self._used: dict[bytes, Any] = {}
        self._dirty = False
        self._stamp: tuple[object, ...] = ()
        if cache_dir is None:
            return
        folder = plan_folder.resolve()
        if cache_dir.resolve().is_relative_to(folder):
            return  # never write into the plan folder, which is shared through git
        self._stamp = _stamp()
        name = hashlib.blake2b(str(folder).encode(), digest_size=8).hexdigest()
        self._file = cache_dir / f"plan-{name}.pickle"
        # A cache from another version, or one that cannot be read, is simply not used.
        handle = _open_cache(self._file)
        if handle is None:
            return
        # A damaged or foreign pickle raises anything at all; each entry is checked where it is used.
        with contextlib.suppress(Exception), handle:
            stamp, entries = pickle.load(handle)
            if stamp == self._stamp and isinstance(entries, dict):
                self._old = entries

    def get(self, key: bytes) -> Any:
        entry = self._old.get(key)
        if entry is not None:
            self._used[key] = entry
        return entry

    def put(self, key: bytes, entry: Any) -> None:
        self._used[key] = entry
        self._dirty = True

    def save(self) -> None:
        if self._file is None or not (self._dirty or len(self._used) != len(self._old)):
            return
        with contextlib.suppress(OSError):
            self._file.parent.mkdir(parents=True, exist_ok=True)
            import tempfile  # only when something changed: slow to import

            fd, temp = tempfile.mkstemp(dir=self._file.parent, prefix=".plan-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump((self._stamp, self._used), handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temp, self._file)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
