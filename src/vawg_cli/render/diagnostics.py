"""`vawg check` output: one `path:line:col: severity: message` line per problem, or JSON, and a summary."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from vawg_cli.errors import Diagnostic
from vawg_cli.text import plural


def render_text(diagnostics: Sequence[Diagnostic], base: Path, *, files: int, errors: int, warnings: int) -> str:
    """The lines editors jump to, then "checked 11 files: 1 error, 0 warnings"."""
    lines = [diagnostic.format(base) for diagnostic in diagnostics]
    if not errors and not warnings:
        lines.append(f"checked {plural(files, 'file')}: no problems")
    else:
        lines.append(f"checked {plural(files, 'file')}: {plural(errors, 'error')}, {plural(warnings, 'warning')}")
    return "\n".join(lines) + "\n"


def render_json(diagnostics: Sequence[Diagnostic], base: Path) -> str:
    return json.dumps([d.as_dict(base) for d in diagnostics], indent=2, ensure_ascii=False) + "\n"
