"""`vawg diff` over measures: figures added, changed and removed, declarations, files that fail.

Like test_diff.py, every test commits to a real git repository in tmp_path holding a copy of
the bundled plan, whose measures/ holds TRAINED (yearly, 2024: 368) and VAWG-OFFENCES.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import Repo
from test_diff import diff, diff_json
from vawg_cli.cli import app
from vawg_cli.core.changes import compare
from vawg_cli.plan.git import read_sides
from vawg_cli.plan.limits import MAX_FILE_BYTES

TRAINED = "Professionals and stakeholders trained in VAWG"
REFERRALS = """\
code: REFERRALS
name: Referrals to the IDVA service
unit: referrals
lead: Vol Sector
action: 3
period: quarterly
higher_is_better: true
targets:
  2025/26: 400
values:
  - period: 2025/26 Q1
    value: 96
    by: Vol Sector
  - period: 2025/26 Q2
    value: 104
    note: Two new outreach clinics
"""


def trained(repo: Repo) -> Path:
    return repo.plan / "measures" / "TRAINED.yaml"


def add_figure(repo: Repo, period: str | int, value: float, **extra: Any) -> None:
    def append(data: dict[str, Any]) -> None:
        data["values"] = [*(data.get("values") or []), {"period": period, "value": value, **extra}]

    repo.edit(trained(repo), append)


def text_lines(runner: CliRunner, repo: Repo, *args: str) -> list[str]:
    result = diff(runner, repo, *args)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def measures(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {measure["code"]: measure for measure in record["measures"]}


class TestFigures:
    def test_added(self, runner: CliRunner, repo: Repo) -> None:
        add_figure(repo, 2025, 412, note="Two cohorts of licensing staff", by="LBB")
        assert text_lines(runner, repo) == [
            f"measure TRAINED {TRAINED}",
            "  2025 value 412 added: Two cohorts of licensing staff (by LBB)",
        ]
        record = diff_json(runner, repo)
        assert record["changed"] is True
        assert record["summary"]["measures_changed"] == 1 and record["summary"]["changed"] == 0
        measure = measures(record)["TRAINED"]
        assert measure["change"] == "changed" and measure["path"] == "measures/TRAINED.yaml"
        assert measure["figures"] == [
            {
                "period": "2025",
                "change": "added",
                "from": None,
                "to": {"value": 412, "note": "Two cohorts of licensing staff", "by": "LBB"},
            }
        ]
        assert measure["settings"] == [] and measure["targets"] == [] and measure["other_changes"] == []

    def test_changed_value_and_note(self, runner: CliRunner, repo: Repo) -> None:
        def correct(data: dict[str, Any]) -> None:
            data["values"][0].update(value=370, note="Corrected after the annual return")

        repo.edit(trained(repo), correct)
        repo.commit("correct 2024")
        assert text_lines(runner, repo, "HEAD~1", "HEAD") == [
            f"measure TRAINED {TRAINED}",
            "  2024 value 368 → 370",
            "  2024 note added: Corrected after the annual return",
        ]
        (figure,) = measures(diff_json(runner, repo, "HEAD~1", "HEAD"))["TRAINED"]["figures"]
        assert figure["change"] == "changed"
        assert figure["from"] == {"value": 368, "note": None, "by": None}
        assert figure["to"] == {"value": 370, "note": "Corrected after the annual return", "by": None}

    def test_note_changed_and_removed(self, runner: CliRunner, repo: Repo) -> None:
        repo.edit(trained(repo), lambda data: data["values"][0].update(note="Includes schools", by="LBB"))
        repo.commit()
        repo.edit(trained(repo), lambda data: data["values"][0].update(note="Includes schools and GPs", by="Met"))
        assert text_lines(runner, repo)[1:] == [
            '  2024 note: "Includes schools" → "Includes schools and GPs"',
            "  2024 by: LBB → Met",
        ]
        repo.edit(trained(repo), lambda data: data["values"][0].pop("note"))
        assert text_lines(runner, repo)[1] == "  2024 note removed (was: Includes schools)"

    def test_removed(self, runner: CliRunner, repo: Repo) -> None:
        add_figure(repo, 2025, 412)
        repo.commit()
        repo.edit(trained(repo), lambda data: data.update(values=data["values"][:1]))
        assert text_lines(runner, repo) == [f"measure TRAINED {TRAINED}", "  2025 value 412 removed"]
        (figure,) = measures(diff_json(runner, repo))["TRAINED"]["figures"]
        assert figure == {
            "period": "2025",
            "change": "removed",
            "from": {"value": 412, "note": None, "by": None},
            "to": None,
        }

    def test_figures_are_matched_by_period_not_position(self, runner: CliRunner, repo: Repo) -> None:
        # The older figure put first: the file's order changed, but no figure did.
        repo.edit(trained(repo), lambda data: data["values"].insert(0, {"period": 2023, "value": 301}))
        assert text_lines(runner, repo)[1:] == ["  2023 value 301 added"]
        repo.commit()
        repo.edit(trained(repo), lambda data: data["values"].reverse())
        assert text_lines(runner, repo)[1:] == ["  also changed: order of figures"]

    def test_markdown(self, runner: CliRunner, repo: Repo) -> None:
        add_figure(repo, 2025, 412, note="a | b <b>", by="LBB")
        result = diff(runner, repo, "--format", "markdown")
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert "HEAD → working tree: 1 measure changed" in lines
        assert f"- **Measure TRAINED** {TRAINED}" in lines
        assert r"  - 2025 value 412 added: a \| b \<b> (by LBB)" in lines


class TestWholeMeasures:
    def test_a_new_measure_brings_its_targets_and_figures(self, runner: CliRunner, repo: Repo) -> None:
        (repo.plan / "measures" / "REFERRALS.yaml").write_text(REFERRALS, encoding="utf-8")
        assert text_lines(runner, repo) == [
            "measure REFERRALS Referrals to the IDVA service: added (referrals; lead Vol Sector; quarterly; action 3)",
            "  target for 2025/26: 400 added",
            "  2025/26 Q1 value 96 added (by Vol Sector)",
            "  2025/26 Q2 value 104 added: Two new outreach clinics",
        ]
        record = diff_json(runner, repo)
        assert record["summary"]["measures_added"] == 1
        measure = measures(record)["REFERRALS"]
        assert (measure["change"], measure["unit"], measure["lead"], measure["period"], measure["action"]) == (
            "added",
            "referrals",
            "Vol Sector",
            "quarterly",
            3,
        )
        assert measure["targets"] == [{"year": "2025/26", "from": None, "to": 400}]
        assert [f["period"] for f in measure["figures"]] == ["2025/26 Q1", "2025/26 Q2"]
        markdown = diff(runner, repo, "--format", "markdown").stdout
        assert "HEAD → working tree: 1 measure added" in markdown

    def test_removed_measure(self, runner: CliRunner, repo: Repo) -> None:
        trained(repo).unlink()
        assert text_lines(runner, repo) == [f"measure TRAINED {TRAINED}: removed"]
        record = diff_json(runner, repo)
        assert record["summary"]["measures_removed"] == 1
        assert measures(record)["TRAINED"]["figures"] == []

    def test_the_whole_folder_removed(self, runner: CliRunner, repo: Repo) -> None:
        files = list((repo.plan / "measures").iterdir())
        for path in files:
            path.unlink()
        (repo.plan / "measures").rmdir()
        record = diff_json(runner, repo)
        assert record["summary"]["measures_removed"] == len(files) == 5
        assert record["invalid"] == []

    def test_renamed_file_is_the_same_measure(self, runner: CliRunner, repo: Repo) -> None:
        trained(repo).rename(repo.plan / "measures" / "trained-people.yml")
        assert diff(runner, repo).stdout.startswith("no changes to the plan")

    def test_actions_and_measures_in_one_summary(self, runner: CliRunner, repo: Repo) -> None:
        repo.set(3, title="Referral pathways agreed")
        (repo.plan / "measures" / "REFERRALS.yaml").write_text(REFERRALS, encoding="utf-8")
        add_figure(repo, 2025, 412)
        markdown = diff(runner, repo, "--format", "markdown").stdout
        assert "HEAD → working tree: 1 action changed, 1 measure changed, 1 added" in markdown
        # Actions first, then measures by code.
        assert markdown.index("**Action 3**") < markdown.index("**Measure REFERRALS**")
        assert markdown.index("**Measure REFERRALS**") < markdown.index("**Measure TRAINED**")


class TestDeclaration:
    def test_target_added_changed_and_removed(self, runner: CliRunner, repo: Repo) -> None:
        repo.edit(trained(repo), lambda data: data.update(targets={"2025": 400, "2026": 450}))
        assert text_lines(runner, repo)[1:] == ["  target for 2025: 400 added", "  target for 2026: 450 added"]
        repo.commit()
        repo.edit(trained(repo), lambda data: data.update(targets={"2025": 420, "2027": 500}))
        assert text_lines(runner, repo) == [
            f"measure TRAINED {TRAINED}",
            "  target for 2025: 400 → 420",
            "  target for 2026: 450 removed",
            "  target for 2027: 500 added",
        ]
        assert measures(diff_json(runner, repo))["TRAINED"]["targets"] == [
            {"year": "2025", "from": 400, "to": 420},
            {"year": "2026", "from": 450, "to": None},
            {"year": "2027", "from": None, "to": 500},
        ]

    def test_every_key_of_the_declaration(self, runner: CliRunner, repo: Repo) -> None:
        def change(data: dict[str, Any]) -> None:
            data.update(
                name="People trained",
                unit="professionals",
                lead="Met",
                kind="level",
                higher_is_better=None,
                suppress_below=10,
                source="The training log",
            )
            del data["action"]

        repo.edit(trained(repo), change)
        assert text_lines(runner, repo) == [
            "measure TRAINED People trained",
            f'  name: "{TRAINED}" → "People trained"',
            "  unit: people → professionals",
            "  lead: LBB → Met",
            "  action: 5 → none",
            "  kind: count → level",
            "  higher_is_better: true → not set",
            "  suppress_below: the plan's → 10",
            "  also changed: source",
        ]
        settings = measures(diff_json(runner, repo))["TRAINED"]["settings"]
        assert {"key": "action", "from": 5, "to": None} in settings
        assert {"key": "suppress_below", "from": None, "to": 10} in settings
        assert {"key": "higher_is_better", "from": True, "to": None} in settings

    def test_period_and_series_breaks(self, runner: CliRunner, repo: Repo) -> None:
        offences = repo.plan / "measures" / "VAWG-OFFENCES.yaml"

        def change(data: dict[str, Any]) -> None:
            data["breaks"][0]["reason"] = "CONNECT changed how domestic abuse is flagged"
            data["breaks"].append({"date": "2025-04-01", "reason": "New Home Office counting rules"})

        repo.edit(offences, change)
        lines = text_lines(runner, repo)
        assert lines[0] == "measure VAWG-OFFENCES VAWG offences recorded by the police"
        assert lines[1].startswith('  series break 2024-03-01: "the Metropolitan Police')
        assert lines[1].endswith('" → "CONNECT changed how domestic abuse is flagged"')
        assert lines[2] == "  series break added 2025-04-01: New Home Office counting rules"
        repo.edit(offences, lambda data: data.update(breaks=[], period="quarterly", values=[]))
        lines = text_lines(runner, repo)
        assert "  period: yearly → quarterly" in lines
        assert lines[-3].startswith("  series break removed 2024-03-01: the Metropolitan Police")
        assert lines[-2:] == ["  2023 value 3971 removed", "  2024 value 2912 removed"]

    def test_plan_threshold_is_a_plan_change(self, runner: CliRunner, repo: Repo) -> None:
        repo.edit(repo.plan / "plan.yaml", lambda data: data.update(suppress_below=10))
        assert text_lines(runner, repo) == ["plan", "  suppress_below: 5 → 10"]


class TestInvalidMeasureFiles:
    def test_invalid_at_the_older_revision(self, runner: CliRunner, repo: Repo) -> None:
        path = trained(repo)
        good = path.read_text(encoding="utf-8")
        path.write_text(good.replace("value: 368", "value: lots"), encoding="utf-8")
        repo.commit("broken")
        path.write_text(good.replace("value: 368", "value: 370"), encoding="utf-8")
        repo.commit("fixed")
        lines = text_lines(runner, repo, "HEAD~1", "HEAD")
        line = next(n for n, text in enumerate(good.splitlines(), 1) if "value: 368" in text)
        assert len(lines) == 1
        assert lines[0].startswith("measures/TRAINED.yaml is invalid at HEAD~1: ")
        assert "'lots' is not a number" in lines[0] and lines[0].endswith(f"(line {line})")
        # The measure is not known at HEAD~1, so it is not reported added either.
        record = diff_json(runner, repo, "HEAD~1", "HEAD")
        assert record["measures"] == []
        (invalid,) = record["invalid"]
        assert (invalid["path"], invalid["at"], invalid["line"]) == ("measures/TRAINED.yaml", "HEAD~1", line)

    def test_invalid_in_the_working_tree_is_not_removed(self, runner: CliRunner, repo: Repo) -> None:
        trained(repo).write_text("code: TRAINED\nname: [unclosed\n", encoding="utf-8")
        result = diff(runner, repo, "--exit-code")
        assert result.exit_code == 1
        (line,) = result.stdout.splitlines()
        assert line.startswith("measures/TRAINED.yaml is invalid in the working tree: ")
        assert "removed" not in result.stdout

    def test_two_new_files_with_one_code(self, runner: CliRunner, repo: Repo) -> None:
        folder = repo.plan / "measures"
        (folder / "REFERRALS.yaml").write_text(REFERRALS, encoding="utf-8")
        (folder / "REFERRALS-COPY.yaml").write_text(REFERRALS.replace("REFERRALS", "referrals"), encoding="utf-8")
        record = diff_json(runner, repo)
        # As for two actions with one id: the first file by name is compared, the other is named.
        (invalid,) = record["invalid"]
        assert (invalid["path"], invalid["message"]) == (
            "measures/REFERRALS.yaml",
            "code REFERRALS is also the code of measures/REFERRALS-COPY.yaml",
        )
        assert [(m["code"], m["change"]) for m in record["measures"]] == [("referrals", "added")]


class TestSafety:
    def test_a_measures_folder_linking_out_is_refused(self, runner: CliRunner, repo: Repo, tmp_path: Path) -> None:
        outside = tmp_path / "elsewhere"
        (repo.plan / "measures").rename(outside)
        (repo.plan / "measures").symlink_to(outside)
        result = diff(runner, repo)
        assert result.exit_code == 1
        assert "is a link to a folder outside the plan folder" in result.stderr

    def test_a_linked_measure_file_is_not_read(self, runner: CliRunner, repo: Repo, tmp_path: Path) -> None:
        secret = tmp_path / "secret.yaml"
        secret.write_text(REFERRALS, encoding="utf-8")
        (repo.plan / "measures" / "REFERRALS.yaml").symlink_to(secret)
        assert diff_json(runner, repo)["changed"] is False

    def test_a_measure_file_over_the_size_limit_is_invalid_not_read_whole(self, runner: CliRunner, repo: Repo) -> None:
        path = trained(repo)
        path.write_text(path.read_text(encoding="utf-8") + "#" * (MAX_FILE_BYTES + 10) + "\n", encoding="utf-8")
        repo.commit("a huge measure file")
        record = diff_json(runner, repo, "HEAD~1", "HEAD")
        (invalid,) = record["invalid"]
        assert (invalid["path"], invalid["at"]) == ("measures/TRAINED.yaml", "HEAD")
        assert record["measures"] == []

    def test_only_yaml_straight_inside_measures(self, runner: CliRunner, repo: Repo) -> None:
        (repo.plan / "measures" / "notes.md").write_text("not a measure", encoding="utf-8")
        (repo.plan / "measures" / "old").mkdir()
        (repo.plan / "measures" / "old" / "REFERRALS.yaml").write_text(REFERRALS, encoding="utf-8")
        repo.commit()
        assert diff_json(runner, repo, "HEAD~1", "HEAD")["changed"] is False


def test_core_compares_measures_at_two_revisions(repo: Repo) -> None:
    add_figure(repo, 2025, 412)
    repo.commit()
    changes = compare(*read_sides(repo.plan, "HEAD~1", "HEAD"))
    (measure,) = changes.measures
    (figure,) = measure.figures
    assert (measure.code, figure.change, figure.new) == ("TRAINED", "added", (figure.period, 412, None, None))
    assert changes.changed and changes.actions == ()


@pytest.mark.parametrize("output_format", ["text", "json", "markdown"])
def test_unchanged_measures_are_not_parsed_or_shown(runner: CliRunner, repo: Repo, output_format: str) -> None:
    repo.set(3, title="Referral pathways agreed")
    result = runner.invoke(app, ["diff", "--plan", str(repo.plan), "--format", output_format])
    assert result.exit_code == 0, result.output
    assert "TRAINED" not in result.stdout
    if output_format == "json":
        assert json.loads(result.stdout)["measures"] == []
