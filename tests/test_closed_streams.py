"""The process's edges: standard output closed or full, and Ctrl-C before a command's own exit path
is in place. What a user sees is one line saying what to do, never a traceback.

Each case runs vawg as a user does, in a process of its own: a closed stream is only closed when
Python starts without it (`>&-`), which `subprocess.DEVNULL` is not.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BUNDLED_PLAN
from vawg_cli.errors import os_error_message

VAWG = [sys.executable, "-m", "vawg_cli"]
READ = ["--plan", str(BUNDLED_PLAN), "--as-of", "2025-10-01"]

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="closing a stream with >&- needs a POSIX shell")
needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")


def closed(*args: str, close: str = ">&-") -> subprocess.CompletedProcess[str]:
    """vawg run with standard output (or more) closed by the shell before Python starts."""
    script = f'exec "$@" {close}'
    return subprocess.run(
        ["sh", "-c", script, "sh", *VAWG, *args], stderr=subprocess.PIPE, text=True, check=False, timeout=60
    )


def to_full_disk(*args: str, buffered: bool = True) -> subprocess.CompletedProcess[str]:
    """vawg run with standard output on a disk that is full: every write fails with ENOSPC.

    Buffered, as a user's standard output into a file is (not so under PYTHONUNBUFFERED, as CI
    sets it): what fits in Python's buffer only fails as the process ends (cli/quick.finish)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"} | (
        {} if buffered else {"PYTHONUNBUFFERED": "1"}
    )
    with open("/dev/full", "w") as full:
        return subprocess.run(
            [*VAWG, *args], stdout=full, stderr=subprocess.PIPE, text=True, env=env, check=False, timeout=60
        )


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


