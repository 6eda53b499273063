"""The codes a status row is made of: the colours, the lifecycle states and a lifecycle change.

Apart from the records (records.py, which re-exports them) so that `vawg status`'s quick path
(cli/quick.py) can read and draw its rows without building the record classes it does not use.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import NamedTuple


class Rag(str, Enum):
    """The five colours of the monitoring scale; a plan supplies their wording, not their codes."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    BLUE = "blue"
    GREY = "grey"


class Lifecycle(str, Enum):
    """Where an action stands beyond its colour: going ahead, paused, or stopped for good."""

    ACTIVE = "active"
    ON_HOLD = "on hold"
    WITHDRAWN = "withdrawn"


class LifecycleChange(NamedTuple):
    """A dated, reasoned change of an action's lifecycle: put on hold, withdrawn, or resumed.

    Nothing is ever deleted: a withdrawn action stays in the plan, and its history with it.
    """

    date: date
    state: Lifecycle
    reason: str
    superseded_by: int | None = None
    """The action that takes a withdrawn one's place, where there is one."""
