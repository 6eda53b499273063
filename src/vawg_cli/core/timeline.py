"""The plan as it stood on a given day: what was known then, and nothing written since.

A board paper for 2024-Q4 must come out the same whether it is made in January 2025 or two
years later, after more updates, retargets and new actions. Everything that computes "as at" a
day (status, the report, exports) first takes each action as it was on that day:

- updates dated after the day do not exist yet;
- a target change dated after the day is undone: the target is the one in force that day;
- an action added after the day is not in the plan yet.

Pure: the day is a parameter, and nothing here reads files or the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import date

from vawg_cli.model.records import Action, PlanSettings
from vawg_cli.model.schedule import Schedule, Unset, once_due, parse_target


def as_known_on(action: Action, day: date) -> Action | None:
    """`action` as the plan held it at the end of `day`; None if it had not been added yet."""
    if action.added is not None and action.added > day:
        return None
    return rewound(action, day)


def rewound(action: Action, day: date) -> Action:
    """`action` with its updates, lifecycle changes and target changes dated after `day` undone."""
    updates = action.updates
    if updates and updates[-1].date > day:
        updates = tuple(u for u in updates if u.date <= day)
    lifecycle = action.lifecycle
    if lifecycle and lifecycle[-1].date > day:
        lifecycle = tuple(change for change in lifecycle if change.date <= day)
    if updates is not action.updates or lifecycle is not action.lifecycle:
        action = _replaced(action, updates=updates, lifecycle=lifecycle)
    history = action.target_history
    if not history or history[-1].date <= day:
        return action
    kept = tuple(change for change in history if change.date <= day)
    # The first change not yet made tells what the target was before it.
    target = history[len(kept)].old
    return _replaced(action, target=target, schedule=schedule_of(target), target_history=kept)


_FIELDS = frozenset(field.name for field in fields(Action))


def _replaced(action: Action, **changes: object) -> Action:
    """`dataclasses.replace(action, **changes)`, for a record with no checks of its own.

    A paper looks back at every action at several dates; `replace` works out the record's fields
    anew on every call, and was a fifth of making a paper over ten thousand actions.
    """
    if not changes.keys() <= _FIELDS:
        raise TypeError(f"Action has no field {sorted(changes.keys() - _FIELDS)}")
    copy = object.__new__(Action)
    copy.__dict__.update(action.__dict__, **changes)
    return copy


def plan_on(actions: Iterable[Action], day: date) -> list[Action]:
    """Every action the plan held on `day`, each as it stood that day."""
    return [known for action in actions if (known := as_known_on(action, day)) is not None]


def schedule_of(target: str) -> Schedule:
    """The schedule a target gave, for a target a change started from."""
    # A change may start from a target vawg could not read (an imported "TBC", put right with
    # `vawg retarget`): before the change the action had no due date, not the later one.
    try:
        return parse_target(target)
    except ValueError:
        return Unset()


def slip_days(old: Schedule, new: Schedule, settings: PlanSettings) -> int | None:
    """Days later a target due once now falls due (negative: brought forward); None unless both are due once."""
    old_due = once_due(old, settings.start, settings.year_start_month)
    new_due = once_due(new, settings.start, settings.year_start_month)
    return (new_due - old_due).days if old_due and new_due else None
