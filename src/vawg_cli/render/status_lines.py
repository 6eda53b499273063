"""The status table for a terminal written line by line, for plans too long for Rich to draw fast.

Rich lays out every cell of every row (measuring, wrapping, styling) before it prints: about four
seconds for ten thousand rows, where the coordinator waits in a terminal. This writer draws the
same table (the same columns, widths, wrapping and colours, tested to give the same text as
`print_table`) by padding strings, so a long plan prints as fast as it is computed. A short plan
keeps Rich, and so does a terminal too narrow for a table (the cards).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date
from operator import attrgetter
from typing import TextIO

from vawg_cli.model.codes import Rag
from vawg_cli.render.marks import RAG_COLOURS
from vawg_cli.render.status_text import (
    _GAP,
    _TITLE_MIN,
    Face,
    Shown,
    Texts,
    Wording,
    _leads,
    all_figures,
    heading,
    output_lines,
    summary,
    table_layout,
)
from vawg_cli.render.title_wrap import title_lines, wrapped_output
from vawg_cli.text import printable

_TITLE, _LEADS = attrgetter("title"), attrgetter("leads")


def _ref(face: Face) -> str:
    return face.ref or ""


ROWS_FOR_RICH = 200
"""Up to this many rows Rich draws the table (a fraction of a second); beyond, this module does."""

_RESET = "\x1b[0m"


def _rgb(hex_colour: str) -> str:
    return ";".join(str(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5))


_LABELS = {rag: f" {rag.value.upper()} " for rag in Rag}
_RAG_SGR = {
    rag: f"\x1b[1;38;2;{_rgb(text)};48;2;{_rgb(background)}m" for rag, (background, text) in RAG_COLOURS.items()
}


Figures = Sequence[tuple[str, str, str, str]]


def fits(width: int, statuses: Sequence[Shown], rows: Figures | None = None) -> bool:
    """Whether the terminal is wide enough for a table at all (else Rich draws cards).

    `rows`: each status's `all_figures`, where the caller has them already."""
    return table_layout(width, rows or all_figures(statuses), statuses)[3] >= _TITLE_MIN


def narrow(statuses: Sequence[Shown], texts: Texts | None) -> bool:
    """Whether every character the rows show takes one column, as this writer counts them.

    Rich measures text by the columns a terminal gives it (two for a Chinese character or an
    emoji, none for a combining accent or a zero-width space); this writer pads by characters.
    Rows with such text are drawn by Rich, so that the columns still line up. Nearly every plan
    is ASCII, which is checked first."""
    faces = [status.action for status in statuses]
    # One check over all of it, in C, for the usual plan.
    shown = [*map(_TITLE, faces), *map(_ref, faces), *map("".join, map(_LEADS, faces))]
    shown += [pair[1] for lines in (texts or {}).values() for pair in lines]
    if "".join(shown).isascii():
        return True
    wider = [text for text in shown if text and not text.isascii()]
    from rich.cells import get_character_cell_size

    return all(get_character_cell_size(character) == 1 for text in wider for character in text)


