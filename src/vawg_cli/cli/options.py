"""What several commands share: the options themselves, today's date, finding the plan, and how a write is told.

`today()` is the one place vawg reads the clock; tests replace it to fix the day.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from vawg_cli.errors import VawgError, display_path
from vawg_cli.plan.cache import default_cache_dir
from vawg_cli.plan.loading import Plan, load_plan
from vawg_cli.plan.location import BUNDLED_NOTICE, PlanLocation, find_plan
from vawg_cli.text import plural, printable


def today() -> date:
    """Today's date: the one place vawg reads the clock (tests replace this function to fix the day)."""
    return date.today()


def day_or_today(as_of: date | None) -> date:
    # A day outside a plan's reach (9999-12-31) never gets here: the date options refuse it.
    return as_of or today()


def _day(text: str) -> date:
    """A date option's value, in any form a target's date may take; a usage error (exit 2) if not a day."""
    from vawg_cli.model.schedule import DayError, parse_day

    try:
        return parse_day(text)
    except DayError as error:
        raise typer.BadParameter(str(error)) from None


def day_option(name: str, help_text: str) -> Any:
    """A `--NAME DATE` option that accepts 2025-12-31, 31/12/2025 or 31 December 2025 alike."""
    return typer.Option(name, parser=_day, metavar="DATE", help=help_text, show_default=False)


PlanOption = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        help="The plan folder (holding plan.yaml and actions/). Default: VAWG_PLAN, else plan/ here or above.",
        show_default=False,
    ),
]
AsOfOption = Annotated[
    date | None, day_option("--as-of", "Compute as if this were today; updates dated after it are ignored.")
]
DateOption = Annotated[date | None, day_option("--date", "The day it happened. Default: today.")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Show the change as a diff; write nothing.")]
ActionId = Annotated[int, typer.Argument(metavar="ID", help="The action's number.", show_default=False)]


def text(value: str | None, option: str) -> str | None:
    """Typed text, trimmed; None when blank. Bytes that are not UTF-8 (a terminal set to another
    encoding) are refused here rather than written into the plan."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise typer.BadParameter(
            "holds characters that are not UTF-8 text; check your terminal's encoding", param_hint=option
        ) from None
    return value.strip() or None


def cwd() -> Path:
    try:
        return Path.cwd()
    except FileNotFoundError:
        raise VawgError("the current folder no longer exists; change into your plan's folder and run again") from None


def cache_dir() -> Path | None:
    return default_cache_dir(os.environ)


def locate(plan: Path | None) -> PlanLocation:
    """The plan to read, from --plan, VAWG_PLAN or the folders here and above; says so if it is the bundled one."""
    location = find_plan(plan, os.environ, cwd())
    if location.bundled:
        typer.echo(BUNDLED_NOTICE, err=True)
    return location


def open_plan(plan: Path | None) -> Plan:
    """The plan, located and read whole; a plan with errors stops here with every problem listed."""
    return load_plan(locate(plan).folder, today=today(), cache_dir=cache_dir())


def plan_to_write(plan: Path | None) -> Path:
    """The plan folder a write goes to: never the bundled plan."""
    from vawg_cli.plan import bundled

    location = find_plan(plan, os.environ, cwd())
    return bundled.writable(location.folder, found_bundled=location.bundled)


def report_write(result: Any, what: str) -> None:
    """Print what a write did, or the diff it would make; then any warning about the new text."""
    if not result.written:
        sys.stdout.write(printable(result.diff, newlines=True))
        typer.echo(f"(dry run: {printable(display_path(result.path))} was not changed)", err=True)
    else:
        try:
            typer.echo(printable("; ".join([f"{what} in {display_path(result.path)}", *result.notes])))
            sys.stdout.flush()
        except OSError as error:
            # The file is written: "run the command again", as a failed write is told, would make
            # the same change twice (a second update, dated the same day).
            raise VawgError(
                f"{what} in {display_path(result.path)}, but this could not be printed "
                f"({error.strerror or error}); do not run the command again, or the change is made twice: "
                "`vawg check` or `git diff` shows it"
            ) from None
    for warning in result.warnings:
        typer.echo(warning.format(), err=True)
    if result.errors_left:
        typer.echo(
            f"vawg: note: the plan still has {plural(result.errors_left, 'error')} it had before; "
            "vawg check lists them",
            err=True,
        )


E = TypeVar("E", bound=Enum)


def output_file(output: Path | None) -> Path | None:
    """The file -o names; None for standard output (no -o, `-o -` or `-o /dev/stdout`)."""
    from vawg_cli.edit.output import is_standard_output

    return None if output is None or is_standard_output(output) else output


def output_format(given: E | None, output: Path | None, by_suffix: dict[str, E], default: E) -> E:
    """The format to write: --format if given, else the -o file's extension, else `default`."""
    if output is None:
        return given or default
    implied = by_suffix.get(output.suffix.lower())
    if implied is None and given is None:
        names = [f".{choice.value}" for choice in type(default)]
        listed = ", ".join(names[:-1]) + " or " + names[-1]
        raise typer.BadParameter(
            f"cannot tell the format from {output.name!r}; name the file {listed}, or give --format", param_hint="-o"
        )
    if given is not None and implied is not None and given is not implied:
        raise typer.BadParameter(f"--format {given.value} does not match {output.name!r}", param_hint="--format")
    return given or implied or default
