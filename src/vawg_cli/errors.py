"""Problems found in a plan, and the one exception family the command line turns into exit 1."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from vawg_cli.text import printable

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem at one place in one file, as `vawg check` prints it."""

    path: Path
    line: int
    column: int
    severity: Severity
    message: str

    def format(self, base: Path | None = None) -> str:
        """One line, whatever the file's name or the message hold (a newline, a terminal escape)."""
        line = f"{display_path(self.path, base)}:{self.line}:{self.column}: {self.severity}: {self.message}"
        return printable(line)

    def as_dict(self, base: Path | None = None) -> dict[str, object]:
        return {
            "path": display_path(self.path, base),
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }


def display_path(path: Path, base: Path | None = None) -> str:
    """The path relative to `base` (the current folder) where it lies below it, so editors can jump."""
    try:
        return str(path.relative_to(base or Path.cwd()))
    except (ValueError, OSError):  # elsewhere, or the current folder is gone
        return str(path)


class Counted:
    """The counts `vawg check` ends with, for a record holding `diagnostics`."""

    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity == "warning" for d in self.diagnostics)


def os_error_message(error: OSError) -> str:
    """What to say when the file system said no (permissions, a name too long, a full disk): not a bug in vawg."""
    where = f"{error.filename}: " if error.filename else ""
    reason = error.strerror or str(error)
    if error.errno == errno.ENOSPC or error.errno == getattr(errno, "EDQUOT", None):  # no EDQUOT on Windows
        # Not "nothing was changed": a file vawg replaces is left whole (edit/atomic.py), but one of
        # several may have been written, or the plan changed before its summary could be printed.
        full = "the disk is full" if error.errno == errno.ENOSPC else "your share of the disk is used up"
        what_to_do = "free some space, or write somewhere else, and run the command again"
        return printable(f"{where}{full} ({reason}); {what_to_do}")
    return printable(f"{where}{reason}; check that the path is right and that you may use it")


class VawgError(Exception):
    """A problem the user can fix; the command line prints it and exits 1."""


class PlanNotFound(VawgError):
    """The plan folder, or its plan.yaml, is not where the user pointed."""


class PlanInvalid(VawgError):
    """The plan has errors; a wrong status is worse than none, so nothing is reported on it."""

    def __init__(self, diagnostics: list[Diagnostic], *, refused: bool = False) -> None:
        super().__init__(f"{sum(d.severity == 'error' for d in diagnostics)} error(s) in the plan")
        self.diagnostics = diagnostics
        self.refused = refused
        """True when a write was refused because of them: the files on disk are unchanged."""


class InitRefused(VawgError):
    """`vawg init` would overwrite files that already exist."""


class BadOption(VawgError):
    """An option's value the user can correct: a usage error (exit 2), like Click's own."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option
