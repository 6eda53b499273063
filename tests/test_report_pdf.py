"""`vawg report -o paper.pdf`: the HTML paper printed by WeasyPrint, read back with poppler's tools.

What the issue asks of the PDF: A4, "Page x of y" and the protective marking on every page
(OFFICIAL, OFFICIAL-SENSITIVE with --include-restricted, or the plan's own wording), and no page
whose last line is a heading. A template from the plan folder is untrusted: it cannot make the
PDF fetch, show or attach a file from the computer that makes it.

Needs WeasyPrint (and the Pango it draws with) and `pdftotext` (poppler-utils). Without them the
tests skip, unless VAWG_REQUIRE_PDF=1, when they fail instead.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from typer.testing import CliRunner, Result

from conftest import FIXTURES, copy_plan
from vawg_cli.cli import app

BOARD = FIXTURES / "board"
QUARTER = "2025-Q3"
AS_OF = "2026-01-20"
RUNNING_TITLE = "Test Borough VAWG Partnership Action Plan 2024-2028 · Progress report for 2025/26 Q3"
# The decision headings' starts, in the order the paper must give them: red (3, 7), overdue (4),
# amber (8), no update this quarter (9).
DECISIONS = [
    "3. Referral processes for VAWG issues",
    "7. To ensure services offer victim-centred",
    "4. To promote and raise awareness",
    "8. To improve perpetrator-focused",
    "9. To obtain funding",
]
CUSTOM_MARKING = "OFFICIAL \u2013 for publication"  # an en dash, as a plan might write it
PAGE_NUMBER = re.compile(r"^Page (\d+) of (\d+)$")


def need_pdf(reason: str) -> NoReturn:
    """Skip, or fail where making and reading PDFs is required."""
    if os.environ.get("VAWG_REQUIRE_PDF") == "1":
        pytest.fail(f"{reason} (VAWG_REQUIRE_PDF=1)", pytrace=False)
    pytest.skip(reason)


def check_tools() -> str:
    try:
        import weasyprint  # type: ignore[import-untyped,unused-ignore]  # noqa: F401
    except (OSError, ImportError) as error:
        need_pdf(f"WeasyPrint cannot be loaded ({error}): install Pango (libpango-1.0-0 libpangoft2-1.0-0)")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        need_pdf("pdftotext not found: install Debian's poppler-utils")
    return pdftotext


@pytest.fixture(scope="module")
def pdftotext() -> str:
    return check_tools()


def isolated_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | None]:
    """What conftest's autouse isolation sets, for the module-scoped fixtures it does not reach."""
    return {
        "VAWG_CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
        "VAWG_PLAN": None,
        "VAWG_NO_CACHE": None,
        "NO_COLOR": "1",
    }


def report(plan: Path, output: Path, *extra: str, env: dict[str, str | None] | None = None) -> Result:
    arguments = ["report", "--plan", str(plan), "--quarter", QUARTER, "--as-of", AS_OF, "-o", str(output), *extra]
    return CliRunner().invoke(app, arguments, env=env)


def make(plan: Path, output: Path, *extra: str, env: dict[str, str | None] | None = None) -> Path:
    result = report(plan, output, *extra, env=env)
    assert result.exit_code == 0, f"{result.output}{result.exception!r}"
    assert "Traceback" not in result.output
    assert output.is_file(), result.output
    return output


