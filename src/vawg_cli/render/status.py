"""`vawg status` output: a Rich table in a terminal, plain lines when piped, JSON and CSV for tools.

Rich is imported only when a table is drawn: it is most of the start-up time of a short command.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from vawg_cli.core.measures import MeasureView
from vawg_cli.core.status import ActionStatus, StatusView
from vawg_cli.model.records import PlanSettings
from vawg_cli.model.schedule import is_recurring, target_kind
from vawg_cli.render.measure_data import figure_record
from vawg_cli.render.measures import output_words
from vawg_cli.render.status_text import Texts, write_text
from vawg_cli.text import iso, printable, spreadsheet_safe

Outputs = Mapping[int, Sequence[MeasureView]]
"""The public view of each action's outputs, by action id (`core.measures.outputs_by_action`)."""


def output_texts(outputs: Outputs | None) -> Texts:
    """ "Output: Professionals trained 122 of 400 (30%), 2025/26 to date", one per output with a figure,
    by action id: as written, and with each figure glued for wrapping (see `status_text.NBSP`)."""
    texts: dict[int, list[tuple[str, str]]] = {}
    for number, views in (outputs or {}).items():
        for view in views:
            if (words := output_words(view)) is not None:
                glued = output_words(view, glue=True)
                texts.setdefault(number, []).append((f"Output: {words}", f"Output: {glued}"))
    return texts


def output_records(status: ActionStatus, outputs: Outputs) -> list[dict[str, Any]]:
    records = []
    for view in outputs.get(status.action.id, ()):
        year = view.year_to_date
        if year is None or (words := output_words(view)) is None:
            continue
        records.append(
            {
                "code": view.code,
                "name": view.name,
                "unit": view.unit,
                "year": year.label,
                "complete": year.complete,
                **figure_record(year.figure),
                "target": year.target,
                "against_target": year.against_target,
                "words": words,
            }
        )
    return records


def as_record(status: ActionStatus, settings: PlanSettings, outputs: Outputs | None = None) -> dict[str, Any]:
    """One action's status as plain data: the JSON form, documented in the README."""
    action = status.action
    return {
        "id": action.id,
        "ref": action.ref,
        "title": action.title,
        "leads": list(action.leads),
        "target": action.target,
        "recurring": is_recurring(action.schedule),
        "target_kind": target_kind(action.schedule),
        "rag": status.rag.value,
        "rag_meaning": settings.rag_wording(status.rag),
        "due": iso(status.due),
        "next_due": iso(status.next_due),
        "overdue": status.overdue,
        "overdue_since": iso(status.overdue_since),
        "due_soon": status.due_soon,
        "complete": status.complete,
        "state": status.state,
        "lifecycle": status.action.state.value,
        "superseded_by": status.set_aside.superseded_by if status.set_aside else None,
        "last_update": iso(status.latest.date if status.latest else None),
        "outputs": output_records(status, outputs or {}),
    }


def render_json(statuses: Sequence[ActionStatus], settings: PlanSettings, outputs: Outputs | None = None) -> str:
    return "".join(json_pieces(statuses, settings, outputs))


def json_pieces(
    statuses: Sequence[ActionStatus], settings: PlanSettings, outputs: Outputs | None = None
) -> Iterator[str]:
    """The statuses as `json.dumps(records, indent=2, ensure_ascii=False)` writes them, an action at
    a time (indented_json.py): a hundred thousand actions are never all records, or one text, at
    once, and the standard library's pure-Python indenting is not paid for."""
    from vawg_cli.render.indented_json import dumps

    if not statuses:
        yield "[]\n"
        return
    separator = "[\n  "
    for status in statuses:
        yield separator + dumps(as_record(status, settings, outputs), 1)
        separator = ",\n  "
    yield "\n]\n"


CSV_COLUMNS = ("id", "title", "leads", "target", "rag", "due", "overdue", "due_soon", "state", "last_update", "outputs")


def render_csv(statuses: Sequence[ActionStatus], settings: PlanSettings, outputs: Outputs | None = None) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for status in statuses:
        record = as_record(status, settings, outputs)
        record["leads"] = "; ".join(record["leads"])
        record["outputs"] = "; ".join(output["words"] for output in record["outputs"])
        cells = ("" if record[c] is None else record[c] for c in CSV_COLUMNS)
        writer.writerow([spreadsheet_safe(cell) if isinstance(cell, str) else cell for cell in cells])
    return out.getvalue()


def write_status(view: StatusView, settings: PlanSettings, fmt: str, outputs: Outputs | None = None) -> None:
    """`vawg status` to standard output: json or csv for tools; a table in a terminal; plain lines piped."""
    import sys

    if fmt == "json" and not sys.stdout.isatty():
        try:
            sys.stdout.writelines(json_pieces(view.chosen, settings, outputs))  # for tools, as written
        except BrokenPipeError:
            return  # the reader has gone (`| head`): the rest is not made, as for `vawg export`
    elif fmt in ("json", "csv"):
        render = render_json if fmt == "json" else render_csv
        text = render(view.chosen, settings, outputs)
        # For tools when piped, as written; read in a terminal, plan text cannot act on it.
        sys.stdout.write(printable(text, newlines=True) if sys.stdout.isatty() else text)
    else:
        write_text(view.chosen, settings, view.as_of, view.total, output_texts(outputs))
