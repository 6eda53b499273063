"""Rules a plan must keep beyond the shape of each file: order, uniqueness and references.

Each rule returns findings that name a place by its key path (`("updates", 2, "date")`); the
loader turns that into a line and column only when a finding is made, so a clean plan never
pays for positions.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from vawg_cli.errors import Severity
from vawg_cli.model.records import Action, Lifecycle, Rag, Update
from vawg_cli.model.schedule import Unset, once_due
from vawg_cli.plan.leads import joint_leads
from vawg_cli.plan.relations import refs_and_successors
from vawg_cli.text import quoted

Loc = tuple[str | int, ...]
_FILE_NUMBER = re.compile(r"(\d+)(?!\d)")


@dataclass(frozen=True)
class Finding:
    """A problem at the key path `loc` of one file."""

    path: Path
    loc: Loc
    message: str
    severity: Severity = "error"
    on_key: bool = False


def update_order(action: Action) -> list[tuple[Loc, str]]:
    """Updates are a log, oldest first: the latest one is the action's current colour.

    This depends on the file alone, so its result is kept in the parse cache with the record.
    """
    findings: list[tuple[Loc, str]] = []
    for index in range(1, len(action.updates)):
        previous, update = action.updates[index - 1], action.updates[index]
        if update.date < previous.date:
            findings.append(
                (
                    ("updates", index, "date"),
                    f"update {index + 1} ({update.date}) is dated before update {index} ({previous.date}); "
                    "updates go oldest first: move it up or correct its date",
                )
            )
    return findings


@dataclass(frozen=True)
class Partial:
    """What could still be read from an action file that failed validation.

    Its id and leads are checked against the other files all the same, so one run of `check`
    reports every problem, not just the first kind.
    """

    id: int | None
    leads: tuple[str, ...]


@dataclass(frozen=True)
class PartialPlan:
    """The partner codes of a plan.yaml that failed validation, so leads are still checked."""

    partners: tuple[str, ...]


def target_history(action: Action) -> list[tuple[Loc, str]]:
    """Recorded target changes go oldest first, each from where the one before left the target,
    and end at the target the action has now.

    Papers for past quarters undo later changes one by one, so a broken chain would show a
    target the plan never had.
    """
    findings: list[tuple[Loc, str]] = []
    history = action.target_history
    for index in range(1, len(history)):
        if history[index].date < history[index - 1].date:
            findings.append(
                (
                    ("target_history", index, "date"),
                    f"target change {index + 1} is dated before change {index}; changes go oldest first",
                )
            )
        if history[index].old != history[index - 1].new:
            findings.append(
                (
                    ("target_history", index, "from"),
                    f"target change {index + 1} starts from {quoted(history[index].old)}, but change {index} "
                    f"moved the target to {quoted(history[index - 1].new)}; correct its from",
                )
            )
    if history and history[-1].new != action.target:
        findings.append(
            (
                ("target",),
                f"the last recorded target change moved it to {quoted(history[-1].new)}, "
                f"but the target is {quoted(action.target)}; "
                "change targets with `vawg retarget`, or correct target_history",
            )
        )
    return findings


def lifecycle_order(action: Action) -> list[tuple[Loc, str]]:
    """Lifecycle changes go oldest first, each one a change: on hold to on hold says nothing.

    `superseded_by` goes only with withdrawn, and never names the action itself. Papers for past
    quarters undo later changes one by one, so the order is what makes them right.
    """
    findings: list[tuple[Loc, str]] = []
    state = Lifecycle.ACTIVE
    for index, change in enumerate(action.lifecycle):
        if index and change.date < action.lifecycle[index - 1].date:
            findings.append(
                (
                    ("lifecycle", index, "date"),
                    f"lifecycle change {index + 1} ({change.date}) is dated before change {index} "
                    f"({action.lifecycle[index - 1].date}); changes go oldest first: move it up or correct its date",
                )
            )
        if change.state is state:
            findings.append(
                (
                    ("lifecycle", index, "state"),
                    f"lifecycle change {index + 1} makes the action {change.state.value}, but it is "
                    f"{state.value} already; remove the entry, or correct its state",
                )
            )
        if change.superseded_by is not None and change.state is not Lifecycle.WITHDRAWN:
            findings.append(
                (
                    ("lifecycle", index, "superseded_by"),
                    f"lifecycle change {index + 1} is {change.state.value}, and only a withdrawn action is superseded; "
                    "remove superseded_by, or make the state withdrawn",
                )
            )
        elif change.superseded_by == action.id:
            findings.append(
                (
                    ("lifecycle", index, "superseded_by"),
                    f"lifecycle change {index + 1}: action {action.id} cannot be superseded by itself; "
                    "give the id of the action that takes its place, or remove superseded_by",
                )
            )
        state = change.state
    return findings


def update_texts(update: Update) -> list[tuple[str, str]]:
    """The words of an update that papers may show, by key: its note, next_steps and board_ask."""
    texts = [("note", update.note), ("next_steps", update.next_steps), ("board_ask", update.board_ask)]
    return [(key, text) for key, text in texts if text]


def red_without_next_steps(action: Action) -> list[tuple[Loc, str]]:
    """A red latest update that says neither what is being done nor what the board is asked to do.

    The board paper shows them beside the action it flags. Older red updates are history, and an
    action on hold or withdrawn is not flagged, so neither is warned about.
    """
    if not action.updates or action.state is not Lifecycle.ACTIVE:
        return []
    index = len(action.updates) - 1
    latest = action.updates[index]
    if latest.rag is not Rag.RED or latest.next_steps or latest.board_ask:
        return []
    return [
        (
            ("updates", index),
            f"update {index + 1} ({latest.date}), the latest, is red but says neither what is being done "
            "(next_steps) nor what the board is asked to do (board_ask); add one to it so that the board paper "
            "can say it",
        )
    ]


def personal_data_in_notes(action: Action) -> list[tuple[Loc, str]]:
    """Notes that could reach a public board paper but look like they hold personal data."""
    from vawg_cli.plan.personal_data import find_personal_data

    findings: list[tuple[Loc, str]] = []
    for index, update in enumerate(action.updates):
        for key, what in update_texts(update):
            if update.restricted or not (kinds := find_personal_data(what)):
                continue
            found = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
            this = "this note" if key == "note" else f"its {key}"
            findings.append(
                (
                    ("updates", index, key),
                    f"update {index + 1}: {this} looks like it holds {found}, and it is not restricted, so it would "
                    "appear in public reports; remove the personal data, or add `restricted: true` to this update",
                )
            )
    # The action's own words go into exports whole (an import puts a table's unread columns in notes).
    for key, text in (("title", action.title), ("description", action.description), ("notes", action.notes)):
        if text and (kinds := find_personal_data(text)):
            found = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
            findings.append(
                (
                    (key,),
                    f"{key} may hold personal data ({found}), and papers and exports show it: remove it, "
                    "or move it into a restricted update",
                )
            )
    return findings


def across_files(
    partners: Collection[str] | None,
    period: tuple[date, date, int] | None,
    plan_file: Path,
    actions_dir: Path,
    actions: Sequence[tuple[str, Action | Partial]],
    today: date,
) -> list[Finding]:
    """Rules between files. `actions` are (file name, record) pairs in file-name order.

    `period` is the plan's (start, end, year_start_month), which date "2025/26" and "Year 2".
    """
    findings: list[Finding] = []
    first_file_for: dict[int, str] = {}
    used = {action.id for _, action in actions if action.id is not None}
    ids = frozenset(used)  # `used` also collects the free ids suggested below
    free = (number for number in itertools.count(1) if number not in used)

    def at(name: str, loc: Loc, message: str, severity: Severity = "error") -> Finding:
        # The Path is made only when something is found: most files have nothing to report.
        return Finding(actions_dir / name, loc, message, severity)

    known = frozenset(partners) if partners is not None else None
    for name, action in actions:
        if partners is not None and known is not None and not known.issuperset(action.leads):
            findings.extend(at(name, loc, message) for loc, message in _leads(action.leads, partners, plan_file))
        if action.id is None:
            continue
        number = _file_number(name)
        if action.id in first_file_for:
            suggestion = number if number is not None and number not in used else next(free)
            used.add(suggestion)
            findings.append(
                at(
                    name,
                    ("id",),
                    (
                        f"id {action.id} is already used by {first_file_for[action.id]}; ids are unique: "
                        f"give this action a free id, such as {suggestion}, and start the file name with it"
                    ),
                )
            )
            continue
        first_file_for[action.id] = name
        if number != action.id:
            findings.append(at(name, ("id",), _file_name_message(name, action.id)))
        if isinstance(action, Partial):
            continue
        if action.added is not None and action.added > today:
            findings.append(
                at(name, ("added",), f"added is {action.added}, in the future (today is {today}); correct the date")
            )
        findings.extend(at(name, loc, message) for loc, message in _dated_ahead(action, today))
        for index, lifecycle_change in enumerate(action.lifecycle):
            starts = [day for day in (period[0] if period else None, action.added) if day is not None]
            began = max(starts) if starts else None
            if began is not None and lifecycle_change.date < began:
                findings.append(
                    at(
                        name,
                        ("lifecycle", index, "date"),
                        f"lifecycle change {index + 1} is dated {lifecycle_change.date}, before the action was in the "
                        f"plan ({began}); correct its date",
                    )
                )
            successor = lifecycle_change.superseded_by
            if successor is not None and successor != action.id and successor not in ids:
                findings.append(
                    at(
                        name,
                        ("lifecycle", index, "superseded_by"),
                        (
                            f"lifecycle change {index + 1}: superseded_by {successor} names no action in the plan; "
                            "give the id of the action that takes its place (vawg status lists them), "
                            "or remove superseded_by"
                        ),
                    )
                )
        schedule = action.schedule
        due = once_due(schedule, period[0], period[2]) if period is not None else None
        if period is not None and due is not None and not period[0] <= due <= period[1]:
            findings.append(
                at(
                    name,
                    ("target",),
                    f"target {quoted(action.target)} ({due}) falls outside the plan period {period[0]} to {period[1]}",
                    "warning",
                )
            )
        if isinstance(schedule, Unset):
            findings.append(
                at(
                    name,
                    ("target",),
                    (
                        f"target {quoted(action.target)} is to be confirmed: the action has no due date and is "
                        f"never overdue until one is set; when it is agreed, run "
                        f'vawg retarget {action.id} --target DATE --reason "..."'
                    ),
                    "warning",
                )
            )
    findings.extend(refs_and_successors(actions, at))
    return findings


_DATE = operator.itemgetter(0)


def _dated_ahead(action: Action, today: date) -> list[tuple[Loc, str]]:
    """Entries dated after today: an update, a target change or a lifecycle change.

    A change dated ahead would be in force only from then: until that day every paper and status
    would quietly keep the old target (or lifecycle).
    """
    if (  # nearly every action, every run: say so fast (each entry's date is its first field)
        max(map(_DATE, action.updates), default=today) <= today
        and max(map(_DATE, action.target_history), default=today) <= today
        and max(map(_DATE, action.lifecycle), default=today) <= today
    ):
        return []
    logs = (
        ("updates", "update", [u.date for u in action.updates], "correct its date"),
        ("target_history", "target change", [c.date for c in action.target_history],
         "a change is recorded on the day it is agreed: correct its date"),
        ("lifecycle", "lifecycle change", [c.date for c in action.lifecycle],
         "a change is recorded on the day it happens: correct its date"),
    )  # fmt: skip
    return [
        ((key, index, "date"), f"{label} {index + 1} is dated {day}, in the future (today is {today}); {advice}")
        for key, label, entries, advice in logs
        for index, day in enumerate(entries)
        if day > today
    ]


def _file_number(name: str) -> int | None:
    match = _FILE_NUMBER.match(name)
    return int(match[1]) if match else None


def _file_name_message(name: str, action_id: int) -> str:
    stem, _, suffix = name.rpartition(".")
    match = _FILE_NUMBER.match(stem)
    slug = stem[match.end() :].lstrip("-_. ") if match else stem
    wanted = f"{action_id:02d}-{slug}.{suffix}" if slug else f"{action_id:02d}.{suffix}"
    found = f"starts with {match[1]}" if match else "does not start with a number"
    return f"the file name {found} but the id is {action_id}; rename the file to {wanted} (or correct the id)"


def _leads(leads: tuple[str, ...], partners: Collection[str], plan_file: Path) -> list[tuple[Loc, str]]:
    findings: list[tuple[Loc, str]] = []
    for index, lead in enumerate(leads):
        if lead in partners:
            continue
        parts = joint_leads(lead, lambda piece: piece in partners)
        if len(parts) > 1 and all(part in partners for part in parts):
            message = (
                f"{quoted(lead)} names several partners; write each on its own line of leads, e.g. [{', '.join(parts)}]"
            )
        else:
            from vawg_cli.plan.messages import did_you_mean  # only for a wrong lead: difflib is slow to import

            message = (
                f"unknown partner {quoted(lead)}{did_you_mean(lead, partners)}; "
                f"partners are listed in {plan_file.parent.name}/{plan_file.name}: {', '.join(partners)}"
            )
        findings.append((("leads", index), message))
    return findings
