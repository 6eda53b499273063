"""The compact form of `vawg status` (core/compact.py) is held to the records' rules (core/status.py).

The quick path shows what `status_view` would show: the law is checked row by row, and on the
text both renderers draw from the rows, over random plans and days.
"""

from __future__ import annotations

import io
import marshal
import textwrap
from datetime import date
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vawg_cli.core.compact import CompactSettings, Row, encode, settings_record, statuses
from vawg_cli.core.status import status_view
from vawg_cli.model.records import Action, Lifecycle, LifecycleChange, PlanSettings, Rag, TargetChange, Update
from vawg_cli.model.schedule import parse_target
from vawg_cli.render.status_lines import fits, write_table
from vawg_cli.render.status_text import Shown, render_plain
from vawg_cli.render.title_wrap import _hyphened_wrap, greedy_wrap, title_lines

SETTINGS = PlanSettings(
    title="Test plan",
    start=date(2024, 4, 1),
    end=date(2028, 4, 30),
    partners={"LBB": "London Borough of Bexley", "Met": "Metropolitan Police Service", "VS": "Voluntary sector"},
    due_soon_days=30,
    rag={Rag.RED: "Off track"},
)
# Every kind of target: dates, months, quarters and years, recurring ones, ongoing (with and
# without a first date), to be confirmed, and one vawg cannot read (as an old target only).
TARGETS = [
    "Apr-25",
    "2024-12-15",
    "Mar-26",
    "2026/27",
    "Q3 2025/26",
    "November annually",
    "Quarterly",
    "Monthly",
    "Every two years",
    "Ongoing",
    "By Autumn 2025 and ongoing",
    "TBC",
    "2029-06-30",
]
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2029, 12, 31))


@st.composite
def actions(draw: st.DrawFn, number: int) -> Action:
    target = draw(st.sampled_from(TARGETS))
    days = sorted(draw(st.lists(DAYS, max_size=6)))
    updates = tuple(Update(day, draw(st.sampled_from(list(Rag))), "note") for day in days)
    history: tuple[TargetChange, ...] = ()
    for on in sorted(draw(st.lists(DAYS, max_size=3))):
        old = draw(st.sampled_from([*TARGETS, "when funding allows"]))
        history += (TargetChange(on, old, target, "moved"),)
    lifecycle = tuple(
        LifecycleChange(on, draw(st.sampled_from(list(Lifecycle))), "why")
        for on in sorted(draw(st.lists(DAYS, max_size=3)))
    )
    return Action(
        id=number,
        title=draw(st.sampled_from([f"Action {number}", "A title long enough to wrap " * 4, " Two\nlines "])),
        leads=tuple(draw(st.lists(st.sampled_from(["LBB", "Met", "VS"]), min_size=1, max_size=3, unique=True))),
        target=target,
        schedule=parse_target(target),
        updates=updates,
        target_history=history,
        added=draw(st.none() | DAYS),
        ref=draw(st.none() | st.sampled_from(["DAB 1", "1.1", "a reference far too long to show"])),
        lifecycle=lifecycle,
    )


@st.composite
def plans(draw: st.DrawFn) -> list[Action]:
    return [draw(actions(number)) for number in range(1, draw(st.integers(0, 12)) + 1)]


FILTERS = st.fixed_dictionaries(
    {
        "lead": st.none() | st.sampled_from(["LBB", "Met", "VS"]),
        "rag": st.none() | st.sampled_from(list(Rag)),
        "overdue": st.booleans(),
        "due_soon": st.booleans(),
    }
)


def shown(status: Shown) -> tuple[object, ...]:
    """Everything a status row shows."""
    aside = status.set_aside
    face = status.action
    return (
        face.id,
        face.ref,
        face.title,
        face.leads,
        status.rag,
        status.due,
        status.state,
        status.overdue,
        status.due_soon,
        status.complete,
        None if aside is None else (aside.date, aside.state),
    )


def compact(plan: list[Action]) -> tuple[list[Row], CompactSettings]:
    """The plan in compact form, through marshal as the snapshot keeps it."""
    rows: Any = [encode(action, SETTINGS) for action in plan]
    assert all(row is not None for row in rows)  # the strategy keeps every list in date order
    record: Any = settings_record(SETTINGS)
    return marshal.loads(marshal.dumps(rows)), CompactSettings(marshal.loads(marshal.dumps(record)))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(), DAYS, FILTERS)