@posix_only
class TestStandardOutputClosed:
    @pytest.mark.parametrize(
        "args",
        [
            ["status", *READ],
            ["status", *READ, "--format", "json"],
            ["check", *READ],
            ["measures", *READ],
            ["export", *READ],
            ["report", *READ],
            ["--help"],
            ["--version"],
        ],
    )
    def test_says_so_and_what_to_do(self, args: list[str]) -> None:
        done = closed(*args)
        line = one_line(done.stderr)
        assert done.returncode == 1
        assert line.startswith("vawg: error: standard output is closed")
        assert "run the command without closing it" in line

    def test_a_writing_command_changes_nothing(self, bundled_copy: Path) -> None:
        before = {p: p.read_bytes() for p in bundled_copy.rglob("*") if p.is_file()}
        done = closed("update", "3", "--rag", "red", "--note", "x", "--date", "2025-10-01", "--plan", str(bundled_copy))
        assert done.returncode == 1
        assert "nothing was done" in one_line(done.stderr)
        assert {p: p.read_bytes() for p in bundled_copy.rglob("*") if p.is_file()} == before

    def test_with_standard_error_closed_too_it_ends_quietly(self) -> None:
        done = closed("status", *READ, close=">&- 2>&-")
        assert (done.returncode, done.stderr) == (1, "")

    def test_standard_error_closed_alone_is_no_trouble(self) -> None:
        done = subprocess.run(
            ["sh", "-c", 'exec "$@" 2>&-', "sh", *VAWG, "status", *READ, "--format", "json"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0
        assert done.stdout.startswith("[")


@needs_dev_full
class TestStandardOutputOnAFullDisk:
    @pytest.mark.parametrize(
        "args", [["--help"], ["status", "--help"], ["measure", "--help"], ["measure", "add", "--help"], ["--version"]]
    )
    def test_help_and_version(self, args: list[str]) -> None:
        done = to_full_disk(*args)
        line = one_line(done.stderr)
        assert done.returncode == 1
        assert line.startswith("vawg: error: the disk is full (")
        assert "free some space" in line

    @pytest.mark.parametrize("buffered", [True, False])
    def test_status_cold_and_warm(self, buffered: bool) -> None:
        # The second run is answered from the snapshot the first kept (cli/quick.py), without Typer.
        for run in range(2):
            done = to_full_disk("status", *READ, buffered=buffered)
            assert done.returncode == 1
            assert one_line(done.stderr).startswith("vawg: error: the disk is full (")
            assert run or list(Path(os.environ["VAWG_CACHE_DIR"]).glob("status-*"))

    def test_more_than_a_buffer_is_said_once(self) -> None:
        # The command's own exit path says it (cli/handler.py); the flush at the end fails again.
        done = to_full_disk("export", *READ)
        assert done.returncode == 1
        assert one_line(done.stderr).startswith("vawg: error: the disk is full (")


class TestFullDiskWording:
    def test_a_full_disk_says_what_to_do(self) -> None:
        message = os_error_message(OSError(errno.ENOSPC, "No space left on device", "plan/actions/03.yaml"))
        assert message == (
            "plan/actions/03.yaml: the disk is full (No space left on device); "
            "free some space, or write somewhere else, and run the command again"
        )

    @pytest.mark.skipif(not hasattr(errno, "EDQUOT"), reason="no disk quotas here")
    def test_a_quota_used_up_says_what_to_do(self) -> None:
        message = os_error_message(OSError(errno.EDQUOT, "Disk quota exceeded"))
        assert message.startswith("your share of the disk is used up (Disk quota exceeded); free some space")

    def test_other_refusals_keep_their_wording(self) -> None:
        message = os_error_message(PermissionError(errno.EACCES, "Permission denied", "out.json"))
        assert message == "out.json: Permission denied; check that the path is right and that you may use it"


@pytest.mark.skipif(sys.platform == "win32" or not hasattr(signal, "SIGINT"), reason="needs SIGINT sent to a process")
class TestCtrlCEarly:
    def test_never_a_traceback(self) -> None:
        """Ctrl-C at moments spread over the first 0.2 s after vawg's entry point is reached:
        while the quick path, Typer and the commands load, Click reads the options, the plan is read.

        What Python does before it calls main() (its own start, the lines of the script pip writes,
        `-m`) is beyond vawg's reach: -X importtime says when that is over."""
        env = {**os.environ, "VAWG_NO_CACHE": "1"}  # the full command, every time: the most to load
        outcomes = []
        for delay in [0.0, 0.01, 0.02, 0.035, 0.05, 0.07, 0.09, 0.12, 0.15, 0.2]:
            process = subprocess.Popen(
                [sys.executable, "-X", "importtime", *VAWG[1:], "status", "--plan", str(BUNDLED_PLAN)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            assert process.stderr is not None
            seen = []
            for line in process.stderr:  # until the entry point's module is loaded
                seen.append(line)
                if line.rstrip().endswith("| vawg_cli.cli"):
                    break
            time.sleep(delay)
            process.send_signal(signal.SIGINT)
            rest = process.stderr.read()
            process.wait(timeout=60)
            said = [line for line in [*seen, *rest.splitlines()] if not line.startswith("import time:")]
            assert not any("Traceback" in line or "Exception ignored" in line for line in said), (delay, said)
            outcomes.append((process.returncode, said))
        interrupted = [said for code, said in outcomes if code == 130]
        assert all(code in (0, 130) for code, _ in outcomes), outcomes
        assert interrupted, "no Ctrl-C reached the command before it ended: nothing was tested"
        assert all(said == ["vawg: interrupted"] for said in interrupted), interrupted

    def test_while_click_reads_the_options(self) -> None:
        # Typer ends a Ctrl-C there with 130 but no word.
        script = (
            "import sys, typer.core, vawg_cli.cli.root as root\n"
            "def stop(*args, **kwargs): raise KeyboardInterrupt\n"
            "typer.core.TyperGroup.parse_args = stop\n"
            "sys.argv = ['vawg', 'status']\n"
            "root.main()\n"
        )
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
        assert (done.returncode, done.stderr) == (130, "vawg: interrupted\n")

    def test_in_a_clean_up_python_would_ignore(self) -> None:
        # A KeyboardInterrupt in a weak reference's callback (as in the import machinery's own) is
        # "ignored" by Python, with a traceback, and the program goes on.
        script = (
            "import sys, weakref, vawg_cli.cli as cli, vawg_cli.cli.quick as quick\n"
            "class Thing: pass\n"
            "def lost(ref): raise KeyboardInterrupt\n"
            "def answer():\n"
            "    thing = Thing(); ref = weakref.ref(thing, lost); del thing\n"
            "    print('went on')\n"
            "quick.main = answer\n"
            "sys.argv = ['vawg', '--version']\n"
            "cli.main()\n"
        )
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
        assert (done.returncode, done.stdout, done.stderr) == (130, "", "vawg: interrupted\n")


@needs_dev_full
@pytest.mark.parametrize("buffered", [True, False])
def test_a_change_made_but_not_reported_says_not_to_make_it_again(tmp_path: Path, buffered: bool) -> None:
    # The update is written before its one line is printed: told to "run the command again", as
    # for a failed write, a coordinator would add the same update twice.
    import shutil

    plan = tmp_path / "plan"
    shutil.copytree(BUNDLED_PLAN, plan)
    done = to_full_disk(
        "update",
        "3",
        "--plan",
        str(plan),
        "--rag",
        "amber",
        "--note",
        "Drafted once",
        "--date",
        "2025-06-30",
        buffered=buffered,
    )
    assert done.returncode == 1
    line = one_line(done.stderr)
    assert "Added an update" in line and "do not run the command again" in line
    assert "run the command again" not in line.replace("do not run the command again", "")
    text = next((plan / "actions").glob("03-*.yaml")).read_text(encoding="utf-8")
    assert text.count("Drafted once") == 1
