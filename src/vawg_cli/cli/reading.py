"""The commands that read the plan and change nothing in it: status, check, report, export, diff, schema.

Each parses its options, calls one function of the core (or the plan layer) and hands the result
to a renderer. Heavy modules (Word, PDF, openpyxl) are imported inside the command that needs them.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from vawg_cli.cli import options, quick
from vawg_cli.cli.options import AsOfOption, PlanOption, day_option
from vawg_cli.cli.root import command
from vawg_cli.errors import BadOption, VawgError, display_path
from vawg_cli.model.records import Rag
from vawg_cli.text import printable


class StatusFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


@command()
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

    Most urgent first: overdue, then due soon, then by due date. Under an action with outputs
    (measures that name it), each output's year to date against its target, small counts
    withheld. In a terminal the table is coloured (set NO_COLOR to turn colour off); piped, it
    is plain text, one line per action.

    Example:

        vawg status --as-of 2025-05-01 --overdue
    """
    from vawg_cli.core.measures import outputs_by_action
    from vawg_cli.core.status import status_view
    from vawg_cli.render.status import write_status

    loaded = options.open_plan(plan)
    day = options.day_or_today(as_of)
    actions = (f.action for f in loaded.actions)
    view = status_view(actions, loaded.settings, day, lead=lead, rag=rag, overdue=overdue, due_soon=due_soon)
    outputs = outputs_by_action([f.measure for f in loaded.measures], loaded.settings, day)
    if output_format is StatusFormat.table:  # so that the next one can answer from a snapshot
        quick.keep(loaded, checked_on=options.today(), as_of=day, outputs=outputs)
    write_status(view, loaded.settings, output_format.value, outputs)


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


@command()
def check(
    plan: PlanOption = None,
    as_of: Annotated[
        date | None, day_option("--as-of", "Check as if this were today (an update dated after it is in the future).")
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
    from vawg_cli.plan.check_memo import check as check_plan
    from vawg_cli.render.diagnostics import render_json, render_text

    location = options.locate(plan)
    checked = check_plan(location.folder, today=options.day_or_today(as_of), cache_dir=options.cache_dir())
    here = options.cwd()
    if output_format is CheckFormat.json:
        sys.stdout.write(render_json(checked.diagnostics, here))
    else:
        counts = {"files": checked.files, "errors": checked.errors, "warnings": checked.warnings}
        sys.stdout.write(render_text(checked.diagnostics, here, **counts))
    if checked.errors:
        raise typer.Exit(1)


class ReportFormat(str, Enum):
    md = "md"
    html = "html"
    docx = "docx"
    pdf = "pdf"


_REPORT_SUFFIXES = {f".{f.value}": f for f in ReportFormat} | {".markdown": ReportFormat.md, ".htm": ReportFormat.html}


@command()
def report(
    plan: PlanOption = None,
    as_of: Annotated[
        date | None, day_option("--as-of", "Today, for the default quarter and the date the paper was produced.")
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
            "--format",
            help="md, html, docx (Word) or pdf. Default: from the -o file's extension, else md.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Write the paper to this file (.md, .html, .docx or .pdf). "
            "Default: standard output (md and html only).",
        ),
    ] = None,
    include_restricted: Annotated[
        bool,
        typer.Option(
            "--include-restricted",
            help="Include restricted notes and exact small counts; every page is then marked OFFICIAL-SENSITIVE "
            "(or the plan's own restricted marking).",
        ),
    ] = False,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            metavar="PATH",
            help="A template instead of templates/report.* in the plan or vawg's own: Jinja text for md, html "
            "and pdf (which prints the html), a Word .docx with Jinja tags for docx.",
        ),
    ] = None,
) -> None:
    """Write the quarterly progress paper for the partnership board and MOPAC.

    It opens with a sentence for the chair and what is for decision (red, then overdue, then
    amber, then no update); every page is marked OFFICIAL (or the plan's own marking). Word and
    PDF are for the board, HTML reads on a phone, Markdown pastes into a wiki. All is as at the
    quarter's last day. Restricted notes are left out, and small counts shown as <5, unless
    --include-restricted is given.

    Example:

        vawg report --quarter 2025-Q3 -o q3.docx

        vawg report --quarter 2025-Q3 -o q3.pdf --include-restricted
    """
    from vawg_cli.core.report import build_report, choose_quarter
    from vawg_cli.edit.output import STDERR_NAMES, write_output
    from vawg_cli.render.report import render_paper

    output = options.output_file(output)
    fmt = options.output_format(output_format, output, _REPORT_SUFFIXES, ReportFormat.md)
    if fmt in (ReportFormat.docx, ReportFormat.pdf) and (output is None or str(output) in STDERR_NAMES):
        raise BadOption("-o", f"a {fmt.value} paper is a file, not text to show here: name one, e.g. -o q3.{fmt.value}")
    loaded = options.open_plan(plan)
    produced = options.day_or_today(as_of)
    chosen = choose_quarter(quarter, produced, loaded.settings)
    paper = build_report(
        [f.action for f in loaded.actions],
        loaded.settings,
        chosen,
        produced=produced,
        include_restricted=include_restricted,
        measures=[f.measure for f in loaded.measures],
    )
    text = render_paper(paper, fmt.value, plan_folder=loaded.folder, template=template)
    if output is None:
        assert isinstance(text, str)  # Word and PDF were refused without -o, above
        sys.stdout.write(printable(text, newlines=True))  # the paper's text may reach a terminal
        return
    write_output(output, text, loaded.folder)
    typer.echo(printable(f"Wrote the {chosen.label} report, marked {paper.marking}, to {output}"))


