"""The paper's groupings of actions: by theme, and by partner (a partners-by-colours table).

Each action is listed once, under its theme (or in id order where the plan has none); the
partners' table counts, it does not list again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from vawg_cli.core.history import RagCounts, count
from vawg_cli.core.returns import partner_returns
from vawg_cli.model.quarters import Quarter
from vawg_cli.model.records import Action, PlanSettings

if TYPE_CHECKING:
    from vawg_cli.core.report import ActionLine

NO_THEME = "Other actions"
"""The group of actions without a theme, in a plan where others have one."""


@dataclass(frozen=True)
class PartnerSummary:
    """One row of the paper's partners-by-colours table."""

    code: str
    name: str
    lines: tuple[ActionLine, ...]
    """The partner's actions still counted (not on hold or withdrawn), by id."""
    counts: RagCounts
    set_aside: int = 0
    """Its actions on hold or withdrawn: counted here, not in the colours."""
    overdue: int = 0
    asked: int = 0
    """Actions its return for the quarter asks about (see core/returns.py)."""
    returned: int = 0
    """Of those, how many it has answered by the position date."""


@dataclass(frozen=True)
class ThemeGroup:
    """The actions under one theme of the plan, with their colour counts."""

    name: str
    lines: tuple[ActionLine, ...]
    counts: RagCounts


def theme_groups(lines: Sequence[ActionLine]) -> tuple[ThemeGroup, ...]:
    """The actions (in id order) under their themes, themes in order of their first action."""
    if not any(line.theme for line in lines):
        return ()
    groups: dict[str, list[ActionLine]] = {}
    for line in lines:
        groups.setdefault(line.theme or NO_THEME, []).append(line)
    if NO_THEME in groups:  # last, whatever its first id
        groups[NO_THEME] = groups.pop(NO_THEME)
    return tuple(
        ThemeGroup(name, tuple(group), count(line.rag for line in group if line.set_aside is None))
        for name, group in groups.items()
    )


def partner_rows(
    lines: Sequence[ActionLine], settings: PlanSettings, known: Sequence[Action], quarter: Quarter, as_at: date
) -> tuple[PartnerSummary, ...]:
    """A row for each partner that leads an action, in plan.yaml's order.

    Returns received are counted by the returns' own rule (`vawg returns status`), from what was
    known on the position date: `known` are the actions as they stood then.
    """
    returns = {r.code: r for r in partner_returns(settings, known, (), quarter, as_at)}
    rows = []
    for code, name in settings.partners.items():
        theirs = [line for line in lines if code in line.leads]
        if not theirs:
            continue
        counted = tuple(line for line in theirs if line.set_aside is None)
        asked = returns.get(code)
        rows.append(
            PartnerSummary(
                code,
                name,
                counted,
                count(line.rag for line in counted),
                set_aside=len(theirs) - len(counted),
                overdue=sum(line.overdue for line in counted),
                asked=len(asked.actions) if asked else 0,
                returned=len(asked.returned) if asked else 0,
            )
        )
    return tuple(rows)
