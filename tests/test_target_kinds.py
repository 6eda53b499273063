"""Targets as plans really write them, through the commands: status, check, the paper and the export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from vawg_cli.cli import app

PLAN_YAML = """\
title: Targets as written
start: 2024-04-01
end: 2028-03-31
year_start_month: 4
partners:
  LBB: London Borough of Bexley
"""

TARGETS = {
    1: "2025/26",
    2: "Q4 2024/25",
    3: "Spring 2025",
    4: "By end of 2025",
    5: "Year 2",
    6: "Ongoing",
    7: "TBC",
    8: "By Autumn 2023 and ongoing",
    9: "Annually",
}
AS_OF = "2026-06-01"


def _plan(tmp_path: Path, year_start_month: int = 4, updates: dict[int, str] | None = None) -> Path:
    folder = tmp_path / "plan"
    (folder / "actions").mkdir(parents=True)
    (folder / "plan.yaml").write_text(PLAN_YAML.replace("year_start_month: 4", f"year_start_month: {year_start_month}"))
    for number, target in TARGETS.items():
        text = f"id: {number}\ntitle: Action {number}\nleads: [LBB]\ntarget: {target}\n"
        if updates and number in updates:
            text += f"updates:\n  - date: {updates[number]}\n    rag: green\n    note: Going well\n"
        (folder / "actions" / f"{number:02d}-action.yaml").write_text(text)
    return folder


def _status(runner: CliRunner, folder: Path, as_of: str = AS_OF) -> dict[int, dict[str, Any]]:
    result = runner.invoke(app, ["status", "--format", "json", "--as-of", as_of, "--plan", str(folder)])
    assert result.exit_code == 0, result.output
    return {record["id"]: record for record in json.loads(result.stdout)}


def test_status_json_gives_a_due_date_for_every_dated_wording(runner: CliRunner, tmp_path: Path) -> None:
    """The issue's Done-when line: 2025/26, Q4 2024/25, Spring 2025, By end of 2025 and Year 2 are dated."""
    records = _status(runner, _plan(tmp_path))
    assert {n: records[n]["due"] for n in range(1, 6)} == {
        1: "2026-03-31",
        2: "2025-03-31",
        3: "2025-05-31",
        4: "2025-12-31",
        5: "2026-03-31",
    }
    assert all(records[n]["overdue"] and records[n]["target_kind"] == "date" for n in range(1, 6))
    assert records[1]["target"] == "2025/26"  # the text is kept as written


def test_reporting_years_follow_the_plans_year_start(runner: CliRunner, tmp_path: Path) -> None:
    records = _status(runner, _plan(tmp_path, year_start_month=7), as_of="2024-05-01")
    assert (records[1]["due"], records[2]["due"], records[5]["due"]) == ("2026-06-30", "2025-06-30", "2026-03-31")


def test_ongoing_is_never_overdue(runner: CliRunner, tmp_path: Path) -> None:
    folder = _plan(tmp_path)
    for as_of in ("2024-04-01", AS_OF, "2028-03-31", "2030-01-01"):
        record = _status(runner, folder, as_of)[6]
        assert (record["overdue"], record["due"], record["due_soon"]) == (False, None, False)
        assert (record["state"], record["target_kind"], record["recurring"]) == ("ongoing", "ongoing", False)


def test_x_and_ongoing_is_due_at_x_then_ongoing(runner: CliRunner, tmp_path: Path) -> None:
    folder = _plan(tmp_path)
    assert _status(runner, folder, "2023-11-20")[8]["due"] == "2023-11-30"
    silent = _status(runner, folder, "2024-05-01")[8]
    assert (silent["overdue"], silent["overdue_since"]) == (True, "2023-11-30")  # nothing ever reported
    reported = _status(runner, _plan(tmp_path / "b", updates={8: "2024-02-01"}), "2024-05-01")[8]
    assert (reported["overdue"], reported["due"], reported["state"]) == (False, None, "ongoing")


def test_tbc_is_a_warning_not_an_error(runner: CliRunner, tmp_path: Path) -> None:
    folder = _plan(tmp_path)
    result = runner.invoke(app, ["check", "--plan", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert "07-action.yaml:4:9: warning: target 'TBC' is to be confirmed" in result.stdout
    assert "vawg retarget 7 --target DATE" in result.stdout
    assert "0 errors, 1 warning" in result.stdout
    record = _status(runner, folder)[7]
    assert (record["state"], record["target_kind"], record["due"], record["overdue"]) == (
        "target to be confirmed",
        "tbc",
        None,
        False,
    )


def test_the_annual_cycle_is_recurring(runner: CliRunner, tmp_path: Path) -> None:
    record = _status(runner, _plan(tmp_path))[9]
    assert (record["target_kind"], record["recurring"], record["next_due"]) == ("recurring", True, "2027-03-31")


def test_the_paper_lists_targets_to_be_confirmed_under_their_own_heading(runner: CliRunner, tmp_path: Path) -> None:
    folder = _plan(tmp_path)
    for fmt in ("md", "html"):
        args = ["report", "--quarter", "2025-Q4", "--format", fmt, "--as-of", AS_OF, "--plan", str(folder)]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "Targets to be confirmed" in result.stdout
    assert "| 7 | Action 7 | 🔘 Grey | LBB | TBC |" in runner.invoke(app, [*args[:4], "md", *args[5:]]).stdout


def test_a_paper_without_tbc_targets_has_no_such_heading(runner: CliRunner, bundled_copy: Path) -> None:
    result = runner.invoke(app, ["report", "--quarter", "2025-Q2", "--plan", str(bundled_copy)])
    assert result.exit_code == 0, result.output
    assert "Targets to be confirmed" not in result.stdout


def test_the_export_says_each_targets_kind_and_the_calendar_skips_undated_ones(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = _plan(tmp_path)
    exported = runner.invoke(app, ["export", "--format", "json", "--as-of", AS_OF, "--plan", str(folder)])
    assert exported.exit_code == 0, exported.output
    kinds = {a["id"]: a["derived"]["target_kind"] for a in json.loads(exported.stdout)["actions"]}
    assert kinds == {
        1: "date",
        2: "date",
        3: "date",
        4: "date",
        5: "date",
        6: "ongoing",
        7: "tbc",
        8: "ongoing",
        9: "recurring",
    }
    ics = runner.invoke(app, ["export", "--format", "ics", "--as-of", AS_OF, "--plan", str(folder)])
    assert ics.exit_code == 0, ics.output
    uids = [line for line in ics.stdout.splitlines() if line.startswith("UID:")]
    assert len(uids) == 7 and not any(uid.split("-action-")[1].startswith(("6@", "7@")) for uid in uids)
    assert "DTSTART;VALUE=DATE:20260331" in ics.stdout  # 2025/26 with April
    assert "RRULE:FREQ=MONTHLY;UNTIL=20280331;INTERVAL=12;BYMONTHDAY=-1" in ics.stdout


def test_a_year_written_without_quotes_is_the_year_target() -> None:
    """YAML reads `target: 2025` as a number; it is the documented target "2025" (31 December)."""
    from vawg_cli.model.records import Action
    from vawg_cli.plan.parsing import parse_plan_file

    action, problems = parse_plan_file(b"id: 5\ntitle: T\nleads: [LBB]\ntarget: 2025\n", Action)
    assert problems == () and isinstance(action, Action) and action.target == "2025"
