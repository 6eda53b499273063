"""The status table written line by line (for long plans in a terminal) reads exactly as Rich draws it."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from conftest import BUNDLED_PLAN, FIXTURES
from vawg_cli.core.measures import outputs_by_action
from vawg_cli.core.status import ActionStatus, plan_status
from vawg_cli.model.records import Action, PlanSettings, Rag, Update
from vawg_cli.model.schedule import parse_target
from vawg_cli.plan.loading import load_plan
from vawg_cli.render.status import Outputs, output_texts
from vawg_cli.render.status_lines import fits, write_table
from vawg_cli.render.status_text import print_table

ANSI = re.compile(r"\x1b\[[0-9;]*m")
AS_OF = date(2026, 1, 20)


def both(
    statuses: list[ActionStatus], plan_settings: PlanSettings, width: int, outputs: Outputs | None = None
) -> tuple[str, str]:
    rich = io.StringIO()
    console = Console(file=rich, width=width, force_terminal=True, color_system=None, legacy_windows=False)
    texts = output_texts(outputs)
    print_table(console, statuses, plan_settings, AS_OF, len(statuses), texts)
    direct = io.StringIO()
    write_table(direct, statuses, plan_settings, AS_OF, len(statuses), texts, width=width, colour=True)
    # Rich pads every line to the table's width; the direct writer leaves the spaces out, which
    # a terminal does not show.
    padded = "".join(line.rstrip(" ") + "\n" for line in rich.getvalue().splitlines())
    return padded, ANSI.sub("", direct.getvalue())


@pytest.mark.parametrize("folder", [BUNDLED_PLAN, FIXTURES / "board", FIXTURES / "measures", FIXTURES / "reporting"])
@pytest.mark.parametrize("width", [80, 99, 100, 140])
def test_the_same_text_as_rich_for_the_fixture_plans(folder: Path, width: int) -> None:
    plan = load_plan(folder, today=date(2026, 12, 2))
    statuses = plan_status([f.action for f in plan.actions], plan.settings, AS_OF)
    outputs = outputs_by_action([f.measure for f in plan.measures], plan.settings, AS_OF)
    assert fits(width, statuses)
    rich, direct = both(statuses, plan.settings, width, outputs)
    assert direct == rich


WORDS = st.text(alphabet="abcdefghij-", min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.lists(WORDS, min_size=1, max_size=25),
            st.lists(
                st.sampled_from(["LBB", "Met", "Vol Sector", "Health and Wellbeing Board", "NHS"]),
                min_size=1,
                max_size=4,
                unique=True,
            ),
            st.sampled_from(["Apr-25", "Quarterly", "Monthly", "2026-05-01", "TBC", "Ongoing"]),
            st.sampled_from([None, *Rag]),
            st.integers(1, 99_999),
        ),
        min_size=1,
        max_size=8,
    ),
    width=st.integers(60, 200),
)
# Found by the law: leads of three letters make a column narrower than its heading "Leads".
@example(rows=[(["a"], ["LBB"], "Apr-25", None, 1)], width=100)
def test_the_same_text_as_rich_for_any_plan(
    rows: list[tuple[list[str], list[str], str, Rag | None, int]], width: int
) -> None:
    # Law: wherever a table fits, the direct writer's text is Rich's, line for line and space for space.
    plan_settings = PlanSettings("A plan", date(2024, 4, 1), date(2028, 4, 30), {"LBB": "LBB"})
    actions = [
        Action(
            number,
            " ".join(words),
            tuple(leads),
            target,
            parse_target(target),
            (Update(date(2025, 6, 1), rag, "n"),) if rag else (),
        )
        for words, leads, target, rag, number in rows
    ]
    statuses = plan_status(actions, plan_settings, AS_OF)
    if not fits(width, statuses):
        return  # Rich draws cards there, and the direct writer is not used
    rich, direct = both(statuses, plan_settings, width)
    assert direct == rich


def test_colours_come_with_their_words_and_no_colour_is_plain() -> None:
    plan = load_plan(FIXTURES / "board", today=date(2026, 12, 2))
    statuses = plan_status([f.action for f in plan.actions], plan.settings, AS_OF)
    coloured, plain = io.StringIO(), io.StringIO()
    write_table(coloured, statuses, plan.settings, AS_OF, len(statuses), None, width=100, colour=True)
    write_table(plain, statuses, plan.settings, AS_OF, len(statuses), None, width=100, colour=False)
    assert "\x1b[" not in plain.getvalue() and " RED " in plain.getvalue()
    assert "\x1b[1;38;2;255;255;255;48;2;176;0;32m RED \x1b[0m" in coloured.getvalue()
    assert ANSI.sub("", coloured.getvalue()) == plain.getvalue()


@pytest.mark.parametrize(
    ("rows", "title", "direct"),
    [
        (200, "Action", False),
        (201, "Action", True),
        (201, "Café", True),  # one column a character: padded as Rich pads it
        # Two columns, or none, for one character: Rich measures them as a terminal shows them.
        (201, "安全 plan", False),
        (201, "Cafe\u0301", False),
        (201, "Zero\u200bwidth", False),
        (201, "Safe \U0001f3e0", False),
    ],
)
def test_a_terminal_gets_the_direct_table_past_200_rows_of_narrow_text(
    monkeypatch: pytest.MonkeyPatch, rows: int, title: str, direct: bool
) -> None:
    from vawg_cli.core.status import StatusView
    from vawg_cli.render import status, status_lines

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    plan_settings = PlanSettings("A plan", date(2024, 4, 1), date(2028, 4, 30), {"LBB": "LBB"})
    actions = [Action(n, f"{title} {n}", ("LBB",), "Apr-25", parse_target("Apr-25")) for n in range(1, rows + 1)]
    chosen = plan_status(actions, plan_settings, AS_OF)
    used: list[bool] = []
    real = status_lines.write_table

    def watched(*args: Any, **kwargs: Any) -> None:
        used.append(kwargs["colour"])
        real(*args, **kwargs)

    monkeypatch.setattr(status_lines, "write_table", watched)
    monkeypatch.setattr("sys.stdout", Terminal())
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    status.write_status(StatusView(chosen, len(chosen), AS_OF), plan_settings, "table")
    assert used == ([False] if direct else [])  # and no colour where Rich would give none


ENVIRONMENT = st.fixed_dictionaries(
    {},
    optional={
        "NO_COLOR": st.sampled_from(["", "1", "0"]),
        "TTY_COMPATIBLE": st.sampled_from(["", "0", "1", "yes"]),
        "FORCE_COLOR": st.sampled_from(["", "1", "0"]),
        "TERM": st.sampled_from(["", "dumb", "DUMB", "unknown", "xterm-256color", "xterm", "vt100", " dumb"]),
        "COLORTERM": st.sampled_from(["", "truecolor", "24bit"]),
    },
)


@settings(max_examples=300, deadline=None)
@given(ENVIRONMENT)
def test_a_long_table_is_coloured_exactly_where_rich_would_colour_it(environ: dict[str, str]) -> None:
    """Law: the direct writer's colour decision, made without importing Rich, is Rich's own."""
    from vawg_cli.render.status_text import colours_a_terminal

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    console = Console(file=Terminal(), _environ=environ)
    assert colours_a_terminal(environ, "linux") == (console.color_system is not None and not console.no_color)


def rich_folds(text: str, width: int) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, legacy_windows=False).print(Text(text), overflow="fold")
    return [line.rstrip(" ") for line in out.getvalue().removesuffix("\n").split("\n")]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.text(alphabet="abcXYZ,&", min_size=1, max_size=40), min_size=1, max_size=6),
    st.integers(1, 30),
)
@example(["LBB,", "CommunitySafetyPartnership"], 18)  # found by a review: textwrap filled the line first
@example(["A" * 36, "Met"], 18)  # a word of exactly two lines: the next one starts after its space
def test_a_cell_is_folded_as_rich_folds_it(words: list[str], width: int) -> None:
    """Law: a partner list (words one space apart) wraps in the direct table as in Rich's, long words and all."""
    from vawg_cli.render.status_lines import _fold

    text = " ".join(words)
    assert _fold(text, width) == rich_folds(text, width)
