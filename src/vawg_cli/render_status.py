"""`vawg status` output: a Rich table in a terminal, plain lines when piped, JSON and CSV for tools.

Rich is imported only when a table is drawn: it is most of the start-up time of a short command.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from .records import PlanSettings, Rag
from .schedule import is_recurring
from .status import ActionStatus
from .terminal_text import printable

if TYPE_CHECKING:
    from rich.console import Console

# Colour is never the only signal (colour-blind readers): every label carries its word too.
# (background, text) pairs, each with a contrast ratio of at least 4.5:1 (WCAG AA); the HTML
# report uses the same pairs.
RAG_COLOURS = {
    Rag.RED: ("#b00020", "#ffffff"),
    Rag.AMBER: ("#ffbf00", "#000000"),
    Rag.GREEN: ("#1b7f3b", "#ffffff"),
    Rag.BLUE: ("#1f4e9c", "#ffffff"),
    Rag.GREY: ("#c8c8c8", "#000000"),
}
RAG_STYLES = {rag: f"bold {text} on {background}" for rag, (background, text) in RAG_COLOURS.items()}


def as_record(status: ActionStatus, settings: PlanSettings) -> dict[str, Any]:
    """One action's status as plain data: the JSON form, documented in the README."""
    action = status.action
    return {
        "id": action.id,
        "title": action.title,
        "leads": list(action.leads),
        "target": action.target,
        "recurring": is_recurring(action.schedule),
        "rag": status.rag.value,
        "rag_meaning": settings.rag_wording(status.rag),
        "due": _iso(status.due),
        "overdue": status.overdue,
        "overdue_since": _iso(status.overdue_since),
        "due_soon": status.due_soon,
        "complete": status.complete,
        "state": status.state,
        "last_update": _iso(status.latest.date if status.latest else None),
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def render_json(statuses: Sequence[ActionStatus], settings: PlanSettings) -> str:
    import json

    return json.dumps([as_record(s, settings) for s in statuses], indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = ("id", "title", "leads", "target", "rag", "due", "overdue", "due_soon", "state", "last_update")


def render_csv(statuses: Sequence[ActionStatus], settings: PlanSettings) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for status in statuses:
        record = as_record(status, settings)
        record["leads"] = "; ".join(record["leads"])
        writer.writerow(["" if record[c] is None else record[c] for c in CSV_COLUMNS])
    return out.getvalue()


def summary(statuses: Sequence[ActionStatus], total: int) -> str:
    shown = f"{len(statuses)} of {total} actions" if len(statuses) != total else f"{total} actions"
    overdue = sum(s.overdue for s in statuses)
    soon = sum(s.due_soon for s in statuses)
    complete = sum(s.complete for s in statuses)
    return f"{shown}: {overdue} overdue, {soon} due soon, {complete} complete"


def heading(settings: PlanSettings, as_of: date) -> str:
    return f"{settings.title}, as of {as_of.day} {as_of:%B %Y}"


def render_plain(statuses: Sequence[ActionStatus], settings: PlanSettings, as_of: date, total: int) -> str:
    """Aligned columns with one line per action and the title last, so grep and sort work."""
    header = ("ID", "RAG", "NEXT DUE", "STATE", "LEADS", "ACTION")
    rows = [
        (
            str(s.action.id),
            s.rag.value.upper(),
            _iso(s.due) or "-",
            s.state,
            printable(", ".join(s.action.leads)),
            printable(" ".join(s.action.title.split())),  # one line per action, even for a title written over two
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


def print_table(
    console: Console, statuses: Sequence[ActionStatus], settings: PlanSettings, as_of: date, total: int
) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    # Titles and codes are the plan's text, never Rich markup: "[DRAFT] Review" must print as written.
    table = Table(
        title=Text(heading(settings, as_of), style="bold"),
        caption=Text(summary(statuses, total)),
        box=box.SIMPLE_HEAD,
        expand=False,
    )
    table.add_column("ID", justify="right", no_wrap=True)
    table.add_column("Action", ratio=1, min_width=20)
    table.add_column("Leads")
    table.add_column("RAG", no_wrap=True)
    table.add_column("Next due", no_wrap=True)
    table.add_column("State", no_wrap=True)
    for status in statuses:
        state_style = "bold red" if status.overdue else "yellow" if status.due_soon else ""
        table.add_row(
            str(status.action.id),
            Text(status.action.title),
            Text(", ".join(status.action.leads)),
            rag_label(status.rag),
            f"{status.due:%d %b %Y}" if status.due else "-",
            Text(status.state, style=state_style),
        )
    console.print(table)
    key = Text("Key: ")
    for rag in Rag:
        key.append_text(rag_label(rag))
        key.append(f" {settings.rag_wording(rag)}  ")
    console.print(key)


def rag_label(rag: Rag) -> Any:
    from rich.text import Text

    return Text(f" {rag.value.upper()} ", style=RAG_STYLES[rag])
