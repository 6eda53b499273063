"""Writing to the plan: add an update, start an action, move a target. Nothing a user typed is lost.

Every write follows the same steps, under a lock on the plan folder so that two writers take turns:
read the file, splice the change into its text (every other byte stays), read the result back to
prove it holds exactly the old data plus the change, check the whole plan as it would be, and only
then replace the file atomically. A write may never add an error: one that would is refused with
the new errors' lines, as `vawg check` prints them, and the file is not touched. Errors the plan
already has do not block a write, so a write can be the fix for one of them."""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from vawg_cli.edit.action_file import NewAction, action_text, file_name
from vawg_cli.edit.atomic import write_atomic
from vawg_cli.edit.locking import plan_lock
from vawg_cli.errors import Diagnostic, PlanInvalid, Severity, VawgError
from vawg_cli.model.measures import Measure
from vawg_cli.model.records import Action, PlanSettings, TargetChange, Update
from vawg_cli.plan.loading import ACTIONS_DIR, SCHEMA_DIR, CheckedPlan, check_plan
from vawg_cli.plan.parsing import parse_plan_file
from vawg_cli.text import UTF8_BOM, file_diff

# A number alone in a message (a position, a line) that a splice shifts; dates and words stay.
_LOOSE_NUMBER = re.compile(r"(?<![\w\-/.])\d+(?![\w\-/.])")

Data = dict[str, Any]


class ActionNotFound(VawgError):
    """No action has the id the user gave."""


@dataclass(frozen=True)
class Written:
    """What a write did (or, with dry_run, would do)."""

    path: Path
    diff: str
    warnings: tuple[Diagnostic, ...]
    written: bool
    notes: tuple[str, ...] = ()
    """More the user should know about where the change went, e.g. an update put in date order."""
    errors_left: int = 0
    """Errors the plan had before this write and still has (a write never adds one)."""


@dataclass(frozen=True)
class Change:
    """An action file's new text, and what it must read back as."""

    text: str
    record: Callable[[Action], Action]
    """The old record made into the new one: the proof for a file that is valid."""
    data: Callable[[Data], Data]
    """The old YAML data made into the new: the proof for a file that fails validation (no record)."""
    notes: tuple[str, ...] = ()


def add_update(
    folder: Path, action_id: int, update: Update, *, today: date, cache_dir: Path | None, dry_run: bool = False
) -> Written:
    """Add `update` in date order: a late return goes before the updates dated after it."""
    not_ahead(update.date, today, "the update")

    def change(text: str, data: Data) -> Change:
        new_text, at = splice_update(text, data, update)
        items = data.get("updates")
        notes: tuple[str, ...] = ()
        if isinstance(items, list) and at < len(items):
            notes = (f"it was put before the update of {items[at]['date']}, in date order",)
        return Change(
            new_text,
            record=lambda old: replace(old, updates=(*old.updates[:at], update, *old.updates[at:])),
            data=lambda old: {**old, "updates": inserted(old.get("updates"), at, dict(_update_fields(update)))},
            notes=notes,
        )

    return edit_action(folder, action_id, change, today=today, cache_dir=cache_dir, dry_run=dry_run)


def splice_update(text: str, data: Data, update: Update) -> tuple[str, int]:
    """An action file's text with `update` spliced into `updates` in date order, and its position.

    `data` is the text's YAML data, which says where the update goes.
    """
    from vawg_cli.edit.yaml_splice import insert_item, parse

    at = update_position(data.get("updates"), update.date)
    return insert_item(parse(text), "updates", _update_fields(update), at), at


def _update_fields(update: Update) -> list[tuple[str, object]]:
    fields: list[tuple[str, object]] = [("date", update.date), ("rag", update.rag.value), ("note", update.note)]
    if update.by:
        fields.append(("by", update.by))
    if update.restricted:
        fields.append(("restricted", True))
    if update.next_steps:
        fields.append(("next_steps", update.next_steps))
    if update.board_ask:
        fields.append(("board_ask", update.board_ask))
    return fields


def update_position(items: object, day: date) -> int:
    """Where an update dated `day` goes in a file's `updates`: before the first dated later.

    One on the same day as another goes after it: the later return is the later word.
    """
    if not isinstance(items, list):
        return 0
    for index, item in enumerate(items):
        when = item.get("date") if isinstance(item, dict) else None
        if isinstance(when, str):  # quoted ('2025-12-20'), which vawg check accepts as a date too
            with contextlib.suppress(ValueError):
                when = date.fromisoformat(when.strip())
        if type(when) is date and when > day:  # a datetime cannot be compared with a date
            return index
    return len(items)


def inserted(items: object, at: int, item: Data) -> list[Any]:
    old = items if isinstance(items, list) else []
    return [*old[:at], item, *old[at:]]


