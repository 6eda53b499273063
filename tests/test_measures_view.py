"""`vawg measures`, the outputs under `vawg status` and the measures in `vawg export`: every public
output hides the same small counts, and none lets one be worked out from a total."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from vawg_cli.cli import app, options
from vawg_cli.core.measures import MeasureView, measure_view, measure_views, outputs_by_action
from vawg_cli.core.status import plan_status
from vawg_cli.model.measures import Measure, SeriesBreak, Value
from vawg_cli.model.periods import Frequency, Period
from vawg_cli.model.records import PlanSettings
from vawg_cli.plan.loading import Plan, load_plan
from vawg_cli.render import measures as measures_render
from vawg_cli.render import status as status_render
from vawg_cli.render import status_text
from vawg_cli.render.measure_data import measure_record

TODAY = date(2026, 6, 30)
AS_OF = "2026-06-30"
# 2025/26 Q2 is the small count; the note beside it says what it was, so it must go with it.
REFERRALS = """\
code: REFERRALS
name: Survivors referred to the specialist support service
unit: people
lead: LBB
action: 3
period: quarterly
higher_is_better: true
targets:
  2025/26: 200
values:
  - {period: 2024/25 Q1, value: 30}
  - {period: 2024/25 Q2, value: 41}
  - {period: 2024/25 Q3, value: 25}
  - {period: 2024/25 Q4, value: 52}
  - {period: 2025/26 Q1, value: 35}
  - {period: 2025/26 Q2, value: 3, note: three survivors from one refuge}
  - {period: 2025/26 Q3, value: 28}
  - {period: 2025/26 Q4, value: 50}
"""
SECRET_NOTE = "three survivors"


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(options, "today", lambda: TODAY)


@pytest.fixture
def plan(bundled_copy: Path) -> Path:
    (bundled_copy / "measures" / "REFERRALS.yaml").write_text(REFERRALS, encoding="utf-8")
    return bundled_copy


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def loaded(folder: Path) -> Plan:
    return load_plan(folder, today=TODAY)


def drawn_measures(folder: Path, width: int, as_of: date = TODAY, *, exact: bool = False) -> str:
    plan = loaded(folder)
    views = measure_views([f.measure for f in plan.measures], plan.settings, as_of, exact=exact)
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=True, color_system=None, legacy_windows=False)
    measures_render.print_table(console, views, plan.settings, as_of, exact=exact)
    return out.getvalue()


def drawn_status(folder: Path, width: int, as_of: date = TODAY) -> str:
    plan = loaded(folder)
    statuses = plan_status((f.action for f in plan.actions), plan.settings, as_of)
    outputs = outputs_by_action([f.measure for f in plan.measures], plan.settings, as_of)
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=True, color_system=None, legacy_windows=False)
    texts = status_render.output_texts(outputs)
    status_text.print_table(console, statuses, plan.settings, as_of, len(statuses), texts)
    return out.getvalue()


def lone_threes(text: str) -> list[str]:
    """A 3 standing alone as a figure: not in "Q3", "2,031", "action 3" or a status row's id."""
    text = re.sub(r"action 3\b", "", text)
    text = re.sub(r"(?m)^\s*3\s", "", text)
    return re.findall(r"(?<![\w/,.\-<])3(?![\w,.%/])", text)


def shown_values(document: Any) -> Iterator[dict[str, Any]]:
    """Every figure record in a JSON document (those with "shown")."""
    if isinstance(document, dict):
        if "shown" in document:
            yield document
        for value in document.values():
            yield from shown_values(value)
    elif isinstance(document, list):
        for value in document:
            yield from shown_values(value)


