"""`vawg export`: the whole plan with each action's derived state, as JSON, CSV or iCalendar.

`export` computes every action's status once, as of the day, and hands the statuses to the
renderer of the format; the renderers take statuses and settings, nothing else.
Pure: plan and day in, a document out. Nothing here reads the clock, prints or writes files, so
the same plan and the same `as_of` always give the same bytes (which tests and git rely on).
The iCalendar library is imported only when a calendar is made: other commands never pay for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Literal

from vawg_cli.core.measures import MeasureView, measure_views, outputs_by_action
from vawg_cli.core.status import ActionStatus, statuses_on
from vawg_cli.model.records import PlanSettings, Rag, Update
from vawg_cli.model.schedule import CYCLE_MONTHS, Periodic, Schedule, Yearly, occurrences
from vawg_cli.plan.loading import Plan
from vawg_cli.render.measure_data import figures_csv, measure_record
from vawg_cli.render.status import Outputs, as_record
from vawg_cli.text import iso, spreadsheet_csv

if TYPE_CHECKING:
    from icalendar import Event

EXPORT_FORMAT = "vawg-export"
EXPORT_VERSION = 1
WITHHELD = "Restricted update withheld"

# as_record's keys that are the action's own data rather than derived from it: the export gives
# those at the action's top level, as written, and keeps everything computed under "derived".
_OWN_KEYS = ("id", "title", "leads", "target")


ExportForm = Literal["json", "csv", "ics"]


def export(
    plan: Plan, as_of: date, form: ExportForm, *, include_restricted: bool = False, measures: bool = False
) -> bytes:
    """The plan as of `as_of` in one format, as the bytes to write: the statuses are computed once.

    `measures`: the CSV of the measures' figures, one row a figure, instead of the actions'.
    Measures are public (small counts withheld) unless `include_restricted`.
    """
    records = [f.measure for f in plan.measures]
    if measures:
        return figures_csv(measure_views(records, plan.settings, as_of, exact=include_restricted))
    statuses = plan_statuses(plan, as_of)
    if form == "json":
        views = measure_views(records, plan.settings, as_of, exact=include_restricted)
        outputs = outputs_by_action(records, plan.settings, as_of)
        document = json_document(statuses, plan.settings, as_of, include_restricted, views, outputs)
        return render_json(document).encode("utf-8")
    if form == "csv":
        return csv_bytes(statuses, plan.settings, include_restricted)
    return ics_bytes(statuses, plan.settings, as_of)


def plan_statuses(plan: Plan, as_of: date) -> list[ActionStatus]:
    """Every action's status, in plan (id) order: an export is a copy of the plan, not a to-do list.

    As with status and the papers, the plan is as it stood on `as_of`: an action added later is
    not in it, and a target changed later is the one in force that day.
    """
    return statuses_on((f.action for f in plan.actions), plan.settings, as_of)


# --- JSON ---------------------------------------------------------------------------------------


def json_document(
    statuses: Sequence[ActionStatus],
    settings: PlanSettings,
    as_of: date,
    include_restricted: bool,
    measures: Sequence[MeasureView] = (),
    outputs: Outputs | None = None,
) -> dict[str, Any]:
    """The plan and every action's derived state as plain data: the stable JSON export (version 1).

    `measures` as `vawg measures --format json` gives them; an action's `outputs` (under
    `derived`) are always the public view, as `vawg status` shows them.
    """
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "as_of": as_of.isoformat(),
        "restricted_notes_included": include_restricted,
        "plan": {
            "title": settings.title,
            "start": settings.start.isoformat(),
            "end": settings.end.isoformat(),
            "year_start_month": settings.year_start_month,
            "due_soon_days": settings.due_soon_days,
            "partners": dict(settings.partners),
            "rag": {rag.value: settings.rag_wording(rag) for rag in Rag},
        },
        "actions": [_action_record(s, settings, include_restricted, outputs) for s in statuses],
        "measures": [measure_record(view, exact=include_restricted) for view in measures],
    }


def _action_record(
    status: ActionStatus, settings: PlanSettings, include_restricted: bool, outputs: Outputs | None
) -> dict[str, Any]:
    action = status.action
    derived = {k: v for k, v in as_record(status, settings, outputs).items() if k not in _OWN_KEYS}
    return {
        "id": action.id,
        "title": action.title,
        "leads": list(action.leads),
        "target": action.target,
        "original_target": action.original_target,
        "owner": action.owner,
        "theme": action.theme,
        "description": action.description,
        "notes": action.notes,
        "added": iso(action.added),
        "updates": [_update_record(u, include_restricted) for u in action.updates],
        "target_history": [
            {
                "date": change.date.isoformat(),
                "from": change.old,
                "to": change.new,
                "reason": change.reason,
                "approved_by": change.approved_by,
            }
            for change in action.target_history
        ],
        "lifecycle": [
            {
                "date": change.date.isoformat(),
                "state": change.state.value,
                "reason": change.reason,
                "superseded_by": change.superseded_by,
            }
            for change in action.lifecycle
        ],
        "derived": derived,
    }


def _update_record(update: Update, include_restricted: bool) -> dict[str, Any]:
    # A withheld update keeps its date and colour: they make the derived state, which must stay
    # right. Its words go, all of them: what is being done may name the case as the note does.
    shown = include_restricted or not update.restricted
    return {
        "date": update.date.isoformat(),
        "rag": update.rag.value,
        "note": update.note if shown else None,
        "by": update.by,
        "restricted": update.restricted,
        "next_steps": update.next_steps if shown else None,
        "board_ask": update.board_ask if shown else None,
    }


def render_json(document: dict[str, Any]) -> str:
    import json

    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- CSV ----------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "ID",
    "Title",
    "Leads",
    "Target",
    "Original target",
    "RAG",
    "RAG meaning",
    "Due",
    "Overdue",
    "Due soon",
    "State",
    "Lifecycle",
    "Last update",
    "Latest note",
    "Owner",
    "Theme",
)


def csv_bytes(statuses: Sequence[ActionStatus], settings: PlanSettings, include_restricted: bool) -> bytes:
    """One row per action for a board spreadsheet: UTF-8 with a byte-order mark and CRLF, as Excel writes CSV."""
    rows = []
    for status in statuses:
        action, latest = status.action, status.latest
        if latest is None:
            note = ""
        elif latest.restricted and not include_restricted:
            note = WITHHELD
        else:
            note = latest.note
        text_cells = [
            action.title,
            "; ".join(action.leads),
            action.target,
            action.original_target,
            status.rag.value.upper(),
            settings.rag_wording(status.rag),
            iso(status.due) or "",
            "yes" if status.overdue else "no",
            "yes" if status.due_soon else "no",
            status.state,
            action.state.value,
            iso(latest.date if latest else None) or "",
            note,
            action.owner or "",
            action.theme or "",
        ]
        rows.append([action.id, *text_cells])
    return spreadsheet_csv(CSV_COLUMNS, rows)


# --- iCalendar ----------------------------------------------------------------------------------

PRODID = "-//vawg//VAWG action plan//EN"


def plan_key(settings: PlanSettings) -> str:
    """A short name for the plan from its title and start date, never its folder.

    The same plan exported from two clones gives the same event UIDs, so a calendar that imports
    the file again updates its events rather than adding copies.
    """
    return hashlib.sha256(f"{settings.title}\n{settings.start.isoformat()}".encode()).hexdigest()[:12]


def event_uid(settings: PlanSettings, action_id: int) -> str:
    return f"vawg-{plan_key(settings)}-action-{action_id}@vawg.local"


def ics_bytes(statuses: Sequence[ActionStatus], settings: PlanSettings, as_of: date) -> bytes:
    """An iCalendar file: one all-day event per deadline of each action not complete on `as_of`.

    An action on hold or withdrawn that day has no deadline, so no event.

    A recurring target is one recurring event (RRULE) that ends with the plan. DTSTAMP is `as_of`
    at midnight UTC, so the same plan and day give the same bytes.
    """
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", settings.title)
    stamp = datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc)
    for status in statuses:
        if status.complete or status.set_aside is not None:
            continue
        event = _event(status, settings, stamp)
        if event is not None:
            cal.add_component(event)
    data: bytes = cal.to_ical()  # untyped in icalendar: it is the calendar's bytes
    return data


def _event(status: ActionStatus, settings: PlanSettings, stamp: datetime) -> Event | None:
    from icalendar import Event

    action = status.action
    first, rule = _first_due_and_rule(action.schedule, settings)
    if first is None:
        return None  # ongoing, to be confirmed, or a recurring target with no due date inside the plan period
    event = Event()
    event.add("uid", event_uid(settings, action.id))
    event.add("dtstamp", stamp)
    event.add("sequence", 0)
    event.add("dtstart", first)
    event.add("dtend", first + timedelta(days=1))
    if rule is not None:
        event.add("rrule", rule)
    event.add("summary", f"VAWG action {action.id} due: {' '.join(action.title.split())}")
    event.add("description", _description(status, settings))
    event.add("categories", ["VAWG"])
    event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: it does not block the day
    return event


def _first_due_and_rule(schedule: Schedule, settings: PlanSettings) -> tuple[date | None, dict[str, Any] | None]:
    """The event's first day, and its recurrence rule (None for a target due once).

    An ongoing target has no event, unless it is due once first ("By Autumn 2023 and ongoing");
    a target to be confirmed has none.
    """
    dates = occurrences(schedule, settings.start, settings.end, settings.year_start_month)
    if not dates:
        return None, None
    if not isinstance(schedule, (Yearly, Periodic)):
        return dates[0].due, None
    rule: dict[str, Any]
    if isinstance(schedule, Yearly):
        rule = {"freq": "yearly", "bymonth": schedule.month}
        if schedule.day is None:
            rule["bymonthday"] = -1
        elif (schedule.month, schedule.day) == (2, 29):
            # 29 February falls on the 28th in other years: the later of the two the month has.
            rule["bymonthday"] = [28, 29]
            rule["bysetpos"] = -1
        else:
            rule["bymonthday"] = schedule.day
    elif CYCLE_MONTHS[schedule.every] > 1:
        rule = {"freq": "monthly", "interval": CYCLE_MONTHS[schedule.every], "bymonthday": -1}
    else:
        rule = {"freq": "monthly", "bymonthday": -1}
    # UNTIL takes DTSTART's value type (a date), and the rule's last occurrence is the plan's last.
    rule["until"] = settings.end
    return dates[0].due, rule


def _description(status: ActionStatus, settings: PlanSettings) -> str:
    action = status.action
    leads = ", ".join(
        f"{code} ({settings.partners[code]})" if code in settings.partners else code for code in action.leads
    )
    lines = [
        " ".join(action.title.split()),
        f"Leads: {leads}",
        f"Target: {action.target}",
        f"RAG on {status.as_of.isoformat()}: {status.rag.value.upper()} ({settings.rag_wording(status.rag)})",
        f"State: {status.state}",
    ]
    if action.owner:
        lines.insert(2, f"Owner: {action.owner}")
    return "\n".join(lines)
