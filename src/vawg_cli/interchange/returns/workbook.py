"""A partner's quarterly return as an Excel workbook: an instructions sheet and a return sheet.

The return sheet lists each action the partner leads with what the plan says of it, then the cells
the partner fills in: the new colour (a drop-down of the five, with the plan's own words), the
progress note, what is being done, what the board is asked to do, the date and whether the
update is restricted; then a row for each figure it supplies (layout.py says which column holds
what). Only those cells can be changed: the sheet is protected without a password, so nothing
is lost if a partner needs to lift it, and the hidden identity column (identity.py) tells a
changed row from the one the return was made with.

openpyxl writes it (a well-kept library that writes files Excel and LibreOffice open without a
repair prompt, data validation and sheet protection included); it is imported only here.
"""

from __future__ import annotations

import io
import math
from datetime import date, datetime, time
from typing import Any

from vawg_cli.core.returns import PartnerReturn, same_partner, update_key
from vawg_cli.core.status import action_status
from vawg_cli.interchange.returns.identity import ReturnHeader, RowIdentity
from vawg_cli.interchange.returns.layout import (
    BOARD_ASK,
    COLOUR,
    COLUMNS,
    DATE,
    FIGURE,
    FIGURE_HEADINGS,
    FIGURE_NOTE,
    FIGURES_MARK,
    IDENTITY,
    NEXT_STEPS,
    NO,
    NOTE,
    RESTRICTED,
    YES,
)
from vawg_cli.model.periods import period_text
from vawg_cli.model.records import Action, PlanSettings, Rag
from vawg_cli.render.marks import RAG_WORDS, day
from vawg_cli.text import one_line

INSTRUCTIONS = "Instructions"
RETURN = "Return"
HEADER_ROW = 4
"""The return sheet's column headings; the rows to fill follow."""

# Light fills, so black text stays readable on each (the colour's word is always written too).
FILLS = {Rag.RED: "F4B6B6", Rag.AMBER: "FFD966", Rag.GREEN: "A9D08E", Rag.BLUE: "9DC3E6", Rag.GREY: "D9D9D9"}
TO_FILL = "FFF2CC"  # the pale yellow spreadsheets use for input cells


def choice(rag: Rag, settings: PlanSettings) -> str:
    """A colour as the drop-down offers it: "Amber: Some delay or risk, being managed by the lead"."""
    return f"{RAG_WORDS[rag]}: {one_line(settings.rag_wording(rag))}"


def file_name(partner: PartnerReturn) -> str:
    """ "VAWG return 2025-26 Q3 - Metropolitan Police Service.xlsx": for the partner and the quarter."""
    quarter = partner.window.quarter
    name = "".join(ch for ch in partner.name if ch.isalnum() or ch in " -&,.()'")
    name = " ".join(name.split())[:60].strip(" .") or partner.code
    return f"VAWG return {quarter.year_label.replace('/', '-')} Q{quarter.number} - {name}.xlsx"


def make_workbook(settings: PlanSettings, partner: PartnerReturn, header: ReturnHeader, *, made: date) -> bytes:
    """The workbook's bytes: the same plan, partner and day always give the same cells."""
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

    book = Workbook()
    instructions = book.active
    instructions.title = INSTRUCTIONS
    sheet = book.create_sheet(RETURN)
    key_rows = _instructions(instructions, settings, partner, made)
    _return_sheet(sheet, settings, partner, header, made, key_rows)
    stamp = datetime.combine(made, time(0, 0))
    book.properties.creator = "vawg"
    # The document's properties are XML too: a control character in the plan's title (which `vawg
    # check` lets pass, and the papers show as its escape) stopped the whole workbook being written.
    book.properties.title = _xml_text(f"{settings.title}: return {partner.window.quarter.label}")
    book.properties.created = book.properties.modified = stamp
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _style() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side  # type: ignore[import-untyped,unused-ignore]

    thin = Side(style="thin", color="BFBFBF")
    return {
        "Alignment": Alignment,
        "Font": Font,
        "PatternFill": PatternFill,
        "Protection": Protection,
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
    }


