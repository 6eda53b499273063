"""`vawg status`'s quick path (cli/quick.py) reads what Typer reads, or steps aside.

The entry point asks `quick.answer` before Typer is imported, and `quick.parse` reads the
options of `vawg status` itself. Its rule: give exactly what the full command would give for the
same argv, or return None so that the full command runs. So `parse` is held to Typer's own
reading of the same argv (the `status` command's `make_context`), over hand-picked argv and a
Hypothesis strategy drawing from the tokens a user types; whatever `parse` accepts, Typer must
accept and read alike.

Then the quick path as a whole, run as the user runs it (`python -m vawg_cli`): whatever the
environment, the terminal, the streams or the permissions, it prints what the full command
(VAWG_NO_CACHE=1, which never answers from a snapshot) prints, and it never breaks a command
that is not `vawg status` at all. Where the quick path must answer, a `typer` that refuses to be
imported is put first on PYTHONPATH: the run then only succeeds if the quick path answered.

A snapshot is kept only for files older than the reading by 2 s (plan/cache.py RACY_NS), and a
change time cannot be set back, so the plan copies are made once for the module and aged by one
wait.
"""

from __future__ import annotations

import contextlib
import functools
import io
import marshal
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from typer._click.core import Command as ClickCommand
from typer._click.utils import _expand_args
from typer.exceptions import Abort, Exit, TyperException

from vawg_cli.cli import quick
from vawg_cli.cli.quick import StatusOptions
from vawg_cli.model.records import Rag
from vawg_cli.plan import snapshot
from vawg_cli.plan.cache import digest
from vawg_cli.plan.location import BUNDLED_NOTICE

REPO = Path(__file__).parent.parent
BUNDLED_PLAN = REPO / "plan"
NOBODY = 65534

# ---------------------------------------------------------------------------------------------
# parse against Typer


@functools.cache
def _typer_status() -> tuple[ClickCommand, Any]:
    """The `status` command as Typer builds it, and the application's context for it to parse under
    (the application's settings, -h among the help options, reach the command through its parent)."""
    from vawg_cli.cli import app

    group = typer.main.get_command(app)
    parent = group.context_class(group, info_name="vawg", **group.context_settings)
    command = group.get_command(parent, "status")  # type: ignore[attr-defined]
    assert isinstance(command, ClickCommand)
    return command, parent


@dataclass(frozen=True)
class Reading:
    """Typer's reading of `vawg status`'s options, in the types the command's function gets."""

    options: StatusOptions
    output_format: str


def typer_reading(argv: Sequence[str]) -> Reading | str:
    """What Typer reads from `argv` (which starts with "status"), or why it refuses (help included)."""
    assert argv and argv[0] == "status"
    command, parent = _typer_status()
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown), contextlib.redirect_stderr(shown):
        try:
            ctx = command.make_context("status", list(argv[1:]), parent=parent)
        except (TyperException, Exit, Abort) as refused:
            return f"refused: {type(refused).__name__}: {refused}"
    params = ctx.params
    plan, rag, output_format = params["plan"], params["rag"], params["output_format"]
    return Reading(
        StatusOptions(
            plan=None if plan is None else Path(plan),
            as_of=params["as_of"],
            lead=params["lead"],
            rag=None if rag is None else Rag(getattr(rag, "value", rag)).value,
            overdue=params["overdue"],
            due_soon=params["due_soon"],
        ),
        str(getattr(output_format, "value", output_format)),
    )


def assert_read_as_typer_reads(argv: Sequence[str]) -> StatusOptions | None:
    """`parse(argv)`: None, or what Typer reads from the same argv (with the table format)."""
    parsed = quick.parse(argv)
    if parsed is None:
        return None
    typer_read = typer_reading(argv)
    assert isinstance(typer_read, Reading), f"quick.parse accepts {argv!r}, Typer does not: {typer_read}"
    assert typer_read.output_format == "table", argv
    assert parsed == typer_read.options, argv
    return parsed


