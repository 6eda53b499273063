"""The plan and templates that ship with vawg, and `vawg init`, which copies the plan out."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from vawg_cli.errors import InitRefused, VawgError

# The vawg_cli package folder (this module lives in its plan/ subpackage).
_PACKAGE = Path(__file__).resolve().parents[1]


def _shipped(name: str) -> Path:
    # A wheel carries a copy inside the package; a source checkout (an editable install) has the
    # top-level folder that the wheel copies from.
    inside = _PACKAGE / "_bundled" / name
    return inside if inside.is_dir() else _PACKAGE.parents[1] / name


def plan_dir() -> Path:
    return _shipped("plan")


def templates_dir() -> Path:
    return _shipped("templates")


class BundledPlanUnchangeable(VawgError):
    """The plan that ships with vawg is an example for everyone: it is never written to."""


INIT_ADVICE = "start a plan of your own with: vawg init myplan, then run this again with --plan myplan"


def refuse_to_write(folder: Path, advice: str = INIT_ADVICE) -> None:
    """Refuse to change the bundled plan, however it was named: --plan, VAWG_PLAN, the current
    folder, a link or `..` (resolved paths are compared). In an editable install it is the
    repository's own plan/."""
    try:
        same = folder.resolve() == plan_dir().resolve()
    except OSError:  # a path that cannot be resolved is not the bundled plan, which exists
        same = False
    if same:
        raise BundledPlanUnchangeable(
            f"{folder} is the example plan that ships with vawg, which is never changed; {advice}"
        )


def init_plan(target: Path) -> list[Path]:
    """Copy the bundled plan into `target`, all of it or none: nothing already there is replaced."""
    import shutil

    source = plan_dir()
    files = _plan_files(source)
    entries = _entries(files)
    if target.exists() and not target.is_dir():
        raise InitRefused(f"{target} is a file, not a folder; choose a folder name for the new plan")
    # Decided before anything is written: the entries were once renamed in turn and the first
    # clash found part-way, which left actions/ without a plan.yaml, and `vawg init` then refused
    # the folder it had itself half-filled.
    in_the_way = [entry for entry in entries if os.path.lexists(target / entry.rstrip("/"))]
    if in_the_way:
        raise InitRefused(_refusal(target, in_the_way, entries))
    made = [folder for folder in (target, *target.parents) if not os.path.lexists(folder)]
    target.mkdir(parents=True, exist_ok=True)
    try:
        # Build the copy inside the target (on the same disk, so each entry moves by a rename)
        # and move it into place, so an interrupted init leaves no half-written plan behind.
        staging = _stage(source, files, target)
        try:
            _put_in_place(staging, target, entries)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        for folder in made:  # deepest first; rmdir() leaves a folder that holds anything
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return [target / relative for relative in files]


