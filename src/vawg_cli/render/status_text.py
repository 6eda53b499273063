"""`vawg status` as text: the plain lines written when piped, and what the terminal table shares.

Light to import (no Rich, no parser), and written against what a row shows rather than how it
was worked out: an `ActionStatus` of the plan's records (core/status.py) and a row of the
quick path's compact form (core/compact.py) are drawn by the same code, so the two cannot
drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Protocol

from vawg_cli.model.codes import Lifecycle, LifecycleChange, Rag
from vawg_cli.render.marks import RAG_COLOURS
from vawg_cli.render.title_wrap import NBSP as NBSP  # re-exported: the renderers' glue
from vawg_cli.render.title_wrap import shortened, single_spaced, wrapped_output
from vawg_cli.text import printable

if TYPE_CHECKING:
    from rich.console import Console

RAG_STYLES = {rag: f"bold {text} on {background}" for rag, (background, text) in RAG_COLOURS.items()}


class Face(Protocol):
    """What the table shows of an action itself."""

    @property
    def id(self) -> int: ...
    @property
    def ref(self) -> str | None: ...
    @property
    def title(self) -> str: ...
    @property
    def leads(self) -> tuple[str, ...]: ...


class Shown(Protocol):
    """What the table shows of an action's status on a day."""

    @property
    def action(self) -> Face: ...
    @property
    def rag(self) -> Rag: ...
    @property
    def due(self) -> date | None: ...
    @property
    def state(self) -> str: ...
    @property
    def overdue(self) -> bool: ...
    @property
    def due_soon(self) -> bool: ...
    @property
    def complete(self) -> bool: ...
    @property
    def set_aside(self) -> LifecycleChange | None: ...


class Wording(Protocol):
    """What the table shows of the plan's settings: its title and its colours' wording."""

    @property
    def title(self) -> str: ...
    def rag_wording(self, rag: Rag) -> str: ...


Texts = Mapping[int, Sequence[tuple[str, str]]]
"""Each action's output lines by id, as written ("Output: Professionals trained 122 of 400 ...")
and with each figure glued by no-break spaces for a renderer that wraps (see `measures.NBSP`)."""


def output_lines(status: Shown, texts: Texts, *, glue: bool = False) -> list[str]:
    return [pair[glue] for pair in texts.get(status.action.id, ())]


def summary(statuses: Sequence[Shown], total: int) -> str:
    shown = f"{len(statuses)} of {total} actions" if len(statuses) != total else f"{total} actions"
    overdue = soon = complete = 0
    aside: dict[Lifecycle, int] = {}
    for status in statuses:  # one pass: a long plan's rows are many
        overdue += status.overdue
        soon += status.due_soon
        complete += status.complete
        if (change := status.set_aside) is not None:
            aside[change.state] = aside.get(change.state, 0) + 1
    # Counted apart, and only when there are any: most plans never set an action aside.
    kinds = [f"{aside[state]} {state.value}" for state in (Lifecycle.WITHDRAWN, Lifecycle.ON_HOLD) if aside.get(state)]
    return ", ".join([f"{shown}: {overdue} overdue, {soon} due soon, {complete} complete", *kinds])


def heading(settings: Wording, as_of: date) -> str:
    return f"{settings.title}, as of {as_of.day} {as_of:%B %Y}"