# The plain forms a user types: the quick path must take these (or it answers nothing).
ACCEPTED = [
    ["status"],
    ["status", "--plan", "plan"],
    ["status", "--plan=plan/"],
    ["status", "--plan", "no/such/folder"],
    ["status", "--as-of", "2025-06-01"],
    ["status", "--as-of=1 June 2025"],
    ["status", "--as-of", "01/06/2025"],
    ["status", "--as-of", "2025-6-1"],
    ["status", "--as-of", " 1 June 2025. "],
    ["status", "--lead", "LBB"],
    ["status", "--lead=Met"],
    ["status", "--lead", "x y"],
    ["status", "--rag", "RED"],
    ["status", "--rag", "Red"],
    ["status", "--rag=amber"],
    ["status", "--rag", "gReY"],
    ["status", "--overdue"],
    ["status", "--due-soon", "--overdue"],
    ["status", "--format", "table"],
    ["status", "--format=table", "--plan", "x=y"],
    ["status", "--plan", "status", "--lead", "status"],
    ["status", "--plan", "p", "--as-of", "2025-06-01", "--lead", "LBB", "--rag", "green", "--overdue", "--due-soon"],
]

# What a user might type that is not plain: each is either refused by `parse` or read as Typer reads it.
TRICKY = [
    [],
    ["--help"],
    ["-h"],
    ["--version", "status"],
    ["STATUS"],
    ["statu"],
    ["status", "-h"],
    ["status", "--help"],
    ["status", "--plan", "x", "--help"],
    ["status", "--lead", "-h"],
    ["status", "--lead=-h"],
    ["status", "--lead", "--help"],
    ["status", "--plan"],
    ["status", "--plan="],
    ["status", "--plan", ""],
    ["status", "--plan", "-"],
    ["status", "--plan", "-x"],
    ["status", "--plan", "--"],
    ["status", "--", "--plan", "x"],
    ["status", "--"],
    ["status", "-"],
    ["status", "x"],
    ["status", "--ov"],
    ["status", "--over"],
    ["status", "--overdue=yes"],
    ["status", "--overdue="],
    ["status", "--no-overdue"],
    ["status", "--overdue", "--overdue"],
    ["status", "--plan", "a", "--plan", "b"],
    ["status", "--plan=a", "--plan=a"],
    ["status", "--rag", "purple"],
    ["status", "--rag", ""],
    ["status", "--rag", "\uff32\uff25\uff24"],  # RED, full width
    ["status", "--rag", "\u212aed"],
    ["status", "--rag", "red "],
    ["status", "--rag", " red"],
    ["status", "--as-of", "2025-13-01"],
    ["status", "--as-of", "Apr-25"],
    ["status", "--as-of", "9999-12-31"],
    ["status", "--as-of", "-1"],
    ["status", "--as-of="],
    ["status", "--lead="],
    ["status", "--lead", ""],
    ["status", "--lead", " "],
    ["status", "--lead", "\udcff"],
    ["status", "--plan", "\udcff"],
    ["status", "--format", "json"],
    ["status", "--format", "csv"],
    ["status", "--format", "TABLE"],
    ["status", "--format", "Table"],
    ["status", "--format"],
    ["status", "--format="],
    ["status", "--as-of", "2025-06-01", "--as-of=2025-06-02"],
    ["status", "--plan", "x", "x"],
    ["status", "-p", "x"],
    ["status", "--Plan", "x"],
    ["status", "--plan ", "x"],
    ["status", "--quarter", "2025-Q3"],
    ["status", "-o", "out.txt"],
    ["status", "--exit-code"],
    ["check"],
    ["report"],
    ["returns", "status"],
]


@pytest.mark.parametrize("argv", ACCEPTED, ids=repr)
def test_the_plain_forms_are_taken_and_read_as_typer_reads_them(argv: list[str]) -> None:
    assert assert_read_as_typer_reads(argv) is not None


@pytest.mark.parametrize("argv", TRICKY, ids=repr)
def test_what_is_not_plain_is_refused_or_read_as_typer_reads_it(argv: list[str]) -> None:
    assert_read_as_typer_reads(argv)


