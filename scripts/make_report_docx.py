"""Make templates/report.docx, the Word template `vawg report -o paper.docx` fills by default.

Run it after changing this script: `.venv/bin/python scripts/make_report_docx.py`. The file it
writes is what a council copies into its plan's templates/ folder and changes in Word (its
letterhead, fonts, heading styles). Every tag is written as one run, so Word's spelling marks
cannot split it.

The tags:
    {{ marking }}   the protective marking (OFFICIAL, OFFICIAL-SENSITIVE or the plan's own)
    {{ title }}     the plan's title            {{ quarter }}   "2025/26 Q3"
    {{ headline }}  the sentence for the chair  {{ report.… }}  anything of the paper's data
    {{p paper }}    the whole body: summary, for decision, targets changed, completed, due next,
                    all actions, by partner, measures, year on year, about this paper
    {{p decisions }}, {{p all_actions }}, …: one part each, to reorder or leave one out
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parents[1] / "templates" / "report.docx"
ACCENT = RGBColor(0x4B, 0x2E, 0x83)
MUTED = RGBColor(0x55, 0x55, 0x55)


def field(paragraph: object, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the word processor fills in on each page."""
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)  # type: ignore[attr-defined]


def main() -> None:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    section.header_distance = section.footer_distance = Cm(0.9)
    width = section.page_width - section.left_margin - section.right_margin

    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 20), ("Heading 1", 15), ("Heading 2", 12), ("Heading 3", 10.5)):
        style = styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = ACCENT if name != "Title" else RGBColor(0x1A, 0x1A, 0x1A)
        style.font.bold = True
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt(14 if name == "Heading 1" else 8)
        style.paragraph_format.space_after = Pt(4)
    styles["Subtitle"].font.name = "Arial"
    styles["Subtitle"].font.size = Pt(13)
    styles["Subtitle"].font.color.rgb = ACCENT

    # Word's own Header and Footer styles bring tab stops for a US Letter page (centre 3.25",
    # right 6.5"): a plan's title that ends past the first would push the marking to the next
    # stop in line, beside the title. Only this page's stops, set below, are kept.
    for name in ("Header", "Footer"):
        styles[name].paragraph_format.tab_stops.clear_all()
    header = section.header.paragraphs[0]
    header.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    left = header.add_run("{{ title }} · {{ quarter }}")
    left.font.size, left.font.color.rgb = Pt(8), MUTED
    header.add_run("\t")
    mark = header.add_run("{{ marking }}")
    mark.bold, mark.font.size = True, Pt(10)

    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.add_tab_stop(width // 2, WD_TAB_ALIGNMENT.CENTER)
    footer.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    footer.add_run("\t")
    mark = footer.add_run("{{ marking }}")
    mark.bold, mark.font.size = True, Pt(10)
    footer.add_run("\tPage ").font.size = Pt(8)
    field(footer, "PAGE")
    footer.add_run(" of ").font.size = Pt(8)
    field(footer, "NUMPAGES")

    document.add_paragraph("{{ title }}", style="Title")
    document.add_paragraph("Progress report for {{ quarter }}", style="Subtitle")
    facts = document.add_paragraph()
    run = facts.add_run(
        "{{ report.quarter.months }} ({{ report.quarter.start | day }} to {{ report.quarter.end | day }}) · "
        "position as at {{ report.as_at | day }} · produced {{ report.produced | day }}"
    )
    run.font.color.rgb = MUTED
    document.add_paragraph("{{p paper }}")

    properties = document.core_properties
    properties.author = "vawg"
    properties.title = "VAWG action plan progress report"
    properties.comments = "The Word template for vawg report -o paper.docx: see the README, 'Word papers'."
    document.save(str(OUT))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
