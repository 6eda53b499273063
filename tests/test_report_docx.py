"""`vawg report -o paper.docx`: the board paper as a Word document, read back with python-docx.

What the issue asks of the Word paper: real tables whose header rows repeat on each page, RAG
cells shaded with the colour and always holding the word, headings kept with what follows, page
numbers, the protective marking in the header and footer of every page, plan text shown as data
(never run as template code), and a Word template from the plan folder treated as untrusted
(sandboxed Jinja, a macro-enabled document refused).

The plan is tests/fixtures/board at the end of 2025/26 Q3: actions 3 and 7 red, 4 amber and
overdue, 8 amber, 9 without an update this quarter. The LibreOffice test converts the paper to PDF
as a council's reader would see it; it needs `soffice` (Debian's libreoffice-writer-nogui) and
`pdftotext` (poppler-utils) and skips without them, unless VAWG_REQUIRE_LIBREOFFICE=1 (CI).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

import docx  # type: ignore[import-untyped,unused-ignore]
import pytest
from docx.oxml.ns import qn  # type: ignore[import-untyped,unused-ignore]
from typer.testing import CliRunner, Result

from conftest import FIXTURES, copy_plan
from vawg_cli.cli import app
from vawg_cli.plan import bundled

BOARD = FIXTURES / "board"
QUARTER = "2025-Q3"
AS_OF = "2026-01-20"
SHIPPED_TEMPLATE = bundled.templates_dir() / "report.docx"
ACTION_3_TITLE = "Referral processes for VAWG issues and cases clearly defined"
# The restricted update on action 3 (2024-12-10), in 2024/25 Q3's paper only with --include-restricted.
RESTRICTED_NOTE = "Emerging learning from a domestic homicide review"
HEADINGS = [
    "Summary",
    "For decision",
    "Targets changed this quarter",
    "Completed this quarter",
    "Due next quarter",
    "All actions",
    "By partner",
    "Measures",
    "Year on year",
    "About this paper",
]
# Each colour's shading (RAG_COLOURS' backgrounds) and the word that must be beside it.
RAG_FILLS = {"B00020": "Red", "FFBF00": "Amber", "1B7F3B": "Green", "1F4E9C": "Blue", "C8C8C8": "Grey"}
TIMEOUT = 180


# --- making papers ---------------------------------------------------------------------------------


def invoke(*arguments: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(app, ["report", *arguments], env=env)


def make(
    output: Path,
    plan: Path = BOARD,
    *extra: str,
    quarter: str = QUARTER,
    as_of: str = AS_OF,
    env: dict[str, str | None] | None = None,
) -> Path:
    result = invoke("--plan", str(plan), "--quarter", quarter, "--as-of", as_of, "-o", str(output), *extra, env=env)
    assert result.exit_code == 0, f"{result.output}{result.exception!r}"
    assert "Traceback" not in result.output
    assert output.is_file(), result.output
    return output


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The board paper for 2025/26 Q3, public and with restricted notes, made once for the module."""
    folder = tmp_path_factory.mktemp("papers")
    # Module scope runs before the autouse isolation: give the same isolation through the runner.
    env: dict[str, str | None] = {
        "VAWG_CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
        "VAWG_PLAN": None,
        "VAWG_NO_CACHE": None,
        "NO_COLOR": "1",
    }
    return {
        "public": make(folder / "q3.docx", env=env),
        "restricted": make(folder / "q3-restricted.docx", BOARD, "--include-restricted", env=env),
    }


def open_docx(path: Path) -> Any:
    return docx.Document(str(path))


def headings(document: Any) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]


def body_text(document: Any) -> str:
    """Every paragraph's and every table cell's text (nested tables too)."""
    parts = [p.text for p in document.paragraphs]
    for element in document.element.body.iter(qn("w:t")):
        parts.append(element.text or "")
    return "\n".join(parts)


def margins(document: Any) -> Iterator[tuple[str, Any]]:
    """Every header and footer a page of the document can have."""
    even = document.settings.odd_and_even_pages_header_footer
    for number, section in enumerate(document.sections):
        yield f"section {number} header", section.header
        yield f"section {number} footer", section.footer
        if section.different_first_page_header_footer:
            yield f"section {number} first-page header", section.first_page_header
            yield f"section {number} first-page footer", section.first_page_footer
        if even:
            yield f"section {number} even-page header", section.even_page_header
            yield f"section {number} even-page footer", section.even_page_footer


