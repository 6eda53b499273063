"""`vawg check` output: one `path:line:col: severity: message` line per problem, or JSON, and a summary."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from vawg_cli.errors import Diagnostic, display_path
from vawg_cli.text import plural, printable


def render_text(diagnostics: Sequence[Diagnostic], base: Path, *, files: int, errors: int, warnings: int) -> str:
    """The lines editors jump to, then "checked 11 files: 1 error, 0 warnings"."""
    shown = _shown_from(base)
    # The line Diagnostic.format makes, with each folder's path worked out once.
    lines = [printable(f"{shown(d.path)}:{d.line}:{d.column}: {d.severity}: {d.message}") for d in diagnostics]
    if not errors and not warnings:
        lines.append(f"checked {plural(files, 'file')}: no problems")
    else:
        lines.append(f"checked {plural(files, 'file')}: {plural(errors, 'error')}, {plural(warnings, 'warning')}")
    return "\n".join(lines) + "\n"


def _shown_from(base: Path) -> Callable[[Path], str]:
    """`display_path(path, base)`, placing each folder once, not each file.

    A plan with a problem in every one of ten thousand files in actions/ would otherwise ask
    ten thousand times where actions/ lies: a tenth of a `vawg check` that reads from the cache.
    """
    if not base.is_absolute():  # never so from the command line; not worth reasoning about
        return lambda path: display_path(path, base)
    folders: dict[str, str | None] = {}

    def shown(path: Path) -> str:
        head, name = os.path.split(str(path))
        if not name:  # the root of a file system
            return display_path(path, base)
        if head not in folders:
            try:
                folders[head] = str(Path(head).relative_to(base))
            except ValueError:
                folders[head] = None
        folder = folders[head]
        if folder is None:
            # A file whose folder is not below `base` is not either, unless it is `base` itself.
            return display_path(path, base) if path == base else str(path)
        return name if folder == "." else folder + os.sep + name

    return shown


def render_json(diagnostics: Sequence[Diagnostic], base: Path) -> str:
    return json.dumps([d.as_dict(base) for d in diagnostics], indent=2, ensure_ascii=False) + "\n"
