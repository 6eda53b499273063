"""Finding the plan folder and reading it: plan.yaml and actions/*.yaml into checked models.

The flow is one way: bytes -> YAML -> models -> rules -> a Plan, or the full list of problems.
Nothing here prints; the command line decides how problems are shown.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from vawg_cli.errors import Counted, Diagnostic, PlanInvalid, PlanNotFound
from vawg_cli.model.measures import Measure
from vawg_cli.model.records import Action, PlanSettings
from vawg_cli.plan import background
from vawg_cli.plan.cache import ParseCache, Stat, digest, file_stat
from vawg_cli.plan.checks import (
    Finding,
    Partial,
    PartialPlan,
    across_files,
)
from vawg_cli.plan.limits import MAX_FILE_BYTES
from vawg_cli.plan.location import ACTION_SUFFIXES as ACTION_SUFFIXES
from vawg_cli.plan.location import ACTIONS_DIR as ACTIONS_DIR  # re-exported: the names of the plan files
from vawg_cli.plan.location import MEASURES_DIR as MEASURES_DIR
from vawg_cli.plan.location import PLAN_FILE as PLAN_FILE
from vawg_cli.plan.location import settings_not_a_file
from vawg_cli.plan.parsing import Problems, R, parse_plan_file
from vawg_cli.plan.prefetch import prefetch
from vawg_cli.plan.sharing import shared

SCHEMA_DIR = "schema"  # JSON Schema files for editors (vawg schema)
# One byte more than a plan file may hold: enough to refuse a larger one without reading it all.
MAX_READ_BYTES = MAX_FILE_BYTES + 1


@dataclass(frozen=True)
class ActionFile:
    folder: Path
    name: str
    action: Action

    @property
    def path(self) -> Path:
        # Derived on demand: building ten thousand Path objects costs more than reading the files.
        return self.folder / self.name


@dataclass(frozen=True)
class MeasureFile:
    folder: Path
    name: str
    measure: Measure

    @property
    def path(self) -> Path:
        return self.folder / self.name


@dataclass(frozen=True)
class Plan:
    folder: Path
    settings: PlanSettings
    actions: tuple[ActionFile, ...]
    measures: tuple[MeasureFile, ...] = ()
    """The plan's measures, by code; a plan need not have any."""
    seen: Mapping[str, Stat] = field(default_factory=dict, compare=False, repr=False)
    """Each file's stat as it was just before it was read, by path (see plan/snapshot.py)."""
    read_from_ns: int = field(default=0, compare=False, repr=False)
    """When the reading began (the clock's nanoseconds)."""
    read: tuple[str, ...] = field(default=(), compare=False, repr=False)
    """The files read, as `CheckedPlan.read`."""


@dataclass(frozen=True)
class CheckedPlan(Counted):
    """Everything `vawg check` needs: the plan if it could be built, and every problem found."""

    plan: Plan | None
    diagnostics: tuple[Diagnostic, ...]
    files: int
    unvalidated: tuple[tuple[Path, int], ...] = ()
    """Action files that failed validation but whose id could be read, so a write can still find them."""
    read: tuple[str, ...] = ()
    """The files read, below the plan folder, in the order plan/snapshot.py lists them: plan.yaml,
    then each folder that was there ("actions/") followed by its files by name."""
    seen: Mapping[str, Stat] = field(default_factory=dict, compare=False, repr=False)
    read_from_ns: int = field(default=0, compare=False, repr=False)


def load_plan(folder: Path, *, today: date, cache_dir: Path | None = None) -> Plan:
    """The plan, or PlanInvalid with every problem: a wrong status is worse than none."""
    checked = check_plan(folder, today=today, cache_dir=cache_dir)
    if checked.plan is None or checked.errors:
        raise PlanInvalid(list(checked.diagnostics))
    return checked.plan


