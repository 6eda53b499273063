"""A return opened and saved by a real spreadsheet program (LibreOffice Calc, headless) reads back.

A partner fills the workbook; LibreOffice then saves it again as .xlsx (its own XML, not
openpyxl's) and as a CSV of the Return sheet. `vawg returns read` must make exactly the same
change to the plan from each of the three files, and the freshly made workbook must open in
LibreOffice without an error.

Needs LibreOffice (Debian's libreoffice-calc-nogui: `soffice`). Without it the tests skip, unless
VAWG_REQUIRE_LIBREOFFICE=1 (set by .ci/run), when they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import openpyxl  # type: ignore[import-untyped,unused-ignore]
import pytest
import yaml
from typer.testing import CliRunner

from conftest import BUNDLED_PLAN, copy_plan
from vawg_cli.cli import app, options

QUARTER = "2025-Q3"
AS_OF = "2026-01-05"
TODAY = date(2026, 1, 5)
MET_BOOK = "VAWG return 2025-26 Q3 - Metropolitan Police Service.xlsx"
TIMEOUT = 120
# The CSV export filter's options, as LibreOffice's Save As dialog has them by default: comma,
# double quote, UTF-8 (76), from line 1, no cell formats, default language, text quoted only where
# needed, (an import option), cell contents saved as shown (so a date is written as its
# dd/mm/yyyy format shows it, not in the locale's month-first form), not the formulas, spaces
# kept; and the 12th, which sheet: 2, the Return sheet (LibreOffice 7.2 and later).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,2"

NO_LIBREOFFICE = "LibreOffice not found (soffice or libreoffice on PATH): install Debian's libreoffice-calc-nogui"

# What Met writes: a colour (each way a person might), a note, what is being done, what the board
# is asked to do, a date (as Excel stores one, as typed, or none) and whether it is restricted.
# Actions 8 and 9 are left blank: not returned.
NOTE_3 = 'Pathway agreed with "MASH", Children\'s Services and the Met; café sessions \u2013 3 held.\nReview in March.'
FILLED: dict[int, tuple[str, str, str | None, str | None, object, str | None]] = {
    3: (
        "Amber: Some delay or risk, being managed by the lead",
        NOTE_3,
        "Legal review booked for 12 January;\nsign-off \u2013 February",
        'Agree the pathway\'s "MASH" wording',
        date(2025, 12, 1),
        "Yes",
    ),
    4: ("Green", "Safe Streets promoted at 4 ward panels", None, None, "15/11/2025", "No"),
    7: ("blue", "Support offer in place across partners", "Handed to business as usual", None, None, None),
}
FIGURES: dict[str, tuple[int, str | None]] = {
    "BUSINESSES-TRAINED": (85, "Includes 12 night-time venues"),
    "VAWG-OFFENCES": (3104, None),
}


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def no_libreoffice(reason: str) -> NoReturn:
    """Skip, or fail where LibreOffice is required (CI)."""
    if os.environ.get("VAWG_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail(f"{reason} (VAWG_REQUIRE_LIBREOFFICE=1)", pytrace=False)
    pytest.skip(reason)


class LibreOffice:
    """Runs `soffice --headless --convert-to` with a profile and home of its own, never the user's."""

    def __init__(self, executable: str, home: Path) -> None:
        self.executable = executable
        self.home = home
        self.profile = home / "profile"

    def convert(self, source: Path, to: str, outdir: Path) -> str:
        """Convert `source` into `outdir`; the program's output, after checking it succeeded."""
        outdir.mkdir(parents=True, exist_ok=True)
        command = [
            self.executable,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={self.profile.as_uri()}",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            str(source),
        ]
        environment = {**os.environ, "HOME": str(self.home)}
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT, env=environment, check=False
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"LibreOffice took more than {TIMEOUT} s: {' '.join(command)}")
        output = done.stdout + done.stderr
        assert done.returncode == 0, f"{' '.join(command)} exited {done.returncode}:\n{output}"
        # LibreOffice warns that it cannot start Java, which it does not need here.
        lines = [line for line in output.splitlines() if "javaldx" not in line]
        said = "\n".join(lines).lower()
        assert "error" not in said, output
        assert "repair" not in said, output
        assert "convert " in said, output
        return output


@pytest.fixture
def libreoffice(tmp_path: Path) -> LibreOffice:
    executable = find_soffice()
    if executable is None:
        no_libreoffice(NO_LIBREOFFICE)
    home = tmp_path / "lo-home"
    home.mkdir()
    return LibreOffice(executable, home)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(options, "today", lambda: TODAY)


def make_returns(runner: CliRunner, plan: Path, out: Path) -> None:
    arguments = ["returns", "make", "--quarter", QUARTER, "--as-of", AS_OF, "-o", str(out), "--plan", str(plan)]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert (out / MET_BOOK).is_file(), result.output


