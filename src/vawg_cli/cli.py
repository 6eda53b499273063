"""The `vawg` command line: parse options, call the core, hand the result to a renderer.

Only this module imports Typer. Problems the user can fix (VawgError) leave through one exit
path, `_user_errors`, as `path:line:col: error: message` lines and exit 1; usage errors exit 2
(Click's convention); Ctrl-C exits 130; a real bug still shows its traceback.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from . import __version__, bundled
from .cache import default_cache_dir
from .errors import PlanInvalid, VawgError
from .plan_files import PlanLocation, check_plan, find_plan, load_plan
from .records import Rag

app = typer.Typer(
    name="vawg",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])


def _user_errors(command: F) -> F:
    """The one exit path for problems the user can fix."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except PlanInvalid as error:
            for diagnostic in error.diagnostics:
                typer.echo(diagnostic.format(), err=True)
            errors = sum(d.severity == "error" for d in error.diagnostics)
            typer.echo(
                f"vawg: the plan has {errors} error{'s' if errors != 1 else ''}; "
                "fix them and run again (nothing is reported on a plan with errors)",
                err=True,
            )
            raise typer.Exit(1) from None
        except VawgError as error:
            typer.echo(f"vawg: error: {error}", err=True)
            raise typer.Exit(1) from None
        except OSError as error:
            # The file system said no (permissions, a name too long, a full disk): not a bug in vawg.
            where = f"{error.filename}: " if error.filename else ""
            typer.echo(
                f"vawg: error: {where}{error.strerror or error}; check that the path is right and that you may use it",
                err=True,
            )
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.echo("vawg: interrupted", err=True)
            raise typer.Exit(130) from None

    return run  # type: ignore[return-value]


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


PlanOption = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        help="The plan folder (holding plan.yaml and actions/). Default: VAWG_PLAN, else plan/ here or above.",
        show_default=False,
    ),
]
AsOfOption = Annotated[
    datetime | None,
    typer.Option(
        "--as-of",
        formats=["%Y-%m-%d"],
        metavar="YYYY-MM-DD",
        help="Compute as if this were today; updates dated after it are ignored.",
        show_default=False,
    ),
]


class StatusFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


def _cwd() -> Path:
    try:
        return Path.cwd()
    except FileNotFoundError:
        raise VawgError("the current folder no longer exists; change into your plan's folder and run again") from None


def _locate(plan: Path | None) -> PlanLocation:
    location = find_plan(plan, os.environ, _cwd())
    if location.bundled:
        # On standard error, so that `--format json` output stays clean.
        typer.echo(
            "vawg: no plan/ folder here or above; using the bundled example plan. Start your own with: vawg init",
            err=True,
        )
    return location


def _today(as_of: datetime | None) -> date:
    return as_of.date() if as_of else date.today()


@app.command()
@_user_errors
def status(
    plan: PlanOption = None,
    as_of: AsOfOption = None,
    lead: Annotated[str | None, typer.Option("--lead", metavar="CODE", help="Only actions this partner leads.")] = None,
    rag: Annotated[Rag | None, typer.Option("--rag", case_sensitive=False, help="Only actions at this colour.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue actions.")] = False,
    due_soon: Annotated[bool, typer.Option("--due-soon", help="Only actions due soon (see due_soon_days).")] = False,
    output_format: Annotated[
        StatusFormat, typer.Option("--format", help="A table for people; json or csv for other tools.")
    ] = StatusFormat.table,
) -> None:
    """Show every action: its colour, next due date, and whether it is overdue or due soon.

    Most urgent first: overdue, then due soon, then by due date. In a terminal the table is
    coloured (set NO_COLOR to turn colour off); piped, it is plain text, one line per action.

    Example:

        vawg status --as-of 2025-05-01 --overdue
    """
    from .render_status import render_csv, render_json
    from .status import plan_status, select

    location = _locate(plan)
    day = _today(as_of)
    loaded = load_plan(location.folder, today=date.today(), cache_dir=default_cache_dir(os.environ))
    if lead is not None and lead not in loaded.settings.partners:
        from .messages import did_you_mean

        raise VawgError(
            f"--lead {lead!r} is not a partner code{did_you_mean(lead, loaded.settings.partners)}; "
            f"the partners are: {', '.join(loaded.settings.partners)}"
        )
    everything = plan_status((f.action for f in loaded.actions), loaded.settings, day)
    chosen = select(everything, lead=lead, rag=rag, overdue=overdue, due_soon=due_soon)
    if output_format is StatusFormat.json:
        sys.stdout.write(render_json(chosen, loaded.settings))
    elif output_format is StatusFormat.csv:
        sys.stdout.write(render_csv(chosen, loaded.settings))
    elif sys.stdout.isatty():
        from rich.console import Console

        from .render_status import print_table

        print_table(Console(), chosen, loaded.settings, day, len(everything))
    else:
        from .render_status import render_plain

        sys.stdout.write(render_plain(chosen, loaded.settings, day, len(everything)))


@app.command()
@_user_errors
def check(
    plan: PlanOption = None,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            metavar="YYYY-MM-DD",
            help="Check as if this were today (an update dated after it is in the future).",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        CheckFormat, typer.Option("--format", help="text (path:line:col lines) or json.")
    ] = CheckFormat.text,
) -> None:
    """Check every file of the plan and list every problem, one per line.

    Lines read `path:line:col: error: message`, so editors can jump to them. Exits 0 when the
    plan has no errors (warnings allowed), 1 when it has any.

    Example:

        vawg check --plan plan/
    """
    location = _locate(plan)
    checked = check_plan(location.folder, today=_today(as_of), cache_dir=default_cache_dir(os.environ))
    cwd = _cwd()
    if output_format is CheckFormat.json:
        typer.echo(json.dumps([d.as_dict(cwd) for d in checked.diagnostics], indent=2, ensure_ascii=False))
    else:
        for diagnostic in checked.diagnostics:
            typer.echo(diagnostic.format(cwd))
        typer.echo(_check_summary(checked.files, checked.errors, checked.warnings))
    if checked.errors:
        raise typer.Exit(1)


