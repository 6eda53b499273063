"""A template's memory, bounded as its time and its loops are (render/templates.py).

A template from a pull request is run by CI. Its loops and ranges are counted and its time is
capped, but a string doubled forty times (`{% set ns.s = ns.s ~ ns.s %}`) or centred in a
billion spaces asks for gigabytes in a few steps, and the machine, or the CI runner, runs out of
memory before any time limit is reached. While a template renders, the process may use only
MARGIN more address space than it held when the rendering began: far more than any paper needs
(the board paper of 100,000 actions takes a few hundred megabytes to render), and a template
that asks for more gets a MemoryError, said in one line.

Where the system has no such limit to set (Windows; macOS, which does not enforce it), the time
limit stays the only one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

MARGIN = 1536 * 1024 * 1024


def _address_space() -> int | None:
    """The bytes of address space this process holds now (Linux), or None where that is not known."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


@contextlib.contextmanager
def memory_limit() -> Iterator[None]:
    """Inside the block, at most MARGIN more address space than now: a MemoryError past it."""
    try:
        import resource
    except ImportError:  # Windows
        yield
        return
    in_use = _address_space()
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if in_use is None:
            raise ValueError("unknown")
        limit = in_use + MARGIN
        if (soft != resource.RLIM_INFINITY and soft <= limit) or (hard != resource.RLIM_INFINITY and hard < limit):
            raise ValueError("already lower")  # a limit the user set is never raised
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
