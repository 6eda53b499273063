"""`vawg measure add` and `vawg measure record`: lines added only, refusals before anything is written."""

from __future__ import annotations

import difflib
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import BUNDLED_PLAN, copy_plan
from vawg_cli.cli import app
from vawg_cli.cli import options as cli
from vawg_cli.edit import locking
from vawg_cli.edit.measures import latest_ended, record_figure
from vawg_cli.model.periods import Frequency, Period, parse_period
from vawg_cli.plan.loading import Plan, check_plan
from vawg_cli.plan.measure_format import MeasureModel
from vawg_cli.plan.messages import field_bounds

# "Today" for every command here: a figure's period must have ended by then.
TODAY = date(2026, 2, 1)
TRAINED = "measures/TRAINED.yaml"
# The bounds of a measure's suppress_below, as its model sets them: --suppress-below keeps to them.
LOW, HIGH = field_bounds(MeasureModel.model_fields["suppress_below"])


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "today", lambda: TODAY)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(runner: CliRunner, plan: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--plan", str(plan)])
    return result.exit_code, result.stdout, result.stderr


def ok(runner: CliRunner, plan: Path, *args: str) -> str:
    code, out, err = run(runner, plan, *args)
    assert code == 0, out + err
    return out


def refused(runner: CliRunner, plan: Path, *args: str) -> str:
    """The error a command gives; it must have written nothing."""
    before = snapshot(plan)
    code, out, err = run(runner, plan, *args)
    assert code == 1, out + err
    assert snapshot(plan) == before
    assert "Traceback" not in out + err
    return " ".join(err.split())  # messages are one line; the runner's width does not matter


def only_added_lines(old: bytes, new: bytes) -> bool:
    """Whether `new` is `old` with lines added and none changed or removed."""
    matcher = difflib.SequenceMatcher(a=old.splitlines(keepends=True), b=new.splitlines(keepends=True))
    return all(op in ("equal", "insert") for op, *_ in matcher.get_opcodes())


def check_passes(runner: CliRunner, plan: Path) -> None:
    code, out, err = run(runner, plan, "check")
    assert code == 0, out + err
    assert "no problems" in out


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the plan that ships with vawg: in an installed vawg (as CI runs it) the real
    one is inside site-packages, and the repository's plan/ is a plan like any other."""
    from vawg_cli.plan import bundled

    folder = copy_plan(BUNDLED_PLAN, tmp_path / "site-packages" / "vawg_cli" / "_bundled" / "plan")
    monkeypatch.setattr(bundled, "plan_dir", lambda: folder)
    return folder


class TestRecord:
    def test_adds_only_lines_and_the_plan_still_checks(self, runner: CliRunner, bundled_copy: Path) -> None:
        old = (bundled_copy / TRAINED).read_bytes()
        out = ok(runner, bundled_copy, "measure", "record", "TRAINED", "--period", "2025", "--value", "412")
        assert "Recorded TRAINED 2025: 412 in " in out
        new = (bundled_copy / TRAINED).read_bytes()
        assert new.startswith(old)
        assert only_added_lines(old, new)
        assert new[len(old) :] == b"  - period: 2025\n    value: 412\n"
        check_passes(runner, bundled_copy)

    def test_the_code_is_matched_whatever_its_case(self, runner: CliRunner, bundled_copy: Path) -> None:
        out = ok(runner, bundled_copy, "measure", "record", "trained", "--period", "2025", "--value", "412")
        assert "Recorded TRAINED 2025: 412" in out

    def test_note_and_by_are_written(self, runner: CliRunner, bundled_copy: Path) -> None:
        args = ["--period", "2025", "--value", "412", "--note", "Includes: 40 staff # licensing", "--by", "LBB"]
        ok(runner, bundled_copy, "measure", "record", "TRAINED", *args)
        (measure_file,) = [f for f in load(bundled_copy).measures if f.measure.code == "TRAINED"]
        last = measure_file.measure.values[-1]
        assert (last.note, last.by, last.value) == ("Includes: 40 staff # licensing", "LBB", 412)

    def test_dry_run_writes_nothing_and_shows_the_lines(self, runner: CliRunner, bundled_copy: Path) -> None:
        before = snapshot(bundled_copy)
        result = runner.invoke(
            app,
            [
                "measure",
                "record",
                "TRAINED",
                "--period",
                "2025",
                "--value",
                "412",
                "--dry-run",
                "--plan",
                str(bundled_copy),
            ],
        )
        assert result.exit_code == 0, result.output
        assert snapshot(bundled_copy) == before
        assert "+  - period: 2025\n+    value: 412\n" in result.stdout
        assert "dry run" in result.stderr

    def test_a_period_with_a_figure_is_refused_naming_it(self, runner: CliRunner, bundled_copy: Path) -> None:
        error = refused(runner, bundled_copy, "measure", "record", "TRAINED", "--period", "2024", "--value", "400")
        assert "TRAINED already has a figure for 2024: 368" in error
        assert "TRAINED.yaml:14" in error  # the line of the figure, as an editor jumps to it
        assert "change the value on that line" in error
        assert "git keeps the old figure" in error

    def test_an_unknown_code_lists_the_measures(self, runner: CliRunner, bundled_copy: Path) -> None:
        error = refused(runner, bundled_copy, "measure", "record", "TRAINDE", "--period", "2025", "--value", "1")
        assert "there is no measure 'TRAINDE' (did you mean 'TRAINED'?)" in error
        assert "the measures are: BUSINESSES-TRAINED, COMMUNITY-GROUPS, SAFETY-SCORE, TRAINED, VAWG-OFFENCES" in error

    @pytest.mark.parametrize(
        ("value", "words"),
        [
            ("12.5", "a count is a whole number: 12.5 will not do"),
            ("-3", "a count cannot be negative: -3 will not do"),
            ("1,234", "write 1,234 without its commas: 1234"),
            ("45%", "write 45% as the bare number 45"),
            ("about 40", "'about 40' is not a number; write the figure alone"),
        ],
    )
    def test_a_figure_a_count_cannot_be_is_refused(
        self, runner: CliRunner, bundled_copy: Path, value: str, words: str
    ) -> None:
        error = refused(runner, bundled_copy, "measure", "record", "TRAINED", "--period", "2025", "--value", value)
        assert words in error
        assert error.startswith("vawg: error: ")

    def test_a_level_may_be_fractional(self, runner: CliRunner, bundled_copy: Path) -> None:
        ok(runner, bundled_copy, "measure", "record", "SAFETY-SCORE", "--period", "2025", "--value", "6.25")
        check_passes(runner, bundled_copy)

    def test_a_period_not_ended_is_refused(self, runner: CliRunner, bundled_copy: Path) -> None:
        error = refused(runner, bundled_copy, "measure", "record", "TRAINED", "--period", "2026", "--value", "1")
        assert "2026 has not ended yet: it ends on 2026-12-31, and today is 2026-02-01" in error
        assert "the latest year that has ended is 2025" in error

    def test_date_is_the_day_the_period_must_have_ended_by(self, runner: CliRunner, bundled_copy: Path) -> None:
        args = ["measure", "record", "TRAINED", "--period", "2025", "--value", "1", "--date", "2025-12-30"]
        error = refused(runner, bundled_copy, *args)
        assert "2025 has not ended yet: it ends on 2025-12-31, and the day given with --date is 2025-12-30" in error
        error = refused(runner, bundled_copy, *args[:-1], "2026-03-01")
        assert "--date 2026-03-01 is in the future (today is 2026-02-01)" in error

    @pytest.mark.parametrize(
        ("period", "words"),
        [
            (
                "2025/26 Q1",
                "TRAINED is collected yearly, so each figure is for a reporting year (2025/26) or a calendar",
            ),
            ("2024/25", "TRAINED's figures are for calendar years (such as 2024), and '2024/25' is not one"),
            ("someday", "'someday' is not a period I can read; write a month (Apr-25"),
        ],
    )
    def test_a_period_of_another_kind_is_refused(
        self, runner: CliRunner, bundled_copy: Path, period: str, words: str
    ) -> None:
        error = refused(runner, bundled_copy, "measure", "record", "TRAINED", "--period", period, "--value", "1")
        assert words in error

    def test_the_bundled_plan_is_never_written(self, runner: CliRunner, shipped: Path) -> None:
        error = refused(runner, shipped, "measure", "record", "TRAINED", "--period", "2025", "--value", "1")
        assert "the example plan that ships with vawg, which is never changed" in error

    def test_crlf_stays_crlf(self, runner: CliRunner, bundled_copy: Path) -> None:
        path = bundled_copy / TRAINED
        old = path.read_bytes().replace(b"\n", b"\r\n")
        path.write_bytes(old)
        ok(runner, bundled_copy, "measure", "record", "TRAINED", "--period", "2025", "--value", "412")
        new = path.read_bytes()
        assert new == old + b"  - period: 2025\r\n    value: 412\r\n"
        check_passes(runner, bundled_copy)

    def test_a_file_without_a_final_newline(self, runner: CliRunner, bundled_copy: Path) -> None:
        path = bundled_copy / TRAINED
        old = path.read_bytes().rstrip(b"\n")
        path.write_bytes(old)
        ok(runner, bundled_copy, "measure", "record", "TRAINED", "--period", "2025", "--value", "412")
        assert path.read_bytes() == old + b"\n  - period: 2025\n    value: 412"
        check_passes(runner, bundled_copy)

    def test_comments_and_layout_are_kept(self, runner: CliRunner, bundled_copy: Path) -> None:
        path = bundled_copy / TRAINED
        old = path.read_bytes().replace(
            b"  - period: 2024\n", b"  # the strategy's figure\n  - period: 2024   # calendar\n"
        )
        old += b"# figures above, oldest first\n"
        path.write_bytes(old)
        ok(runner, bundled_copy, "measure", "record", "TRAINED", "--period", "2025", "--value", "412")
        new = path.read_bytes()
        assert only_added_lines(old, new)
        assert new.endswith(b"    value: 368\n  - period: 2025\n    value: 412\n# figures above, oldest first\n")


def load(folder: Path) -> Plan:
    checked = check_plan(folder, today=TODAY, cache_dir=None)
    assert checked.plan is not None and checked.errors == 0, checked.diagnostics
    return checked.plan


class TestAdd:
    def test_add_then_record_on_a_quarterly_measure(self, runner: CliRunner, bundled_copy: Path) -> None:
        args = ["--name", "IDVA referrals", "--unit", "people", "--action", "3", "--target", "2025/26=400"]
        out = ok(runner, bundled_copy, "measure", "add", "REFERRALS", *args, "--higher-is-better")
        assert "Created the measure REFERRALS in " in out
        path = bundled_copy / "measures" / "REFERRALS.yaml"
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../schema/measure.schema.json\n")
        assert "#   vawg measure record REFERRALS --period 2025/26 Q3 --value N\n" in text  # the latest ended quarter
        assert "lead: LBB\n" in text  # action 3's first lead
        assert "period: quarterly\n" in text and "targets:\n  2025/26: 400\n" in text
        assert text.endswith("values:\n")
        check_passes(runner, bundled_copy)

        old = path.read_bytes()
        out = ok(runner, bundled_copy, "measure", "record", "referrals", "--period", "Q1 2025/26", "--value", "120")
        assert "Recorded REFERRALS 2025/26 Q1: 120 in " in out
        new = path.read_bytes()
        assert new == old + b"  - period: 2025/26 Q1\n    value: 120\n"
        check_passes(runner, bundled_copy)
        error = refused(runner, bundled_copy, "measure", "record", "REFERRALS", "--period", "2025", "--value", "1")
        assert "REFERRALS is collected quarterly" in error

    def test_every_option_reads_back(self, runner: CliRunner, bundled_copy: Path) -> None:
        args = [
            *("--name", 'Survey: "feel safe" # score', "--unit", "score out of 10", "--lead", "met"),
            *("--period", "yearly", "--level", "--lower-is-better", "--source", "Residents' survey"),
            *("--target", "2025=7.5", "--target", "2024=7", "--suppress-below", "10"),
        ]
        ok(runner, bundled_copy, "measure", "add", "Feel-Safe", *args)
        (added,) = [f.measure for f in load(bundled_copy).measures if f.measure.code == "Feel-Safe"]
        assert (added.name, added.unit, added.lead, added.frequency) == (
            'Survey: "feel safe" # score',
            "score out of 10",
            "Met",
            Frequency.YEARLY,
        )
        assert (added.level, added.higher_is_better, added.source, added.suppress_below) == (
            True,
            False,
            "Residents' survey",
            10,
        )
        assert added.targets == ((parse_period("2024"), 7), (parse_period("2025"), 7.5))

    def test_dry_run_writes_nothing(self, runner: CliRunner, bundled_copy: Path) -> None:
        before = snapshot(bundled_copy)
        out = ok(
            runner, bundled_copy, "measure", "add", "X", "--name", "X", "--unit", "people", "--action", "5", "--dry-run"
        )
        assert snapshot(bundled_copy) == before
        assert "+++ b/plan/measures/X.yaml" in out or "measures/X.yaml" in out
        assert "+values:\n" in out

    @pytest.mark.parametrize(
        ("args", "words"),
        [
            (["trained", "--lead", "LBB"], "the code trained is already used by measures/TRAINED.yaml"),
            (["NEW", "--action", "42"], "there is no action 42; the actions are: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10"),
            (["NEW", "--lead", "Mett"], "unknown partner 'Mett' (did you mean 'Met'?); partners are listed in"),
            (["NEW"], "a measure of the whole plan needs --lead: the partner who supplies its figures (LBB, Met,"),
            (["NEW", "--lead", "LBB", "--target", "2025/26"], "needs a year and a figure, such as --target 2025/26="),
            (["NEW", "--lead", "LBB", "--target", "2025/26 Q1=4"], "a target is for a year, such as 2025/26 or 2025"),
            (["NEW", "--lead", "LBB", "--target", "2025=-4"], "a count's target cannot be negative"),
            (["NEW", "--lead", "LBB", "--target", "2025=4", "--target", "2025=5"], "gives one year twice"),
            (["NE W", "--lead", "LBB"], "the code 'NE W' cannot name a measure"),
            (["NEW", "--lead", "LBB", "--suppress-below", "0"], f"--suppress-below must be from {LOW} to {HIGH}"),
            (["NEW", "--lead", "LBB", "--suppress-below", str(HIGH + 1)], f"must be from {LOW} to {HIGH}, not"),
        ],
    )
    def test_refused_before_anything_is_written(
        self, runner: CliRunner, bundled_copy: Path, args: list[str], words: str
    ) -> None:
        error = refused(runner, bundled_copy, "measure", "add", *args, "--name", "New", "--unit", "people")
        assert words in error

    def test_a_target_outside_the_plan_is_refused_by_the_whole_plan_check(
        self, runner: CliRunner, bundled_copy: Path
    ) -> None:
        args = ["NEW", "--name", "New", "--unit", "people", "--lead", "LBB", "--target", "2035/36=4"]
        error = refused(runner, bundled_copy, "measure", "add", *args)
        assert "the target is for 2035/36, outside the plan" in error
        assert "vawg: refused: the change would add this error to the plan; nothing was changed" in error

    def test_the_bundled_plan_is_never_written(self, runner: CliRunner, shipped: Path) -> None:
        args = ["NEW", "--name", "New", "--unit", "people", "--lead", "LBB"]
        assert "never changed" in refused(runner, shipped, "measure", "add", *args)


class TestLock:
    """Guards the lock: removing `plan_lock` from edit/measures.py makes these fail."""

    @pytest.mark.parametrize(
        "args",
        [
            ["record", "TRAINED", "--period", "2025", "--value", "412"],
            ["add", "NEW", "--name", "New", "--unit", "people", "--lead", "LBB"],
        ],
    )
    def test_a_writer_waits_for_the_lock(
        self, runner: CliRunner, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
    ) -> None:
        monkeypatch.setattr(locking, "WAIT_SECONDS", 0.2)
        before = snapshot(bundled_copy)
        with locking.plan_lock(bundled_copy):  # another writer holds the plan
            code, out, err = run(runner, bundled_copy, "measure", *args)
        assert code == 1, out + err
        assert "another vawg command has been changing this plan for over 0.2 seconds" in err
        assert snapshot(bundled_copy) == before


NOTES = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=60).filter(lambda s: s.strip())


