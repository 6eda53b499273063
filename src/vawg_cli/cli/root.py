"""The `vawg` application: its name, its --version, and how every command is registered."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from vawg_cli import __version__
from vawg_cli.cli.handler import Command
from vawg_cli.cli.quick import finish, prepare_process, say
from vawg_cli.errors import os_error_message

app = typer.Typer(
    name="vawg",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])


def command(name: str | None = None, within: typer.Typer = app) -> Callable[[F], F]:
    """Register a command of vawg's (or of one of its groups, `within`): every one runs inside the
    one exit path (cli/handler.py)."""
    return within.command(name, cls=Command)


def group(name: str) -> typer.Typer:
    """A group of commands under one word, `vawg NAME ...`, with the application's own settings.

    Its help is the docstring of the function it is given as its callback."""
    commands = typer.Typer(
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.add_typer(commands, name=name)
    return commands


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vawg {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Run a partnership's VAWG action plan from plain-text YAML files kept in git.

    The plan is found from --plan, else the VAWG_PLAN environment variable, else a plan/plan.yaml
    in this folder or a parent. Start one with `vawg init`.

    Example:

        vawg status --overdue
    """


def main() -> None:
    prepare_process()
    from vawg_cli.plan import background, cache

    cache.keep_until_exit = sys.getprofile() is None and sys.gettrace() is None  # see quick.finish
    # Cache files are written on the other core while the command goes on; finish waits for them.
    background.enabled = cache.keep_until_exit
    try:
        app(prog_name="vawg")
    except SystemExit as done:
        code = done.code
        if code == 130 and _interrupted_outside_a_command(done):
            say("vawg: interrupted")
    except OSError as error:
        # Writing --help or --version (or a usage error) failed: Click prints them outside any
        # command's body (cli/handler.py). A pipe whose reader has gone, Click ends quietly itself.
        say(f"vawg: error: {os_error_message(error)}")
        code = 1
    else:  # Typer always ends by raising SystemExit; this is only in case it one day returns
        code = 0
    if isinstance(code, str):  # sys.exit("message"): printed, as Python would
        sys.stderr.write(code + "\n")
    finish(code if isinstance(code, int) else 0 if code is None else 1)


def _interrupted_outside_a_command(done: SystemExit) -> bool:
    """Ctrl-C while Click reads the options: Typer ends with 130 without a word (its Exit raised
    from the KeyboardInterrupt). A command's own (cli/handler.py) has said so already."""
    ended = done.__context__
    return ended is not None and isinstance(ended.__cause__, KeyboardInterrupt)
