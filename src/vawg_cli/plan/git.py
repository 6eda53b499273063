"""The plan's files at a git revision, or in the working tree, as `vawg diff` compares them.

Files at a revision are read through git itself (`ls-tree`, then one `cat-file --batch`), so any
repository and branch can be compared without checking anything out. Listing gives each file's
blob id; contents are fetched only for files whose ids differ between the two sides, as equal
ids mean equal bytes. Against the working tree, git's index says which files are as they were
at the older revision: those keep its blob id and are not read either. The comparison itself is
pure and lives in `core/changes.py`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from vawg_cli.errors import VawgError
from vawg_cli.plan.loading import (
    ACTION_SUFFIXES,
    ACTIONS_DIR,
    LINK_OUT,
    MAX_READ_BYTES,
    MEASURES_DIR,
    PLAN_FILE,
    links_out_of,
)

FOLDERS = (ACTIONS_DIR, MEASURES_DIR)
"""The folders of the plan whose files a diff compares: one file an action, one file a measure."""

WORKING_TREE = "working tree"
"""The label of the side read from disk rather than from a revision."""


class GitError(VawgError):
    """git is missing, the plan is not in a repository, or a revision is unknown."""


@dataclass(frozen=True)
class Repository:
    """A git work tree, and where the plan folder lies inside it."""

    top: Path
    prefix: str
    """The plan folder's path from the top, with a trailing `/`, or "" when it is the top."""


@dataclass(frozen=True)
class SideFile:
    """One plan file at one side: its bytes, or why they could not be read."""

    raw: bytes | None
    key: str
    """What makes two sides' files equal without reading them: the blob id, or the bytes' own text."""
    error: str | None = None


@dataclass(frozen=True)
class Side:
    """The plan's files at one revision (or in the working tree), by path inside the plan folder."""

    label: str
    files: dict[str, SideFile]

    @property
    def where(self) -> str:
        return "in the working tree" if self.label == WORKING_TREE else f"at {self.label}"


def read_sides(folder: Path, old_revision: str = "HEAD", new_revision: str | None = None) -> tuple[Side, Side]:
    """The plan in `folder` at `old_revision`, and at `new_revision` or in the working tree when None.

    Only the files whose bytes may differ between the two sides have their contents read.
    """
    repo = find_repository(folder)
    old_commit = resolve(repo, old_revision)
    old = read_revision(repo, old_revision, old_commit)
    if new_revision is None:
        new = read_working_tree(folder, unchanged_in_working_tree(repo, old_commit, old))
    else:
        new = read_revision(repo, new_revision, resolve(repo, new_revision))
    paths = sorted(set(old.files) | set(new.files))
    # Equal blob ids mean equal bytes: those files are neither fetched nor, later, parsed.
    differing = [p for p in paths if _blob(old, p) is None or _blob(old, p) != _blob(new, p)]
    # plan.yaml is read even when unchanged: it dates targets such as "2026/27" or "Year 2".
    wanted = differing if PLAN_FILE in differing else [PLAN_FILE, *differing]
    return _fetch(repo, old, wanted), _fetch(repo, new, wanted)


def _blob(side: Side, path: str) -> str | None:
    file = side.files.get(path)
    return file.key if file is not None and file.key.startswith("blob:") else None


