"""One writer at a time: a lock on the plan folder for the read-check-write of every change."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from vawg_cli.errors import VawgError

# Long enough for a slow disk and a large plan; a holder past this is stuck, not busy.
WAIT_SECONDS = 60.0


class PlanBusy(VawgError):
    """Another vawg command has held the plan's lock for too long."""


@contextlib.contextmanager
def plan_lock(folder: Path, wait: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on `folder` while the block runs; wait for another holder to finish.

    `wait` defaults to WAIT_SECONDS as it is when the lock is taken (not when this module was read).

    The lock belongs to the open file, so the system frees it when a process ends, however it
    ends: a crash cannot leave the plan locked.
    """
    wait = WAIT_SECONDS if wait is None else wait
    if os.name == "nt":  # pragma: no cover - Windows has no flock; lock a file outside the plan
        import msvcrt

        name = hashlib.blake2b(str(folder.resolve()).encode(), digest_size=8).hexdigest()
        handle = open(Path(tempfile.gettempdir()) / f"vawg-{name}.lock", "a+b")  # noqa: SIM115
        try:

            def take() -> None:
                try:
                    msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
                except OSError as error:  # Windows says "locked" with a plain OSError
                    raise BlockingIOError(*error.args) from None

            _retry(take, wait)
            yield
        finally:
            handle.close()
        return
    import fcntl

    fd = os.open(folder, os.O_RDONLY)
    try:
        _retry(lambda: fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB), wait)
        yield
    finally:
        os.close(fd)


def _retry(take: Callable[[], object], wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            take()
            return
        except BlockingIOError:  # held by another process: wait for it
            if time.monotonic() > deadline:
                raise PlanBusy(
                    f"another vawg command has been changing this plan for over {_seconds(wait)}; "
                    "try again, and if it happens again look for a vawg process that is stuck"
                ) from None
            time.sleep(0.02)
        except OSError as error:  # the file system cannot lock at all (some network drives)
            raise VawgError(
                f"cannot lock the plan folder ({error.strerror}); the file system may not support locks: "
                "copy the plan to a local folder to change it"
            ) from None


def _seconds(wait: float) -> str:
    return "1 second" if wait == 1 else f"{wait:g} seconds"
