"""`vawg check` warns where a public note quotes a small count of people ("2 women in Ward X").

Papers withhold counts under the plan's `suppress_below`; a note that quotes one would undo it.
The pattern lives in plan/small_counts.py; these tests hold its true and false positives, the
threshold, where the warning is placed, and that a restricted note never warns.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from vawg_cli.cli import app
from vawg_cli.model.measures import Measure, Value
from vawg_cli.model.periods import Frequency, Period
from vawg_cli.model.records import Action, Rag, Update
from vawg_cli.model.schedule import parse_target
from vawg_cli.plan.parsing import parse_plan_file
from vawg_cli.plan.small_counts import NUMBER_WORDS, find_small_count, small_counts_in_figures, small_counts_in_notes

WARNED = [
    ("2 women in Ward X", "2 women"),
    ("three victims", "three victims"),
    ("1 survivor", "1 survivor"),
    ("One woman disclosed at the drop-in", "One woman"),
    ("Supported 4 girls at the school", "4 girls"),
    ("3 young people referred by the school", "3 young people"),
    ("2 vulnerable young women housed", "2 vulnerable young women"),
    ("3 high-risk domestic abuse victims discussed at MARAC", "3 high-risk domestic abuse victims"),
    ("1 child abuse case in the north of the borough", "1 child abuse case"),
    ("Only two families took part", "two families"),
    ("four households moved under the sanctuary scheme", "four households"),
    ("2 new referrals this quarter", "2 new referrals"),
    ("in 2 cases the police attended", "2 cases"),
    ("one of the women returned", "one of the women"),
    ("three of our young clients", "three of our young clients"),
    ("4 victims' families were contacted", "4 victims' families"),
    ("2 perpetrators on the programme", "2 perpetrators"),
    ("Three individuals from Ward X", "Three individuals"),
    ("1 resident raised concerns", "1 resident"),
    ("2 MEN attended", "2 MEN"),
    ("Seen: 2 children, 3 adults", "2 children"),
    ("The refuge took 3 women and 4 children", "3 women"),
    ("Referrals rose; 2 survivors\nspoke at the board", "2 survivors"),
    ("2\nwomen", "2 women"),
]

NOT_WARNED = [
    "Meeting held on 2 March with women's groups",
    "March 2 women's safety walk",
    "Q2 women's safety survey launched",
    "2025 women's safety survey launched",
    "2024/25 referrals were higher",
    "£2 million for women's services",
    "2% of women reported feeling unsafe",
    "2 per cent of women reported it",
    "1 in 4 women experience domestic abuse",
    "one in four women experience domestic abuse",
    "2 out of 3 victims said the service helped",
    "the 2nd women's forum met",
    "3rd sector partners support survivors",
    "2 meetings with women's groups",
    "3 sessions for survivors",
    "2 partners supporting victims",
    "4 schools reached 300 girls",
    "3 businesses trained to spot women at risk",
    "Trained 3 officers to support women",
    "2 staff members supporting victims",
    "one-stop shop for women opened",
    "One said women felt unsafe on the high street",
    "no one woman should face this alone",
    "Two of the main ways women report",
    "2 women's groups joined the network",
    "2 family hubs now host clinics",
    "2 case studies for the board",
    "1 case review completed",
    "3 survivor-led groups",
    "2 women-only spaces at the hub",
    "2-day course for women",
    "24/7 support for victims",
    "Action 3: women's safety charter",
    "Ward 2 residents' meeting",
    "Year 2 pupils' lessons",
    "priority 1 victims services",
    "Phase 3 young people's service",
    "aged 2 children's centre",
    "over 5 women",
    "12 women attended the group",
    "fewer than 5 women attended",
    "5 survivors on the panel",
    "1.5 cases per 1,000 residents",
    "2,000 women reached by the campaign",
    "2 weeks later women were told",
    "Agreed by 3 agencies for victims",
    "0 referrals this quarter",
    "A 2 woman team ran it",
    "Women's Aid session, two hours",
    "",
]


@pytest.mark.parametrize(("note", "phrase"), WARNED)
def test_a_small_count_of_people_is_found(note: str, phrase: str) -> None:
    assert find_small_count(note, 5) == phrase


@pytest.mark.parametrize("note", NOT_WARNED)
def test_numbers_that_are_not_small_counts_of_people_are_left_alone(note: str) -> None:
    assert find_small_count(note, 5) is None


@pytest.mark.parametrize(
    ("note", "below", "found"),
    [
        ("4 women", 5, True),
        ("4 women", 4, False),
        ("1 woman", 2, True),
        ("1 woman", 1, False),
        ("7 women", 10, True),
        ("ten women", 11, True),
        ("ten women", 10, False),
        ("twenty women", 21, True),
        ("seventeen women", 18, True),
        ("Seven women", 8, True),
        ("2 women", 3, True),
        ("2 women", 0, False),
    ],
)
def test_the_threshold_is_the_plans(note: str, below: int, found: bool) -> None:
    assert (find_small_count(note, below) is not None) is found


# --- the rules on records --------------------------------------------------------------------

AS_OF = "2026-11-25"


def action(*updates: Update) -> Action:
    return Action(1, "T", ("LBB",), "Apr-25", parse_target("Apr-25"), updates=updates)


def test_a_note_of_thousands_of_numbers_is_looked_at_only_so_far() -> None:
    """A pasted table (or a hostile file of 1 MB of numbers) must not hold a check for seconds."""
    from vawg_cli.plan.small_counts import MAX_NUMBERS, find_small_count

    assert find_small_count("2022 " * (MAX_NUMBERS - 1) + "2 women", 5) == "2 women"
    assert find_small_count("2022 " * MAX_NUMBERS + "2 women", 5) is None


def test_the_message_names_the_update_the_count_and_both_fixes() -> None:
    findings = small_counts_in_notes(
        action(
            Update(date(2025, 1, 1), Rag.GREEN, "On track"),
            Update(date(2025, 2, 1), Rag.AMBER, "Pathway used by 2 women in Ward X"),
        ),
        5,
    )
    assert findings == [
        (
            ("updates", 1, "note"),
            'update 2: this note gives a small count ("2 women"), and it is not restricted, so it would appear in '
            'public papers, where counts under 5 are withheld; write "fewer than 5", or add `restricted: true` to '
            "this update",
        )
    ]


def test_a_figures_note_uses_the_measures_own_threshold() -> None:
    year = Period(2025, Frequency.YEARLY, calendar=True)
    measure = Measure(
        "TRAINED", "Trained", "people", "LBB", Frequency.YEARLY, values=(Value(year, 40, "Includes 7 survivors"),)
    )
    assert small_counts_in_figures(measure, 5) == []
    own = Measure(
        "TRAINED",
        "Trained",
        "people",
        "LBB",
        Frequency.YEARLY,
        values=(Value(year, 40, "Includes 7 survivors"),),
        suppress_below=10,
    )
    assert small_counts_in_figures(own, 5) == [
        (
            ("values", 0, "note"),
            'figure 1 (2025): this note gives a small count ("7 survivors"), and a figure\'s note appears in public '
            'papers, where counts under 10 are withheld; write "fewer than 10" instead',
        )
    ]


SMALL_COUNT_NOTES = st.builds(
    lambda n, filler, people, rest: f"{filler} {n} {people} {rest}",
    st.sampled_from(["1", "2", "3", "4", "one", "two", "three", "four"]),
    st.text(max_size=30),
    st.sampled_from(["women", "girls", "victims", "survivors", "young people", "cases", "referrals"]),
    st.text(max_size=30),
)


@given(notes=st.lists(st.one_of(SMALL_COUNT_NOTES, st.text(max_size=200)), min_size=1, max_size=6))
def test_a_restricted_note_never_warns(notes: list[str]) -> None:
    updates = [Update(date(2025, 1, 1), Rag.AMBER, note, restricted=True) for note in notes]
    assert small_counts_in_notes(action(*updates), 5) == []


@given(text=st.text(max_size=300), below=st.integers(min_value=-5, max_value=100))
def test_a_phrase_found_is_in_the_note_and_starts_with_its_count(text: str, below: int) -> None:
    phrase = find_small_count(text, below)
    if phrase is not None:
        assert phrase in " ".join(text.split())
        first = phrase.split()[0].lower()
        assert 1 <= (int(first) if first.isdigit() else NUMBER_WORDS[first]) < below


# --- vawg check: positions, the plan's threshold, the cache, restricted notes ---------------------

PLAN_YAML = "title: Test plan\nstart: 2024-04-01\nend: 2028-04-30\npartners:\n  LBB: London Borough of Bexley\n"
ACTION = """\
id: 1
title: Referral pathway
leads: [LBB]
target: Apr-25
updates:
  - date: 2025-01-10
    rag: amber
    note: Pathway used by 2 women in Ward X
  - date: 2025-02-10
    rag: amber
    note: Three victims referred through the new route
    restricted: true
