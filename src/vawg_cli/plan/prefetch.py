"""Parsing many new or changed files at once, on every core, before the plan is read in order.

A cold run (an empty cache: a fresh checkout in CI, or a new version of vawg) parses every file,
and parsing is nearly all of it: about a millisecond a file, one core busy and the others idle.
When hundreds of files miss the cache, they are parsed in worker processes and their results put
in the cache; reading the plan then finds every one there, in the same order and with the same
problems as if each had been parsed in turn (parsing a file depends on its bytes alone).

Workers are started by fork, where the system has it and vawg runs no other thread (forking a
process with threads can deadlock); elsewhere, and for fewer files, everything is parsed in
turn as before. Any failure of the pool (a worker killed for memory, say) is ignored: the files
it did not parse are parsed in turn.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Sequence

from vawg_cli.plan.cache import ParseCache, digest, file_stat
from vawg_cli.plan.parsing import R, parse_plan_file

PARALLEL_FROM = 300
"""Fewer misses than this are parsed in turn: starting workers costs more than it saves."""

_CHUNK = 100  # files a worker parses per task: few enough round trips, even shares of the work


def prefetch(
    paths: Sequence[str], record: type[R], prefix: bytes, cache: ParseCache, max_bytes: int, small_below: int | None
) -> None:
    """Parse, on every core, those of `paths` whose entries (keys `prefix` + hash) the cache lacks."""
    # A warm run must not pay for this: unless hundreds of files are new to the cache's index
    # (a first run, new code, a new clone), each is read in turn, stat by stat, as before.
    if cache.unindexed(paths) < PARALLEL_FROM:
        return
    workers = _workers()
    if workers < 2:
        return
    misses: list[str] = []
    for path in paths:
        known = cache.known_digest(path, file_stat(path))
        if known is not None and cache.has(prefix + known):
            continue
        try:
            with open(path, "rb") as handle:
                raw = handle.read(max_bytes)
        except OSError:
            continue  # reading it in turn reports the problem
        if not cache.has(prefix + digest(raw)):
            # Only the path: a worker reads the file again, so the bytes of thousands of files are
            # never all held here at once.
            misses.append(path)
    if len(misses) < PARALLEL_FROM:
        return
    chunks = [misses[start : start + _CHUNK] for start in range(0, len(misses), _CHUNK)]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with contextlib.suppress(Exception):  # any failure: what was not parsed here is parsed in turn
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            tasks = [(record, small_below, prefix, max_bytes, chunk) for chunk in chunks]
            for entries in pool.map(_parse_many, tasks):
                for key, entry in entries:
                    cache.put(key, entry)


def _workers() -> int:
    """How many processes may parse at once: the cores this process may use, where fork is safe."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every system
        cores = os.cpu_count() or 1
    return min(cores, 8)


def _parse_many(task: tuple[type[R], int | None, bytes, int, list[str]]) -> list[tuple[bytes, object]]:
    """In a worker: each file's cache key and entry, keyed by the bytes read here (a file edited
    since the parent looked is keyed by its new bytes, and misses when read in turn)."""
    from vawg_cli.plan.yaml_source import NESTED_TOO_DEEPLY  # in a worker only: a warm run never loads YAML

    record, small_below, prefix, max_bytes, paths = task
    entries: list[tuple[bytes, object]] = []
    for path in paths:
        try:
            with open(path, "rb") as handle:
                raw = handle.read(max_bytes)
        except OSError:
            continue
        entry = parse_plan_file(raw, record, small_below)
        # A worker starts with its parent's whole stack beneath it, so it runs out of stack on a
        # shallower file than reading in turn does: that answer is left for the reading in turn.
        if not any(problem[3] == NESTED_TOO_DEEPLY for problem in entry[1]):
            entries.append((prefix + digest(raw), entry))
    return entries
