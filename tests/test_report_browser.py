"""`vawg report` opened in a real headless Chromium: no script errors, no network, print to PDF.

Needs Debian's chromium (/usr/bin/chromium) or another Chromium named by VAWG_CHROMIUM, and the
Python `playwright` package (in the `test` extra); `playwright install` is not needed. Without
them the tests skip, unless VAWG_REQUIRE_BROWSER=1 (set by .ci/run), when they fail instead.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest
from typer.testing import CliRunner

from vawg_cli.cli import app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request, Route

FIXTURE = Path(__file__).parent / "fixtures" / "reporting"
QUARTER = "2025-Q3"
AS_OF = "2026-01-05"
QUARTER_LABEL = "2025/26 Q3"
PLAN_TITLE = "Test Borough VAWG Action Plan 2024-2028"
SCRIPT_NOTE = "120 professionals trained <script>alert(1)</script>"
RESTRICTED_TEXT = "jane.doe@example.org"
# At the end of 2025/26 Q3 the fixture's seven actions are red 0, amber 2, green 2, blue 2, grey 1.
COUNTS = {"red": 0, "amber": 2, "green": 2, "blue": 2, "grey": 1}

NO_BROWSER = "no Chromium found: install Debian's chromium package, or set VAWG_CHROMIUM"
NO_PLAYWRIGHT = "the Python playwright package is not installed: pip install '.[test]'"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",  # the network is closed: no update or metrics calls
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


def find_chromium() -> str | None:
    """VAWG_CHROMIUM, else Debian's /usr/bin/chromium, else a Chromium or Chrome on PATH."""
    named = os.environ.get("VAWG_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def no_browser(reason: str) -> NoReturn:
    """Skip, or fail where a browser is required (CI)."""
    if os.environ.get("VAWG_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (VAWG_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


@dataclass
class Watched:
    """What the page did while it was open."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def render(tmp_path: Path, *extra: str) -> Path:
    output = tmp_path / "q3.html"
    arguments = ["report", "--plan", str(FIXTURE), "--quarter", QUARTER, "--as-of", AS_OF, "-o", str(output), *extra]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert output.is_file(), result.output
    return output


def open_page(browser: Browser, html: Path) -> tuple[Page, Watched]:
    page = browser.new_page()
    page.set_default_timeout(20_000)
    watched = Watched()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watched.errors.append(f"console error: {message.text} at {message.location}")

    def on_page_error(error: Exception) -> None:
        watched.errors.append(f"page error: {error}")

    def on_request(request: Request) -> None:
        watched.requests.append(request.url)

    def on_dialog(dialog: Dialog) -> None:
        watched.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def refuse(route: Route) -> None:
        route.abort()  # recorded by on_request first; never wait on a closed network

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("request", on_request)
    page.on("dialog", on_dialog)
    page.route(re.compile(r"^(?!file:|data:)"), refuse)
    page.goto(html.resolve().as_uri(), wait_until="load")
    return page, watched


def words(text: str) -> str:
    """Lower case with runs of white space as one space: CSS may upper-case or wrap any of it."""
    return " ".join(text.split()).lower()


def test_report_opens_cleanly_in_chromium_and_prints_to_pdf(browser: Browser, tmp_path: Path) -> None:
    html = render(tmp_path)
    page, watched = open_page(browser, html)
    try:
        text = words(page.inner_text("body"))
        content = page.content()

        assert watched.errors == []
        outside = [url for url in watched.requests if not url.startswith(("file://", "data:"))]
        assert outside == [], f"the report asked for something outside itself: {outside}"
        assert watched.dialogs == [], "a note's markup ran as script"

        assert words(PLAN_TITLE) in text
        assert words(QUARTER_LABEL) in text
        for colour, number in COUNTS.items():
            assert colour in text, f"no {colour!r} in the rendered text"
            # The layout may change: only ask for the word next to its count, either way round.
            assert re.search(rf"\b({colour} {number}|{number} {colour})\b", text), f"no count {colour} {number}"
        assert words(SCRIPT_NOTE) in text, "the note with markup is not shown as text"
        assert RESTRICTED_TEXT not in content
        assert RESTRICTED_TEXT not in html.read_text(encoding="utf-8")
        assert page.locator("svg").count() >= 1, "no inline <svg> chart"

        pdf = tmp_path / "q3.pdf"
        page.emulate_media(media="print")
        page.pdf(path=pdf, format="A4", print_background=True)
        assert watched.errors == [], "errors after switching to the print stylesheet"
        assert pdf.is_file()
        assert pdf.read_bytes().startswith(b"%PDF")
        assert pdf.stat().st_size > 5 * 1024, f"PDF is only {pdf.stat().st_size} bytes"
    finally:
        page.close()


def test_report_with_restricted_notes_shows_them(browser: Browser, tmp_path: Path) -> None:
    html = render(tmp_path, "--include-restricted")
    page, watched = open_page(browser, html)
    try:
        text = page.inner_text("body")
        assert watched.errors == []
        assert watched.dialogs == []
        assert "RESTRICTED" in text
        assert RESTRICTED_TEXT in text
    finally:
        page.close()
