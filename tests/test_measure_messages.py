"""`vawg check` on a measure file: each slip gets words about measures, never pydantic's own or
those written for action files (colours of the scale, quoting a value)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from conftest import BUNDLED_PLAN, copy_plan
from vawg_cli.model.measures import Measure
from vawg_cli.model.records import PlanSettings
from vawg_cli.plan.loading import check_plan
from vawg_cli.plan.measure_format import MeasureModel
from vawg_cli.plan.parsing import parse_plan_file
from vawg_cli.plan.plan_format import PlanModel

HEAD = "code: E\nname: Referrals\nunit: people\nlead: LBB\nperiod: yearly\n"
TODAY = date(2026, 2, 1)


def messages(text: str) -> list[str]:
    _, problems = parse_plan_file(text.encode("utf-8"), Measure)
    return [message for _, _, _, message in problems]


def one(text: str) -> str:
    found = messages(text)
    assert len(found) == 1, found
    assert "should" not in found[0] and "Input" not in found[0] and "pattern" not in found[0], found[0]
    return found[0]


def bounds(model: type[PlanModel | MeasureModel]) -> str:
    """The bounds of `suppress_below` as the model sets them, whatever they are."""
    metadata = model.model_fields["suppress_below"].metadata
    low = next(m.ge for m in metadata if hasattr(m, "ge"))
    high = next(m.le for m in metadata if hasattr(m, "le"))
    return f"from {low} to {high}"


class TestWords:
    def test_a_period_of_another_kind(self) -> None:
        message = one(HEAD.replace("yearly", "weekly"))
        assert message == "'weekly' is not how often a figure is collected; period is monthly, quarterly or yearly"
        assert "colour" not in message

    def test_a_near_miss_of_a_period_is_named(self) -> None:
        assert "(did you mean 'monthly'?)" in one(HEAD.replace("yearly", "montly"))

    def test_a_kind_that_is_neither(self) -> None:
        message = one(HEAD + "kind: rate\n")
        assert message.startswith("'rate' is not a kind of measure; kind is count (figures that add up")
        assert "level (a percentage, score or rate" in message

    @pytest.mark.parametrize("code", ["1st", "two words", "A" * 41, "E.2"])
    def test_a_code_says_what_a_code_may_hold(self, code: str) -> None:
        message = one(HEAD.replace("code: E", f"code: {code}"))
        assert message.startswith("the code ")
        assert "letters, digits, - and _, starting with a letter, at most 40 characters" in message

    @pytest.mark.parametrize("threshold", [0, 101, -1])
    def test_suppress_below_names_the_fields_own_bounds(self, threshold: int) -> None:
        message = one(HEAD + f"suppress_below: {threshold}\n")
        assert message == f"suppress_below must be a whole number {bounds(MeasureModel)}, found {threshold}"
        assert "366" not in message

    def test_plan_yaml_suppress_below_names_its_bounds(self) -> None:
        raw = (BUNDLED_PLAN / "plan.yaml").read_text(encoding="utf-8") + "suppress_below: 0\n"
        _, problems = parse_plan_file(raw.encode("utf-8"), PlanSettings)
        assert [p[3] for p in problems] == [f"suppress_below must be a whole number {bounds(PlanModel)}, found 0"]

    @pytest.mark.parametrize(
        ("line", "expected"), [("year_start_month: 13", "1 to 12"), ("due_soon_days: 400", "0 to 366")]
    )
    def test_other_bounds_are_still_their_own(self, line: str, expected: str) -> None:
        key = line.split(":")[0]
        kept = [old for old in (BUNDLED_PLAN / "plan.yaml").read_text(encoding="utf-8").splitlines() if key not in old]
        _, problems = parse_plan_file("\n".join([*kept, line, ""]).encode(), PlanSettings)
        assert [p[3] for p in problems] == [f"{key} must be a whole number from {expected}, found {line.split()[-1]}"]

    def test_a_value_emptied_by_a_comment_is_not_to_be_quoted(self) -> None:
        message = one(HEAD + "values:\n  - period: 2025\n    value: # forgot\n")
        assert message.startswith('the value is empty because "#" starts a comment in YAML; write it as a number')
        assert "put the value in quotes" not in message

    def test_a_target_emptied_by_a_comment_is_not_to_be_quoted(self) -> None:
        message = one(HEAD + "targets:\n  2025: # to agree\n")
        assert message.startswith('the target for 2025 is empty because "#" starts a comment')
        assert "in quotes:" not in message

    @pytest.mark.parametrize(("written", "full"), [("1e3", "1000"), ("2.5E2", "250"), ("5e-1", "0.5")])
    def test_a_figure_with_an_exponent_is_written_out(self, written: str, full: str) -> None:
        message = one(HEAD + f"values:\n  - period: 2025\n    value: {written}\n")
        assert message == f"{written} is read as text, not as a number; write the figure in full: {full}"


def measure_plan(tmp_path: Path) -> Path:
    return copy_plan(BUNDLED_PLAN, tmp_path / "plan")


def found(folder: Path, name: str) -> list[str]:
    checked = check_plan(folder, today=TODAY, cache_dir=None)
    return [d.message for d in checked.diagnostics if d.path.name == name]


class TestAcrossFiles:
    def test_a_second_file_with_a_code_is_told_only_that_it_is_taken(self, tmp_path: Path) -> None:
        folder = measure_plan(tmp_path)
        (folder / "measures" / "E.yaml").write_text(HEAD, encoding="utf-8")
        (folder / "measures" / "e2.yaml").write_text(HEAD, encoding="utf-8")
        assert found(folder, "e2.yaml") == ["code E is already used by E.yaml; give it another"]
        assert found(folder, "E.yaml") == []

    def test_the_file_named_for_the_code_keeps_it_whatever_the_order(self, tmp_path: Path) -> None:
        folder = measure_plan(tmp_path)
        (folder / "measures" / "a.yaml").write_text(HEAD, encoding="utf-8")  # sorts before e.yaml
        (folder / "measures" / "e.yaml").write_text(HEAD, encoding="utf-8")
        assert found(folder, "a.yaml") == ["code E is already used by e.yaml; give it another"]
        assert found(folder, "e.yaml") == []

    def test_a_lone_misnamed_file_is_still_told_to_rename(self, tmp_path: Path) -> None:
        folder = measure_plan(tmp_path)
        (folder / "measures" / "e2.yaml").write_text(HEAD, encoding="utf-8")
        assert found(folder, "e2.yaml") == ["the code is E but the file is e2.yaml; rename it to E.yaml"]

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
    def test_a_pipe_is_not_a_plain_file(self, tmp_path: Path) -> None:
        folder = measure_plan(tmp_path)
        os.mkfifo(folder / "measures" / "X.yaml")
        [message] = found(folder, "X.yaml")
        assert message.startswith("not read: this is not a plain file")
        assert "folder" not in message and "broken link" not in message

    def test_a_folder_and_a_broken_link_are_named_as_such(self, tmp_path: Path) -> None:
        folder = measure_plan(tmp_path)
        (folder / "measures" / "F.yaml").mkdir()
        (folder / "measures" / "L.yaml").symlink_to(folder / "measures" / "nowhere.yaml")
        assert found(folder, "F.yaml") == ["not read: this is a folder, not a measure file"]
        assert found(folder, "L.yaml")[0].startswith("not read: this is a broken link, not a measure file")
