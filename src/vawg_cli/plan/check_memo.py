"""`vawg check`'s findings kept for a plan that has not changed, as `vawg status` keeps its rows.

CI runs `vawg check` on every pull request, and the coordinator runs it after every edit; on a
large plan most of its time went into reading ten thousand records back from the parse cache to
find the same few warnings again. The findings of a plan are a function of its files' bytes,
the day (an update dated after it is an error) and vawg's code: so, as ruff keeps a file's
findings while its stat is unchanged, `vawg check` keeps the plan's findings with the
fingerprint of every file it read (plan/snapshot.py), and gives them again while every name and
stat, the day and the code are the same. Anything else, and the plan is checked in full.

A plan with a link or anything but plain files where plan files go is always checked in full
(its fingerprint cannot be taken: see `snapshot.current`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from vawg_cli.errors import Counted, Diagnostic
from vawg_cli.plan import snapshot


@dataclass(frozen=True)
class Findings(Counted):
    """What `vawg check` prints: every problem, and how many files were read."""

    diagnostics: tuple[Diagnostic, ...]
    files: int


_KIND = "check"


def check(folder: Path, *, today: date, cache_dir: Path | None) -> Findings:
    """The plan's findings on `today`: kept ones where nothing has changed, else a full check (then kept)."""
    if cache_dir is not None and (found := kept(folder, today=today, cache_dir=cache_dir)) is not None:
        return found
    from vawg_cli.plan.loading import check_plan

    checked = check_plan(folder, today=today, cache_dir=cache_dir)
    if cache_dir is not None:
        files = snapshot.read_listing(folder, checked.seen, checked.read)
        if files is not None:
            problems = [(str(d.path), d.line, d.column, d.severity, d.message) for d in checked.diagnostics]
            snapshot.keep(
                _KIND,
                cache_dir,
                folder,
                checked_on=today.toordinal(),
                files=files,
                read_from_ns=checked.read_from_ns,
                body=(str(folder), checked.files, problems),
            )
    return Findings(checked.diagnostics, checked.files)


def kept(folder: Path, *, today: date, cache_dir: Path) -> Findings | None:
    """The findings kept of the plan, if nothing has changed since they were found; else None."""
    return _findings(snapshot.load_kept(_KIND, cache_dir, folder, today.toordinal()), folder)


def _findings(kept: object, folder: Path) -> Findings | None:
    """The findings kept, if they are of this plan folder as named now and of the right shape."""
    if not (isinstance(kept, tuple) and len(kept) == 3):
        return None
    named, files, problems = kept
    # Paths are shown as the folder was named (plan/ or /home/.../plan): another name, a full check.
    if named != str(folder) or type(files) is not int or not isinstance(problems, list):
        return None
    diagnostics = []
    for problem in problems:
        if not (
            isinstance(problem, tuple)
            and len(problem) == 5
            and isinstance(problem[0], str)
            and type(problem[1]) is int
            and type(problem[2]) is int
            and problem[3] in ("error", "warning")
            and isinstance(problem[4], str)
        ):
            return None
        diagnostics.append(Diagnostic(Path(problem[0]), problem[1], problem[2], problem[3], problem[4]))
    return Findings(tuple(diagnostics), files)