def fill(source: Path, destination: Path) -> None:
    """Met's return filled in, as openpyxl writes it; the Return sheet made the one that opens first."""
    wb = openpyxl.load_workbook(source)
    sheet = wb["Return"]
    seen_actions: set[int] = set()
    seen_figures: set[str] = set()
    for row in range(5, sheet.max_row + 1):
        identity = str(sheet.cell(row, 12).value or "")
        key, _, value = identity.split(";")[0].partition("=")
        if key == "action" and int(value) in FILLED:
            for column, cell in zip((6, 7, 8, 9, 10, 11), FILLED[int(value)], strict=True):
                sheet.cell(row, column).value = cell
            seen_actions.add(int(value))
        elif key == "measure" and value in FIGURES:
            figure, figure_note = FIGURES[value]
            sheet.cell(row, 6).value = figure
            sheet.cell(row, 7).value = figure_note
            seen_figures.add(value)
    assert seen_actions == set(FILLED)
    assert seen_figures == set(FIGURES)
    wb.active = wb.sheetnames.index("Return")
    wb.save(destination)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def read_into(runner: CliRunner, plan: Path, returned: Path) -> str:
    result = runner.invoke(app, ["returns", "read", str(returned), "--quarter", QUARTER, "--plan", str(plan)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    checked = runner.invoke(app, ["check", "--plan", str(plan)])
    assert checked.exit_code == 0, checked.output
    return result.output


def updates(plan: Path, action: int) -> list[dict[str, Any]]:
    (path,) = plan.glob(f"actions/{action:02d}-*.yaml")
    found = yaml.safe_load(path.read_text(encoding="utf-8")).get("updates") or []
    assert isinstance(found, list)
    return found


def test_a_return_saved_by_libreoffice_reads_back_the_same(
    runner: CliRunner, libreoffice: LibreOffice, tmp_path: Path
) -> None:
    plan = copy_plan(BUNDLED_PLAN, tmp_path / "plan")
    out = tmp_path / "returns"
    make_returns(runner, plan, out)
    filled = tmp_path / "filled" / MET_BOOK
    filled.parent.mkdir()
    fill(out / MET_BOOK, filled)

    saved = tmp_path / "saved"
    libreoffice.convert(filled, "xlsx", saved)
    (saved_xlsx,) = saved.glob("*.xlsx")
    with zipfile.ZipFile(saved_xlsx) as archive:
        assert b"<Application>LibreOffice" in archive.read("docProps/app.xml"), "not saved by LibreOffice"
    libreoffice.convert(filled, CSV_FILTER, tmp_path / "csv")
    (saved_csv,) = (tmp_path / "csv").glob("*.csv")
    csv_text = saved_csv.read_text(encoding="utf-8")
    assert "vawg-return=2;" in csv_text, "the CSV is not of the Return sheet"
    assert "Instructions" not in csv_text.splitlines()[0]

    before = snapshot(plan)
    plans = {name: copy_plan(plan, tmp_path / f"plan-{name}") for name in ("openpyxl", "libreoffice", "csv")}
    outputs = {
        "openpyxl": read_into(runner, plans["openpyxl"], filled),
        "libreoffice": read_into(runner, plans["libreoffice"], saved_xlsx),
        "csv": read_into(runner, plans["csv"], saved_csv),
    }

    # The openpyxl path: exactly the three updates and two figures Met gave, nothing else.
    expected = plans["openpyxl"]
    after = snapshot(expected)
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert sorted(after) == sorted(before), "a file was added or removed"
    assert len([name for name in changed if name.startswith("actions/")]) == len(FILLED), changed
    assert len([name for name in changed if name.startswith("measures/")]) == len(FIGURES), changed
    assert len(changed) == len(FILLED) + len(FIGURES), changed
    for action, (colour, note, next_steps, board_ask, _, restricted) in FILLED.items():
        (update,) = updates(expected, action)
        assert update["by"] == "Met"
        assert update["note"] == note
        assert (update.get("next_steps"), update.get("board_ask")) == (next_steps, board_ask)
        assert update["rag"] == colour.split(":")[0].lower()
        # A row without a date is dated the quarter's last day (read after it ended), as the instructions say.
        assert update["date"] == {3: date(2025, 12, 1), 4: date(2025, 11, 15), 7: date(2025, 12, 31)}[action]
        assert bool(update.get("restricted")) == (restricted == "Yes")
    for action in (8, 9):
        assert updates(expected, action) == []
    for code, (figure, figure_note) in FIGURES.items():
        measure = yaml.safe_load((expected / "measures" / f"{code}.yaml").read_text(encoding="utf-8"))
        latest = measure["values"][-1]
        assert (str(latest["period"]), latest["value"], latest.get("note")) == ("2025", figure, figure_note)

    # LibreOffice's .xlsx and its CSV make byte for byte the same change.
    assert snapshot(plans["libreoffice"]) == after, outputs["libreoffice"]
    assert snapshot(plans["csv"]) == after, outputs["csv"]


def test_a_fresh_return_opens_in_libreoffice_without_error(
    runner: CliRunner, libreoffice: LibreOffice, tmp_path: Path
) -> None:
    plan = copy_plan(BUNDLED_PLAN, tmp_path / "plan")
    out = tmp_path / "returns"
    make_returns(runner, plan, out)
    book = out / MET_BOOK

    libreoffice.convert(book, "pdf", tmp_path / "pdf")
    (pdf,) = (tmp_path / "pdf").glob("*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 2 * 1024

    libreoffice.convert(book, "xlsx", tmp_path / "xlsx")
    (saved,) = (tmp_path / "xlsx").glob("*.xlsx")
    # Saved unchanged by LibreOffice, it is still a blank return: reading it changes nothing.
    before = snapshot(plan)
    result = runner.invoke(app, ["returns", "read", str(saved), "--plan", str(plan)])
    assert result.exit_code == 0, result.output
    assert snapshot(plan) == before
