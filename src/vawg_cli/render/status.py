"""`vawg status` output: a Rich table in a terminal, plain lines when piped, JSON and CSV for tools.

Rich is imported only when a table is drawn: it is most of the start-up time of a short command.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from vawg_cli.core.measures import MeasureView
from vawg_cli.core.status import ActionStatus, StatusView
from vawg_cli.model.records import Action, Lifecycle, PlanSettings, Rag
from vawg_cli.model.schedule import is_recurring, target_kind
from vawg_cli.render.marks import RAG_COLOURS
from vawg_cli.render.measure_data import figure_record
from vawg_cli.render.measures import NBSP, output_words
from vawg_cli.text import iso, printable, spreadsheet_safe

if TYPE_CHECKING:
    from rich.console import Console

RAG_STYLES = {rag: f"bold {text} on {background}" for rag, (background, text) in RAG_COLOURS.items()}

Outputs = Mapping[int, Sequence[MeasureView]]
"""The public view of each action's outputs, by action id (`core.measures.outputs_by_action`)."""


def output_lines(status: ActionStatus, outputs: Outputs, *, glue: bool = False) -> list[str]:
    """ "Output: Professionals trained 122 of 400 (30%), 2025/26 to date", one per output with a figure.

    `glue`: each figure held together for wrapping (see `measures.NBSP`)."""
    views = outputs.get(status.action.id, ())
    return [f"Output: {words}" for view in views if (words := output_words(view, glue=glue))]


def output_records(status: ActionStatus, outputs: Outputs) -> list[dict[str, Any]]:
    records = []
    for view in outputs.get(status.action.id, ()):
        year = view.year_to_date
        if year is None or (words := output_words(view)) is None:
            continue
        records.append(
            {
                "code": view.code,
                "name": view.name,
                "unit": view.unit,
                "year": year.label,
                "complete": year.complete,
                **figure_record(year.figure),
                "target": year.target,
                "against_target": year.against_target,
                "words": words,
            }
        )
    return records


def as_record(status: ActionStatus, settings: PlanSettings, outputs: Outputs | None = None) -> dict[str, Any]:
    """One action's status as plain data: the JSON form, documented in the README."""
    action = status.action
    return {
        "id": action.id,
        "ref": action.ref,
        "title": action.title,
        "leads": list(action.leads),
        "target": action.target,
        "recurring": is_recurring(action.schedule),
        "target_kind": target_kind(action.schedule),
        "rag": status.rag.value,
        "rag_meaning": settings.rag_wording(status.rag),
        "due": iso(status.due),
        "next_due": iso(status.next_due),
        "overdue": status.overdue,
        "overdue_since": iso(status.overdue_since),
        "due_soon": status.due_soon,
        "complete": status.complete,
        "state": status.state,
        "lifecycle": status.action.state.value,
        "superseded_by": status.set_aside.superseded_by if status.set_aside else None,
        "last_update": iso(status.latest.date if status.latest else None),
        "outputs": output_records(status, outputs or {}),
    }


def render_json(statuses: Sequence[ActionStatus], settings: PlanSettings, outputs: Outputs | None = None) -> str:
    import json

    records = [as_record(s, settings, outputs) for s in statuses]
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = ("id", "title", "leads", "target", "rag", "due", "overdue", "due_soon", "state", "last_update", "outputs")


def render_csv(statuses: Sequence[ActionStatus], settings: PlanSettings, outputs: Outputs | None = None) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for status in statuses:
        record = as_record(status, settings, outputs)
        record["leads"] = "; ".join(record["leads"])
        record["outputs"] = "; ".join(output["words"] for output in record["outputs"])
        cells = ("" if record[c] is None else record[c] for c in CSV_COLUMNS)
        writer.writerow([spreadsheet_safe(cell) if isinstance(cell, str) else cell for cell in cells])
    return out.getvalue()


def summary(statuses: Sequence[ActionStatus], total: int) -> str:
    shown = f"{len(statuses)} of {total} actions" if len(statuses) != total else f"{total} actions"
    overdue = sum(s.overdue for s in statuses)
    soon = sum(s.due_soon for s in statuses)
    complete = sum(s.complete for s in statuses)
    # Counted apart, and only when there are any: most plans never set an action aside.
    aside = [
        f"{number} {state.value}"
        for state in (Lifecycle.WITHDRAWN, Lifecycle.ON_HOLD)
        if (number := sum(s.set_aside is not None and s.set_aside.state is state for s in statuses))
    ]
    return ", ".join([f"{shown}: {overdue} overdue, {soon} due soon, {complete} complete", *aside])


def heading(settings: PlanSettings, as_of: date) -> str:
    return f"{settings.title}, as of {as_of.day} {as_of:%B %Y}"


