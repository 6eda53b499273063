"""The small marks every renderer shares: colour words and marks, dates, signed numbers.

One owner, so that the report and the diff (and any paper built later) write a colour or a day
the same way, byte for byte.
"""

from __future__ import annotations

from vawg_cli.model.codes import Rag
from vawg_cli.text import day

__all__ = ["RAG_COLOURS", "RAG_MARKS", "RAG_WORDS", "day", "signed"]

RAG_WORDS = {rag: rag.value.capitalize() for rag in Rag}
"""A colour as a word for people: "Red", "Amber"."""

# Colour is never shown alone (Markdown has none of its own, and some readers cannot tell
# colours apart): the mark sits beside the word, never instead of it.
RAG_MARKS = {
    Rag.RED: "🔴",
    Rag.AMBER: "🟠",
    Rag.GREEN: "🟢",
    Rag.BLUE: "🔵",
    Rag.GREY: "🔘",
}  # grey and dark, seen on white (⚪ is not)

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


def signed(number: int) -> str:
    """A change in a count, with its sign: "+2", "-1", and "±0" for none."""
    return f"+{number}" if number > 0 else ("±0" if number == 0 else str(number))
