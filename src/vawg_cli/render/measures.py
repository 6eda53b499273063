"""`vawg measures` for people: a Rich table in a terminal (cards when it is narrow), plain lines piped.

Every figure comes from a `MeasureView`: small counts are already withheld there, so nothing here
can print one. Figures (a count, its period, "122 of 400 (30%)") are never cut: their columns
take the width their longest entry needs, and the measure's name and the words of its direction
of travel take what is left. Plan text is escaped with `printable`, never read as Rich markup.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from vawg_cli.core.disclosure import number_text
from vawg_cli.core.measures import MeasureView, Point, YearFigure
from vawg_cli.model.records import PlanSettings
from vawg_cli.render.measure_data import action_text
from vawg_cli.render.status_text import NBSP
from vawg_cli.text import one_line, plural, printable

if TYPE_CHECKING:
    from rich.console import Console


def output_words(view: MeasureView, *, glue: bool = False) -> str | None:
    """An action's output over its latest year, for `vawg status`: "Professionals trained 122 of 400
    (30%), 2025/26 to date"; None before its first figure. `glue`: the figure and the year each
    held together with no-break spaces, for a renderer that wraps the line."""
    year = view.year_to_date
    if year is None:
        return None
    amount, when = year_amount(year, level=view.level), year_label(year)
    if glue:
        amount, when = amount.replace(" ", NBSP), when.replace(" ", NBSP)
    return f"{one_line(view.name)} {amount}, {when}"


def year_amount(year: YearFigure, *, level: bool) -> str:
    """The year's figure against its target where it has one; a withheld figure never gets a share."""
    if year.against_target is not None:
        return year.against_target
    if year.target is None:
        return year.figure.text
    target = number_text(year.target)
    if level:
        return f"{year.figure.text} against a target of {target}"
    # "<5 of 400" says no more than "<5"; a figure withheld to protect another has no amount at all.
    return f"{year.figure.text} of {target}" if year.figure.withheld == "small" else f"withheld (target {target})"


def year_label(year: YearFigure) -> str:
    return f"{year.label} full year" if year.complete else f"{year.label} to date"


def point_text(point: Point | None) -> tuple[str, str]:
    """(figure, period) of a point, or a dash."""
    return (point.figure.text, point.label) if point else ("-", "")


def travel_text(view: MeasureView) -> str:
    if view.latest is None:
        return "no figures yet"
    if view.travel is None:
        return ""
    return f"{view.travel.arrow} {view.travel.words}".strip()


def describe(view: MeasureView) -> list[str]:
    """ "TRAINED · action 5 · lead LBB": what a measure belongs to, under its name, in parts that
    wrap between each other rather than inside one ("lead Met" never splits)."""
    return [printable(view.code), action_text(view), printable(f"lead {view.lead}")]


def _packed(parts: Sequence[str], width: int, indent: str = "") -> list[str]:
    """Parts joined with " · ", a new line where the next would not fit; a part too long for a line wraps."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + 3 + len(part) <= width:
            lines[-1] += " · " + part
            continue
        prefix = indent if lines else ""
        lines.extend(prefix + piece for piece in _wrap(part, width - len(prefix)))
    return lines


def withheld_note(views: Sequence[MeasureView], *, exact: bool) -> str | None:
    """One line under the table: what the public view hides and how to see it, or that it hides nothing."""
    if exact:
        return "RESTRICTED: exact figures, small counts included. Do not publish or share beyond the partnership."
    hidden = [v for v in views if v.withheld]
    if not hidden:
        return None
    which = ", ".join(v.code for v in hidden) if len(hidden) <= 3 else plural(len(hidden), "measure")
    small = " or ".join(sorted({f"<{v.threshold}" for v in hidden}))
    return printable(
        f"Small counts are withheld in {which}: a count under the threshold shows as {small}, and 'withheld' "
        "hides a figure a total would give back. --include-restricted shows every figure."
    )


def heading(settings: PlanSettings, as_of: date) -> str:
    return printable(f"{settings.title}: measures, as of {as_of.day} {as_of:%B %Y}")


# --- The terminal table -------------------------------------------------------------------------

_NAME_MIN = 24
_TRAVEL_COLUMN_FROM = 30  # the name's width left beside a travel column of its own, or travel goes under it
_TRAVEL_WIDTH = 30
_GAP = 3
_HEADERS = ("Latest", "Year before", "Year to date")


def _figure_cells(view: MeasureView) -> tuple[tuple[str, str], ...]:
    """The three figure columns, two lines each: the figure, then its period."""
    year = view.year_to_date
    ytd = (year_amount(year, level=view.level), year_label(year)) if year else ("-", "")
    return point_text(view.latest), point_text(view.year_earlier), ytd


def print_table(
    console: Console, views: Sequence[MeasureView], settings: PlanSettings, as_of: date, *, exact: bool
) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    width = console.width
    console.print(Text(heading(settings, as_of), style="bold"))
    if not views:
        console.print(Text("The plan has no measures yet: add one as measures/CODE.yaml (see the README)."))
        return
    cells = [_figure_cells(v) for v in views]
    fixed = [max(len(s) for s in (_HEADERS[i], *(part for c in cells for part in c[i]))) for i in range(3)]
    travels = [printable(travel_text(v)) for v in views]
    travel_width = min(_TRAVEL_WIDTH, max(len(t) for t in travels))
    name_width = width - sum(fixed) - _GAP * 3
    travel_apart = name_width - travel_width - _GAP >= _TRAVEL_COLUMN_FROM
    if travel_apart:
        name_width -= travel_width + _GAP
    if name_width < _NAME_MIN:
        _print_cards(console, views, cells, travels, width)
    else:
        # A blank line between measures: each takes a few lines, and rows that touch read as one.
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1), show_edge=False, expand=False, leading=1)
        table.add_column("Measure", width=name_width, overflow="fold")
        for header, size in zip(_HEADERS, fixed, strict=True):
            table.add_column(header, width=size, no_wrap=True)
        if travel_apart:
            table.add_column("Travel", width=travel_width, overflow="fold")
        for view, figures, travel in zip(views, cells, travels, strict=True):
            name = Text("\n".join(_wrap(printable(one_line(view.name)), name_width)))
            name.append("\n" + "\n".join(_packed(describe(view), name_width)), style="dim")
            if not travel_apart and travel:
                name.append("\n" + "\n".join(_wrap(travel, name_width)), style=_travel_style(view))
            row = [name, *(Text(f"{figure}\n{period}") for figure, period in figures)]
            if travel_apart:
                row.append(Text("\n".join(_wrap(travel, travel_width)), style=_travel_style(view)))
            table.add_row(*row)
        console.print(table)
    for line in _footer(views, exact=exact):
        console.print(Text(line))


def _footer(views: Sequence[MeasureView], *, exact: bool) -> list[str]:
    outputs = sum(v.action is not None for v in views)
    whole = len(views) - outputs
    lines = [f"{plural(len(views), 'measure')}: {plural(outputs, 'output')} of actions, {whole} of the whole plan"]
    note = withheld_note(views, exact=exact)
    return [*lines, note] if note else lines


def _travel_style(view: MeasureView) -> str:
    """Green or red where the measure says which way is better; dim where nothing was compared."""
    if view.travel is None or view.travel.direction is None:
        return "dim"
    if view.travel.better is None:
        return ""
    return "green" if view.travel.better else "red"


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Text wrapped at spaces; a word longer than the line (a code, an address) is broken, a figure never is."""
    return textwrap.wrap(
        " ".join(text.split()),
        max(width, 10),
        subsequent_indent=indent,
        break_long_words=True,
        break_on_hyphens=False,
    ) or [""]


