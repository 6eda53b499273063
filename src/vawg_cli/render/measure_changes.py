"""A measure's changes as lines (shared by text and Markdown) and as a JSON record, for `vawg diff`.

The lines read like an action's: a headline ("measure TRAINED Professionals trained: added (…)")
and one line per change under it ("2025/26 Q1 value 120 → 125"). Periods are written as the
measure file writes them, so a reviewer finds the line in the file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vawg_cli.core.measure_changes import BreakChange, FigureChange, MeasureChange, SettingChange, YearTarget
from vawg_cli.model.measures import Value
from vawg_cli.model.periods import period_text

Escape = Callable[[str], str]

_NOT_SET = {"action": "none", "higher_is_better": "not set", "suppress_below": "the plan's"}


def number(value: int | float | None) -> str:
    """A figure as the file holds it: 120, 4.5."""
    return "none" if value is None else str(value)


def _setting_value(key: str, value: str | int | bool | None) -> str:
    if value is None:
        return _NOT_SET.get(key, "none")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _setting_line(change: SettingChange, esc: Escape) -> str:
    old, new = esc(_setting_value(change.key, change.old)), esc(_setting_value(change.key, change.new))
    if change.key == "name":
        return f'name: "{old}" → "{new}"'
    return f"{change.key}: {old} → {new}"


def _target_line(change: YearTarget) -> str:
    year = period_text(change.year)
    if change.old is None:
        return f"target for {year}: {number(change.new)} added"
    if change.new is None:
        return f"target for {year}: {number(change.old)} removed"
    return f"target for {year}: {number(change.old)} → {number(change.new)}"


def _break_line(change: BreakChange, esc: Escape) -> str:
    day = change.date.isoformat()
    if change.old is None:
        return f"series break added {day}: {esc(change.new or '')}"
    if change.new is None:
        return f"series break removed {day}: {esc(change.old)}"
    return f'series break {day}: "{esc(change.old)}" → "{esc(change.new)}"'


def _figure_lines(change: FigureChange, esc: Escape) -> list[str]:
    """'2025/26 Q1 value 120 added: note (by LBB)', '… value 120 → 125', '… note: "a" → "b"'."""
    period, old, new = period_text(change.period), change.old, change.new
    if new is not None and old is None:
        note = f": {esc(new.note)}" if new.note else ""
        by = f" (by {esc(new.by)})" if new.by else ""
        return [f"{period} value {number(new.value)} added{note}{by}"]
    if old is None or new is None:
        return [f"{period} value {number(old.value)} removed"] if old is not None else []
    lines = []
    if old.value != new.value:
        lines.append(f"{period} value {number(old.value)} → {number(new.value)}")
    if old.note != new.note:
        if old.note is None:
            lines.append(f"{period} note added: {esc(new.note or '')}")
        elif new.note is None:
            lines.append(f"{period} note removed (was: {esc(old.note)})")
        else:
            lines.append(f'{period} note: "{esc(old.note)}" → "{esc(new.note)}"')
    if old.by != new.by:
        lines.append(f"{period} by: {esc(old.by or 'not given')} → {esc(new.by or 'not given')}")
    return lines


def measure_headline(change: MeasureChange, esc: Escape) -> str:
    """'Name: added (people; lead LBB; yearly; action 5)', 'Name: removed', or the name alone."""
    if change.change == "added":
        action = f"; action {change.action}" if change.action is not None else ""
        about = f"{esc(change.unit)}; lead {esc(change.lead)}; {change.frequency.value}{action}"
        return f"{esc(change.name)}: added ({about})"
    if change.change == "removed":
        return f"{esc(change.name)}: removed"
    return esc(change.name)


def measure_lines(change: MeasureChange, esc: Escape) -> list[str]:
    """The lines under a measure's headline: declaration first, then targets, breaks and figures."""
    lines = [_setting_line(setting, esc) for setting in change.settings]
    lines += [_target_line(target) for target in change.targets]
    lines += [_break_line(entry, esc) for entry in change.breaks]
    for figure in change.figures:
        lines += _figure_lines(figure, esc)
    if change.other_changes:
        lines.append(f"also changed: {', '.join(change.other_changes)}")
    return lines


def _figure(value: Value | None) -> dict[str, Any] | None:
    return None if value is None else {"value": value.value, "note": value.note, "by": value.by}


def as_measure_record(change: MeasureChange) -> dict[str, Any]:
    """One measure's change; every key is always present (null or [] when that kind did not change)."""
    return {
        "code": change.code,
        "name": change.name,
        "change": change.change,
        "path": change.path,
        "unit": change.unit,
        "lead": change.lead,
        "period": change.frequency.value,
        "action": change.action,
        "settings": [{"key": s.key, "from": s.old, "to": s.new} for s in change.settings],
        "targets": [{"year": period_text(t.year), "from": t.old, "to": t.new} for t in change.targets],
        "breaks": [{"date": b.date.isoformat(), "from": b.old, "to": b.new} for b in change.breaks],
        "figures": [
            {"period": period_text(f.period), "change": f.change, "from": _figure(f.old), "to": _figure(f.new)}
            for f in change.figures
        ],
        "other_changes": list(change.other_changes),
    }
