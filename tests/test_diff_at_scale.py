"""`vawg diff` against the working tree reads only the files git says changed, and says what reading every file says.

Against the working tree, git's index (`git diff-index`, `git ls-files`) names the plan files
that are not as they were at the older revision; the others keep the older side's blob id and
are neither read from disk nor fetched from git. Each test here builds a real repository in
tmp_path, changes it one way, and checks three things: the diff (text, JSON, Markdown) is the
one reading every file gives (`unchanged_in_working_tree` patched to name nothing), the sides
hold the same bytes, and exactly the expected plan files were opened.
"""

from __future__ import annotations

import builtins
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import BUNDLED_PLAN, Repo, copy_plan
from vawg_cli.cli import app
from vawg_cli.core.changes import compare
from vawg_cli.plan import git as plan_git
from vawg_cli.plan.git import GitError, Side, read_sides
from vawg_cli.render.changes import render_json, render_text

FORMATS = ("text", "json", "markdown")
PLAN = "plan.yaml"
TRAINED = "measures/TRAINED.yaml"

Outputs = dict[str, tuple[int, str, str]]


@contextmanager
def every_file_read() -> Iterator[None]:
    """The working tree read as it was before git was asked: every plan file on disk is read."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plan_git, "unchanged_in_working_tree", lambda *args: {})
        yield


@dataclass
class Reads:
    opened: set[str] = field(default_factory=set)
    """Plan files opened from disk, by path inside the plan folder."""
    fetched: list[str] = field(default_factory=list)
    """Blob ids asked of `git cat-file`."""


@contextmanager
def spying(plan: Path) -> Iterator[Reads]:
    reads = Reads()
    real_open, real_git = builtins.open, plan_git._git
    prefix = str(plan) + os.sep

    def recording_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        name = os.fspath(file) if isinstance(file, str | os.PathLike) else None
        if isinstance(name, str) and name.startswith(prefix):
            reads.opened.add(name[len(prefix) :])
        return real_open(file, *args, **kwargs)

    def recording_git(
        args: Sequence[str], *, cwd: Path, stdin: bytes | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        if "cat-file" in args and stdin is not None:
            reads.fetched += stdin.decode("ascii").split()
        return real_git(args, cwd=cwd, stdin=stdin)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builtins, "open", recording_open)
        patch.setattr(plan_git, "_git", recording_git)
        yield reads


def outputs(plan: Path, *revisions: str) -> Outputs:
    runner = CliRunner()
    done: Outputs = {}
    for form in FORMATS:
        result = runner.invoke(app, ["diff", "--plan", str(plan), *revisions, "--format", form])
        done[form] = (result.exit_code, result.stdout, result.stderr)
    return done


def contents(top: Path, side: Side) -> dict[str, tuple[bytes | None, str | None]]:
    """Each file's bytes, whether read or left as a blob id, and why it could not be read."""
    blobs = sorted({f.key.removeprefix("blob:") for f in side.files.values() if f.raw is None and f.error is None})
    batch = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=top,
        input="".join(f"{oid}\n" for oid in blobs).encode(),
        capture_output=True,
        check=True,
    ).stdout
    by_oid: dict[str, bytes] = {}
    for oid in blobs:
        header, _, batch = batch.partition(b"\n")
        size = int(header.split()[2])
        by_oid[oid], batch = batch[:size], batch[size + 1 :]
    return {
        path: (
            by_oid[file.key.removeprefix("blob:")] if file.raw is None and file.error is None else file.raw,
            file.error,
        )
        for path, file in side.files.items()
    }


def assert_as_if_every_file_was_read(
    top: Path, plan: Path, *revisions: str, read: set[str], git_converts: bool = False
) -> Outputs:
    """The diff and the sides are those of reading every file, and only `read` were opened.

    With `git_converts`, files git writes with CRLF (core.autocrlf) are the same bytes once
    their line endings are made LF, as git makes them on commit.
    """
    with every_file_read():
        expected = outputs(plan, *revisions)
        full = read_sides(plan, *revisions)
    with spying(plan) as reads:
        got = outputs(plan, *revisions)
    assert got == expected
    assert reads.opened == read

    def bytes_of(side: Side) -> dict[str, tuple[bytes | None, str | None]]:
        found = contents(top, side)
        if git_converts:
            found = {p: (raw and raw.replace(b"\r\n", b"\n"), error) for p, (raw, error) in found.items()}
        return found

    assert [bytes_of(side) for side in read_sides(plan, *revisions)] == [bytes_of(side) for side in full]
    return got


