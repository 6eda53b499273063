"""What changed in the plan between two sides: two git revisions, or a revision and the working tree.

The sides are read by `plan/git.py`; this compares them. Only files whose bytes differ are
parsed; actions are then matched by `id` and measures by code (in `core/measure_changes.py`),
never by file name, so a renamed file is not an action removed and another added.

Pure core: nothing here runs git, reads a file or prints; the result is a `PlanDiff` for a renderer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, TypeVar

from vawg_cli.core.measure_changes import Change, MeasureChange, measure_changes
from vawg_cli.core.parsed_sides import InvalidFile, ParsedSide, parse_side, same_bytes, settings_of
from vawg_cli.model.records import Action, LifecycleChange, PlanSettings, Rag, TargetChange, Update, colour_of
from vawg_cli.model.schedule import OneOff, Schedule, once_due
from vawg_cli.plan.git import Side
from vawg_cli.plan.loading import PLAN_FILE

__all__ = ["Change", "InvalidFile", "MeasureChange"]  # with the rest: what a renderer imports from here

PlanChangeKind = Literal[
    "plan_added",
    "plan_removed",
    "title",
    "start",
    "end",
    "year_start_month",
    "due_soon_days",
    "suppress_below",
    "partner_added",
    "partner_removed",
    "partner_renamed",
    "partner_recoded",
    "rag_wording",
]


@dataclass(frozen=True)
class PlanChange:
    """One change in plan.yaml. `subject` is the partner code or RAG colour it is about, if any."""

    kind: PlanChangeKind
    old: str | None = None
    new: str | None = None
    subject: str | None = None


@dataclass(frozen=True)
class TargetMove:
    old: str
    new: str
    old_due: date | None = None
    new_due: date | None = None
    """Due dates are set only when both targets are due once: a recurring, ongoing or TBC target has no single date."""

    @property
    def slip_days(self) -> int | None:
        """Days later the action is now due (negative: brought forward), when both targets are one-off."""
        if self.old_due is None or self.new_due is None:
            return None
        return (self.new_due - self.old_due).days


@dataclass(frozen=True)
class NumberedUpdate:
    number: int
    """1 for the oldest update, as `vawg check` numbers them."""
    update: Update


@dataclass(frozen=True)
class ActionChange:
    """How one action (matched by id) differs between the two sides."""

    id: int
    change: Change
    title: str
    """The title at the newer side (at the older side when the action was removed)."""
    path: str
    leads: tuple[str, ...]
    target: str
    old_title: str | None = None
    """Set when the title changed."""
    leads_added: tuple[str, ...] = ()
    leads_removed: tuple[str, ...] = ()
    target_move: TargetMove | None = None
    rag_before: Rag | None = None
    """Set with `rag_after` when the current colour changed (grey with no updates)."""
    rag_after: Rag | None = None
    new_updates: tuple[NumberedUpdate, ...] = ()
    edited_updates: tuple[int, ...] = ()
    removed_updates: tuple[int, ...] = ()
    new_target_history: tuple[TargetChange, ...] = ()
    edited_target_history: tuple[int, ...] = ()
    removed_target_history: tuple[int, ...] = ()
    new_lifecycle: tuple[LifecycleChange, ...] = ()
    """Lifecycle changes recorded since the older side: put on hold, withdrawn, resumed."""
    edited_lifecycle: tuple[int, ...] = ()
    removed_lifecycle: tuple[int, ...] = ()
    other_changes: tuple[str, ...] = ()
    """Names of other keys that changed (owner, theme, description, notes, the order of leads)."""


@dataclass(frozen=True)
class PlanDiff:
    old: str
    new: str
    plan: tuple[PlanChange, ...] = ()
    actions: tuple[ActionChange, ...] = ()
    invalid: tuple[InvalidFile, ...] = ()
    measures: tuple[MeasureChange, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.plan or self.actions or self.invalid or self.measures)

    def count(self, change: Change) -> int:
        return sum(a.change == change for a in self.actions)

    def count_measures(self, change: Change) -> int:
        return sum(m.change == change for m in self.measures)


# --- parsing and comparing --------------------------------------------------------------------


def compare(old: Side, new: Side) -> PlanDiff:
    """The changes from `old` to `new`; a file with the same bytes (or blob id) at both is not parsed."""
    paths = sorted(set(old.files) | set(new.files))
    differing = [p for p in paths if not same_bytes(old, new, p)]
    before, after = parse_side(old, differing), parse_side(new, differing)

    plan_changes: list[PlanChange] = []
    if PLAN_FILE in differing:
        plan_changes = _plan_changes(old, new, before, after)
    known: list[PlanSettings | None] = []

    def settings() -> PlanSettings | None:
        # Read only when a moved target needs the plan to be dated ("2025/26", "Year 2").
        if not known:
            known.append(settings_of(new, after) or settings_of(old, before))
        return known[0]

    actions: list[ActionChange] = []
    for action_id in sorted(set(before.actions) | set(after.actions)):
        was, now = before.actions.get(action_id), after.actions.get(action_id)
        if was and now:
            if (change := _action_change(was[0], was[1], now[0], now[1], settings)) is not None:
                actions.append(change)
        elif now:
            if action_id not in before.invalid_ids and now[0] not in before.invalid_paths:
                actions.append(_added(now[0], now[1]))
        elif was and action_id not in after.invalid_ids and was[0] not in after.invalid_paths:
            actions.append(_removed(was[0], was[1]))
    measures = measure_changes(before.measures, after.measures, before.unknown_measures, after.unknown_measures)
    return PlanDiff(
        old.label,
        new.label,
        tuple(plan_changes),
        tuple(actions),
        (*before.invalid, *after.invalid),
        tuple(measures),
    )


def _plan_changes(old: Side, new: Side, before: ParsedSide, after: ParsedSide) -> list[PlanChange]:
    if PLAN_FILE not in old.files:
        return [PlanChange("plan_added")]
    if PLAN_FILE not in new.files:
        return [PlanChange("plan_removed")]
    a, b = before.settings, after.settings
    if a is None or b is None:
        return []  # invalid at one side: reported as such
    settings: list[tuple[PlanChangeKind, str, str]] = [
        ("title", a.title, b.title),
        ("start", a.start.isoformat(), b.start.isoformat()),
        ("end", a.end.isoformat(), b.end.isoformat()),
        ("year_start_month", str(a.year_start_month), str(b.year_start_month)),
        ("due_soon_days", str(a.due_soon_days), str(b.due_soon_days)),
        ("suppress_below", str(a.suppress_below), str(b.suppress_below)),
    ]
    changes = [PlanChange(kind, was, now) for kind, was, now in settings if was != now]
    gone = {code: name for code, name in a.partners.items() if code not in b.partners}
    new_codes = {code: name for code, name in b.partners.items() if code not in a.partners}
    for code, name in b.partners.items():
        if code in a.partners and a.partners[code] != name:
            changes.append(PlanChange("partner_renamed", a.partners[code], name, code))
    # A code given up for another with the same full name is one partner under a new code.
    for code, name in list(new_codes.items()):
        old_code = next((c for c, n in gone.items() if n == name), None)
        if old_code is not None:
            changes.append(PlanChange("partner_recoded", old_code, code, name))
            del gone[old_code], new_codes[code]
    changes += [PlanChange("partner_added", None, name, code) for code, name in new_codes.items()]
    changes += [PlanChange("partner_removed", name, None, code) for code, name in gone.items()]
    for rag in Rag:
        if a.rag_wording(rag) != b.rag_wording(rag):
            changes.append(PlanChange("rag_wording", a.rag_wording(rag), b.rag_wording(rag), rag.value))
    return changes


T = TypeVar("T")


def _log_changes(old: Sequence[T], new: Sequence[T]) -> tuple[list[int], list[int], list[int]]:
    """Numbers (from 1) of entries edited and removed, and indexes of entries new, in a dated log.

    When every old entry is still there, in order, the rest are new: a late return that
    `vawg update` put in date order is a new update, not an edit of the ones after it. Otherwise
    entries are compared by position: an edited or removed earlier entry is named as such rather
    than guessed to be something else, so a reviewer looks at it.
    """
    kept, inserted = 0, []
    for index, entry in enumerate(new):
        if kept < len(old) and entry == old[kept]:
            kept += 1
        else:
            inserted.append(index)
    if kept == len(old):
        return [], [], inserted
    common = min(len(old), len(new))
    edited = [i + 1 for i in range(common) if old[i] != new[i]]
    removed = list(range(common + 1, len(old) + 1))
    added = list(range(len(old), len(new)))
    return edited, removed, added


def _due(schedule: Schedule, settings: Callable[[], PlanSettings | None]) -> date | None:
    if isinstance(schedule, OneOff):
        return schedule.due
    plan = settings()
    return once_due(schedule, plan.start, plan.year_start_month) if plan else None


def _action_change(
    old_path: str, a: Action, new_path: str, b: Action, settings: Callable[[], PlanSettings | None]
) -> ActionChange | None:
    if a == b:
        return None
    target_move = None
    if a.target != b.target:
        old_due, new_due = _due(a.schedule, settings), _due(b.schedule, settings)
        both = old_due is not None and new_due is not None
        target_move = TargetMove(a.target, b.target, old_due if both else None, new_due if both else None)
    edited, removed, added = _log_changes(a.updates, b.updates)
    history_edited, history_removed, history_added = _log_changes(a.target_history, b.target_history)
    lifecycle_edited, lifecycle_removed, lifecycle_added = _log_changes(a.lifecycle, b.lifecycle)
    rag_before, rag_after = colour_of(a.updates), colour_of(b.updates)
    other = [key for key in ("owner", "theme", "description", "notes") if getattr(a, key) != getattr(b, key)]
    if set(a.leads) == set(b.leads) and a.leads != b.leads:
        other.append("order of leads")
    return ActionChange(
        id=b.id,
        change="changed",
        title=b.title,
        path=new_path,
        leads=b.leads,
        target=b.target,
        old_title=a.title if a.title != b.title else None,
        leads_added=tuple(lead for lead in b.leads if lead not in a.leads),
        leads_removed=tuple(lead for lead in a.leads if lead not in b.leads),
        target_move=target_move,
        rag_before=rag_before if rag_before != rag_after else None,
        rag_after=rag_after if rag_before != rag_after else None,
        new_updates=tuple(NumberedUpdate(i + 1, b.updates[i]) for i in added),
        edited_updates=tuple(edited),
        removed_updates=tuple(removed),
        new_target_history=tuple(b.target_history[i] for i in history_added),
        edited_target_history=tuple(history_edited),
        removed_target_history=tuple(history_removed),
        new_lifecycle=tuple(b.lifecycle[i] for i in lifecycle_added),
        edited_lifecycle=tuple(lifecycle_edited),
        removed_lifecycle=tuple(lifecycle_removed),
        other_changes=tuple(other),
    )


def _added(path: str, action: Action) -> ActionChange:
    # Its updates are all new: listing them tells a reviewer what colour it arrives at, and why.
    return ActionChange(
        id=action.id,
        change="added",
        title=action.title,
        path=path,
        leads=action.leads,
        target=action.target,
        new_updates=tuple(NumberedUpdate(i + 1, u) for i, u in enumerate(action.updates)),
        new_target_history=action.target_history,
        new_lifecycle=action.lifecycle,
    )


def _removed(path: str, action: Action) -> ActionChange:
    return ActionChange(
        id=action.id, change="removed", title=action.title, path=path, leads=action.leads, target=action.target
    )
