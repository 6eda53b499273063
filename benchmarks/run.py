"""Time vawg on synthetic plans of growing size, side by side with Taskwarrior's `task list`.

    python benchmarks/run.py [--sizes 1000,10000] [--repeat 5] [--commands status,check,report,export,diff]
                             [--modes piped,terminal] [--warm-only] [--quick] [--task PROGRAM]

For each size a plan is generated once (see generate_plan.py) and kept under benchmarks/.plans/
for later runs, with its Taskwarrior twin (taskwarrior.json: one task per action). Every figure
is the median wall time of whole processes, from just before the process starts until the
benchmark has reaped it (os.wait4), so it includes starting Python and importing vawg, as a
user would see it:

* the no-op: a Typer app whose one command does nothing (benchmarks/noop_typer.py), the floor
  any Typer CLI pays;
* cold: vawg with an empty parse cache (VAWG_CACHE_DIR a fresh folder for every run);
* warm: one untimed run fills a fresh VAWG_CACHE_DIR, then the timed runs reuse it;
* task list: Taskwarrior's `task list` over the same actions, imported once per size into its own
  data folder in a scratch folder, with the same rc settings (TASK_RC) for every run.

Two modes: piped (standard output to /dev/null) and terminal (standard input, output and error
on a pseudo-terminal of 80 columns by 24 lines, whose other end a thread reads and throws away).
`vawg status` runs in both; check, report, export and diff piped. For `vawg diff` (HEAD against
the working tree, what a coordinator reviews before committing) each generated plan is made a git
repository once (`with_history`), whose HEAD holds DIFF_CHANGED of its action files one update
short: the working tree stays exactly the generated plan, so every other command reads the same
files. Each timed vawg run is followed by a
timed `task list` in the same mode, so drift in the machine's speed touches both alike. Peak
memory is each vawg process's ru_maxrss from os.wait4.

The result is a Markdown table on standard output; progress goes to standard error.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import platform
import pty
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from generate_plan import DEFAULT_SEED, TASKWARRIOR_FILE, write_plan

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
BUNDLED_PLAN = REPO_ROOT / "plan"
PLANS_CACHE = BENCH_DIR / ".plans"
GENERATOR = BENCH_DIR / "generate_plan.py"
NOOP_SCRIPT = BENCH_DIR / "noop_typer.py"

DEFAULT_SIZES = (1_000, 10_000)
DEFAULT_REPEAT = 5
QUICK_SIZES = (10, 1_000)
QUICK_REPEAT = 3

VAWG = (sys.executable, "-m", "vawg_cli")

Mode = Literal["piped", "terminal"]
MODES: tuple[Mode, ...] = ("piped", "terminal")
# Each command's arguments after `vawg`, and the modes it is timed in.
COMMANDS: dict[str, tuple[tuple[str, ...], tuple[Mode, ...]]] = {
    "status": (("status",), ("piped", "terminal")),
    "check": (("check",), ("piped",)),
    "report": (("report", "--quarter", "2025-Q3", "--as-of", "2026-01-20", "--format", "md"), ("piped",)),
    "export": (("export", "--format", "json"), ("piped",)),
    "diff": (("diff",), ("piped",)),
}
DIFF_CHANGED = 10
"""Action files that differ between HEAD and the working tree in the `vawg diff` runs."""
HISTORY_READY = "vawg-benchmark-history"  # written into .git last: a repository without it is made again
TERMINAL_ROWS, TERMINAL_COLUMNS = 24, 80
TERMINAL_TYPE = "xterm-256color"

# Taskwarrior's settings for every `task list`, piped or in the terminal. defaultwidth is the
# width Taskwarrior lays its table out to when standard output is not a terminal (in one it asks
# the terminal: 80 here too); gc=off keeps `list` from rewriting its data files.
TASK_RC = (
    "rc.verbose=nothing",
    "rc.gc=off",
    "rc.hooks=off",
    "rc.confirmation=off",
    f"rc.defaultwidth={TERMINAL_COLUMNS}",
)

# Variables that would change what vawg or Taskwarrior reads, whether vawg caches, or how wide or
# colourful a terminal program thinks its terminal is; the benchmark sets its own.
CLEARED_ENV = (
    "VAWG_CACHE_DIR",
    "VAWG_NO_CACHE",
    "VAWG_PLAN",
    "COLUMNS",
    "LINES",
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR_FORCE",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "TASKRC",
    "TASKDATA",
    # Set in some CI images; a user's shell has neither. Without bytecode every run would compile
    # vawg's modules again, and unbuffered output writes line by line.
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONUNBUFFERED",
)
KEPT_OUTPUT = 64 * 1024  # bytes of a terminal run's output kept, for the message if it fails


class BenchmarkError(Exception):
    """A command failed or the setup is wrong: the run stops, as its figures would mean nothing."""


@dataclass(frozen=True)
class PlanUnderTest:
    label: str
    folder: Path
    actions: int
    generated_in: float | None  # seconds; None when the plan was not generated by this run

    @property
    def bundled(self) -> bool:
        return self.folder == BUNDLED_PLAN

    @property
    def description(self) -> str:
        if self.bundled:
            return f"the bundled plan ({self.actions} actions)"
        return f"the plan of {self.label} actions"


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_kb: int  # ru_maxrss: kilobytes on Linux
    output_bytes: int  # what a terminal run wrote to the terminal; 0 when piped


@dataclass(frozen=True)
class Row:
    label: str
    command: str
    mode: Mode
    warm: Sequence[Run]
    cold: Sequence[Run]  # empty with --warm-only
    task: Sequence[Run] | None  # None: no Taskwarrior figure for this row


@dataclass
class TaskData:
    """One plan's tasks, imported into a Taskwarrior data folder of their own."""

    rc_file: Path
    data: Path
    imported_in: float
    pending: int
    completed: int
    first_output: dict[Mode, int] = field(default_factory=dict)