def render_plain(
    statuses: Sequence[ActionStatus], settings: PlanSettings, as_of: date, total: int, outputs: Outputs | None = None
) -> str:
    """Aligned columns with one line per action and the title last (then its outputs), so grep and sort work."""
    header = ("ID", "RAG", "DUE", "STATE", "LEADS", "ACTION")
    rows = [
        (
            shown_id(s.action),
            s.rag.value.upper(),
            iso(s.due) or "-",
            s.state,
            printable(", ".join(s.action.leads)),
            # One line per action, even for a title written over two.
            printable(" | ".join([" ".join(s.action.title.split()), *output_lines(s, outputs or {})])),
        )
        for s in statuses
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    lines = [printable(heading(settings, as_of)), summary(statuses, total), ""]
    for row in [header, *rows]:
        cells = [
            row[0].rjust(widths[0]),
            *(cell.ljust(width) for cell, width in zip(row[1:-1], widths[1:], strict=True)),
        ]
        lines.append("  ".join([*cells, row[-1]]))
    return "\n".join(lines) + "\n"


# The terminal table. Figures (ids, colours, dates, states) are never cut: their columns take
# the width their longest entry needs, and the title takes what is left, shortened to a few
# lines rather than a column of one-word lines. Below _LEADS_COLUMN_FROM columns the leads go
# under the title; below the width the figures and a readable title need, each action becomes a
# small card instead of a row.
_LEADS_COLUMN_FROM = 100
_LEADS_WIDTH = 18
_TITLE_MIN = 24
_TITLE_LINES = 3
# Between two columns: a cell's padding on either side and the table's blank divider.
_GAP = 3


def print_table(
    console: Console,
    statuses: Sequence[ActionStatus],
    settings: PlanSettings,
    as_of: date,
    total: int,
    outputs: Outputs | None = None,
) -> None:
    from rich import box
    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text

    width = console.width
    rows = [_figures(s) for s in statuses]
    fixed, leads_apart, leads_width, title_width = table_layout(width, rows, statuses)
    console.print(Text(printable(heading(settings, as_of)), style="bold"))
    outputs = outputs or {}
    if title_width < _TITLE_MIN:
        _print_cards(console, statuses, rows, width, outputs)
    else:
        # Titles and codes are the plan's text, never Rich markup: "[DRAFT] Review" prints as written.
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1), show_edge=False, expand=False)
        table.add_column("ID", justify="right", width=fixed[0], no_wrap=True)
        table.add_column("Action", width=title_width, overflow="fold")
        if leads_apart:
            table.add_column("Leads", width=leads_width, overflow="fold")
        table.add_column("RAG", width=fixed[1], no_wrap=True)
        table.add_column("Due", width=fixed[2], no_wrap=True)
        table.add_column("State", width=fixed[3], no_wrap=True)
        for status, (number, _, due, state) in zip(statuses, rows, strict=True):
            title = Text(_shorten(printable(status.action.title), title_width))
            for line in output_lines(status, outputs, glue=True):
                title.append("\n" + "\n".join(_wrap(printable(line), title_width)), style="italic")
            if not leads_apart:
                title.append("\n" + _leads(status), style="dim")
            cells: list[RenderableType] = [number, title, *([Text(_leads(status))] if leads_apart else [])]
            table.add_row(*cells, rag_label(status.rag), due, Text(state, style=_state_style(status)))
        console.print(table)
    console.print(Text(summary(statuses, total)))
    _print_key(console, settings, width)


def table_layout(
    width: int, rows: Sequence[tuple[str, str, str, str]], statuses: Sequence[ActionStatus]
) -> tuple[list[int], bool, int, int]:
    """The table's columns at `width`: the figures' widths, whether the leads have a column and
    its width, and what is left for the title (below _TITLE_MIN, cards are drawn instead).
    One rule for Rich's table and the one written directly (status_lines.py)."""
    header = ("ID", "RAG", "Due", "State")
    fixed = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    leads_apart = width >= _LEADS_COLUMN_FROM
    leads_width = min(_LEADS_WIDTH, max((len(_leads(s)) for s in statuses), default=5)) if leads_apart else 0
    columns = 5 + leads_apart
    return fixed, leads_apart, leads_width, width - sum(fixed) - leads_width - _GAP * (columns - 1)


def _figures(status: ActionStatus) -> tuple[str, str, str, str]:
    """The cells that must never be cut: id, colour label, due date and state."""
    due = f"{status.due:%d %b %Y}" if status.due else "-"
    return shown_id(status.action), f" {status.rag.value.upper()} ", due, status.state


def shown_id(action: Action) -> str:
    """The id, with the plan's own reference beside it where it has one: "3 (DAB 1)"."""
    if not action.ref:
        return str(action.id)
    # A long reference would push the figures off the line: a few characters identify it, and
    # the whole of it is in --format json.
    ref = printable(" ".join(action.ref.split()))
    return f"{action.id} ({ref if len(ref) <= _REF_SHOWN else ref[: _REF_SHOWN - 1] + '…'})"


_REF_SHOWN = 12


def _leads(status: ActionStatus) -> str:
    return printable(", ".join(status.action.leads))


def _state_style(status: ActionStatus) -> str:
    return "bold red" if status.overdue else "yellow" if status.due_soon else ""


