"""The plan over time, for the paper: colours at each quarter's end, the same quarter of each year.

Pure, like the rest of the core: every figure is worked out from what was known on its own day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from vawg_cli.core.timeline import plan_on
from vawg_cli.model.quarters import Quarter, quarters_between
from vawg_cli.model.records import Action, PlanSettings, Rag, Update

RagCounts = dict[Rag, int]


def count(rags: Iterable[Rag]) -> RagCounts:
    counts = dict.fromkeys(Rag, 0)
    for rag in rags:
        counts[rag] += 1
    return counts


@dataclass(frozen=True)
class YearSummary:
    """One reporting year, at the same quarter as the report."""

    quarter: Quarter
    counts: RagCounts
    completed: tuple[tuple[int, str, date], ...]
    """(id, title, date) of the actions completed in that reporting year, up to the position date."""


@dataclass(frozen=True)
class QuarterCounts:
    quarter: Quarter
    counts: RagCounts


def colours_on(actions: Iterable[Action], day: date) -> RagCounts:
    """How many actions the plan held on `day` were at each colour that day.

    The colour `statuses_on` gives (that of the latest update dated on or before the day, grey
    before any), counted without working out each action's whole status: a paper's history asks
    this for every quarter of the plan, over every action (a Hypothesis law holds the two together).
    """
    counts = dict.fromkeys(Rag, 0)
    for action in actions:
        if action.added is not None and action.added > day:
            continue
        rag = Rag.GREY
        for update in reversed(action.updates):  # in date order: the latest is nearly always on or before it
            if update.date <= day:
                rag = update.rag
                break
        counts[rag] += 1
    return counts


def quarter_history(
    actions: Sequence[Action], settings: PlanSettings, last: Quarter, as_at: date
) -> tuple[QuarterCounts, ...]:
    """The colours at the end of every quarter from the plan's start to `last` (its position date for the last)."""
    return tuple(
        QuarterCounts(q, colours_on(actions, min(q.end, as_at))) for q in quarters_between(settings.start, last)
    )


def year_on_year(
    actions: Sequence[Action], settings: PlanSettings, quarter: Quarter, as_at: date
) -> tuple[YearSummary, ...]:
    """The same quarter of every reporting year of the plan so far, with that year's completions."""
    known = plan_on(actions, as_at)
    completions = [(a, day) for a in known for day in _completion_dates(a.updates)]
    years = []
    for back in range(quarter.year - settings.start.year + 1, -1, -1):
        same = quarter.shift(-4 * back)
        if same.end < settings.start:
            continue
        position = min(same.end, as_at)
        year_start, year_end = (
            Quarter(same.year, 1, same.year_start_month).start,
            min(same.shift(4 - same.number).end, as_at),
        )
        completed = tuple(sorted((a.id, a.title, day) for a, day in completions if year_start <= day <= year_end))
        years.append(YearSummary(same, colours_on(actions, position), completed))
    return tuple(years)


def _completion_dates(updates: Sequence[Update]) -> list[date]:
    """The days an action turned blue (complete)."""
    dates, was_blue = [], False
    for update in updates:
        is_blue = update.rag is Rag.BLUE
        if is_blue and not was_blue:
            dates.append(update.date)
        was_blue = is_blue
    return dates