VOCABULARY = [
    "status",
    "--plan",
    "--plan=x",
    "--plan=",
    "x",
    "plan",
    "--as-of",
    "--as-of=",
    "--as-of=2025-06-01",
    "2025-06-01",
    "1 June 2025",
    "01/06/2025",
    "2025-6-1",
    "Apr-25",
    "--lead",
    "--lead=",
    "--lead=LBB",
    "LBB",
    "--rag",
    "--rag=amber",
    "--rag=",
    "RED",
    "Red",
    "red",
    "purple",
    "--overdue",
    "--overdue=yes",
    "--due-soon",
    "--due-soon=",
    "--format",
    "--format=table",
    "--format=json",
    "table",
    "json",
    "csv",
    "--",
    "-",
    "-h",
    "--help",
    "--ov",
    "--version",
    "",
    " ",
    "=",
    "--=x",
    "\udcff",
]
TOKENS = st.one_of(
    st.sampled_from(VOCABULARY),
    # Free text too, as a value would be typed (argv never holds a NUL).
    st.text(st.characters(blacklist_characters="\x00"), max_size=6),
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    head=st.sampled_from([["status"], ["status"], ["status"], [], ["check"], ["--plan"]]),
    rest=st.lists(TOKENS, max_size=7),
)
@example(head=["status"], rest=["--rag", "RED", "--plan=x", "--as-of", "1 June 2025", "--overdue"])
@example(head=["status"], rest=["--format=table", "--lead", "LBB", "--due-soon"])
def test_parse_never_reads_an_argv_otherwise_than_typer(head: list[str], rest: list[str]) -> None:
    event("taken" if assert_read_as_typer_reads([*head, *rest]) else "left to Typer")


def _cases(word: str) -> st.SearchStrategy[str]:
    """`word` with each letter in either case: "red", "RED", "rEd"."""
    return st.tuples(*(st.sampled_from([c.lower(), c.upper()]) for c in word)).map("".join)


VALUES = {
    "--plan": st.one_of(st.sampled_from(["plan", "x", "plan/plan.yaml", ".", "a=b", " p"]), st.text(max_size=4)),
    "--as-of": st.one_of(
        st.sampled_from(["2025-06-01", "1 June 2025", "01/06/2025", "2025-6-1", "June 1 2025", "Apr-25", "1900-01-01"]),
        st.dates().map(date.isoformat),
        st.text(max_size=4),
    ),
    "--lead": st.one_of(st.sampled_from(["LBB", "Met", "lbb", "Vol Sector"]), st.text(max_size=4)),
    "--rag": st.one_of(st.sampled_from([rag.value for rag in Rag]).flatmap(_cases), st.text(max_size=4)),
    "--format": st.sampled_from(["table", "table", "json", "csv", "Table"]),
}


@st.composite
def well_formed(draw: st.DrawFn) -> list[str]:
    """`vawg status` with each option at most once, as `--name value` or `--name=value`, in any order:
    most of these `parse` takes, so what it reads is compared, not only what it refuses."""
    names = draw(st.lists(st.sampled_from([*VALUES, "--overdue", "--due-soon"]), unique=True))
    argv = ["status"]
    for name in names:
        if name not in VALUES:
            argv.append(name)
            continue
        value = draw(VALUES[name].filter(lambda text: "\x00" not in text))
        argv += [f"{name}={value}"] if draw(st.booleans()) else [name, value]
    return argv


@settings(max_examples=400, deadline=None)
@given(well_formed())
def test_parse_reads_well_formed_options_as_typer_does(argv: list[str]) -> None:
    event("taken" if assert_read_as_typer_reads(argv) else "left to Typer")