def write_table(
    out: TextIO,
    statuses: Sequence[Shown],
    settings: Wording,
    as_of: date,
    total: int,
    texts: Texts | None,
    *,
    width: int,
    colour: bool,
    rows: Figures | None = None,
) -> None:
    """The table `print_table` draws, written directly, without the spaces Rich pads lines with.

    `rows`: each status's `all_figures`, where the caller has them already."""

    def styled(text: str, sgr: str) -> str:
        return f"{sgr}{text}{_RESET}" if colour and sgr and text else text

    rows = rows or all_figures(statuses)
    fixed, leads_apart, leads_width, title_width = table_layout(width, rows, statuses)
    texts = texts or {}
    widths = [fixed[0], title_width, *([leads_width] if leads_apart else []), fixed[1], fixed[2], fixed[3]]
    out.write(styled(printable(heading(settings, as_of)), "\x1b[1m") + "\n")
    names = ["ID", "Action", *(["Leads"] if leads_apart else []), "RAG", "Due", "State"]
    # A heading wider than its column (Leads over leads of three letters) wraps, and the others
    # sit on its last line, as Rich aligns a header row to the bottom.
    folded = [_fold(name, w) for name, w in zip(names, widths, strict=True)]
    tall = max(len(parts) for parts in folded)
    for row in range(tall):
        cells = []
        for index, (parts, w) in enumerate(zip(folded, widths, strict=True)):
            at = row - (tall - len(parts))
            text = parts[at] if at >= 0 else ""
            cells.append(
                styled(text.rjust(w) if index == 0 else text, "\x1b[1m") + ("" if index == 0 else " " * (w - len(text)))
            )
        out.write("   ".join(cells).rstrip(" ") + "\n")
    out.write("─" * (sum(widths) + _GAP * (len(widths) - 1)) + "\n")
    # Each row's lines after its first have the figures' columns blank, and no line has trailing
    # spaces (a terminal shows none, and they were a third of what a long table wrote). A few
    # hundred dates, states and partner lists recur down ten thousand rows: each cell is made once.
    id_width, rag_width, due_width, _ = fixed
    indent = " " * id_width + "   "
    leads_sgr = "\x1b[2m" if colour else ""
    italic = "\x1b[3m" if colour else ""
    reset = _RESET if colour else ""
    rag_cells = {rag: styled(label, _RAG_SGR[rag]) + " " * (rag_width - len(label)) for rag, label in _LABELS.items()}
    figure_cells: dict[tuple[Rag, str, str, bool, bool], str] = {}
    leads_cells: dict[tuple[str, ...], list[str]] = {}
    block: list[str] = []
    for status, (number, _, due, state) in zip(statuses, rows, strict=True):
        face = status.action
        title = face.title
        lines = title_lines(title if title.isprintable() else printable(title), title_width)
        leads_key = face.leads
        if (folded_leads := leads_cells.get(leads_key)) is None:
            folded_leads = leads_cells[leads_key] = _fold(_leads(status), leads_width if leads_apart else title_width)
        figure_key = (status.rag, due, state, status.overdue, status.due_soon)
        if (figures := figure_cells.get(figure_key)) is None:
            state_sgr = "\x1b[1;31m" if status.overdue else "\x1b[33m" if status.due_soon else ""
            figures = figure_cells[figure_key] = "   ".join(
                (rag_cells[status.rag], due.ljust(due_width), styled(state, state_sgr))
            )
        extra = output_lines(status, texts, glue=True) if texts else ()
        if not leads_apart and not extra:  # the usual row: title lines, then the leads dimmed
            block.append(f"{number.rjust(id_width)}   {lines[0].ljust(title_width)}   {figures}")
            block += [indent + line for line in lines[1:]]
            block += [f"{indent}{leads_sgr}{line}{reset}" if line else indent.rstrip() for line in folded_leads]
        else:
            pairs = [(line, "") for line in lines]
            pairs += [(line, italic) for output in extra for line in wrapped_output(printable(output), title_width)]
            if not leads_apart:
                pairs += [(line, leads_sgr) for line in folded_leads]
            leads = folded_leads if leads_apart else []
            for row in range(max(len(pairs), len(leads), 1)):
                text, sgr = pairs[row] if row < len(pairs) else ("", "")
                cell = f"{sgr}{text}{reset}" if sgr and text else text
                # Padded by the text's own width, not its colour codes'.
                pad = " " * (title_width - len(text))
                if leads_apart:
                    cell += pad + "   " + (leads[row] if row < len(leads) else "").ljust(leads_width)
                    pad = ""
                if row == 0:
                    block.append(f"{number.rjust(id_width)}   {cell}{pad}   {figures}")
                else:
                    block.append((indent + cell).rstrip(" "))
        if len(block) > 2000:  # written in pieces: a long table starts to show at once
            out.write("\n".join(block) + "\n")
            block = []
    if block:
        out.write("\n".join(block) + "\n")
    out.write(summary(statuses, total) + "\n")
    _write_key(out, settings, width, colour)


_OTHER_SPACE = frozenset("\t\n\x0b\x0c\r")


def _fold(text: str, width: int) -> list[str]:
    """Words wrapped as Rich wraps a cell: between words, a word longer than the line cut."""
    # Most cells (a partner code or two) fit as they are; textwrap would give them back whole.
    if 0 < len(text) <= width and text[0] != " " and text[-1] != " " and _OTHER_SPACE.isdisjoint(text):
        return [text]
    width = max(width, 1)
    words = text.split(" ")
    if "" in words or not _OTHER_SPACE.isdisjoint(text):  # other spacing: textwrap's rules, as before
        return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]
    # Words one space apart, as Rich folds them: a word too long for any line starts a line of
    # its own and is cut into lines of `width`, the last of which the next words may join
    # (textwrap would fill the line before with its start instead).
    lines: list[str] = []
    line = ""  # with the space after each word, as Rich counts a line's length
    last = len(words) - 1
    for index, word in enumerate(words):
        spaced = word if index == last else word + " "
        if width - len(line) >= len(word):
            line += spaced
        elif len(word) > width:
            if line:
                lines.append(line)
            pieces = [spaced[start : start + width] for start in range(0, len(spaced), width)]
            lines += pieces[:-1]
            line = pieces[-1]
        else:
            lines.append(line)
            line = spaced
    lines.append(line)
    return [line.rstrip(" ") for line in lines]


def _write_key(out: TextIO, settings: Wording, width: int, colour: bool) -> None:
    entries = [(f" {rag.value.upper()} ", f" {printable(settings.rag_wording(rag))}", rag) for rag in Rag]

    def entry(label: str, words: str, rag: Rag) -> str:
        return (f"{_RAG_SGR[rag]}{label}{_RESET}" if colour else label) + words

    if sum(len(label) + len(words) + 2 for label, words, _ in entries) + 5 <= width:
        out.write("Key: " + "  ".join(entry(*e) for e in entries) + "\n")
        return
    out.write("Key:\n")
    for label, words, rag in entries:
        line = label + words
        for start in range(0, max(len(line), 1), width):  # folded, as Rich folds a long wording
            piece = line[start : start + width]
            if start == 0 and colour:
                piece = f"{_RAG_SGR[rag]}{label}{_RESET}" + piece[len(label) :]
            out.write(piece + "\n")