def retarget(
    folder: Path,
    action_id: int,
    target: str,
    *,
    reason: str,
    approved_by: str | None,
    on: date,
    today: date,
    cache_dir: Path | None,
    dry_run: bool = False,
) -> Written:
    not_ahead(on, today, "the target change")

    def change(text: str, data: Data) -> Change:
        from vawg_cli.edit.yaml_splice import EditError, append_item, parse, replace_value, value_of

        history = data.get("target_history")
        last = (
            history[-1].get("date") if isinstance(history, list) and history and isinstance(history[-1], dict) else None
        )
        if type(last) is date and on < last:
            raise EditError(
                f"the last target change is dated {last}, after {on}; changes are recorded in the order they are "
                "agreed: give --date a day from then on"
            )
        doc = parse(text)
        old_target = value_of(doc, "target")
        if old_target is None:
            raise EditError("cannot find a one-line target to change")
        if old_target == target:
            raise EditError(f"the target is already {target!r}")
        fields: list[tuple[str, object]] = [("date", on), ("from", old_target), ("to", target), ("reason", reason)]
        if approved_by:
            fields.append(("approved_by", approved_by))
        moved = parse(replace_value(doc, "target", target))

        def record(old: Action) -> Action:
            from vawg_cli.model.schedule import parse_target

            history = (*old.target_history, TargetChange(on, old.target, target, reason, approved_by))
            return replace(old, target=target, schedule=parse_target(target), target_history=history)

        def new_data(old: Data) -> Data:
            history = old.get("target_history")
            return {**old, "target": target, "target_history": inserted(history, length_of(history), dict(fields))}

        return Change(append_item(moved, "target_history", fields, after_key="target"), record, new_data)

    return edit_action(folder, action_id, change, today=today, cache_dir=cache_dir, dry_run=dry_run)


def not_ahead(day: date, today: date, what: str) -> None:
    """A write is dated on or before today, whatever the file it goes into.

    `check` finds a future date only in a file that is otherwise valid: a write into a file that
    already has an error must not slip one past it.
    """
    if day > today:
        raise VawgError(
            f"{what} is dated {day}, in the future (today is {today}); give the day it happened with --date; "
            "nothing was changed"
        )


def length_of(items: object) -> int:
    return len(items) if isinstance(items, list) else 0


def new_action(
    folder: Path,
    *,
    title: str,
    leads: list[str],
    target: str,
    today: date,
    cache_dir: Path | None,
    dry_run: bool = False,
    added: date | None = None,
) -> Written:
    """Write the next action file; `added` (default: today) is the day it joins the plan."""
    not_ahead(added or today, today, "the new action")
    with plan_lock(folder):
        before = readable(folder, today, cache_dir)
        assert before.plan is not None
        # An action file that fails validation still holds its id: the new action must not take it.
        ids = [f.action.id for f in before.plan.actions] + [number for _, number in before.unvalidated]
        number = max(ids, default=0) + 1
        path = folder / ACTIONS_DIR / file_name(number, title)
        text, _ = action_text(
            NewAction(number, title, leads, target, added=added or today),
            origin=f"added with `vawg new` on {today.isoformat()}",
            schema=(folder / SCHEMA_DIR / "action.schema.json").is_file(),
        )
        return write_checked(folder, path, "", text, before, today=today, cache_dir=cache_dir, dry_run=dry_run)


def readable(folder: Path, today: date, cache_dir: Path | None) -> CheckedPlan:
    """The plan as it is; errors in it do not block a write, but an unreadable plan.yaml does."""
    checked = check_plan(folder, today=today, cache_dir=cache_dir)
    if checked.plan is None:
        raise PlanInvalid([d for d in checked.diagnostics if d.path.name == "plan.yaml"] or list(checked.diagnostics))
    return checked


def _find(checked: CheckedPlan, action_id: int) -> tuple[Path, Action | None]:
    """The file of action `action_id`, and its record (None when the file fails validation)."""
    assert checked.plan is not None
    found: list[tuple[Path, Action | None]] = [
        (f.path, f.action) for f in checked.plan.actions if f.action.id == action_id
    ]
    found += [(path, None) for path, number in checked.unvalidated if number == action_id]
    if not found:
        ids = sorted({f.action.id for f in checked.plan.actions} | {number for _, number in checked.unvalidated})
        unread = " (a file vawg cannot read at all is not counted: run vawg check)" if checked.errors else ""
        raise ActionNotFound(f"there is no action {action_id}; the actions are: {', '.join(map(str, ids))}{unread}")
    if len(found) > 1:
        names = " and ".join(path.name for path, _ in found)
        raise VawgError(f"action {action_id} is in two files, {names}; give one of them a free id, then try again")
    return found[0]