def _print_cards(
    console: Console,
    views: Sequence[MeasureView],
    cells: Sequence[tuple[tuple[str, str], ...]],
    travels: Sequence[str],
    width: int,
) -> None:
    """A terminal too narrow for a table: one small card per measure, a figure and its period a line."""
    from rich.text import Text

    indent = "  "
    inner = width - len(indent)
    for number, (view, figures, travel) in enumerate(zip(views, cells, travels, strict=True)):
        if number:
            console.print()  # cards that touch read as one
        console.print(Text("\n".join(_packed(describe(view), width, indent)), style="bold"))
        lines = _wrap(printable(one_line(view.name)), inner)
        for header, shown in zip(_HEADERS, _one_line(figures), strict=True):
            lines.extend(_wrap(f"{header}: {shown}", inner, indent))
        body = Text("\n".join(indent + line for line in lines))
        if travel:
            body.append("\n" + "\n".join(indent + line for line in _wrap(travel, inner)), style=_travel_style(view))
        console.print(body)


def _one_line(figures: tuple[tuple[str, str], ...]) -> list[str]:
    """The figure cells on one line each: "50 (2025/26 Q4)", and the year "116 of 200 (58%), 2025/26 to date"."""
    points = [f"{figure} ({period})" if period else figure for figure, period in figures[:2]]
    amount, year = figures[2]
    return [*points, f"{amount}, {year}" if year else amount]


# --- Plain lines, when piped --------------------------------------------------------------------


def render_plain(views: Sequence[MeasureView], settings: PlanSettings, as_of: date, *, exact: bool) -> str:
    """Aligned columns, one line per measure with its name and direction of travel last, so grep works."""
    header = ("CODE", "FOR", "LEAD", "LATEST", "YEAR BEFORE", "YEAR TO DATE", "MEASURE")
    rows = []
    for view in views:
        shown = _one_line(_figure_cells(view))
        travel = travel_text(view)
        name = " ".join(view.name.split()) + (f": {travel}" if travel else "")
        rows.append((view.code, action_text(view), view.lead, *shown, name))
    rows = [tuple(printable(cell) for cell in row) for row in rows]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    lines = [heading(settings, as_of), ""]
    for row in [header, *rows]:
        lines.append("  ".join([*(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)), row[-1]]))
    lines += ["", *_footer(views, exact=exact)]
    return "\n".join(lines) + "\n"


def write_table(views: Sequence[MeasureView], settings: PlanSettings, as_of: date, *, exact: bool) -> None:
    """`vawg measures` to standard output: a table in a terminal, plain lines piped."""
    import sys

    if sys.stdout.isatty():
        from rich.console import Console

        print_table(Console(), views, settings, as_of, exact=exact)
    else:
        sys.stdout.write(render_plain(views, settings, as_of, exact=exact))
