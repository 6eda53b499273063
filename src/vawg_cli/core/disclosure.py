"""Small numbers kept safe: which figures a public output may print.

A count of 2 survivors in one ward can identify a person, so a public output shows a count from
1 up to below the threshold as "<5" (primary suppression). Totals are printed too (a year's
total, the year to date), and a total less the parts beside it would give the hidden part back:
where a shown total would leave one part unknown, or only small parts unknown, another part is
withheld as well (secondary suppression), or the total is. A zero is shown: it identifies nobody.

Every output of a measure takes its figures from one `Cells` worked out over all of its figures,
so the paper, the exports and the terminal never disagree on what is hidden, and any output
showing only some of them hides at least as much.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    """The figures of one measure: its parts (keyed by period), each year's running total as it
    stood after each part (the year to date an output made then would print), and each year's
    total so far (keyed by year)."""

    parts: Mapping[K, Figure]
    running: Mapping[K, Figure]
    totals: Mapping[G, Figure]


def protect(
    parts: Mapping[K, int | float],
    years: Mapping[G, Sequence[K]],
    threshold: int,
    *,
    exact: bool,
) -> Cells[K, G]:
    """Figures for every part, and the running totals of each year (its parts in time order).

    Papers are made every quarter, so each year to date is printed in turn: this quarter's less
    last quarter's is this quarter's figure. Hiding the smallest other part of the year would not
    help, as it was printed in an earlier paper; so the year's parts are walked in time order, as
    the papers were made, and a small figure is protected by withholding the next figures after it
    (and, until they are large enough to hide it, the year to date). Between any two running totals
    an output prints, every hidden small figure could then be anything from 1 to below the
    threshold (see `_exposed`). `exact`: a restricted output, which shows every figure as it is.
    """
    running: dict[K, int | float] = {}
    for members in years.values():
        total: int | float = 0
        for part in members:
            total += parts[part]
            running[part] = total
    if exact:
        return Cells(
            {p: Figure(v, threshold=threshold) for p, v in parts.items()},
            {p: Figure(v, threshold=threshold) for p, v in running.items()},
            {y: Figure(running[m[-1]], threshold=threshold) for y, m in years.items() if m},
        )
    hidden: dict[K, Withheld] = {p: "small" for p, v in parts.items() if is_small(v, threshold)}
    hidden_running: set[K] = set()
    for members in years.values():
        shown_up_to = 0  # the parts up to here add up to a running total that was printed (0 before any)
        for index, part in enumerate(members, 1):
            segment = members[shown_up_to:index]
            if not is_small(running[part], threshold) and not _exposed(segment, hidden, parts, threshold):
                shown_up_to = index
                continue
            if part not in hidden and parts[part] >= threshold and not is_small(running[part], threshold):
                hidden[part] = "secondary"
                if not _exposed(segment, hidden, parts, threshold):
                    shown_up_to = index
                    continue
            hidden_running.add(part)

    # A withheld total is never marked small: "<5" over four small parts would say each is 1.
    def printed(part: K) -> Figure:
        return (
            Figure(None, "secondary", threshold) if part in hidden_running else Figure(running[part], None, threshold)
        )

    return Cells(
        {p: Figure(None if p in hidden else v, hidden.get(p), threshold) for p, v in parts.items()},
        {p: printed(p) for p in running},
        {y: printed(m[-1]) for y, m in years.items() if m},
    )


def _exposed(
    segment: Sequence[K], hidden: Mapping[K, Withheld], parts: Mapping[K, int | float], threshold: int
) -> bool:
    """Whether printing the running total at the end of `segment` would tell a small part more than
    "<5", to a reader who knows that "<5" is 1 to 4 and a figure withheld beside it is 5 or more.

    The total less the figures shown is the sum S of the hidden ones; a small part is then at most
    S less the least the others could be. It can still be anything from 1 to 4 only while the hidden
    figures exceed their least values by at least threshold - 2 in all; with no larger figure
    hidden, small parts alone would be pinned by their sum (two that add to 2 are 1 and 1).
    """
    small = [parts[p] - 1 for p in segment if hidden.get(p) == "small"]
    if not small:
        return False
    larger = [parts[p] - threshold for p in segment if hidden.get(p) == "secondary"]
    return not larger or sum(small) + sum(larger) < threshold - 2
