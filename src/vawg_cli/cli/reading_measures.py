"""`vawg measures`: each measure's latest figure, a year before, the year to date and its direction of travel.

A read command in a module of its own (cli/reading.py holds the others and is near its size):
it parses the options, asks the core for the views, and hands them to a renderer.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import Enum
from typing import Annotated

import typer

from vawg_cli.cli import options
from vawg_cli.cli.options import PlanOption, day_option
from vawg_cli.cli.root import command


class MeasuresFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


@command()
def measures(
    as_of: Annotated[
        date | None,
        day_option("--as-of", "Show the figures known on this day: a period that ends after it is left out."),
    ] = None,
    output_format: Annotated[
        MeasuresFormat, typer.Option("--format", help="A table for people; json or csv for other tools.")
    ] = MeasuresFormat.table,
    include_restricted: Annotated[
        bool,
        typer.Option(
            "--include-restricted",
            help="Show every figure exactly, small counts included: not for publication. "
            "Default: small counts withheld.",
        ),
    ] = False,
    plan: PlanOption = None,
) -> None:
    """Show each measure: its latest figure, the same period a year before, the year to date
    against the year's target, and its direction of travel.

    Small counts are withheld, as in every public output: a count from 1 to under the threshold
    (5 unless the plan or the measure sets another) shows as <5, and a figure that a total would
    give back shows as "withheld". --include-restricted shows them all. Figures are never compared
    across a change in how they are collected (a series break): the table says "not comparable".
    json and csv are for other tools (see the README); csv opens cleanly in Excel.

    Example:

        vawg measures --as-of 2026-06-30
    """
    from vawg_cli.core.measures import measure_views

    loaded = options.open_plan(plan)
    day = options.day_or_today(as_of)
    views = measure_views([f.measure for f in loaded.measures], loaded.settings, day, exact=include_restricted)
    if output_format is MeasuresFormat.json:
        from vawg_cli.render.measure_data import render_json
        from vawg_cli.text import printable

        text = render_json(views, exact=include_restricted)
        sys.stdout.write(printable(text, newlines=True) if sys.stdout.isatty() else text)
    elif output_format is MeasuresFormat.csv:
        from vawg_cli.edit.output import to_stdout
        from vawg_cli.render.measure_data import measures_csv

        to_stdout(measures_csv(views))
    else:
        from vawg_cli.render.measures import write_table

        write_table(views, loaded.settings, day, exact=include_restricted)
