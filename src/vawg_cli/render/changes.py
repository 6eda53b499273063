"""A PlanDiff as text for a terminal, JSON for other tools, or Markdown for a pull-request comment.

Actions come first, then measures, whose lines are made in `render/measure_changes.py`.

Plan text comes from many hands, so every renderer makes it safe for where it goes: one line per
item with control characters removed (a note cannot move the cursor or fake another line), and
in Markdown `|`, `<` and emphasis marks escaped (a note cannot break the comment or inject HTML).
Direction overrides and the other characters `text.printable` names are shown as its escapes
(`\\u202e`) in all three formats, in JSON as JSON escapes: a title cannot make a reviewer read
"Pay exe.png" where the file says "Pay \\u202egnp.exe".
Restricted notes are shown, marked "(restricted)": the diff is for reviewers of the repository,
who can read the files anyway.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from vawg_cli.core.changes import ActionChange, Change, NumberedUpdate, PlanChange, PlanDiff, TargetMove
from vawg_cli.model.records import Lifecycle, LifecycleChange, Rag, TargetChange
from vawg_cli.render.marks import RAG_MARKS, day
from vawg_cli.render.measure_changes import as_measure_record, measure_headline, measure_lines
from vawg_cli.text import iso, one_line, plural, printable, printable_json

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|])")

Escape = Callable[[str], str]


def inert_line(text: str) -> str:
    """Plan text on one line, without control characters (a terminal escape in a note stays inert)."""
    return one_line(_CONTROL.sub(" ", text))


def markdown_text(text: str) -> str:
    """Plan text made safe inside a Markdown bullet: shown as written, never as markup or HTML.

    An `@name` gets a zero-width space after the `@`: posted as a pull-request comment, a note
    must not notify (or reveal a note to) whoever that name belongs to.
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", inert_line(text)).replace("<", "\\<")
    return escaped.replace("@", "@\u200b")


def slip(move: TargetMove) -> str:
    """'slips 184 days', 'brought forward 3 days', or that the due date stays."""
    days = move.slip_days
    if days is None:
        return ""
    if days > 0:
        return f"slips {plural(days, 'day')}"
    if days < 0:
        return f"brought forward {plural(-days, 'day')}"
    return "due date unchanged"


def _counted(what: str, count: Callable[[Change], int]) -> list[str]:
    """'2 actions changed', '1 added': the thing is named once, at the first count."""
    kinds: tuple[Change, ...] = ("changed", "added", "removed")
    parts = [(number, kind) for kind in kinds if (number := count(kind))]
    return [f"{plural(n, what)} {kind}" if i == 0 else f"{n} {kind}" for i, (n, kind) in enumerate(parts)]


def summary(diff: PlanDiff) -> str:
    """'2 actions changed, 1 added, 1 measure changed'; plan settings and invalid files come after."""
    words = _counted("action", diff.count) + _counted("measure", diff.count_measures)
    if diff.plan:
        words.append("plan settings changed")
    if diff.invalid:
        words.append(f"{plural(len(diff.invalid), 'file')} invalid")
    return ", ".join(words) if words else "no changes to the plan"


# --- the lines shared by text and Markdown ------------------------------------------------------


def _plan_line(change: PlanChange, esc: Escape) -> str:
    old, new, subject = esc(change.old or ""), esc(change.new or ""), esc(change.subject or "")
    if change.kind == "plan_added":
        return "plan.yaml added"
    if change.kind == "plan_removed":
        return "plan.yaml removed"
    if change.kind == "partner_added":
        return f"partner added: {subject} ({new})"
    if change.kind == "partner_removed":
        return f"partner removed: {subject} ({old})"
    if change.kind == "partner_renamed":
        return f'partner renamed: {subject}: "{old}" → "{new}"'
    if change.kind == "partner_recoded":
        return f"partner code changed: {old} → {new} ({subject})"
    if change.kind == "rag_wording":
        return f'RAG wording for {subject}: "{old}" → "{new}"'
    if change.kind == "title":
        return f'title: "{old}" → "{new}"'
    return f"{change.kind}: {old} → {new}"


def _target_line(move: TargetMove, esc: Escape) -> str:
    line = f"target: {esc(move.old)} → {esc(move.new)}"
    if move.old_due is not None and move.new_due is not None:
        if move.old_due == move.new_due:
            return f"{line} (due {day(move.new_due)}, due date unchanged)"
        return f"{line} (due {day(move.old_due)} → {day(move.new_due)}, {slip(move)})"
    return line


