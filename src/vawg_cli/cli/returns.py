"""`vawg returns make`, `returns read` and `returns status`: the quarterly returns cycle.

Partners live in Excel and Outlook: each gets a workbook listing the actions it leads, fills in
the yellow cells and sends it back; `read` adds its answers to the plan as updates and figures,
and `status` says who still owes one.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from vawg_cli.cli import options
from vawg_cli.cli.options import AsOfOption, DryRunOption, PlanOption
from vawg_cli.cli.root import command, group
from vawg_cli.model.quarters import Quarter
from vawg_cli.model.records import PlanSettings
from vawg_cli.text import plural, printable

returns_app = group("returns")


@returns_app.callback()
def _returns() -> None:
    """The quarterly returns: a workbook for each lead partner, read back into the plan, and who still owes one.

    Example:

        vawg returns make --quarter 2025-Q3 --email -o returns
    """


QuarterOption = Annotated[
    str | None,
    typer.Option(
        "--quarter",
        metavar="QUARTER",
        help="The quarter: 2025-Q3, Q3 2025/26 or 2025/26 Q3. Default: the quarter whose returns are "
        "being collected (the last one until its deadline has passed).",
        show_default=False,
    ),
]


def _quarter(text: str | None, settings: PlanSettings, today: date) -> Quarter:
    from vawg_cli.core.report import choose_quarter
    from vawg_cli.core.returns import returns_quarter

    return choose_quarter(text, today, settings) if text else returns_quarter(settings, today)


@command("make", within=returns_app)
def make(
    quarter: QuarterOption = None,
    partner: Annotated[
        list[str] | None,
        typer.Option("--partner", metavar="CODE", help="Only this partner's return; repeat for more. Default: all."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", metavar="DIR", help="The folder to write into. Default: returns/QUARTER here."),
    ] = None,
    email: Annotated[
        bool,
        typer.Option(
            "--email",
            help="Also write an email draft (.eml) for each partner with an email in plan.yaml, the workbook "
            "attached: Outlook opens it ready to send.",
        ),
    ] = False,
    chase: Annotated[
        bool,
        typer.Option(
            "--chase",
            help="Only partners who have not returned, listing only what they still owe, with a reminder email draft.",
        ),
    ] = False,
    send: Annotated[
        bool,
        typer.Option(
            "--send",
            help="Send the emails through the SMTP server in VAWG_SMTP_HOST, VAWG_SMTP_PORT, VAWG_SMTP_USER and "
            "VAWG_SMTP_PASSWORD (see the README), one per partner.",
        ),
    ] = False,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """Write a return workbook (.xlsx) for each lead partner: the actions it leads, what the plan says
    of each, and yellow cells for the new colour, the progress note, the date and whether it is restricted.

    The Instructions sheet gives the quarter, the deadline (plan.yaml's `returns`), what each colour
    means in the plan's words, and whom to send it to. Only the yellow cells can be changed. A hidden
    column records which plan, quarter and actions the return was made for, so vawg returns read
    puts each answer in the right place and tells a stale return.

    Example:

        vawg returns make --quarter 2025-Q3 --email
    """
    from vawg_cli.interchange.returns.making import make_returns

    loaded = options.open_plan(plan)
    day = options.day_or_today(as_of)
    chosen = _quarter(quarter, loaded.settings, day)
    folder = output or Path("returns") / chosen.code
    if send:
        from vawg_cli.interchange.returns.mail import server

        server(os.environ)  # the mail server's settings, before any workbook is written
    made = make_returns(
        loaded,
        chosen,
        folder,
        made=day,
        partners=partner or (),
        chase=chase,
        drafts=email or chase,
        letters=send,
        environ=os.environ,
    )
    from vawg_cli.render.returns import made_lines

    written = [(m.partner, m.workbook, m.draft) for m in made]
    typer.echo(printable(made_lines(written, chosen, chase=chase, drafts=email or chase), newlines=True))
    if send:
        from vawg_cli.interchange.returns.mail import send as send_letters

        letters = [m.letter for m in made if m.letter is not None]
        if not letters:
            typer.echo("vawg: nothing to send: no partner in this run has an email address in plan.yaml", err=True)
            return
        sent = send_letters(letters, os.environ)
        typer.echo(printable(f"Sent {plural(len(sent), 'email')}: {', '.join(sent)}"))


@command("read", within=returns_app)
def read(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", help="Filled returns: the .xlsx, or a CSV saved from its Return sheet."),
    ],
    quarter: Annotated[
        str | None,
        typer.Option(
            "--quarter", metavar="QUARTER", help="Refuse a return made for any other quarter.", show_default=False
        ),
    ] = None,
    accept_stale: Annotated[
        bool,
        typer.Option(
            "--accept-stale",
            help="Add an update even though its action has had another since the return was made (in date order).",
        ),
    ] = False,
    restrict_personal: Annotated[
        bool,
        typer.Option(
            "--restrict-personal",
            help="Mark restricted any note that looks like it holds personal data or a small count of people.",
        ),
    ] = False,
    dry_run: DryRunOption = False,
    plan: PlanOption = None,
) -> None:
    """Add filled returns to the plan: each row as an update (colour, note, date, by the partner,
    restricted), each figure as a measure's value.

    Each file is checked whole before anything of it is written: a row for an action the partner
    does not lead, a colour that is not one of the five, a date outside the quarter's window, a return
    made for another plan or quarter, or one made before a later update of its action (stale) is
    an error with its file and row, and nothing from that file is written. Reading a file again adds
    nothing. A blank row is reported as not returned.

    Example:

        vawg returns read returns/2025-Q3/*.xlsx --dry-run
    """
    from vawg_cli.edit.returns import read_returns
    from vawg_cli.interchange.returns.filled import read_return
    from vawg_cli.interchange.returns.summary import read_summary
    from vawg_cli.model.quarters import QuarterError, parse_quarter

    folder = options.plan_to_write(plan)
    day = options.today()
    code = None
    if quarter:
        try:
            code = parse_quarter(quarter, 4).code
        except QuarterError as error:
            raise typer.BadParameter(str(error), param_hint="--quarter") from None
    filled = [read_return(path) for path in files]
    outcomes = read_returns(
        folder,
        filled,
        today=day,
        cache_dir=options.cache_dir(),
        dry_run=dry_run,
        accept_stale=accept_stale,
        restrict_personal=restrict_personal,
        quarter=code,
    )
    if dry_run:
        sys.stdout.write(printable("".join(o.diff for o in outcomes), newlines=True))
    text, problems = read_summary(outcomes, dry_run=dry_run)
    for outcome in outcomes:
        for diagnostic in (*outcome.problems, *outcome.warnings):
            typer.echo(diagnostic.format(), err=True)
    typer.echo(printable(text, newlines=True), err=dry_run)
    if problems:
        raise typer.Exit(1)


class StatusFormat(str, Enum):
    table = "table"
    json = "json"


@command("status", within=returns_app)
def status(
    quarter: QuarterOption = None,
    output_format: Annotated[
        StatusFormat, typer.Option("--format", help="Lines for people; json for other tools.")
    ] = StatusFormat.table,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """Show, for each partner, the actions it still owes an update for this quarter (no update since
    the quarter began), the figures it owes, and the deadline with the days left or overdue.

    A joint action needs an update from each of its leads, unless plan.yaml's `returns` says
    `joint_actions: one lead`.

    Example:

        vawg returns status --quarter 2025-Q3 --as-of 2026-01-10
    """
    from vawg_cli.core.returns import partner_returns

    loaded = options.open_plan(plan)
    day = options.day_or_today(as_of)
    chosen = _quarter(quarter, loaded.settings, day)
    found = partner_returns(
        loaded.settings, [f.action for f in loaded.actions], [f.measure for f in loaded.measures], chosen, day
    )
    if output_format is StatusFormat.json:
        from vawg_cli.render.returns import status_json

        text = status_json(found, chosen, day)
        sys.stdout.write(printable(text, newlines=True) if sys.stdout.isatty() else text)
    else:
        import shutil

        from vawg_cli.render.returns import status_lines

        width = min(shutil.get_terminal_size((80, 24)).columns, 100)
        typer.echo(printable(status_lines(found, chosen, day, width=width), newlines=True))