@pytest.fixture(scope="module")
def note_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_plan(BUNDLED_PLAN, tmp_path_factory.mktemp("notes") / "plan")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=NOTES, by=st.one_of(st.none(), NOTES))
def test_any_note_reads_back_exactly(note_plan: Path, note: str, by: str | None) -> None:
    path = note_plan / TRAINED
    original = path.read_bytes()
    try:
        record_figure(
            note_plan,
            "TRAINED",
            "2025",
            "412",
            note=note.strip(),
            by=by and by.strip(),
            on=TODAY,
            today=TODAY,
            cache_dir=None,
        )
        new = path.read_bytes()
        assert new.startswith(original)
        (measure_file,) = [f for f in load(note_plan).measures if f.measure.code == "TRAINED"]
        last = measure_file.measure.values[-1]
        assert (last.note, last.by) == (note.strip(), by and by.strip())
    finally:
        path.write_bytes(original)


@pytest.mark.parametrize(
    ("frequency", "start_month", "today", "expected"),
    [
        (Frequency.QUARTERLY, 4, date(2026, 2, 1), Period(2025, Frequency.QUARTERLY, 3)),
        (Frequency.QUARTERLY, 4, date(2025, 4, 1), Period(2024, Frequency.QUARTERLY, 4)),
        (Frequency.QUARTERLY, 4, date(2025, 7, 1), Period(2025, Frequency.QUARTERLY, 1)),
        (Frequency.MONTHLY, 4, date(2026, 1, 15), Period(2025, Frequency.MONTHLY, 12)),
        (Frequency.YEARLY, 4, date(2026, 2, 1), Period(2024, Frequency.YEARLY)),
        (Frequency.YEARLY, 1, date(2026, 2, 1), Period(2025, Frequency.YEARLY, calendar=True)),
    ],
)
def test_latest_ended(frequency: Frequency, start_month: int, today: date, expected: Period) -> None:
    latest = latest_ended(frequency, start_month, today)
    assert latest == expected
    assert latest.end(start_month) < today