def test_the_compact_rows_are_the_records_rows(plan: list[Action], as_of: date, filters: dict[str, object]) -> None:
    view = status_view(plan, SETTINGS, as_of, **filters)  # type: ignore[arg-type]
    rows, compact_settings = compact(plan)
    chosen, total = statuses(rows, compact_settings, as_of, **filters)  # type: ignore[arg-type]
    assert [shown(s) for s in chosen] == [shown(s) for s in view.chosen]
    assert total == view.total


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(), DAYS, st.integers(40, 160))
def test_both_draw_the_same_text(plan: list[Action], as_of: date, width: int) -> None:
    view = status_view(plan, SETTINGS, as_of)
    rows, compact_settings = compact(plan)
    chosen, total = statuses(rows, compact_settings, as_of)
    assert render_plain(chosen, compact_settings, as_of, total) == render_plain(
        view.chosen, SETTINGS, as_of, view.total
    )
    if not fits(width, view.chosen):
        return  # a terminal too narrow for a table gets Rich's cards, whichever the rows
    assert fits(width, chosen)
    drawn = []
    for these, wording in ((chosen, compact_settings), (view.chosen, SETTINGS)):
        out = io.StringIO()
        write_table(out, these, wording, as_of, total, None, width=width, colour=True)
        drawn.append(out.getvalue())
    assert drawn[0] == drawn[1]


def test_a_day_on_an_edge() -> None:
    """Examples of the edges: due today, the day after, a quarter reported on, an action not added yet."""
    quarterly = Action(1, "Report", ("LBB",), "Quarterly", parse_target("Quarterly"))
    both = (Update(date(2025, 3, 1), Rag.AMBER, "late"), Update(date(2025, 5, 1), Rag.GREEN, "ok"))
    reported = Action(2, "Reported", ("Met",), "Quarterly", parse_target("Quarterly"), both)
    once = Action(3, "Once", ("LBB",), "2025-06-30", parse_target("2025-06-30"))
    later = Action(4, "Later", ("LBB",), "Apr-26", parse_target("Apr-26"), added=date(2025, 7, 1))
    plan = [quarterly, reported, once, later]
    rows, compact_settings = compact(plan)
    for as_of in (date(2025, 6, 29), date(2025, 6, 30), date(2025, 7, 1), date(2025, 7, 2)):
        view = status_view(plan, SETTINGS, as_of)
        chosen, total = statuses(rows, compact_settings, as_of)
        assert [shown(s) for s in chosen] == [shown(s) for s in view.chosen]
        assert total == view.total
    chosen, _ = statuses(rows, compact_settings, date(2025, 6, 30))
    assert {s.id: s.state for s in chosen} == {
        1: "overdue 91 days",  # March's quarter was never reported on
        3: "due today",
        2: "done for this period",
    }


def test_lists_out_of_date_order_are_left_to_the_records() -> None:
    late_first = (Update(date(2025, 5, 1), Rag.RED, "b"), Update(date(2025, 4, 1), Rag.GREEN, "a"))
    unordered = Action(1, "Unordered", ("LBB",), "Apr-26", parse_target("Apr-26"), late_first)
    assert encode(unordered, SETTINGS) is None
    ordered = Action(1, "Ordered", ("LBB",), "Apr-26", parse_target("Apr-26"), late_first[::-1])
    assert encode(ordered, SETTINGS) is not None


WORDS = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="-").filter(lambda c: not c.isspace()),
    min_size=1,
    max_size=12,
)


@settings(max_examples=500, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=30), st.integers(1, 60))
def test_the_greedy_wrap_is_textwraps(words: list[str], width: int) -> None:
    """Titles are wrapped word by word where textwrap's rules come down to that: no hyphen (a word
    longer than the line is left to textwrap, which cuts it to fill the line before)."""
    text = " ".join(words)
    assert greedy_wrap(text, width) == textwrap.wrap(text, width, break_long_words=True)


HYPHENED = st.text(
    st.sampled_from("ab-1.'\u00e9"),
    min_size=1,
    max_size=12,
).filter(lambda word: word.strip())


@settings(max_examples=800, deadline=None)
@given(st.lists(HYPHENED | WORDS, min_size=1, max_size=30), st.integers(1, 60))
@example(["night-time", "economy", "co-ordinated", "multi-agency"], 12)
@example(["a--b", "well-being"], 3)
def test_a_title_with_hyphens_is_wrapped_as_textwrap_wraps_it(words: list[str], width: int) -> None:
    """Law: wherever textwrap may break after a hyphen ("night-|time"), so does the table."""
    text = " ".join(words)
    assert _hyphened_wrap(text, width) == textwrap.wrap(text, width, break_long_words=True)
    shown = title_lines(text, width, lines=len(text) + 1)
    assert shown == (textwrap.wrap(text, width, break_long_words=True) or [""])
