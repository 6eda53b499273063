"""The HTML paper on a phone (390 px wide) and on a laptop (1280 px), in a real headless Chromium.

What the issue asks: below about 600 px the tables become stacked cards, so that each action's
current colour, the reason and the note are seen without scrolling sideways, and the page never
scrolls sideways at 390 px; at 1280 px the red actions are on the first screen; the marking stays
in sight while the paper is scrolled; the chart's labels stay a legible size.

The plan is tests/fixtures/board at the end of 2025/26 Q3 (actions 3 and 7 red, 4 and 8 amber),
and tests/fixtures/reporting for the page width. Chromium and playwright are found as in
test_report_browser.py: without them the tests skip, unless VAWG_REQUIRE_BROWSER=1 (CI). Each test
saves a screenshot in its tmp folder for a person to look at; none is compared.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, copy_plan
from test_report_browser import Watched, open_page
from vawg_cli.cli import app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

BOARD = FIXTURES / "board"
REPORTING = FIXTURES / "reporting"
PLANS = {"board": (BOARD, "2025-Q3", "2026-01-20"), "reporting": (REPORTING, "2025-Q3", "2026-01-05")}
PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1280, "height": 720}
# Action: its colour at the end of 2025/26 Q3 in the board plan.
BOARD_COLOURS = {"3": "Red", "7": "Red", "4": "Amber", "8": "Amber", "5": "Blue"}
SLACK = 0.5  # sub-pixel rounding in a layout box


def render(tmp_path: Path, plan: str = "board", *extra: str) -> Path:
    folder, quarter, as_of = PLANS[plan]
    output = tmp_path / f"{plan}.html"
    arguments = ["report", "--plan", str(folder), "--quarter", quarter, "--as-of", as_of, "-o", str(output), *extra]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert output.is_file(), result.output
    return output


def open_at(browser: Browser, html: Path, size: ViewportSize) -> tuple[Page, Watched]:
    page, watched = open_page(browser, html)
    page.set_viewport_size(size)
    page.evaluate("() => window.scrollTo(0, 0)")
    return page, watched


def box(page: Page, selector: str | None = None, *, element: Any = None) -> dict[str, float]:
    """An element's box relative to the viewport."""
    handle = element if element is not None else page.query_selector(selector or "")
    assert handle is not None, f"no {selector}"
    found: dict[str, float] = handle.evaluate(
        "e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right,"
        " top: r.top, bottom: r.bottom, width: r.width, height: r.height}; }"
    )
    return found


def across(found: dict[str, float], width: int) -> bool:
    """Whether a box lies within the viewport from side to side."""
    return found["left"] >= -SLACK and found["right"] <= width + SLACK and found["width"] > 0


