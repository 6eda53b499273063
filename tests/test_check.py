"""Tests for `vawg check`: every problem in every file, one per line, with its line and column."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest
from typer.testing import CliRunner, Result

from conftest import BUNDLED_PLAN, copy_plan
from vawg_cli.cli import app
from vawg_cli.errors import PlanNotFound
from vawg_cli.model.records import Action, PlanSettings, Rag, TargetChange, Update
from vawg_cli.model.schedule import parse_target
from vawg_cli.plan.checks import (
    Finding,
    Partial,
    across_files,
    personal_data_in_notes,
    target_history,
    update_order,
)
from vawg_cli.plan.loading import check_plan
from vawg_cli.plan.parsing import parse_plan_file

AS_OF = "2026-11-24"
TODAY = date(2026, 11, 24)
BUNDLED_FILES = 16  # plan.yaml, ten actions and five measures
TARGET = "actions/05-professionals-training.yaml"
SHOWN = f"plan/{TARGET}"  # as printed, relative to the current folder
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning): (?P<message>.+)$")

VALID_ACTION_5 = "id: 5\ntitle: Training\nleads:\n  - LBB\ntarget: Apr-25\n"
PLAN_YAML = "title: Test plan\nstart: 2024-04-01\nend: 2028-04-30\npartners:\n  LBB: London Borough of Bexley\n"


@pytest.fixture
def plan(bundled_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable bundled plan at ./plan, so paths print as plan/actions/..."""
    monkeypatch.chdir(bundled_copy.parent)
    return bundled_copy


