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

import os  # os and sys are loaded with Python itself: importing them here costs nothing
import sys

TYPE_CHECKING = False  # not `typing`'s: nothing is imported before main() can catch a Ctrl-C
if TYPE_CHECKING:
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

    Only when the quick path does not answer are Typer and the commands loaded. A Ctrl-C while
    they load, before a command's own exit path is in place (cli/handler.py), ends as it does."""
    sys.unraisablehook = _interrupt_again
    try:
        from vawg_cli.cli import quick

        quick.main()
        _registered()
        from vawg_cli.cli.root import main as full

        full()
    except KeyboardInterrupt:
        from vawg_cli.cli.quick import interrupted

        interrupted()


def _interrupt_again(unraisable: sys.UnraisableHookArgs) -> None:
    """A Ctrl-C that lands while Python runs a clean-up of its own (the callback of a weak
    reference the import machinery keeps) is printed, traceback and all, as an "Exception
    ignored", and the command goes on. Raised again from here, it would be ignored the same way:
    the process ends here instead, as main() ends it."""
    if not isinstance(unraisable.exc_value, KeyboardInterrupt):
        sys.__unraisablehook__(unraisable)
        return
    end = getattr(sys.modules.get("vawg_cli.cli.quick"), "interrupted", None)
    if end is not None:
        end()
    # cli/quick.py is itself still loading: nothing is written yet, and nothing runs beside.
    try:
        if sys.stderr is not None:
            sys.stderr.write("vawg: interrupted\n")
            sys.stderr.flush()
    finally:
        os._exit(130)


def __getattr__(name: str) -> Any:
    # `from vawg_cli.cli import app` (the tests, scripts): loaded on first use, not by `vawg status`.
    if name == "app":
        return _registered()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