def _instructions(sheet: Any, settings: PlanSettings, partner: PartnerReturn, made: date) -> tuple[int, int]:
    """Fill the instructions sheet; return the rows of the colour key (the drop-down's choices)."""
    s = _style()
    window = partner.window
    quarter = window.quarter
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 80
    wrap = s["Alignment"](wrap_text=True, vertical="top")
    send_to = settings.returns.send_to
    to = _contact_text(send_to.name, send_to.email) if send_to else "the partnership's VAWG coordinator"
    figures = len(partner.figures_owed)
    rows: list[tuple[str, str]] = [
        ("Quarter", f"{quarter.label}: {quarter.months}"),
        ("Return by", f"{window.deadline:%A} {day(window.deadline)}"),
        ("Send it to", to),
        ("Actions in this return", f"{len(partner.actions)}: each action {partner.name} leads"),
    ]
    if figures:
        rows.append(("Figures in this return", f"{figures}: for the measures {partner.name} supplies"))
    steps = [
        "Open the Return sheet. It has a row for each action you lead, with what the plan says of it and its "
        "latest update.",
        "For each action, choose its colour now from the drop-down in New colour (the key below says what each "
        "means) and write in Progress this quarter what has happened, in a sentence or two fit for a board paper.",
        "Write in What is being done the next steps you are taking, and in What the board is asked to do anything "
        "the partnership board must decide or do (leave it blank if nothing). They are most needed when the colour "
        "is Red: the board paper shows them beside the action, under For decision.",
        f"Give the date of your update (from {day(window.opens)} to {day(window.closes)}), or leave it blank for "
        f"the quarter's last day (or the day it is read, if that is sooner). Leave a row blank if there is "
        "nothing new: it is reported as not returned.",
        "Choose Yes in Restricted? if what you write holds anything that must not be published (case detail, "
        "names, a small number of people): the working group sees it, public papers do not. Never put a victim's "
        "name or details in a return.",
        "Fill in any figures asked for below the actions, as whole numbers for counts.",
        "Only the yellow cells can be changed. Please do not add, remove or move rows, columns or sheets: vawg "
        f"reads your answers back by position. Save the workbook as it is (.xlsx) and send it to {to}.",
    ]
    _put(sheet, 1, 1, settings.title)
    sheet["A1"].font = s["Font"](bold=True, size=14)
    _put(sheet, 2, 1, f"Quarterly return from {partner.name}")
    sheet["A2"].font = s["Font"](bold=True, size=12)
    row = 4
    for label, value in rows:
        _put(sheet, row, 1, label).font = s["Font"](bold=True)
        sheet.cell(row, 1).alignment = wrap
        _put(sheet, row, 2, value).alignment = wrap
        row += 1
    row += 1
    _put(sheet, row, 1, "How to fill it in").font = s["Font"](bold=True, size=12)
    row += 1
    for number, step in enumerate(steps, 1):
        _put(sheet, row, 1, f"Step {number}").alignment = wrap
        _put(sheet, row, 2, step).alignment = wrap
        sheet.row_dimensions[row].height = _height([(step, 80)])
        row += 1
    row += 1
    _put(sheet, row, 1, "What the colours mean").font = s["Font"](bold=True, size=12)
    row += 1
    first = row
    for rag in Rag:
        _put(sheet, row, 1, RAG_WORDS[rag]).fill = s["PatternFill"]("solid", fgColor=FILLS[rag])
        cell = _put(sheet, row, 2, choice(rag, settings))
        cell.alignment = wrap
        sheet.row_dimensions[row].height = _height([(cell.value, 80)])
        row += 1
    row += 1
    _put(sheet, row, 1, "About this workbook").font = s["Font"](bold=True)
    sheet.cell(row, 1).alignment = wrap
    about = (
        f"Made by vawg on {day(made)} from the plan {settings.title!r}. The Return sheet is protected without "
        "a password so that only the yellow cells change; a hidden column records which plan, quarter and "
        "actions it was made for, so that your answers reach the right actions."
    )
    _put(sheet, row, 2, about).alignment = wrap
    sheet.row_dimensions[row].height = _height([(about, 80)])
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.protection.sheet = True
    sheet.sheet_view.showGridLines = False
    return first, row - 2