def assert_nothing_derivable(measure: dict[str, Any]) -> None:
    """A shown year total never sits beside exactly one hidden figure of its year, or only small ones it pins."""
    threshold = measure["threshold"]
    for year in measure["years"]:
        if year["value"] is None or measure["kind"] == "level":
            continue
        parts = [p for p in measure["series"] if year_of(p, measure) == year["year"]]
        hidden = [p for p in parts if p["value"] is None]
        assert len(hidden) != 1, (measure["code"], year["year"])
        left = year["value"] - sum(p["value"] for p in parts if p["value"] is not None)
        if hidden and all(p["withheld"] == "small" for p in hidden):
            assert left not in (len(hidden), len(hidden) * (threshold - 1)), (measure["code"], year["year"])


def year_of(point: dict[str, Any], measure: dict[str, Any]) -> str:
    return str(point["period"]).split(" ")[0] if measure["frequency"] != "monthly" else ""


# --- The 3 is in no public output -----------------------------------------------------------------


class TestPublicOutputsHideTheSmallCount:
    @pytest.mark.parametrize("as_of", ["2025-10-01", "2026-01-05", AS_OF])
    def test_measures_json(self, runner: CliRunner, plan: Path, as_of: str) -> None:
        document = json.loads(run(runner, "measures", "--plan", str(plan), "--as-of", as_of, "--format", "json"))
        assert all(record["value"] != 3 and record["shown"] != "3" for record in shown_values(document))
        referrals = next(m for m in document if m["code"] == "REFERRALS")
        assert referrals["restricted"] is False
        assert any(p["withheld"] == "small" and p["shown"] == "<5" for p in referrals["series"])
        assert SECRET_NOTE not in json.dumps(document)
        for measure in document:
            assert_nothing_derivable(measure)

    def test_measures_table_and_plain(self, runner: CliRunner, plan: Path) -> None:
        for as_of in (date(2025, 10, 1), TODAY):
            for width in (40, 50, 80, 120):
                text = drawn_measures(plan, width, as_of)
                assert lone_threes(text) == [], text
        plain = run(runner, "measures", "--plan", str(plan), "--as-of", "2025-10-01")
        assert "<5 (2025/26 Q2)" in plain and lone_threes(plain) == []
        assert "Small counts are withheld in REFERRALS" in plain

    def test_measures_csv(self, runner: CliRunner, plan: Path) -> None:
        data = runner.invoke(app, ["measures", "--plan", str(plan), "--as-of", "2025-10-01", "--format", "csv"])
        assert data.stdout_bytes.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(data.stdout_bytes.decode("utf-8-sig"))))
        referrals = next(r for r in rows if r["Code"] == "REFERRALS")
        assert referrals["Latest"] == "<5" and referrals["Latest period"] == "2025/26 Q2"
        assert all(cell != "3" for row in rows for cell in row.values())

    def test_status_json_csv_plain_and_table(self, runner: CliRunner, plan: Path) -> None:
        for as_of in ("2025-10-01", AS_OF):
            statuses = json.loads(run(runner, "status", "--plan", str(plan), "--as-of", as_of, "--format", "json"))
            outputs = [o for s in statuses for o in s["outputs"]]
            assert all(o["value"] != 3 for o in outputs)
            assert any(o["code"] == "REFERRALS" for o in next(s for s in statuses if s["id"] == 3)["outputs"])
            plain = run(runner, "status", "--plan", str(plan), "--as-of", as_of)
            assert "Output: Survivors referred" in plain and lone_threes(plain) == []
            table = run(runner, "status", "--plan", str(plan), "--as-of", as_of, "--format", "csv")
            assert lone_threes(table.replace("\n3,", "\n")) == []
        for width in (40, 80, 120):
            assert lone_threes(drawn_status(plan, width, date(2025, 10, 1))) == []

    def test_export_json_and_csv(self, runner: CliRunner, plan: Path) -> None:
        for as_of in ("2025-10-01", AS_OF):
            document = json.loads(run(runner, "export", "--plan", str(plan), "--as-of", as_of, "--format", "json"))
            assert all(record["value"] != 3 for record in shown_values(document))
            assert SECRET_NOTE not in json.dumps(document)
            for measure in document["measures"]:
                assert_nothing_derivable(measure)
            measures_json = json.loads(
                run(runner, "measures", "--plan", str(plan), "--as-of", as_of, "--format", "json")
            )
            assert document["measures"] == measures_json
            data = runner.invoke(app, ["export", "--plan", str(plan), "--as-of", as_of, "--measures"]).stdout_bytes
            rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
            referrals = [r for r in rows if r["Code"] == "REFERRALS"]
            assert all(r["Value"] != "3" for r in rows) and SECRET_NOTE not in data.decode("utf-8-sig")
            by_year: dict[str, list[dict[str, str]]] = {}
            for row in referrals:
                by_year.setdefault(row["Period"].split(" ")[0], []).append(row)
            for year, year_rows in by_year.items():
                total = next(r for r in year_rows if r["Period"].split(" ", 1)[1] in ("total", "to date"))
                if total["Value"] not in ("<5", "withheld"):
                    hidden = [r for r in year_rows if r is not total and r["Withheld"]]
                    assert len(hidden) != 1, year


