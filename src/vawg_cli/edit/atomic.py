"""Writing a file so that a crash leaves the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from vawg_cli.errors import VawgError


class NotAFile(VawgError):
    """The place to write is a folder, a socket, a disk or a pipe no one reads: not to be replaced by a file."""


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8) to a temporary file beside `path`, flush it to disk, rename it over.

    A symbolic link is written through: the file it points to changes, and the link stays a link.
    So is a device or a pipe (`-o /dev/null`, `-o >(gzip)`): renaming a file over one would
    replace the device with a plain file, even /dev/null when run as root.
    """
    path = path.resolve() if path.is_symlink() else path
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode: int | None = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        _write_through(path, mode, payload)
        return
    if not path.parent.is_dir():
        # Say which folder is missing, not the name of a temporary file the user never asked for.
        raise FileNotFoundError(errno.ENOENT, "there is no such folder to write into", str(path.parent))
    replace_with(path, mode, [payload])


def replace_with(path: Path, mode: int | None, pieces: Iterable[bytes]) -> None:
    """Write `pieces` to a temporary file beside `path`, flush it to disk, rename it over `path`.

    `mode`: the permissions of the file it replaces, or None for a new file. On any failure,
    the temporary file is removed and `path` is as it was. (Pieces let an export stream in.)
    """
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            # Keep the permissions the file had (mkstemp makes it readable by its owner only).
            os.chmod(temp, mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _write_through(path: Path, mode: int, payload: bytes) -> None:
    """Write into a character device or a pipe as it is; refuse anything else that is not a file."""
    if stat.S_ISDIR(mode):
        raise NotAFile(f"{path} is a folder; give the name of a file to write, e.g. {path / 'report.html'}")
    if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        kind = "a socket" if stat.S_ISSOCK(mode) else "a disk or other device"
        raise NotAFile(f"{path} is {kind}, not a file; vawg will not write over it. Give the name of a file")
    try:
        # Without blocking: a pipe no program reads from would otherwise make vawg wait for ever.
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        if error.errno == errno.ENXIO:
            raise NotAFile(
                f"{path} is a pipe and nothing is reading from it; start the program that reads it first"
            ) from None
        raise
    os.set_blocking(fd, True)  # a full pipe then waits for its reader instead of failing
    with os.fdopen(fd, "wb") as handle:
        handle.write(payload)
