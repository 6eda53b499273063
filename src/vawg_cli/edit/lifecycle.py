"""Putting an action on hold, withdrawing it, resuming it: a dated, reasoned `lifecycle` entry.

Written like `vawg retarget`: the entry is spliced into the action's file (every other byte
kept), read back as proof, the whole plan checked, then the file replaced atomically under the
plan's lock. Nothing is ever deleted: a withdrawn action stays in the plan, with its history.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from vawg_cli.edit.writes import Change, Data, Written, edit_action, inserted, length_of, not_ahead
from vawg_cli.model.records import Action, Lifecycle, LifecycleChange

# What each change is called in a refusal: "cannot resume action 3: it is already active".
_VERB = {Lifecycle.ON_HOLD: "put on hold", Lifecycle.WITHDRAWN: "withdraw", Lifecycle.ACTIVE: "resume"}
_ALREADY = {
    Lifecycle.ON_HOLD: "it is already on hold (since {since}); resume it with `vawg resume`, or withdraw it",
    Lifecycle.WITHDRAWN: "it is already withdrawn (since {since}); resume it first with `vawg resume` if it goes ahead",
    Lifecycle.ACTIVE: "it is active already: only an action on hold or withdrawn can be resumed",
}


def change_lifecycle(
    folder: Path,
    action_id: int,
    state: Lifecycle,
    *,
    reason: str,
    on: date,
    today: date,
    cache_dir: Path | None,
    superseded_by: int | None = None,
    dry_run: bool = False,
) -> Written:
    """Record that action `action_id` is `state` from `on`, and why.

    Refused, with nothing changed: a day in the future, a day before the last lifecycle change,
    a change to the state the action is already in. A `superseded_by` that names no action (or
    the action itself) is an error of the whole plan's check, so that refuses it too.
    """
    not_ahead(on, today, f"the change ({state.value})")
    if superseded_by is not None and state is not Lifecycle.WITHDRAWN:
        raise ValueError("superseded_by goes only with withdrawn")  # the CLI offers it only on withdraw

    def change(text: str, data: Data) -> Change:
        from vawg_cli.edit.yaml_splice import EditError, append_item, parse

        history = data.get("lifecycle")
        last = history[-1] if isinstance(history, list) and history and isinstance(history[-1], dict) else {}
        last_day = last.get("date")
        if type(last_day) is date and on < last_day:
            raise EditError(
                f"the last lifecycle change is dated {last_day}, after {on}; changes are recorded in the order "
                "they happen: give --date a day from then on"
            )
        current = _state_of(last.get("state")) if last else Lifecycle.ACTIVE
        if current is state:
            since = last_day if type(last_day) is date else "its last lifecycle change"
            raise EditError(f"cannot {_VERB[state]} action {action_id}: " + _ALREADY[state].format(since=since))
        fields: list[tuple[str, object]] = [("date", on), ("state", state.value), ("reason", reason)]
        if superseded_by is not None:
            fields.append(("superseded_by", superseded_by))
        entry = LifecycleChange(on, state, reason, superseded_by)
        # A new list goes after the target's history (or the target): what the action is due, then what became of it.
        anchor = "target_history" if "target_history" in data else "target"

        def record(old: Action) -> Action:
            return replace(old, lifecycle=(*old.lifecycle, entry))

        def new_data(old: Data) -> Data:
            items = old.get("lifecycle")
            return {**old, "lifecycle": inserted(items, length_of(items), dict(fields))}

        return Change(append_item(parse(text), "lifecycle", fields, after_key=anchor), record, new_data)

    return edit_action(folder, action_id, change, today=today, cache_dir=cache_dir, dry_run=dry_run)


def _state_of(value: object) -> Lifecycle | None:
    """The state a file's entry names, read as leniently as `vawg check` reads it; None if unreadable."""
    if not isinstance(value, str):
        return None
    words = " ".join(value.strip().lower().replace("-", " ").replace("_", " ").split())
    try:
        return Lifecycle(words)
    except ValueError:
        return None