"""
MEASURE = """\
code: TRAINED
name: People trained
unit: people
lead: LBB
period: yearly
values:
  - period: 2024
    value: 368
    note: Includes 3 survivors who now train others
"""


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "plan"
    (folder / "actions").mkdir(parents=True)
    (folder / "measures").mkdir()
    (folder / "plan.yaml").write_text(PLAN_YAML, encoding="utf-8")
    (folder / "actions" / "01-referral-pathway.yaml").write_text(ACTION, encoding="utf-8")
    (folder / "measures" / "TRAINED.yaml").write_text(MEASURE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return folder


def check(runner: CliRunner, plan: Path, *extra: str) -> list[str]:
    result = runner.invoke(app, ["check", "--plan", str(plan), "--as-of", AS_OF, *extra])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_check_places_the_warnings_at_the_notes(runner: CliRunner, plan: Path) -> None:
    assert check(runner, plan) == [
        'plan/actions/01-referral-pathway.yaml:8:11: warning: update 1: this note gives a small count ("2 women"), '
        "and it is not restricted, so it would appear in public papers, where counts under 5 are withheld; "
        'write "fewer than 5", or add `restricted: true` to this update',
        'plan/measures/TRAINED.yaml:9:11: warning: figure 1 (2024): this note gives a small count ("3 survivors"), '
        "and a figure's note appears in public papers, where counts under 5 are withheld; "
        'write "fewer than 5" instead',
        "checked 3 files: 0 errors, 2 warnings",
    ]
    result = runner.invoke(app, ["check", "--plan", str(plan), "--as-of", AS_OF, "--format", "json"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout)[0]
    assert (first["severity"], first["line"], first["column"]) == ("warning", 8, 11)


def test_the_plans_threshold_counts_and_a_change_to_it_is_not_served_from_the_cache(
    runner: CliRunner, plan: Path
) -> None:
    assert len(check(runner, plan)) == 3  # fills the parse cache
    (plan / "plan.yaml").write_text(PLAN_YAML + "suppress_below: 3\n", encoding="utf-8")
    lines = check(runner, plan)
    assert lines[-1] == "checked 3 files: 0 errors, 1 warning"
    assert 'small count ("2 women")' in lines[0] and "counts under 3 are withheld" in lines[0]
    (plan / "plan.yaml").write_text(PLAN_YAML + "suppress_below: 2\n", encoding="utf-8")
    refused = runner.invoke(app, ["check", "--plan", str(plan), "--as-of", AS_OF])
    assert refused.exit_code == 1 and "plan.yaml:6:17: error: suppress_below" in refused.stdout  # "<2" could only be 1


def test_restricting_the_update_and_rewording_the_figure_clear_the_warnings(runner: CliRunner, plan: Path) -> None:
    path = plan / "actions" / "01-referral-pathway.yaml"
    path.write_text(ACTION.replace("in Ward X\n", "in Ward X\n    restricted: true\n"), encoding="utf-8")
    measure = plan / "measures" / "TRAINED.yaml"
    measure.write_text(MEASURE.replace("3 survivors", "fewer than 5 survivors"), encoding="utf-8")
    assert check(runner, plan) == ["checked 3 files: no problems"]


def test_an_invalid_plan_yaml_gives_no_threshold_and_no_guess(runner: CliRunner, plan: Path) -> None:
    (plan / "plan.yaml").write_text(PLAN_YAML.replace("start: 2024-04-01", "start: someday"), encoding="utf-8")
    result = runner.invoke(app, ["check", "--plan", str(plan), "--as-of", AS_OF])
    assert result.exit_code == 1
    assert "small count" not in result.stdout


def test_parsing_without_a_threshold_does_not_warn() -> None:
    """`vawg diff` and the write read-back parse files without the plan: no threshold, no warning."""
    _, problems = parse_plan_file(ACTION.encode(), Action)
    assert problems == ()
    _, problems = parse_plan_file(ACTION.encode(), Action, 5)
    assert [(line, column, severity) for line, column, severity, _ in problems] == [(8, 11, "warning")]
