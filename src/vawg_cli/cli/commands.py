"""The `vawg` command line: parse options, call the core, hand the result to a renderer.

Only this module imports Typer. Problems the user can fix (VawgError) leave through one exit
path, `_user_errors`, as `path:line:col: error: message` lines and exit 1; usage errors exit 2
(Click's convention); Ctrl-C exits 130; a real bug still shows its traceback.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from vawg_cli import __version__
from vawg_cli.errors import PlanInvalid, VawgError, display_path
from vawg_cli.model.records import Rag
from vawg_cli.plan import bundled
from vawg_cli.plan.cache import default_cache_dir
from vawg_cli.plan.loading import PlanLocation, check_plan, find_plan, load_plan
from vawg_cli.text import printable

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
            plural = "s" if errors != 1 else ""
            if error.refused:
                typer.echo(
                    f"vawg: refused: the change would add {'this error' if errors == 1 else f'these {errors} errors'} "
                    "to the plan; nothing was changed",
                    err=True,
                )
            else:
                typer.echo(
                    f"vawg: the plan has {errors} error{plural}; fix them and run again "
                    "(a plan with errors is not reported on)",
                    err=True,
                )
            raise typer.Exit(1) from None
        except VawgError as error:
            typer.echo(f"vawg: error: {printable(str(error), newlines=True)}", err=True)
            raise typer.Exit(1) from None
        except OSError as error:
            # The file system said no (permissions, a name too long, a full disk): not a bug in vawg.
            where = f"{error.filename}: " if error.filename else ""
            message = f"{where}{error.strerror or error}; check that the path is right and that you may use it"
            typer.echo(f"vawg: error: {printable(message)}", err=True)
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


def today() -> date:
    """Today's date: the one place vawg reads the clock (tests replace this function to fix the day)."""
    return date.today()


def _day(text: str) -> date:
    """A date option's value, in any form a target's date may take; a usage error (exit 2) if not a day."""
    from vawg_cli.model.schedule import DayError, parse_day

    try:
        return parse_day(text)
    except DayError as error:
        raise typer.BadParameter(str(error)) from None


def _day_option(name: str, help_text: str) -> Any:
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
    date | None, _day_option("--as-of", "Compute as if this were today; updates dated after it are ignored.")
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


def _today(as_of: date | None) -> date:
    # A day outside a plan's reach (9999-12-31) never gets here: the date options refuse it.
    return as_of or today()


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
    from vawg_cli.core.status import plan_status, select
    from vawg_cli.render.status import render_csv, render_json

    location = _locate(plan)
    day = _today(as_of)
    loaded = load_plan(location.folder, today=today(), cache_dir=default_cache_dir(os.environ))
    if lead is not None and lead not in loaded.settings.partners:
        from vawg_cli.plan.messages import did_you_mean

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

        from vawg_cli.render.status import print_table

        print_table(Console(), chosen, loaded.settings, day, len(everything))
    else:
        from vawg_cli.render.status import render_plain

        sys.stdout.write(render_plain(chosen, loaded.settings, day, len(everything)))