@pytest.mark.parametrize(
    "argv",
    [
        ["status", "--plan", "~"],
        ["status", "--plan", "~/plan"],
        ["status", "--plan", "$VAWG_TEST_FOLDER"],
        ["status", "--plan", "plan[1]"],
        ["status", "--lead", "$VAWG_TEST_LEAD"],
    ],
    ids=repr,
)
def test_argv_as_typer_reads_it_on_windows(argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows, Typer reads sys.argv after expanding ~, $VAR/%VAR% and globs in it, as a Unix
    shell would (typer/core.py `_main`: `_click.utils._expand_args(args)` when os.name == "nt").
    `parse` reads the same argv without that expansion. Simulated here with the same function."""
    (tmp_path / "plan1").mkdir()
    (tmp_path / "plan[1]").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    monkeypatch.setenv("VAWG_TEST_FOLDER", str(tmp_path / "plan1"))
    monkeypatch.setenv("VAWG_TEST_LEAD", "LBB")
    monkeypatch.setattr(sys, "platform", "win32")
    parsed = quick.parse(argv)
    typer_read = typer_reading(_expand_args(argv))
    assert isinstance(typer_read, Reading)
    assert parsed is None or parsed == typer_read.options, f"Typer on Windows reads {typer_read.options}"


# ---------------------------------------------------------------------------------------------
# The quick path run as the user runs it


@dataclass(frozen=True)
class Aged:
    """Plan copies made once for the module, old enough for a snapshot to vouch for them."""

    plan: Path
    """A copy of the bundled plan, in the test's own temporary folder."""
    shared: Path
    """A folder every user may enter (under the system's temporary folder), holding a copy of the
    plan (`plan/`) and a `typer` that refuses to load (`poison/`): for the runs as another user."""
    poison: Path
    """A folder to put first on PYTHONPATH: its `typer` fails to import, so only the quick path answers."""


def _poison(folder: Path) -> Path:
    (folder / "typer").mkdir(parents=True)
    (folder / "typer" / "__init__.py").write_text(
        'raise ImportError("typer was imported: the quick path did not answer")\n', encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="module")
def aged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Aged]:
    base = tmp_path_factory.mktemp("quick")
    plan = shutil.copytree(BUNDLED_PLAN, base / "plan")
    poison = _poison(base / "poison")
    shared = Path(tempfile.mkdtemp(prefix="vawg-quick-"))
    try:
        shared.chmod(0o755)
        shutil.copytree(BUNDLED_PLAN, shared / "plan")
        _poison(shared / "poison")
        (shared / "cache").mkdir()
        if os.name == "posix" and os.geteuid() == 0:
            # Given to nobody, the user root runs as there (a chown changes a file's change time: first).
            for folder, names, files in os.walk(shared):
                for path in [folder, *(os.path.join(folder, name) for name in [*names, *files])]:
                    os.chown(path, NOBODY, NOBODY, follow_symlinks=False)
        time.sleep(2.1)  # every file copied is now older than a reading by more than RACY_NS
        yield Aged(plan, shared, poison)
    finally:
        with contextlib.suppress(OSError):
            (shared / "plan").chmod(0o755)  # in case a test stopped while it was not readable
        shutil.rmtree(shared, ignore_errors=True)


def environment(cache: Path, **extra: str) -> dict[str, str]:
    """The user's environment, with vawg's own variables set only as given (NO_COLOR and COLUMNS
    fixed, as the test suite keeps them)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("VAWG_")}
    env.pop("PYTHONPATH", None)
    env.update(VAWG_CACHE_DIR=str(cache), NO_COLOR="1", COLUMNS="120")
    env.update(extra)
    return env


def vawg(
    *args: str,
    cwd: Path | str,
    env: Mapping[str, str],
    prefix: Sequence[str] = (),
    before: Callable[[], None] | None = None,
    stderr: int | None = subprocess.PIPE,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "vawg_cli", *args],
        cwd=cwd,
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=stderr,
        stdin=subprocess.DEVNULL,
        text=True,
        errors="replace",
        check=False,
        timeout=60,
        preexec_fn=before,  # a test process: no threads of its own by then
    )


def outcome(done: subprocess.CompletedProcess[str]) -> tuple[int, str, str]:
    return done.returncode, done.stdout, done.stderr or ""


def quick_and_full(
    *args: str, cwd: Path | str, cache: Path, poison: Path, **extra: str
) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    """The run answered by the quick path (after a run that keeps the snapshot), and the full command's."""
    first = vawg(*args, cwd=cwd, env=environment(cache, **extra))
    assert first.returncode == 0, first.stderr
    quick_run = vawg(*args, cwd=cwd, env=environment(cache, PYTHONPATH=str(poison), **extra))
    assert "typer was imported" not in (quick_run.stderr or ""), "the quick path did not answer"
    full = vawg(*args, cwd=cwd, env=environment(cache, VAWG_NO_CACHE="1", **extra))
    return outcome(quick_run), outcome(full)