@pytest.fixture(scope="module")
def papers(pdftotext: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The board paper for 2025/26 Q3 as PDF, public and restricted, and as HTML, made once."""
    folder = tmp_path_factory.mktemp("papers")
    env = isolated_env(tmp_path_factory)
    return {
        "public": make(BOARD, folder / "q3.pdf", env=env),
        "restricted": make(BOARD, folder / "q3-restricted.pdf", "--include-restricted", env=env),
        "html": make(BOARD, folder / "q3.html", env=env),
    }


def pages_of(pdftotext: str, pdf: Path) -> list[str]:
    """Each page's text, in reading order (pdftotext ends every page with a form feed)."""
    text = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def page_count(pdf: Path, pages: list[str]) -> int:
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        return len(pages)
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    (count,) = re.findall(r"(?m)^Pages:\s+(\d+)$", info)
    return int(count)


def words(text: str) -> str:
    return " ".join(text.split())


def body_lines(page: str, marking: str) -> list[str]:
    """A page's lines without its margins: the marking, the page number and the running title."""
    margin = {marking, RUNNING_TITLE}
    return [
        line
        for line in (words(raw) for raw in page.splitlines())
        if line and line not in margin and not PAGE_NUMBER.match(line)
    ]


def plain(fragment: str) -> str:
    """HTML as the words it shows."""
    return words(html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


# --- the paper ---------------------------------------------------------------------------------------


def test_pdf_is_a_paper_of_several_pages(papers: dict[str, Path], pdftotext: str) -> None:
    pdf = papers["public"]
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = pages_of(pdftotext, pdf)
    count = page_count(pdf, pages)
    assert count >= 3, f"{count} pages"
    assert len(pages) == count
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        (size,) = re.findall(r"(?m)^Page size:\s+(.*)$", info)
        assert "A4" in size, size


def test_marking_and_page_number_on_every_page(papers: dict[str, Path], pdftotext: str) -> None:
    pages = pages_of(pdftotext, papers["public"])
    for number, page in enumerate(pages, 1):
        lines = [words(line) for line in page.splitlines()]
        assert "OFFICIAL" in lines, f"page {number} has no marking of its own:\n{page[:400]}"
        assert "OFFICIAL-SENSITIVE" not in page
        assert f"Page {number} of {len(pages)}" in lines, f"page {number}:\n{page[-400:]}"


def test_red_actions_before_amber(papers: dict[str, Path], pdftotext: str) -> None:
    text = words(" ".join(pages_of(pdftotext, papers["public"])))
    start = text.index("For decision")
    positions = [text.find(heading, start) for heading in DECISIONS]
    assert all(p >= 0 for p in positions), dict(zip(DECISIONS, positions, strict=True))
    assert positions == sorted(positions), dict(zip(DECISIONS, positions, strict=True))
    assert "3. Referral processes for VAWG issues" in words(pages_of(pdftotext, papers["public"])[0])


def headings_of(paper_html: str) -> tuple[set[str], set[str]]:
    """The paper's headings as text (h1 to h4, and each theme's name row), and each heading
    followed by its lead paragraph (which is kept with it, and so strands it just as well)."""
    found = {plain(h) for h in re.findall(r"(?s)<h[1-4][^>]*>((?:(?!</?h[1-4]).)*?)</h[1-4]>", paper_html)}
    found |= {plain(th) for th in re.findall(r'(?s)<tr class="group"><th[^>]*>(.*?)</th>', paper_html)}
    with_lead = {
        f"{plain(h)} {plain(p)}"
        for h, p in re.findall(
            r'(?s)<h[2-4][^>]*>((?:(?!</?h[1-4]).)*?)</h[2-4]>\s*<p class="(?:lead|meta)">((?:(?!</?p[ >]).)*?)</p>',
            paper_html,
        )
    }
    found.discard("")
    return found, with_lead


def test_no_page_ends_with_a_heading(papers: dict[str, Path], pdftotext: str) -> None:
    headings, _ = headings_of(papers["html"].read_text(encoding="utf-8"))
    assert any(h.startswith("For decision") for h in headings) and "All actions" in headings
    assert any(h.startswith("3. Referral processes") for h in headings)
    assert any(h.startswith("Support for victims and survivors") for h in headings)
    stranded = []
    pages = pages_of(pdftotext, papers["public"])
    for number, page in enumerate(pages[:-1], 1):
        lines = body_lines(page, "OFFICIAL")
        assert lines, f"page {number} is blank"
        tail = " ".join(lines[-6:])  # a long heading wraps onto several lines
        if lines[-1] in headings or any(tail.endswith(h) for h in headings):
            stranded.append(f"page {number} ends with the heading {lines[-1]!r}")
    assert stranded == []


def test_no_page_ends_with_a_heading_and_only_its_lead(papers: dict[str, Path], pdftotext: str) -> None:
    """A heading kept with its one-line lead, and its table left to the next page, is stranded too."""
    _, with_lead = headings_of(papers["html"].read_text(encoding="utf-8"))
    assert any(h.startswith("By partner Each partner's actions") for h in with_lead)
    stranded = []
    pages = pages_of(pdftotext, papers["public"])
    for number, page in enumerate(pages[:-1], 1):
        lines = body_lines(page, "OFFICIAL")
        tail = " ".join(lines[-12:])
        for heading in with_lead:
            if tail.endswith(heading):
                stranded.append(f"page {number} ends with a heading and its lead paragraph: {heading[:60]!r}")
    assert stranded == []


def test_restricted_paper_says_so_on_every_page(papers: dict[str, Path], pdftotext: str) -> None:
    pages = pages_of(pdftotext, papers["restricted"])
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        lines = [words(line) for line in page.splitlines()]
        assert "OFFICIAL-SENSITIVE" in lines, f"page {number}:\n{page[:400]}"
        assert f"Page {number} of {len(pages)}" in lines


def test_plan_wording_for_the_marking_on_every_page(pdftotext: str, tmp_path: Path) -> None:
    plan = copy_plan(BOARD, tmp_path / "plan")
    settings = plan / "plan.yaml"
    source = settings.read_text(encoding="utf-8")
    changed, count = re.subn(r"(?m)^  public: OFFICIAL$", f'  public: "{CUSTOM_MARKING}"', source)
    assert count == 1
    settings.write_text(changed, encoding="utf-8")
    pages = pages_of(pdftotext, make(plan, tmp_path / "q3.pdf"))
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        assert CUSTOM_MARKING in [words(line) for line in page.splitlines()], f"page {number}"


# --- a hostile template --------------------------------------------------------------------------


def pdf_streams(data: bytes) -> Iterator[bytes]:
    """Every stream in the PDF, inflated where it is compressed."""
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        raw = match.group(1)
        yield raw
        with contextlib.suppress(zlib.error):
            yield zlib.decompressobj().decompress(raw)


def test_template_cannot_read_files_into_the_pdf(pdftotext: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    token = "TOKEN-7f3a9c-not-for-the-paper"
    secret.write_text(token + "\n", encoding="utf-8")
    plan = copy_plan(BOARD, tmp_path / "plan")
    (plan / "templates").mkdir()
    (plan / "templates" / "report.html.j2").write_text(
        "<!doctype html><html><head><title>{{ report.marking }}</title>\n"
        '<link rel="attachment" href="file:///etc/hostname">\n'
        f'<link rel="attachment" href="{secret.as_uri()}">\n'
        '<link rel="stylesheet" href="file:///etc/hostname">\n'
        f"<style>@import url({secret.as_uri()});</style>\n"
        "</head><body><h1>{{ report.plan_title }}</h1>\n"
        '<img src="file:///etc/passwd" alt="passwd">\n'
        f'<img src="{secret.as_uri()}" alt="secret">\n'
        f'<object data="{secret.as_uri()}" type="text/plain"></object>\n'
        f'<iframe src="{secret.as_uri()}"></iframe>\n'
        '<a rel="attachment" href="file:///etc/hostname">hostname</a>\n'
        f'<a rel="attachment" href="{secret.as_uri()}">secret</a>\n'
        "<p>{{ report.headline }}</p></body></html>\n",
        encoding="utf-8",
    )
    # Each URL is refused as it is asked for (nothing is read), and the paper is refused with
    # one sentence naming the first: a template that links out is a mistake to fix, not to print.
    output = tmp_path / "q3.pdf"
    result = report(plan, output)
    assert result.exit_code == 1, result.output
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)
    assert "fetches nothing from outside itself" in result.output and "data: URL" in result.output
    assert not output.exists()
    assert token not in result.output  # the message names the URL, never what is behind it


def test_without_pango_one_sentence_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # WeasyPrint loads Pango when it is imported: a machine without it raises OSError there.
    import builtins
    import sys

    real_import = builtins.__import__

    def no_pango(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': No such file")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_pango)
    output = tmp_path / "q3.pdf"
    result = CliRunner().invoke(
        app, ["report", "--plan", str(BOARD), "--quarter", "2025-Q3", "--as-of", "2026-01-20", "-o", str(output)]
    )
    assert result.exit_code == 1 and not output.exists()
    message = result.output.strip()
    assert message.startswith("vawg: error: cannot make a PDF") and message.count("\n") == 0
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in message and "-o paper.html" in message


# The timer's signal may land inside a garbage-collector callback (Hypothesis installs one), which
# Python reports and ignores: the timer fires again until the work stops (templates._alarm).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_template_that_makes_pdf_layout_run_for_ever_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ten thousand page breaks are quick to render as HTML and take WeasyPrint many minutes.
    from vawg_cli.render import pdf

    monkeypatch.setattr(pdf, "PDF_SECONDS", 2)
    plan = copy_plan(BOARD, tmp_path / "plan")
    (plan / "templates").mkdir()
    (plan / "templates" / "report.html.j2").write_text(
        '{% for i in range(10000) %}<p style="break-after: page">{{ i }}</p>{% endfor %}', encoding="utf-8"
    )
    output = tmp_path / "q3.pdf"
    result = report(plan, output)
    assert result.exit_code == 1 and not output.exists()
    assert "making the PDF ran for over 2 seconds and was stopped" in result.output


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_word_or_pdf_paper_is_never_written_to_standard_error(fmt: str) -> None:
    result = CliRunner().invoke(
        app, ["report", "--plan", str(BOARD), "--quarter", "2025-Q3", "--format", fmt, "-o", "/dev/stderr"]
    )
    assert result.exit_code == 2 and "is a file, not text to show here" in result.output
