"""Word building blocks for the paper: tables that print well, shaded colour cells, safe text.

Each table gets what Word needs to print it well: its header row (and a group-name row above
it) repeats on every page it runs onto, no row splits across pages, and one of SMALL_TABLE rows
or fewer stays on one page. Borders are set on the table itself and every property is put in
the place the schema orders it, or Word calls the file damaged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from vawg_cli.model.records import Rag
from vawg_cli.render.marks import RAG_COLOURS, RAG_WORDS
from vawg_cli.text import one_line, printable

SMALL_TABLE = 8
"""Tables of up to this many rows are kept on one page."""

MUTED = RGBColor(0x55, 0x55, 0x55)
ACCENT = RGBColor(0x4B, 0x2E, 0x83)
HEADER_FILL = "F3F3F3"


def text(value: object) -> str:
    """Plan text for a Word run: on one line, with any control character shown as its escape
    (XML cannot hold them, and a bidi override would disguise the words around it)."""
    return printable(one_line(str(value)))


def ensure_styles(document: Any) -> None:
    """The paragraph styles the body uses, added to a template that lacks them.

    Word lists Heading 1 to 3 in every document, but a template saved without ever using one
    does not define it, and python-docx cannot use a style that is not defined.
    """
    styles = document.styles
    names = {style.name for style in styles}
    for level, size in ((1, 16), (2, 13), (3, 11)):
        name = f"Heading {level}"
        if name not in names:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.font.bold = True
            style.font.size = Pt(size)
            style.paragraph_format.space_before = Pt(12 if level < 3 else 8)
            style.paragraph_format.space_after = Pt(4)
        styles[name].paragraph_format.keep_with_next = True


class WordWriter:
    """Appends paragraphs and tables to a python-docx document (a docxtpl sub-document)."""

    def __init__(self, document: Any) -> None:
        self.doc = document

    def heading(self, words: str, level: int) -> None:
        paragraph = self.doc.add_paragraph(words, style=f"Heading {level}")
        paragraph.paragraph_format.keep_with_next = True

    def muted(self, words: str) -> None:
        paragraph = self.doc.add_paragraph()
        run = paragraph.add_run(text(words))
        run.font.color.rgb = MUTED
        paragraph.paragraph_format.keep_with_next = True

    def spacer(self) -> None:
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def table(
        self,
        rows: int,
        columns: int,
        *,
        header_cells: Sequence[str] = (),
        widths: Sequence[float] = (),
        group: str | None = None,
    ) -> Any:
        """A bordered table; its first row (and a group-name row above it) repeat on every page."""
        extra = 1 if group else 0
        table = self.doc.add_table(rows=rows + extra, cols=columns)
        _borders(table)
        if group:
            top = table.rows[0].cells[0].merge(table.rows[0].cells[-1])
            name = top.paragraphs[0].add_run(group)
            name.bold, name.font.size, name.font.color.rgb = True, Pt(11), ACCENT
            _repeat(table.rows[0])
        if header_cells:
            row = table.rows[extra]
            for cell, words in zip(row.cells, header_cells, strict=True):
                cell.paragraphs[0].add_run(words).bold = True
                self.fill(cell, HEADER_FILL)
            _repeat(row)
        if widths:
            # Both the grid (LibreOffice reads it) and each cell (Word reads those).
            table.autofit = False
            for column, width in zip(table.columns, widths, strict=True):
                column.width = Cm(width)
            for row in table.rows[extra:]:
                for cell, width in zip(row.cells, widths, strict=True):
                    cell.width = Cm(width)
        for row in table.rows:
            _no_split(row)
        return table

    def fill_row(self, row: Any, values: Sequence[str | None]) -> None:
        for cell, value in zip(row.cells, values, strict=True):
            if value is not None:
                cell.text = text(value)

    def finish(self, table: Any) -> None:
        if len(table.rows) <= SMALL_TABLE:
            self.keep_together(table)

    @staticmethod
    def keep_together(table: Any) -> None:
        """Keep a table on one page: every paragraph but the last row's keeps with the next."""
        for row in table.rows[:-1]:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True

    def label(self, cell: Any, words: str) -> None:
        cell.paragraphs[0].add_run(words).bold = True
        self.fill(cell, HEADER_FILL)

    def rag_cell(self, cell: Any, rag: Rag, *, keep: bool = False) -> None:
        """The colour as a shaded run with its word: the word is never left out (colour-blind
        readers, and a paper printed in black and white)."""
        if not keep:
            cell.paragraphs[0].text = ""
            self.shade(cell, rag)
        paragraph = cell.paragraphs[0]
        run = self.colour_run(paragraph, rag, f" {RAG_WORDS[rag]} ")
        if keep:  # beside other words: the run is shaded, not the cell
            _run_shade(run, RAG_COLOURS[rag][0].lstrip("#"))

    def shade(self, cell: Any, rag: Rag) -> None:
        self.fill(cell, RAG_COLOURS[rag][0].lstrip("#"))

    @staticmethod
    def colour_run(paragraph: Any, rag: Rag, words: str, *, size: float = 0, bold: bool = True) -> Any:
        run = paragraph.add_run(words)
        run.bold = bold
        run.font.color.rgb = RGBColor.from_string(RAG_COLOURS[rag][1].lstrip("#").upper())
        if size:
            run.font.size = Pt(size)
        return run

    @staticmethod
    def fill(cell: Any, colour: str) -> None:
        properties = cell._tc.get_or_add_tcPr()
        for old in properties.findall(qn("w:shd")):  # one shading a cell: Word refuses two
            properties.remove(old)
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), colour.upper())
        # In its place in the schema's order (after the width, span and borders), or Word
        # calls the file damaged.
        later = [properties.find(qn(f"w:{name}")) for name in _AFTER_SHD]
        following = next((element for element in later if element is not None), None)
        if following is None:
            properties.append(shading)
        else:
            following.addprevious(shading)


def _repeat(row: Any) -> None:
    """Mark a row as a header row, repeated at the top of each page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _no_split(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    properties.insert(0, cant)


def _run_shade(run: Any, colour: str) -> None:
    properties = run._r.get_or_add_rPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.upper())
    properties.append(shading)


_AFTER_SHD = ("noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")
_AFTER_BORDERS = ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")


def _borders(table: Any) -> None:
    """Thin grey borders set on the table itself: a council's template need not define a table style."""
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "A0A0A0")
        borders.append(element)
    later = [properties.find(qn(f"w:{name}")) for name in _AFTER_BORDERS]
    following = next((element for element in later if element is not None), None)
    if following is None:
        properties.append(borders)
    else:
        following.addprevious(borders)