@pytest.mark.parametrize(
    "options",
    [
        [],
        ["--rag", "GREY"],
        ["--lead", "LBB", "--overdue"],
        ["--due-soon", "--format=table"],
    ],
    ids=repr,
)
def test_the_quick_path_prints_what_the_full_command_prints(aged: Aged, tmp_path: Path, options: list[str]) -> None:
    """A check that the runs below do compare the two paths: the ordinary case, alike."""
    quick_run, full = quick_and_full(
        "status", f"--plan={aged.plan}", *options, cwd=tmp_path, cache=tmp_path / "cache", poison=aged.poison
    )
    assert quick_run == full


def test_a_plan_named_by_vawg_plan_alike(aged: Aged, tmp_path: Path) -> None:
    quick_run, full = quick_and_full(
        "status", cwd=tmp_path, cache=tmp_path / "cache", poison=aged.poison, VAWG_PLAN=str(aged.plan)
    )
    assert quick_run == full


def test_the_bundled_plan_with_its_notice_alike(aged: Aged, tmp_path: Path) -> None:
    quick_run, full = quick_and_full("status", cwd=tmp_path, cache=tmp_path / "cache", poison=aged.poison)
    assert BUNDLED_NOTICE in full[2]
    assert quick_run == full


def _close_stderr() -> None:
    os.close(2)


@pytest.mark.skipif(os.name != "posix", reason="closes a descriptor in the child before exec")
def test_with_standard_error_closed_the_bundled_plan_still_prints_its_table(aged: Aged, tmp_path: Path) -> None:
    """`vawg status 2>&-` (or a service that starts vawg with no stderr): Python sets sys.stderr to
    None. The full command says the bundled-plan notice with typer.echo, which skips a missing
    stream, and prints the table; the quick path calls sys.stderr.write (quick.py `answer`), which
    raises AttributeError before the table is written."""
    cache = tmp_path / "cache"
    assert vawg("status", cwd=tmp_path, env=environment(cache)).returncode == 0  # keeps the snapshot
    env = environment(cache)
    quick_run = vawg("status", cwd=tmp_path, env=env, stderr=None, before=_close_stderr)
    full = vawg("status", cwd=tmp_path, env={**env, "VAWG_NO_CACHE": "1"}, stderr=None, before=_close_stderr)
    assert full.stdout.startswith("Bexley VAWG Partnership Action Plan")
    assert (quick_run.returncode, quick_run.stdout) == (full.returncode, full.stdout)


@pytest.mark.skipif(os.name != "posix", reason="closes a descriptor in the child before exec")
def test_a_command_that_succeeds_with_standard_error_closed_exits_0(tmp_path: Path) -> None:
    """quick.py `finish` flushes sys.stdout and sys.stderr before os._exit, catching only
    BrokenPipeError and ValueError; a stream Python found closed at start is None, and
    `None.flush()` raises AttributeError: every command then ends in a traceback (to nowhere) and
    exit status 1, `vawg --version 2>&-` included. (The same code was in root.py before the quick
    path: not new, but every command now goes through quick.py.)"""
    done = vawg("--version", cwd=tmp_path, env=environment(tmp_path / "cache"), stderr=None, before=_close_stderr)
    assert done.stdout == "vawg 0.1.0\n"
    assert done.returncode == 0