def render_plain(
    statuses: Sequence[Shown], settings: Wording, as_of: date, total: int, texts: Texts | None = None
) -> str:
    """Aligned columns with one line per action and the title last (then its outputs), so grep and sort work."""
    header = ("ID", "RAG", "DUE", "STATE", "LEADS", "ACTION")
    texts = texts or {}
    rows = [header]
    append = rows.append
    # A long plan has a few partners and a few hundred due dates: each shown once, then looked up.
    days: dict[date | None, str] = {None: "-"}
    led: dict[tuple[str, ...], str] = {}
    # A loop, not calls per cell, reading each row's cells in one C call: a hundred thousand rows
    # are written in turn.
    for number, ref, title, action_leads, rag, due, state in map(_CELLS, statuses):
        # One line per action, even for a title written over two.
        if not single_spaced(title):
            title = printable(" ".join(title.split()))
        if texts and (lines := texts.get(number)):
            title = printable(" | ".join([title, *(pair[0] for pair in lines)]))
        if (day := days.get(due)) is None:
            day = days[due] = due.isoformat() if due else "-"
        if (leads := led.get(action_leads)) is None:
            leads = led[action_leads] = printable(", ".join(action_leads))
        append((_shown_id(number, ref) if ref else str(number), _LABELS[rag], day, state, leads, title))
    columns = list(zip(*rows, strict=True))
    w0, w1, w2, w3, w4 = (max(map(len, column)) for column in columns[:5])
    # One format for every line: a hundred thousand lines are each one call.
    line = f"%{w0}s  %-{w1}s  %-{w2}s  %-{w3}s  %-{w4}s  %s"
    out = [printable(heading(settings, as_of)), summary(statuses, total), ""]
    out += map(line.__mod__, rows)
    return "\n".join(out) + "\n"


_LABELS = {rag: rag.value.upper() for rag in Rag}
_CELLS = attrgetter("action.id", "action.ref", "action.title", "action.leads", "rag", "due", "state")


# The terminal table. Figures (ids, colours, dates, states) are never cut: their columns take
# the width their longest entry needs, and the title takes what is left, shortened to a few
# lines rather than a column of one-word lines. Below _LEADS_COLUMN_FROM columns the leads go
# under the title; below the width the figures and a readable title need, each action becomes a
# small card instead of a row.
_LEADS_COLUMN_FROM = 100
_LEADS_WIDTH = 18
_TITLE_MIN = 24
# Between two columns: a cell's padding on either side and the table's blank divider.
_GAP = 3


def table_layout(
    width: int, rows: Sequence[tuple[str, str, str, str]], statuses: Sequence[Shown]
) -> tuple[list[int], bool, int, int]:
    """The table's columns at `width`: the figures' widths, whether the leads have a column and
    its width, and what is left for the title (below _TITLE_MIN, cards are drawn instead).
    One rule for Rich's table and the one written directly (status_lines.py)."""
    header = ("ID", "RAG", "Due", "State")
    fixed = [max(map(len, column)) for column in zip(header, *rows, strict=True)]
    leads_apart = width >= _LEADS_COLUMN_FROM
    # A long plan has a handful of partner lists: each measured once.
    shared = {s.action.leads for s in statuses}
    leads_width = min(_LEADS_WIDTH, max((len(_joined(leads)) for leads in shared), default=5)) if leads_apart else 0
    columns = 5 + leads_apart
    return fixed, leads_apart, leads_width, width - sum(fixed) - leads_width - _GAP * (columns - 1)


def all_figures(statuses: Sequence[Shown]) -> list[tuple[str, str, str, str]]:
    """The cells of each status that must never be cut: id, colour label, due date and state.

    A long plan's few hundred due dates are each written once."""
    days: dict[date | None, str] = {None: "-"}
    labels = {rag: f" {rag.value.upper()} " for rag in Rag}
    figures = []
    for status in statuses:
        due = status.due
        if (shown := days.get(due)) is None:
            shown = days[due] = f"{due:%d %b %Y}"
        face = status.action
        figures.append((shown_id(face) if face.ref else str(face.id), labels[status.rag], shown, status.state))
    return figures


def shown_id(action: Face) -> str:
    """The id, with the plan's own reference beside it where it has one: "3 (DAB 1)"."""
    return _shown_id(action.id, action.ref)


def _shown_id(number: int, ref: str | None) -> str:
    if not ref:
        return str(number)
    # A long reference would push the figures off the line: a few characters identify it, and
    # the whole of it is in --format json.
    ref = printable(" ".join(ref.split()))
    return f"{number} ({ref if len(ref) <= _REF_SHOWN else ref[: _REF_SHOWN - 1] + '…'})"


_REF_SHOWN = 12


def _leads(status: Shown) -> str:
    return _joined(status.action.leads)


