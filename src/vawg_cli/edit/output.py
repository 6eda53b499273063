"""Where a command's output goes: standard output, or a file written atomically, never over the plan."""

from __future__ import annotations

import sys
from pathlib import Path

from vawg_cli.edit.atomic import write_atomic
from vawg_cli.errors import VawgError
from vawg_cli.plan.loading import ACTIONS_DIR, MEASURES_DIR, PLAN_FILE, SCHEMA_DIR

# A plan's own folders, which no paper or export may be written into.
_PLAN_PARTS = (ACTIONS_DIR, MEASURES_DIR, SCHEMA_DIR, "templates")


def refuse_plan_files(output: Path, plan_folder: Path) -> None:
    """Output must never be written over the plan it was made from: its files, schemas or templates.

    Both paths are resolved, so neither a link nor `..` can reach the plan by another name.
    """
    target, folder = output.resolve(), plan_folder.resolve()
    if target == folder / PLAN_FILE or any(target.is_relative_to(folder / part) for part in _PLAN_PARTS):
        raise VawgError(f"{output} is part of the plan; write this file somewhere else")


# Names of the standard streams. Behind each is a link to whatever the shell redirected the stream
# to: resolved and replaced by an atomic write, a `>> log.txt` file would lose what it held.
_STDOUT = {"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"}
STDERR_NAMES = {"/dev/stderr", "/dev/fd/2", "/proc/self/fd/2"}


def is_standard_output(output: Path | None) -> bool:
    """`-o -` or `-o /dev/stdout`: the same as no -o at all."""
    return output is not None and str(output) in _STDOUT


def write_output(output: Path, data: str | bytes, plan_folder: Path) -> None:
    """A paper or an export into the file `-o` names: atomically, and never over the plan."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if str(output) in STDERR_NAMES:
        sys.stderr.flush()
        binary = getattr(sys.stderr, "buffer", None)
        if binary is None:
            sys.stderr.write(payload.decode("utf-8"))
        else:
            binary.write(payload)
            binary.flush()
        return
    refuse_plan_files(output, plan_folder)
    write_atomic(output, payload)


def to_stdout(data: bytes) -> None:
    """Bytes to standard output as a file would get them: a CSV's byte-order mark and CRLF stay.

    Except in a terminal, where a person reads them: there plan text cannot act on the screen
    (an escape sequence in a title is shown as `\\x1b`, not run).
    """
    if sys.stdout.isatty():
        from vawg_cli.text import printable

        data = printable(data.decode("utf-8", errors="replace"), newlines=True).encode("utf-8")
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:  # a text-only stream standing in for standard output (a test runner's)
        sys.stdout.write(data.decode("utf-8"))
    else:
        binary.write(data)
        binary.flush()
