"""`vawg status` in a terminal: every figure whole at any width, as `--format json` gives it."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from conftest import BUNDLED_PLAN
from vawg_cli.core.status import ActionStatus, plan_status
from vawg_cli.model.records import Action, PlanSettings, Rag, Update
from vawg_cli.model.schedule import parse_target
from vawg_cli.plan.loading import load_plan
from vawg_cli.render.status import render_json
from vawg_cli.render.status_text import print_table

AS_OF = date(2026, 12, 2)
SETTINGS = PlanSettings(
    title="A plan with long words",
    start=date(2024, 4, 1),
    end=date(2028, 4, 30),
    partners={"LBB": "London Borough of Bexley", "Met": "Metropolitan Police Service"},
)


def drawn(statuses: list[ActionStatus], settings: PlanSettings, width: int) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=True, color_system=None, legacy_windows=False)
    print_table(console, statuses, settings, AS_OF, len(statuses))
    return out.getvalue()


def long_plan() -> list[ActionStatus]:
    title = "To obtain funding for measures to increase safety in the community for women " * 4
    actions = [
        Action(
            id=number,
            title=title,
            leads=("LBB", "Met", "Vol Sector", "Health and Wellbeing Board"),
            target=target,
            schedule=parse_target(target),
            updates=updates,
        )
        for number, target, updates in [
            (1, "Apr-25", ()),
            (20, "Quarterly", (Update(date(2026, 10, 5), Rag.GREEN, "n"),)),
            (300, "Quarterly", ()),
            (4000, "2024-05-01", (Update(date(2024, 4, 30), Rag.AMBER, "n"),)),
            (50000, "Monthly", (Update(date(2026, 12, 1), Rag.RED, "n"),)),
            (6, "Apr-26", (Update(date(2026, 1, 1), Rag.BLUE, "n"),)),
        ]
    ]
    return plan_status(actions, SETTINGS, AS_OF)


def bundled() -> tuple[list[ActionStatus], PlanSettings]:
    plan = load_plan(BUNDLED_PLAN, today=AS_OF)
    return plan_status((f.action for f in plan.actions), plan.settings, AS_OF), plan.settings


@pytest.mark.parametrize("width", [20, 30, 40, 60, 80, 100, 120, 200])
@pytest.mark.parametrize("which", ["bundled", "long"])
def test_every_figure_is_whole_and_equals_the_json(width: int, which: str) -> None:
    statuses, settings = bundled() if which == "bundled" else (long_plan(), SETTINGS)
    text = drawn(statuses, settings, width)
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines), "\n".join(line for line in lines if len(line) > width)
    for record in json.loads(render_json(statuses, settings)):
        due = date.fromisoformat(record["due"]).strftime("%d %b %Y") if record["due"] else "-"
        # The action's id, its colour, its due date and its state follow each other, each whole on
        # one line (in a terminal too narrow for one line, they wrap between each other).
        figures = (
            rf"(?m)^\s*{record['id']}\s(?:[^\n]*\s)?{record['rag'].upper()}"
            rf"\s+{re.escape(due)}\s+{re.escape(record['state'])}[ \t]*$"
        )
        assert re.search(figures, text), f"{record} not whole in:\n{text}"


def test_at_80_columns_the_overdue_days_are_not_cut(tmp_path: Path) -> None:
    statuses, settings = bundled()
    text = drawn(statuses, settings, 80)
    assert text.count("overdue 581 days") == 4
    assert "overdue 58 " not in text and "…" not in "".join(re.findall(r"overdue \S+", text))


def test_a_long_title_is_shortened_to_a_few_lines_not_a_column_of_words() -> None:
    statuses = long_plan()
    for width in (80, 100):
        rows = drawn(statuses, SETTINGS, width).split("\n")
        start = next(i for i, line in enumerate(rows) if re.match(r"^\s*1\s", line))
        following = rows[start + 1 : start + 6]
        # At most three lines of title (and the leads under it at 80 columns) before the next row.
        assert sum(1 for line in following if re.match(r"^\s*\d+\s", line)) >= 1
        assert len([line for line in following[:4] if not re.match(r"^\s*\d+\s", line)]) <= 4
        assert "…" in "\n".join(rows)  # the rest of the title is in --format json and the plain output


def test_narrow_terminals_get_cards_with_the_figures_on_one_line() -> None:
    text = drawn(long_plan(), SETTINGS, 48)
    assert re.search(r"^\s*1\s+GREY\s+30 Apr 2025  overdue \d+ days$", text, re.MULTILINE)
    assert re.search(
        r"^ 4000\s+AMBER\s+01 May 2024\n {7}overdue 945 days$", drawn(long_plan(), SETTINGS, 40), re.MULTILINE
    )
    assert "Health and Wellbeing Board" in re.sub(r"\n\s+", " ", text)


@pytest.mark.parametrize("width", [40, 80, 120])
def test_plan_text_reaches_the_terminal_escaped(width: int) -> None:
    hostile = Action(
        id=1,
        title="Clear \x1b[2J the screen \u202e reversed",
        leads=("LBB\x1b]0;owned\x07",),
        target="Apr-25",
        schedule=parse_target("Apr-25"),
    )
    settings = PlanSettings(
        title="Plan \x1b[31m red",
        start=SETTINGS.start,
        end=SETTINGS.end,
        partners={"LBB\x1b]0;owned\x07": "x"},
        rag={Rag.RED: "Bad \x9b news"},
    )
    text = drawn(plan_status([hostile], settings, AS_OF), settings, width)
    assert not set(text) & {"\x1b", "\x07", "\u202e", "\x9b"}
    assert "\\x1b[2J" in text.replace("\n", "") or "\\x1b" in text
    assert "\\u202e" in re.sub(r"\s+", " ", text)


def test_a_long_reference_is_cut_short_beside_the_id() -> None:
    from dataclasses import replace

    statuses = long_plan()
    wordy = replace(statuses[0].action, ref="DAB 12 (ii) extended reference " * 3)
    statuses = plan_status([wordy, *(s.action for s in statuses[1:])], SETTINGS, AS_OF)
    text = drawn(statuses, SETTINGS, 80)
    assert f"{wordy.id} (DAB 12 (ii)…)" in text and "extended" not in text
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "overdue 945 days" in text