class ExportFormat(str, Enum):
    json = "json"
    csv = "csv"
    ics = "ics"


_EXPORT_SUFFIXES = {".json": ExportFormat.json, ".csv": ExportFormat.csv, ".ics": ExportFormat.ics}


@command()
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
        bool,
        typer.Option(
            "--include-restricted",
            help="Include restricted notes and the measures' exact figures (json and csv); default: withheld.",
        ),
    ] = False,
    measures: Annotated[
        bool, typer.Option("--measures", help="csv: one row per figure of each measure, instead of per action.")
    ] = False,
    plan: PlanOption = None,
) -> None:
    """Export the plan with each action's state, for other systems: JSON, a CSV spreadsheet or a calendar.

    json is a stable format (see the README); csv opens cleanly in Excel (UTF-8 with a byte-order
    mark); ics has one all-day event per deadline of every action not complete, recurring targets
    as recurring events to the plan's end, with UIDs that stay the same, so importing a newer
    file updates the events rather than adding copies. json holds the measures too; csv
    --measures gives their figures, one row each, with each year's total. Restricted notes are
    left out, and small counts withheld, unless --include-restricted is given.

    Example:

        vawg export -o deadlines.ics
        vawg export --measures -o figures.csv
    """
    from vawg_cli.interchange.export import export_pieces
    from vawg_cli.interchange.streamed_output import write_pieces

    output = options.output_file(output)
    default = ExportFormat.csv if measures else ExportFormat.json
    fmt = options.output_format(output_format, output, _EXPORT_SUFFIXES, default)
    if measures and fmt is not ExportFormat.csv:
        raise typer.BadParameter(
            "is for csv (one row per figure); the json export holds the measures already", param_hint="--measures"
        )
    loaded = options.open_plan(plan)
    day = options.day_or_today(as_of)
    pieces = export_pieces(loaded, day, fmt.value, include_restricted=include_restricted, measures=measures)
    write_pieces(output, pieces, loaded.folder)  # written as made: a large plan's export is never held whole
    if output is None:
        return
    restricted = " (with restricted notes)" if include_restricted and fmt is not ExportFormat.ics else ""
    if measures:
        restricted = " (RESTRICTED: exact figures)" if include_restricted else ""
    what = "measures' figures" if measures else f"{fmt.value} export"
    typer.echo(f"Wrote the {what}{restricted} to {output}")


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@command()
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
    """Show what changed in the plan between two git revisions: per action, per measure, in plan.yaml.

    With no revision, HEAD against the working tree; with one, that revision against the working
    tree. Reports actions added and removed, title, lead and target changes (with the slip in
    days), new updates and RAG changes; measures added and removed, changes to their declaration
    and targets, and each figure added, changed or removed. Files are read through git, so
    nothing is checked out; a file that is invalid at one side is reported as such.

    Example:

        vawg diff HEAD~1 --format markdown
    """
    from vawg_cli.core.changes import compare
    from vawg_cli.plan.git import read_sides
    from vawg_cli.render.changes import render_json, render_markdown, render_text

    changes = compare(*read_sides(options.locate(plan).folder, rev_a, rev_b))
    render = {DiffFormat.text: render_text, DiffFormat.json: render_json, DiffFormat.markdown: render_markdown}
    text = render[output_format](changes)
    sys.stdout.write(printable(text, newlines=True) if output_format is DiffFormat.text else text)
    if exit_code and changes.changed:
        raise typer.Exit(1)


@command()
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
    """Write JSON Schema files for plan.yaml, an action file and a measure file, for editors.

    Writes plan.schema.json, action.schema.json and measure.schema.json. A plan file whose first
    line is `# yaml-language-server: $schema=schema/plan.schema.json` (an action file:
    `../schema/action.schema.json`; a measure file: `../schema/measure.schema.json`) is then
    autocompleted and checked by editors with the YAML language server. `vawg check` remains
    the full check.

    Example:

        vawg schema --check
    """
    from vawg_cli.plan import bundled
    from vawg_cli.plan.schema import plan_schemas, schema_folder, stale_files

    if output is not None:
        folder, again = output, f"vawg schema -o {output}"
    else:
        location = options.locate(plan)
        if location.bundled:
            raise VawgError(
                "no plan folder was found here or above, so there is no schema/ folder to write to; "
                "give the folder with -o DIR, or point --plan at your plan folder"
            )
        bundled.refuse_to_write(location.folder, f"{bundled.INIT_ADVICE}, or give a folder with -o DIR")
        folder = schema_folder(location.folder)
        again = "vawg schema" + (f" --plan {plan}" if plan is not None else "")
    here = options.cwd()
    if check_only:
        stale = stale_files(folder)
        for name, state in stale:
            typer.echo(f"vawg: {display_path(folder / name, here)} is {state}", err=True)
        if stale:
            typer.echo(f"vawg: run: {again}", err=True)
            raise typer.Exit(1)
        typer.echo(f"The schema files in {display_path(folder, here)} are up to date.")
        return
    from vawg_cli.edit.atomic import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    for name, text in plan_schemas().items():
        write_atomic(folder / name, text)
        typer.echo(f"Wrote {display_path(folder / name, here)}")