def _xml_text(text: str) -> str:
    """`text` with each character an .xlsx cannot hold (a control character) shown as its escape."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped,unused-ignore]

    return str(ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m[0]):02x}", text))


def _put(sheet: Any, row: int, column: int, value: object) -> Any:
    """Write a cell; text stays text. Plan text starting with "=" must never become a live formula
    in a partner's Excel, and a control character (which a plan may hold and an .xlsx may not) is
    shown as its escape rather than stopping the workbook being written."""
    cell = sheet.cell(row, column)
    if isinstance(value, str):
        cell.value = _xml_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def _contact_text(name: str | None, email: str | None) -> str:
    if name and email:
        return f"{name} <{email}>"
    return name or email or ""


def _return_sheet(
    sheet: Any, settings: PlanSettings, partner: PartnerReturn, header: ReturnHeader, made: date, key: tuple[int, int]
) -> None:
    from openpyxl.formatting.rule import FormulaRule  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped,unused-ignore]

    s = _style()
    window = partner.window
    quarter = window.quarter
    wrap = s["Alignment"](wrap_text=True, vertical="top")
    bold = s["Font"](bold=True)
    open_cell = s["Protection"](locked=False)
    yellow = s["PatternFill"]("solid", fgColor=TO_FILL)
    for number, column in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.column_dimensions[get_column_letter(IDENTITY)].hidden = True
    _put(sheet, 1, 1, f"Quarterly return from {partner.name}: {quarter.label} ({quarter.months})")
    sheet["A1"].font = s["Font"](bold=True, size=13)
    _put(
        sheet,
        2,
        1,
        f"Please return by {window.deadline:%A} {day(window.deadline)}. Fill in the yellow cells; leave a row blank "
        "if there is nothing new. The Instructions sheet says how.",
    )
    _put(sheet, HEADER_ROW, IDENTITY, header.encode())
    for number, column in enumerate(COLUMNS[:-1], 1):
        cell = _put(sheet, HEADER_ROW, number, column.heading)
        cell.font = bold
        cell.alignment = wrap
        cell.border = s["border"]
        cell.fill = yellow if column.fill else s["PatternFill"]("solid", fgColor="E7E6E6")
    colours = DataValidation(
        type="list",
        formula1=f"={INSTRUCTIONS}!$B${key[0]}:$B${key[1]}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Choose a colour",
        error="Choose one of the five colours from the list (the Instructions sheet says what each means).",
        promptTitle="New colour",
        prompt="The action's colour now; leave blank if nothing is new.",
    )
    start, end = window.opens, window.closes
    dates = DataValidation(
        type="date",
        operator="between",
        formula1=f"DATE({start.year},{start.month},{start.day})",
        formula2=f"DATE({end.year},{end.month},{end.day})",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="A date in the quarter",
        error=f"Give a date from {day(start)} to {day(end)}, such as {end:%d/%m/%Y}.",
    )
    restricted = DataValidation(
        type="list", formula1=f'"{NO},{YES}"', allow_blank=True, showErrorMessage=True, error="Choose Yes or No."
    )
    for validation in (colours, dates, restricted):
        sheet.add_data_validation(validation)
    row = HEADER_ROW + 1
    first = row
    for action in partner.actions:
        values = _action_cells(action, settings, partner, made)
        for number, value in enumerate(values, 1):
            cell = _put(sheet, row, number, value)
            cell.alignment = wrap
            cell.border = s["border"]
        latest = action.updates[-1].rag if action.updates else None
        if latest is not None:
            sheet.cell(row, 5).fill = s["PatternFill"]("solid", fgColor=FILLS[latest])
        for number in (COLOUR, NOTE, NEXT_STEPS, BOARD_ASK, DATE, RESTRICTED):
            cell = sheet.cell(row, number)
            cell.protection = open_cell
            cell.fill = yellow
            cell.border = s["border"]
            cell.alignment = wrap
        sheet.cell(row, DATE).number_format = "dd/mm/yyyy"
        colours.add(sheet.cell(row, COLOUR))
        dates.add(sheet.cell(row, DATE))
        restricted.add(sheet.cell(row, RESTRICTED))
        seen = tuple(update_key(update) for update in action.updates)
        _put(sheet, row, IDENTITY, RowIdentity(action=action.id, seen=seen).encode(header))
        sheet.row_dimensions[row].height = _height(
            [(str(values[1]), COLUMNS[1].width), (str(values[4]), COLUMNS[4].width), ("", 0)], least=3
        )
        row += 1
    last = row - 1
    if last >= first:
        for rag in Rag:
            letter = get_column_letter(COLOUR)
            word = RAG_WORDS[rag].lower()
            rule = FormulaRule(
                formula=[f'LOWER(LEFT(TRIM(${letter}{first}),{len(word)}))="{word}"'],
                fill=s["PatternFill"]("solid", fgColor=FILLS[rag], bgColor=FILLS[rag]),
            )
            sheet.conditional_formatting.add(f"{letter}{first}:{letter}{last}", rule)
    if partner.figures_owed:
        row += 1
        for number, heading in enumerate(FIGURE_HEADINGS, 1):
            cell = _put(sheet, row, number, heading)
            cell.font = bold
            cell.border = s["border"]
            cell.fill = yellow if number in (FIGURE, FIGURE_NOTE) else s["PatternFill"]("solid", fgColor="E7E6E6")
        _put(sheet, row, IDENTITY, FIGURES_MARK)
        row += 1
        ysm = quarter.year_start_month
        for due in partner.figures_owed:
            measure = due.measure
            previous = measure.values[-1] if measure.values else None
            shown = f"{_figure(previous.value)} ({previous.period.label(ysm)})" if previous else "none yet"
            cells = (measure.code, measure.name, due.period.label(ysm), measure.unit, shown)
            for number, value in enumerate(cells, 1):
                cell = _put(sheet, row, number, value)
                cell.alignment = wrap
                cell.border = s["border"]
            for number in (FIGURE, FIGURE_NOTE):
                cell = sheet.cell(row, number)
                cell.protection = open_cell
                cell.fill = yellow
                cell.border = s["border"]
            identity = RowIdentity(measure=measure.code, period=period_text(due.period))
            _put(sheet, row, IDENTITY, identity.encode(header))
            sheet.row_dimensions[row].height = _height(
                [(measure.name, COLUMNS[1].width), (measure.code, COLUMNS[0].width - 2)]
            )
            row += 1
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 3)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    # Eleven columns, three of them for a partner's sentences: on A4 the text would print at
    # half size; on A3 at three quarters, which a council's printers take.
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    # Protected without a password: only the yellow cells change, yet nothing is locked away if a
    # partner must lift it. Columns and rows may still be resized to read long notes.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _action_cells(action: Action, settings: PlanSettings, partner: PartnerReturn, made: date) -> tuple[object, ...]:
    status = action_status(action, settings, made)
    target = action.target
    if action.target_history:
        target = f"{action.target} (was {action.original_target})"
    due = day(status.due) if status.due else "-"
    if status.overdue:
        due += " (overdue)"
    latest = action.updates[-1] if action.updates else None
    if latest is None:
        shown = "No update yet"
    elif latest.restricted and not same_partner(latest.by, partner.code):
        shown = f"{RAG_WORDS[latest.rag]}, {day(latest.date)}: (a restricted note, not shown)"
    else:
        by = f" ({latest.by})" if latest.by else ""
        shown = f"{RAG_WORDS[latest.rag]}, {day(latest.date)}{by}: {one_line(latest.note)}"
    reference = action.ref or str(action.id)
    return (reference, one_line(action.title), target, due, shown)


def _figure(value: int | float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _height(texts: list[tuple[str, int]], least: int = 1) -> float:
    """A row tall enough for its longest wrapped text: Excel does not grow a row it did not write."""
    lines = least
    for text, width in texts:
        if width:
            lines = max(lines, sum(math.ceil(max(len(part), 1) / (width * 1.1)) for part in text.split("\n")))
    return 15.0 * min(lines, 25)