def check_plan(
    folder: Path, *, today: date, cache_dir: Path | None = None, overrides: Mapping[Path, bytes] | None = None
) -> CheckedPlan:
    """Read every file of the plan and report every problem, as `vawg check` prints them.

    `overrides` gives the content some files would have after a write (or of files a write would
    create, even plan.yaml in a folder that is empty or does not exist yet), so that a change is
    checked as part of the whole plan, at the files' own paths, before anything touches the disk.
    """
    replaced = {str(path): raw for path, raw in (overrides or {}).items()}
    plan_file = folder / PLAN_FILE
    if not plan_file.is_file() and str(plan_file) not in replaced:
        if os.path.lexists(plan_file):
            raise PlanNotFound(settings_not_a_file(plan_file))
        raise PlanNotFound(f"{folder} has no {PLAN_FILE}; create a plan with: vawg init {folder}")
    # A command that checks the plan twice (a write checks it, then checks the change) reads the
    # cache the first check wrote: that write may still be going on in the background.
    background.wait()
    cache = ParseCache(cache_dir, folder)
    diagnostics: list[Diagnostic] = []
    root = os.path.realpath(folder)

    read: PlanSettings | Partial | PartialPlan | None
    problems: Problems
    if plan_file.is_symlink() and not _inside(plan_file, root) and str(plan_file) not in replaced:
        read, problems = None, ((1, 1, "error", LINK_OUT),)
    else:
        read, problems = _read(str(plan_file), PlanSettings, cache, replaced)
    diagnostics.extend(Diagnostic(plan_file, *problem) for problem in problems)
    settings = read if isinstance(read, PlanSettings) else None
    # Public notes are checked for small counts against the plan's threshold, where it is known.
    small_below = settings.suppress_below if settings else None
    # Leads are checked against the partners even while plan.yaml has other errors.
    partners = tuple(settings.partners) if settings else read.partners if isinstance(read, PartialPlan) else None

    actions_dir = folder / ACTIONS_DIR
    new_files = {Path(path).name for path in replaced if Path(path).parent == actions_dir}
    names, listing_problems, listed = _file_names(actions_dir, root, coming=bool(new_files))
    folders = [ACTIONS_DIR] if listed else []
    diagnostics.extend(listing_problems)
    names = sorted({*names, *new_files})
    # Files are opened by plain string paths and a Path is made only for a file with a problem:
    # across ten thousand files, Path objects cost more than reading the files.
    prefix = os.path.join(actions_dir, "")
    # On a cold run, the files the cache lacks are parsed on every core first (prefetch.py).
    ahead = [prefix + name for name in names if prefix + name not in replaced]
    prefetch(ahead, Action, _key_prefix(Action, small_below), cache, MAX_READ_BYTES, small_below)
    actions: list[tuple[str, Action]] = []
    everything: list[tuple[str, Action | Partial]] = []
    for name in names:
        action, problems = _read(prefix + name, Action, cache, replaced, small_below)
        if problems:
            diagnostics.extend(Diagnostic(actions_dir / name, *problem) for problem in problems)
        if isinstance(action, Action):
            actions.append((name, action))
        if isinstance(action, (Action, Partial)):
            everything.append((name, action))
    measures_dir = folder / MEASURES_DIR
    new_measures = {Path(path).name for path in replaced if Path(path).parent == measures_dir}
    measure_names, listing_problems, listed = _file_names(measures_dir, root, coming=True)
    folders += [MEASURES_DIR] if listed else []
    diagnostics.extend(listing_problems)
    measures: list[tuple[str, Measure]] = []
    for name in sorted({*measure_names, *new_measures}):
        measure, problems = _read(os.path.join(measures_dir, name), Measure, cache, replaced, small_below)
        diagnostics.extend(Diagnostic(measures_dir / name, *problem) for problem in problems)
        if isinstance(measure, Measure):
            measures.append((name, measure))

    period = (settings.start, settings.end, settings.year_start_month) if settings else None
    findings = across_files(partners, period, plan_file, actions_dir, everything, today)
    if measures:
        from vawg_cli.plan.measure_checks import across

        findings += across(
            [(measures_dir / name, measure) for name, measure in measures],
            partners=partners,
            period=period,
            # Where an action file could not be read, or its id not told, an output naming that id
            # is no problem of the measure's: that file's own error says what to fix.
            action_ids=None
            if len(everything) < len(names) or any(action.id is None for _, action in everything)
            else {action.id for _, action in everything if action.id is not None},
            plan_file=plan_file,
            today=today,
        )
    diagnostics.extend(_positioned(findings, replaced, cache))
    background.run(cache.save)  # after the findings are placed: their positions are kept too
    diagnostics.sort(key=lambda d: (str(d.path), d.line, d.column))

    plan = None
    if settings is not None:
        actions.sort(key=lambda pair: pair[1].id)
        measures.sort(key=lambda pair: pair[1].code.upper())
        plan = Plan(
            folder,
            settings,
            tuple(ActionFile(actions_dir, name, action) for name, action in actions),
            tuple(MeasureFile(measures_dir, name, measure) for name, measure in measures),
            cache.seen(),
            cache.started_ns,
        )
    unvalidated = tuple(
        (actions_dir / name, action.id) for name, action in everything if isinstance(action, Partial) and action.id
    )
    files = 1 + len(names) + len(measure_names)
    # In the order plan/snapshot.py lists a plan: each folder that is there, then its files by name.
    read_paths: tuple[str, ...] = (PLAN_FILE,)
    for sub, found in ((ACTIONS_DIR, names), (MEASURES_DIR, sorted(measure_names))):
        read_paths += (f"{sub}/", *(f"{sub}/{name}" for name in found)) if sub in folders else ()
    if plan is not None:
        plan = replace(plan, read=read_paths)
    return CheckedPlan(plan, tuple(diagnostics), files, unvalidated, read_paths, cache.seen(), cache.started_ns)


