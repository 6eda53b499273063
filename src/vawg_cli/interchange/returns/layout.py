"""Where a return sheet's cells are: its columns, made by workbook.py and read back by filled.py.

vawg reads a partner's answers by position, so a layout is fixed once workbooks are sent out.
When the columns change, the header's identity carries a new version, and each version keeps its
layout here: a workbook made by an earlier vawg, and filled since, still reads.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    heading: str
    width: int
    fill: bool = False


NOTE_WIDTH = 40
COLUMNS = (
    Column("Ref", 12),
    Column("Action", 38),
    Column("Target", 16),
    Column("Due", 13),
    Column("Latest update", 38),
    Column("New colour", 24, fill=True),
    Column("Progress this quarter", NOTE_WIDTH, fill=True),
    Column("What is being done", NOTE_WIDTH, fill=True),
    Column("What the board is asked to do (leave blank if nothing)", NOTE_WIDTH, fill=True),
    Column("Date of update", 14, fill=True),
    Column("Restricted?", 12, fill=True),
    Column("vawg", 30),  # hidden: the identity (identity.py)
)
COLOUR, NOTE, NEXT_STEPS, BOARD_ASK, DATE, RESTRICTED, IDENTITY = 6, 7, 8, 9, 10, 11, 12
"""The columns (1-based) of the workbooks vawg makes now."""
FIGURE, FIGURE_NOTE = COLOUR, NOTE
FIGURES_MARK = "figures"
"""The hidden cell beside the figures' headings: a row to pass over, not one added by hand."""
FIGURE_HEADINGS = ("Code", "Measure", "Period", "Unit", "Latest figure", "Figure", "Note on the figure")
NO = "No"
YES = "Yes"


@dataclass(frozen=True)
class Layout:
    """The columns (1-based) a version of the return sheet keeps its answers in."""

    version: str
    colour: int
    note: int
    date: int
    restricted: int
    identity: int
    next_steps: int | None = None
    board_ask: int | None = None
    """None in a workbook made before the sheet asked for them."""


LAYOUT = Layout("2", COLOUR, NOTE, DATE, RESTRICTED, IDENTITY, NEXT_STEPS, BOARD_ASK)
"""The layout of the workbooks vawg makes now, and the version their header's identity carries."""
LAYOUTS = (LAYOUT, Layout("1", COLOUR, NOTE, 8, 9, 10))
"""Every layout vawg has made, newest first: version 1 had no "What is being done" or board columns."""
WIDEST = max(layout.identity for layout in LAYOUTS)
"""The columns a reader takes from each row: enough for the identity of any layout."""


def layout_of(version: str) -> Layout | None:
    return next((layout for layout in LAYOUTS if layout.version == version), None)
