"""A filled return as read from its file, before the plan is consulted: the partner's own words.

The file's format (a workbook, a CSV) is read in interchange/returns/filled.py; what the rows
mean for the plan is decided in edit/returns.py. These records are what passes between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from vawg_cli.errors import Diagnostic
from vawg_cli.model.periods import Period
from vawg_cli.model.records import Rag


@dataclass(frozen=True)
class ReturnedUpdate:
    """A filled row of an action, as the partner wrote it (colour and date may be left blank)."""

    row: int
    action: int
    shown_ref: str
    """What the row's Ref cell says: the action's reference when the return was made."""
    seen: tuple[str, ...]
    rag: Rag | None
    note: str
    on: date | None
    restricted: bool
    next_steps: str | None = None
    """What is being done: blank, or a workbook made before the sheet asked, gives None."""
    board_ask: str | None = None


@dataclass(frozen=True)
class ReturnedFigure:
    row: int
    code: str
    period: Period
    value: int | float
    note: str | None = None


@dataclass(frozen=True)
class ReadReturn:
    """One return file as read, before the plan is consulted."""

    path: Path
    plan: str
    title: str
    quarter: str
    partner: str
    made: date
    updates: tuple[ReturnedUpdate, ...] = ()
    figures: tuple[ReturnedFigure, ...] = ()
    blank: tuple[int, ...] = ()
    """Actions whose rows were left blank: not returned."""
    blank_figures: int = 0
    problems: tuple[Diagnostic, ...] = ()
    """What reading the cells found wrong (a colour not of the five, a date that is not one)."""
