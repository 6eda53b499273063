"""The `vawg` command line: parse options, call one function of the core, hand its result to a renderer.

Typer is loaded only when a command needs it: `vawg status` and `vawg check` on an unchanged
plan are answered without it (`quick`). `root` holds the application and how commands are
registered, `handler` the one exit path, `options` what commands share; the commands live in
`reading` (status, check, report, export, diff, schema), `reading_measures` (measures),
`writing` (update, new, retarget, import, init), `measures` (measure add, measure record) and
`returns` (returns make, read, status), in
the order `vawg --help` lists them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["app", "main"]


def _registered() -> Any:
    """The application, with every command registered (importing a command's module registers it)."""
    from vawg_cli.cli import measures, reading, reading_measures, returns, writing  # noqa: F401
    from vawg_cli.cli.root import app

    return app


def main() -> None:
    """vawg's entry point: `vawg status` and `vawg check` from what was kept where they can
    (cli/quick.py), else the full command line.

    Only when the quick path does not answer are Typer and the commands loaded."""
    from vawg_cli.cli import quick

    quick.main()
    _registered()
    from vawg_cli.cli.root import main as full

    full()


def __getattr__(name: str) -> Any:
    # `from vawg_cli.cli import app` (the tests, scripts): loaded on first use, not by `vawg status`.
    if name == "app":
        return _registered()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