def test_a_splice_that_alters_another_figure_is_refused(
    runner: CliRunner, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards the read-back proof in `record_figure`: the figures already there must read back unchanged."""
    from vawg_cli.edit import measures

    real = measures.splice_figure
    monkeypatch.setattr(measures, "splice_figure", lambda text, entry: real(text, entry).replace("368", "369"))
    error = refused(runner, bundled_copy, "measure", "record", "TRAINED", "--period", "2025", "--value", "412")
    assert "the figure could not be added without altering other parts of the file, so nothing was changed" in error


@pytest.mark.parametrize(
    ("ending", "added"),
    [
        ("", b"values:\n  - period: 2025\n    value: 412\n"),  # no `values` yet: the list starts at the end
        ("values:\n", b"  - period: 2025\n    value: 412\n"),  # empty: figures go under it
        ("values: []\n", None),  # a hand-written `[]` loses its brackets: the one change that is not an addition
    ],
)
def test_a_measure_with_no_figures_yet(runner: CliRunner, bundled_copy: Path, ending: str, added: bytes | None) -> None:
    path = bundled_copy / TRAINED
    head = path.read_text(encoding="utf-8").split("values:")[0]
    path.write_text(head + ending, encoding="utf-8")
    old = path.read_bytes()
    ok(runner, bundled_copy, "measure", "record", "TRAINED", "--period", "2025", "--value", "412")
    if added is not None:
        assert path.read_bytes() == old + added
    assert [v.value for f in load(bundled_copy).measures if f.measure.code == "TRAINED" for v in f.measure.values] == [
        412
    ]


def test_a_measure_file_with_errors_is_named(runner: CliRunner, bundled_copy: Path) -> None:
    path = bundled_copy / TRAINED
    path.write_text(path.read_text(encoding="utf-8").replace("period: yearly", "period: weekly"), encoding="utf-8")
    error = refused(runner, bundled_copy, "measure", "record", "TRAINED", "--period", "2025", "--value", "412")
    assert "measures/TRAINED.yaml has errors, so a figure cannot be added to it yet; run vawg check" in error


ADD = ("--name", "New", "--unit", "people", "--lead", "LBB")


class TestLinks:
    """A write never goes through a link: a linked measures/ or CODE.yaml would put it somewhere else."""

    def test_add_refuses_a_measures_folder_linked_outside_the_plan(self, runner: CliRunner, tmp_path: Path) -> None:
        plan = copy_plan(BUNDLED_PLAN, tmp_path / "plan")
        outside = tmp_path / "outside"
        (plan / "measures").rename(outside)
        (plan / "measures").symlink_to(outside, target_is_directory=True)
        before = snapshot(outside)
        error = refused(runner, plan, "measure", "add", "NEWM", *ADD)
        assert error.startswith("vawg: error: measures/ is a link")
        assert "replace the link with a plain folder" in error
        assert snapshot(outside) == before

    def test_add_refuses_a_measures_folder_linked_to_actions(self, runner: CliRunner, bundled_copy: Path) -> None:
        shutil.rmtree(bundled_copy / "measures")
        (bundled_copy / "measures").symlink_to("actions", target_is_directory=True)
        assert "measures/ is a link" in refused(runner, bundled_copy, "measure", "add", "NEWM", *ADD)
        assert not (bundled_copy / "actions" / "NEWM.yaml").exists()

    def test_add_refuses_a_link_where_the_new_file_would_be(self, runner: CliRunner, bundled_copy: Path) -> None:
        (bundled_copy / "measures" / "NEWM.yaml").symlink_to(bundled_copy.parent / "elsewhere.yaml")
        error = refused(runner, bundled_copy, "measure", "add", "newm", *ADD)
        assert "measures/NEWM.yaml is a link" in error and "replace the link with the file itself" in error
        assert not (bundled_copy.parent / "elsewhere.yaml").exists()

    @pytest.mark.parametrize("inside", [True, False])
    def test_record_refuses_a_linked_measure_file(self, runner: CliRunner, tmp_path: Path, inside: bool) -> None:
        plan = copy_plan(BUNDLED_PLAN, tmp_path / "plan")
        real = (plan if inside else tmp_path) / "kept-elsewhere.yaml"
        (plan / TRAINED).rename(real)
        (plan / TRAINED).symlink_to(real)
        before = real.read_bytes()
        error = refused(runner, plan, "measure", "record", "trained", "--period", "2025", "--value", "3")
        assert "measures/TRAINED.yaml is a link" in error and "replace the link with the file itself" in error
        assert real.read_bytes() == before

    @pytest.mark.parametrize("inside", [True, False])
    def test_record_refuses_a_linked_measures_folder(self, runner: CliRunner, tmp_path: Path, inside: bool) -> None:
        plan = copy_plan(BUNDLED_PLAN, tmp_path / "plan")
        real = (plan if inside else tmp_path) / "kept-elsewhere"
        (plan / "measures").rename(real)
        (plan / "measures").symlink_to(real, target_is_directory=True)
        before = snapshot(real)
        error = refused(runner, plan, "measure", "record", "TRAINED", "--period", "2025", "--value", "3")
        assert "measures/ is a link" in error
        assert snapshot(real) == before


class TestTyped:
    def test_higher_and_lower_is_better_together_is_a_usage_error(self, runner: CliRunner, bundled_copy: Path) -> None:
        before = snapshot(bundled_copy)
        code, _, err = run(
            runner, bundled_copy, "measure", "add", "NEWM", *ADD, "--higher-is-better", "--lower-is-better"
        )
        assert code == 2 and snapshot(bundled_copy) == before
        assert "give --higher-is-better or --lower-is-better, not both" in " ".join(err.split())

    @pytest.mark.parametrize(("flag", "written"), [("--higher-is-better", True), ("--lower-is-better", False)])
    def test_either_alone_is_written(self, runner: CliRunner, bundled_copy: Path, flag: str, written: bool) -> None:
        ok(runner, bundled_copy, "measure", "add", "NEWM", *ADD, flag)
        (added,) = [f.measure for f in load(bundled_copy).measures if f.measure.code == "NEWM"]
        assert added.higher_is_better is written

    @pytest.mark.parametrize("value", ["9" * 5000, "-" + "9" * 5000, "1" * 16, "1" * 4301 + ".5"])
    def test_a_figure_too_large_for_a_plan_is_refused_in_vawgs_words(
        self, runner: CliRunner, bundled_copy: Path, value: str
    ) -> None:
        error = refused(runner, bundled_copy, "measure", "record", "TRAINED", "--period", "2025", "--value", value)
        assert "a figure of more than 15 digits is no count or rate a plan keeps" in error
        assert "set_int_max_str_digits" not in error and "Exceeds" not in error
        error = refused(runner, bundled_copy, "measure", "add", "NEWM", *ADD, "--target", f"2025/26={value}")
        assert "a figure of more than 15 digits" in error and "set_int_max_str_digits" not in error

    def test_fifteen_digits_will_do(self, runner: CliRunner, bundled_copy: Path) -> None:
        ok(runner, bundled_copy, "measure", "record", "TRAINED", "--period", "2025", "--value", "0" + "9" * 15)
        assert (bundled_copy / TRAINED).read_text(encoding="utf-8").endswith(f"value: {'9' * 15}\n")

    @pytest.mark.parametrize("value", ["\u0661\u0662", "\uff11\uff12", "1\u0662", "\u2212" + "5"])
    def test_only_the_digits_0_to_9_make_a_figure(self, runner: CliRunner, bundled_copy: Path, value: str) -> None:
        error = refused(runner, bundled_copy, "measure", "record", "TRAINED", "--period", "2025", "--value", value)
        assert "write the figure with the digits 0 to 9, such as 120" in error
        error = refused(runner, bundled_copy, "measure", "add", "NEWM", *ADD, "--target", f"2025/26={value}")
        assert "write the figure with the digits 0 to 9" in error

    def test_an_exponent_is_to_be_written_out(self, runner: CliRunner, bundled_copy: Path) -> None:
        error = refused(runner, bundled_copy, "measure", "record", "TRAINED", "--period", "2025", "--value", "1e3")
        assert "write 1e3 in full: 1000" in error

    @pytest.mark.parametrize("code", ["CON", "prn", "Aux", "NUL", "COM1", "com9", "LPT1", "lpt9"])
    def test_a_name_windows_keeps_for_a_device_is_refused(
        self, runner: CliRunner, bundled_copy: Path, code: str
    ) -> None:
        error = refused(runner, bundled_copy, "measure", "add", code, *ADD)
        assert f"the code {code} cannot name a measure: Windows cannot open a file named {code}.yaml" in error

    @pytest.mark.parametrize("code", ["COM0", "CONSULT", "NULLS", "LPT10", "AUX-VISITS"])
    def test_names_that_only_begin_like_one_are_free(self, runner: CliRunner, bundled_copy: Path, code: str) -> None:
        ok(runner, bundled_copy, "measure", "add", code, *ADD)
