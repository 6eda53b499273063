"""The checks a filled return's rows meet before `returns read` adds them: the return is this
plan's and of a quarter within it; the partner leads the action; the date is in the window;
the row is not already in the plan; and the action has not moved on since the return was made."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from vawg_cli.core.returned import ReadReturn, ReturnedUpdate
from vawg_cli.core.returns import ReturnWindow, asked_of, plan_key, same_partner, update_keys
from vawg_cli.model.quarters import Quarter, QuarterError, parse_quarter
from vawg_cli.model.records import Action, Update, colour_of
from vawg_cli.plan.loading import Plan
from vawg_cli.text import excerpt, quoted


def header(filled: ReadReturn, plan: Plan, asked: str | None, error: Callable[[int, str], None]) -> Quarter | None:
    settings = plan.settings
    if filled.plan != plan_key(settings.title, settings.start):
        error(
            1,
            f"this return was made for the plan {quoted(filled.title)}, not {quoted(settings.title)}; "
            "read it into that plan, or make this plan's returns with vawg returns make",
        )
        return None
    try:
        quarter = parse_quarter(filled.quarter, settings.year_start_month)
    except QuarterError:
        error(1, "the return's quarter cannot be read; make the return again with vawg returns make")
        return None
    if quarter.end < settings.start or quarter.start > settings.end:
        error(
            1,
            f"this return is for {quarter.label}, outside the plan ({settings.start} to {settings.end}); "
            "check the file",
        )
        return None
    if asked is not None and quarter.code != asked:
        error(
            1,
            f"this return is for {quarter.label}, not {parse_quarter(asked, settings.year_start_month).label}; "
            "read it without --quarter, or check it is the right file",
        )
        return None
    if filled.partner not in settings.partners:
        error(
            1,
            f"this return is from the partner {quoted(filled.partner)}, whom plan.yaml no longer lists; "
            "add the partner back, or enter the updates with vawg update",
        )
        return None
    return quarter


def checked_update(
    row: ReturnedUpdate,
    action: Action,
    filled: ReadReturn,
    span: ReturnWindow,
    today: date,
    restrict_personal: bool,
    plan: Plan,
    error: Callable[[int, str], None],
) -> Update | None:
    partner = filled.partner
    if partner not in action.leads:
        leads = " and ".join(action.leads)
        error(
            row.row,
            f"{partner} does not lead action {action.id} (its lead is {leads}), so its return cannot update it; "
            "nothing from this file was added",
        )
        return None
    if row.shown_ref != (action.ref or str(action.id)):
        error(
            row.row,
            f"the Ref column says {quoted(row.shown_ref)}, but this row was made for action {action.id} "
            f"({excerpt(action.title)}); "
            "put the row back as it was, or make the return again",
        )
        return None
    if not asked_of(action, span.quarter, today):
        error(
            row.row,
            f"action {action.id} is no longer asked about ({action.state.value} or complete); "
            "nothing from this file was added; record the update with vawg update if it is still wanted",
        )
        return None
    on = row.on or min(span.quarter.end, today)  # as the workbook's instructions say
    if on > today:
        error(row.row, f"the date {on} is in the future (today is {today}); give the day of the update")
        return None
    if not span.holds(on):
        error(
            row.row,
            f"the date {on} is outside {span.quarter.label}'s return, which takes updates from "
            f"{span.opens} to {span.closes}; "
            "correct the date",
        )
        return None
    rag = row.rag or colour_of([u for u in action.updates if u.date <= on])
    words = [text for text in (row.note, row.next_steps, row.board_ask) if text]
    below = plan.settings.suppress_below
    restricted = row.restricted or (restrict_personal and any(personal(text, below) for text in words))
    return Update(on, rag, row.note, partner, restricted, row.next_steps, row.board_ask)


def personal(note: str, below: int) -> bool:
    from vawg_cli.plan.personal_data import find_personal_data
    from vawg_cli.plan.small_counts import find_small_count

    return bool(find_personal_data(note)) or find_small_count(note, below) is not None


def same(new: Update, old: Update, undated: ReturnWindow | None) -> bool:
    """The same update, whether or not it was marked restricted since, and whatever its next steps
    and board ask say now: they may be brought up to date in the plan before the board meets.

    A row given no date took one when it was first read (the quarter's last day, or that day if
    sooner), so read again later it matches the same words on any day of the window.
    """
    if undated is not None:
        return (new.rag, new.note, new.by) == (old.rag, old.note, old.by) and undated.holds(old.date)
    return (new.date, new.rag, new.note, new.by) == (old.date, old.rag, old.note, old.by)


def missing_words(new: Update, twin: Update, file_name: str) -> list[str]:
    """What a row says that its update, already in the plan, lacks: next steps or a board ask.

    Words the plan already has are kept, whatever the row says: they may have been brought up to
    date since the return was first read."""
    return [
        f"this row says {what} ({key}), but the update of {twin.date} already in the plan says none: "
        f"add `{key}:` to it in {file_name} by hand"
        for key, what, given, kept in (
            ("next_steps", "what is being done", new.next_steps, twin.next_steps),
            ("board_ask", "what the board is asked to do", new.board_ask, twin.board_ask),
        )
        if given and not kept
    ]


def moved_on(action: Action, row: ReturnedUpdate, partner: str) -> list[Update]:
    """Updates the action gained since the return was made that its partner did not see.

    Another lead's update of a joint action is expected (each lead returns for itself), and so
    is not counted.
    """
    seen = set(row.seen)
    others = {lead for lead in action.leads if lead != partner}
    return [
        update
        for update in action.updates
        if seen.isdisjoint(update_keys(update)) and not any(same_partner(update.by, lead) for lead in others)
    ]


def stale(action_id: int, moved: list[Update], filled: ReadReturn) -> str:
    latest = moved[-1]
    by = f" by {latest.by}" if latest.by else ""
    more = f" (and {len(moved) - 1} more)" if len(moved) > 1 else ""
    return (
        f"this return is stale: it was made on {filled.made}, and action {action_id} has had an update since "
        f"({latest.rag.value}, {latest.date}{by}){more} that the partner did not see; check with "
        f"{filled.partner} that their update still stands, then read the file again with --accept-stale to add "
        "it in date order"
    )