class TestRestrictedOutputsShowIt:
    def test_measures_json_and_table(self, runner: CliRunner, plan: Path) -> None:
        args = ("measures", "--plan", str(plan), "--as-of", "2025-10-01", "--include-restricted")
        document = json.loads(run(runner, *args, "--format", "json"))
        referrals = next(m for m in document if m["code"] == "REFERRALS")
        assert referrals["restricted"] is True
        assert referrals["latest"]["value"] == 3 and referrals["latest"]["withheld"] is None
        assert referrals["series"][5]["note"] == "three survivors from one refuge"
        plain = run(runner, *args)
        assert "3 (2025/26 Q2)" in plain and "RESTRICTED" in plain
        restricted = drawn_measures(plan, 80, date(2025, 10, 1), exact=True)
        assert "RESTRICTED" in restricted
        assert lone_threes(restricted) == ["3"]  # the check the public tables pass would see it

    def test_export(self, runner: CliRunner, plan: Path) -> None:
        base = ("export", "--plan", str(plan), "--as-of", AS_OF, "--include-restricted")
        document = json.loads(run(runner, *base, "--format", "json"))
        referrals = next(m for m in document["measures"] if m["code"] == "REFERRALS")
        assert [p["value"] for p in referrals["series"]][5] == 3
        data = runner.invoke(app, [*base, "--measures"]).stdout_bytes.decode("utf-8-sig")
        assert (
            "REFERRALS,Survivors referred to the specialist support service,people,action 3,LBB,2025/26 Q2,3," in data
        )


# --- What the outputs say ------------------------------------------------------------------------