@app.command()
@_user_errors
def check(
    plan: PlanOption = None,
    as_of: Annotated[
        date | None, _day_option("--as-of", "Check as if this were today (an update dated after it is in the future).")
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
        import json

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
        date | None, _day_option("--as-of", "Today, for the default quarter and the date the paper was produced.")
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
    from vawg_cli.core.report import build_report
    from vawg_cli.model.quarters import QuarterError, parse_quarter, quarter_containing
    from vawg_cli.render.report import render_report

    fmt = _output_format(output_format, output, _SUFFIX_FORMATS, ReportFormat.md)
    location = _locate(plan)
    loaded = load_plan(location.folder, today=today(), cache_dir=default_cache_dir(os.environ))
    produced = _today(as_of)
    settings = loaded.settings
    try:
        chosen = (
            parse_quarter(quarter, settings.year_start_month)
            if quarter
            else quarter_containing(produced, settings.year_start_month)
        )
    except QuarterError as error:
        raise typer.BadParameter(str(error), param_hint="--quarter") from None
    if chosen.end < settings.start:
        raise VawgError(
            f"{chosen.label} ends before the plan starts ({settings.start}); "
            f"choose a quarter from {quarter_containing(settings.start, settings.year_start_month).label} on"
        )
    paper = build_report(
        [f.action for f in loaded.actions], settings, chosen, produced=produced, include_restricted=include_restricted
    )
    text = render_report(paper, fmt.value, plan_folder=location.folder, template=template)
    if output is None:
        sys.stdout.write(printable(text, newlines=True))  # the paper's text may reach a terminal
        return
    _refuse_plan_files(output, location.folder)
    from vawg_cli.edit.atomic import write_atomic

    write_atomic(output, text)
    restricted = " (RESTRICTED)" if include_restricted else ""
    typer.echo(f"Wrote the {chosen.label} report{restricted} to {output}")


E = TypeVar("E", bound=Enum)


def _output_format(given: E | None, output: Path | None, by_suffix: dict[str, E], default: E) -> E:
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


def _refuse_plan_files(output: Path, plan_folder: Path) -> None:
    """Output must never be written over the plan it was made from: its files, schemas or templates.

    Both paths are resolved, so neither a link nor `..` can reach the plan by another name.
    """
    target, folder = output.resolve(), plan_folder.resolve()
    if target == folder / "plan.yaml" or any(
        target.is_relative_to(folder / part) for part in ("actions", "schema", "templates")
    ):
        raise VawgError(f"{output} is part of the plan; write this file somewhere else")


DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Show the change as a diff; write nothing.")]
DateOption = Annotated[date | None, _day_option("--date", "The day it happened. Default: today.")]


def _report_write(result: Any, what: str) -> None:
    """Print what a write did, or the diff it would make; then any warning about the new text."""
    if not result.written:
        sys.stdout.write(printable(result.diff, newlines=True))
        typer.echo(f"(dry run: {printable(display_path(result.path))} was not changed)", err=True)
    else:
        typer.echo(printable("; ".join([f"{what} in {display_path(result.path)}", *result.notes])))
    for warning in result.warnings:
        typer.echo(warning.format(), err=True)
    if result.errors_left:
        plural = "s" if result.errors_left != 1 else ""
        typer.echo(
            f"vawg: note: the plan still has {result.errors_left} error{plural} it had before; vawg check lists them",
            err=True,
        )


def _text(value: str | None, option: str) -> str | None:
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


def _plan_to_write(plan: Path | None) -> Path:
    location = find_plan(plan, os.environ, _cwd())
    if location.bundled:
        raise VawgError(
            "no plan/ folder here or above, and the bundled plan is not to be changed; "
            "start your own with: vawg init (or point --plan at yours)"
        )
    # Named outright (--plan, VAWG_PLAN) or found from the current folder, it is still the bundled one.
    bundled.refuse_to_write(location.folder)
    return location.folder


@app.command()
@_user_errors
def update(
    action_id: Annotated[int, typer.Argument(metavar="ID", help="The action's number.", show_default=False)],
    rag: Annotated[Rag, typer.Option("--rag", case_sensitive=False, help="The action's colour from now on.")],
    note: Annotated[str, typer.Option("--note", help="What happened, in a sentence or two fit for a board paper.")],
    by: Annotated[str | None, typer.Option("--by", help="Who reports it: a partner code or a name.")] = None,
    on: DateOption = None,
    restricted: Annotated[
        bool, typer.Option("--restricted", help="Keep this note out of public reports (case detail, personal data).")
    ] = False,
    dry_run: DryRunOption = False,
    plan: PlanOption = None,
) -> None:
    """Add a progress update to an action, keeping the rest of its file exactly as it was.

    The whole plan is checked with the new update before anything is written; a change that
    would leave an error is refused and the file is left as it was.

    Example:

        vawg update 3 --rag amber --note "Referral pathway drafted" --by LBB
    """
    from vawg_cli.edit.writes import add_update
    from vawg_cli.model.records import Update

    folder = _plan_to_write(plan)
    day = today()
    entry = Update(on or day, rag, _text(note, "--note") or "", _text(by, "--by"), restricted)
    result = add_update(folder, action_id, entry, today=day, cache_dir=default_cache_dir(os.environ), dry_run=dry_run)
    _report_write(result, f"Added an update ({rag.value}, {entry.date}) to action {action_id}")


@app.command()
@_user_errors
def new(
    title: Annotated[str, typer.Option("--title", help="The aim, as the plan words it.")],
    lead: Annotated[
        list[str], typer.Option("--lead", metavar="CODE", help="A lead partner's code; repeat for joint leads.")
    ],
    target: Annotated[str, typer.Option("--target", help="When it is due: 2025-04-30, Apr-25, Quarterly, ...")],
    on: Annotated[
        date | None,
        _day_option(
            "--date", "The day the action joins the plan (papers for earlier quarters leave it out). Default: today."
        ),
    ] = None,
    dry_run: DryRunOption = False,
    plan: PlanOption = None,
) -> None:
    """Start a new action: the next free number, a file named from the title.

    The file records the day the action was added, so papers for earlier quarters stay as they were.

    Example:

        vawg new --title "Train licensing staff" --lead LBB --lead Met --target Mar-26
    """
    from vawg_cli.edit.writes import new_action

    folder = _plan_to_write(plan)
    result = new_action(
        folder,
        title=_text(title, "--title") or "",
        leads=[_text(code, "--lead") or "" for code in lead],
        target=_text(target, "--target") or "",
        today=today(),
        cache_dir=default_cache_dir(os.environ),
        dry_run=dry_run,
        added=on,
    )
    _report_write(result, "Created the action")


@app.command()
@_user_errors
def retarget(
    action_id: Annotated[int, typer.Argument(metavar="ID", help="The action's number.", show_default=False)],
    target: Annotated[str, typer.Option("--target", help="The new target: 2025-10-31, Oct-25, Quarterly, ...")],
    reason: Annotated[str, typer.Option("--reason", help="Why the target moves; kept with the action.")],
    approved_by: Annotated[
        str | None, typer.Option("--approved-by", metavar="WHO", help="Who agreed the change (a person or the board).")
    ] = None,
    on: DateOption = None,
    dry_run: DryRunOption = False,
    plan: PlanOption = None,
) -> None:
    """Move an action's target, and record the old target, the new one, when, why and who agreed.

    Reports and `vawg diff` then show the slippage against the original target.

    Example:

        vawg retarget 3 --target Oct-25 --reason "Legal review took longer" --approved-by "BCSP board"
    """
    from vawg_cli.edit.writes import retarget as move_target

    folder = _plan_to_write(plan)
    day = today()
    result = move_target(
        folder,
        action_id,
        _text(target, "--target") or "",
        reason=_text(reason, "--reason") or "",
        approved_by=_text(approved_by, "--approved-by"),
        on=on or day,
        today=day,
        cache_dir=default_cache_dir(os.environ),
        dry_run=dry_run,
    )
    _report_write(result, f"Moved the target of action {action_id} to {target.strip()}")


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


@app.command()
@_user_errors
def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="DIR",
            help="Folder for the schema files. Default: schema/ in the plan folder.",
            show_default=False,
        ),
    ] = None,
    plan: PlanOption = None,
    check_only: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 if the files in the folder are missing or out of date."),
    ] = False,
) -> None:
    """Write JSON Schema files for plan.yaml and an action file, for editors to check as you type.

    Writes plan.schema.json and action.schema.json. A plan file whose first line is
    `# yaml-language-server: $schema=schema/plan.schema.json` (an action file:
    `../schema/action.schema.json`) is then autocompleted and checked by editors with the YAML
    language server. `vawg check` remains the full check.

    Example:

        vawg schema --check
    """
    from vawg_cli.plan.loading import SCHEMA_DIR
    from vawg_cli.plan.schema import ACTION_SCHEMA, PLAN_SCHEMA, plan_schemas

    if output is not None:
        folder = output
        again = f"vawg schema -o {output}"
    else:
        location = _locate(plan)
        if location.bundled:
            raise VawgError(
                "no plan folder was found here or above, so there is no schema/ folder to write to; "
                "give the folder with -o DIR, or point --plan at your plan folder"
            )
        bundled.refuse_to_write(location.folder, f"{bundled.INIT_ADVICE}, or give a folder with -o DIR")
        folder = location.folder / SCHEMA_DIR
        from vawg_cli.plan.loading import links_out_of

        # The schema files come with the plan, from many hands: a link to elsewhere is not followed.
        link = links_out_of(location.folder, [folder, folder / PLAN_SCHEMA, folder / ACTION_SCHEMA])
        if link is not None:
            raise VawgError(
                f"{link} is a link to somewhere outside the plan folder, which vawg does not follow; "
                "replace the link with a plain file or folder"
            )
        again = "vawg schema" + (f" --plan {plan}" if plan is not None else "")
    cwd = _cwd()
    wanted = plan_schemas()
    if check_only:
        stale = []
        for name, text in wanted.items():
            try:
                current: bytes | None = (folder / name).read_bytes()
            except FileNotFoundError:
                current = None
            if current != text.encode("utf-8"):
                stale.append((name, "missing" if current is None else "out of date"))
        for name, state in stale:
            typer.echo(f"vawg: {display_path(folder / name, cwd)} is {state}", err=True)
        if stale:
            typer.echo(f"vawg: run: {again}", err=True)
            raise typer.Exit(1)
        typer.echo(f"The schema files in {display_path(folder, cwd)} are up to date.")
        return
    from vawg_cli.edit.atomic import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    for name, text in wanted.items():
        write_atomic(folder / name, text)
        typer.echo(f"Wrote {display_path(folder / name, cwd)}")


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
@_user_errors
def diff(
    rev_a: Annotated[
        str,
        typer.Argument(
            metavar="REV_A", help="The older revision (a commit, branch or tag). Default: HEAD.", show_default=False
        ),
    ] = "HEAD",
    rev_b: Annotated[
        str | None,
        typer.Argument(metavar="REV_B", help="The newer revision. Default: the working tree.", show_default=False),
    ] = None,
    plan: PlanOption = None,
    output_format: Annotated[
        DiffFormat,
        typer.Option("--format", help="text for people, json for tools, markdown for a pull-request comment."),
    ] = DiffFormat.text,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when there are changes, like git diff --exit-code.")
    ] = False,
) -> None:
    """Show what changed in the plan between two git revisions: per action, and in plan.yaml.

    With no revision, HEAD against the working tree; with one, that revision against the working
    tree. Reports actions added and removed, title, lead and target changes (with the slip in
    days), new updates and RAG changes. Files are read through git, so nothing is checked out;
    a file that is invalid at one side is reported as such.

    Example:

        vawg diff HEAD~1 --format markdown
    """
    from vawg_cli.core.changes import diff_plan
    from vawg_cli.render.changes import render_json, render_markdown, render_text

    location = _locate(plan)
    changes = diff_plan(location.folder, rev_a, rev_b)
    render = {DiffFormat.text: render_text, DiffFormat.json: render_json, DiffFormat.markdown: render_markdown}
    text = render[output_format](changes)
    sys.stdout.write(printable(text, newlines=True) if output_format is DiffFormat.text else text)
    if exit_code and changes.changed:
        raise typer.Exit(1)