@pytest.mark.skipif(sys.platform != "linux", reason="a process in a removed folder: Linux semantics")
@pytest.mark.parametrize("args", [["--version"], ["check", "--plan", "{plan}"], ["status", "--plan", "{plan}"]])
def test_a_relative_cache_dir_in_a_removed_folder_breaks_no_command(
    aged: Aged, tmp_path: Path, args: list[str]
) -> None:
    """VAWG_CACHE_DIR=.cache (relative) and a current folder that was removed (a checkout deleted
    under an open shell): quick.py `answer` calls default_cache_dir before it knows the argv is not
    `vawg status`, outside its try, and Path.absolute() raises FileNotFoundError. Every command,
    `vawg --version` included, ends in a traceback; the full command says the folder is gone
    (options.cwd) or, for --version, just answers."""
    given = [arg.format(plan=aged.plan) for arg in args]
    results = []
    for full in (False, True):
        gone = tmp_path / f"gone-{full}"
        gone.mkdir()
        extra = {"VAWG_NO_CACHE": "1"} if full else {}
        env = environment(tmp_path / "unused", **extra) | {"VAWG_CACHE_DIR": ".cache"}
        results.append(vawg(*given, cwd=gone, env=env, before=functools.partial(os.rmdir, gone)))
    quick_run, full_run = results
    if args != ["--version"]:
        assert "the current folder no longer exists" in full_run.stderr, full_run.stderr[-600:]
    assert "Traceback" not in quick_run.stderr, quick_run.stderr[-600:]
    if args == ["--version"]:
        assert (quick_run.returncode, quick_run.stdout) == (0, "vawg 0.1.0\n")
    else:
        assert "the current folder no longer exists" in quick_run.stderr
        assert quick_run.returncode == 1


def test_a_command_that_is_not_status_never_fails_in_the_quick_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """`answer` must return None for an argv that is not `vawg status`, whatever the environment.
    With no home folder to be found (HOME unset, and a user id with no passwd entry, as in a
    container run with `--user 12345`), Path.home() raises RuntimeError; default_cache_dir calls it
    when VAWG_CACHE_DIR and XDG_CACHE_HOME are not set, and `answer` calls that first: `vawg
    --version`, `vawg init`, `vawg check` all end in a traceback before Typer is reached."""

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    for argv in (["--version"], ["init", "myplan"], ["check"], ["status", "--format", "json"]):
        assert quick.answer(argv, {}, date.today()) is None, argv


def test_vawg_version_for_a_user_with_no_home(tmp_path: Path) -> None:
    """The same, for real: a user id with no passwd entry and no HOME (`docker run --user 12345`)."""
    import pwd

    unknown = 12345
    with contextlib.suppress(KeyError):
        pwd.getpwuid(unknown)
        pytest.skip(f"user id {unknown} has a passwd entry here")
    setpriv = shutil.which("setpriv")
    if os.name != "posix" or os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and setpriv to run as a user with no passwd entry")
    env = {name: value for name, value in environment(tmp_path).items() if name not in ("HOME", "XDG_CACHE_HOME")}
    del env["VAWG_CACHE_DIR"]
    prefix = [setpriv, f"--reuid={unknown}", f"--regid={unknown}", "--clear-groups"]
    full = vawg("--version", cwd="/", env={**env, "VAWG_NO_CACHE": "1"}, prefix=prefix)  # the quick path steps aside
    assert (full.returncode, full.stdout) == (0, "vawg 0.1.0\n"), full.stderr[-600:]
    done = vawg("--version", cwd="/", env=env, prefix=prefix)
    assert (done.returncode, done.stdout) == (0, "vawg 0.1.0\n"), done.stderr[-600:]


def _other_user() -> list[str] | None:
    """How to run a command as a user the plan folder's mode applies to; None where none can be had.

    Not root: the user's own (a folder of one's own with mode 0o111 is not readable to its owner).
    Root reads everything, so the run is made as nobody (65534), through setpriv."""
    if os.name != "posix":
        return None
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    probe = subprocess.run([*prefix, sys.executable, "-c", "import vawg_cli"], capture_output=True, check=False)
    return prefix if probe.returncode == 0 else None