def _plan_files(source: Path) -> list[Path]:
    """Every file init copies, relative to the bundled plan (hidden ones stay behind)."""
    return [
        path.relative_to(source)
        for path in sorted(source.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    ]


def _entries(files: list[Path]) -> list[str]:
    """The names init creates in the target, a folder's with a slash: plan.yaml, actions/, ..."""
    folders = {relative.parts[0]: len(relative.parts) > 1 for relative in files}
    return sorted((f"{name}/" if folder else name for name, folder in folders.items()), key=_folders_last)


def _folders_last(entry: str) -> tuple[bool, str]:
    return entry.endswith("/"), entry


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _refusal(target: Path, in_the_way: list[str], entries: list[str]) -> str:
    them = "it" if len(in_the_way) == 1 else "them"
    if "plan.yaml" in in_the_way:  # init run twice, the usual case: the words users already know
        writes = "" if in_the_way == entries else f" (vawg init writes {_listed(entries)})"
        return (
            f"{target} already holds a plan; nothing was changed. Choose an empty folder, or move its "
            f"{_listed(in_the_way)} away first if you really mean to start again{writes}"
        )
    return (
        f"{target} already has {_listed(in_the_way)}; nothing was changed. vawg init writes {_listed(entries)} "
        f"there: choose an empty folder, or move {them} away first"
    )


def _stage(source: Path, files: list[Path], target: Path) -> Path:
    import shutil
    import tempfile

    staging: Path | None = None
    try:
        staging = Path(tempfile.mkdtemp(dir=target, prefix=".vawg-init-"))
        for relative in files:
            (staging / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / relative, staging / relative)
    except BaseException as error:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if not isinstance(error, OSError):
            raise
        # Not os_error_message: the error names the hidden staging folder, which the user never sees.
        raise VawgError(
            f"{target}: could not copy the new plan there ({_reason(error)}); nothing was changed. "
            f"Check that you may write to {target} and that the disk has room, then run vawg init again"
        ) from None
    return staging


def _put_in_place(staging: Path, target: Path, entries: list[str]) -> None:
    """Move each staged entry into `target`; if one cannot be, take back those already moved."""
    moved: list[str] = []
    # Folders first and plan.yaml last: a folder is taken for a plan once it has a plan.yaml.
    order = sorted(entries, key=lambda entry: not entry.endswith("/"))
    try:
        for entry in order:
            _move(staging / entry.rstrip("/"), target / entry.rstrip("/"))
            moved.append(entry)
    except BaseException as error:
        left = [done for done in reversed(moved) if not _take_back(target, staging, done.rstrip("/"))]
        if not isinstance(error, OSError):
            raise
        raise VawgError(_failure(target, entry, error, left)) from None


def _move(staged: Path, destination: Path) -> None:
    """Rename one staged entry into place, never over something that has appeared since the check."""
    if not staged.is_dir():
        try:
            # A hard link is made only where the name is free, so a file that appeared meanwhile
            # is never replaced, as a rename would replace it.
            os.link(staged, destination)
        except FileExistsError:
            raise
        except OSError:  # a disk without hard links (FAT on a USB stick): look again, then rename
            pass
        else:
            with contextlib.suppress(OSError):  # the staging folder goes anyway
                os.unlink(staged)
            return
    # A rename replaces an empty folder (a file, for a file) without a word, so look just before.
    if os.path.lexists(destination):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(destination))
    os.rename(staged, destination)


def _take_back(target: Path, staging: Path, name: str) -> bool:
    """Undo one move: back into the staging folder, or failing that deleted (vawg wrote it just now)."""
    import shutil

    with contextlib.suppress(OSError):
        os.rename(target / name, staging / name)
        return True
    with contextlib.suppress(OSError):
        if (target / name).is_dir() and not (target / name).is_symlink():
            shutil.rmtree(target / name)
        else:
            os.unlink(target / name)
        return True
    return not os.path.lexists(target / name)


def _failure(target: Path, entry: str, error: OSError, left: list[str]) -> str:
    """What went wrong part-way, in words that say what to do, without the staging folder's name."""
    if isinstance(error, FileExistsError) or error.errno == errno.ENOTEMPTY:
        what = f"{entry} appeared there while vawg init was writing"
        todo = f"choose an empty folder, or move {entry} away, then run vawg init again"
    else:
        what = f"could not put the new {entry} there ({_reason(error)})"
        todo = f"check that you may write to {target} and that no other program is using it, then run vawg init again"
    if not left:
        return f"{target}: {what}; nothing was changed. To go on, {todo}"
    them = "it" if len(left) == 1 else "them"
    return (
        f"{target}: {what}, and vawg init could not take back the {_listed(left)} it had put there: "
        f"delete {them} by hand (nothing else was changed). Then {todo}"
    )


def _reason(error: OSError) -> str:
    return error.strerror or "the file system refused"


def writable(folder: Path, *, found_bundled: bool) -> Path:
    """`folder` as a plan to change: never the bundled plan, however it was named or found."""
    if found_bundled:
        raise BundledPlanUnchangeable(
            "no plan/ folder here or above, and the bundled plan is not to be changed; "
            "start your own with: vawg init (or point --plan at yours)"
        )
    # Named outright (--plan, VAWG_PLAN) or found from the current folder, it is still the bundled one.
    refuse_to_write(folder)
    return folder