def _check_summary(files: int, errors: int, warnings: int) -> str:
    def count(number: int, word: str) -> str:
        return f"{number} {word}{'' if number == 1 else 's'}"

    if not errors and not warnings:
        return f"checked {count(files, 'file')}: no problems"
    return f"checked {count(files, 'file')}: {count(errors, 'error')}, {count(warnings, 'warning')}"


class ReportFormat(str, Enum):
    md = "md"
    html = "html"


_SUFFIX_FORMATS = {
    ".md": ReportFormat.md,
    ".markdown": ReportFormat.md,
    ".html": ReportFormat.html,
    ".htm": ReportFormat.html,
}


@app.command()
@_user_errors
def report(
    plan: PlanOption = None,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            metavar="YYYY-MM-DD",
            help="Today, for the default quarter and the date the paper was produced.",
            show_default=False,
        ),
    ] = None,
    quarter: Annotated[
        str | None,
        typer.Option(
            "--quarter",
            metavar="QUARTER",
            help="2025-Q3, Q3 2025/26 or 2025/26 Q3. Default: the quarter that holds today.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format", help="md or html. Default: from the -o file's extension, else md.", show_default=False
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write the paper to this file (.md or .html). Default: standard output."),
    ] = None,
    include_restricted: Annotated[
        bool,
        typer.Option("--include-restricted", help="Include restricted notes; the paper is then marked RESTRICTED."),
    ] = False,
    template: Annotated[
        Path | None,
        typer.Option("--template", metavar="PATH", help="A Jinja template to use instead of the shipped one."),
    ] = None,
) -> None:
    """Write the quarterly progress paper for the partnership board and MOPAC.

    Everything is as at the quarter's last day: an update dated later is left out, so an old
    quarter's paper comes out the same every time. Restricted notes are left out unless
    --include-restricted is given.

    Example:

        vawg report --quarter 2025-Q3 -o q3.html
    """
    from .quarters import QuarterError, parse_quarter, quarter_containing
    from .render_report import render_report
    from .report import build_report

    fmt = _report_format(output_format, output)
    location = _locate(plan)
    loaded = load_plan(location.folder, today=date.today(), cache_dir=default_cache_dir(os.environ))
    today = _today(as_of)
    settings = loaded.settings
    try:
        chosen = (
            parse_quarter(quarter, settings.year_start_month)
            if quarter
            else quarter_containing(today, settings.year_start_month)
        )
    except QuarterError as error:
        raise typer.BadParameter(str(error), param_hint="--quarter") from None
    if chosen.end < settings.start:
        raise VawgError(
            f"{chosen.label} ends before the plan starts ({settings.start}); "
            f"choose a quarter from {quarter_containing(settings.start, settings.year_start_month).label} on"
        )
    paper = build_report(
        [f.action for f in loaded.actions], settings, chosen, produced=today, include_restricted=include_restricted
    )
    text = render_report(paper, fmt.value, plan_folder=location.folder, template=template)
    if output is None:
        sys.stdout.write(text)
        return
    _refuse_plan_files(output, location.folder)
    from .file_writing import write_atomic

    write_atomic(output, text)
    restricted = " (RESTRICTED)" if include_restricted else ""
    typer.echo(f"Wrote the {chosen.label} report{restricted} to {output}")


def _report_format(given: ReportFormat | None, output: Path | None) -> ReportFormat:
    if output is None:
        return given or ReportFormat.md
    implied = _SUFFIX_FORMATS.get(output.suffix.lower())
    if implied is None and given is None:
        raise typer.BadParameter(
            f"cannot tell the format from {output.name!r}; name the file .md or .html, or give --format",
            param_hint="-o",
        )
    if given is not None and implied is not None and given is not implied:
        raise typer.BadParameter(f"--format {given.value} does not match {output.name!r}", param_hint="--format")
    return given or implied or ReportFormat.md


def _refuse_plan_files(output: Path, plan_folder: Path) -> None:
    """A report must never be written over the plan it was made from."""
    target, folder = output.resolve(), plan_folder.resolve()
    if target == folder / "plan.yaml" or target.is_relative_to(folder / "actions"):
        raise VawgError(f"{output} is part of the plan; write the report somewhere else")


@app.command()
@_user_errors
def init(
    directory: Annotated[
        Path, typer.Argument(help="Folder for the new plan; created if missing.", show_default=True)
    ] = Path("plan"),
) -> None:
    """Start a new plan folder from the bundled plan (the ten actions of the source strategy).

    Refuses to overwrite a folder that already holds a plan.

    Example:

        vawg init plan
    """
    written = bundled.init_plan(directory)
    typer.echo(f"Created {directory}/ with {len(written)} files.")
    typer.echo(f"Next: set your partnership's title, dates and partners in {directory / 'plan.yaml'},")
    typer.echo("then edit the actions in actions/ and run: vawg check")
    if directory.resolve().name != "plan":
        typer.echo(
            f"vawg finds this plan when run inside {directory}/ (or in a folder holding plan/); "
            f"from elsewhere, add --plan {directory} or set VAWG_PLAN={directory}"
        )


def main() -> None:
    # A console that cannot show a character (a Windows code page, a redirected stream) gets a
    # replacement character rather than a crash in the middle of a table.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    app(prog_name="vawg")