class TestWhatItSays:
    def test_json_shape(self, runner: CliRunner, plan: Path) -> None:
        document = json.loads(run(runner, "measures", "--plan", str(plan), "--as-of", AS_OF, "--format", "json"))
        referrals = next(m for m in document if m["code"] == "REFERRALS")
        assert list(referrals) == [
            "code", "name", "unit", "lead", "action", "kind", "frequency", "higher_is_better", "source",
            "description", "targets", "breaks", "threshold", "restricted", "latest", "year_earlier", "travel",
            "year_to_date", "years", "series",
        ]  # fmt: skip
        assert referrals["latest"] == {
            "period": "2025/26 Q4",
            "start": "2026-01-01",
            "end": "2026-03-31",
            "value": 50,
            "withheld": None,
            "shown": "50",
            "note": None,
            "by": None,
        }
        assert referrals["travel"] == {
            "words": "down 4% on 2024/25 Q4",
            "arrow": "↓",
            "direction": "down",
            "better": False,
        }
        assert referrals["year_to_date"]["against_target"] == "116 of 200 (58%)"
        assert referrals["year_to_date"]["travel"]["words"] == "down 22% on 2024/25"
        assert referrals["targets"] == [{"year": "2025/26", "target": 200}]

    def test_status_says_the_output_against_its_target(self, runner: CliRunner, plan: Path) -> None:
        plain = run(runner, "status", "--plan", str(plan), "--as-of", "2025-10-01")
        # The year to date (38) less the July figure (35) would give the small quarter back: withheld.
        assert (
            "Output: Survivors referred to the specialist support service withheld (target 200), 2025/26 to date"
            in plain
        )
        statuses = json.loads(run(runner, "status", "--plan", str(plan), "--as-of", AS_OF, "--format", "json"))
        (output,) = next(s for s in statuses if s["id"] == 3)["outputs"]
        assert output["against_target"] == "116 of 200 (58%)" and output["complete"] is True
        assert output["words"].endswith("116 of 200 (58%), 2025/26 full year")

    def test_a_series_break_is_not_comparable_never_a_percentage(self, runner: CliRunner, plan: Path) -> None:
        document = json.loads(run(runner, "measures", "--plan", str(plan), "--as-of", AS_OF, "--format", "json"))
        offences = next(m for m in document if m["code"] == "VAWG-OFFENCES")
        for travel in (offences["travel"], offences["year_to_date"]["travel"]):
            assert travel["words"].startswith("not comparable with 2023: ") and "%" not in travel["words"]
            assert travel["arrow"] == "" and travel["direction"] is None
        for width in (50, 80, 120):
            text = re.sub(r"\s+", " ", drawn_measures(plan, width))
            assert "not comparable with 2023" in text
            block = text[text.index("VAWG offences") :]
            assert "%" not in block.split("measures:")[0]

    def test_export_measures_is_for_csv(self, runner: CliRunner, plan: Path) -> None:
        result = runner.invoke(app, ["export", "--plan", str(plan), "--measures", "--format", "json"])
        assert result.exit_code == 2 and "json export holds the measures already" in result.output


class TestTheTable:
    @pytest.mark.parametrize("width", [30, 40, 50, 60, 80, 100, 120, 200])
    def test_fits_and_no_figure_is_cut(self, plan: Path, width: int) -> None:
        text = drawn_measures(plan, width)
        lines = text.splitlines()
        assert all(len(line) <= width for line in lines), "\n".join(line for line in lines if len(line) > width)
        for figure in ("2,912", "3,971", "2024/25 Q4", "2025/26 Q4", "116 of 200"):
            assert figure in text, (figure, text)

    def test_narrow_windows_get_cards(self, plan: Path) -> None:
        text = drawn_measures(plan, 50)
        assert "  Latest: 50 (2025/26 Q4)" in text
        assert "Year to date: 116 of 200 (58%), 2025/26 full year" in re.sub(r"\s+", " ", text)

    def test_the_status_table_keeps_its_figures_whole_with_outputs(self, plan: Path) -> None:
        for width in (40, 80, 120):
            text = drawn_status(plan, width)
            assert all(len(line) <= width for line in text.splitlines())
            assert "116 of 200 (58%)" in text
            assert re.search(r"Output: Survivors referred", text)

    def test_plan_text_is_escaped(self, plan: Path) -> None:
        hostile = REFERRALS.replace("Survivors referred", "Survivors \\x1b[2J \\u202e referred").replace(
            "name:", 'name: "', 1
        )
        hostile = hostile.replace("support service\n", 'support service"\n', 1)
        (plan / "measures" / "REFERRALS.yaml").write_text(hostile, encoding="utf-8")
        for width in (40, 80, 120):
            text = drawn_measures(plan, width) + drawn_status(plan, width)
            assert not set(text) & {"\x1b", "\u202e"}
            assert "\\x1b" in text


# --- Any figures, any threshold -------------------------------------------------------------------

SETTINGS = PlanSettings(title="P", start=date(2024, 4, 1), end=date(2028, 3, 31), partners={"LBB": "LBB"})
QUARTERS = [Period(year, Frequency.QUARTERLY, q) for year in (2024, 2025) for q in (1, 2, 3, 4)]


