"""Small numbers kept safe: which figures a public output may print.

A count of 2 survivors in one ward can identify a person, so a public output shows a count from
1 up to below the threshold as "<5" (primary suppression). Totals are printed too (a year's
total, the year to date), and a total less the parts beside it would give the hidden part back:
where a shown total would leave one part unknown, or only small parts unknown, the smallest
other part is withheld as well (secondary suppression), and where there is none to withhold,
the total is. A zero is shown: it identifies nobody.

Every output of a measure takes its figures from one `Cells` worked out over all of its figures,
so the paper, the exports and the terminal never disagree on what is hidden, and any output
showing only some of them hides at least as much.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

K = TypeVar("K")
G = TypeVar("G")
Withheld = Literal["small", "secondary"]


@dataclass(frozen=True)
class Figure:
    """A number as one output may show it: `exact` is None when it is withheld from that output."""

    exact: int | float | None
    withheld: Withheld | None = None
    threshold: int = 5

    @property
    def text(self) -> str:
        """ "1,234", "4.5", "<5" for a small count, "withheld" for one hidden to protect another."""
        if self.withheld == "small":
            return f"<{self.threshold}"
        if self.withheld == "secondary" or self.exact is None:
            return "withheld"
        return number_text(self.exact)

    @property
    def shown(self) -> bool:
        return self.exact is not None


def number_text(value: int | float) -> str:
    """A figure as a paper prints it: thousands separated, no needless decimals."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def is_small(value: int | float, threshold: int) -> bool:
    return 0 < value < threshold


@dataclass(frozen=True)
class Cells(Generic[K, G]):
    """The figures of one measure, its parts (keyed by period) and its totals (keyed by year)."""

    parts: Mapping[K, Figure]
    totals: Mapping[G, Figure]


def protect(
    parts: Mapping[K, int | float],
    groups: Mapping[G, Iterable[K]],
    threshold: int,
    *,
    exact: bool,
) -> Cells[K, G]:
    """Figures for every part, and a total for each group (a year: the parts it adds up).

    `exact`: a restricted output, which shows every figure as it is.
    """
    totals = {key: sum(parts[p] for p in members) for key, members in ((k, list(m)) for k, m in groups.items())}
    if exact:
        return Cells(
            {p: Figure(v, threshold=threshold) for p, v in parts.items()},
            {k: Figure(v, threshold=threshold) for k, v in totals.items()},
        )
    hidden: dict[K, Withheld] = {p: "small" for p, v in parts.items() if is_small(v, threshold)}
    hidden_totals: dict[G, Withheld] = {k: "small" for k, v in totals.items() if is_small(v, threshold)}
    for key, group in groups.items():
        members = list(group)
        if key in hidden_totals or not members:
            continue
        unknown = [p for p in members if p in hidden]
        # One unknown part is the total less the others; small parts alone are pinned by their sum
        # (two parts that add to 2 are 1 and 1). A larger part withheld beside them prevents both.
        if not unknown or any(hidden[p] == "secondary" or parts[p] >= threshold for p in unknown):
            continue
        candidates = sorted((parts[p], str(p), p) for p in members if p not in hidden and parts[p] > 0)
        if candidates:
            hidden[candidates[0][2]] = "secondary"
        else:
            hidden_totals[key] = "secondary"
    return Cells(
        {p: Figure(None if p in hidden else v, hidden.get(p), threshold) for p, v in parts.items()},
        {k: Figure(None if k in hidden_totals else v, hidden_totals.get(k), threshold) for k, v in totals.items()},
    )