def _update_line(numbered: NumberedUpdate, esc: Escape, rag: Callable[[Rag], str]) -> str:
    update = numbered.update
    restricted = " (restricted)" if update.restricted else ""
    by = f" (by {esc(update.by)})" if update.by else ""
    return f"new update {update.date.isoformat()} {rag(update.rag)}{restricted}: {esc(update.note)}{by}"


def _history_line(change: TargetChange, esc: Escape) -> str:
    approved = f" (approved by {esc(change.approved_by)})" if change.approved_by else ""
    return (
        f"target change recorded {change.date.isoformat()}: {esc(change.old)} → {esc(change.new)}, "
        f"because {esc(change.reason)}{approved}"
    )


_LIFECYCLE_WORDS = {Lifecycle.ON_HOLD: "put on hold", Lifecycle.WITHDRAWN: "withdrawn", Lifecycle.ACTIVE: "resumed"}


def _lifecycle_line(change: LifecycleChange, esc: Escape) -> str:
    """ "withdrawn (2025-06-01): Merged into action 12; superseded by 12"."""
    successor = f"; superseded by {change.superseded_by}" if change.superseded_by is not None else ""
    return f"{_LIFECYCLE_WORDS[change.state]} ({change.date.isoformat()}): {esc(change.reason)}{successor}"


def _headline(change: ActionChange, esc: Escape) -> str:
    if change.change == "added":
        return f"{esc(change.title)}: added (leads {esc(', '.join(change.leads))}; target {esc(change.target)})"
    if change.change == "removed":
        return f"{esc(change.title)}: removed"
    return esc(change.title)


def _detail_lines(change: ActionChange, esc: Escape, rag: Callable[[Rag], str]) -> list[str]:
    lines: list[str] = []
    if change.old_title is not None:
        lines.append(f'title: "{esc(change.old_title)}" → "{esc(change.title)}"')
    if change.leads_added or change.leads_removed:
        parts = [f"added {esc(', '.join(change.leads_added))}"] if change.leads_added else []
        parts += [f"removed {esc(', '.join(change.leads_removed))}"] if change.leads_removed else []
        lines.append(f"leads: {'; '.join(parts)}")
    if change.rag_before is not None and change.rag_after is not None:
        lines.append(f"RAG: {rag(change.rag_before)} → {rag(change.rag_after)}")
    if change.target_move is not None:
        lines.append(_target_line(change.target_move, esc))
    lines += [_history_line(entry, esc) for entry in change.new_target_history]
    lines += [f"target change {n} edited" for n in change.edited_target_history]
    lines += [f"target change {n} removed" for n in change.removed_target_history]
    lines += [_lifecycle_line(entry, esc) for entry in change.new_lifecycle]
    lines += [f"lifecycle change {n} edited" for n in change.edited_lifecycle]
    lines += [f"lifecycle change {n} removed" for n in change.removed_lifecycle]
    lines += [_update_line(update, esc, rag) for update in change.new_updates]
    lines += [f"update {n} edited" for n in change.edited_updates]
    lines += [f"update {n} removed" for n in change.removed_updates]
    if change.other_changes:
        lines.append(f"also changed: {', '.join(change.other_changes)}")
    return lines


# --- text ---------------------------------------------------------------------------------------


def render_text(diff: PlanDiff) -> str:
    """One block per action, indented details under it; "no changes to the plan" when none."""
    if not diff.changed:
        return f"no changes to the plan between {inert_line(diff.old)} and {inert_line(diff.new)}\n"
    lines = [inert_line(invalid.describe()) for invalid in diff.invalid]
    if diff.plan:
        lines.append("plan")
        lines += [f"  {_plan_line(change, inert_line)}" for change in diff.plan]
    for change in diff.actions:
        lines.append(f"action {change.id} {_headline(change, inert_line)}")
        lines += [f"  {line}" for line in _detail_lines(change, inert_line, lambda rag: rag.value)]
    for measure in diff.measures:
        lines.append(f"measure {inert_line(measure.code)} {measure_headline(measure, inert_line)}")
        lines += [f"  {line}" for line in measure_lines(measure, inert_line)]
    return "\n".join(lines) + "\n"


# --- Markdown -----------------------------------------------------------------------------------


def _markdown_rag(rag: Rag) -> str:
    return f"{RAG_MARKS[rag]} {rag.value}"


