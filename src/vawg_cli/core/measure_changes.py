"""What changed in the plan's measures between two sides: their declarations and their figures.

Measures are matched by code (as `vawg check` compares codes, whatever their case), never by
file name; figures by period, targets by year and series breaks by date, so a figure recorded
for a new quarter is one figure added, not a list rewritten.

Pure core: the files were read by `plan/git.py` and parsed in `core/changes.py`; this compares
the records.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from datetime import date
from typing import Literal

from vawg_cli.model.measures import Measure, Value
from vawg_cli.model.periods import Frequency, Period

Change = Literal["added", "removed", "changed"]
Number = int | float
Setting = Literal["code", "name", "unit", "lead", "action", "period", "kind", "higher_is_better", "suppress_below"]
SETTINGS: tuple[Setting, ...] = (
    "code",
    "name",
    "unit",
    "lead",
    "action",
    "period",
    "kind",
    "higher_is_better",
    "suppress_below",
)
"""The keys of a measure's declaration that a diff names with their old and new values, in this order."""


@dataclass(frozen=True)
class SettingChange:
    """One key of a measure's declaration. None is a key left out (no action, the plan's threshold)."""

    key: Setting
    old: str | int | bool | None
    new: str | int | bool | None


@dataclass(frozen=True)
class YearTarget:
    """The target for one year: None on the side where there was none."""

    year: Period
    old: Number | None
    new: Number | None


@dataclass(frozen=True)
class BreakChange:
    """A series break on one date: the reason at each side, None where there was no break that day."""

    date: date
    old: str | None
    new: str | None


@dataclass(frozen=True)
class FigureChange:
    """The figure for one period: None on the side where there was none."""

    period: Period
    old: Value | None
    new: Value | None

    @property
    def change(self) -> Change:
        return "added" if self.old is None else "removed" if self.new is None else "changed"


@dataclass(frozen=True)
class MeasureChange:
    """How one measure (matched by code) differs between the two sides."""

    code: str
    change: Change
    name: str
    """The name at the newer side (at the older side when the measure was removed)."""
    path: str
    unit: str
    lead: str
    frequency: Frequency
    action: int | None = None
    settings: tuple[SettingChange, ...] = ()
    targets: tuple[YearTarget, ...] = ()
    breaks: tuple[BreakChange, ...] = ()
    figures: tuple[FigureChange, ...] = ()
    """In period order: each added, removed, or with a new value, note or supplier."""
    other_changes: tuple[str, ...] = ()
    """Names of other keys that changed (source, description, the order of figures)."""


def _setting(measure: Measure, key: Setting) -> str | int | bool | None:
    if key == "period":
        return measure.frequency.value
    if key == "kind":
        return "level" if measure.level else "count"
    value: str | int | bool | None = getattr(measure, key)
    return value


def _first_by_period(values: tuple[Value, ...]) -> dict[Period, Value]:
    """Figures by period; where a period has two (which `vawg check` reports), the first."""
    found: dict[Period, Value] = {}
    for value in values:
        found.setdefault(value.period, value)
    return found


def _figures(a: Measure, b: Measure) -> list[FigureChange]:
    old, new = _first_by_period(a.values), _first_by_period(b.values)
    return [
        FigureChange(period, old.get(period), new.get(period))
        for period in sorted(old.keys() | new.keys())
        if old.get(period) != new.get(period)
    ]


def _targets(a: Measure, b: Measure) -> list[YearTarget]:
    old, new = dict(a.targets), dict(b.targets)
    return [
        YearTarget(year, old.get(year), new.get(year))
        for year in sorted(old.keys() | new.keys())
        if old.get(year) != new.get(year)
    ]


def _breaks(a: Measure, b: Measure) -> list[BreakChange]:
    old = {entry.date: entry.reason for entry in reversed(a.breaks)}  # the first break of a day, if two
    new = {entry.date: entry.reason for entry in reversed(b.breaks)}
    return [
        BreakChange(day, old.get(day), new.get(day))
        for day in sorted(old.keys() | new.keys())
        if old.get(day) != new.get(day)
    ]


def _changed(old_path: str, a: Measure, new_path: str, b: Measure) -> MeasureChange | None:
    if a == b:
        return None
    other = [key for key in ("source", "description") if getattr(a, key) != getattr(b, key)]
    if sorted(a.values) == sorted(b.values) and a.values != b.values:
        other.append("order of figures")
    return MeasureChange(
        code=b.code,
        change="changed",
        name=b.name,
        path=new_path,
        unit=b.unit,
        lead=b.lead,
        frequency=b.frequency,
        action=b.action,
        settings=tuple(
            SettingChange(key, _setting(a, key), _setting(b, key))
            for key in SETTINGS
            if _setting(a, key) != _setting(b, key)
        ),
        targets=tuple(_targets(a, b)),
        breaks=tuple(_breaks(a, b)),
        figures=tuple(_figures(a, b)),
        other_changes=tuple(other),
    )


def _whole(path: str, measure: Measure, change: Change) -> MeasureChange:
    """A measure added (its targets, breaks and figures all new) or removed (named only)."""
    added = change == "added"
    return MeasureChange(
        code=measure.code,
        change=change,
        name=measure.name,
        path=path,
        unit=measure.unit,
        lead=measure.lead,
        frequency=measure.frequency,
        action=measure.action,
        # A new measure brings its figures: a reviewer sees each number that is to be published.
        targets=tuple(YearTarget(year, None, target) for year, target in measure.targets) if added else (),
        breaks=tuple(BreakChange(entry.date, None, entry.reason) for entry in measure.breaks) if added else (),
        figures=tuple(FigureChange(p, None, v) for p, v in sorted(_first_by_period(measure.values).items()))
        if added
        else (),
    )


def measure_changes(
    before: Mapping[str, tuple[str, Measure]],
    after: Mapping[str, tuple[str, Measure]],
    unknown_before: Set[str],
    unknown_after: Set[str],
) -> list[MeasureChange]:
    """The changes from `before` to `after`: measures by upper-case code, as (path, measure).

    `unknown_before` and `unknown_after` hold the paths and codes of measure files that could not
    be read at that side: a measure there is not known, so it is neither "added" nor "removed".
    """
    changes: list[MeasureChange] = []
    for code in sorted(before.keys() | after.keys()):
        was, now = before.get(code), after.get(code)
        if was and now:
            if (change := _changed(was[0], was[1], now[0], now[1])) is not None:
                changes.append(change)
        elif now:
            if code not in unknown_before and now[0] not in unknown_before:
                changes.append(_whole(now[0], now[1], "added"))
        elif was and code not in unknown_after and was[0] not in unknown_after:
            changes.append(_whole(was[0], was[1], "removed"))
    return changes
