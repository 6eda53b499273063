"""The two sides' changed files parsed into records, for `compare` in `core/changes.py`.

Only files whose bytes differ between the sides are parsed. A file that cannot be read or
parsed is kept as an `InvalidFile`, with the id or code it would have held, so the action (or
measure) in it is reported neither added nor removed.

Pure core: the bytes were read by `plan/git.py`; nothing here runs git, reads a file or prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TypeVar

from vawg_cli.model.measures import Measure
from vawg_cli.model.records import Action, PlanSettings
from vawg_cli.plan.checks import Partial
from vawg_cli.plan.git import Side
from vawg_cli.plan.loading import MEASURES_DIR, PLAN_FILE
from vawg_cli.plan.parsing import parse_plan_file


@dataclass(frozen=True)
class InvalidFile:
    """A plan file that could not be read at one side, so its action (or measure) was not compared there."""

    path: str
    side: str
    where: str
    message: str
    line: int
    column: int

    def describe(self) -> str:
        return f"{self.path} is invalid {self.where}: {self.message} (line {self.line})"


R = TypeVar("R", PlanSettings, Action, Measure)


@dataclass
class ParsedSide:
    """The records of one side's changed files, and the files that could not be read."""

    settings: PlanSettings | None = None
    actions: dict[int, tuple[str, Action]] = field(default_factory=dict)
    measures: dict[str, tuple[str, Measure]] = field(default_factory=dict)
    """By upper-case code, as `vawg check` tells codes apart."""
    invalid: list[InvalidFile] = field(default_factory=list)
    # Ids and paths of invalid files: the action there is not known, so it is not "added" or "removed".
    invalid_ids: set[int] = field(default_factory=set)
    invalid_paths: set[str] = field(default_factory=set)
    # Paths and codes (from the file name) of invalid measure files, likewise.
    unknown_measures: set[str] = field(default_factory=set)


def _parse(side: Side, path: str, record: type[R], parsed: ParsedSide) -> R | None:
    file = side.files[path]
    if file.raw is None:
        parsed.invalid.append(InvalidFile(path, side.label, side.where, file.error or "cannot read the file", 1, 1))
        parsed.invalid_paths.add(path)
        return None
    result, problems = parse_plan_file(file.raw, record)
    if isinstance(result, record):
        return result
    line, column, _, message = next((p for p in problems if p[2] == "error"), (1, 1, "error", "not a valid file"))
    parsed.invalid.append(InvalidFile(path, side.label, side.where, message, line, column))
    parsed.invalid_paths.add(path)
    if isinstance(result, Partial) and result.id is not None:
        parsed.invalid_ids.add(result.id)
    return None


def parse_side(side: Side, paths: Sequence[str]) -> ParsedSide:
    """The records in `paths` (those whose bytes differ) at one side: plan.yaml, actions, measures."""
    parsed = ParsedSide()
    for path in paths:
        if path not in side.files:
            continue
        if path == PLAN_FILE:
            parsed.settings = _parse(side, path, PlanSettings, parsed)
            continue
        if path.startswith(MEASURES_DIR + "/"):
            _parse_measure(side, path, parsed)
            continue
        action = _parse(side, path, Action, parsed)
        if action is None:
            continue
        if action.id in parsed.actions:
            # Two files with one id: `vawg check` reports it; here the first file by name is compared.
            first = parsed.actions[action.id][0]
            parsed.invalid.append(
                InvalidFile(path, side.label, side.where, f"id {action.id} is also the id of {first}", 1, 1)
            )
            parsed.invalid_ids.add(action.id)
            continue
        parsed.actions[action.id] = (path, action)
    return parsed


def _parse_measure(side: Side, path: str, parsed: ParsedSide) -> None:
    measure = _parse(side, path, Measure, parsed)
    if measure is None:
        parsed.unknown_measures |= {path, PurePosixPath(path).stem.upper()}
        return
    code = measure.code.upper()
    if code in parsed.measures:
        # Two files with one code: `vawg check` reports it; here the first file by name is compared.
        first = parsed.measures[code][0]
        parsed.invalid.append(
            InvalidFile(path, side.label, side.where, f"code {measure.code} is also the code of {first}", 1, 1)
        )
        parsed.unknown_measures |= {path, code}
        return
    parsed.measures[code] = (path, measure)


def settings_of(side: Side, parsed: ParsedSide) -> PlanSettings | None:
    if parsed.settings is not None or PLAN_FILE not in side.files:
        return parsed.settings
    return _parse(side, PLAN_FILE, PlanSettings, ParsedSide())


def same_bytes(old: Side, new: Side, path: str) -> bool:
    a, b = old.files.get(path), new.files.get(path)
    if a is None or b is None:
        return False
    if a.key.startswith("blob:") and a.key == b.key:
        return True
    return a.raw is not None and a.raw == b.raw
