"""The plan as the rest of vawg computes with it: plain frozen records, no validation library.

Files are validated by the pydantic models in `models.py`, which hand back these records. The
parse cache stores records, so a run over unchanged files never imports pydantic or PyYAML:
that is most of what keeps `vawg status` as quick as an empty Typer command.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from vawg_cli.model.codes import Lifecycle as Lifecycle  # re-exported: the plan's vocabulary in one place
from vawg_cli.model.codes import LifecycleChange as LifecycleChange
from vawg_cli.model.codes import Rag as Rag

if TYPE_CHECKING:  # a type only: the quick path of `vawg status` never loads the target parser
    from vawg_cli.model.schedule import Schedule

# The records are plain frozen dataclasses without __slots__: unpickling one from the parse cache
# then restores its __dict__ in C, several times faster than the field-by-field __setstate__ that
# slotted dataclasses use, which matters across a hundred thousand updates.


DEFAULT_RAG_WORDING = {
    Rag.RED: "Significant problems: delivery at risk",
    Rag.AMBER: "Some problems: delivery may slip",
    Rag.GREEN: "On track",
    Rag.BLUE: "Complete",
    Rag.GREY: "Not started",
}


class Update(NamedTuple):
    """One row of an action's progress log.

    A NamedTuple rather than a dataclass: a large plan holds a hundred thousand of these, and a
    tuple comes back out of the parse cache about twice as fast.
    """

    date: date
    rag: Rag
    note: str
    by: str | None = None
    restricted: bool = False
    next_steps: str | None = None
    """What is being done about it: the board paper shows it beside an exception."""
    board_ask: str | None = None
    """What the board is asked to decide or do, if anything."""


def colour_of(updates: Sequence[Update]) -> Rag:
    """An action's current colour: that of its latest update, grey when it has none.

    One rule, so that `vawg status` (and the report built on it) and `vawg diff` never disagree
    on an action's colour. `updates` are in date order, as `vawg check` requires: the latest is last.
    """
    return updates[-1].rag if updates else Rag.GREY


class TargetChange(NamedTuple):
    """A recorded change of an action's target, so slippage against the original stays visible."""

    date: date
    old: str
    new: str
    reason: str
    approved_by: str | None = None


@dataclass(frozen=True)
class Action:
    id: int
    title: str
    leads: tuple[str, ...]
    target: str
    schedule: Schedule
    updates: tuple[Update, ...] = ()
    owner: str | None = None
    theme: str | None = None
    description: str | None = None
    notes: str | None = None
    target_history: tuple[TargetChange, ...] = ()
    added: date | None = None
    """The day the action joined the plan; None for the plan's own actions, there from its start."""
    ref: str | None = None
    """The plan's own reference where it is not the id ("DAB 1", "1.1"), shown beside the id."""
    lifecycle: tuple[LifecycleChange, ...] = ()
    """Changes of the action's lifecycle, oldest first; none means active from the start."""

    @property
    def state(self) -> Lifecycle:
        """The lifecycle as the latest change left it (active when there is none)."""
        return self.lifecycle[-1].state if self.lifecycle else Lifecycle.ACTIVE

    @property
    def original_target(self) -> str:
        """The target the plan first set, before any recorded change."""
        return self.target_history[0].old if self.target_history else self.target


class Contact(NamedTuple):
    """Whom to write to at a partner, or whom partners send their returns to."""

    name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class ReturnsSettings:
    """When the quarterly returns are due, and where they go (plan.yaml's `returns`)."""

    days_after_quarter_end: int = 0
    """The deadline, counted from a quarter's last day: negative is before it ends."""
    deadlines: tuple[tuple[str, date], ...] = ()
    """Dated deadlines that override the count for their quarter ("2025-Q3", the day), e.g. before a board meeting."""
    send_to: Contact | None = None
    one_lead_enough: bool = False
    """A joint action needs a return from each of its leads, unless the plan says one is enough."""


class Marking(NamedTuple):
    """The protective marking on every page of a paper: UK Government Security Classifications wording."""

    public: str = "OFFICIAL"
    restricted: str = "OFFICIAL-SENSITIVE"
    """For a paper that includes restricted notes."""


@dataclass(frozen=True)
class PlanSettings:
    title: str
    start: date
    end: date
    partners: dict[str, str]
    year_start_month: int = 4
    due_soon_days: int = 30
    rag: dict[Rag, str] = field(default_factory=dict)
    suppress_below: int = 5
    """Counts from 1 up to below this are shown as "<5" in public outputs (a measure may set its own)."""
    contacts: dict[str, Contact] = field(default_factory=dict)
    """Partners' contacts for the quarterly returns, by partner code; a partner may have none."""
    returns: ReturnsSettings = field(default_factory=ReturnsSettings)
    marking: Marking = field(default_factory=Marking)
    example: bool = False
    """An example plan (the bundled one): its papers say so."""

    def rag_wording(self, rag: Rag) -> str:
        return self.rag.get(rag, DEFAULT_RAG_WORDING[rag])
