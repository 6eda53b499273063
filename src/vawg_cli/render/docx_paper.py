"""The board paper's body as Word content: headings, real tables and shaded colour cells.

Built with python-docx into a sub-document of the Word template (render/docx.py), so it takes
the template's own styles: a council's fonts and heading colours apply without code. What Word
needs to print well is set here, on every table: the header row repeats on each page, no row
splits across pages, a small table stays whole, and each heading keeps with what follows.

Plan text is only ever a run's text: python-docx escapes it, and it is never read as template
code (the template's tags are rendered before this content is put in).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from vawg_cli.core.report import ActionLine, Note, Report
from vawg_cli.model.records import Rag
from vawg_cli.render.docx_tables import WordWriter, text
from vawg_cli.render.marks import RAG_WORDS, day, signed
from vawg_cli.render.report import capitalize_first, slip


class Paper(WordWriter):
    """Appends the paper's sections to a python-docx document (a docxtpl sub-document)."""

    def __init__(self, document: Any, report: Report) -> None:
        super().__init__(document)
        self.report = report

    # --- the sections, in the order of the HTML paper -------------------------------------------

    SECTIONS: tuple[str, ...] = (
        "summary",
        "decisions",
        "targets_changed",
        "completed",
        "due_next",
        "all_actions",
        "partners",
        "measures",
        "year_on_year",
        "about",
    )

    def section(self, name: str) -> None:
        builder: Callable[[], None] = getattr(self, f"_{name}")
        builder()

    def _summary(self) -> None:
        r, q = self.report, self.report.quarter
        for shown, words in (
            (
                r.example,
                "Example plan. This paper is made from the example plan that comes with vawg, not from a "
                "partnership's own plan: its actions are real, its progress is not.",
            ),
            (
                r.no_updates,
                "No progress recorded yet. The plan holds no update at all, so every action is grey "
                "and every date passed shows as overdue.",
            ),
            (
                r.interim,
                f"Interim position. {q.label} runs to {day(q.end)}: this paper shows the position on "
                f"{day(r.as_at)}, and updates still to come this quarter are not in it.",
            ),
        ):
            if shown:
                lead, rest = words.split(". ", 1)
                paragraph = self.doc.add_paragraph()
                paragraph.add_run(lead + ". ").bold = True
                paragraph.add_run(rest)
        self.heading("Summary", 1)
        self.doc.add_paragraph().add_run(text(r.headline)).bold = True
        cards = self.table(1, len(Rag))
        for cell, rag in zip(cards.rows[0].cells, Rag, strict=True):
            self.shade(cell, rag)
            cell.paragraphs[0].text = ""
            self.colour_run(cell.paragraphs[0], rag, f"{RAG_WORDS[rag]}: {r.counts[rag]}")
            note = cell.add_paragraph()
            self.colour_run(note, rag, f"{signed(r.change(rag))} since last quarter", size=8, bold=False)
        self.keep_together(cards)
        self.spacer()
        key = self.table(len(r.rag_key) + 1, 2, header_cells=("Colour", "What it means"), widths=(3.0, 14.4))
        for row, (rag, wording) in zip(key.rows[1:], r.rag_key, strict=True):
            self.rag_cell(row.cells[0], rag)
            row.cells[1].text = text(wording)
        self.keep_together(key)
        figures = [
            f"{len(r.overdue)} overdue",
            f"{len(r.not_updated)} with no update this quarter",
            f"{len(r.to_be_confirmed)} target to be confirmed",
            f"{len(r.targets_changed)} target{'' if len(r.targets_changed) == 1 else 's'} changed this quarter",
            *(f"{number} {state} ({signed(change)})" for state, number, change in r.set_aside),
        ]
        self.doc.add_paragraph(" · ".join(figures))

    def _decisions(self) -> None:
        self.heading("For decision", 1)
        self.muted("Red first, then overdue, then amber, then no update this quarter.")
        if not self.report.exceptions:
            self.muted("Nothing: every action is on track and was updated this quarter.")
        for item in self.report.exceptions:
            line = item.line
            self.heading(f"{self.ref(line)}. {text(line.title)}", 3)
            rows = [
                ("Why it is here", "; ".join(item.reasons)),
                ("Latest update", self.note(item.note) if item.note else "No update yet"),
                ("What is being done", item.next_steps or "Not said"),
                ("The board is asked to", item.board_ask or "Note the position"),
            ]
            table = self.table(len(rows) + 3, 2, widths=(4.2, 13.2))
            self.label(table.rows[0].cells[0], "Colour")
            value = table.rows[0].cells[1]
            self.rag_cell(value, line.rag)
            if line.rag_before is not None and line.rag_before is not line.rag:
                value.paragraphs[0].add_run(f"  (last quarter: {RAG_WORDS[line.rag_before]})")
            self.label(table.rows[1].cells[0], "Lead")
            table.rows[1].cells[1].text = text(", ".join(line.leads))
            self.label(table.rows[2].cells[0], "Due")
            table.rows[2].cells[1].text = self.due(line)
            for row, (label, value_text) in zip(table.rows[3:], rows, strict=True):
                self.label(row.cells[0], label)
                row.cells[1].text = text(capitalize_first(value_text))
            if item.board_ask:
                self.fill(table.rows[-1].cells[1], "F4EFFA")
            self.keep_together(table)
            self.spacer()

    def _targets_changed(self) -> None:
        self.heading("Targets changed this quarter", 1)
        changed = self.report.targets_changed
        if not changed:
            self.muted("No target was changed this quarter.")
            return
        table = self.table(
            len(changed) + 1,
            5,
            header_cells=("ID", "Action", "Changed", "Target", "Reason and approval"),
            widths=(1.1, 4.5, 2.3, 3.4, 6.1),
        )
        for row, c in zip(table.rows[1:], changed, strict=True):
            move = c.move
            moved = f" ({slip(move.slip_days)})" if move.slip_days is not None else ""
            approved = f" Approved by {move.approved_by}." if move.approved_by else " Approval not recorded."
            self.fill_row(
                row,
                (
                    self.ref(c.line),
                    c.line.title,
                    day(move.date),
                    f"{move.old} → {move.new}{moved}",
                    f"{move.reason}.{approved}",
                ),
            )
        self.finish(table)

    def _completed(self) -> None:
        self.heading("Completed this quarter", 1)
        if not self.report.completed:
            self.muted("No action was completed this quarter.")
        for line in self.report.completed:
            paragraph = self.doc.add_paragraph()
            paragraph.add_run(f"{self.ref(line)}. {text(line.title)}").bold = True
            paragraph.add_run(f" ({text(', '.join(line.leads))})")
            if line.note_this_quarter:
                paragraph.add_run(": " + self.note(line.note_this_quarter))

    def _due_next(self) -> None:
        r = self.report
        self.heading(f"Due next quarter ({r.quarter.shift(1).label})", 1)
        if not r.due_next:
            self.muted("No action falls due next quarter.")
            return
        table = self.table(
            len(r.due_next) + 1,
            5,
            header_cells=("ID", "Action", "Colour now", "Lead(s)", "Due"),
            widths=(1.1, 7.4, 2.4, 3.5, 3.0),
        )
        for row, (due, line) in zip(table.rows[1:], r.due_next, strict=True):
            self.fill_row(row, (self.ref(line), line.title, None, ", ".join(line.leads), day(due)))
            self.rag_cell(row.cells[2], line.rag)
        self.finish(table)

    def _all_actions(self) -> None:
        r = self.report
        self.heading("All actions", 1)
        groups: Sequence[tuple[str | None, Sequence[ActionLine], str]] = (
            [
                (g.name, g.lines, ", ".join(f"{g.counts[v]} {RAG_WORDS[v].lower()}" for v in Rag if g.counts[v]))
                for g in r.themes
            ]
            if r.themes
            else [(None, r.lines, "")]
        )
        columns = ("ID", "Aim", "Colour: last → this", "Lead(s)", "Target", "Latest update this quarter")
        for name, lines, counts in groups:
            # The theme's name is the table's first row, not a heading above it: Word repeats it
            # on every page the table runs onto, with the column headings.
            table = self.table(
                len(lines) + 1,
                6,
                header_cells=columns,
                widths=(1.1, 4.2, 2.6, 1.9, 2.2, 5.4),
                group=f"{text(name)} ({counts})" if name else None,
            )
            for row, line in zip(table.rows[1 if name is None else 2 :], lines, strict=True):
                self.fill_row(
                    row,
                    (
                        self.ref(line),
                        line.title,
                        None,
                        ", ".join(line.leads),
                        self.target(line),
                        self.note(line.note_this_quarter) if line.note_this_quarter else "No update this quarter",
                    ),
                )
                if line.set_aside is not None:
                    c = line.set_aside
                    row.cells[1].add_paragraph(f"{c.state.value.capitalize()} ({day(c.date)}): {text(c.reason)}")
                cell = row.cells[2]
                if line.rag_before is None:
                    cell.paragraphs[0].add_run("New → ")
                else:
                    cell.paragraphs[0].add_run(f"{RAG_WORDS[line.rag_before]} → ")
                self.rag_cell(cell, line.rag, keep=True)
            self.finish(table)
            self.spacer()  # two tables that touch become one in Word

    def _partners(self) -> None:
        r = self.report
        self.heading("By partner", 1)
        self.muted(
            f"Each partner's actions by colour (a joint action counts for each of its leads), and the "
            f"updates received for {r.quarter.label} by {day(r.as_at)}."
        )
        headers = ("Partner", *(RAG_WORDS[v] for v in Rag), "Overdue", "On hold or withdrawn", "Updates received")
        table = self.table(
            len(r.partners) + 1,
            len(headers),
            header_cells=headers,
            widths=(3.4, 1.4, 1.4, 1.4, 1.4, 1.4, 1.9, 2.4, 2.3),  # "Overdue" and "withdrawn" unbroken
        )
        for cell, rag in zip(table.rows[0].cells[1:6], Rag, strict=True):
            self.shade(cell, rag)
            cell.paragraphs[0].text = ""
            self.colour_run(cell.paragraphs[0], rag, RAG_WORDS[rag], size=9)
        for row, p in zip(table.rows[1:], r.partners, strict=True):
            self.fill_row(
                row,
                (
                    f"{p.name} ({p.code})",
                    *(str(p.counts[v]) for v in Rag),
                    str(p.overdue),
                    str(p.set_aside),
                    f"{p.returned} of {p.asked}",
                ),
            )
        self.finish(table)

    def _measures(self) -> None:
        r = self.report
        if not r.measures:
            return
        self.heading("Measures", 1)
        lead = f"Figures for periods that had ended by {day(r.as_at)}."
        if r.figures_withheld:
            threshold = r.measures[0].threshold
            lead += (
                f" Counts from 1 to {threshold - 1} are shown as <{threshold} so that no one can be identified "
                "from them, and “withheld” marks a figure hidden so that a small count cannot be worked out "
                "from a total."
            )
        self.muted(lead)
        table = self.table(
            len(r.measures) + 1,
            5,
            header_cells=("Measure", "Latest", "A year before", "Year to date", "Direction"),
            widths=(5.4, 3.0, 3.0, 3.0, 3.0),
        )
        for row, m in zip(table.rows[1:], r.measures, strict=True):
            where = f"action {m.action}" if m.action else "whole plan"
            source = f" Source: {m.source}." if m.source else ""
            ytd = m.year_to_date
            self.fill_row(
                row,
                (
                    f"{m.name} ({m.unit}; {where}; {m.lead}).{source}",
                    f"{m.latest.label}: {m.latest.figure.text}" if m.latest else "No figure yet",
                    f"{m.year_earlier.label}: {m.year_earlier.figure.text}" if m.year_earlier else "No figure",
                    f"{ytd.label}: {ytd.against_target or ytd.figure.text}" if ytd else "No figure",
                    " ".join(filter(None, (m.travel.arrow, m.travel.words))) if m.travel else "No earlier figure",
                ),
            )
        self.finish(table)
        for m in r.measures:
            for b in m.breaks:
                self.muted(
                    f"{m.name}: series break on {day(b.date)}: {b.reason}. Figures before and after it are "
                    "not compared."
                )

    def _year_on_year(self) -> None:
        r = self.report
        self.heading("Year on year", 1)
        self.muted("Actions by colour at the end of each quarter.")
        history = r.history[-8:]
        table = self.table(
            len(history) + 1,
            7,
            header_cells=("Quarter", *(RAG_WORDS[v] for v in Rag), "All"),
            widths=(3.4, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0),
        )
        for row, quarter in zip(table.rows[1:], history, strict=True):
            counts = quarter.counts
            self.fill_row(row, (quarter.quarter.label, *(str(counts[v]) for v in Rag), str(sum(counts.values()))))
        self.finish(table)
        self.spacer()
        self.muted(
            f"The position at the end of Q{r.quarter.number} of each reporting year, and the actions "
            "completed in that year."
        )
        years = self.table(
            len(r.years) + 1,
            7,
            header_cells=("Reporting year", *(RAG_WORDS[v] for v in Rag), "Completed in the year"),
            widths=(2.4, 1.2, 1.2, 1.2, 1.2, 1.2, 9.0),
        )
        for row, y in zip(years.rows[1:], r.years, strict=True):
            done = "; ".join(f"{i}. {title} ({day(when)})" for i, title, when in y.completed) or "None"
            self.fill_row(row, (y.quarter.year_label, *(str(y.counts[v]) for v in Rag), done))
        self.finish(years)

    def _about(self) -> None:
        r = self.report
        self.heading("About this paper", 1)
        self.doc.add_paragraph(
            f"Made with vawg from the plan's files as at {day(r.as_at)}: each action's colour is its lead partner's "
            f"latest update; measures give their own sources above. Marking: {text(r.marking)}."
        )
        if r.include_restricted:
            left = (
                "Restricted notes and exact small counts are included: circulate this paper only to those "
                "entitled to see them."
            )
        else:
            notes = (
                (
                    f"{r.notes_withheld} restricted update{'' if r.notes_withheld == 1 else 's'} from this quarter "
                    "(their colours are counted)"
                )
                if r.notes_withheld
                else "restricted notes (none this quarter)"
            )
            small = f"; small counts, shown as <{r.measures[0].threshold} or withheld" if r.figures_withheld else ""
            left = f"Left out: {notes}{small}."
        self.doc.add_paragraph(left)

    # --- how a paper writes its data ----------------------------------------------------------------

    @staticmethod
    def ref(line: ActionLine) -> str:
        return f"{line.id} ({text(line.ref)})" if line.ref else str(line.id)

    @staticmethod
    def note(n: Note | None) -> str:
        if n is None:
            return ""
        who = f"{day(n.date)}, {n.by}" if n.by else day(n.date)
        if n.withheld:
            return f"{RAG_WORDS[n.rag]}: restricted update withheld ({text(who)})"
        return text(f"{n.note} ({who})" + (" [restricted]" if n.restricted else ""))

    @staticmethod
    def due(line: ActionLine) -> str:
        due = day(line.due) if line.due else text(line.target)
        if line.retargeted:
            moved = f"; {slip(line.slip_days)}" if line.slip_days else ""
            due += f" (first set: {text(line.original_target)}{moved})"
        return due

    @staticmethod
    def target(line: ActionLine) -> str:
        if not line.retargeted:
            return text(line.target)
        moved = f", {slip(line.slip_days)}" if line.slip_days is not None else ""
        return text(f"{line.target} (was {line.original_target}{moved})")