def _shorten(title: str, width: int, lines: int = _TITLE_LINES) -> str:
    """The title wrapped to `width`, cut to `lines` lines with an ellipsis: the full text is in
    `--format json` and in the plain output."""
    import textwrap

    title = " ".join(title.split())
    if 0 < len(title) <= width:  # fits on its line: what textwrap would give back
        return title
    wrapped = textwrap.wrap(title, width, break_long_words=True)
    if len(wrapped) <= lines:
        return "\n".join(wrapped)
    kept = wrapped[:lines]
    # The last kept line ends in an ellipsis, cut back to a whole word if it would not fit.
    last = kept[-1]
    if len(last) + 1 > width:
        last = last[: width - 1].rsplit(" ", 1)[0] if " " in last[: width - 1] else last[: width - 1]
    kept[-1] = last + "…"
    return "\n".join(kept)


def _wrap(text: str, width: int) -> list[str]:
    """An output's line wrapped between words, never inside its glued figure (unless a sliver of a
    window is narrower than the figure itself)."""
    import textwrap

    lines = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False)
    return [line.replace(NBSP, " ") for line in lines]


def _print_cards(
    console: Console,
    statuses: Sequence[ActionStatus],
    rows: Sequence[tuple[str, str, str, str]],
    width: int,
    outputs: Outputs,
) -> None:
    """A terminal too narrow for a table: one small card per action, figures on their own line."""
    import textwrap

    from rich.text import Text

    id_width = max((len(row[0]) for row in rows), default=1)
    # Under the id, where there is room; in a sliver of a window, a small step, so that
    # "overdue 581 days" still fits on a line.
    indent = " " * (id_width + 2 if width >= 40 else 2)
    for status, (number, _, due, state) in zip(statuses, rows, strict=True):
        # The figures wrap between each other, never inside one ("30 Apr 2025", "overdue 581 days").
        line = Text(f"{number.rjust(id_width)}  ")
        line.append_text(rag_label(status.rag))
        used = len(line.plain.rsplit("\n", 1)[-1])
        for figure, style in ((due, ""), (state, _state_style(status))):
            if used + 2 + len(figure) > width:
                line.append(f"\n{indent}")
                used = len(indent)
            else:
                line.append("  ")
                used += 2
            line.append(figure, style=style)
            used += len(figure)
        console.print(line, overflow="fold")
        body = _shorten(printable(status.action.title), max(width - len(indent), 10))
        console.print(Text("\n".join(indent + part for part in body.split("\n"))))
        for output in output_lines(status, outputs, glue=True):
            wrapped = _wrap(printable(output), max(width - len(indent), 10))
            console.print(Text("\n".join(indent + part for part in wrapped), style="italic"))
        leads = textwrap.wrap(_leads(status), max(width - len(indent), 10), break_long_words=True)
        console.print(Text("\n".join(indent + part for part in leads), style="dim"))


def _print_key(console: Console, settings: PlanSettings, width: int) -> None:
    from rich.text import Text

    entries = []
    for rag in Rag:
        entry = rag_label(rag)
        entry.append(f" {printable(settings.rag_wording(rag))}")
        entries.append(entry)
    if sum(len(entry) + 2 for entry in entries) + 5 <= width:
        key = Text("Key: ")
        for entry in entries:
            key.append_text(entry)
            key.append("  ")
        console.print(key)
        return
    # One colour per line: a wording never breaks across two colours.
    console.print(Text("Key:"))
    for entry in entries:
        console.print(entry, overflow="fold")


def rag_label(rag: Rag) -> Any:
    from rich.text import Text

    return Text(f" {rag.value.upper()} ", style=RAG_STYLES[rag])


def write_status(view: StatusView, settings: PlanSettings, fmt: str, outputs: Outputs | None = None) -> None:
    """`vawg status` to standard output: json or csv for tools; a table in a terminal; plain lines piped."""
    import sys

    if fmt in ("json", "csv"):
        render = render_json if fmt == "json" else render_csv
        text = render(view.chosen, settings, outputs)
        # For tools when piped, as written; read in a terminal, plan text cannot act on it.
        sys.stdout.write(printable(text, newlines=True) if sys.stdout.isatty() else text)
    elif sys.stdout.isatty():
        from vawg_cli.render import status_lines

        if len(view.chosen) > status_lines.ROWS_FOR_RICH:
            import shutil

            width = shutil.get_terminal_size().columns  # COLUMNS, else the terminal's own width
            rows = [_figures(s) for s in view.chosen]
            if status_lines.fits(width, view.chosen, rows):
                from rich.console import Console

                # Colour as Rich would decide it (NO_COLOR, TERM=dumb), without Rich laying out rows.
                console = Console()
                colour = console.color_system is not None and not console.no_color
                status_lines.write_table(
                    sys.stdout,
                    view.chosen,
                    settings,
                    view.as_of,
                    view.total,
                    outputs,
                    width=width,
                    colour=colour,
                    rows=rows,
                )
                return
        from rich.console import Console

        print_table(Console(), view.chosen, settings, view.as_of, view.total, outputs)
    else:
        sys.stdout.write(render_plain(view.chosen, settings, view.as_of, view.total, outputs))