def _git(args: Sequence[str], *, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        # A list, never a shell string: revisions and paths come from the user and from the repository.
        return subprocess.run(["git", "-C", str(cwd), *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError(
            "git is not installed (or not on PATH); vawg diff reads the plan's history through git"
        ) from None


def _first_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[0] if lines else "git failed without saying why"


def find_repository(folder: Path) -> Repository:
    """The work tree that holds the plan folder, or GitError saying why there is none."""
    done = _git(["rev-parse", "--show-toplevel", "--show-prefix"], cwd=folder)
    if done.returncode != 0:
        if b"not a git repository" in done.stderr:
            raise GitError(
                f"{folder} is not in a git repository; vawg diff compares the plan at git revisions, "
                "so keep the plan folder in git (git init, git add, git commit) and run it again"
            )
        raise GitError(f"git cannot read the repository at {folder}: {_first_line(done.stderr)}")
    lines = os.fsdecode(done.stdout).split("\n")
    if len(lines) < 2 or not lines[0]:
        # Inside .git itself there is no work tree, and so no working-tree side to compare.
        raise GitError(f"{folder} is not in a git work tree; point --plan at the plan folder of a checkout")
    return Repository(Path(lines[0]), lines[1])


def resolve(repo: Repository, revision: str) -> str:
    """The commit id a revision names (HEAD~1, a branch, a tag, an id), or GitError naming it."""
    done = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], cwd=repo.top)
    if done.returncode != 0 or not done.stdout.strip():
        raise GitError(
            f"unknown revision {revision!r}: git has no commit by that name in {repo.top}; "
            "give a branch, a tag, a commit id or HEAD~1"
        )
    return done.stdout.decode("ascii").strip()


def _plan_path(relative: str) -> bool:
    """plan.yaml, and *.yaml|*.yml straight inside actions/ or measures/, as `vawg check` reads them."""
    if relative == PLAN_FILE:
        return True
    folder, _, name = relative.partition("/")
    return folder in FOLDERS and "/" not in name and not name.startswith(".") and name.lower().endswith(ACTION_SUFFIXES)


def _pathspecs(repo: Repository) -> list[str]:
    return [repo.prefix + PLAN_FILE, *(repo.prefix + folder for folder in FOLDERS)]


def read_revision(repo: Repository, revision: str, commit: str) -> Side:
    """Every plan file's blob id at a commit; contents are fetched later, only where they differ."""
    done = _git(["ls-tree", "-r", "-z", "--full-tree", commit, "--", *_pathspecs(repo)], cwd=repo.top)
    if done.returncode != 0:
        raise GitError(f"git cannot list the plan's files at {revision}: {_first_line(done.stderr)}")
    files: dict[str, SideFile] = {}
    for entry in done.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, oid = meta.split()[:3]
        path = os.fsdecode(raw_path)
        # Symbolic links and submodules are not files vawg reads; regular files are mode 100644/100755.
        if kind != b"blob" or not mode.startswith(b"100") or not path.startswith(repo.prefix):
            continue
        relative = path[len(repo.prefix) :]
        if _plan_path(relative):
            files[relative] = SideFile(None, "blob:" + oid.decode("ascii"))
    return Side(revision, files)


def unchanged_in_working_tree(repo: Repository, commit: str, old: Side) -> dict[str, str]:
    """The old side's blob keys of the plan files that git says are on disk as they were at `commit`.

    Only files git tracks as plain index entries count: untracked ones (ignored or not) are read,
    and so are files marked assume-unchanged or skip-worktree, whose index entry git trusts
    without looking at the disk. plan.yaml is always read: `compare` dates targets such as
    "2025/26" from its settings, so its bytes are wanted even when it has not changed.

    git's view is the one followed, as it is what a reviewer sees in `git diff` and what a commit
    would hold: a file git wrote with CRLF (core.autocrlf, an eol attribute) or through a filter,
    untouched since, is unchanged though its raw bytes differ from the blob. Reading the raw bytes
    changed no action, only this: such a file, if invalid, was reported invalid at both sides,
    where an unchanged invalid file never is. Should git fail for any reason, nothing is called
    unchanged and every file is read, as a diff that is slow is better than one that is wrong.
    """
    pathspecs = _pathspecs(repo)
    # Plumbing, not `git diff`: it is not steered by the user's diff settings, and never rewrites the
    # index. So a file whose stat data is stale but whose bytes are unchanged (touched, or edited and
    # put back) is named, and read, where `git diff` would hash it and refresh the index, taking its
    # lock while someone may be committing. The paths are taken as they are, not as globs.
    changed = _listed(
        repo, ["--literal-pathspecs", "diff-index", "--no-renames", "--name-only", "-z", commit, "--", *pathspecs]
    )
    # `-v` tags each entry: "H " a plain one; "S " skip-worktree, a lower-case tag assume-unchanged,
    # "M " unmerged. Only a plain entry is checked against the disk by `diff-index`.
    tracked = _listed(repo, ["--literal-pathspecs", "ls-files", "-z", "-v", "--", *pathspecs])
    if changed is None or tracked is None:
        return {}
    plain = {entry[2:] for entry in tracked if entry.startswith("H ")}
    unchanged: dict[str, str] = {}
    for relative, file in old.files.items():
        path = repo.prefix + relative
        if relative != PLAN_FILE and file.key.startswith("blob:") and path in plain and path not in changed:
            unchanged[relative] = file.key
    return unchanged


def _listed(repo: Repository, args: Sequence[str]) -> set[str] | None:
    """The NUL-separated paths a git command prints, relative to the top, or None if it failed."""
    try:
        done = _git(args, cwd=repo.top)
    except (GitError, OSError):
        return None
    if done.returncode != 0:
        return None
    return {os.fsdecode(entry) for entry in done.stdout.split(b"\0") if entry}


def read_working_tree(folder: Path, unchanged: Mapping[str, str] | None = None) -> Side:
    """The plan files as they are on disk now, committed or not.

    A file in `unchanged` (path inside the plan folder to the older side's key) is not read: it
    gets that key, so it is neither fetched nor parsed. Which files are listed does not depend on it.
    """
    unchanged = unchanged or {}
    # Plain string paths and scandir's cached file types: across ten thousand files, Path objects
    # and a stat per file cost more than reading the files.
    candidates = [(PLAN_FILE, os.path.join(folder, PLAN_FILE), os.path.isfile(os.path.join(folder, PLAN_FILE)))]
    # As in `vawg check`, a link out of the plan is not read, so its text never reaches a diff.
    if (linked := links_out_of(folder, [folder / name for name in FOLDERS])) is not None:
        raise VawgError(
            f"{linked} is a link to a folder outside the plan folder, which vawg does not follow; "
            "replace the link with the folder itself"
        )
    plan_links_out = links_out_of(folder, [folder / PLAN_FILE]) is not None
    for name in FOLDERS:
        try:
            with os.scandir(folder / name) as entries:
                candidates += [(f"{name}/{e.name}", e.path, _is_file(e)) for e in entries]
        except FileNotFoundError:
            pass  # no such folder now: every action (or measure) there was is reported removed
        except OSError as error:
            # Not "every action removed": that would be a wrong diff, which is worse than none.
            raise VawgError(f"cannot read {folder / name}: {error.strerror}") from None
    files: dict[str, SideFile] = {}
    for relative, path, is_file in candidates:
        if not is_file or not _plan_path(relative):
            continue
        if relative == PLAN_FILE and plan_links_out:
            files[relative] = SideFile(None, "unreadable", LINK_OUT)
            continue
        if (key := unchanged.get(relative)) is not None:
            files[relative] = SideFile(None, key)
            continue
        try:
            with open(path, "rb") as handle:
                files[relative] = SideFile(handle.read(MAX_READ_BYTES), "bytes")
        except OSError as error:
            files[relative] = SideFile(None, "unreadable", f"cannot read the file: {error.strerror}")
    return Side(WORKING_TREE, files)


def _is_file(entry: os.DirEntry[str]) -> bool:
    # A symbolic link is skipped, as git's tree of a revision holds only the link, not the file:
    # following it here would report an unchanged action as added on every run.
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False


def _fetch(repo: Repository, side: Side, paths: Sequence[str]) -> Side:
    """`side` with the contents of `paths` filled in, read with one `git cat-file --batch`."""
    wanted = [p for p in paths if (file := side.files.get(p)) is not None and file.raw is None and file.error is None]
    if not wanted:
        return side
    oids = [side.files[p].key.removeprefix("blob:") for p in wanted]
    done = _git(["cat-file", "--batch"], cwd=repo.top, stdin="".join(f"{oid}\n" for oid in oids).encode())
    if done.returncode != 0:
        raise GitError(f"git cannot read the plan's files at {side.label}: {_first_line(done.stderr)}")
    files = dict(side.files)
    out, at = done.stdout, 0
    for path, oid in zip(wanted, oids, strict=True):
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) != 3:  # "<oid> missing": a damaged or shallow repository
            files[path] = SideFile(None, files[path].key, f"git has no object {oid}")
            continue
        size = int(header[2])
        # Kept as `vawg check` reads a file: one byte past the limit is enough to refuse it.
        files[path] = SideFile(out[at : at + min(size, MAX_READ_BYTES)], files[path].key)
        at += size + 1
    return Side(side.label, files)