def screenshot(page: Page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


# --- no sideways scrolling ------------------------------------------------------------------------


@pytest.mark.parametrize("plan", sorted(PLANS))
def test_page_never_scrolls_sideways_at_390(browser: Browser, tmp_path: Path, plan: str) -> None:
    page, watched = open_at(browser, render(tmp_path, plan), PHONE)
    try:
        screenshot(page, tmp_path, f"phone-{plan}")
        widths = page.evaluate(
            "() => ({inner: window.innerWidth, doc: document.documentElement.scrollWidth,"
            " body: document.body.scrollWidth})"
        )
        assert widths["inner"] == PHONE["width"]
        assert widths["doc"] <= widths["inner"], widths
        assert widths["body"] <= widths["inner"], widths
        # Nothing is hidden in a box that scrolls sideways either: every table fits its wrapper.
        wide = page.evaluate(
            "() => [...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1)"
            ".map(w => (w.closest('section') || {}).id + ': ' + w.scrollWidth + ' > ' + w.clientWidth)"
        )
        assert wide == [], wide
        assert watched.errors == []
    finally:
        page.close()


# --- each action's colour, reason and note on a phone ------------------------------------------


def test_each_actions_current_colour_is_visible_when_scrolled_to(browser: Browser, tmp_path: Path) -> None:
    page, watched = open_at(browser, render(tmp_path), PHONE)
    try:
        rows = page.query_selector_all("#all-actions tbody tr")
        assert len(rows) == 10, "the board plan has ten actions"
        seen: dict[str, str] = {}
        problems: list[str] = []
        for row in rows:
            action = " ".join((row.query_selector("td.id") or row).inner_text().split()).removeprefix("Action ").strip()
            row.scroll_into_view_if_needed()
            colours = row.query_selector_all("td[data-label=Colour] .rag")
            assert colours, f"action {action} has no colour"
            current = colours[-1]
            current.evaluate("e => e.scrollIntoView({block: 'center', inline: 'nearest'})")
            place = box(page, element=current)
            word = current.inner_text().strip()
            seen[action] = word
            if not across(place, PHONE["width"]):
                problems.append(f"action {action}: its colour {word} is at {place}, outside 0..{PHONE['width']}")
            if not (place["top"] >= -SLACK and place["bottom"] <= PHONE["height"] + SLACK):
                problems.append(f"action {action}: its colour is not on the screen when scrolled to: {place}")
            # Seen, not covered: the point at its middle is the colour itself (not the sticky marking).
            on_top = current.evaluate(
                "e => { const r = e.getBoundingClientRect();"
                " const t = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);"
                " return t !== null && (t === e || e.contains(t)); }"
            )
            if not on_top:
                problems.append(f"action {action}: its colour is covered by something else")
            note = row.query_selector("td[data-label=Update]")
            assert note is not None, f"action {action} has no Update cell"
            note.scroll_into_view_if_needed()
            note_box = box(page, element=note)
            if not across(note_box, PHONE["width"]):
                problems.append(f"action {action}: its note is at {note_box}, outside 0..{PHONE['width']}")
            if note.evaluate("e => e.scrollWidth > e.clientWidth + 1"):
                problems.append(f"action {action}: its note is wider than its cell")
        screenshot(page, tmp_path, "phone-all-actions")
        assert problems == []
        for action, colour in BOARD_COLOURS.items():
            assert seen.get(action) == colour, seen
        assert watched.errors == []
    finally:
        page.close()


def test_decision_cards_fit_a_phone(browser: Browser, tmp_path: Path) -> None:
    page, _ = open_at(browser, render(tmp_path), PHONE)
    try:
        cards = page.query_selector_all("#decisions article")
        assert len(cards) == 5, "actions 3, 7, 4, 8 and 9 are for decision"
        problems: list[str] = []
        for card in cards:
            card.scroll_into_view_if_needed()
            title = (card.query_selector("h3") or card).inner_text()
            for part in [card, *card.query_selector_all("h3, .meta, .rag, dt, dd")]:
                place = box(page, element=part)
                if place["width"] and not across(place, PHONE["width"]):
                    text = " ".join(part.inner_text().split())[:60]
                    problems.append(f"{title[:40]!r}: {text!r} at {place}")
            if card.evaluate("e => e.scrollWidth > e.clientWidth + 1"):
                problems.append(f"{title[:40]!r} is wider than its card")
            reason = card.query_selector("dd")
            assert reason is not None and reason.inner_text().strip(), f"{title[:40]!r} gives no reason"
        screenshot(page, tmp_path, "phone-decisions")
        assert problems == []
    finally:
        page.close()


# --- a laptop ------------------------------------------------------------------------------------


def test_red_actions_on_the_first_screen_at_1280(browser: Browser, tmp_path: Path) -> None:
    page, _ = open_at(browser, render(tmp_path), LAPTOP)
    try:
        page.screenshot(path=str(tmp_path / "laptop-first-screen.png"))
        assert page.evaluate("() => window.scrollY") == 0
        red = page.query_selector_all("article.flag-red")
        assert len(red) == 2, "actions 3 and 7 are red"
        first = box(page, element=red[0])
        assert first["top"] < LAPTOP["height"], f"the first red action starts at {first['top']} px"
        heading = box(page, element=red[0].query_selector("h3"))
        assert heading["bottom"] <= LAPTOP["height"], f"the first red action's title ends at {heading['bottom']} px"
        assert red[0].query_selector("h3") is not None
        assert (red[0].query_selector("h3") or red[0]).inner_text().startswith("3.")
    finally:
        page.close()


# --- the marking -------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "extra"), [(PHONE, ()), (LAPTOP, ()), (PHONE, ("--include-restricted",))])
def test_marking_stays_in_sight_when_scrolled(
    browser: Browser, tmp_path: Path, size: ViewportSize, extra: tuple[str, ...]
) -> None:
    page, _ = open_at(browser, render(tmp_path, "board", *extra), size)
    try:
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_function("() => window.scrollY > 0")
        assert page.evaluate("() => window.scrollY") > size["height"], "the paper should be longer than a screen"
        marking = page.query_selector(".marking")
        assert marking is not None and marking.is_visible()
        place = box(page, element=marking)
        assert abs(place["top"]) <= 1, f"the marking is at {place['top']} px from the top after scrolling"
        assert place["bottom"] > 10
        assert across(place, size["width"])
        words = " ".join(marking.inner_text().split())
        assert words.startswith("OFFICIAL-SENSITIVE" if extra else "OFFICIAL"), words
        # Nothing scrolls over it.
        covered = marking.evaluate(
            "e => { const r = e.getBoundingClientRect();"
            " const t = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);"
            " return !(t === e || e.contains(t)); }"
        )
        assert not covered
        page.screenshot(path=str(tmp_path / f"scrolled-{size['width']}.png"))
    finally:
        page.close()


# --- the chart --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [PHONE, LAPTOP])
def test_chart_labels_are_legible(browser: Browser, tmp_path: Path, size: ViewportSize) -> None:
    page, _ = open_at(browser, render(tmp_path), size)
    try:
        chart = page.query_selector("svg.chart")
        assert chart is not None
        chart.scroll_into_view_if_needed()
        chart.screenshot(path=str(tmp_path / f"chart-{size['width']}.png"))
        facts = chart.evaluate(
            "svg => { const r = svg.getBoundingClientRect(); const view = svg.viewBox.baseVal;"
            " const scale = r.width / view.width;"
            " return {scale, left: r.left, right: r.right, texts: [...svg.querySelectorAll('text')].map(t => ({"
            " text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize) * scale}))}; }"
        )
        assert facts["texts"], "the chart has no labels"
        assert facts["left"] >= -SLACK and facts["right"] <= size["width"] + SLACK, facts
        small = [t for t in facts["texts"] if t["size"] < 10]
        assert small == [], f"labels drawn under 10 px (scale {facts['scale']:.2f}): {small[:5]}"
        texts = [t["text"] for t in facts["texts"]]
        assert "Number of actions" in texts, "the y axis has no title"
        assert any(t.isdigit() and t != "0" for t in texts), "no number on the bars"
        assert page.query_selector("#year-on-year table caption") is not None, "no data table for screen readers"
    finally:
        page.close()


def test_a_word_longer_than_the_phone_breaks_rather_than_widen_the_page(browser: Browser, tmp_path: Path) -> None:
    plan = copy_plan(BOARD, tmp_path / "plan")
    settings = plan / "plan.yaml"
    settings.write_text(
        re.sub(r"(?m)^title: .*$", "title: " + "W" * 180 + " plan", settings.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    action = next((plan / "actions").glob("02-*.yaml"))
    action.write_text(re.sub(r"(?m)^theme: .*$", "theme: " + "T" * 500, action.read_text(encoding="utf-8")))
    output = tmp_path / "long.html"
    arguments = ["report", "--plan", str(plan), "--quarter", "2025-Q3", "--as-of", "2026-01-20", "-o", str(output)]
    assert CliRunner().invoke(app, arguments).exit_code == 0
    page, _ = open_at(browser, output, PHONE)
    try:
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        page.close()