def test_a_plan_folder_typer_finds_unreadable_is_refused_alike(aged: Aged) -> None:
    """Typer's Path type reads --plan with readable=True (typer/models.py TyperPath.convert): a
    folder that exists but that the user may only enter, not list (mode 0o111, 0o711: a home folder
    on many shared systems), is a usage error, exit 2, `Path '...' is not readable`. `parse` takes
    the path as it is, find_plan finds plan.yaml in it (entering is enough), and a snapshot kept
    when the folder was found another way (the current folder, VAWG_PLAN, before a chmod) answers:
    the quick path prints the table and exits 0 where the full command refuses."""
    prefix = _other_user()
    if prefix is None:
        pytest.skip("no second user to run as")
    cache, plan = aged.shared / "cache", aged.shared / "plan"
    env = environment(cache)
    first = vawg("status", "--plan", str(plan), cwd="/", env=env, prefix=prefix)
    assert first.returncode == 0, first.stderr
    assert list(cache.glob("status-*.marshal")), "no snapshot kept"
    plan.chmod(0o111)
    try:
        quick_run = vawg("status", "--plan", str(plan), cwd="/", env=env, prefix=prefix)
        full = vawg("status", "--plan", str(plan), cwd="/", env={**env, "VAWG_NO_CACHE": "1"}, prefix=prefix)
    finally:
        plan.chmod(0o755)
    assert full.returncode == 2 and "is not readable" in full.stderr, full.stderr
    assert outcome(quick_run) == outcome(full)


def test_a_damaged_snapshot_with_a_good_digest_falls_back(aged: Aged, tmp_path: Path) -> None:
    """A snapshot whose hash is right but whose rows are not vawg's (only a hand-made one, or one of
    another version of vawg that the stamp does not tell apart, could be): a row whose title is
    not a string sends the command to the full reading, never to a traceback."""
    cache = tmp_path / "cache"
    env = environment(cache)
    assert vawg("status", "--plan", str(aged.plan), cwd=tmp_path, env=env).returncode == 0
    kept = snapshot._file("status", cache, aged.plan)
    assert kept is not None
    raw = kept.read_bytes()
    body = list(marshal.loads(raw[16:]))
    rows = body[4][1]
    rows[0] = (rows[0][0], rows[0][1], 5, *rows[0][3:])  # a title that is a number
    damaged = marshal.dumps(tuple(body))
    kept.write_bytes(digest(damaged) + damaged)
    assert snapshot.load(cache, aged.plan, date.today().toordinal()) is not None  # the snapshot is taken
    done = vawg("status", "--plan", str(aged.plan), cwd=tmp_path, env=env)
    assert "Traceback" not in done.stderr, done.stderr[-600:]
    assert done.returncode == 0


DAY_TEXT = st.one_of(
    st.from_regex(r"\A\s*\d{3,5}-\d{1,3}-\d{1,3}\.?\s*\Z"),
    st.text(st.sampled_from("0123456789-/. aprjune\u0663\uff12"), max_size=14),  # an Arabic-Indic 3, a full-width 2
    st.dates().map(lambda day: day.isoformat()),
)


@settings(max_examples=600, deadline=None)
@given(DAY_TEXT)
def test_the_quick_reading_of_a_day_is_the_parsers(text: str) -> None:
    """`read_day` reads the usual form itself and hands the others to `parse_day`: the same day, or
    None exactly where `parse_day` refuses the text."""
    from vawg_cli.model.schedule import DayError, parse_day

    try:
        expected: date | None = parse_day(text)
    except DayError:
        expected = None
    assert quick.read_day(text) == expected


@pytest.mark.parametrize("outputs", [{1: [("only one",)]}, {1: "not a list"}, {"1": []}, [], {1: [(1, 2)]}])
def test_kept_output_lines_of_the_wrong_shape_are_not_used(aged: Aged, tmp_path: Path, outputs: object) -> None:
    """The outputs kept are checked with the rest of the snapshot, before anything is shown:
    drawn in a terminal, a malformed line would otherwise fail in the middle of the table."""
    cache = tmp_path / "cache"
    env = environment(cache)
    assert vawg("status", "--plan", str(aged.plan), cwd=tmp_path, env=env).returncode == 0
    kept = snapshot._file("status", cache, aged.plan)
    assert kept is not None
    body = list(marshal.loads(kept.read_bytes()[16:]))
    inner = list(body[4])
    inner[3] = outputs
    body[4] = tuple(inner)
    damaged = marshal.dumps(tuple(body))
    kept.write_bytes(digest(damaged) + damaged)
    assert snapshot.read_status(cache, aged.plan, date.today().toordinal()) is None