@settings(max_examples=300, deadline=None)
@given(
    figures=st.lists(st.integers(0, 50), min_size=1, max_size=len(QUARTERS)),
    threshold=st.integers(2, 10),
    day=st.sampled_from([date(2024, 9, 30), date(2025, 3, 31), date(2025, 10, 1), date(2026, 6, 30)]),
)
def test_no_public_json_shows_or_gives_back_a_small_count(figures: list[int], threshold: int, day: date) -> None:
    measure = Measure(
        code="M",
        name="m",
        unit="people",
        lead="LBB",
        frequency=Frequency.QUARTERLY,
        values=tuple(Value(period, figure) for period, figure in zip(QUARTERS, figures, strict=False)),
        action=1,
        targets=((Period(2024, Frequency.YEARLY), 100),),
        suppress_below=threshold,
    )
    record = measure_record(measure_view(measure, SETTINGS, day, exact=False), exact=False)
    for figure in shown_values(record):
        if figure["value"] is not None:
            assert not 0 < figure["value"] < threshold, figure
            assert figure["shown"] != str(figure["value"]) or figure["withheld"] is None
    for year in record["years"]:
        if year["value"] is None:
            continue
        parts = [p for p in record["series"] if p["period"].startswith(year["year"])]
        hidden = [p for p in parts if p["value"] is None]
        left = year["value"] - sum(p["value"] for p in parts if p["value"] is not None)
        assert len(hidden) != 1, (year, parts)
        if hidden and all(p["withheld"] == "small" for p in hidden):
            assert left not in (len(hidden), len(hidden) * (threshold - 1)), (year, parts)
    exact = measure_record(measure_view(measure, SETTINGS, day, exact=True), exact=True)
    assert all(f["withheld"] is None for f in shown_values(exact))


def test_a_break_between_years_is_never_a_percentage() -> None:
    measure = Measure(
        code="M",
        name="m",
        unit="people",
        lead="LBB",
        frequency=Frequency.QUARTERLY,
        values=tuple(Value(period, 40 + n) for n, period in enumerate(QUARTERS)),
        breaks=(SeriesBreak(date(2025, 5, 1), "a new case system"),),
    )
    view: MeasureView = measure_view(measure, SETTINGS, date(2026, 6, 30), exact=False)
    assert view.travel is not None and view.travel.words.startswith("not comparable with 2024/25 Q4: a new case")
    assert view.years[-1].travel is not None and "%" not in view.years[-1].travel.words


def test_two_quarters_papers_do_not_give_a_small_count_back_by_difference(plan: Path) -> None:
    measure = next(f.measure for f in loaded(plan).measures if f.measure.code == "REFERRALS")
    settings_ = loaded(plan).settings
    before = measure_view(measure, settings_, date(2025, 7, 1), exact=False)
    after = measure_view(measure, settings_, date(2025, 10, 1), exact=False)
    assert before.year_to_date is not None and after.year_to_date is not None
    known = [before.year_to_date.figure.exact, after.year_to_date.figure.exact]
    if None not in known:
        assert after.year_to_date.figure.exact - before.year_to_date.figure.exact != 3  # type: ignore[operator]


def test_spreadsheet_cells_keep_numbers_as_numbers_and_text_safe() -> None:
    from vawg_cli.render.measure_data import figures_csv

    measure = Measure(
        code="CHANGE",
        name="=HYPERLINK(1)",
        unit="points",
        lead="LBB",
        frequency=Frequency.YEARLY,
        values=(Value(Period(2024, Frequency.YEARLY), -2, note="+1 on last year"),),
        level=True,
    )
    data = figures_csv([measure_view(measure, SETTINGS, date(2026, 6, 30), exact=False)])
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    (row,) = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert row["Value"] == "-2" and row["Name"] == "'=HYPERLINK(1)" and row["Note"] == "'+1 on last year"
    assert row["Period"] == "2024/25"  # a level has no year rows: its year is its latest figure