@pytest.fixture
def small_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """plan.yaml with one partner (LBB) and an empty actions/ folder, at ./plan."""
    folder = tmp_path / "plan"
    (folder / "actions").mkdir(parents=True)
    (folder / "plan.yaml").write_text(PLAN_YAML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return folder


def run_check(runner: CliRunner, folder: Path, *extra: str) -> Result:
    result = runner.invoke(app, ["check", "--plan", str(folder), "--as-of", AS_OF, *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stdout + result.stderr
    return result


def problem_lines(stdout: str) -> list[re.Match[str]]:
    return [m for m in map(LINE.match, stdout.splitlines()) if m]


def summary(stdout: str) -> str:
    return stdout.splitlines()[-1]


def write(path: Path, content: str | bytes) -> None:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)


def alias_bomb() -> bytes:
    """Billion laughs: nine levels of nine aliases, 9**9 values once expanded."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]")
    return ("\n".join(lines) + "\n").encode()


# --------------------------------------------------------------------------- a clean plan


def test_bundled_plan_is_clean(runner: CliRunner, plan: Path) -> None:
    result = run_check(runner, plan)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"checked {BUNDLED_FILES} files: no problems"]


def test_check_plan_on_clean_plan(plan: Path) -> None:
    checked = check_plan(plan, today=TODAY, cache_dir=None)
    assert checked.diagnostics == ()
    assert checked.files == BUNDLED_FILES
    assert (checked.errors, checked.warnings) == (0, 0)
    assert checked.plan is not None
    assert [f.action.id for f in checked.plan.actions] == list(range(1, 11))
    assert checked.plan.settings.partners.keys() == {"LBB", "Met", "Vol Sector"}


def test_plan_without_actions_counts_one_file(runner: CliRunner, small_plan: Path) -> None:
    (small_plan / "actions").rmdir()
    result = run_check(runner, small_plan)
    assert result.exit_code == 0
    assert ": warning: there is no actions/ folder yet; add one file per action there" in result.stdout
    assert summary(result.stdout) == "checked 1 file: 0 errors, 1 warning"


def test_json_on_clean_plan_is_empty_list(runner: CliRunner, plan: Path) -> None:
    result = run_check(runner, plan, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


# --------------------------------------------------------------------------- bad inputs, one file each

BAD_INPUTS = [
    # (name, bytes written to actions/05-..., lines the problem may sensibly be on, key words of the message)
    ("malformed YAML", b"id: 5\ntitle: T\n  leads: [LBB]\ntarget: Apr-25\n", {3}, ["YAML", "indentation"]),
    ("unclosed bracket", b"id: 5\ntitle: [unclosed\nleads: [LBB]\ntarget: Apr-25\n", {2, 3}, ["YAML"]),
    ("tab indentation", b"id: 5\ntitle: T\nleads:\n\t- LBB\ntarget: Apr-25\n", {4}, ["tab", "spaces"]),
    ("empty file", b"", {1}, ["empty"]),
    ("blank lines only", b"  \n\n \n", {1}, ["empty"]),
    ("comments only", b"# nothing yet\n", {1}, ["comments"]),
    ("Windows-1252 bytes", b"id: 5\ntitle: caf\xe9\nleads: [LBB]\ntarget: Apr-25\n", {2}, ["UTF-8", "0xe9"]),
    ("a list", b"- id: 5\n- title: T\n", {1}, ["key: value", "a list"]),
    ("a string", b"just some words\n", {1}, ["key: value", "'just some words'"]),
    ("python tag", b'!!python/object/apply:os.system ["echo hi"]\n', {1}, ["tag", "not allowed"]),
    (
        "python tag in a value",
        b'id: 5\ntitle: !!python/object/apply:os.system ["echo hi"]\nleads: [LBB]\ntarget: Apr-25\n',
        {2},
        ["tag", "not allowed"],
    ),
    ("alias bomb", alias_bomb(), set(range(1, 10)), ["aliases", "write the values out"]),
    ("self-referencing alias", b"a: &x [1, *x]\n", {1}, ["alias", "write the values out"]),
    (
        "file over 1 MiB",
        b"id: 5\ntitle: T\nleads: [LBB]\ntarget: Apr-25\nnotes: " + b"x" * (1024 * 1024) + b"\n",
        {1},
        ["MB", "split"],
    ),
    ("UTF-16", VALID_ACTION_5.encode("utf-16"), {1}, ["UTF-16", "UTF-8"]),
    ("NUL bytes", b"id: 5\x00\x00\n", {1}, ["not UTF-8", "save"]),
    (
        "duplicated key",
        b"id: 5\ntitle: T\nleads: [LBB]\ntitle: U\ntarget: Apr-25\n",
        {4},
        ["'title'", "twice", "line 2", "remove one"],
    ),
    (
        "impossible update date",
        b"id: 5\ntitle: T\nleads: [LBB]\ntarget: Apr-25\nupdates:\n"
        b"  - date: 2025-13-01\n    rag: green\n    note: Started\n",
        {6},
        ["update 1", "YYYY-MM-DD", "2025-13-01"],
    ),
    ("two documents", VALID_ACTION_5.encode() + b"---\nid: 6\n", {6}, ["more than one", "one per file"]),
    ("unhashable key", b"[a]: b\n", {1}, ["key is not a word", "quotes"]),
]


@pytest.mark.parametrize(("content", "lines", "words"), [b[1:] for b in BAD_INPUTS], ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_one_positioned_error(
    runner: CliRunner, plan: Path, content: bytes, lines: set[int], words: list[str]
) -> None:
    write(plan / TARGET, content)
    result = run_check(runner, plan)
    assert result.exit_code == 1
    found = problem_lines(result.stdout)
    assert len(found) == 1, result.stdout
    (problem,) = found
    assert problem["path"] == SHOWN
    assert problem["severity"] == "error"
    assert int(problem["line"]) in lines
    assert int(problem["column"]) >= 1
    for word in words:
        assert word in problem["message"], problem["message"]
    assert summary(result.stdout) == f"checked {BUNDLED_FILES} files: 1 error, 0 warnings"


# The same inputs as plan.yaml, except the one that only an action file can hold.
BAD_PLAN_YAML = [b for b in BAD_INPUTS if b[0] != "impossible update date"]


@pytest.mark.parametrize(
    ("content", "lines", "words"), [b[1:] for b in BAD_PLAN_YAML], ids=[b[0] for b in BAD_PLAN_YAML]
)
def test_bad_plan_yaml_is_reported_and_actions_still_checked(
    runner: CliRunner, plan: Path, content: bytes, lines: set[int], words: list[str]
) -> None:
    write(plan / "plan.yaml", content)
    write(plan / "actions" / "03-referral-processes.yaml", "id: 3\ntitle: T\nleads: [LBB]\ntarget: soon\n")
    result = run_check(runner, plan)
    assert result.exit_code == 1
    found = problem_lines(result.stdout)
    assert (found[0]["path"], found[0]["line"]) == ("plan/actions/03-referral-processes.yaml", "4")
    in_plan_yaml = found[1:]
    assert in_plan_yaml
    assert all(m["path"] == "plan/plan.yaml" for m in in_plan_yaml)
    assert any(int(m["line"]) in lines and all(w in m["message"] for w in words) for m in in_plan_yaml)


def test_python_tag_is_never_executed(runner: CliRunner, plan: Path, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    command = f"touch {marker}"
    write(plan / TARGET, f'id: 5\ntitle: !!python/object/apply:os.system ["{command}"]\n')
    write(plan / "plan.yaml", f'!!python/object/apply:os.system ["{command}"]\n')
    result = run_check(runner, plan)
    assert result.exit_code == 1
    assert not marker.exists()
    assert len(problem_lines(result.stdout)) == 2


def test_python_tag_is_never_executed_by_check_plan(plan: Path, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    write(plan / TARGET, f'!!python/object/apply:os.system ["touch {marker}"]\n')
    checked = check_plan(plan, today=TODAY, cache_dir=None)
    assert not marker.exists()
    assert checked.errors == 1
    assert "not allowed" in checked.diagnostics[0].message


def test_non_utf8_byte_position(plan: Path) -> None:
    write(plan / TARGET, b"id: 5\ntitle: caf\xe9\nleads: [LBB]\ntarget: Apr-25\n")
    (diagnostic,) = check_plan(plan, today=TODAY, cache_dir=None).diagnostics
    assert (diagnostic.path, diagnostic.line, diagnostic.column) == (plan / TARGET, 2, 11)
    assert "0xe9" in diagnostic.message
    assert "UTF-8" in diagnostic.message


def test_non_utf8_byte_after_a_bom_is_named_at_its_place(plan: Path) -> None:
    # A UTF-8 file with a BOM into which Windows-1252 text was pasted: the bad byte is the é.
    write(plan / TARGET, b"\xef\xbb\xbfid: 5\ntitle: caf\xe9\nleads: [LBB]\ntarget: Apr-25\n")
    (diagnostic,) = check_plan(plan, today=TODAY, cache_dir=None).diagnostics
    assert "0xe9" in diagnostic.message, diagnostic.message
    assert (diagnostic.line, diagnostic.column) == (2, 11)


def test_utf16_without_bom_is_an_error(runner: CliRunner, plan: Path) -> None:
    write(plan / TARGET, VALID_ACTION_5.encode("utf-16-le"))
    result = run_check(runner, plan)
    assert result.exit_code == 1
    (problem,) = problem_lines(result.stdout)
    assert problem["path"] == SHOWN


def _run_in_subprocess(folder: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VAWG_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "vawg_cli", "check", "--plan", str(folder), "--as-of", AS_OF],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_deeply_nested_brackets_do_not_crash(plan: Path, tmp_path: Path) -> None:
    # libyaml once crashed the interpreter on this: run it in a process of its own.
    write(plan / TARGET, "a: " + "[" * 100_000 + "]" * 100_000)
    completed = _run_in_subprocess(plan, tmp_path / "cache")
    assert completed.returncode == 1, completed.stderr[-2000:]
    assert "Traceback" not in completed.stderr
    assert "nested too deeply" in completed.stdout
    assert f"{TARGET}:1:" in completed.stdout


def test_deeply_nested_block_sequences_do_not_crash(plan: Path, tmp_path: Path) -> None:
    # The same depth written as block sequences ("- - - ... x") has no bracket at all.
    write(plan / TARGET, "a:\n" + "- " * 100_000 + "x\n")
    completed = _run_in_subprocess(plan, tmp_path / "cache")
    assert completed.returncode == 1, f"exit {completed.returncode} (-11 or 139 is a crash): {completed.stderr[-500:]}"
    assert "Traceback" not in completed.stderr
    assert f"{TARGET}:" in completed.stdout
    assert "error:" in completed.stdout


# --------------------------------------------------------------------------- files saved on Windows


@pytest.mark.parametrize(
    ("bom", "newline"),
    [(True, "\r\n"), (True, "\n"), (False, "\r\n")],
    ids=["BOM and CRLF", "BOM", "CRLF"],
)
def test_windows_saved_files_are_valid(runner: CliRunner, plan: Path, bom: bool, newline: str) -> None:
    for path in [plan / "plan.yaml", *sorted((plan / "actions").iterdir())]:
        text = path.read_text(encoding="utf-8").replace("\n", newline)
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    raw = (plan / TARGET).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == bom
    assert raw.count(b"\r\n") == (raw.count(b"\n") if newline == "\r\n" else 0)
    result = run_check(runner, plan)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines() == [f"checked {BUNDLED_FILES} files: no problems"]


def test_windows_saved_file_keeps_exact_positions(plan: Path) -> None:
    write(plan / TARGET, b"\xef\xbb\xbfid: 5\r\ntitle: T\r\nleads:\r\n  - LBB\r\ntarget: soon\r\n")
    (diagnostic,) = check_plan(plan, today=TODAY, cache_dir=None).diagnostics
    assert (diagnostic.line, diagnostic.column) == (5, 9)
    assert "'soon'" in diagnostic.message


# --------------------------------------------------------------------------- what is checked


def test_unknown_key_suggests_the_right_one(runner: CliRunner, small_plan: Path) -> None:
    write(small_plan / "actions" / "01-a.yaml", "id: 1\ntittle: T\nleads: [LBB]\ntarget: Apr-25\n")
    result = run_check(runner, small_plan)
    assert result.exit_code == 1
    lines = problem_lines(result.stdout)
    messages = [m["message"] for m in lines]
    assert any("unknown key 'tittle' (did you mean 'title'?)" in m for m in messages), messages
    unknown = next(m for m in lines if "tittle" in m["message"])
    assert (unknown["line"], unknown["column"]) == ("2", "1")  # on the key, not its value


def test_unknown_key_in_an_update_suggests_the_right_one(small_plan: Path) -> None:
    write(
        small_plan / "actions" / "01-a.yaml",
        "id: 1\ntitle: T\nleads: [LBB]\ntarget: Apr-25\nupdates:\n"
        "  - date: 2025-05-01\n    rag: green\n    note: Begun\n    bye: LBB\n",
    )
    diagnostics = check_plan(small_plan, today=TODAY, cache_dir=None).diagnostics
    (diagnostic,) = diagnostics
    assert "update 1: unknown key 'bye' (did you mean 'by'?)" in diagnostic.message
    assert (diagnostic.line, diagnostic.column) == (9, 5)


def test_unknown_key_in_plan_yaml_suggests_the_right_one(runner: CliRunner, small_plan: Path) -> None:
    write(small_plan / "plan.yaml", PLAN_YAML + "due_son_days: 14\n")
    result = run_check(runner, small_plan)
    assert result.exit_code == 1
    (problem,) = problem_lines(result.stdout)
    assert problem["path"] == "plan/plan.yaml"
    assert problem["line"] == "6"
    assert "(did you mean 'due_soon_days'?)" in problem["message"]


def test_unknown_lead_suggests_a_partner(runner: CliRunner, plan: Path) -> None:
    write(plan / TARGET, "id: 5\ntitle: T\nleads:\n  - Mett\ntarget: Apr-25\n")
    result = run_check(runner, plan)
    assert result.exit_code == 1
    (problem,) = problem_lines(result.stdout)
    assert problem.group(0).startswith(f"{SHOWN}:4:5: error: ")
    assert "unknown partner 'Mett' (did you mean 'Met'?)" in problem["message"]
    assert "plan.yaml" in problem["message"]


def test_lead_in_wrong_case_suggests_the_code(plan: Path) -> None:
    write(plan / TARGET, "id: 5\ntitle: T\nleads: [lbb]\ntarget: Apr-25\n")
    (diagnostic,) = check_plan(plan, today=TODAY, cache_dir=None).diagnostics
    assert "(did you mean 'LBB'?)" in diagnostic.message


def test_several_leads_in_one_line(plan: Path) -> None:
    write(plan / TARGET, "id: 5\ntitle: T\nleads: LBB / Met\ntarget: Apr-25\n")
    (diagnostic,) = check_plan(plan, today=TODAY, cache_dir=None).diagnostics
    assert "names several partners" in diagnostic.message
    assert "[LBB, Met]" in diagnostic.message
    assert diagnostic.line == 3


@pytest.mark.parametrize("written", ["LBB; Met", "LBB + Met", "LBB, Met", "LBB & Met", "LBB and Met", '"LBB\\nMet"'])
def test_several_leads_split_as_import_splits_them(plan: Path, written: str) -> None:
    """check knows every separator `vawg import` splits joint leads at (plan/leads.py)."""
    write(plan / TARGET, f"id: 5\ntitle: T\nleads: {written}\ntarget: Apr-25\n")
    (diagnostic,) = check_plan(plan, today=TODAY, cache_dir=None).diagnostics
    assert "names several partners" in diagnostic.message
    assert "[LBB, Met]" in diagnostic.message


def test_lead_that_is_a_partner_is_accepted(plan: Path) -> None:
    write(plan / TARGET, "id: 5\ntitle: T\nleads: [Vol Sector, Met]\ntarget: Apr-25\n")
    assert check_plan(plan, today=TODAY, cache_dir=None).diagnostics == ()


@pytest.mark.parametrize(
    ("yaml_text", "line", "column", "words"),
    [
        ("id: five\ntitle: T\nleads: [LBB]\ntarget: Apr-25\n", 1, 5, ["id must be a positive whole number", "'five'"]),
        ("id: 0\ntitle: T\nleads: [LBB]\ntarget: Apr-25\n", 1, 5, ["positive whole number"]),
        ("id: 1\ntitle: 42\nleads: [LBB]\ntarget: Apr-25\n", 2, 8, ["title must be text", "quotes"]),
        ("id: 1\ntitle: T\nleads: {LBB: x}\ntarget: Apr-25\n", 3, 8, ["leads must be a list"]),
        ("id: 1\ntitle: T\nleads: []\ntarget: Apr-25\n", 3, 8, ["leads is empty"]),
        ("id: 1\ntitle: T\nleads: [LBB]\ntarget: Apr-25\nupdates: 3\n", 5, 10, ["updates must be a list"]),
        ("id: 1\ntitle: T\nleads: [LBB]\ntarget: Apr-25\nupdates:\n  - hello\n", 6, 5, ["update 1", "mapping"]),
        (
            "id: 1\ntitle: T\nleads: [LBB]\ntarget: Apr-25\nupdates:\n"
            "  - date: 2025-05-01\n    rag: gren\n    note: n\n",
            7,
            10,
            ["'gren' is not a colour", "(did you mean 'green'?)"],
        ),
        (
            "id: 1\ntitle: T\nleads: [LBB]\ntarget: Apr-25\nupdates:\n"
            "  - date: 2025-05-01\n    rag: green\n    note: n\n    restricted: maybe\n",
            9,
            17,
            ["restricted must be true or false"],
        ),
        ("id: 1\ntitle: T\nleads: [LBB]\ntarget: soon\n", 4, 9, ["target 'soon'", "Apr-25", "Quarterly"]),
        ("id: 1\ntitle: T\nleads: [LBB]\ntarget: 2025-13-01\n", 4, 9, ["not a real date"]),
        ("id: 1\ntitle: T\nleads: [LBB]\n", 1, 1, ["missing required key 'target'"]),
        ("id: 1\ntitle: ''\nleads: [LBB]\ntarget: Apr-25\n", 2, 8, ["title is empty"]),
    ],
    ids=[
        "id text",
        "id zero",
        "title number",
        "leads mapping",
        "leads empty",
        "updates number",
        "update text",
        "rag typo",
        "restricted text",
        "target unknown",
        "target impossible date",
        "target missing",
        "title empty",
    ],
)
def test_wrong_values_are_positioned_exactly(
    runner: CliRunner, small_plan: Path, yaml_text: str, line: int, column: int, words: list[str]
) -> None:
    write(small_plan / "actions" / "01-a.yaml", yaml_text)
    result = run_check(runner, small_plan)
    assert result.exit_code == 1
    (problem,) = problem_lines(result.stdout)
    assert problem.group(0).startswith(f"plan/actions/01-a.yaml:{line}:{column}: error: "), problem.group(0)
    for word in words:
        assert word in problem["message"], problem["message"]


def test_target_position_is_exact_in_json(runner: CliRunner, small_plan: Path) -> None:
    write(small_plan / "actions" / "01-a.yaml", "id: 1\ntitle: T\nleads: [LBB]\ntarget: soon\n")
    result = run_check(runner, small_plan, "--format", "json")
    assert result.exit_code == 1
    (entry,) = json.loads(result.stdout)
    assert entry["path"] == "plan/actions/01-a.yaml"
    assert (entry["line"], entry["column"], entry["severity"]) == (4, 9, "error")
    assert "'soon'" in entry["message"]


def test_several_errors_in_one_file_are_all_reported(small_plan: Path) -> None:
    write(small_plan / "actions" / "01-a.yaml", "id: x\ntittle: T\nleads: 7\ntarget: soon\n")
    checked = check_plan(small_plan, today=TODAY, cache_dir=None)
    positions = [(d.line, d.column) for d in checked.diagnostics]
    assert positions == [(1, 1), (1, 5), (2, 1), (3, 8), (4, 9)]
    assert checked.errors == 5
    messages = " | ".join(d.message for d in checked.diagnostics)
    for word in ("id must be", "missing required key 'title'", "'tittle'", "leads must be", "target 'soon'"):
        assert word in messages


@pytest.mark.parametrize(
    ("plan_yaml", "line", "words"),
    [
        (PLAN_YAML.replace("2024-04-01", "2024-02-30"), 2, ["start must be a date", "YYYY-MM-DD"]),
        (PLAN_YAML.replace("end: 2028-04-30", "end: 2023-04-30"), 3, ["ends", "before it starts"]),
        (PLAN_YAML + "year_start_month: 13\n", 6, ["from 1 to 12"]),
        (PLAN_YAML + "rag:\n  pink: Pink\n", 7, ["'pink' is not a colour"]),
    ],
    ids=["impossible start", "end before start", "month 13", "unknown colour"],
)
def test_bad_plan_settings(runner: CliRunner, small_plan: Path, plan_yaml: str, line: int, words: list[str]) -> None:
    write(small_plan / "plan.yaml", plan_yaml)
    result = run_check(runner, small_plan)
    assert result.exit_code == 1
    (problem,) = problem_lines(result.stdout)
    assert problem["path"] == "plan/plan.yaml"
    assert int(problem["line"]) == line
    for word in words:
        assert word in problem["message"], problem["message"]


def test_duplicate_ids(runner: CliRunner, plan: Path) -> None:
    write(plan / "actions" / "5-copy.yaml", VALID_ACTION_5)
    result = run_check(runner, plan)
    assert result.exit_code == 1
    (problem,) = problem_lines(result.stdout)
    assert problem.group(0).startswith("plan/actions/5-copy.yaml:1:5: error: ")
    assert "id 5 is already used by 05-professionals-training.yaml" in problem["message"]
    assert "give this action a free id, such as 11" in problem["message"]
    assert summary(result.stdout) == f"checked {BUNDLED_FILES + 1} files: 1 error, 0 warnings"


def test_file_number_must_match_id(runner: CliRunner, plan: Path) -> None:
    path = plan / "actions" / "03-referral-processes.yaml"
    write(path, path.read_text(encoding="utf-8").replace("id: 3", "id: 12"))
    result = run_check(runner, plan)
    assert result.exit_code == 1
    (problem,) = problem_lines(result.stdout)
    assert problem.group(0).startswith("plan/actions/03-referral-processes.yaml:4:5: error: ")
    assert "starts with 03 but the id is 12" in problem["message"]
    assert "rename the file to 12-referral-processes.yaml" in problem["message"]


def test_file_name_without_number(plan: Path) -> None:
    write(plan / "actions" / "extra.yml", VALID_ACTION_5.replace("id: 5", "id: 11"))
    (diagnostic,) = check_plan(plan, today=TODAY, cache_dir=None).diagnostics
    assert diagnostic.path == plan / "actions" / "extra.yml"
    assert "does not start with a number" in diagnostic.message
    assert "rename the file to 11-extra.yml" in diagnostic.message


def _file_name_finding(name: str, action_id: int) -> str:
    action = Action(id=action_id, title="T", leads=("LBB",), target="Apr-25", schedule=parse_target("Apr-25"))
    (finding,) = across_files(None, None, Path("plan/plan.yaml"), Path("plan/actions"), [(name, action)], TODAY)
    assert (finding.path, finding.loc) == (Path("plan/actions") / name, ("id",))
    return finding.message


@pytest.mark.parametrize(
    ("name", "found", "wanted"),
    [
        ("03-referral.yaml", "starts with 03", "05-referral.yaml"),
        ("3_Xmas campaign.yaml", "starts with 3", "05-Xmas campaign.yaml"),
        ("03.yaml", "starts with 03", "05.yaml"),
        ("3.v2.yaml", "starts with 3", "05-v2.yaml"),
        ("extra.yml", "does not start with a number", "05-extra.yml"),
    ],
)
def test_file_name_message_gives_the_name_to_rename_to(name: str, found: str, wanted: str) -> None:
    assert _file_name_finding(name, 5) == (
        f"the file name {found} but the id is 5; rename the file to {wanted} (or correct the id)"
    )


class TestRulesAcrossFiles:
    """The rules of checks.py called directly, with the whole message each one gives."""

    PARTNERS = ("LBB", "Met")
    PERIOD = (date(2024, 4, 1), date(2028, 4, 30), 4)  # start, end, year_start_month
    ACTIONS = Path("plan/actions")

    @staticmethod
    def action(
        id: int,
        target: str = "Apr-25",
        *,
        updates: tuple[Update, ...] = (),
        target_history: tuple[TargetChange, ...] = (),
        added: date | None = None,
    ) -> Action:
        schedule = parse_target(target)
        return Action(id, "T", ("LBB",), target, schedule, updates, target_history=target_history, added=added)

    def check(self, *actions: tuple[str, Action | Partial]) -> list[tuple[str, tuple[str | int, ...], str, str]]:
        findings: list[Finding] = across_files(
            self.PARTNERS, self.PERIOD, Path("plan/plan.yaml"), self.ACTIONS, list(actions), TODAY
        )
        return [(f.path.name, f.loc, f.message, f.severity) for f in findings]

    def test_updates_out_of_order(self) -> None:
        updates = (Update(date(2025, 6, 1), Rag.GREEN, "a"), Update(date(2025, 5, 1), Rag.GREEN, "b"))
        assert update_order(self.action(1, updates=updates)) == [
            (
                ("updates", 1, "date"),
                "update 2 (2025-05-01) is dated before update 1 (2025-06-01); "
                "updates go oldest first: move it up or correct its date",
            )
        ]

    def test_personal_data_in_notes_that_are_not_restricted(self) -> None:
        updates = (
            Update(date(2025, 5, 1), Rag.GREEN, "Spoke to jo@example.org", restricted=True),
            Update(date(2025, 6, 1), Rag.GREEN, "Call 020 7946 0123 at SE1 7PB"),
            Update(date(2025, 7, 1), Rag.GREEN, "Call jo@example.org or 020 7946 0123 at SE1 7PB"),
            Update(date(2025, 8, 1), Rag.GREEN, "Email jo@example.org"),
        )
        advice = (
            ", and it is not restricted, so it would appear in public reports; "
            "remove the personal data, or add `restricted: true` to this update"
        )
        assert personal_data_in_notes(self.action(1, updates=updates)) == [
            (
                ("updates", 1, "note"),
                f"update 2: this note looks like it holds a UK phone number and a UK postcode{advice}",
            ),
            (
                ("updates", 2, "note"),
                "update 3: this note looks like it holds an email address, a UK phone number and a UK postcode"
                + advice,
            ),
            (("updates", 3, "note"), f"update 4: this note looks like it holds an email address{advice}"),
        ]

    @pytest.mark.parametrize(
        ("days", "out_of_order"),
        [
            (["2025-01-10", "2025-03-01", "2025-04-01"], []),
            (["2025-01-10", "2025-01-10", "2025-01-10"], []),  # the same day is not out of order
            (["2025-03-01", "2025-01-10", "2025-04-01"], [2]),
            (["2025-01-10", "2025-03-01", "2025-02-01"], [3]),
        ],
    )
    def test_target_changes_go_oldest_first(self, days: list[str], out_of_order: list[int]) -> None:
        targets = ["Apr-25", "Jun-25", "Sep-25", "Dec-25"]
        history = tuple(
            TargetChange(date.fromisoformat(day), targets[i], targets[i + 1], "r") for i, day in enumerate(days)
        )
        assert target_history(self.action(1, "Dec-25", target_history=history)) == [
            (
                ("target_history", n - 1, "date"),
                f"target change {n} is dated before change {n - 1}; changes go oldest first",
            )
            for n in out_of_order
        ]

    def test_a_repeated_id_is_given_its_file_number_or_the_lowest_free_ids(self) -> None:
        found = self.check(
            ("02-a.yaml", self.action(2)),
            ("03-b.yaml", self.action(2)),  # its own number, 3, is free
            ("02-c.yaml", self.action(2)),  # the lowest free id, 1
            ("02-d.yaml", self.action(2)),  # 3 is spoken for now: 4
        )
        used = "id 2 is already used by 02-a.yaml; ids are unique: give this action a free id, such as"
        assert found == [
            (name, ("id",), f"{used} {n}, and start the file name with it", "error")
            for name, n in [("03-b.yaml", 3), ("02-c.yaml", 1), ("02-d.yaml", 4)]
        ]

    def test_the_target_must_be_where_the_last_target_change_moved_it(self) -> None:
        history = (
            TargetChange(date(2025, 1, 10), "Apr-25", "Jun-25", "r"),
            TargetChange(date(2025, 2, 10), "Jun-25", "Sep-25", "r"),
            TargetChange(date(2025, 3, 10), "Sep-25", "Dec-25", "r"),
        )
        assert target_history(self.action(1, "Mar-26", target_history=history)) == [
            (
                ("target",),
                "the last recorded target change moved it to 'Dec-25', but the target is 'Mar-26'; "
                "change targets with `vawg retarget`, or correct target_history",
            )
        ]

    def test_each_target_change_starts_where_the_one_before_left_it(self) -> None:
        history = (
            TargetChange(date(2025, 1, 10), "Apr-25", "Jun-25", "r"),
            TargetChange(date(2025, 2, 10), "Jul-25", "Sep-25", "r"),
        )
        assert target_history(self.action(1, "Sep-25", target_history=history)) == [
            (
                ("target_history", 1, "from"),
                "target change 2 starts from 'Jul-25', but change 1 moved the target to 'Jun-25'; correct its from",
            )
        ]

    def test_a_target_change_dated_in_the_future(self) -> None:
        history = (
            TargetChange(TODAY, "Apr-25", "Jun-25", "r"),
            TargetChange(date(2026, 11, 25), "Jun-25", "Sep-25", "r"),
        )
        assert self.check(("01-a.yaml", self.action(1, "Sep-25", target_history=history))) == [
            (
                "01-a.yaml",
                ("target_history", 1, "date"),
                "target change 2 is dated 2026-11-25, in the future (today is 2026-11-24); "
                "a change is recorded on the day it is agreed: correct its date",
                "error",
            )
        ]

    def test_a_partner_whose_name_holds_and_is_one_of_several_leads(self) -> None:
        partners = ("LBB", "Health and Wellbeing Board")
        lead = "LBB / Health and Wellbeing Board"
        (finding,) = across_files(
            partners, None, Path("plan/plan.yaml"), self.ACTIONS, [("01-a.yaml", Partial(1, (lead,)))], TODAY
        )
        assert finding.message == (
            "'LBB / Health and Wellbeing Board' names several partners; write each on its own line of leads, "
            "e.g. [LBB, Health and Wellbeing Board]"
        )

    def test_a_partial_record_does_not_stop_the_files_after_it_being_checked(self) -> None:
        found = self.check(
            ("01-broken.yaml", Partial(None, ("LBB",))),
            ("03-broken.yaml", Partial(3, ("LBB",))),
            ("04-late.yaml", self.action(4, added=date(2026, 11, 25))),
        )
        assert [(name, loc) for name, loc, _, _ in found] == [("04-late.yaml", ("added",))]

    def test_added_in_the_future(self) -> None:
        assert self.check(("01-a.yaml", self.action(1, added=TODAY))) == []
        assert self.check(("01-a.yaml", self.action(1, added=date(2026, 11, 25)))) == [
            (
                "01-a.yaml",
                ("added",),
                "added is 2026-11-25, in the future (today is 2026-11-24); correct the date",
                "error",
            )
        ]

    def test_an_update_in_the_future(self) -> None:
        updates = (Update(TODAY, Rag.GREEN, "today"), Update(date(2026, 11, 25), Rag.GREEN, "tomorrow"))
        assert self.check(("01-a.yaml", self.action(1, updates=updates))) == [
            (
                "01-a.yaml",
                ("updates", 1, "date"),
                "update 2 is dated 2026-11-25, in the future (today is 2026-11-24); correct its date",
                "error",
            )
        ]

    def test_a_one_off_target_outside_the_plan_period_is_a_warning(self) -> None:
        assert (
            self.check(("01-a.yaml", self.action(1, "2024-04-01")), ("02-b.yaml", self.action(2, "2028-04-30"))) == []
        )
        assert self.check(("01-a.yaml", self.action(1, "2024-03-31"))) == [
            (
                "01-a.yaml",
                ("target",),
                "target '2024-03-31' (2024-03-31) falls outside the plan period 2024-04-01 to 2028-04-30",
                "warning",
            )
        ]

    @pytest.mark.parametrize(
        ("lead", "message"),
        [
            (
                "LBB / Met",
                "'LBB / Met' names several partners; write each on its own line of leads, e.g. [LBB, Met]",
            ),
            (
                "LBB,",
                "unknown partner 'LBB,' (did you mean 'LBB'?); partners are listed in plan/plan.yaml: LBB, Met",
            ),
            ("Mett", "unknown partner 'Mett' (did you mean 'Met'?); partners are listed in plan/plan.yaml: LBB, Met"),
        ],
    )
    def test_a_lead_that_is_not_a_partner(self, lead: str, message: str) -> None:
        assert self.check(("01-a.yaml", Partial(1, ("LBB", lead)))) == [("01-a.yaml", ("leads", 1), message, "error")]


def test_non_yaml_and_hidden_files_are_ignored(runner: CliRunner, plan: Path) -> None:
    write(plan / "actions" / "README.md", "not: [yaml")
    write(plan / "actions" / ".05-backup.yaml", "not: [yaml")
    (plan / "actions" / "99-folder.yaml").mkdir()
    (plan / "actions" / "98-dangling.yaml").symlink_to(plan / "actions" / "nowhere.yaml")
    result = run_check(runner, plan)
    assert result.exit_code == 0
    warnings = [line for line in result.stdout.splitlines() if ": warning: " in line]
    assert [w.split(":")[0] for w in warnings] == ["plan/actions/98-dangling.yaml", "plan/actions/99-folder.yaml"]
    assert "not read: this is a broken link, not an action file; remove it, or replace it" in warnings[0]
    assert warnings[1].endswith("not read: this is a folder, not an action file")
    assert summary(result.stdout) == f"checked {BUNDLED_FILES} files: 0 errors, 2 warnings"


def test_upper_case_suffix_is_read(runner: CliRunner, plan: Path) -> None:
    (plan / "actions" / "05-professionals-training.yaml").rename(plan / "actions" / "05-professionals-training.YAML")
    result = run_check(runner, plan)
    assert result.exit_code == 0, result.stdout
    assert summary(result.stdout) == f"checked {BUNDLED_FILES} files: no problems"


def test_actions_path_that_is_a_file_is_an_error_not_a_crash(runner: CliRunner, plan: Path) -> None:
    shutil.rmtree(plan / "actions")
    write(plan / "actions", "not a folder")
    result = run_check(runner, plan)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "plan/actions:1:1: error: actions is a file, not a folder" in result.stdout
    assert "make actions/ a folder" in result.stdout  # what to do, not only what went wrong


UPDATES = (
    "id: 5\ntitle: T\nleads: [LBB]\ntarget: Apr-25\nupdates:\n"
    "  - date: 2025-05-01\n    rag: amber\n    note: First\n"
    "  - date: {second}\n    rag: green\n    note: Second\n"
)


def test_updates_out_of_order(runner: CliRunner, plan: Path) -> None:
    write(plan / TARGET, UPDATES.format(second="2025-04-01"))
    result = run_check(runner, plan)
    assert result.exit_code == 1
    (problem,) = problem_lines(result.stdout)
    assert problem.group(0).startswith(f"{SHOWN}:9:11: error: ")
    assert "update 2 (2025-04-01) is dated before update 1 (2025-05-01)" in problem["message"]
    assert "oldest first" in problem["message"]


def test_updates_on_the_same_day_are_in_order(plan: Path) -> None:
    write(plan / TARGET, UPDATES.format(second="2025-05-01"))
    assert check_plan(plan, today=TODAY, cache_dir=None).diagnostics == ()


def test_update_in_the_future_relative_to_as_of(runner: CliRunner, plan: Path) -> None:
    write(plan / TARGET, UPDATES.format(second="2026-11-25"))
    result = run_check(runner, plan)
    assert result.exit_code == 1
    (problem,) = problem_lines(result.stdout)
    assert problem.group(0).startswith(f"{SHOWN}:9:11: error: ")
    assert "2026-11-25, in the future (today is 2026-11-24)" in problem["message"]
    assert "correct its date" in problem["message"]
    later = runner.invoke(app, ["check", "--plan", str(plan), "--as-of", "2026-11-25"])
    assert later.exit_code == 0, later.stdout


def test_update_in_the_future_relative_to_today_parameter(plan: Path) -> None:
    write(plan / TARGET, UPDATES.format(second="2026-11-25"))
    assert check_plan(plan, today=date(2026, 11, 25), cache_dir=None).diagnostics == ()
    (diagnostic,) = check_plan(plan, today=date(2026, 11, 24), cache_dir=None).diagnostics
    assert "in the future" in diagnostic.message
    assert (diagnostic.line, diagnostic.column) == (9, 11)


def test_target_outside_the_plan_period_is_a_warning(runner: CliRunner, plan: Path) -> None:
    write(plan / TARGET, VALID_ACTION_5.replace("Apr-25", "2030-01-01"))
    result = run_check(runner, plan)
    assert result.exit_code == 0
    (problem,) = problem_lines(result.stdout)
    assert problem["severity"] == "warning"
    assert problem.group(0).startswith(f"{SHOWN}:5:9: warning: ")
    assert "outside the plan period" in problem["message"]
    assert summary(result.stdout) == f"checked {BUNDLED_FILES} files: 0 errors, 1 warning"


# --------------------------------------------------------------------------- everything in one run


def _break_several_files(plan: Path) -> list[tuple[str, int]]:
    """Problems in four files, written out of path order; returns (path, line) of each, sorted."""
    write(
        plan / "actions" / "09-community-safety-funding.yaml",
        "id: 9\ntitle: T\nleads: [Mett]\ntarget: Apr-25\nupdates:\n"
        "  - date: 2027-01-01\n    rag: amber\n    note: Late\n",
    )
    write(plan / "actions" / "02-raise-awareness.yaml", b"id: 2\ntitle: caf\xe9\n")
    write(plan / TARGET, UPDATES.format(second="2025-04-01").replace("id: 5", "id: 5\ntittle: x"))
    write(plan / "actions" / "07-victim-centred-support.yaml", "id: 7\ntitle: T\n\tleads: [LBB]\ntarget: Apr-25\n")
    return [
        ("plan/actions/02-raise-awareness.yaml", 2),
        ("plan/actions/05-professionals-training.yaml", 2),
        ("plan/actions/07-victim-centred-support.yaml", 3),
        ("plan/actions/09-community-safety-funding.yaml", 3),
        ("plan/actions/09-community-safety-funding.yaml", 6),
    ]


def test_every_problem_in_every_file_in_one_run(runner: CliRunner, plan: Path) -> None:
    expected = _break_several_files(plan)
    result = run_check(runner, plan)
    assert result.exit_code == 1
    found = [(m["path"], int(m["line"])) for m in problem_lines(result.stdout)]
    assert found == expected
    assert len(result.stdout.splitlines()) == len(expected) + 1
    assert summary(result.stdout) == f"checked {BUNDLED_FILES} files: {len(expected)} errors, 0 warnings"


def test_check_plan_sorts_by_path_then_line(plan: Path) -> None:
    _break_several_files(plan)
    write(plan / "plan.yaml", (plan / "plan.yaml").read_text(encoding="utf-8") + "colour: red\n")
    checked = check_plan(plan, today=TODAY, cache_dir=None)
    keys = [(str(d.path), d.line, d.column) for d in checked.diagnostics]
    assert keys == sorted(keys)
    assert {d.path.name for d in checked.diagnostics} == {
        "plan.yaml",
        "02-raise-awareness.yaml",
        "05-professionals-training.yaml",
        "07-victim-centred-support.yaml",
        "09-community-safety-funding.yaml",
    }
    assert checked.errors == len(checked.diagnostics)
    assert checked.plan is None  # plan.yaml is invalid


def test_json_lists_every_problem(runner: CliRunner, plan: Path) -> None:
    expected = _break_several_files(plan)
    write(plan / "actions" / "01-update-strategy.yaml", VALID_ACTION_5.replace("5", "1").replace("Apr-25", "2030-01"))
    result = run_check(runner, plan, "--format", "json")
    assert result.exit_code == 1
    entries = json.loads(result.stdout)  # stdout is nothing but JSON
    assert all(set(e) == {"path", "line", "column", "severity", "message"} for e in entries)
    assert [(e["path"], e["line"]) for e in entries if e["severity"] == "error"] == expected
    (warning,) = [e for e in entries if e["severity"] == "warning"]
    assert (warning["path"], warning["line"], warning["column"]) == ("plan/actions/01-update-strategy.yaml", 5, 9)
    assert all(isinstance(e["line"], int) and isinstance(e["column"], int) for e in entries)


def test_json_stays_pure_when_the_bundled_plan_is_used(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", "--format", "json", "--as-of", AS_OF])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert "bundled example plan" in result.stderr


def test_json_matches_text(runner: CliRunner, plan: Path) -> None:
    _break_several_files(plan)
    text = run_check(runner, plan)
    entries = json.loads(run_check(runner, plan, "--format", "json").stdout)
    assert [f"{e['path']}:{e['line']}:{e['column']}: {e['severity']}: {e['message']}" for e in entries] == (
        text.stdout.splitlines()[:-1]
    )


def test_cached_run_reports_the_same(runner: CliRunner, plan: Path) -> None:
    _break_several_files(plan)
    first = run_check(runner, plan)
    assert list(Path(os.environ["VAWG_CACHE_DIR"]).glob("plan-*.pickle")), "the first run fills the cache"
    second = run_check(runner, plan)
    assert second.stdout == first.stdout
    assert second.exit_code == first.exit_code == 1


def test_edited_file_is_not_served_from_cache(runner: CliRunner, plan: Path) -> None:
    run_check(runner, plan)
    write(plan / TARGET, VALID_ACTION_5.replace("Apr-25", "soon"))
    result = run_check(runner, plan)
    assert result.exit_code == 1
    (problem,) = problem_lines(result.stdout)
    assert "'soon'" in problem["message"]
    write(plan / TARGET, VALID_ACTION_5)
    assert run_check(runner, plan).exit_code == 0


# --------------------------------------------------------------------------- the plan itself


@pytest.mark.parametrize(
    "partners",
    ["", "partners:\n", "partners: {}\n"],
    ids=["no partners key", "empty partners key", "empty partners mapping"],
)
def test_plan_without_partners_is_one_problem(runner: CliRunner, plan: Path, partners: str) -> None:
    write(plan / "plan.yaml", "title: T\nstart: 2024-04-01\nend: 2028-04-30\n" + partners)
    result = run_check(runner, plan)
    assert result.exit_code == 1
    (problem,) = problem_lines(result.stdout)  # not one per lead in every action
    assert problem["path"] == "plan/plan.yaml"
    assert "partners" in problem["message"]


@pytest.mark.parametrize(
    "partners",
    ["", "partners:\n", "partners: {}\n"],
    ids=["no partners key", "empty partners key", "empty partners mapping"],
)
def test_plan_without_partners_says_what_to_do(plan: Path, partners: str) -> None:
    write(plan / "plan.yaml", "title: T\nstart: 2024-04-01\nend: 2028-04-30\n" + partners)
    (diagnostic,) = check_plan(plan, today=TODAY, cache_dir=None).diagnostics
    assert "partners" in diagnostic.message
    assert "add" in diagnostic.message.lower(), diagnostic.message


def test_missing_plan_folder(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-plan"
    result = runner.invoke(app, ["check", "--plan", str(missing), "--as-of", AS_OF])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("vawg: error: ")
    assert str(missing) in line
    assert f"vawg init {missing}" in line


def test_folder_without_plan_yaml(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "actions").mkdir()
    result = runner.invoke(app, ["check", "--plan", str(tmp_path), "--as-of", AS_OF])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("vawg: error: ")
    assert "has no plan.yaml" in line
    assert "vawg init" in line


def test_check_plan_without_plan_yaml_raises(tmp_path: Path) -> None:
    with pytest.raises(PlanNotFound, match="vawg init"):
        check_plan(tmp_path, today=TODAY, cache_dir=None)


def test_plan_may_name_the_repository_or_plan_yaml(runner: CliRunner, plan: Path) -> None:
    for given in (plan.parent, plan / "plan.yaml"):
        result = run_check(runner, given)
        assert result.exit_code == 0
        assert summary(result.stdout) == f"checked {BUNDLED_FILES} files: no problems"


def test_an_invalid_action_file_is_still_checked_against_the_others(runner: CliRunner, bundled_copy: Path) -> None:
    """Every problem in one run: a typo in a file does not hide its unknown partner or clashing id."""
    write(bundled_copy / "actions" / "03-referral-processes.yaml", b"id: 4\ntittle: x\nleads: [Mett]\ntarget: Apr-25\n")
    for _ in range(2):  # cold, then from the parse cache
        result = runner.invoke(app, ["check", "--plan", str(bundled_copy), "--as-of", "2026-11-24"])
        assert result.exit_code == 1
        messages = [line.split(": error: ", 1)[1] for line in result.stdout.splitlines() if ": error: " in line]
        assert len(messages) == 5, result.stdout
        assert any(m.startswith("unknown key 'tittle'") for m in messages)
        assert any(m.startswith("missing required key 'title'") for m in messages)
        assert any(m.startswith("unknown partner 'Mett'") for m in messages)
        assert any("the file name starts with 03 but the id is 4" in m for m in messages)
        assert any(m.startswith("id 4 is already used by 03-referral-processes.yaml") for m in messages)


ACTION_HEAD = b"id: 5\ntitle: x\nleads: [LBB]\ntarget: Apr-25\n"
PLAN_HEAD = b"title: T\nstart: 2024-04-01\nend: 2028-04-30\n"
# The two kinds of file `parse_plan_file` reads; a test given either is checked for both.
Record = TypeVar("Record", Action, PlanSettings)


@pytest.mark.parametrize(
    ("raw", "record", "position", "words"),
    [
        (b"id: 5\ntitle: a\x01b\nleads: [LBB]\ntarget: Apr-25\n", Action, (2, 9), "U+0001 is a control character"),
        (ACTION_HEAD + b"2025-01-01: y\n", Action, (5, 1), "key is not a word"),
        (ACTION_HEAD + b"1: y\n", Action, (5, 1), "put it in quotes"),
        (b"id: 5\ntitle: x\nleads: [LBB, 2]\ntarget: Apr-25\n", Action, (3, 14), "leads item 2 must be text"),
        (b"id: true\ntitle: x\nleads: [LBB]\ntarget: Apr-25\n", Action, (1, 5), "found true (a yes/no value)"),
        (b"id: 5\ntitle: x\nleads: [LBB]\ntarget: April 25\n", Action, (4, 9), "is not a date or a schedule"),
        (b"id: 5\ntitle: x\nleads: [LBB]\ntarget: Apr-0025\n", Action, (4, 9), "the year 25 is not a year of a plan"),
        (b"id: 5\ntitle: 2025-01-01\nleads: [LBB]\ntarget: Apr-25\n", Action, (2, 8), "found the date 2025-01-01"),
        ("id: 5\ntitle: \u00e9\u00e9".encode() + b"\xff\n", Action, (2, 10), "byte 0xff is not UTF-8"),
        (PLAN_HEAD + b"partners:\n  LBB: x\n  Met:\n", PlanSettings, (6, 7), "partner 'Met' has no full name"),
        (PLAN_HEAD + b"partners: {LBB: x}\nrag:\n  purple: y\n", PlanSettings, (6, 3), "'purple' is not a colour"),
        (PLAN_HEAD + b"partners: {LBB: x}\nrag:\n  Red: y\n  red: z\n", PlanSettings, (6, 3), "'red' is given twice"),
        (
            b"title: T\nstart: 2024-04-01\nend: 9999-12-31\npartners: {LBB: x}\n",
            PlanSettings,
            (3, 6),
            "not a date within a plan's reach",
        ),
        (PLAN_HEAD, PlanSettings, (1, 1), "lists no partners; add `partners:`"),
    ],
)
def test_message_and_position(raw: bytes, record: type[Record], position: tuple[int, int], words: str) -> None:
    result, problems = parse_plan_file(raw, record)
    assert result is None or problems
    assert len(problems) == 1, problems
    line, column, severity, message = problems[0]
    assert (line, column, severity) == (*position, "error")
    assert words in message


def test_merge_keys_are_allowed() -> None:
    raw = (
        ACTION_HEAD
        + b"updates:\n  - &first {date: 2025-01-01, rag: green, note: First}\n  - {<<: *first, date: 2025-02-01}\n"
    )
    result, problems = parse_plan_file(raw, Action)
    assert problems == ()
    assert isinstance(result, Action)
    assert [(u.date.isoformat(), u.note) for u in result.updates] == [("2025-01-01", "First"), ("2025-02-01", "First")]


def test_leads_are_checked_while_plan_yaml_has_other_errors(runner: CliRunner, plan: Path) -> None:
    plan_file = plan / "plan.yaml"
    plan_file.write_text(plan_file.read_text().replace("end: 2028-04-30", "end: 2020-01-01"))
    action = plan / "actions" / "03-referral-processes.yaml"
    action.write_text(action.read_text().replace("  - Met\n", "  - Mett\n"))
    result = run_check(runner, plan)
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert len(errors) == 2, result.stdout
    assert errors[0].startswith("plan/actions/03-referral-processes.yaml:8:5: error: unknown partner 'Mett'")
    assert errors[1].startswith("plan/plan.yaml:6:6: error: the plan ends (2020-01-01) before it starts")


def test_personal_data_in_a_note_that_is_not_restricted_is_a_warning(runner: CliRunner, plan: Path) -> None:
    write(
        plan / TARGET,
        "id: 5\ntitle: T\nleads: [LBB]\ntarget: Apr-25\nupdates:\n"
        '  - {date: 2025-01-10, rag: amber, note: "Call 07700 900123 or email j.smith@example.org"}\n'
        '  - {date: 2025-02-10, rag: amber, note: "DOB 12/03/1990, lives at SW1A 1AA", restricted: true}\n'
        '  - {date: 2025-03-10, rag: green, note: "Helpline 0808 2000 247 promoted at 14 events"}\n',
    )
    result = run_check(runner, plan)
    assert result.exit_code == 0
    (warning,) = [line for line in result.stdout.splitlines() if ": warning: " in line]
    assert warning.startswith(f"{SHOWN}:6:42: warning: update 1: this note looks like it holds an email address")
    assert "and a UK phone number" in warning and "restricted: true" in warning
    assert summary(result.stdout) == f"checked {BUNDLED_FILES} files: 0 errors, 1 warning"


UPDATE_1 = "  - date: 2025-06-30\n    rag: green\n    note: Pathway drafted\n"


class TestHandEditingMistakes:
    """The mistakes people make editing YAML by hand get a line that names the fix."""

    def test_a_comment_that_cuts_words_short_is_a_warning(self, runner: CliRunner, plan: Path) -> None:
        (plan / TARGET).write_text(
            "id: 5\ntitle: Referral processes #2 priority\nleads: [LBB]\ntarget: Apr-25  # agreed at the board\n"
            "updates:\n  - date: 2025-05-01\n    rag: amber\n    note: Funding cut by 50% #no Q3 rollout\n"
        )
        result = runner.invoke(app, ["check", "--as-of", AS_OF])
        assert result.exit_code == 0  # a warning: a comment after a value may be what was meant
        lines = result.stdout.splitlines()
        assert (
            f'{SHOWN}:2:8: warning: the value of title stops at " #": YAML reads the rest of the line as a ' in lines[0]
        )
        assert lines[1].startswith(f"{SHOWN}:8:11: warning: the value of note stops at")
        assert not any("target" in line for line in lines)  # "Apr-25  # agreed" is a comment on a date
        assert "Q3" not in result.stdout

    @pytest.mark.parametrize(
        "line",
        ["    note: #Jane Doe lives at 12 Acacia Ave\n", "    note: Victim Jane Doe: lives at 12 Acacia Ave\n"],
        ids=["hash", "colon"],
    )
    def test_the_hint_never_repeats_the_note(self, runner: CliRunner, plan: Path, line: str) -> None:
        """A restricted note mistyped by hand must not be printed into a CI log by the message that names the fix."""
        update = "  - date: 2025-06-30\n    rag: red\n    restricted: true\n" + line
        (plan / TARGET).write_text("id: 5\ntitle: Training\nleads: [LBB]\ntarget: Apr-25\nupdates:\n" + update)
        result = runner.invoke(app, ["check", "--as-of", AS_OF])
        assert result.exit_code == 1 and "in quotes" in result.output
        assert "Jane" not in result.output and "Acacia" not in result.output

    @pytest.mark.parametrize(
        ("updates", "expected"),
        [
            pytest.param(
                "  - date: 2025-06-30\n    rag: green\n    note: Met: agreed pathway\n",
                '8:14: error: a note holding ": " must be in quotes, or YAML reads it as another key: '
                'write note: "…" with the whole note inside the quotes',
                id="unquoted colon",
            ),
            pytest.param(
                UPDATE_1 + "    date: 2025-07-31\n    rag: amber\n    note: Slipped\n",
                '9:5: error: this looks like a second update without its "- ": start its first line (date: ...) '
                'with "- " (a dash and a space), lined up with the dashes of the other updates',
                id="missing dash",
            ),
            pytest.param(
                "<<<<<<< HEAD\n" + UPDATE_1 + "=======\n  - {date: 2025-06-30, rag: red, note: b}\n>>>>>>> main\n",
                "6:1: error: this file has a git merge conflict left in it (the <<<<<<< line): keep the lines "
                "you want, delete the marker lines (<<<<<<<, ======= and >>>>>>>), then run vawg check",
                id="merge conflict",
            ),
            pytest.param(
                "  - date: 2025-06-30\n    rag: green\n    note: #3 priority\n",
                '8:10: error: update 1: the note is empty because "#" starts a comment in YAML; '
                'put the note in quotes: note: "#…" with the whole note inside the quotes',
                id="hash comment",
            ),
        ],
    )
    def test_message_names_the_fix(self, runner: CliRunner, plan: Path, updates: str, expected: str) -> None:
        (plan / TARGET).write_text("id: 5\ntitle: Training\nleads: [LBB]\ntarget: Apr-25\nupdates:\n" + updates)
        result = runner.invoke(app, ["check", "--as-of", AS_OF])
        assert result.exit_code == 1
        assert result.stdout.splitlines()[0] == f"{SHOWN}:{expected}"
        assert "remove one" not in result.stdout

    def test_a_key_given_twice_on_its_own_is_still_a_duplicate(self, runner: CliRunner, plan: Path) -> None:
        (plan / TARGET).write_text(VALID_ACTION_5 + "updates:\n" + UPDATE_1 + "    note: Again\n")
        result = runner.invoke(app, ["check", "--as-of", AS_OF])
        assert f"{SHOWN}:10:5: error: key 'note' appears twice in this mapping (first on line 9)" in result.stdout


class TestTargetHistoryRules:
    """Papers undo later target changes one by one: the history must chain, and none may lie ahead."""

    def write(self, folder: Path, history: str, target: str = "Jan-26") -> Path:
        path = folder / "actions" / "03-referral-processes.yaml"
        text = path.read_text().replace("target: Apr-25", f"target: {target}\ntarget_history:\n{history}")
        path.write_text(text)
        return path

    def test_a_change_dated_in_the_future_is_an_error(self, runner: CliRunner, bundled_copy: Path) -> None:
        self.write(
            bundled_copy,
            "  - {date: 2027-05-01, from: Apr-25, to: Jan-26, reason: typed the wrong year}\n",
        )
        result = runner.invoke(app, ["check", "--plan", str(bundled_copy), "--as-of", "2026-12-02"])
        assert result.exit_code == 1
        assert (
            "error: target change 1 is dated 2027-05-01, in the future (today is 2026-12-02); "
            "a change is recorded on the day it is agreed: correct its date"
        ) in result.output

    def test_a_change_that_does_not_start_where_the_last_ended_is_an_error(
        self, runner: CliRunner, bundled_copy: Path
    ) -> None:
        self.write(
            bundled_copy,
            "  - {date: 2025-01-10, from: Apr-25, to: Oct-25, reason: first}\n"
            "  - {date: 2025-09-01, from: Jun-25, to: Jan-26, reason: second}\n",
        )
        result = runner.invoke(app, ["check", "--plan", str(bundled_copy), "--as-of", "2026-12-02"])
        assert result.exit_code == 1
        assert (
            "error: target change 2 starts from 'Jun-25', but change 1 moved the target to 'Oct-25'; correct its from"
        ) in result.output

    def test_retarget_refuses_a_date_ahead(
        self, runner: CliRunner, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from vawg_cli.cli import options

        monkeypatch.setattr(options, "today", lambda: date(2026, 12, 2))
        before = (bundled_copy / "actions" / "03-referral-processes.yaml").read_bytes()
        args = ["retarget", "3", "--target", "Mar-27", "--reason", "x", "--date", "2027-05-01"]
        result = runner.invoke(app, [*args, "--plan", str(bundled_copy)])
        assert result.exit_code == 1
        assert "in the future" in result.output
        assert (bundled_copy / "actions" / "03-referral-processes.yaml").read_bytes() == before


@pytest.mark.parametrize("restricted", ["OFFICIAL", "official", "  OFFICIAL "])
def test_a_restricted_marking_that_is_the_public_one_is_refused(
    runner: CliRunner, tmp_path: Path, restricted: str
) -> None:
    # A paper made with --include-restricted holds case detail: marked as a public paper is, it
    # would be handled as one.
    plan = copy_plan(BUNDLED_PLAN, tmp_path / "plan")
    text = (plan / "plan.yaml").read_text(encoding="utf-8")
    (plan / "plan.yaml").write_text(
        text.replace("  restricted: OFFICIAL-SENSITIVE", f'  restricted: "{restricted}"'), encoding="utf-8"
    )
    result = runner.invoke(app, ["check", "--plan", str(plan)])
    assert result.exit_code == 1
    assert "plan.yaml:" in result.output and "a marking of its own, such as OFFICIAL-SENSITIVE" in result.output


@pytest.mark.parametrize("command", ["check", "status"])
def test_a_plan_yaml_that_is_a_folder_is_not_sent_to_vawg_init(runner: CliRunner, tmp_path: Path, command: str) -> None:
    # `vawg init` would refuse the folder (plan.yaml is there): its advice went round in a circle.
    plan = copy_plan(BUNDLED_PLAN, tmp_path / "plan")
    (plan / "plan.yaml").unlink()
    (plan / "plan.yaml").mkdir()
    result = runner.invoke(app, [command, "--plan", str(plan)])
    assert result.exit_code == 1
    assert "is not a plain file" in result.output and "vawg init" not in result.output


def test_a_link_round_in_a_circle_is_named_as_such(runner: CliRunner, plan: Path) -> None:
    # Following it fails (ELOOP): it was called "a pipe or a device", which sends a user looking
    # for the wrong thing.
    (plan / "actions" / "97-a.yaml").symlink_to(plan / "actions" / "97-b.yaml")
    (plan / "actions" / "97-b.yaml").symlink_to(plan / "actions" / "97-a.yaml")
    result = run_check(runner, plan)
    warnings = [line for line in result.stdout.splitlines() if ": warning: " in line and "97-" in line]
    assert len(warnings) == 2
    assert all("a link that leads round in a circle" in warning for warning in warnings)


def test_two_sensitive_markings_are_told_to_mark_the_public_paper_otherwise(runner: CliRunner, tmp_path: Path) -> None:
    # "such as OFFICIAL-SENSITIVE", the value already there, would send the user round in a circle.
    plan = copy_plan(BUNDLED_PLAN, tmp_path / "plan")
    text = (plan / "plan.yaml").read_text(encoding="utf-8")
    (plan / "plan.yaml").write_text(
        text.replace("  public: OFFICIAL\n", "  public: OFFICIAL-SENSITIVE\n"), encoding="utf-8"
    )
    result = runner.invoke(app, ["check", "--plan", str(plan)])
    assert result.exit_code == 1
    assert "give public the marking of a paper without restricted notes, such as OFFICIAL" in result.output