def render_markdown(diff: PlanDiff) -> str:
    """A pull-request comment: a heading, a summary line, and a bullet list per action."""
    esc = markdown_text
    out = ["## Plan changes", "", f"{esc(diff.old)} → {esc(diff.new)}: {summary(diff)}"]
    if diff.invalid:
        out += ["", "**Invalid files** (not compared):", ""]
        out += [f"- ⚠️ {esc(invalid.describe())}" for invalid in diff.invalid]
    if diff.plan:
        out += ["", "**Plan:**", ""]
        out += [f"- {_plan_line(change, esc)}" for change in diff.plan]
    if diff.actions:
        out.append("")
        for change in diff.actions:
            out.append(f"- **Action {change.id}** {_headline(change, esc)}")
            out += [f"  - {line}" for line in _detail_lines(change, esc, _markdown_rag)]
    if diff.measures:
        out.append("")
        for measure in diff.measures:
            out.append(f"- **Measure {esc(measure.code)}** {measure_headline(measure, esc)}")
            out += [f"  - {line}" for line in measure_lines(measure, esc)]
    # As `vawg diff` does to the text format: the comment is what the README's workflow posts on a
    # partner's pull request, and what a terminal shows when run by hand. `printable`'s escapes
    # start `\x` or `\u`, which Markdown shows as written (it escapes only punctuation).
    return printable("\n".join(out) + "\n", newlines=True)


# --- JSON ---------------------------------------------------------------------------------------


def as_record(change: ActionChange) -> dict[str, Any]:
    """One action's change; every key is always present (null or [] when that kind did not change)."""
    move = change.target_move
    return {
        "id": change.id,
        "title": change.title,
        "change": change.change,
        "path": change.path,
        "leads": list(change.leads),
        "target": change.target,
        "title_change": {"from": change.old_title, "to": change.title} if change.old_title is not None else None,
        "leads_added": list(change.leads_added),
        "leads_removed": list(change.leads_removed),
        "target_change": None
        if move is None
        else {
            "from": move.old,
            "to": move.new,
            "due_from": iso(move.old_due),
            "due_to": iso(move.new_due),
            "slip_days": move.slip_days,
        },
        "rag_change": None
        if change.rag_before is None or change.rag_after is None
        else {"from": change.rag_before.value, "to": change.rag_after.value},
        "new_updates": [
            {
                "number": numbered.number,
                "date": numbered.update.date.isoformat(),
                "rag": numbered.update.rag.value,
                "note": numbered.update.note,
                "by": numbered.update.by,
                "restricted": numbered.update.restricted,
            }
            for numbered in change.new_updates
        ],
        "edited_updates": list(change.edited_updates),
        "removed_updates": list(change.removed_updates),
        "new_target_history": [
            {
                "date": entry.date.isoformat(),
                "from": entry.old,
                "to": entry.new,
                "reason": entry.reason,
                "approved_by": entry.approved_by,
            }
            for entry in change.new_target_history
        ],
        "edited_target_history": list(change.edited_target_history),
        "removed_target_history": list(change.removed_target_history),
        "new_lifecycle": [
            {
                "date": entry.date.isoformat(),
                "state": entry.state.value,
                "reason": entry.reason,
                "superseded_by": entry.superseded_by,
            }
            for entry in change.new_lifecycle
        ],
        "edited_lifecycle": list(change.edited_lifecycle),
        "removed_lifecycle": list(change.removed_lifecycle),
        "other_changes": list(change.other_changes),
    }


def render_json(diff: PlanDiff) -> str:
    record = {
        "from": diff.old,
        "to": diff.new,
        "changed": diff.changed,
        "summary": {
            "changed": diff.count("changed"),
            "added": diff.count("added"),
            "removed": diff.count("removed"),
            "plan": len(diff.plan),
            "invalid": len(diff.invalid),
            "measures_changed": diff.count_measures("changed"),
            "measures_added": diff.count_measures("added"),
            "measures_removed": diff.count_measures("removed"),
        },
        "plan": [
            {"kind": change.kind, "subject": change.subject, "from": change.old, "to": change.new}
            for change in diff.plan
        ],
        "invalid": [
            {
                "path": invalid.path,
                "at": invalid.side,
                "line": invalid.line,
                "column": invalid.column,
                "message": invalid.message,
            }
            for invalid in diff.invalid
        ],
        "actions": [as_record(change) for change in diff.actions],
        "measures": [as_measure_record(change) for change in diff.measures],
    }
    # Non-ASCII text stays readable (ensure_ascii=False), but what `printable` escapes is written
    # as a JSON \u escape of four hex digits: json.dumps would leave direction overrides, DEL and C1
    # controls raw.
    return printable_json(json.dumps(record, indent=2, ensure_ascii=False)) + "\n"
