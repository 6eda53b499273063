"""Action plans as public bodies really publish them (tests/fixtures/real/README.md): each imports
with no --map, and `vawg check` then reports no error but targets vawg cannot read yet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import FIXTURES
from vawg_cli.cli import app

REAL = FIXTURES / "real"

# Each fixture, the options it needs (a table with no lead column names one), and the targets it has.
PLANS = {
    "hampshire-pcc-delivery-progress.md": (["--lead", "OPCC"], ["Sep '19", "Apr '20", "Sep '19", "Sep-19", "Apr-19"]),
    "dorset-csp-domestic-abuse-bill-action-plan.md": (["--lead", "CSP"], ["Apr-21", "N/A"]),
    "equally-safe-delivery-plan-2024.md": ([], ["2024 to 2026"] * 9),
    "north-tyneside-domestic-abuse-priorities.md": ([], ["2024-2027"] * 6),
}


def _actions(folder: Path) -> list[dict[str, object]]:
    loaded = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((folder / "actions").glob("*.yaml"))]
    return [data for data in loaded if isinstance(data, dict)]


def test_every_fixture_has_its_source_at_the_top() -> None:
    names = sorted(path.name for path in REAL.glob("*.md") if path.name != "README.md")
    assert names == sorted(PLANS)
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    for name in names:
        first = (REAL / name).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("<!-- Source: https://") and first.endswith("-->")
        assert f"`{name}`" in readme


@pytest.mark.parametrize("name", sorted(PLANS))
def test_imports_with_no_map_and_checks_with_no_errors(runner: CliRunner, tmp_path: Path, name: str) -> None:
    options, targets = PLANS[name]
    folder = tmp_path / "plan"
    result = runner.invoke(app, ["import", str(REAL / name), "--plan", str(folder), *options])
    assert result.exit_code == 0, result.output
    assert [action["target"] for action in _actions(folder)] == targets
    checked = runner.invoke(app, ["check", "--plan", str(folder)])
    errors = [line for line in checked.output.splitlines() if ": error: " in line]
    assert errors == [], checked.output
    # Every target is read: dated, or of a named kind that has no date (ongoing, to be confirmed).
    status = runner.invoke(app, ["status", "--plan", str(folder), "--format", "json"])
    assert status.exit_code == 0, status.output
    kinds = {record["target"]: record["target_kind"] for record in json.loads(status.stdout)}
    assert all(kind in ("date", "recurring", "ongoing", "tbc") for kind in kinds.values()), kinds


def test_references_leads_and_themes_as_published(runner: CliRunner, tmp_path: Path) -> None:
    dorset = tmp_path / "dorset"
    result = runner.invoke(
        app,
        ["import", str(REAL / "dorset-csp-domestic-abuse-bill-action-plan.md"), "--plan", str(dorset), "--lead", "CSP"],
    )
    assert result.exit_code == 0, result.output
    actions = _actions(dorset)
    assert [(a["id"], a["ref"]) for a in actions] == [(1, "DAB 1"), (2, "DAB 2")]
    assert actions[1]["leads"] == ["CSP"] and "CSP is the lead of 1 action (--lead)" in result.stdout
    assert "Complete Y/N: Ongoing" in str(actions[0]["notes"]) and actions[0]["owner"] == "All reps"

    scotland = tmp_path / "scotland"
    assert (
        runner.invoke(
            app, ["import", str(REAL / "equally-safe-delivery-plan-2024.md"), "--plan", str(scotland)]
        ).exit_code
        == 0
    )
    assert _actions(scotland)[0]["leads"] == ["SG", "COSLA"]
    partners = yaml.safe_load((scotland / "plan.yaml").read_text(encoding="utf-8"))["partners"]
    assert partners == {"SG": "Scottish Government", "COSLA": "COSLA"}

    tyneside = tmp_path / "tyneside"
    result = runner.invoke(
        app, ["import", str(REAL / "north-tyneside-domestic-abuse-priorities.md"), "--plan", str(tyneside)]
    )
    assert result.exit_code == 0, result.output
    actions = _actions(tyneside)
    assert [a["theme"] for a in actions] == ["Prioritise prevention"] * 3 + ["Support victims"] * 3
    assert actions[0]["leads"] == ["NTC"] and actions[3]["leads"] == ["NTC"]
    assert 'said "All partners"' in result.stdout


def test_a_reference_shows_beside_the_id_in_status_and_the_paper(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "dorset"
    source = REAL / "dorset-csp-domestic-abuse-bill-action-plan.md"
    assert runner.invoke(app, ["import", str(source), "--plan", str(folder), "--lead", "CSP"]).exit_code == 0
    # The target vawg cannot read yet is made a date, so that the plan loads.
    action = next((folder / "actions").glob("02-*.yaml"))
    action.write_text(action.read_text(encoding="utf-8").replace("target: N/A", "target: Apr-27"), encoding="utf-8")
    plain = runner.invoke(app, ["status", "--plan", str(folder), "--as-of", "2026-06-01"])
    assert plain.exit_code == 0, plain.output
    assert "1 (DAB 1)" in plain.output and "2 (DAB 2)" in plain.output
    data = runner.invoke(app, ["status", "--plan", str(folder), "--format", "json", "--as-of", "2026-06-01"])
    assert sorted(item["ref"] for item in json.loads(data.output)) == ["DAB 1", "DAB 2"]
    paper = runner.invoke(
        app, ["report", "--plan", str(folder), "--quarter", "2026-Q1", "--as-of", "2026-06-01", "--format", "md"]
    )
    assert paper.exit_code == 0, paper.output
    assert "| 2 (DAB 2) |" in paper.output