_ONE_OF = {ACTIONS_DIR: "an action", MEASURES_DIR: "a measure"}
LINK_OUT = (
    "this is a link to a file outside the plan folder, which vawg does not follow; "
    "replace the link with the file itself"
)


def _inside(path: Path | str, root: str) -> bool:
    """Whether `path`, links resolved, lies inside the folder whose real path is `root`.

    A plan comes from many hands: a link in it to /etc/passwd or to a secrets file must not get
    that file's text quoted into error messages and CI logs.
    """
    return os.path.commonpath([root, os.path.realpath(path)]) == root


def links_out_of(folder: Path, paths: list[Path]) -> Path | None:
    """The first of `paths` that is, or lies under, a link leading out of the plan `folder`."""
    root = os.path.realpath(folder)
    for path in paths:
        if (path.exists() or path.is_symlink()) and not _inside(path, root):
            return path
    return None


def _file_names(folder: Path, root: str, *, coming: bool) -> tuple[list[str], list[Diagnostic], bool]:
    """The names of the plan files in `folder` (actions/ or measures/) in order, a problem for
    anything that looks like one but is not read, and whether the folder was there to list (from
    the listing itself: a folder made or removed just after it must not be taken as listed).

    `coming`: the folder may be missing (a write being checked creates files there, or the
    folder is optional), so a missing folder is no problem."""
    if folder.is_symlink() and not _inside(folder, root):
        message = LINK_OUT.replace("a file", "a folder").replace("the file itself", "the folder itself")
        return [], [Diagnostic(folder, 1, 1, "error", message)], True
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        missing = f"there is no {ACTIONS_DIR}/ folder yet; add one file per action there"
        return [], [] if coming else [Diagnostic(folder, 1, 1, "warning", missing)], False
    except NotADirectoryError:
        problem = Diagnostic(
            folder,
            1,
            1,
            "error",
            f"{folder.name} is a file, not a folder; the plan keeps one file for each "
            f"{_ONE_OF.get(folder.name, 'a plan')[2:].lstrip()} in its {folder.name}/ folder: move this file away "
            f"and make {folder.name}/ a folder",
        )
        return [], [problem], True
    except OSError as error:
        problem = Diagnostic(
            folder,
            1,
            1,
            "error",
            f"cannot read the {folder.name}/ folder ({error.strerror}); check that you may read it",
        )
        return [], [problem], True
    names, problems = [], []
    for entry in entries:
        if entry.name.startswith(".") or not entry.name.lower().endswith(ACTION_SUFFIXES):
            continue
        try:
            is_file = entry.is_file()
            # Checked only for links, which scandir tells apart without a system call per file.
            leaves = entry.is_symlink() and not _inside(entry.path, root)
        except (OSError, ValueError):
            is_file, leaves = False, False
        if leaves:
            problems.append(Diagnostic(folder / entry.name, 1, 1, "error", LINK_OUT))
        elif is_file:
            names.append(entry.name)
        else:
            one = _ONE_OF.get(folder.name, "a plan")
            problems.append(Diagnostic(folder / entry.name, 1, 1, "warning", f"not read: {_not_a_file(entry, one)}"))
    return sorted(names), problems, True


