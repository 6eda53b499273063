"""`vawg measure add` and `vawg measure record`: the commands that start a measure and add its figures.

Each parses its options and calls one write of `edit/measures.py`, which checks the whole plan,
keeps every byte it does not mean to change, and replaces the file atomically.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from vawg_cli.cli import options
from vawg_cli.cli.options import DryRunOption, PlanOption, day_option, report_write
from vawg_cli.cli.root import command, group
from vawg_cli.model.periods import Frequency

measure = group("measure")


@measure.callback()
def _measure() -> None:
    """Start a measure of the plan (people trained, offences recorded) and record its figures.

    Each measure is a file, measures/CODE.yaml, with its figures last, one per period.

    Example:

        vawg measure record TRAINED --period 2025 --value 412
    """


CodeArgument = Annotated[
    str, typer.Argument(metavar="CODE", help="The measure's code, such as TRAINED.", show_default=False)
]


@command("add", within=measure)
def add(
    code: CodeArgument,
    name: Annotated[str, typer.Option("--name", help="What is measured, as a paper names it.")],
    unit: Annotated[str, typer.Option("--unit", help="What one counts: people, offences, percent, score out of 10.")],
    action: Annotated[
        int | None,
        typer.Option("--action", metavar="ID", help="The action whose output this is.", show_default=False),
    ] = None,
    lead: Annotated[
        str | None,
        typer.Option(
            "--lead",
            metavar="CODE",
            help="The partner who supplies the figures. Default: the action's first lead (needed without --action).",
            show_default=False,
        ),
    ] = None,
    period: Annotated[
        Frequency, typer.Option("--period", case_sensitive=False, help="How often a figure is collected.")
    ] = Frequency.QUARTERLY,
    target: Annotated[
        list[str] | None,
        typer.Option(
            "--target",
            metavar="YEAR=N",
            help="A year's target, such as 2025/26=400; repeat for more years.",
            show_default=False,
        ),
    ] = None,
    level: Annotated[
        bool,
        typer.Option("--level", help="A percentage, score or rate, read rather than added up (default: a count)."),
    ] = False,
    higher_is_better: Annotated[
        bool,
        typer.Option("--higher-is-better", help="A rise is good news (more people trained).", show_default=False),
    ] = False,
    lower_is_better: Annotated[
        bool,
        typer.Option(
            "--lower-is-better",
            help="A fall is good news. Default: neither way (a rise in reported offences may be good news).",
            show_default=False,
        ),
    ] = False,
    source: Annotated[str | None, typer.Option("--source", help="Where the figures come from.")] = None,
    suppress_below: Annotated[
        int | None,
        typer.Option(
            "--suppress-below",
            metavar="N",
            help="Show counts from 1 up to below N as <N in public papers. Default: the plan's.",
            show_default=False,
        ),
    ] = None,
    dry_run: DryRunOption = False,
    plan: PlanOption = None,
) -> None:
    """Start a measure: write measures/CODE.yaml, ready for its figures.

    The whole plan is checked with the new file before it is written; a code already used, an
    unknown action or partner, or a target vawg cannot read is refused and nothing is written.

    Example:

        vawg measure add REFERRALS --name "IDVA referrals" --unit people --action 3

        vawg measure add OFFENCES --name "VAWG offences" --unit offences --lead Met
    """
    from vawg_cli.edit.measures import NewMeasure, add_measure

    if higher_is_better and lower_is_better:
        raise typer.BadParameter(
            "give --higher-is-better or --lower-is-better, not both: the one that is good news, or neither where "
            "neither way is better",
            param_hint="--lower-is-better",
        )
    new = NewMeasure(
        code=code.strip(),
        name=_required(name, "--name", "say what is measured, as a paper names it"),
        unit=_required(unit, "--unit", "say what one counts: people, offences, percent"),
        frequency=period,
        action=action,
        lead=options.text(lead, "--lead"),
        targets=tuple(options.text(typed, "--target") or "" for typed in target or []),
        level=level,
        higher_is_better=True if higher_is_better else False if lower_is_better else None,
        source=options.text(source, "--source"),
        suppress_below=suppress_below,
    )
    result = add_measure(
        options.plan_to_write(plan), new, today=options.today(), cache_dir=options.cache_dir(), dry_run=dry_run
    )
    report_write(result, f"Created the measure {new.code}")


@command("record", within=measure)
def record(
    code: CodeArgument,
    period: Annotated[
        str,
        typer.Option("--period", help="The period the figure is for: 2025/26 Q1, Apr-25, 2025/26 or 2025."),
    ],
    value: Annotated[str, typer.Option("--value", help="The figure alone, such as 120 or 4.5: no commas, no % sign.")],
    note: Annotated[
        str | None, typer.Option("--note", help="What lies behind the figure, fit for a board paper.")
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who supplied it: a partner code or a name.")] = None,
    on: Annotated[
        date | None,
        day_option("--date", "The day the figure is recorded; its period must have ended by then. Default: today."),
    ] = None,
    dry_run: DryRunOption = False,
    plan: PlanOption = None,
) -> None:
    """Record a measure's figure for a period that has ended, at the end of its file.

    Only lines are added: the rest of the file stays exactly as it was. A period that already
    has a figure is refused; to correct a figure, edit its line (git keeps the history).

    Example:

        vawg measure record TRAINED --period 2025 --value 412 --by LBB

        vawg measure record REFERRALS --period "2025/26 Q1" --value 120
    """
    from vawg_cli.edit.measures import record_figure

    day = options.today()
    result = record_figure(
        options.plan_to_write(plan),
        code.strip(),
        period,
        value,
        note=options.text(note, "--note"),
        by=options.text(by, "--by"),
        on=on or day,
        today=day,
        cache_dir=options.cache_dir(),
        dry_run=dry_run,
    )
    report_write(result.written, f"Recorded {result.code} {result.period}: {result.value}")


def _required(value: str, option: str, advice: str) -> str:
    words = options.text(value, option)
    if words is None:
        raise typer.BadParameter(f"is empty; {advice}", param_hint=option)
    return words
