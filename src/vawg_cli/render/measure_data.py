"""Measures as data: the JSON records `vawg measures` and `vawg export` share, and their CSV forms.

Every figure here comes from a `MeasureView`, so these forms hide exactly what the terminal table
and the paper hide: a withheld figure is `null` with the reason beside it, never its number, and
the note of a withheld figure is left out too (it may say what the number was). The shape is
documented in the README; keys may be added, none renamed or removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vawg_cli.core.disclosure import Figure
from vawg_cli.core.measures import MeasureView, Point, Travel, YearFigure
from vawg_cli.text import spreadsheet_csv


def figure_record(figure: Figure) -> dict[str, Any]:
    """A figure as an output shows it: the number or null, why it is withheld, and its text ("<5")."""
    return {"value": figure.exact, "withheld": figure.withheld, "shown": figure.text}


def point_record(point: Point) -> dict[str, Any]:
    return {
        "period": point.label,
        "start": point.start.isoformat(),
        "end": point.end.isoformat(),
        **figure_record(point.figure),
        "note": point.note if point.figure.withheld is None else None,
        "by": point.by,
    }


def travel_record(travel: Travel | None) -> dict[str, Any] | None:
    if travel is None:
        return None
    return {"words": travel.words, "arrow": travel.arrow, "direction": travel.direction, "better": travel.better}


def year_record(year: YearFigure) -> dict[str, Any]:
    return {
        "year": year.label,
        "complete": year.complete,
        **figure_record(year.figure),
        "target": year.target,
        "against_target": year.against_target,
        "travel": travel_record(year.travel),
    }


def measure_record(view: MeasureView, *, exact: bool) -> dict[str, Any]:
    """One measure as plain data: its declaration, then its figures as this output shows them."""
    return {
        "code": view.code,
        "name": view.name,
        "unit": view.unit,
        "lead": view.lead,
        "action": view.action,
        "kind": "level" if view.level else "count",
        "frequency": view.frequency.value,
        "higher_is_better": view.higher_is_better,
        "source": view.source,
        "description": view.description,
        "targets": [{"year": year, "target": target} for year, target in view.targets],
        "breaks": [{"date": b.date.isoformat(), "reason": b.reason} for b in view.breaks],
        "threshold": view.threshold,
        "restricted": exact,
        "latest": point_record(view.latest) if view.latest else None,
        "year_earlier": point_record(view.year_earlier) if view.year_earlier else None,
        "travel": travel_record(view.travel),
        "year_to_date": year_record(view.year_to_date) if view.year_to_date else None,
        "years": [year_record(year) for year in view.years],
        "series": [point_record(point) for point in view.series],
    }


def render_json(views: Sequence[MeasureView], *, exact: bool) -> str:
    import json

    return json.dumps([measure_record(v, exact=exact) for v in views], indent=2, ensure_ascii=False) + "\n"


# --- CSV ----------------------------------------------------------------------------------------


def cell(figure: Figure | None) -> str | int | float:
    """A figure for a spreadsheet: a bare number it can add up (1234, 5.98, -2), or "<5" / "withheld".

    A number stays a number, so the formula guard (for text) never turns -2 into "'-2"."""
    if figure is None:
        return ""
    if figure.exact is None:
        return figure.text
    value = figure.exact
    return int(value) if float(value).is_integer() else value


def action_text(view: MeasureView) -> str:
    return f"action {view.action}" if view.action is not None else "whole plan"


MEASURE_COLUMNS = (
    "Code",
    "Name",
    "Unit",
    "Action",
    "Lead",
    "Latest period",
    "Latest",
    "Year earlier period",
    "Year earlier",
    "Change",
    "Year",
    "Year to date",
    "Year complete",
    "Target",
    "Against target",
    "Year on year",
)


def measures_csv(views: Sequence[MeasureView]) -> bytes:
    """`vawg measures --format csv`: one row per measure, the table's cells as the table shows them."""
    rows = []
    for view in views:
        latest, earlier, year = view.latest, view.year_earlier, view.year_to_date
        rows.append(
            [
                view.code,
                view.name,
                view.unit,
                action_text(view),
                view.lead,
                latest.label if latest else "",
                cell(latest.figure if latest else None),
                earlier.label if earlier else "",
                cell(earlier.figure if earlier else None),
                view.travel.words if view.travel else "",
                year.label if year else "",
                cell(year.figure if year else None),
                ("yes" if year.complete else "no") if year else "",
                cell(Figure(year.target)) if year and year.target is not None else "",
                (year.against_target or "") if year else "",
                year.travel.words if year and year.travel else "",
            ]
        )
    return spreadsheet_csv(MEASURE_COLUMNS, rows)


FIGURE_COLUMNS = ("Code", "Name", "Unit", "Action", "Lead", "Period", "Value", "Withheld", "Note", "By")


def figures_csv(views: Sequence[MeasureView]) -> bytes:
    """`vawg export --measures`: one row per figure, then one per year of a count ("2024/25 total").

    A year still running is "2025/26 to date". A level (a score, a rate) is read, not added, so it
    has no year rows: its year is its latest figure, already a row.
    """
    rows: list[list[object]] = []
    for view in views:
        declared = [view.code, view.name, view.unit, action_text(view), view.lead]
        for point in view.series:
            note = point.note if point.figure.withheld is None else None
            withheld = point.figure.withheld or ""
            rows.append([*declared, point.label, cell(point.figure), withheld, note or "", point.by or ""])
        if view.level:
            continue
        for year in view.years:
            label = f"{year.label} total" if year.complete else f"{year.label} to date"
            rows.append([*declared, label, cell(year.figure), year.figure.withheld or "", "", ""])
    return spreadsheet_csv(FIGURE_COLUMNS, rows)
