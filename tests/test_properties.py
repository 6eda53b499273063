"""Laws, checked by Hypothesis over many generated inputs rather than a few chosen ones.

- a value the splicer writes reads back as the same value;
- a splice keeps every byte of the file it does not mean to change;
- a recurring schedule's periods cover the plan period, without gaps or overlaps;
- a quarter's code and label read back as the same quarter;
- `vawg diff` one way is `vawg diff` the other way turned round;
- a plan exported as CSV and imported again has the same actions.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import tempfile
from datetime import date, timedelta
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vawg_cli.cli import app
from vawg_cli.core.changes import PlanDiff, compare
from vawg_cli.edit import yaml_splice as yaml_edit
from vawg_cli.model.quarters import Quarter, parse_quarter
from vawg_cli.model.schedule import Periodic, Schedule, Yearly, occurrences
from vawg_cli.plan.git import Side, SideFile

PURE = yaml.SafeLoader
"""The loader `vawg check` uses where libyaml is missing, and for any file over 32 KB."""
FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Characters PyYAML will not read anywhere in a file, quoted or not: the C0 and C1 controls bar
# tab, line breaks and NEL, and U+FFFE/U+FFFF. Escaped (\x80) they read back fine.
UNREADABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _read_back(written: str, loader: type[yaml.SafeLoader], *, flow: bool = True) -> list[object]:
    """The value as `loader` reads it in each place the editor writes one: a block mapping, and
    (with `flow`) a flow mapping in a list item and a flow list."""
    values: list[object] = [yaml.load(f"key: {written}\n", Loader=loader)["key"]]
    if flow:
        values.append(yaml.load(f"- {{key: {written}}}\n", Loader=loader)[0]["key"])
        values.append(yaml.load(f"leads: [{written}]\n", Loader=loader)["leads"][0])
    return values


# --- a written value reads back ----------------------------------------------------------------------

TRICKY = st.sampled_from(
    [
        "", " ", "1", "007", "1.5", "1e3", "0x1F", "0o17", ".inf", "-.inf", ".nan", "1_000", "+1", "-1",
        "true", "False", "yes", "No", "on", "OFF", "y", "n", "null", "Null", "~", "2024-01-01",
        "2024-01-01T10:00:00", "12:30", "12:30:45", "#", "a #b", "a# b", "a: b", ": ", "- a", "-", "? a",
        "'quoted'", '"double"', "it's", "[a]", "{a: b}", "a, b", "&anchor", "*alias", "!tag", "%YAML",
        "@at", "`tick", "|", ">", "<<", "=1+1", "trailing ", " leading", "tab\there", "line\nbreak",
        "crlf\r\nend", "\u2028", "\x85", "Café", "日本語", "emoji 🎉", "\ufeffbom", "\u00a0nbsp",
    ]
)  # fmt: skip


@settings(deadline=None, max_examples=300)
@given(st.one_of(TRICKY, st.text(), st.text(alphabet=st.sampled_from("ab 1:#-'\"\\\n\t,[]{}?!&*%@`|>~."))))
def test_a_written_value_reads_back_as_itself(text: str) -> None:
    assume(not UNREADABLE.search(text))  # see test_unreadable_characters_are_escaped below
    written = yaml_edit.scalar(text)
    assert "\n" not in written and "\r" not in written, "a value must stay on its line"
    # A '?' in flow context: see test_a_question_mark_reads_back_in_flow_style_with_the_pure_loader.
    values = [*_read_back(written, FAST), *_read_back(written, PURE, flow="?" not in text)]
    for value in values:
        assert value == text, f"{text!r} was written as {written} and read back as {value!r}"


@settings(deadline=None, max_examples=50)
@given(st.sampled_from(["\x7f", "\x80", "\x9f", "a\x80b", "\ufffe", "\uffff"]))
def test_unreadable_characters_are_escaped(text: str) -> None:
    written = yaml_edit.scalar(text)
    for value in [*_read_back(written, FAST), *_read_back(written, PURE)]:
        assert value == text


@settings(deadline=None, max_examples=20)
@given(st.sampled_from(["Done?", "Is it done? Yes", "0?", "a ? b"]))
def test_a_question_mark_reads_back_in_flow_style_with_the_pure_loader(text: str) -> None:
    for value in _read_back(yaml_edit.scalar(text), PURE):
        assert value == text


@settings(deadline=None)
@given(st.booleans() | st.integers(min_value=0) | st.dates())
def test_a_written_non_text_value_reads_back_as_itself(value: object) -> None:
    """Booleans, dates and counts stay what they are (a negative number is written as text)."""
    written = yaml_edit.scalar(value)
    assert all(read == value for read in [*_read_back(written, FAST), *_read_back(written, PURE)])


# --- a splice keeps every other byte -------------------------------------------------------------------

COMMENTS = st.sampled_from(["", "# a comment", "#no space", "# updates: not a key", "   # indented comment"])
WORDS = st.text(alphabet=st.sampled_from("abcdefgh ,.'"), min_size=1, max_size=20).map(str.strip).filter(bool)


@st.composite
def action_files(draw: st.DrawFn) -> tuple[str, list[dict[str, object]], str]:
    """An action file in one of the layouts people write, its updates, and how they are written."""
    indent = " " * draw(st.sampled_from([2, 4]))
    dash_indent = draw(st.sampled_from(["", indent]))
    nl = draw(st.sampled_from(["\n", "\r\n"]))

    def blank_or_comment() -> list[str]:
        return draw(st.lists(COMMENTS, max_size=2))

    def trailing() -> str:
        comment = draw(COMMENTS).strip()
        return f"   {comment}" if comment else ""

    lines = [*blank_or_comment(), f"id: 3{trailing()}", f"title: {yaml_edit.scalar(draw(WORDS))}{trailing()}"]
    lines += blank_or_comment()
    if draw(st.booleans()):
        lines.append(f"leads: [LBB, Met]{trailing()}")
    else:
        lines += ["leads:", f"{dash_indent}- LBB", f"{dash_indent}- Met{trailing()}"]
    lines += [*blank_or_comment(), f"target: Apr-25{trailing()}", *blank_or_comment()]

    count = draw(st.integers(0, 3))
    rags = st.sampled_from(["green", "amber"])
    updates: list[dict[str, object]] = [
        {"date": date(2024, 6, 1) + timedelta(days=30 * n), "rag": draw(rags), "note": draw(WORDS)}
        for n in range(count)
    ]
    layouts = ["block", "flow items", "flow list"] + (["missing", "empty"] if count == 0 else [])
    layout = draw(st.sampled_from(layouts))
    if layout == "flow list" and not updates:
        layout = "empty"
    if layout == "empty":
        lines.append(f"updates: []{trailing()}")
    elif layout != "missing":
        items = [
            [f"{key}: {yaml_edit.scalar(value)}" for key, value in update.items()]
            for update in updates
        ]  # fmt: skip
        if layout == "flow list":
            lines.append("updates: [" + ", ".join("{" + ", ".join(item) + "}" for item in items) + "]" + trailing())
        else:
            lines.append("updates:")
            for item in items:
                if layout == "flow items":
                    lines.append(f"{dash_indent}- {{{', '.join(item)}}}{trailing()}")
                else:
                    lines.append(f"{dash_indent}- {item[0]}")
                    lines += [f"{dash_indent}  {field}" for field in item[1:]]
                    lines += blank_or_comment()
    lines += blank_or_comment()
    text = nl.join(lines) + (nl if draw(st.booleans()) else "")
    return text, updates, layout


def _is_insertion(original: str, result: str) -> bool:
    """Whether `result` is `original` with one run of text put in somewhere, nothing else changed."""
    if len(result) < len(original):
        return False
    prefix = 0
    while prefix < len(original) and original[prefix] == result[prefix]:
        prefix += 1
    suffix = 0
    while suffix < len(original) and original[-1 - suffix] == result[-1 - suffix]:
        suffix += 1
    return prefix + suffix >= len(original)


@settings(deadline=None, max_examples=200)
@given(action_files(), st.dates(date(2025, 1, 1), date(2026, 12, 31)), WORDS)
def test_appending_an_update_keeps_every_other_byte(
    file: tuple[str, list[dict[str, object]], str], on: date, note: str
) -> None:
    text, updates, layout = file
    new = {"date": on, "rag": "amber", "note": note}
    result = yaml_edit.append_item(yaml_edit.parse(text), "updates", list(new.items()))

    # `updates: []` loses its brackets (the list is written out below it); every other byte stays.
    original = text.replace("updates: []", "updates:", 1) if layout == "empty" else text
    assert _is_insertion(original, result), f"{text!r} became {result!r}"
    if "\r\n" in text:  # the generated files use one kind of line end throughout
        assert result.count("\n") == result.count("\r\n"), "a bare LF written into a CRLF file"
    else:
        assert "\r" not in result, "a CR written into an LF file"

    before, after = yaml.safe_load(text), yaml.safe_load(result)
    assert after["updates"] == [*updates, new]
    assert {k: v for k, v in after.items() if k != "updates"} == {k: v for k, v in before.items() if k != "updates"}


# --- a schedule's periods cover the plan -------------------------------------------------------------


def _yearly() -> st.SearchStrategy[Schedule]:
    def day_in(month: int) -> st.SearchStrategy[Schedule]:
        last = {2: 29, 4: 30, 6: 30, 9: 30, 11: 30}.get(month, 31)
        return st.one_of(st.none(), st.integers(1, last)).map(lambda day: Yearly(month, day))

    return st.integers(1, 12).flatmap(day_in)


SCHEDULES = st.one_of(st.just(Periodic("quarter")), st.just(Periodic("month")), _yearly())
LONGEST = {"quarter": 92, "month": 31}


@settings(deadline=None, max_examples=300)
@given(
    st.dates(date(1990, 1, 1), date(2100, 12, 30)),
    st.integers(1, 40 * 366),
    st.integers(1, 12),
    SCHEDULES,
)
def test_occurrences_cover_the_plan_without_gaps_or_overlaps(
    start: date, days: int, year_start_month: int, schedule: Schedule
) -> None:
    end = min(start + timedelta(days=days), date(2100, 12, 31))
    found = occurrences(schedule, start, end, year_start_month)
    longest = LONGEST[schedule.every] if isinstance(schedule, Periodic) else 366
    if (end - start).days >= longest:
        assert found, "a whole period passed with nothing due"
    for occurrence in found:
        assert start <= occurrence.due <= end
        assert occurrence.period_start <= occurrence.due
        assert (occurrence.due - occurrence.period_start).days < longest
    for previous, current in itertools.pairwise(found):
        assert current.due > previous.due
        assert current.period_start == previous.due + timedelta(days=1), "a gap or an overlap between periods"
    if found:
        assert found[0].period_start <= start, "the days before the first due date count towards nothing"
        assert (end - found[-1].due).days < longest, "a due date is missing at the end of the plan"


# --- quarters read back ----------------------------------------------------------------------------


@settings(deadline=None, max_examples=300)
@given(st.integers(1900, 2199), st.integers(1, 4), st.integers(1, 12))
@example(2025, 3, 1)  # a year starting in January is labelled "2025 Q3", not "2025/26 Q3"
def test_a_quarter_reads_back_from_its_code_and_label(year: int, number: int, year_start_month: int) -> None:
    quarter = Quarter(year, number, year_start_month)
    assert parse_quarter(quarter.code, year_start_month) == quarter
    assert parse_quarter(quarter.label, year_start_month) == quarter
    if year_start_month == 1:
        assert quarter.label == f"{year} Q{number}"


# --- diff is symmetric -----------------------------------------------------------------------------

PLAN_YAML = b"title: P\nstart: 2024-04-01\nend: 2028-03-31\npartners:\n  LBB: London Borough of Bexley\n  Met: Met\n"
TARGETS = st.sampled_from(["Apr-25", "2026-03-31", "Quarterly", "November annually", "Monthly"])


@st.composite
def plan_sides(draw: st.DrawFn, label: str) -> Side:
    """A plan's files as `vawg diff` reads them: a few actions, with ids from a small range so
    that two plans share some."""
    ids = draw(st.sets(st.integers(1, 8), max_size=6))
    files = {"plan.yaml": SideFile(PLAN_YAML, "bytes")}
    for number in sorted(ids):
        title = draw(st.sampled_from(["Train staff", "Fund refuges", "Run a campaign"]))
        leads = draw(st.sampled_from(["[LBB]", "[Met]", "[LBB, Met]"]))
        # The file name varies too: actions are matched by id, not by name.
        name = f"actions/{number:02d}-{draw(st.sampled_from(['a', 'b']))}.yaml"
        text = f"id: {number}\ntitle: {title}\nleads: {leads}\ntarget: {draw(TARGETS)}\n"
        files[name] = SideFile(text.encode(), "bytes")
    return Side(label, files)


def _ids(side: Side) -> set[int]:
    return {int(path[8:10]) for path in side.files if path.startswith("actions/")}


@settings(deadline=None, max_examples=150)
@given(plan_sides("A"), plan_sides("B"))
def test_diff_one_way_is_the_other_way_turned_round(a: Side, b: Side) -> None:
    forward, backward = compare(a, b), compare(b, a)

    def ids(diff: PlanDiff, change: str) -> set[int]:
        return {c.id for c in diff.actions if c.change == change}

    assert ids(forward, "added") == ids(backward, "removed") == _ids(b) - _ids(a)
    assert ids(forward, "removed") == ids(backward, "added") == _ids(a) - _ids(b)
    assert ids(forward, "changed") == ids(backward, "changed")
    assert not forward.invalid and not backward.invalid


# --- export then import ----------------------------------------------------------------------------

PARTNERS = ["LBB", "Met", "NHS", "Vol Sector", "CPS"]
ROUND_TRIP_TARGETS = st.sampled_from(
    ["2026-03-31", "Apr-26", "30 April 2026", "2027-01", "November annually", "Quarterly", "Monthly"]
)
TITLE_WORDS = st.sampled_from(
    ["Train", "staff", "in", "Bexley,", "fund", "refuges", "(pilot)", "café", "2025", "'new'"]
)
TITLES = st.lists(TITLE_WORDS, min_size=1, max_size=6).map(" ".join)


@st.composite
def small_plans(draw: st.DrawFn) -> dict[int, tuple[str, tuple[str, ...], str]]:
    ids = draw(st.lists(st.integers(1, 60), min_size=1, max_size=5, unique=True))
    return {
        number: (draw(TITLES), tuple(draw(st.lists(st.sampled_from(PARTNERS), min_size=1, max_size=3, unique=True))),
                 draw(ROUND_TRIP_TARGETS))
        for number in sorted(ids)
    }  # fmt: skip


def _write_plan(folder: Path, actions: dict[int, tuple[str, tuple[str, ...], str]]) -> None:
    (folder / "actions").mkdir(parents=True)
    partners = "".join(f"  {code}: {code} in full\n" for code in PARTNERS)
    (folder / "plan.yaml").write_text(
        f"title: Round trip\nstart: 2024-04-01\nend: 2028-03-31\nyear_start_month: 4\npartners:\n{partners}",
        encoding="utf-8",
    )
    for number, (title, leads, target) in actions.items():
        leads_text = "".join(f"  - {yaml_edit.scalar(lead)}\n" for lead in leads)
        (folder / "actions" / f"{number:02d}.yaml").write_text(
            f"id: {number}\ntitle: {yaml_edit.scalar(title)}\nleads:\n{leads_text}target: {yaml_edit.scalar(target)}\n",
            encoding="utf-8",
        )


@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(small_plans())
def test_an_exported_table_imports_as_the_same_actions(actions: dict[int, tuple[str, tuple[str, ...], str]]) -> None:
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as temp:
        source, copy, table = Path(temp) / "source", Path(temp) / "copy", Path(temp) / "export.csv"
        _write_plan(source, actions)
        exported = runner.invoke(
            app, ["export", "--format", "csv", "--as-of", "2025-01-15", "-o", str(table), "--plan", str(source)]
        )
        assert exported.exit_code == 0, exported.output
        imported = runner.invoke(
            app, ["import", str(table), "--plan", str(copy), "--start", "2024-04-01", "--end", "2028-03-31"]
        )
        assert imported.exit_code == 0, imported.output
        exported_again = runner.invoke(
            app, ["export", "--format", "json", "--as-of", "2025-01-15", "--plan", str(copy)]
        )
        assert exported_again.exit_code == 0, exported_again.output
        got = {
            a["id"]: (a["title"], tuple(a["leads"]), a["target"]) for a in json.loads(exported_again.stdout)["actions"]
        }
        assert got == actions
        # The CSV's columns are all read: those with no field of their own are kept in each action's notes.
        rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8-sig"))))
        assert [int(row["ID"]) for row in rows] == sorted(actions)


def test_a_title_that_looks_like_a_formula_survives_export_and_import() -> None:
    runner = CliRunner()
    actions: dict[int, tuple[str, tuple[str, ...], str]] = {1: ("+1 more refuge place", ("LBB",), "Apr-26")}
    with tempfile.TemporaryDirectory() as temp:
        source, copy, table = Path(temp) / "source", Path(temp) / "copy", Path(temp) / "export.csv"
        _write_plan(source, actions)
        args = ["export", "--format", "csv", "--as-of", "2025-01-15", "-o", str(table), "--plan", str(source)]
        assert runner.invoke(app, args).exit_code == 0
        args = ["import", str(table), "--plan", str(copy), "--start", "2024-04-01", "--end", "2028-03-31"]
        assert runner.invoke(app, args).exit_code == 0
        result = runner.invoke(app, ["export", "--format", "json", "--as-of", "2025-01-15", "--plan", str(copy)])
        assert json.loads(result.stdout)["actions"][0]["title"] == "+1 more refuge place"