def name(repo: Repo, action_id: int) -> str:
    return repo.action_path(action_id).relative_to(repo.plan).as_posix()


def in_git(repo: Repo, action_id: int) -> str:
    """The action's file as git names it, from the top of the repository."""
    return repo.action_path(action_id).relative_to(repo.root).as_posix()


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_bytes()
    assert old.encode() in text
    path.write_bytes(text.replace(old.encode(), new.encode(), 1))


def retitle(repo: Repo, action_id: int, title: str) -> None:
    rewrite(repo.action_path(action_id), "title: ", f"title: {title} ")


# --- each kind of change ------------------------------------------------------------------------------------
# A scenario changes the repository and gives the revisions to compare and the plan files that
# must be read: plan.yaml always, as targets such as "2026/27" are dated from its settings.

Scenario = Callable[[Repo], tuple[list[str], set[str]]]


def nothing_changed(repo: Repo) -> tuple[list[str], set[str]]:
    return [], {PLAN}


def modified(repo: Repo) -> tuple[list[str], set[str]]:
    retitle(repo, 3, "Edited")
    return [], {PLAN, name(repo, 3)}


def modified_then_changed_back(repo: Repo) -> tuple[list[str], set[str]]:
    # Its stat data no longer match the index, so git names it and it is read; once `git add`
    # has refreshed the index, git knows it is unchanged and it is not.
    for action_id in (3, 4):
        path = repo.action_path(action_id)
        before = path.read_bytes()
        retitle(repo, action_id, "Edited")
        path.write_bytes(before)
    repo.git("add", in_git(repo, 4))
    return [], {PLAN, name(repo, 3)}