def _not_a_file(entry: os.DirEntry[str], one: str) -> str:
    """Why a name that looks like a plan file is not read, and what to do: "an action", "a measure"."""
    try:
        if entry.is_dir():
            return f"this is a folder, not {one} file"
        if entry.is_symlink() and not os.path.exists(entry.path):
            return f"this is a broken link, not {one} file; remove it, or replace it with the file itself"
    except (OSError, ValueError):
        # Following it failed: a link round in a circle (ELOOP) is still a link, not a device.
        with contextlib.suppress(OSError, ValueError):
            if entry.is_symlink():
                return f"this is a link that leads round in a circle, not {one} file; replace it with the file itself"
    # A pipe, a socket or a device: opening one could wait for ever, so it is never read.
    return f"this is not a plain file (a pipe or a device, say), so not {one} file; remove it or put the file there"


def _well_formed(entry: object, record: type[R]) -> bool:
    """Whether a cache entry has the shape `parse_plan_file` returns: the cache file is only a file."""
    if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], tuple)):
        return False
    result, problems = entry
    partial = Partial if record is Action else PartialPlan if record is PlanSettings else type(None)
    return (result is None or type(result) in (record, partial)) and all(
        isinstance(p, tuple)
        and len(p) == 4
        and type(p[0]) is int
        and type(p[1]) is int
        and p[2] in ("error", "warning")
        and type(p[3]) is str
        for p in problems
    )


def _read(
    path: str, record: type[R], cache: ParseCache, replaced: Mapping[str, bytes], small_below: int | None = None
) -> tuple[R | Partial | PartialPlan | None, Problems]:
    """One file's record (or what could be read of it) and its own problems, from the cache if seen.

    `small_below` (the plan's `suppress_below`) is part of the cache key: the warnings about small
    counts in notes depend on it, so a plan that changes it has its files checked again.
    """
    prefix = _key_prefix(record, small_below)
    if path in replaced:
        raw = replaced[path]
        file_digest = digest(raw)
    else:
        stat_now = file_stat(path)
        known = cache.known_digest(path, stat_now)
        if known is not None:
            hit = cache.get(prefix + known)
            if _well_formed(hit, record):
                cache.remember(path, stat_now, known)
                return hit  # type: ignore[no-any-return]
        try:
            with open(path, "rb") as handle:
                raw = handle.read(MAX_READ_BYTES)
        except OSError as error:
            return None, ((1, 1, "error", f"cannot read the file: {error.strerror}"),)
        file_digest = digest(raw)
        cache.remember(path, stat_now, file_digest)
    key = prefix + file_digest
    entry = cache.get(key)
    if not _well_formed(entry, record):  # missing, or a damaged cache gave something else
        entry = shared(parse_plan_file(raw, record, small_below), cache.pool)
        cache.put(key, entry)
    return entry  # type: ignore[no-any-return]


def _key_prefix(record: type[R], small_below: int | None) -> bytes:
    return f"{record.__name__}:{small_below}:".encode()


def _positioned(findings: list[Finding], replaced: Mapping[str, bytes], cache: ParseCache) -> list[Diagnostic]:
    """Give each finding its line: from the cache, else by parsing again a file with a finding."""
    from vawg_cli.plan.positions_cache import FilePositions

    # In the findings' order (a file's findings come together), one file at a time.
    found: FilePositions | None = None
    result = []
    for finding in findings:
        if found is None or finding.path != found.path:
            found = FilePositions(finding.path, replaced.get(str(finding.path)), cache)
        line, column = found.locate(finding.loc, finding.on_key)
        result.append(Diagnostic(finding.path, line, column, finding.severity, finding.message))
    return result
