"""The one exit path: how a problem the user can fix leaves vawg, for every command alike.

A VawgError prints as `vawg: error: ...` (a plan's problems as `path:line:col: error: ...`
lines) and exits 1; a BadOption is a usage error and exits 2, as Click's own are; the file
system's refusals exit 1 with what to check; Ctrl-C exits 130. Anything else is a bug in vawg
and keeps its traceback.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

import typer
from typer.core import TyperCommand

from vawg_cli.errors import BadOption, PlanInvalid, VawgError, os_error_message
from vawg_cli.text import plural, printable

if TYPE_CHECKING:
    # Typer carries its own copy of Click; its Context is the type every command is invoked with.
    from typer._click.core import Context


@contextlib.contextmanager
def user_errors(ctx: Context) -> Iterator[None]:
    try:
        yield
    except BadOption as error:
        raise typer.BadParameter(str(error), ctx=ctx, param_hint=error.option) from None
    except PlanInvalid as error:
        for diagnostic in error.diagnostics:
            typer.echo(diagnostic.format(), err=True)
        errors = sum(d.severity == "error" for d in error.diagnostics)
        if error.refused:
            these = "this error" if errors == 1 else f"these {errors} errors"
            typer.echo(f"vawg: refused: the change would add {these} to the plan; nothing was changed", err=True)
        else:
            typer.echo(
                f"vawg: the plan has {plural(errors, 'error')}; fix them and run again "
                "(a plan with errors is not reported on)",
                err=True,
            )
        raise typer.Exit(1) from None
    except VawgError as error:
        typer.echo(f"vawg: error: {printable(str(error), newlines=True)}", err=True)
        raise typer.Exit(1) from None
    except OSError as error:
        typer.echo(f"vawg: error: {os_error_message(error)}", err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        typer.echo("vawg: interrupted", err=True)
        raise typer.Exit(130) from None


class Command(TyperCommand):
    """Every vawg command: its body runs inside the one exit path."""

    def invoke(self, ctx: Context) -> object:
        with user_errors(ctx):
            return super().invoke(ctx)
