"""Writing to the plan: add an update, start an action, move a target. Nothing a user typed is lost.

Every write follows the same steps, under a lock on the plan folder so that two writers take
turns: read the file, splice the change into its text (every other byte stays), read the result
back to prove it holds exactly the old data plus the change, check the whole plan as it would
be, and only then replace the file atomically. A write that would leave the plan with errors is
refused with the same lines as `vawg check`, and the file is not touched.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .errors import Diagnostic, PlanInvalid, VawgError
from .file_writing import write_atomic
from .locking import plan_lock
from .plan_files import ACTIONS_DIR, CheckedPlan, check_plan, read_file
from .records import Action, TargetChange, Update

_BOM = b"\xef\xbb\xbf"


class ActionNotFound(VawgError):
    """No action has the id the user gave."""


@dataclass(frozen=True)
class Written:
    """What a write did (or, with dry_run, would do)."""

    path: Path
    diff: str
    warnings: tuple[Diagnostic, ...]
    written: bool


def add_update(
    folder: Path, action_id: int, update: Update, *, today: date, cache_dir: Path | None, dry_run: bool = False
) -> Written:
    fields: list[tuple[str, object]] = [("date", update.date), ("rag", update.rag.value), ("note", update.note)]
    if update.by:
        fields.append(("by", update.by))
    if update.restricted:
        fields.append(("restricted", True))

    def change(text: str) -> str:
        from .yaml_edit import append_item, parse

        return append_item(parse(text), "updates", fields)

    def expected(old: Action) -> Action:
        return replace(old, updates=(*old.updates, update))

    return _edit(folder, action_id, change, expected, today=today, cache_dir=cache_dir, dry_run=dry_run)


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
    def change(text: str) -> str:
        from .yaml_edit import EditError, append_item, parse, replace_value, value_of

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
        return append_item(moved, "target_history", fields, after_key="target")

    def expected(old: Action) -> Action:
        from .schedule import parse_target

        history = (*old.target_history, TargetChange(on, old.target, target, reason, approved_by))
        return replace(old, target=target, schedule=parse_target(target), target_history=history)

    return _edit(folder, action_id, change, expected, today=today, cache_dir=cache_dir, dry_run=dry_run)


def new_action(
    folder: Path,
    *,
    title: str,
    leads: list[str],
    target: str,
    today: date,
    cache_dir: Path | None,
    dry_run: bool = False,
) -> Written:
    from .yaml_edit import scalar

    with plan_lock(folder):
        checked = _checked(folder, today, cache_dir)
        assert checked.plan is not None
        number = max((f.action.id for f in checked.plan.actions), default=0) + 1
        width = max(2, len(str(number)))
        path = folder / ACTIONS_DIR / f"{number:0{width}d}-{slug(title)}.yaml"
        schema = folder / "schema" / "action.schema.json"
        lines = [f"# yaml-language-server: $schema=../schema/{schema.name}"] if schema.is_file() else []
        lines += [
            f"# Action {number}, added with `vawg new` on {today.isoformat()}.",
            "# Log progress under updates, oldest first: date, rag (red, amber, green, blue, grey) and note.",
            f"id: {number}",
            f"title: {scalar(title)}",
            "leads:",
            *(f"  - {scalar(lead)}" for lead in leads),
            f"target: {scalar(target)}",
            "updates: []",
            "",
        ]
        text = "\n".join(lines)
        return _write(folder, path, "", text, today=today, cache_dir=cache_dir, dry_run=dry_run)


def slug(title: str, words: int = 5) -> str:
    """A file name from a title: "To deliver VAWG training..." gives "deliver-vawg-training-for-bexley"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    parts = [w for w in re.findall(r"[a-z0-9]+", ascii_title.lower()) if w not in {"to", "the", "a", "an", "of"}]
    # Cut to 60 characters: one "word" can be a pasted line, and file names stop at 255 bytes.
    return "-".join(parts[:words])[:60].strip("-") or "action"


def _checked(folder: Path, today: date, cache_dir: Path | None) -> CheckedPlan:
    checked = check_plan(folder, today=today, cache_dir=cache_dir)
    if checked.plan is None or checked.errors:
        raise PlanInvalid(list(checked.diagnostics))
    return checked


def _edit(
    folder: Path,
    action_id: int,
    change: Callable[[str], str],
    expected: Callable[[Action], Action],
    *,
    today: date,
    cache_dir: Path | None,
    dry_run: bool,
) -> Written:
    from .yaml_edit import EditError, parse

    with plan_lock(folder):
        checked = _checked(folder, today, cache_dir)
        assert checked.plan is not None
        found = next((f for f in checked.plan.actions if f.action.id == action_id), None)
        if found is None:
            ids = ", ".join(str(f.action.id) for f in checked.plan.actions)
            raise ActionNotFound(f"there is no action {action_id}; the actions are: {ids}")
        raw = found.path.read_bytes()
        bom = _BOM if raw.startswith(_BOM) else b""
        old_text = raw[len(bom) :].decode("utf-8")
        try:
            new_text = change(old_text)
            parse(new_text)  # a splice that made unreadable YAML is this editor's failure, not the user's
        except EditError as error:
            raise VawgError(f"{found.path}: {error}; nothing was changed") from None
        # Proof before trust: the new text must read back as the old action plus this change.
        result, _ = read_file(bom + new_text.encode("utf-8"), Action)
        if isinstance(result, Action) and result != expected(found.action):
            raise VawgError(
                f"{found.path}: the change could not be made without altering other parts of the file, "
                "so nothing was changed; make it by hand and run vawg check"
            )
        return _write(
            folder, found.path, old_text, new_text, today=today, cache_dir=cache_dir, dry_run=dry_run, bom=bom
        )


def _write(
    folder: Path,
    path: Path,
    old_text: str,
    new_text: str,
    *,
    today: date,
    cache_dir: Path | None,
    dry_run: bool,
    bom: bytes = b"",
) -> Written:
    data = bom + new_text.encode("utf-8")
    after = check_plan(folder, today=today, cache_dir=cache_dir, overrides={path: data})
    if after.errors:
        raise PlanInvalid([d for d in after.diagnostics if d.severity == "error"], refused=True)
    relative = path.relative_to(folder.parent) if folder.parent in path.parents else path
    diff = "".join(
        difflib.unified_diff(
            old_text.splitlines(keepends=True),
            new_text.splitlines(keepends=True),
            fromfile=f"a/{relative}" if old_text else "/dev/null",
            tofile=f"b/{relative}",
        )
    )
    warnings = tuple(d for d in after.diagnostics if d.severity == "warning" and d.path == path)
    if not dry_run:
        path.parent.mkdir(exist_ok=True)  # a plan may not have its actions/ folder yet
        write_atomic(path, data)
    return Written(path, diff, warnings, written=not dry_run)
