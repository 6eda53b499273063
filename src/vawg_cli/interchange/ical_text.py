"""The export's iCalendar file, as text: one all-day event per deadline, lines as icalendar writes them.

The calendar has a fixed shape (a few text properties, all-day dates, a simple RRULE), so it is
written here line by line rather than built as the icalendar library's objects: building those
took most of a large export's time and held every event at once. The lines are escaped, folded
and ended (CRLF) byte for byte as icalendar (7.x) writes the same calendar, which the tests check
against the library itself; the library is not needed to write it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from vawg_cli.core.status import ActionStatus
from vawg_cli.model.records import PlanSettings
from vawg_cli.model.schedule import CYCLE_MONTHS, Periodic, Schedule, Yearly, occurrences

_ESCAPED_AT_A_FOLD = "\\^"  # not split from the character after it (icalendar issue #1501)


def text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 (and icalendar) has it: backslash, semicolon, comma, newlines.

    The order matters, and is icalendar's: a written `\\N` is first taken as a newline.
    """
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def verbatim(value: str) -> str:
    """An X- property's value (the calendar's name) as icalendar writes a property it does not know: as it is.

    Not escaped as TEXT: a comma or semicolon stays as written. But a line break would end the
    line early (icalendar refused it, with an error), so there one is written `\\n`, as in TEXT.
    """
    if "\n" not in value and "\r" not in value:  # a lone CR ends a line too, for a strict reader
        return value
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def day(value: date) -> str:
    """A DATE value: 20250430 (the year always four digits)."""
    return f"{value.year:04}{value.month:02}{value.day:02}"


def line(content: str) -> str:
    """One content line, folded and ended: no line longer than 75 octets, continuations begin with a space.

    As icalendar folds: a line breaks before the character that would bring it to 75 octets
    (UTF-8, whole characters only), and a backslash or caret is carried over to the next line
    with the character it escapes.
    """
    if len(content) < 75 and content.isascii():
        return content + "\r\n"
    if content.isascii():
        return _fold_ascii(content) + "\r\n"
    return _fold(content) + "\r\n"


def _fold_ascii(content: str) -> str:
    # One octet a character: each line holds 74, less a trailing escape character carried over.
    pieces = []
    start = 0
    while len(content) - start >= 75:
        end = start + 74
        if content[end - 1] in _ESCAPED_AT_A_FOLD:
            end -= 1
        pieces.append(content[start:end])
        start = end
    pieces.append(content[start:])
    return "\r\n ".join(pieces)


def _fold(content: str) -> str:
    """The same as `_fold_ascii`, counting each character's UTF-8 octets."""
    pieces: list[str] = []
    current: list[str] = []
    count = 0
    for char in content:
        size = 1 if char < "\x80" else 2 if char < "\u0800" else 3 if char < "\U00010000" else 4
        if current and count + size >= 75:
            if len(current) > 1 and current[-1] in _ESCAPED_AT_A_FOLD:
                carried = current.pop()
                pieces.append("".join(current))
                current = [carried]
                count = 1
            else:
                pieces.append("".join(current))
                current = []
                count = 0
        current.append(char)
        count += size
    if current:
        pieces.append("".join(current))
    return "\r\n ".join(pieces)


# --- the export's calendar ---------------------------------------------------------------------

PRODID = "-//vawg//VAWG action plan//EN"


def plan_key(settings: PlanSettings) -> str:
    """A short name for the plan from its title and start date, never its folder.

    The same plan exported from two clones gives the same event UIDs, so a calendar that imports
    the file again updates its events rather than adding copies.
    """
    return hashlib.sha256(f"{settings.title}\n{settings.start.isoformat()}".encode()).hexdigest()[:12]


def ics_texts(statuses: Sequence[ActionStatus], settings: PlanSettings, as_of: date) -> Iterator[str]:
    """An iCalendar file: one all-day event per deadline of each action not complete on `as_of`.

    An action on hold or withdrawn that day has no deadline, so no event.

    A recurring target is one recurring event (RRULE) that ends with the plan. DTSTAMP is `as_of`
    at midnight UTC, so the same plan and day give the same bytes. The lines and their order are
    those the icalendar library writes for the same calendar (see `ical_text`).
    """
    yield (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        + line("PRODID:" + text(PRODID))
        + "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n"
        + line("X-WR-CALNAME:" + verbatim(settings.title))
    )
    stamp = f"DTSTAMP:{day(as_of)}T000000Z\r\n"
    key = plan_key(settings)
    for status in statuses:
        if status.complete or status.set_aside is not None:
            continue
        event = _event(status, settings, stamp, key)
        if event is not None:
            yield event
    yield "END:VCALENDAR\r\n"


def _event(status: ActionStatus, settings: PlanSettings, stamp: str, key: str) -> str | None:
    action = status.action
    first, rule = _first_due_and_rule(action.schedule, settings)
    if first is None:
        return None  # ongoing, to be confirmed, or a recurring target with no due date inside the plan period
    title = " ".join(action.title.split())
    return "".join(
        (
            "BEGIN:VEVENT\r\n",
            line("SUMMARY:" + text(f"VAWG action {action.id} due: {title}")),
            f"DTSTART;VALUE=DATE:{day(first)}\r\n",
            f"DTEND;VALUE=DATE:{day(first + timedelta(days=1))}\r\n",
            stamp,
            line("UID:" + text(f"vawg-{key}-action-{action.id}@vawg.local")),
            "SEQUENCE:0\r\n",
            "" if rule is None else line("RRULE:" + rule),
            "CATEGORIES:VAWG\r\n",
            line("DESCRIPTION:" + text(event_description(status, settings))),
            "TRANSP:TRANSPARENT\r\n",  # a deadline, not a meeting: it does not block the day
            "END:VEVENT\r\n",
        )
    )


def _first_due_and_rule(schedule: Schedule, settings: PlanSettings) -> tuple[date | None, str | None]:
    """The event's first day, and its recurrence rule as the RRULE's value (None for a target due once).

    An ongoing target has no event, unless it is due once first ("By Autumn 2023 and ongoing");
    a target to be confirmed has none.
    """
    dates = occurrences(schedule, settings.start, settings.end, settings.year_start_month)
    if not dates:
        return None, None
    if not isinstance(schedule, (Yearly, Periodic)):
        return dates[0].due, None
    # UNTIL takes DTSTART's value type (a date), and the rule's last occurrence is the plan's last.
    # The parts in RFC 5545's order (FREQ first: some calendars ignore a rule that does not start so).
    until = f"UNTIL={day(settings.end)}"
    if isinstance(schedule, Yearly):
        if schedule.day is None:
            days = "BYMONTHDAY=-1"
        elif (schedule.month, schedule.day) == (2, 29):
            # 29 February falls on the 28th in other years: the later of the two the month has.
            return dates[0].due, f"FREQ=YEARLY;{until};BYMONTHDAY=28,29;BYMONTH=2;BYSETPOS=-1"
        else:
            days = f"BYMONTHDAY={schedule.day}"
        return dates[0].due, f"FREQ=YEARLY;{until};{days};BYMONTH={schedule.month}"
    months = CYCLE_MONTHS[schedule.every]
    interval = f"INTERVAL={months};" if months > 1 else ""
    return dates[0].due, f"FREQ=MONTHLY;{until};{interval}BYMONTHDAY=-1"


def event_description(status: ActionStatus, settings: PlanSettings) -> str:
    """The words of an action's event: title, leads, target, colour and state."""
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