class ExportFormat(str, Enum):
    json = "json"
    csv = "csv"
    ics = "ics"


_EXPORT_SUFFIXES = {".json": ExportFormat.json, ".csv": ExportFormat.csv, ".ics": ExportFormat.ics}


@app.command()
@_user_errors
def export(
    output_format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            help="json (the plan with every action's derived state), csv (for a spreadsheet) or ics (a calendar). "
            "Default: from the -o file's extension, else json.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file (.json, .csv or .ics). Default: standard output."),
    ] = None,
    as_of: AsOfOption = None,
    include_restricted: Annotated[
        bool, typer.Option("--include-restricted", help="Include restricted notes (json and csv); default: withheld.")
    ] = False,
    plan: PlanOption = None,
) -> None:
    """Export the plan with each action's state, for other systems: JSON, a CSV spreadsheet or a calendar.

    json is a stable format (see the README); csv opens cleanly in Excel (UTF-8 with a byte-order
    mark); ics has one all-day event per deadline of every action not complete, recurring targets
    as recurring events to the plan's end, with UIDs that stay the same, so importing a newer
    file updates the events rather than adding copies. Restricted notes are left out unless
    --include-restricted is given.

    Example:

        vawg export -o deadlines.ics
    """
    from vawg_cli.interchange.export import export_document, render_csv, render_ics, render_json

    fmt = _output_format(output_format, output, _EXPORT_SUFFIXES, ExportFormat.json)
    location = _locate(plan)
    loaded = load_plan(location.folder, today=today(), cache_dir=default_cache_dir(os.environ))
    day = _today(as_of)
    if fmt is ExportFormat.json:
        data = render_json(export_document(loaded, day, include_restricted=include_restricted)).encode("utf-8")
    elif fmt is ExportFormat.csv:
        data = render_csv(loaded, day, include_restricted=include_restricted)
    else:
        data = render_ics(loaded, day)
    if output is None:
        # Bytes, as written to a file: the CSV's byte-order mark and CRLF line ends stay as they are.
        sys.stdout.flush()
        binary = getattr(sys.stdout, "buffer", None)
        if binary is None:  # a text-only stream standing in for standard output
            sys.stdout.write(data.decode("utf-8"))
        else:
            binary.write(data)
            binary.flush()
        return
    _refuse_plan_files(output, location.folder)
    from vawg_cli.edit.atomic import write_atomic

    write_atomic(output, data)
    restricted = " (with restricted notes)" if include_restricted and fmt is not ExportFormat.ics else ""
    typer.echo(f"Wrote the {fmt.value} export{restricted} to {output}")


