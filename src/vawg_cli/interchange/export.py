"""`vawg export`: the whole plan with each action's derived state, as JSON, CSV or iCalendar.

`export_pieces` computes every action's status once, as of the day, and writes the document of
the format a piece at a time: an action's record, then the next, never the whole document at
once, so that a plan of a hundred thousand actions exports in the memory of a few.
Pure: plan and day in, bytes out. Nothing here reads the clock, prints or writes files, so the
same plan and the same `as_of` always give the same bytes (which tests and git rely on).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Literal

from vawg_cli.core.measures import MeasureView, measure_views, outputs_by_action
from vawg_cli.core.status import ActionStatus, statuses_on
from vawg_cli.interchange.ical_text import ics_texts
from vawg_cli.model.records import PlanSettings, Rag, Update
from vawg_cli.plan.loading import Plan
from vawg_cli.render.indented_json import dumps, members, optional, scalar, string
from vawg_cli.render.measure_data import figures_csv, measure_record
from vawg_cli.render.status import Outputs, as_record
from vawg_cli.text import UTF8_BOM, iso, spreadsheet_safe

EXPORT_FORMAT = "vawg-export"
EXPORT_VERSION = 1
WITHHELD = "Restricted update withheld"

# as_record's keys that are the action's own data rather than derived from it: the export gives
# those at the action's top level, as written, and keeps everything computed under "derived".
_OWN_KEYS = ("id", "title", "leads", "target")

# Text is gathered into pieces of about this many characters before it is encoded and written:
# few enough writes to cost nothing (hundreds for a plan of 10,000 actions), small enough
# that memory stays flat.
_PIECE = 1 << 16

# An update's colour as JSON: the same few strings, a hundred thousand times.
_RAGS = {rag: string(rag.value) for rag in Rag}


ExportForm = Literal["json", "csv", "ics"]


def export(
    plan: Plan, as_of: date, form: ExportForm, *, include_restricted: bool = False, measures: bool = False
) -> bytes:
    """The whole of `export_pieces` as one value: for tests and small plans."""
    return b"".join(export_pieces(plan, as_of, form, include_restricted=include_restricted, measures=measures))


def export_pieces(
    plan: Plan, as_of: date, form: ExportForm, *, include_restricted: bool = False, measures: bool = False
) -> Iterator[bytes]:
    """The plan as of `as_of` in one format, as the bytes to write, in order: the statuses are computed once.

    They are computed here, before the first piece, so a plan that cannot be exported fails
    before anything is written.
    `measures`: the CSV of the measures' figures, one row a figure, instead of the actions'.
    Measures are public (small counts withheld) unless `include_restricted`.
    """
    records = [f.measure for f in plan.measures]
    if measures:
        return iter((figures_csv(measure_views(records, plan.settings, as_of, exact=include_restricted)),))
    statuses = plan_statuses(plan, as_of)
    if form == "json":
        views = measure_views(records, plan.settings, as_of, exact=include_restricted)
        outputs = outputs_by_action(records, plan.settings, as_of)
        return _encoded(json_texts(statuses, plan.settings, as_of, include_restricted, views, outputs))
    if form == "csv":
        return itertools.chain((UTF8_BOM,), _encoded(_csv_texts(statuses, plan.settings, include_restricted)))
    return _encoded(ics_texts(statuses, plan.settings, as_of))


def plan_statuses(plan: Plan, as_of: date) -> list[ActionStatus]:
    """Every action's status, in plan (id) order: an export is a copy of the plan, not a to-do list.

    As with status and the papers, the plan is as it stood on `as_of`: an action added later is
    not in it, and a target changed later is the one in force that day.
    """
    return statuses_on((f.action for f in plan.actions), plan.settings, as_of)


def _encoded(texts: Iterable[str]) -> Iterator[bytes]:
    """The texts as UTF-8, some tens of kilobytes a piece."""
    gathered: list[str] = []
    size = 0
    for piece in texts:
        gathered.append(piece)
        size += len(piece)
        if size >= _PIECE:
            yield "".join(gathered).encode("utf-8")
            gathered, size = [], 0
    if gathered:
        yield "".join(gathered).encode("utf-8")


# --- JSON ---------------------------------------------------------------------------------------
# The stable JSON export (version 1), documented in the README, as json.dumps(document, indent=2,
# ensure_ascii=False) would write it; the tests hold that straightforward form and compare.


def json_texts(
    statuses: Sequence[ActionStatus],
    settings: PlanSettings,
    as_of: date,
    include_restricted: bool,
    measures: Sequence[MeasureView] = (),
    outputs: Outputs | None = None,
) -> Iterator[str]:
    """The plan and every action's derived state, an action at a time.

    `measures` as `vawg measures --format json` gives them; an action's `outputs` (under
    `derived`) are always the public view, as `vawg status` shows them.
    """
    head = {
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
    }
    yield "{\n  " + members(head, 0) + ',\n  "actions": '
    separator = "[\n    "
    for status in statuses:
        yield separator
        separator = ",\n    "
        yield _action_json(status, settings, include_restricted, outputs)
    yield "[]" if not statuses else "\n  ]"
    listed = [measure_record(view, exact=include_restricted) for view in measures]
    yield ',\n  "measures": ' + dumps(listed, 1) + "\n}\n"


def _action_json(
    status: ActionStatus, settings: PlanSettings, include_restricted: bool, outputs: Outputs | None
) -> str:
    """One action's record, as an item of the document's "actions" (two levels deep)."""
    action = status.action
    derived = {k: v for k, v in as_record(status, settings, outputs).items() if k not in _OWN_KEYS}
    history = [
        {
            "date": change.date.isoformat(),
            "from": change.old,
            "to": change.new,
            "reason": change.reason,
            "approved_by": change.approved_by,
        }
        for change in action.target_history
    ]
    lifecycle = [
        {
            "date": change.date.isoformat(),
            "state": change.state.value,
            "reason": change.reason,
            "superseded_by": change.superseded_by,
        }
        for change in action.lifecycle
    ]
    return (
        f'{{\n      "id": {scalar(action.id)},'
        f'\n      "title": {scalar(action.title)},'
        f'\n      "leads": {dumps(list(action.leads), 3)},'
        f'\n      "target": {scalar(action.target)},'
        f'\n      "original_target": {scalar(action.original_target)},'
        f'\n      "owner": {optional(action.owner)},'
        f'\n      "theme": {optional(action.theme)},'
        f'\n      "description": {optional(action.description)},'
        f'\n      "notes": {optional(action.notes)},'
        f'\n      "added": {optional(iso(action.added))},'
        f'\n      "updates": {_updates_json(action.updates, include_restricted)},'
        f'\n      "target_history": {dumps(history, 3) if history else "[]"},'
        f'\n      "lifecycle": {dumps(lifecycle, 3) if lifecycle else "[]"},'
        f'\n      "derived": {dumps(derived, 3)}'
        "\n    }"
    )


def _updates_json(updates: Sequence[Update], include_restricted: bool) -> str:
    """An action's updates, each four levels deep; written out here, as it is most of the document.

    A withheld update keeps its date and colour: they make the derived state, which must stay
    right. Its words go, all of them: what is being done may name the case as the note does.
    """
    if not updates:
        return "[]"
    items = []
    shown_note: str | None
    for when, rag, shown_note, by, restricted, steps, ask in updates:  # all 7 fields, unpacked: faster by far
        if restricted and not include_restricted:
            shown_note = steps = ask = None
        items.append(
            f'{{\n          "date": "{when.isoformat()}",'
            f'\n          "rag": {_RAGS[rag]},'
            f'\n          "note": {"null" if shown_note is None else string(shown_note)},'
            f'\n          "by": {"null" if by is None else string(by)},'
            f'\n          "restricted": {"true" if restricted else "false"},'
            f'\n          "next_steps": {"null" if steps is None else string(steps)},'
            f'\n          "board_ask": {"null" if ask is None else string(ask)}'
            "\n        }"
        )
    return "[\n        " + ",\n        ".join(items) + "\n      ]"


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
    return UTF8_BOM + b"".join(_encoded(_csv_texts(statuses, settings, include_restricted)))


def _csv_texts(statuses: Sequence[ActionStatus], settings: PlanSettings, include_restricted: bool) -> Iterator[str]:
    """The table as `text.spreadsheet_csv` writes it (text cells never run as formulas), a row at a time."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for status in statuses:
        writer.writerow(_csv_row(status, settings, include_restricted))
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def _csv_row(status: ActionStatus, settings: PlanSettings, include_restricted: bool) -> list[object]:
    action, latest = status.action, status.latest
    if latest is None:
        note = ""
    elif latest.restricted and not include_restricted:
        note = WITHHELD
    else:
        note = latest.note
    safe = spreadsheet_safe
    # The plan's own text is guarded; the colour, dates, yes/no and lifecycle state are vawg's own
    # words and digits, which never start as a formula does.
    return [
        action.id,
        safe(action.title),
        safe("; ".join(action.leads)),
        safe(action.target),
        safe(action.original_target),
        status.rag.value.upper(),
        safe(settings.rag_wording(status.rag)),
        iso(status.due) or "",
        "yes" if status.overdue else "no",
        "yes" if status.due_soon else "no",
        safe(status.state),
        action.state.value,
        iso(latest.date if latest else None) or "",
        safe(note),
        safe(action.owner or ""),
        safe(action.theme or ""),
    ]