def margin_text(part: Any) -> str:
    """A header's or footer's text, its tables included."""
    return " ".join(t.text or "" for t in part._element.iter(qn("w:t")))


def field_instructions(part: Any) -> list[str]:
    """The field codes in a header or footer: simple fields and complex ones."""
    simple = [e.get(qn("w:instr")) or "" for e in part._element.iter(qn("w:fldSimple"))]
    complex_ = [e.text or "" for e in part._element.iter(qn("w:instrText"))]
    return [" ".join(i.split()) for i in simple + complex_]


def is_header_row(row: Any) -> bool:
    properties = row.find(qn("w:trPr"))
    return properties is not None and properties.find(qn("w:tblHeader")) is not None


# --- templates --------------------------------------------------------------------------------------


def council_template(destination: Path, header: str, *, body: Sequence[str] = ()) -> Path:
    """vawg's own Word template with its header changed (and paragraphs added), as a council would."""
    document = open_docx(SHIPPED_TEMPLATE)
    for section in document.sections:
        section.header.paragraphs[0].text = header
    for words in body:
        document.add_paragraph(words)
    destination.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(destination))
    return destination


def snapshot(folder: Path, *, leave_out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink() and p != leave_out
    }


def refused(result: Result, output: Path, *said: str) -> None:
    """Exit 1 with a message that says `said`, no traceback, and no paper written."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    message = " ".join(result.output.split()).lower()
    for words in said:
        assert words.lower() in message, result.output
    assert not output.exists(), "a refused template still wrote a paper"


# --- the paper's shape ------------------------------------------------------------------------------


def test_headings_are_the_papers_sections_in_order(papers: dict[str, Path]) -> None:
    document = open_docx(papers["public"])
    top = [text for style, text in headings(document) if style == "Heading 1"]
    assert len(top) == len(HEADINGS), top
    for found, wanted in zip(top, HEADINGS, strict=True):
        assert found.startswith(wanted), top
    assert top[4] == "Due next quarter (2025/26 Q4)"


def test_red_actions_come_first_for_decision(papers: dict[str, Path]) -> None:
    found = headings(open_docx(papers["public"]))
    start = found.index(("Heading 1", "For decision"))
    end = next(i for i in range(start + 1, len(found)) if found[i][0] == "Heading 1")
    decisions = [text for style, text in found[start + 1 : end] if style == "Heading 3"]
    # Red (3, 7), then overdue (4), then amber (8), then no update this quarter (9).
    assert [text.split(".")[0] for text in decisions] == ["3", "7", "4", "8", "9"], decisions
    assert decisions[0] == f"3. {ACTION_3_TITLE}"


def test_headings_keep_with_what_follows(papers: dict[str, Path]) -> None:
    document = open_docx(papers["public"])
    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith("Heading"):
            keep = paragraph.paragraph_format.keep_with_next
            if keep is None:
                keep = paragraph.style.paragraph_format.keep_with_next
            assert keep, f"heading {paragraph.text!r} does not keep with the next paragraph"


def test_tables_are_real_with_repeating_header_rows(papers: dict[str, Path]) -> None:
    document = open_docx(papers["public"])
    tables = list(document.element.body.iter(qn("w:tbl")))
    assert len(tables) >= 10, "the sections' tables should be Word tables"
    repeating = [row for row in document.element.body.iter(qn("w:tr")) if is_header_row(row)]
    assert repeating, "no table row is marked to repeat at the top of each page (w:tblHeader)"
    for row in repeating:
        value = row.find(qn("w:trPr")).find(qn("w:tblHeader")).get(qn("w:val"))
        assert value in (None, "true", "1", "on"), value
    # The All actions tables: each theme's table repeats its column headings.
    all_actions = [
        table
        for table in document.tables
        if any("Latest update this quarter" in cell.text for row in table.rows[:2] for cell in row.cells)
    ]
    assert len(all_actions) == 3, "one All actions table per theme"
    for table in all_actions:
        marked = [row for row in table.rows if is_header_row(row._tr)]
        assert any("Latest update this quarter" in r.cells[-1].text for r in marked)


def test_rag_cells_are_shaded_and_hold_the_word(papers: dict[str, Path]) -> None:
    document = open_docx(papers["public"])
    body = document.element.body
    seen: dict[str, int] = dict.fromkeys(RAG_FILLS, 0)
    for cell in body.iter(qn("w:tc")):
        properties = cell.find(qn("w:tcPr"))
        shading = properties.find(qn("w:shd")) if properties is not None else None
        fill = (shading.get(qn("w:fill")) or "").upper() if shading is not None else ""
        if fill in RAG_FILLS:
            words = "".join(t.text or "" for t in cell.iter(qn("w:t")))
            assert RAG_FILLS[fill] in words, f"a cell shaded {fill} says {words!r}, not {RAG_FILLS[fill]!r}"
            seen[fill] += 1
    for run in body.iter(qn("w:r")):
        properties = run.find(qn("w:rPr"))
        shading = properties.find(qn("w:shd")) if properties is not None else None
        fill = (shading.get(qn("w:fill")) or "").upper() if shading is not None else ""
        if fill in RAG_FILLS:
            words = "".join(t.text or "" for t in run.iter(qn("w:t")))
            assert RAG_FILLS[fill] in words, f"a run shaded {fill} says {words!r}, not {RAG_FILLS[fill]!r}"
            seen[fill] += 1
    assert seen["B00020"] >= 2, "actions 3 and 7 are red: at least their colour cells are shaded red"
    assert seen["FFBF00"] >= 2, "actions 4 and 8 are amber"
    # Action 3's row in the decision table: its Colour cell is shaded red and says "Red".
    red_cells = [
        cell
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        if "B00020" in cell._tc.xml.upper() and cell.text.strip().startswith("Red")
    ]
    assert red_cells


# --- the marking and page numbers -----------------------------------------------------------------


@pytest.mark.parametrize(("which", "marking"), [("public", "OFFICIAL"), ("restricted", "OFFICIAL-SENSITIVE")])
def test_marking_in_every_header_and_footer(papers: dict[str, Path], which: str, marking: str) -> None:
    document = open_docx(papers[which])
    parts = list(margins(document))
    assert parts
    for name, part in parts:
        text = margin_text(part)
        assert marking in text, f"{name} says {text!r}"
        if marking == "OFFICIAL":
            assert "SENSITIVE" not in text, f"{name} of a public paper says {text!r}"
    assert document.core_properties.subject == marking or marking in (document.core_properties.keywords or "")


def test_footer_numbers_the_pages(papers: dict[str, Path]) -> None:
    document = open_docx(papers["public"])
    for name, part in margins(document):
        if "footer" not in name:
            continue
        fields = [instruction.split()[0].upper() for instruction in field_instructions(part) if instruction]
        assert "PAGE" in fields, f"{name} has no PAGE field: {fields}"
        assert "NUMPAGES" in fields, f"{name} has no NUMPAGES field: {fields}"


def test_restricted_note_only_with_include_restricted(tmp_path: Path) -> None:
    # Action 3's restricted update (10 Dec 2024) is in 2024/25 Q3: that quarter's paper.
    public = open_docx(make(tmp_path / "public.docx", quarter="2024-Q3", as_of="2025-01-20"))
    restricted = open_docx(
        make(tmp_path / "restricted.docx", BOARD, "--include-restricted", quarter="2024-Q3", as_of="2025-01-20")
    )
    assert RESTRICTED_NOTE not in body_text(public)
    assert RESTRICTED_NOTE in body_text(restricted)
    for name, part in margins(public):
        assert "OFFICIAL" in margin_text(part) and "SENSITIVE" not in margin_text(part), name
    for name, part in margins(restricted):
        assert "OFFICIAL-SENSITIVE" in margin_text(part), name


# --- a council's own template -----------------------------------------------------------------------


def test_council_template_in_the_plan_folder(tmp_path: Path) -> None:
    plan = copy_plan(BOARD, tmp_path / "plan")
    council_template(plan / "templates" / "report.docx", "LONDON BOROUGH OF EXAMPLE {{ marking }}")
    document = open_docx(make(tmp_path / "q3.docx", plan))
    headers = [margin_text(part) for name, part in margins(document) if "header" in name]
    assert headers
    for text in headers:
        assert "LONDON BOROUGH OF EXAMPLE OFFICIAL" in text, text
    # The body still comes from the paper.
    assert ("Heading 1", "For decision") in headings(document)


def test_council_template_given_with_template_option(tmp_path: Path) -> None:
    template = council_template(tmp_path / "council" / "letterhead.docx", "LONDON BOROUGH OF EXAMPLE {{ marking }}")
    document = open_docx(make(tmp_path / "q3.docx", BOARD, "--template", str(template), "--include-restricted"))
    headers = [margin_text(part) for name, part in margins(document) if "header" in name]
    assert headers
    for text in headers:
        assert "LONDON BOROUGH OF EXAMPLE OFFICIAL-SENSITIVE" in text, text


# --- templates refused ------------------------------------------------------------------------------


def report_with(plan: Path, output: Path, *extra: str) -> Result:
    return invoke("--plan", str(plan), "--quarter", QUARTER, "--as-of", AS_OF, "-o", str(output), *extra)


def test_macro_enabled_template_option_refused(tmp_path: Path) -> None:
    template = tmp_path / "council" / "report.docm"
    template.parent.mkdir()
    shutil.copyfile(SHIPPED_TEMPLATE, template)
    output = tmp_path / "out" / "q3.docx"
    refused(report_with(BOARD, output, "--template", str(template)), output, "macro", "report.docm")


def test_macro_enabled_template_in_plan_refused(tmp_path: Path) -> None:
    plan = copy_plan(BOARD, tmp_path / "plan")
    (plan / "templates").mkdir()
    shutil.copyfile(SHIPPED_TEMPLATE, plan / "templates" / "report.docm")
    output = tmp_path / "out" / "q3.docx"
    refused(report_with(plan, output), output, "macro", "report.docm")


def test_docx_holding_macros_refused(tmp_path: Path) -> None:
    plan = copy_plan(BOARD, tmp_path / "plan")
    (plan / "templates").mkdir()
    buffer = io.BytesIO()
    with zipfile.ZipFile(SHIPPED_TEMPLATE) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member, source.read(member))
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really a VBA project")
    (plan / "templates" / "report.docx").write_bytes(buffer.getvalue())
    output = tmp_path / "out" / "q3.docx"
    refused(report_with(plan, output), output, "macro", "report.docx")


def test_text_file_renamed_docx_refused(tmp_path: Path) -> None:
    plan = copy_plan(BOARD, tmp_path / "plan")
    (plan / "templates").mkdir()
    (plan / "templates" / "report.docx").write_text("{{ marking }}\nJust text, renamed.\n", encoding="utf-8")
    output = tmp_path / "out" / "q3.docx"
    refused(report_with(plan, output), output, "report.docx", "not a Word document")


def test_template_link_outside_the_plan_refused(tmp_path: Path) -> None:
    plan = copy_plan(BOARD, tmp_path / "plan")
    (plan / "templates").mkdir()
    outside = council_template(tmp_path / "elsewhere" / "report.docx", "OUTSIDE {{ marking }}")
    (plan / "templates" / "report.docx").symlink_to(outside)
    output = tmp_path / "out" / "q3.docx"
    refused(report_with(plan, output), output, "link", "outside")


def test_template_syntax_error_names_the_template(tmp_path: Path) -> None:
    plan = copy_plan(BOARD, tmp_path / "plan")
    council_template(plan / "templates" / "report.docx", "LONDON BOROUGH OF EXAMPLE {{ marking ")
    output = tmp_path / "out" / "q3.docx"
    refused(report_with(plan, output), output, "report.docx")
    result = report_with(plan, output)
    assert "templates" in result.output, "the message should say which template: the plan's own"


@pytest.mark.parametrize(
    "tag",
    [
        "{{ paper.__class__ }}",
        "{{ report.__class__.__mro__ }}",
        "{{ report.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
        "{{ self._TemplateReference__context.joiner.__init__.__globals__.os.popen('touch PWNED').read() }}",
        "{% set x = report.plan_title.__class__.__base__ %}{{ x }}",
    ],
)
def test_template_cannot_reach_python_internals(tmp_path: Path, tag: str) -> None:
    plan = copy_plan(BOARD, tmp_path / "plan")
    marker = tmp_path / "pwned"
    council_template(plan / "templates" / "report.docx", "HEADER " + tag.replace("PWNED", str(marker)))
    output = tmp_path / "out" / "q3.docx"
    output.parent.mkdir()
    before = snapshot(tmp_path, leave_out=output)
    result = report_with(plan, output)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == 0:
        text = " ".join(margin_text(part) for _, part in margins(open_docx(output)))
        assert "<class" not in text and "&lt;class" not in text, text
        assert "function" not in text and "module" not in text, text
    else:
        refused(result, output)
        message = result.output.lower()
        assert "unsafe" in message or "sandbox" in message, result.output
    assert not marker.exists(), "a template ran a shell command"
    assert snapshot(tmp_path, leave_out=output) == before, "rendering wrote or changed a file besides the paper"


# --- plan text is data --------------------------------------------------------------------------------


def test_plan_text_is_shown_literally(tmp_path: Path) -> None:
    plan = copy_plan(BOARD, tmp_path / "plan")
    (path,) = plan.glob("actions/03-*.yaml")
    source = path.read_text(encoding="utf-8")
    hostile = r'title: "Referral <w:p> & {{ 7*7 }} bell\a here"'
    changed, count = re.subn(r"(?m)^title: .*$", lambda _: hostile, source, count=1)
    assert count == 1
    path.write_text(changed, encoding="utf-8")

    document = open_docx(make(tmp_path / "q3.docx", plan))  # python-docx can read it: the XML is whole
    with zipfile.ZipFile(tmp_path / "q3.docx") as package:
        assert package.testzip() is None
    shown = "3. Referral <w:p> & {{ 7*7 }} bell\\x07 here"
    decision = [text for style, text in headings(document) if style == "Heading 3" and text.startswith("3.")]
    assert decision == [shown], decision
    text = body_text(document)
    assert "Referral <w:p> & {{ 7*7 }} bell\\x07 here" in text
    assert "Referral <w:p> & 49" not in text
    assert "\x07" not in text
    for line in text.splitlines():
        if "Referral <w:p>" in line:
            assert "49" not in line, line


# --- usage -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_word_and_pdf_need_an_output_file(fmt: str) -> None:
    result = invoke("--plan", str(BOARD), "--quarter", QUARTER, "--as-of", AS_OF, "--format", fmt)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "-o" in result.output, result.output
    assert "PK" not in result.output[:10] and "%PDF" not in result.output


# --- LibreOffice ---------------------------------------------------------------------------------------

NO_LIBREOFFICE = "LibreOffice not found (soffice or libreoffice on PATH): install Debian's libreoffice-writer-nogui"
NO_PDFTOTEXT = "pdftotext not found: install Debian's poppler-utils"


def no_libreoffice(reason: str) -> NoReturn:
    """Skip, or fail where LibreOffice is required (CI)."""
    if os.environ.get("VAWG_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail(f"{reason} (VAWG_REQUIRE_LIBREOFFICE=1)", pytrace=False)
    pytest.skip(reason)


def words(text: str) -> str:
    return " ".join(text.split())


def test_libreoffice_prints_the_marking_on_every_page(papers: dict[str, Path], tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        no_libreoffice(NO_LIBREOFFICE)
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        no_libreoffice(NO_PDFTOTEXT)
    home = tmp_path / "lo-home"
    home.mkdir()
    outdir = tmp_path / "pdf"
    command = [
        soffice,
        "--headless",
        "--norestore",
        "--nolockcheck",
        f"-env:UserInstallation={(home / 'profile').as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(papers["public"]),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT, env={**os.environ, "HOME": str(home)}, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"LibreOffice took more than {TIMEOUT} s: {' '.join(command)}")
    assert done.returncode == 0, done.stdout + done.stderr
    pdf = outdir / "q3.pdf"
    assert pdf.is_file(), done.stdout + done.stderr
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) >= 3, f"{len(pages)} pages"
    for number, page in enumerate(pages, 1):
        assert "OFFICIAL" in page, f"page {number} has no marking:\n{page[:500]}"
        assert "SENSITIVE" not in page
    first = words(pages[0])
    assert "For decision" in first
    assert f"3. {ACTION_3_TITLE}" in first


# --- found by an adversarial pass: each a one-line refusal or a safe paper, never a traceback -----


@pytest.mark.parametrize(
    ("tag", "said"),
    [
        ("{{ 1/0 }}", "division by zero"),
        ("{{ report.lines + 1 }}", "can only concatenate"),
        ("{% include 'report.md.j2' %}", "cannot include or extend other files"),
        ("{% for x in range(10**9) %}{% endfor %}", "range"),
    ],
)
def test_a_word_template_that_fails_says_so_in_one_line(tmp_path: Path, tag: str, said: str) -> None:
    plan = copy_plan(BOARD, tmp_path / "plan")
    council_template(plan / "templates" / "report.docx", "COUNCIL {{ marking }}", body=(tag,))
    output = tmp_path / "q3.docx"
    result = report_with(plan, output)
    refused(result, output, "report.docx: the Word template failed", said)
    assert result.output.count("\n") == 1


def test_a_part_that_unpacks_too_large_is_refused_before_it_is_read(tmp_path: Path) -> None:
    import zipfile

    plan = copy_plan(BOARD, tmp_path / "plan")
    template = plan / "templates" / "report.docx"
    template.parent.mkdir()
    with zipfile.ZipFile(SHIPPED_TEMPLATE) as source, zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":  # 30 MB of paragraphs, a few hundred KB packed
                data = data.replace(b"</w:body>", b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 900_000 + b"</w:body>")
            out.writestr(item, data)
    output = tmp_path / "q3.docx"
    refused(report_with(plan, output), output, "word/document.xml unpacks to", "save a smaller template")


def test_plan_text_cannot_break_the_document_or_turn_the_marking_round(tmp_path: Path) -> None:
    # A control character (XML cannot hold it), a right-to-left override (it would show the
    # marking backwards) and a title longer than Word's 255-character property, in plan.yaml.
    plan = copy_plan(BOARD, tmp_path / "plan")
    settings = plan / "plan.yaml"
    title = "\\x01Test \\u202eevil " + "long " * 60
    settings.write_text(
        re.sub(r"(?m)^title: .*$", lambda _: f'title: "{title}"', settings.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    output = tmp_path / "q3.docx"
    result = report_with(plan, output)
    assert result.exit_code == 0, result.output
    document = open_docx(output)
    header = margin_text(document.sections[0].header)
    assert "\\x01Test \\u202eevil" in header and "\u202e" not in header and "\x01" not in header
    assert header.rstrip().endswith("OFFICIAL")
    assert len(document.core_properties.title) <= 255


def test_a_word_template_cannot_make_a_pdf(tmp_path: Path) -> None:
    output = tmp_path / "q3.pdf"
    result = invoke(
        "--plan",
        str(BOARD),
        "--quarter",
        QUARTER,
        "--as-of",
        AS_OF,
        "-o",
        str(output),
        "--template",
        str(SHIPPED_TEMPLATE),
    )
    refused(result, output, "cannot make a pdf paper", "a pdf is the html paper printed", "report.html.j2")


def test_the_marking_in_the_header_and_footer_sits_on_this_page_s_own_tab_stops() -> None:
    # Word's Header and Footer styles bring stops for a US Letter page: a plan title that ended
    # past the first pushed the marking to the next stop in line, right beside the title.
    template = docx.Document(str(SHIPPED_TEMPLATE))
    section = template.sections[0]
    page, left, right = section.page_width, section.left_margin, section.right_margin
    assert page is not None and left is not None and right is not None
    width = page - left - right
    for name in ("Header", "Footer"):
        assert list(template.styles[name].paragraph_format.tab_stops) == []
    header = section.header.paragraphs[0].paragraph_format.tab_stops
    assert [(stop.alignment.name, stop.position) for stop in header] == [("RIGHT", width)]
    footer = section.footer.paragraphs[0].paragraph_format.tab_stops
    assert [(stop.alignment.name, stop.position) for stop in footer] == [("CENTER", width // 2), ("RIGHT", width)]