def _csv(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in _csv(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of numbers") from None
    if not sizes or any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError(f"{text!r}: give one or more sizes, each at least 1")
    return sizes


def _choices(known: Sequence[str]) -> Callable[[str], tuple[str, ...]]:
    def parse(text: str) -> tuple[str, ...]:
        chosen = _csv(text)
        unknown = [name for name in chosen if name not in known]
        if not chosen or unknown:
            raise argparse.ArgumentTypeError(f"{text!r}: choose one or more of {','.join(known)}")
        return tuple(name for name in known if name in chosen)  # in the table's order

    return parse


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: must be at least 1")
    return value


def _compile_vawg() -> None:
    """Write vawg's bytecode, as installing a package does: an editable install compiles on first use."""
    import compileall

    import vawg_cli

    compileall.compile_dir(str(Path(vawg_cli.__file__).parent), quiet=1)


def _base_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in CLEARED_ENV:
        env.pop(name, None)
    env["TERM"] = TERMINAL_TYPE  # the same for every run; piped, the programs do not colour
    return env


def _with_cache(env: Mapping[str, str], cache_dir: Path) -> dict[str, str]:
    return {**env, "VAWG_CACHE_DIR": str(cache_dir)}


def _show(argv: Sequence[str]) -> str:
    return " ".join(argv)


def _failed(argv: Sequence[str], code: int, output: bytes, where: str) -> BenchmarkError:
    text = output.decode("utf-8", errors="replace").strip()
    tail = "\n".join(text.splitlines()[-20:]) or f"(nothing on {where})"
    return BenchmarkError(
        f"`{_show(argv)}` exited with {code}, so the benchmark stopped; the last lines of its {where}:\n{tail}"
    )


def _reap(process: subprocess.Popen[bytes]) -> tuple[int, int]:
    """Wait for `process`; its exit code and peak resident memory (KB)."""
    _, status, usage = os.wait4(process.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code  # reaped here: Popen must not wait for it again
    return code, usage.ru_maxrss


def run_piped(argv: Sequence[str], env: Mapping[str, str]) -> Run:
    """One run of `argv` with standard output to /dev/null; raise BenchmarkError unless it exits 0."""
    # Standard error to a file, not a pipe: a pipe nobody reads until the end could fill and block.
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        code, peak = _reap(process)
        elapsed = time.perf_counter() - started
        if code != 0:
            errors.seek(0)
            raise _failed(argv, code, errors.read(), "stderr")
    return Run(elapsed, peak, 0)


def run_in_terminal(argv: Sequence[str], env: Mapping[str, str]) -> Run:
    """One run of `argv` on a pseudo-terminal of TERMINAL_COLUMNS x TERMINAL_ROWS; the time until it exits."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", TERMINAL_ROWS, TERMINAL_COLUMNS, 0, 0))
    kept = bytearray()
    total = 0

    def drain() -> None:
        # Read whatever the program writes, so it never blocks on a full terminal buffer. Reading
        # ends with EIO (Linux) or an empty read once every copy of the slave end is closed.
        nonlocal total
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            total += len(chunk)
            kept.extend(chunk)
            del kept[:-KEPT_OUTPUT]

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        started = time.perf_counter()
        try:
            process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
        finally:
            os.close(slave)
        code, peak = _reap(process)
        elapsed = time.perf_counter() - started
        reader.join()
    finally:
        os.close(master)
    if code != 0:
        raise _failed(argv, code, bytes(kept), "terminal output")
    return Run(elapsed, peak, total)


def run_once(argv: Sequence[str], env: Mapping[str, str], mode: Mode) -> Run:
    return run_in_terminal(argv, env) if mode == "terminal" else run_piped(argv, env)


def _generator_fingerprint() -> str:
    # A changed generator makes new plans: its hash is part of the cached plan's folder name.
    return hashlib.blake2b(GENERATOR.read_bytes(), digest_size=4).hexdigest()


def cached_plan(actions: int, seed: int) -> PlanUnderTest:
    """The generated plan of `actions` actions, from benchmarks/.plans/ or written there now."""
    prefix = f"actions-{actions}-seed-{seed}-"
    final = PLANS_CACHE / f"{prefix}{_generator_fingerprint()}"
    label = f"{actions:,}"
    if (final / "plan.yaml").is_file() and (final / TASKWARRIOR_FILE).is_file():
        return PlanUnderTest(label, final, actions, None)
    PLANS_CACHE.mkdir(parents=True, exist_ok=True)
    for stale in PLANS_CACHE.glob(f"{prefix}*"):
        if stale.is_dir():
            shutil.rmtree(stale)
    # Generate into a temporary folder beside the cache entry and move it into place, so an
    # interrupted run never leaves a half-written plan that a later run would take as complete.
    staging = Path(tempfile.mkdtemp(dir=PLANS_CACHE, prefix=".generating-"))
    try:
        started = time.perf_counter()
        write_plan(staging, actions, seed)
        elapsed = time.perf_counter() - started
        staging.rename(final)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return PlanUnderTest(label, final, actions, elapsed)


def _git(folder: Path, *args: str) -> None:
    # Fixed names and no user or system configuration: the repository is the benchmark's own.
    env = {**_base_env(), "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    identity = ("-c", "user.name=vawg benchmark", "-c", "user.email=benchmark@example.invalid")
    done = subprocess.run(("git", *identity, *args), cwd=folder, env=env, capture_output=True, check=False)
    if done.returncode != 0:
        raise BenchmarkError(f"`git {' '.join(args)}` failed in {folder}: {done.stderr.decode(errors='replace')}")


def with_history(plan: PlanUnderTest) -> None:
    """Make `plan`'s folder a git repository, once, whose HEAD is the plan with DIFF_CHANGED action
    files (spread through it) each without its last update; the working tree is left as generated.

    Cutting a generated file at its last "  - date:" line keeps it valid: updates come last."""
    git_dir = plan.folder / ".git"
    if (git_dir / HISTORY_READY).is_file():
        return
    if shutil.which("git") is None:
        raise BenchmarkError("`vawg diff` is timed in a git repository, and git is not installed")
    if git_dir.exists():
        shutil.rmtree(git_dir)  # a repository half made by an interrupted run
    files = sorted((plan.folder / "actions").glob("*.yaml"))
    step = max(1, len(files) // DIFF_CHANGED)
    changed = files[::step][:DIFF_CHANGED]
    texts = {path: path.read_bytes() for path in changed}
    try:
        for path, text in texts.items():
            cut = text.rfind(b"\n  - date:")
            if cut < 0:
                raise BenchmarkError(f"{path} has no update to leave out of the older revision")
            path.write_bytes(text[: cut + 1])
        _git(plan.folder, "init", "-q")
        _git(plan.folder, "add", "-A")
        _git(plan.folder, "commit", "-q", "-m", "the plan, some actions one update short")
    finally:
        for path, text in texts.items():
            path.write_bytes(text)
    (git_dir / HISTORY_READY).write_text(f"{len(changed)} action files differ from HEAD\n", encoding="utf-8")


def bundled_plan() -> PlanUnderTest:
    if not (BUNDLED_PLAN / "plan.yaml").is_file():
        raise BenchmarkError(f"the bundled plan is missing: no {BUNDLED_PLAN / 'plan.yaml'}")
    actions = sum(1 for path in (BUNDLED_PLAN / "actions").glob("*.y*ml"))
    return PlanUnderTest(f"bundled ({actions})", BUNDLED_PLAN, actions, None)


class Taskwarrior:
    """`task` with an empty rc file, and a data folder per plan, all in the scratch folder."""

    def __init__(self, program: str, scratch: Path, env: Mapping[str, str]) -> None:
        self.program = program
        self._scratch = scratch
        self._env = dict(env)

    def version(self) -> str:
        result = subprocess.run((self.program, "--version"), capture_output=True, text=True, check=False)
        return result.stdout.strip() or "(version unknown)"

    def _argv(self, tasks: TaskData, *words: str) -> tuple[str, ...]:
        return (self.program, f"rc.data.location={tasks.data}", *words)

    def _env_for(self, tasks: TaskData) -> dict[str, str]:
        return {**self._env, "TASKRC": str(tasks.rc_file)}

    def load(self, plan: PlanUnderTest) -> TaskData:
        """Import the plan's taskwarrior.json into a new data folder; check that every task arrived."""
        folder = self._scratch / f"task-{plan.actions}"
        folder.mkdir()
        rc_file = folder / "taskrc"
        rc_file.write_text("", encoding="utf-8")  # empty: Taskwarrior's defaults, and no ~/.taskrc
        source = plan.folder / TASKWARRIOR_FILE
        expected = json.loads(source.read_text(encoding="utf-8"))
        pending = sum(1 for task in expected if task["status"] == "pending")
        tasks = TaskData(rc_file, folder / "data", 0.0, pending, len(expected) - pending)
        started = time.perf_counter()
        run_piped(
            self._argv(tasks, "rc.confirmation=off", "rc.verbose=nothing", "import", str(source)), self._env_for(tasks)
        )
        tasks.imported_in = time.perf_counter() - started
        counted = subprocess.run(
            self._argv(tasks, *TASK_RC, "status:pending", "count"),
            capture_output=True,
            text=True,
            env=self._env_for(tasks),
            check=False,
        )
        if counted.stdout.strip() != str(pending):
            raise BenchmarkError(
                f"Taskwarrior holds {counted.stdout.strip() or '?'} pending tasks after importing {source}, "
                f"not {pending}: {counted.stderr.strip()}"
            )
        return tasks

    def list(self, tasks: TaskData, mode: Mode) -> Run:
        run = run_once(self._argv(tasks, *TASK_RC, "list"), self._env_for(tasks), mode)
        tasks.first_output.setdefault(mode, run.output_bytes)
        return run


def _find_task(program: str) -> str | None:
    found = shutil.which(program)
    if found is None:
        print(
            f"run.py: note: Taskwarrior ({program!r}) is not installed or not on PATH, so the `task list` "
            "columns say 'not installed'; on Debian or Ubuntu: apt-get install taskwarrior",
            file=sys.stderr,
        )
    return found


class Timer:
    """Runs vawg under parse caches kept in one temporary folder, and Taskwarrior beside it."""

    def __init__(self, scratch: Path, repeat: int, warm_only: bool, task: Taskwarrior | None) -> None:
        self._scratch = scratch
        self._repeat = repeat
        self._warm_only = warm_only
        self.task = task
        self._env = _base_env()
        self._caches = 0

    def _fresh_cache(self) -> Path:
        self._caches += 1
        cache_dir = self._scratch / f"cache-{self._caches}"
        cache_dir.mkdir()
        return cache_dir

    def noop(self) -> Sequence[Run]:
        argv = (sys.executable, str(NOOP_SCRIPT))
        return [run_piped(argv, self._env) for _ in range(self._repeat)]

    def _cold(self, argv: Sequence[str], mode: Mode) -> Run:
        cache_dir = self._fresh_cache()
        try:
            return run_once(argv, _with_cache(self._env, cache_dir), mode)
        finally:
            shutil.rmtree(cache_dir)  # a cold cache of a large plan is large: keep the scratch small

    def measure_plan(self, plan: PlanUnderTest, jobs: Sequence[tuple[str, Mode]], tasks: TaskData | None) -> list[Row]:
        """Rows for `jobs` (command, mode) on `plan`: `repeat` rounds, each running every job warm,
        then cold, each vawg run followed by a `task list` in the same mode."""
        argvs = {command: (*VAWG, *COMMANDS[command][0], "--plan", str(plan.folder)) for command, _ in jobs}
        warm_envs = {}
        for command, mode in jobs:  # untimed: fills each warm cache
            warm_envs[command, mode] = _with_cache(self._env, self._fresh_cache())
            run_once(argvs[command], warm_envs[command, mode], mode)
        task_runs: dict[Mode, list[Run]] = {mode: [] for _, mode in jobs}
        if tasks is not None and self.task is not None:
            for mode in task_runs:  # untimed, as for vawg: the first run pays for a cold disk cache
                self.task.list(tasks, mode)
        warm: dict[tuple[str, Mode], list[Run]] = {job: [] for job in jobs}
        cold: dict[tuple[str, Mode], list[Run]] = {job: [] for job in jobs}
        for round_number in range(1, self._repeat + 1):
            _progress(f"  round {round_number} of {self._repeat}")
            for command, mode in jobs:
                for kind in ("warm",) if self._warm_only else ("warm", "cold"):
                    if kind == "warm":
                        warm[command, mode].append(run_once(argvs[command], warm_envs[command, mode], mode))
                    else:
                        cold[command, mode].append(self._cold(argvs[command], mode))
                    if tasks is not None and self.task is not None:
                        task_runs[mode].append(self.task.list(tasks, mode))
        return [
            Row(
                plan.label,
                f"vawg {command}",
                mode,
                warm[command, mode],
                cold[command, mode],
                task_runs[mode] if tasks is not None else None,
            )
            for command, mode in jobs
        ]

    def prime(self) -> None:
        """One untimed run of each program, so the first timed run does not pay for compiling
        bytecode or a cold disk cache, and a broken install stops the run before any timing."""
        run_piped((sys.executable, str(NOOP_SCRIPT)), self._env)
        run_piped((*VAWG, "--version"), _with_cache(self._env, self._fresh_cache()))


@contextmanager
def _scratch_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="vawg-bench-") as scratch:
        yield Path(scratch)


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Results:
    noop: Sequence[Run]
    rows: list[Row]
    tasks: dict[str, TaskData]  # by plan label
    task_version: str | None  # None: Taskwarrior not installed


def measure(
    plans: Sequence[PlanUnderTest],
    repeat: int,
    commands: Sequence[str],
    modes: Sequence[Mode],
    warm_only: bool,
    task_program: str | None,
) -> Results:
    with _scratch_dir() as scratch:
        task = Taskwarrior(task_program, scratch, _base_env()) if task_program else None
        timer = Timer(scratch, repeat, warm_only, task)
        timer.prime()
        _progress(f"timing the no-op Typer command ({repeat} runs)")
        results = Results(timer.noop(), [], {}, task.version() if task else None)
        for plan in plans:
            tasks = None
            if plan.bundled:
                jobs = [("status", mode) for mode in modes if "status" in commands]
            else:
                jobs = [(c, m) for c in commands for m in COMMANDS[c][1] if m in modes]
                if "diff" in commands:
                    _progress(f"making {plan.description} a git repository for vawg diff (once)")
                    with_history(plan)
                if task is not None:
                    _progress(f"importing {plan.description} into Taskwarrior")
                    tasks = results.tasks[plan.label] = task.load(plan)
            if not jobs:
                continue
            shown = ", ".join(f"{c} ({m})" for c, m in jobs)
            _progress(f"timing vawg {shown} on {plan.description}" + (", each run then task list" if tasks else ""))
            results.rows += timer.measure_plan(plan, jobs, tasks)
    return results


def _vawg_version() -> str:
    result = subprocess.run((*VAWG, "--version"), capture_output=True, text=True, env=_base_env(), check=False)
    return result.stdout.strip() if result.returncode == 0 else "vawg (version unknown)"


def _median(runs: Sequence[Run]) -> float:
    return statistics.median(run.seconds for run in runs)


def _peak_mb(runs: Sequence[Run]) -> str:
    return f"{max(run.peak_kb for run in runs) / 1024:.0f}" if runs else "-"


def report(results: Results, plans: Sequence[PlanUnderTest], repeat: int, warm_only: bool) -> str:
    noop = _median(results.noop)
    lines = [
        "## vawg benchmark",
        "",
        f"- Python {platform.python_version()} ({sys.executable}) on {platform.platform()}",
        f"- os.cpu_count(): {os.cpu_count()}",
        f"- {_vawg_version()}; medians of {repeat} runs each"
        + ("; warm only" if warm_only else "")
        + "; vawg and `task list` runs alternate",
        f"- No-op Typer command: median {noop:.3f} s, peak {_peak_mb(results.noop)} MB",
    ]
    if results.task_version is None:
        lines.append("- Taskwarrior: not installed")
    else:
        lines.append(
            f"- Taskwarrior {results.task_version}: `task {' '.join(TASK_RC)} list` with an empty TASKRC "
            "and its own data folder per size"
        )
    lines.append(
        f"- terminal: a pseudo-terminal of {TERMINAL_COLUMNS} columns by {TERMINAL_ROWS} lines, TERM={TERMINAL_TYPE}; "
        "piped: standard output to /dev/null"
    )
    for plan in plans:
        if plan.generated_in is not None:
            origin = f"generated in {plan.generated_in:.2f} s"
        elif plan.bundled:
            origin = "the bundled plan"
        else:
            origin = "reused from benchmarks/.plans/"
        line = f"- Plan {plan.label}: {origin} ({plan.folder})"
        tasks = results.tasks.get(plan.label)
        if tasks is not None:
            line += (
                f"; Taskwarrior: {tasks.pending:,} pending and {tasks.completed:,} completed tasks, "
                f"imported in {tasks.imported_in:.2f} s"
            )
            if "terminal" in tasks.first_output:
                line += f"; `task list` wrote {tasks.first_output['terminal'] / 1024:,.0f} KB to the terminal"
        lines.append(line)
    lines += [
        "",
        "| size | command | mode | warm (s) | cold (s) | peak MB (warm / cold) | `task list` (s) "
        "| `task list` peak MB | warm / task list | warm / no-op |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    missing = "not installed" if results.task_version is None else "-"
    for row in results.rows:
        warm = _median(row.warm)
        cold = f"{_median(row.cold):.3f}" if row.cold else "skipped"
        peak = f"{_peak_mb(row.warm)} / {_peak_mb(row.cold)}"
        if row.task:
            task = _median(row.task)
            task_cells = f"{task:.3f} | {_peak_mb(row.task)} | {warm / task:.1f}x"
        else:
            shown = "-" if row.label.startswith("bundled") else missing
            task_cells = f"{shown} | {shown} | {shown}"
        lines.append(
            f"| {row.label} | `{row.command}` | {row.mode} | {warm:.3f} | {cold} | {peak} | {task_cells} "
            f"| {warm / noop:.2f}x |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time vawg on generated plans, beside Taskwarrior's task list.")
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=None,
        metavar="N,N,...",
        help="plan sizes in actions (default 1000,10000; with --quick 10,1000); 100000 works, but "
        "generating it the first time takes minutes",
    )
    parser.add_argument(
        "--repeat",
        type=_positive,
        default=None,
        metavar="N",
        help=f"timed runs per figure (default {DEFAULT_REPEAT}; with --quick {QUICK_REPEAT})",
    )
    parser.add_argument(
        "--commands",
        type=_choices(tuple(COMMANDS)),
        default=tuple(COMMANDS),
        metavar="C,C,...",
        help=f"vawg commands to time (default {','.join(COMMANDS)})",
    )
    parser.add_argument(
        "--modes",
        type=_choices(MODES),
        default=MODES,
        metavar="M,M,...",
        help="piped, terminal or both (default both; only status runs in a terminal)",
    )
    parser.add_argument(
        "--warm-only",
        action="store_true",
        help="skip the cold runs (each parses every file: slow on 100,000 actions)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"sizes 10,1000 and {QUICK_REPEAT} runs per figure, unless --sizes or --repeat say otherwise",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        metavar="S",
        help=f"seed of the generated plans (default {DEFAULT_SEED})",
    )
    parser.add_argument(
        "--task",
        default="task",
        metavar="PROGRAM",
        help="the Taskwarrior program (default: task on PATH)",
    )
    args = parser.parse_args(argv)
    sizes: tuple[int, ...] = args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)
    repeat: int = args.repeat or (QUICK_REPEAT if args.quick else DEFAULT_REPEAT)

    try:
        plans = []
        for size in sizes:
            _progress(f"preparing a plan of {size:,} actions")
            plans.append(cached_plan(size, args.seed))
        plans.append(bundled_plan())
        _compile_vawg()
        results = measure(plans, repeat, args.commands, args.modes, args.warm_only, _find_task(args.task))
    except BenchmarkError as error:
        print(f"run.py: error: {error}", file=sys.stderr)
        return 1
    print(report(results, plans, repeat, args.warm_only))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