def _joined(leads: Sequence[str]) -> str:
    return printable(", ".join(leads))


def _state_style(status: Shown) -> str:
    return "bold red" if status.overdue else "yellow" if status.due_soon else ""


def print_table(
    console: Console,
    statuses: Sequence[Shown],
    settings: Wording,
    as_of: date,
    total: int,
    texts: Texts | None = None,
) -> None:
    from rich import box
    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text

    width = console.width
    rows = all_figures(statuses)
    fixed, leads_apart, leads_width, title_width = table_layout(width, rows, statuses)
    console.print(Text(printable(heading(settings, as_of)), style="bold"))
    texts = texts or {}
    if title_width < _TITLE_MIN:
        _print_cards(console, statuses, rows, width, texts)
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
            title = Text(shortened(printable(status.action.title), title_width))
            for line in output_lines(status, texts, glue=True):
                title.append("\n" + "\n".join(wrapped_output(printable(line), title_width)), style="italic")
            if not leads_apart:
                title.append("\n" + _leads(status), style="dim")
            cells: list[RenderableType] = [number, title, *([Text(_leads(status))] if leads_apart else [])]
            table.add_row(*cells, rag_label(status.rag), due, Text(state, style=_state_style(status)))
        console.print(table)
    console.print(Text(summary(statuses, total)))
    _print_key(console, settings, width)


def _print_cards(
    console: Console,
    statuses: Sequence[Shown],
    rows: Sequence[tuple[str, str, str, str]],
    width: int,
    texts: Texts,
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
        body = shortened(printable(status.action.title), max(width - len(indent), 10))
        console.print(Text("\n".join(indent + part for part in body.split("\n"))))
        for output in output_lines(status, texts, glue=True):
            wrapped = wrapped_output(printable(output), max(width - len(indent), 10))
            console.print(Text("\n".join(indent + part for part in wrapped), style="italic"))
        leads = textwrap.wrap(_leads(status), max(width - len(indent), 10), break_long_words=True)
        console.print(Text("\n".join(indent + part for part in leads), style="dim"))


def _print_key(console: Console, settings: Wording, width: int) -> None:
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


def write_text(
    statuses: Sequence[Shown], settings: Wording, as_of: date, total: int, texts: Texts | None = None
) -> None:
    """The status table in a terminal, else plain lines (piped): the chosen rows, most urgent first."""
    import os
    import sys

    if not sys.stdout.isatty():
        sys.stdout.write(render_plain(statuses, settings, as_of, total, texts))
        return
    from vawg_cli.render import status_lines

    if len(statuses) > status_lines.ROWS_FOR_RICH:
        import shutil

        width = shutil.get_terminal_size().columns  # COLUMNS, else the terminal's own width
        rows = all_figures(statuses)
        if status_lines.fits(width, statuses, rows) and status_lines.narrow(statuses, texts):
            colour = colours_a_terminal(os.environ, sys.platform)
            status_lines.write_table(
                sys.stdout, statuses, settings, as_of, total, texts, width=width, colour=colour, rows=rows
            )
            return
    from rich.console import Console

    print_table(Console(), statuses, settings, as_of, total, texts)


def colours_a_terminal(environ: Mapping[str, str], platform: str) -> bool:
    """Whether Rich would colour what it writes to a terminal (standard output is one), as its
    `Console` decides it from the environment: NO_COLOR, TTY_COMPATIBLE, FORCE_COLOR, TERM.

    Importing Rich to ask it took longer than writing a long table. Its rules are held to Rich's
    own answer by a test over every combination of those variables; on Windows, where Rich asks
    the console itself, Rich is asked."""
    if platform == "win32":
        from rich.console import Console

        console = Console()
        return console.color_system is not None and not console.no_color
    if environ.get("NO_COLOR", "") != "":
        return False
    compatible = environ.get("TTY_COMPATIBLE", "")
    if compatible == "0" or (compatible != "1" and environ.get("FORCE_COLOR") == ""):
        return False  # not a terminal, as Rich counts one
    return environ.get("TERM", "").lower() not in ("dumb", "unknown")