def touched(repo: Repo) -> tuple[list[str], set[str]]:
    for path in repo.plan.glob("actions/*.yaml"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    return [], {PLAN} | {name(repo, n) for n in range(1, 11)}


def staged(repo: Repo) -> tuple[list[str], set[str]]:
    retitle(repo, 3, "Staged")
    retitle(repo, 5, "Staged")
    repo.git("add", "-A")
    retitle(repo, 5, "Then edited again")
    return [], {PLAN, name(repo, 3), name(repo, 5)}


def staged_then_changed_back(repo: Repo) -> tuple[list[str], set[str]]:
    path = repo.action_path(3)
    before = path.read_bytes()
    retitle(repo, 3, "Staged")
    repo.git("add", "-A")
    path.write_bytes(before)
    return [], {PLAN, name(repo, 3)}


def deleted(repo: Repo) -> tuple[list[str], set[str]]:
    repo.action_path(2).unlink()
    repo.git("rm", "-q", in_git(repo, 6))
    (repo.plan / TRAINED).unlink()
    return [], {PLAN}


def untracked(repo: Repo) -> tuple[list[str], set[str]]:
    (repo.plan / "actions" / "11-new.yaml").write_text("id: 11\ntitle: New\nleads: LBB\ntarget: Quarterly\n")
    (repo.plan / "actions" / "12-broken.yaml").write_text("id: [\n")
    (repo.plan / "measures" / "NEW.yaml").write_text("code: [\n")
    return [], {PLAN, "actions/11-new.yaml", "actions/12-broken.yaml", "measures/NEW.yaml"}


def ignored(repo: Repo) -> tuple[list[str], set[str]]:
    # `vawg diff` has always read every plan file on disk, ignored or not.
    (repo.root / ".gitignore").write_text("*-draft.yaml\n")
    repo.commit("ignore drafts")
    (repo.plan / "actions" / "11-draft.yaml").write_text("id: 11\ntitle: Ignored\nleads: LBB\ntarget: Monthly\n")
    return [], {PLAN, "actions/11-draft.yaml"}


def measure_and_plan(repo: Repo) -> tuple[list[str], set[str]]:
    rewrite(repo.plan / TRAINED, "values:", "values:\n  - period: 2026\n    value: 400")
    rewrite(repo.plan / PLAN, "title: Bexley", "title: Greater Bexley")
    return [], {PLAN, TRAINED}


def dated_by_the_unchanged_plan(repo: Repo) -> tuple[list[str], set[str]]:
    repo.set(3, target="2026/27")  # due 31 Mar 2027 only with plan.yaml's year_start_month
    return [], {PLAN, name(repo, 3)}


def renamed(repo: Repo) -> tuple[list[str], set[str]]:
    repo.git("mv", in_git(repo, 4), "plan/actions/04-moved.yaml")
    seven = repo.action_path(7)
    seven.rename(seven.with_name("07-moved by hand é.yaml"))
    retitle(repo, 7, "Moved")
    return [], {PLAN, "actions/04-moved.yaml", "actions/07-moved by hand é.yaml"}


def odd_names(repo: Repo) -> tuple[list[str], set[str]]:
    for action_id, odd in ((8, "08-with spaces ünïcödé.yaml"), (9, "09-ok\t日本.yaml")):
        repo.git("mv", in_git(repo, action_id), f"plan/actions/{odd}")
    repo.commit("odd names")
    retitle(repo, 8, "Odd")
    return [], {PLAN, "actions/08-with spaces ünïcödé.yaml"}


def removed_from_the_index(repo: Repo) -> tuple[list[str], set[str]]:
    repo.git("rm", "-q", "--cached", in_git(repo, 3))
    return [], {PLAN, name(repo, 3)}


def assume_unchanged(repo: Repo) -> tuple[list[str], set[str]]:
    # git takes these entries' word for it, without looking at the disk: they are always read.
    for action_id in (3, 4):
        repo.git("update-index", "--assume-unchanged", in_git(repo, action_id))
    retitle(repo, 3, "Assumed")
    return [], {PLAN, name(repo, 3), name(repo, 4)}


def skip_worktree(repo: Repo) -> tuple[list[str], set[str]]:
    repo.git("update-index", "--skip-worktree", in_git(repo, 5))
    retitle(repo, 5, "Skipped")
    return [], {PLAN, name(repo, 5)}


def symlinked(repo: Repo) -> tuple[list[str], set[str]]:
    path = repo.action_path(5)
    shared = repo.root / "shared-05.yaml"
    path.rename(shared)
    path.symlink_to(shared)
    repo.commit("linked")
    retitle(repo, 5, "Through the link")  # the link is not followed, as before
    return [], {PLAN}


def mode_changed(repo: Repo) -> tuple[list[str], set[str]]:
    repo.action_path(3).chmod(0o755)
    return [], {PLAN, name(repo, 3)}


def against_an_older_revision(repo: Repo) -> tuple[list[str], set[str]]:
    repo.set(3, target="2026/27")
    repo.commit()
    retitle(repo, 4, "Now")
    return ["HEAD~1"], {PLAN, name(repo, 3), name(repo, 4)}


def actions_folder_gone(repo: Repo) -> tuple[list[str], set[str]]:
    shutil.rmtree(repo.plan / "actions")
    return [], {PLAN}


def unmerged(repo: Repo) -> tuple[list[str], set[str]]:
    repo.git("checkout", "-q", "-b", "theirs")
    retitle(repo, 3, "Theirs")
    repo.commit()
    repo.git("checkout", "-q", "main")
    retitle(repo, 3, "Ours")
    repo.commit()
    merging = subprocess.run(["git", "merge", "-q", "theirs"], cwd=repo.root, capture_output=True, check=False)
    assert merging.returncode != 0  # a conflict: action 3 holds conflict markers
    return [], {PLAN, name(repo, 3)}


SCENARIOS: list[Scenario] = [
    nothing_changed,
    modified,
    modified_then_changed_back,
    touched,
    staged,
    staged_then_changed_back,
    deleted,
    untracked,
    ignored,
    measure_and_plan,
    dated_by_the_unchanged_plan,
    renamed,
    odd_names,
    removed_from_the_index,
    assume_unchanged,
    skip_worktree,
    symlinked,
    mode_changed,
    against_an_older_revision,
    actions_folder_gone,
    unmerged,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.__name__)
def test_the_diff_is_the_one_reading_every_file_gives(repo: Repo, scenario: Scenario) -> None:
    revisions, read = scenario(repo)
    assert_as_if_every_file_was_read(repo.root, repo.plan, *revisions, read=read)


def test_what_the_scenarios_show(repo: Repo) -> None:
    """A few of the diffs spelled out, so that "the same as before" is not "the same and empty"."""
    dated_by_the_unchanged_plan(repo)
    text = outputs(repo.plan)["text"][1]
    assert "  target: Apr-25 → 2026/27 (due 30 Apr 2025 → 31 Mar 2027, slips 700 days)" in text
    repo.git("checkout", "-q", "--", ".")
    assume_unchanged(repo)
    assert "title: " in outputs(repo.plan)["text"][1]


def test_the_plan_folder_at_the_top_of_the_repository(repo: Repo, tmp_path: Path) -> None:
    # `repo` only for its clean git settings: this repository is a second one, of the plan folder itself.
    top = copy_plan(BUNDLED_PLAN, tmp_path / "own")
    inner = Repo(top, top)
    inner.git("init", "-q")
    inner.commit()
    retitle(inner, 2, "At the top")
    (top / "actions" / "11-new.yaml").write_text("id: 11\ntitle: New\nleads: LBB\ntarget: Quarterly\n")
    got = assert_as_if_every_file_was_read(top, top, read={PLAN, name(inner, 2), "actions/11-new.yaml"})
    assert "action 11 New: added" in got["text"][1]


def test_many_files_few_read(repo: Repo) -> None:
    actions = repo.plan / "actions"
    for number in range(11, 611):
        (actions / f"{number:04d}-generated.yaml").write_text(
            f"id: {number}\ntitle: Generated action {number}\nleads: LBB\ntarget: Quarterly\n"
        )
    repo.commit("six hundred more")
    for number in (11, 300, 610):
        rewrite(actions / f"{number:04d}-generated.yaml", "Quarterly", "Monthly")
    changed = {f"actions/{number:04d}-generated.yaml" for number in (11, 300, 610)}
    got = assert_as_if_every_file_was_read(repo.root, repo.plan, read={PLAN} | changed)
    assert got["text"][1].count("target: Quarterly → Monthly") == 3
    with spying(repo.plan) as reads:
        read_sides(repo.plan)
    assert len(reads.fetched) == 4  # the three at HEAD, and plan.yaml: not the 615 files


# --- line endings: git's view is followed ---------------------------------------------------------------


def checked_out_with_crlf(repo: Repo, *action_ids: int) -> None:
    """Files written by git with core.autocrlf: CRLF on disk, LF in the blob, the index up to date."""
    repo.git("config", "core.autocrlf", "true")
    for action_id in action_ids:
        repo.action_path(action_id).unlink()
    repo.git("checkout", "--", ".")
    assert all(b"\r\n" in repo.action_path(action_id).read_bytes() for action_id in action_ids)


def test_a_file_git_converts_is_not_read_and_the_diff_is_the_same(repo: Repo) -> None:
    checked_out_with_crlf(repo, 3, 4)
    path = repo.action_path(4)
    path.write_bytes(path.read_bytes().replace(b"title: ", b"title: CRLF ", 1))
    got = assert_as_if_every_file_was_read(repo.root, repo.plan, read={PLAN, name(repo, 4)}, git_converts=True)
    assert "title: " in got["text"][1] and "action 3 " not in got["text"][1]


def test_an_invalid_file_git_calls_unchanged_is_not_reported(repo: Repo) -> None:
    """The one place the diff differs from reading every file, by design.

    Raw bytes would make an unchanged invalid file "invalid at HEAD and in the working tree" only
    because git wrote it with CRLF; git calls it unchanged, and so does `vawg diff`, as it always
    has for an unchanged invalid file with LF endings.
    """
    (repo.plan / "actions" / "11-broken.yaml").write_text("id: 11\ntitle: [\n")
    repo.commit("broken")
    checked_out_with_crlf(repo, 11)
    with every_file_read():
        assert "is invalid at HEAD" in outputs(repo.plan)["text"][1]
    with spying(repo.plan) as reads:
        text = outputs(repo.plan)["text"]
    assert text == (0, "no changes to the plan between HEAD and working tree\n", "")
    assert reads.opened == {PLAN}


# --- when git cannot tell, every file is read ----------------------------------------------------------------


def test_a_broken_index_falls_back_to_reading_every_file(repo: Repo) -> None:
    retitle(repo, 3, "Edited")
    (repo.root / ".git" / "index").write_bytes(b"not an index")
    got = assert_as_if_every_file_was_read(repo.root, repo.plan, read=every_plan_file(repo))
    assert got["text"][0] == 0 and got["text"][2] == ""
    assert "action 3 Edited " in got["text"][1]


def every_plan_file(repo: Repo) -> set[str]:
    return {path.relative_to(repo.plan).as_posix() for path in repo.plan.glob("*/*.yaml")} | {PLAN}


def _failing(command: str, how: str) -> Callable[..., subprocess.CompletedProcess[bytes]]:
    real = plan_git._git

    def git(args: Sequence[str], *, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        if command not in args:
            return real(args, cwd=cwd, stdin=stdin)
        if how == "exit":
            return subprocess.CompletedProcess(list(args), 128, b"", b"fatal: something went wrong\n")
        raise GitError("git is not installed") if how == "missing" else OSError("no more processes")

    return git


@pytest.mark.parametrize("how", ["exit", "missing", "oserror"])
@pytest.mark.parametrize("command", ["diff-index", "ls-files"])
def test_a_failing_git_command_falls_back_to_reading_every_file(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, command: str, how: str
) -> None:
    retitle(repo, 3, "Edited")
    with every_file_read():
        expected = outputs(repo.plan)
    monkeypatch.setattr(plan_git, "_git", _failing(command, how))
    with spying(repo.plan) as reads:
        got = outputs(repo.plan)
    assert got == expected
    assert got["text"][0] == 0 and got["text"][2] == "" and "action 3 Edited " in got["text"][1]
    assert reads.opened == every_plan_file(repo)


def test_the_index_is_not_written(repo: Repo) -> None:
    """Reading it only: a commit made at the same moment must not find the index locked."""
    touched(repo)
    index = repo.root / ".git" / "index"
    before = (index.read_bytes(), index.stat().st_mtime_ns)
    assert outputs(repo.plan)["text"][1] == "no changes to the plan between HEAD and working tree\n"
    assert (index.read_bytes(), index.stat().st_mtime_ns) == before


# --- random edits ----------------------------------------------------------------------------------------------

FILE_EDITS = ["edit", "retarget", "break", "revert", "delete", "new", "ignored", "rename", "touch", "crlf"]
GIT_STEPS = ["stage", "commit"]
EDITS = st.lists(
    st.tuples(st.sampled_from([*FILE_EDITS, *GIT_STEPS]), st.integers(min_value=0, max_value=40)), max_size=8
)


def _plan_files(plan: Path) -> list[Path]:
    return sorted(plan.glob("actions/*.yaml")) + sorted(plan.glob("measures/*.yaml")) + [plan / PLAN]


def _snapshot(plan: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in _plan_files(plan)}


def _apply(root: Path, plan: Path, edits: list[tuple[str, int]]) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, capture_output=True, check=True)

    committed = _snapshot(plan)
    for kind, number in edits:
        files = _plan_files(plan)
        path = files[number % len(files)]
        if kind == "edit":
            path.write_bytes(path.read_bytes().replace(b"\n", b"\n# edited\n", 1).replace(b"title: ", b"title: E", 1))
        elif kind == "retarget":  # dated from plan.yaml's settings, which must be read though unchanged
            path.write_bytes(re.sub(rb"(?m)^target: .*$", b"target: 2026/27", path.read_bytes()))
        elif kind == "break":
            path.write_bytes(b"id: [\n")
        elif kind == "revert":
            path, data = sorted(committed.items())[number % len(committed)]
            path.write_bytes(data)
        elif kind == "delete" and path.name != PLAN:
            path.unlink()
        elif kind in ("new", "ignored"):
            suffix = "-ignored" if kind == "ignored" else ""
            (plan / "actions" / f"{number + 50}-new{suffix}.yaml").write_text(
                f"id: {number + 50}\ntitle: New {number}\nleads: LBB\ntarget: Monthly\n"
            )
        elif kind == "rename" and path.parent.name == "actions":
            path.rename(path.with_name(f"moved é {number}.yaml"))
        elif kind == "stage":
            git("add", "-A")
        elif kind == "commit":
            git("add", "-A")
            git("commit", "-q", "--allow-empty", "-m", "edit")
            committed = _snapshot(plan)
        elif kind == "touch":
            os.utime(path, (1_000_000_000, 1_000_000_000))
        elif kind == "crlf":
            path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))


@settings(
    deadline=None,
    max_examples=20,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(EDITS)
def test_random_edits_diff_as_reading_every_file_does(repo: Repo, edits: list[tuple[str, int]]) -> None:
    # `repo` only for its clean git settings: each example has a repository of its own.
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        plan = copy_plan(BUNDLED_PLAN, root / "plan")
        (root / ".gitignore").write_text("*-ignored.yaml\n")
        for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "first"], ["tag", "first"]):
            subprocess.run(["git", *args], cwd=root, capture_output=True, check=True)
        _apply(root, plan, edits)
        for revisions in ([], ["first"]):
            with every_file_read():
                full = read_sides(plan, *revisions)
            optimised = read_sides(plan, *revisions)
            assert [contents(root, side) for side in optimised] == [contents(root, side) for side in full]
            for render in (render_text, render_json):
                assert render(compare(*optimised)) == render(compare(*full))
