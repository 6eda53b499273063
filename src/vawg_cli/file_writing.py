"""Writing a file so that a crash leaves the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8) to a temporary file beside `path`, flush it to disk, rename it over.

    A symbolic link is written through: the file it points to changes, and the link stays a link.
    """
    path = path.resolve() if path.is_symlink() else path
    if not path.parent.is_dir():
        # Say which folder is missing, not the name of a temporary file the user never asked for.
        raise FileNotFoundError(errno.ENOENT, "there is no such folder to write into", str(path.parent))
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            # Keep the permissions the file had (mkstemp makes it readable by its owner only).
            os.chmod(temp, path.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
