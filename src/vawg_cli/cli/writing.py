"""The commands that change the plan: update, new, retarget, hold, withdraw, resume, import and init.

Each parses its options and calls one write of `edit/` (or the import); the write checks the
whole plan, keeps every byte it does not mean to change, and replaces files atomically.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from vawg_cli.cli import options
from vawg_cli.cli.options import ActionId, DateOption, DryRunOption, PlanOption, day_option, report_write
from vawg_cli.cli.root import command
from vawg_cli.model.records import Lifecycle, Rag
from vawg_cli.text import printable


@command()
def update(
    action_id: ActionId,
    rag: Annotated[Rag, typer.Option("--rag", case_sensitive=False, help="The action's colour from now on.")],
    note: Annotated[str, typer.Option("--note", help="What happened, in a sentence or two fit for a board paper.")],
    by: Annotated[str | None, typer.Option("--by", help="Who reports it: a partner code or a name.")] = None,
    on: DateOption = None,
    restricted: Annotated[
        bool, typer.Option("--restricted", help="Keep this note out of public reports (case detail, personal data).")
    ] = False,
    next_steps: Annotated[
        str | None,
        typer.Option(
            "--next-steps", metavar="TEXT", help="What is being done about it: most needed when the colour is red."
        ),
    ] = None,
    board_ask: Annotated[
        str | None,
        typer.Option(
            "--board-ask",
            metavar="TEXT",
            help="What the partnership board is asked to decide or do, if anything: the paper's 'For decision'.",
        ),
    ] = None,
    dry_run: DryRunOption = False,
    plan: PlanOption = None,
) -> None:
    """Add a progress update to an action, keeping the rest of its file exactly as it was.

    The whole plan is checked with the new update before anything is written; a change that
    would leave an error is refused and the file is left as it was. A red update should say
    what is being done (--next-steps), what the board is asked to do (--board-ask), or both:
    `vawg check` warns when the latest update is red and says neither.

    Example:

        vawg update 3 --rag amber --note "Referral pathway drafted" --by LBB

        vawg update 5 --rag red --note "Funding ends" --next-steps "Bid made"

        vawg update 5 --rag red --note "Bid refused" --board-ask "Fund the post"
    """
    from vawg_cli.edit.writes import add_update
    from vawg_cli.model.records import Update

    words = options.text(note, "--note")
    if words is None:
        raise typer.BadParameter("is empty; write what happened, in a sentence or two", param_hint="--note")
    folder = options.plan_to_write(plan)
    day = options.today()
    entry = Update(
        on or day,
        rag,
        words,
        options.text(by, "--by"),
        restricted,
        next_steps=options.text(next_steps, "--next-steps"),
        board_ask=options.text(board_ask, "--board-ask"),
    )
    result = add_update(folder, action_id, entry, today=day, cache_dir=options.cache_dir(), dry_run=dry_run)
    report_write(result, f"Added an update ({rag.value}, {entry.date}) to action {action_id}")


@command()
def new(
    title: Annotated[str, typer.Option("--title", help="The aim, as the plan words it.")],
    lead: Annotated[
        list[str], typer.Option("--lead", metavar="CODE", help="A lead partner's code; repeat for joint leads.")
    ],
    target: Annotated[str, typer.Option("--target", help="When it is due: 2025-04-30, Apr-25, Quarterly, ...")],
    on: Annotated[
        date | None,
        day_option(
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

    result = new_action(
        options.plan_to_write(plan),
        title=options.text(title, "--title") or "",
        leads=[options.text(code, "--lead") or "" for code in lead],
        target=options.text(target, "--target") or "",
        today=options.today(),
        cache_dir=options.cache_dir(),
        dry_run=dry_run,
        added=on,
    )
    report_write(result, "Created the action")


@command()
def retarget(
    action_id: ActionId,
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

    day = options.today()
    result = move_target(
        options.plan_to_write(plan),
        action_id,
        options.text(target, "--target") or "",
        reason=options.text(reason, "--reason") or "",
        approved_by=options.text(approved_by, "--approved-by"),
        on=on or day,
        today=day,
        cache_dir=options.cache_dir(),
        dry_run=dry_run,
    )
    report_write(result, f"Moved the target of action {action_id} to {target.strip()}")


ReasonOption = Annotated[
    str, typer.Option("--reason", help="Why: the board's decision, the funding, what replaced it.")
]


def _lifecycle(
    action_id: int,
    state: Lifecycle,
    reason: str,
    on: date | None,
    dry_run: bool,
    plan: Path | None,
    superseded_by: int | None = None,
) -> Any:
    from vawg_cli.edit.lifecycle import change_lifecycle

    words = options.text(reason, "--reason")
    if words is None:
        raise typer.BadParameter("is empty; say why, in a sentence fit for a board paper", param_hint="--reason")
    day = options.today()
    return change_lifecycle(
        options.plan_to_write(plan),
        action_id,
        state,
        reason=words,
        on=on or day,
        today=day,
        cache_dir=options.cache_dir(),
        superseded_by=superseded_by,
        dry_run=dry_run,
    )


@command()
def hold(
    action_id: ActionId,
    reason: ReasonOption,
    on: DateOption = None,
    dry_run: DryRunOption = False,
    plan: PlanOption = None,
) -> None:
    """Put an action on hold: it is not overdue or due soon while it waits, and is counted apart.

    The date and reason are kept with the action under `lifecycle`; `vawg resume` starts it again.

    Example:

        vawg hold 6 --reason "Paused until the new funding round" --date 2025-06-01
    """
    result = _lifecycle(action_id, Lifecycle.ON_HOLD, reason, on, dry_run, plan)
    report_write(result, f"Put action {action_id} on hold")


@command()
def withdraw(
    action_id: ActionId,
    reason: ReasonOption,
    superseded_by: Annotated[
        int | None,
        typer.Option("--superseded-by", metavar="ID", help="The action that takes its place.", show_default=False),
    ] = None,
    on: DateOption = None,
    dry_run: DryRunOption = False,
    plan: PlanOption = None,
) -> None:
    """Withdraw an action: it stays in the plan with its history, but is never overdue again.

    Papers, `vawg status` and `vawg diff` show it as withdrawn, with the date, the reason and
    the action that supersedes it; `vawg resume` brings it back.

    Example:

        vawg withdraw 4 --reason "Merged into action 12" --superseded-by 12
    """
    result = _lifecycle(action_id, Lifecycle.WITHDRAWN, reason, on, dry_run, plan, superseded_by)
    report_write(result, f"Withdrew action {action_id}")


@command()
def resume(
    action_id: ActionId,
    reason: ReasonOption,
    on: DateOption = None,
    dry_run: DryRunOption = False,
    plan: PlanOption = None,
) -> None:
    """Resume an action that was on hold or withdrawn: it is due and counted as before.

    Example:

        vawg resume 6 --reason "Funding confirmed"
    """
    result = _lifecycle(action_id, Lifecycle.ACTIVE, reason, on, dry_run, plan)
    report_write(result, f"Resumed action {action_id}")


@command(name="import")
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A Word document (.docx, every table), a text or Markdown file with a table in it, a CSV or TSV "
            "file, or an .xlsx workbook (first sheet).",
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
            "notes, owner, description, rag, progress or ignore. Repeat for several columns.",
            show_default=False,
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", help="A new plan's title. Default: a line of the file naming the action plan."),
    ] = None,
    start: Annotated[
        date | None,
        day_option(
            "--start", "A new plan's first day. Default: 1 April of the plan's first year, if the file says its years."
        ),
    ] = None,
    end: Annotated[
        date | None,
        day_option(
            "--end",
            "A new plan's last day. Default: the end of its last reporting year, or its latest target if later.",
        ),
    ] = None,
    lead: Annotated[
        str | None,
        typer.Option(
            "--lead",
            metavar="CODE",
            help="The lead of every row that names none: for a table with no lead column.",
            show_default=False,
        ),
    ] = None,
    update_date: Annotated[
        date | None,
        day_option(
            "--date",
            "The date of the first update that a RAG or Status column gives each action. Default: today.",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would be created; write nothing.")] = False,
) -> None:
    """Create action files from a table: a Word document, a Markdown table in a document, a CSV file or a workbook.

    Columns are recognised by their headers (No., Aims or Action, Lead, Target Date and the
    like); other columns are kept as each action's theme or notes. A RAG or Status column (its
    words or the cell's colour) and a Progress column become each action's first update. Every
    table of a Word document is read, each under its heading (the actions' theme). Joint leads
    (LBB / Met) become a list, and a lead that is not yet a partner is added to plan.yaml. Into an empty folder the
    whole plan is created; into an existing plan the actions are added. A row whose target vawg
    cannot read is imported as written and listed for you to fix. Anything else wrong is
    refused, and nothing is written.

    Example:

        vawg import strategy-appendix-b.txt --plan plan

        vawg import "Action plan 2025.docx" --plan plan --date 2025-06-30
    """
    import os

    from vawg_cli.interchange.importing import import_file, plan_folder_for_import, summary

    here = options.cwd()
    result = import_file(
        file,
        plan_folder_for_import(plan, os.environ, here),
        mapping=mapping or [],
        title=options.text(title, "--title"),
        start=start,
        end=end,
        today=options.today(),
        cache_dir=options.cache_dir(),
        dry_run=dry_run,
        lead=options.text(lead, "--lead"),
        update_date=update_date or options.today(),
    )
    for note in result.notes:
        typer.echo(f"vawg: note: {printable(note)}", err=True)
    sys.stdout.write(printable(summary(result, here), newlines=True))
    for warning in result.warnings:
        typer.echo(warning.format(here), err=True)


@command()
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
    from vawg_cli.plan import bundled

    written = bundled.init_plan(directory)
    typer.echo(f"Created {directory}/ with {len(written)} files.")
    typer.echo(f"Next: set your partnership's title, dates and partners in {directory / 'plan.yaml'},")
    typer.echo("then edit the actions in actions/ and run: vawg check")
    if directory.resolve().name != "plan":
        typer.echo(
            f"vawg finds this plan when run inside {directory}/ (or in a folder holding plan/); "
            f"from elsewhere, add --plan {directory} or set VAWG_PLAN={directory}"
        )