def edit_action(
    folder: Path,
    action_id: int,
    change: Callable[[str, Data], Change],
    *,
    today: date,
    cache_dir: Path | None,
    dry_run: bool,
) -> Written:
    from vawg_cli.edit.yaml_splice import EditError, parse

    with plan_lock(folder):
        before = readable(folder, today, cache_dir)
        path, record = _find(before, action_id)
        raw = path.read_bytes()
        bom = UTF8_BOM if raw.startswith(UTF8_BOM) else b""
        old_text = raw[len(bom) :].decode("utf-8")
        try:
            made = change(old_text, _data(raw))
            parse(made.text)  # a splice that made unreadable YAML is this editor's failure, not the user's
        except EditError as error:
            raise VawgError(f"{path}: {error}; nothing was changed") from None
        # Proof before trust: the new text must read back as the old action plus this change. A
        # file that fails validation has no record to compare, so its YAML data is compared.
        proved(
            path,
            bom + made.text.encode("utf-8"),
            Action if record is not None else None,
            (lambda: made.record(record)) if record is not None else (lambda: made.data(_data(raw))),
            what="the change could not be made",
            nothing="changed",
            instead="make it by hand and run vawg check",
            invalid_to_check=True,
        )
        written = write_checked(
            folder, path, old_text, made.text, before, today=today, cache_dir=cache_dir, dry_run=dry_run, bom=bom
        )
        return replace(written, notes=made.notes)


def _data(raw: bytes) -> Data:
    from vawg_cli.plan.yaml_source import SourceError, parse

    try:
        data = parse(raw).data
    except SourceError:  # found by id, so it was read before; it changed under us
        raise VawgError("the file changed while it was being read; run the command again") from None
    return data if isinstance(data, dict) else {}


def proved(
    path: Path,
    raw: bytes,
    record_type: type[Action] | type[PlanSettings] | type[Measure] | None,
    expected: Callable[[], object],
    *,
    what: str,
    nothing: str,
    instead: str,
    invalid_to_check: bool = False,
) -> bytes:
    """`raw`, once it is proved to read back as `expected()` and nothing else; else a VawgError
    "PATH: WHAT without altering other parts of the file, so nothing was NOTHING; INSTEAD".

    A splice keeps every byte it does not mean to change by design; this shows that it did,
    before anything is written. The bytes must read as a `record_type` equal to `expected()`;
    with no record type (a file that fails validation has no record), their YAML data must equal
    it. With `invalid_to_check`, bytes that do not validate pass: the check of the whole plan
    then reports them with their lines. `expected` is called only when the bytes are read: the
    record of an invalid change cannot always be made (a target that is not a date).
    """
    if record_type is None:
        from vawg_cli.plan.yaml_source import SourceError, parse

        try:
            holds = bool(parse(raw).data == expected())
        except SourceError:
            holds = False
    else:
        result: object = (
            parse_plan_file(raw, Action)[0]
            if record_type is Action
            else parse_plan_file(raw, Measure)[0]
            if record_type is Measure
            else parse_plan_file(raw, PlanSettings)[0]
        )
        holds = result == expected() if isinstance(result, record_type) else invalid_to_check
    if not holds:
        raise VawgError(f"{path}: {what} without altering other parts of the file, so nothing was {nothing}; {instead}")
    return raw


def _error_key(diagnostic: Diagnostic) -> tuple[str, str]:
    """What identifies an error across a write: its file and its words.

    Not its line, and not the standalone numbers in its words (an update's position, "first on
    line 12"): a splice moves both without touching the error.
    """
    return str(diagnostic.path), _LOOSE_NUMBER.sub("#", diagnostic.message)


def added_errors(
    before: Iterable[Diagnostic], after: Iterable[Diagnostic], severity: Severity = "error"
) -> list[Diagnostic]:
    """The errors (or warnings) in `after` that `before` did not have (each of `before` excuses one)."""
    allowed = Counter(_error_key(d) for d in before if d.severity == severity)
    added = []
    for diagnostic in after:
        if diagnostic.severity != severity:
            continue
        key = _error_key(diagnostic)
        if allowed[key] > 0:
            allowed[key] -= 1
        else:
            added.append(diagnostic)
    return added


def write_checked(
    folder: Path,
    path: Path,
    old_text: str,
    new_text: str,
    before: CheckedPlan,
    *,
    today: date,
    cache_dir: Path | None,
    dry_run: bool,
    bom: bytes = b"",
) -> Written:
    data = bom + new_text.encode("utf-8")
    after = check_plan(folder, today=today, cache_dir=cache_dir, overrides={path: data})
    if added := added_errors(before.diagnostics, after.diagnostics):
        raise PlanInvalid(added, refused=True)
    diff = file_diff(old_text, new_text, path, folder)
    warnings = tuple(d for d in after.diagnostics if d.severity == "warning" and d.path == path)
    if not dry_run:
        path.parent.mkdir(exist_ok=True)  # a plan may not have its actions/ folder yet
        write_atomic(path, data)
    return Written(path, diff, warnings, written=not dry_run, errors_left=after.errors)
