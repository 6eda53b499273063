"""The line and column of each finding of the rules across files, kept in the parse cache.

Such a finding names a key path (`("lifecycle", 0, "date")`), not a line. Finding the line means
parsing the file again with the parser that keeps positions, which for a plan with a problem in
every one of ten thousand files costs more than all the rest of a run. The answer depends only on
the file's exact bytes and the key path, so it is kept under the hash of those bytes: an edited
file misses and is parsed again, and can never be given a line from before the edit.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from vawg_cli.plan.cache import ParseCache, digest
from vawg_cli.plan.checks import Loc

if TYPE_CHECKING:
    from vawg_cli.plan.yaml_source import Positions

PREFIX = b"pos:"
"""Apart from the records' keys ("Action:None:..."), and not an Action: `save` pickles these."""

Position = tuple[int, int]


def position_key(file_digest: bytes, loc: Loc, on_key: bool) -> bytes:
    # The digest is of fixed length and the repr of a tuple of text and numbers tells any two
    # apart, so no two places share a key.
    where = repr(loc).encode("utf-8", "backslashreplace")
    return PREFIX + file_digest + (b"k" if on_key else b"v") + where


def well_formed(entry: object) -> bool:
    """Whether a cache entry is a position: the cache file is only a file, and may be damaged."""
    return (
        type(entry) is tuple
        and len(entry) == 2
        and type(entry[0]) is int
        and type(entry[1]) is int
        and entry[0] > 0
        and entry[1] > 0
    )


class FilePositions:
    """The positions of one file's findings: from the cache, else from the file parsed once.

    Only one file's node tree is held at a time (the caller makes one of these per file, in
    turn): a plan with a problem in each of ten thousand files would otherwise hold every tree.
    """

    def __init__(self, path: Path, override: bytes | None, cache: ParseCache) -> None:
        self.path = path
        self._cache = cache
        self._raw = override
        # The hash of the bytes the file was checked from: for a file a write would change, the
        # new content's, which is not on the disk yet.
        self._digest = digest(override) if override is not None else cache.digest_of(str(path))
        self._positions: Positions | None = None
        self._parsed = False

    def locate(self, loc: Loc, on_key: bool) -> Position:
        if self._digest is None and not self._parsed:
            self._read()  # a file this run did not hash (its stat failed, say): its bytes, read now, give the key
        if self._digest is not None:
            hit = self._cache.get(position_key(self._digest, loc, on_key))
            if well_formed(hit):
                return hit  # type: ignore[no-any-return]
        if not self._parsed:
            self._parse()
        position = self._positions.locate(loc, key=on_key) if self._positions is not None else (1, 1)
        if self._digest is not None:
            self._cache.put(position_key(self._digest, loc, on_key), position)
        return position

    def _read(self) -> None:
        if self._raw is None:
            try:
                self._raw = self.path.read_bytes()
            except OSError:
                # Nothing to parse, and no bytes to key a position by: it is given as (1, 1), as
                # before, and not kept.
                self._parsed, self._digest = True, None
                return
        self._digest = digest(self._raw)

    def _parse(self) -> None:
        # Imported here, and only on a miss: a warm run then never loads the YAML parser for this.
        from vawg_cli.plan.yaml_source import Positions, SourceError, parse

        self._parsed = True
        # Read again even when the run hashed the file: positions are kept under the hash of the
        # bytes actually parsed, so a file edited since it was checked cannot store wrong ones.
        self._read()
        if self._raw is None:
            return
        try:
            self._positions = Positions(parse(self._raw).node)
        except SourceError:
            self._positions = None
