"""Cache files written on the other core while the command goes on, and waited for before it ends.

A first run over ten thousand actions ends by writing its parse cache (0.4 s of pickling) and
the snapshot the next `vawg status` answers from (0.2 s), while it still has the status to work
out and print: each is written by a forked child, and the command does not end before its
children have (`wait`, called by cli/quick.finish). Nothing a user sees depends on these
files, only how fast the next run is: a child that fails leaves the cache as it was (every
write is a temporary file renamed into place), and the next run reads the plan again.

Only the command line turns this on (`enabled`, see cli/root.py), where the system can fork and
no other thread runs (forking a process with threads can deadlock). Elsewhere, and in the tests'
one long process, each write is done in turn, where it is asked for.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

enabled = False
_children: list[int] = []


def run(work: Callable[[], object]) -> None:
    """Do `work` (a cache write) in a forked child where that is on and safe; else here, now."""
    threads = sys.modules.get("threading")
    if not enabled or not hasattr(os, "fork") or (threads is not None and threads.active_count() > 1):
        work()
        return
    try:
        child = os.fork()
    except OSError:
        work()
        return
    if child == 0:
        try:
            # The child writes nothing a user reads: a pipe the parent writes to is not held open
            # by it, so `vawg status | head` ends when the parent does.
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)
            os.dup2(quiet, 2)
            work()
        finally:
            os._exit(0)  # nothing of the parent's is flushed or torn down here
    _children.append(child)


def wait() -> None:
    """Wait for every child `run` started: the command has written its caches when it ends."""
    while _children:
        child = _children.pop()
        try:
            os.waitpid(child, 0)
        except OSError:  # not ours to wait for after all
            continue
        except KeyboardInterrupt:  # Ctrl-C reached the children too: nothing is left to wait for
            return