@app.command(name="import")
@_user_errors
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A text or Markdown file with a table in it, a CSV or TSV file, or an .xlsx workbook (first sheet).",
            show_default=False,
        ),
    ],
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            help="The plan to add to, or an empty or new folder to start a plan in. "
            "Default: VAWG_PLAN, else plan/ here or above, else a new plan/ here.",
            show_default=False,
        ),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="COLUMN=FIELD",
            help="Say what a column holds when its header is not recognised: id, title, leads, target, theme, "
            "notes, owner, description or ignore. Repeat for several columns.",
            show_default=False,
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", help="A new plan's title. Default: a line of the file naming the action plan."),
    ] = None,
    start: Annotated[
        date | None,
        _day_option(
            "--start", "A new plan's first day. Default: 1 April of the plan's first year, if the file says its years."
        ),
    ] = None,
    end: Annotated[
        date | None,
        _day_option(
            "--end",
            "A new plan's last day. Default: the end of its last reporting year, or its latest target if later.",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would be created; write nothing.")] = False,
) -> None:
    """Create action files from a table: a Markdown table in a document, a CSV file or a workbook.

    Columns are recognised by their headers (No., Aims or Action, Lead, Target Date and the
    like); other columns are kept as each action's theme or notes. Joint leads (LBB / Met) become
    a list, and a lead that is not yet a partner is added to plan.yaml. Into an empty folder the
    whole plan is created; into an existing plan the actions are added. A row whose target vawg
    cannot read is imported as written and listed for you to fix. Anything else wrong is
    refused, and nothing is written.

    Example:

        vawg import strategy-appendix-b.txt --plan plan
    """
    from vawg_cli.interchange.importing import import_file, plan_folder_for_import, summary

    cwd = _cwd()
    folder = plan_folder_for_import(plan, os.environ, cwd)
    result = import_file(
        file,
        folder,
        mapping=mapping or [],
        title=title.strip() if title and title.strip() else None,
        start=start,
        end=end,
        today=today(),
        cache_dir=default_cache_dir(os.environ),
        dry_run=dry_run,
    )
    for note in result.notes:
        typer.echo(f"vawg: note: {printable(note)}", err=True)
    sys.stdout.write(printable(summary(result, cwd), newlines=True))
    for warning in result.warnings:
        typer.echo(warning.format(cwd), err=True)


def main() -> None:
    # A console that cannot show a character (a Windows code page, a redirected stream) gets a
    # replacement character rather than a crash in the middle of a table.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    app(prog_name="vawg")
