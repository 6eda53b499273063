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
from collections.abc import Callable, Sequence

from vawg_cli.plan.cache import ParseCache, Stat, digest, file_stat
from vawg_cli.plan.parsing import R, parse_plan_file
from vawg_cli.plan.sharing import shared

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
    # Only the paths go to the workers: each takes a file's stat, reads and hashes it, and parses
    # it if the cache lacks its bytes. Nothing is read here first, and the reading in turn after
    # takes each file's hash from the worker that read it (see `ParseCache.fetched`).
    unknown = [path for path in paths if not _cached(cache, prefix, path)]
    if len(unknown) < PARALLEL_FROM:
        return
    chunks = [unknown[start : start + _CHUNK] for start in range(0, len(unknown), _CHUNK)]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with contextlib.suppress(Exception):  # any failure: what was not parsed here is parsed in turn
        context = multiprocessing.get_context("fork")
        # Forked, each worker has the parent's cache to ask (`initargs` are not pickled for fork).
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_adopt, initargs=(cache.has,)
        ) as pool:
            tasks = [(record, small_below, prefix, max_bytes, chunk) for chunk in chunks]
            for results in pool.map(_parse_many, tasks):
                for path, stat, file_digest, entry in results:
                    cache.fetched(path, stat, file_digest)
                    if entry is not None:
                        cache.put(prefix + file_digest, shared(entry, cache.pool))


def _cached(cache: ParseCache, prefix: bytes, path: str) -> bool:
    """Whether `path` is unchanged since the index's writing and its entry is in the cache."""
    known = cache.known_digest(path, file_stat(path))
    return known is not None and cache.has(prefix + known)


_has: Callable[[bytes], bool] = lambda key: False  # noqa: E731  (a worker's own is set by `_adopt`)


def _adopt(has: Callable[[bytes], bool]) -> None:
    """In a worker, as it starts: how to ask the parent's cache (as it was at the fork)."""
    global _has
    _has = has


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


def _parse_many(
    task: tuple[type[R], int | None, bytes, int, list[str]],
) -> list[tuple[str, Stat, bytes, object | None]]:
    """In a worker: each file's stat (taken before it is read), the hash of the bytes read, and
    its cache entry where the cache lacks one (None where it has it, or leaves it to the reading in
    turn). A file edited after its stat was taken has a new stat when it is read in turn, and is
    read again then."""
    from vawg_cli.plan.yaml_source import NESTED_TOO_DEEPLY  # in a worker only: a warm run never loads YAML

    record, small_below, prefix, max_bytes, paths = task
    results: list[tuple[str, Stat, bytes, object | None]] = []
    for path in paths:
        stat = file_stat(path)
        try:
            with open(path, "rb") as handle:
                raw = handle.read(max_bytes)
        except OSError:
            continue
        if stat is None:
            continue
        file_digest = digest(raw)
        entry: object | None = None
        if not _has(prefix + file_digest):
            parsed = parse_plan_file(raw, record, small_below)
            # A worker starts with its parent's whole stack beneath it, so it runs out of stack on a
            # shallower file than reading in turn does: that answer is left for the reading in turn.
            if not any(problem[3] == NESTED_TOO_DEEPLY for problem in parsed[1]):
                entry = parsed
        results.append((path, stat, file_digest, entry))
    return results
