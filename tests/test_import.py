"""`vawg import`: a table in a document, a CSV file or a workbook becomes action files, safely."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import BUNDLED_PLAN, FIXTURES
from vawg_cli.cli import app
from vawg_cli.cli import options as cli
from vawg_cli.errors import Diagnostic, PlanInvalid
from vawg_cli.interchange.importing.files import Built, verdict
from vawg_cli.interchange.tables import split_leads
from vawg_cli.plan import bundled
from vawg_cli.plan.loading import check_plan, load_plan

SEED = FIXTURES / "seed" / "appendix-b.txt"
EXCEL_CSV = FIXTURES / "import" / "excel-semicolons.csv"
UNNUMBERED_TSV = FIXTURES / "import" / "unnumbered.tsv"


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["import", *args])
    return result.exit_code, result.stdout, result.stderr


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` and a hash of its bytes: to show that nothing was written."""
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def essentials(folder: Path) -> list[tuple[int, str, tuple[str, ...], str]]:
    plan = load_plan(folder, today=date.today())
    return [(f.action.id, f.action.title, f.action.leads, f.action.target) for f in plan.actions]


class TestTheSeedDocument:
    def test_the_fixture_is_the_seed_text(self) -> None:
        text = SEED.read_text()
        assert text.startswith("Contents\n") and "| No. | Aims | Lead | Target Date |" in text

    def test_appendix_b_into_an_empty_folder_gives_the_bundled_plan(self, runner: CliRunner, tmp_path: Path) -> None:
        folder = tmp_path / "plan"
        code, out, err = run(runner, str(SEED), "--plan", str(folder))
        assert code == 0, out + err
        assert essentials(folder) == essentials(BUNDLED_PLAN)
        settings = load_plan(folder, today=date.today()).settings
        bundled = load_plan(BUNDLED_PLAN, today=date.today()).settings
        assert settings.title == "BCSP VAWG Partnership Action Plan"
        assert (settings.start, settings.end) == (bundled.start, bundled.end) == (date(2024, 4, 1), date(2028, 4, 30))
        assert settings.partners == {"LBB": "LBB", "Met": "Met", "Vol Sector": "Vol Sector"}
        assert settings.rag == bundled.rag
        # A new plan's own actions count from its start: they carry no `added` date.
        assert all(f.action.added is None for f in load_plan(folder, today=date.today()).actions)
        # Done when: vawg check passes on the result.
        checked = runner.invoke(app, ["check", "--plan", str(folder)])
        assert checked.exit_code == 0, checked.output
        assert "Created 10 actions in" in out and "(ids 1 to 10)" in out
        assert "Added 3 partners to" in out and "LBB, Met, Vol Sector (named by their codes" in out
        assert "needs attention" not in out

    def test_files_are_laid_out_as_the_bundled_ones(self, runner: CliRunner, tmp_path: Path) -> None:
        folder = tmp_path / "plan"
        assert run(runner, str(SEED), "--plan", str(folder))[0] == 0
        names = sorted(path.name for path in (folder / "actions").iterdir())
        assert names[0] == "01-update-bexley-vawg-strategy.yaml" and len(names) == 10
        first = (folder / "actions" / names[0]).read_text()
        assert first.startswith("# yaml-language-server: $schema=../schema/action.schema.json\n# Action 1, imported")
        assert first.endswith(
            "id: 1\ntitle: Update Bexley VAWG Strategy\nleads:\n  - LBB\ntarget: Apr-28\nupdates: []\n"
        )
        assert (folder / "plan.yaml").read_text().startswith("# yaml-language-server: $schema=schema/plan.schema.json")
        for schema in ("plan.schema.json", "action.schema.json"):
            assert (folder / "schema" / schema).read_bytes() == (BUNDLED_PLAN / "schema" / schema).read_bytes()

    def test_without_plan_a_new_plan_folder_is_made_here(
        self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        code, out, err = run(runner, str(SEED))
        assert code == 0, out + err
        assert "Created plan/plan.yaml: 'BCSP VAWG Partnership Action Plan', 2024-04-01 to 2028-04-30." in out
        assert len(essentials(tmp_path / "plan")) == 10

    def test_the_bundled_plan_is_never_imported_into(self, runner: CliRunner) -> None:
        # The copy that ships with vawg: the package's own in a regular install, the repository's
        # plan/ in an editable one.
        shipped = bundled.plan_dir()
        before = snapshot(shipped)
        code, _, err = run(runner, str(SEED), "--plan", str(shipped), "--map", "No.=ignore")
        assert code == 1 and "ships with vawg" in err
        assert snapshot(shipped) == before

    def test_title_start_and_end_can_be_given(self, runner: CliRunner, tmp_path: Path) -> None:
        folder = tmp_path / "plan"
        args = ["--title", "Bexley VAWG Plan", "--start", "2024-01-01", "--end", "2029-12-31"]
        assert run(runner, str(SEED), "--plan", str(folder), *args)[0] == 0
        settings = load_plan(folder, today=date.today()).settings
        assert (settings.title, settings.start, settings.end) == (
            "Bexley VAWG Plan",
            date(2024, 1, 1),
            date(2029, 12, 31),
        )


class TestExcelCsv:
    """BOM, semicolons, CRLF, three ways of writing joint leads, an unreadable target, a Theme column."""

    def test_rows_become_actions(self, runner: CliRunner, tmp_path: Path) -> None:
        folder = tmp_path / "plan"
        code, out, err = run(runner, str(EXCEL_CSV), "--plan", str(folder))
        assert code == 0, out + err
        assert "semicolon-separated rows of excel-semicolons.csv" in out
        checked = check_plan(folder, today=date.today())
        assert checked.plan is not None
        actions = {f.action.id: f.action for f in checked.plan.actions}
        # The row with a target vawg cannot read is imported, not dropped: it is the one check error.
        assert sorted(actions) == [1, 2, 4, 5]
        assert actions[1].leads == actions[2].leads == actions[4].leads == ("LBB", "Met")
        assert (actions[1].target, actions[2].target, actions[4].target) == ("Mar-26", "30/09/2025", "2026-01")
        assert actions[1].theme == "Prevention" and actions[5].theme == "Governance"
        assert actions[1].notes == "Funded by MOPAC" and actions[2].notes is None
        assert checked.plan.settings.partners == {"LBB": "LBB", "Met": "Met", "Vol Sector": "Vol Sector"}

    def test_an_unreadable_target_is_kept_and_reported(self, runner: CliRunner, tmp_path: Path) -> None:
        folder = tmp_path / "plan"
        code, out, _ = run(runner, str(EXCEL_CSV), "--plan", str(folder))
        assert code == 0
        expected = (
            "1 row needs attention: row 4 (action 3), "
            "target 'After the forum meets' is not a date vawg can read: run vawg check"
        )
        assert expected in out
        path = folder / "actions" / "03-set-up-survivors-forum.yaml"
        text = path.read_text()
        assert "\ntarget: After the forum meets\n" in text and "notes: Dates to agree with the forum\n" in text
        errors = [d for d in check_plan(folder, today=date.today()).diagnostics if d.severity == "error"]
        assert len(errors) == 1
        assert errors[0].path == path and "'After the forum meets'" in errors[0].message
        assert text.splitlines()[errors[0].line - 1] == "target: After the forum meets"
        checked = runner.invoke(app, ["check", "--plan", str(folder)])
        assert checked.exit_code == 1 and "03-set-up-survivors-forum.yaml" in checked.stdout

    def test_comma_separated_quoted_cells_and_windows_1252(self, runner: CliRunner, tmp_path: Path) -> None:
        source = tmp_path / "export.csv"
        source.write_bytes(
            'No.,Aims,Lead,Target Date,Budget\r\n1,"Fund refuge places, with MOPAC",LBB & Met,Apr-26,£5k\r\n'.encode(
                "cp1252"
            )
            + "2,Café outreach for survivors,Met,Quarterly,\r\n".encode("cp1252")
        )
        folder = tmp_path / "plan"
        code, out, err = run(runner, str(source), "--plan", str(folder))
        assert code == 0, out + err
        assert "not UTF-8" in err and "Windows-1252" in err
        actions = {f.action.id: f.action for f in load_plan(folder, today=date.today()).actions}
        assert actions[1].title == "Fund refuge places, with MOPAC" and actions[1].leads == ("LBB", "Met")
        assert actions[1].notes == "Budget: £5k"
        assert actions[2].title == "Café outreach for survivors"

    def test_an_aim_column_and_an_objective_column(self, runner: CliRunner, tmp_path: Path) -> None:
        source = tmp_path / "plan.csv"
        source.write_text(
            "Objective,Action,Lead,Owner,Due\nSafer streets,Walk and talk sessions,Met,Jo Bloggs,Monthly\n"
        )
        folder = tmp_path / "plan"
        assert run(runner, str(source), "--plan", str(folder))[0] == 0
        action = load_plan(folder, today=date.today()).actions[0].action
        assert (action.title, action.theme, action.owner, action.leads) == (
            "Walk and talk sessions",
            "Safer streets",
            "Jo Bloggs",
            ("Met",),
        )


class TestIntoAnExistingPlan:
    def test_ids_continue_and_a_new_partner_is_spliced_in(
        self, runner: CliRunner, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(cli, "today", lambda: date(2025, 9, 15))
        plan_file = bundled_copy / "plan.yaml"
        before = plan_file.read_text()
        code, out, err = run(runner, str(UNNUMBERED_TSV), "--plan", str(bundled_copy))
        assert code == 0, out + err
        assert "Created 2 actions in" in out and "(ids 11 to 12)" in out
        assert "Added 1 partner to" in out and ": Health (named by its code" in out
        line = "  Vol Sector: Voluntary and community sector\n"
        assert plan_file.read_text() == before.replace(line, line + "  Health: Health\n")
        actions = {f.action.id: f.action for f in load_plan(bundled_copy, today=date.today()).actions}
        assert actions[11].leads == ("LBB", "Health") and actions[11].theme == "Prevention"
        assert actions[12].leads == ("Met",)  # "met" is the plan's Met
        assert actions[12].target == "December annually"
        # Actions joining a running plan say when, so papers for earlier quarters leave them out.
        assert actions[11].added == actions[12].added == date(2025, 9, 15)
        assert actions[1].added is None
        assert runner.invoke(app, ["check", "--plan", str(bundled_copy)]).exit_code == 0

    def test_ids_that_clash_are_refused(self, runner: CliRunner, bundled_copy: Path) -> None:
        before = snapshot(bundled_copy)
        code, _, err = run(runner, str(SEED), "--plan", str(bundled_copy))
        assert code == 1
        assert "clash" in err and "1, 2, 3" in err and "nothing was imported" in err
        assert snapshot(bundled_copy) == before

    def test_ignoring_the_number_column_numbers_after_the_highest(self, runner: CliRunner, bundled_copy: Path) -> None:
        code, out, _ = run(runner, str(SEED), "--plan", str(bundled_copy), "--map", "No.=ignore")
        assert code == 0
        ids = [number for number, *_ in essentials(bundled_copy)]
        assert ids == list(range(1, 21))
        assert "Added" not in out  # LBB, Met and Vol Sector are partners already

    def test_a_plan_with_errors_is_not_imported_into(self, runner: CliRunner, bundled_copy: Path) -> None:
        action = bundled_copy / "actions" / "01-update-strategy.yaml"
        action.write_text(action.read_text().replace("target: Apr-28", "target: someday"))
        before = snapshot(bundled_copy)
        code, _, err = run(runner, str(UNNUMBERED_TSV), "--plan", str(bundled_copy))
        assert code == 1 and "'someday'" in err
        assert snapshot(bundled_copy) == before

    def test_new_plan_options_are_refused_for_an_existing_plan(self, runner: CliRunner, bundled_copy: Path) -> None:
        code, _, err = run(runner, str(UNNUMBERED_TSV), "--plan", str(bundled_copy), "--title", "X")
        assert code == 1 and "--title" in err


class TestMapAndDryRun:
    def test_map_names_columns_that_are_not_recognised(self, runner: CliRunner, tmp_path: Path) -> None:
        source = tmp_path / "odd.csv"
        source.write_text("Measure;Responsible;By;Cost\nFund a DV advocate;LBB;Mar-27;40k\n")
        folder = tmp_path / "plan"
        code, _, err = run(runner, str(source), "--plan", str(folder))
        assert code == 1 and "no table with an aim column (Aims, Action, Activity, Objective)" in err
        assert "'Measure'" in err and not folder.exists()
        maps = ["--map", "Measure=title", "--map", "responsible=leads", "--map", "BY=target", "--map", "Cost=ignore"]
        code, out, err = run(runner, str(source), "--plan", str(folder), *maps)
        assert code == 0, out + err
        action = load_plan(folder, today=date.today()).actions[0].action
        assert (action.title, action.leads, action.target, action.notes) == (
            "Fund a DV advocate",
            ("LBB",),
            "Mar-27",
            None,
        )

    def test_a_map_to_an_unknown_field_is_refused(self, runner: CliRunner, tmp_path: Path) -> None:
        code, _, err = run(runner, str(SEED), "--plan", str(tmp_path / "p"), "--map", "Aims=headline")
        assert code == 1 and "'headline' is not a field" in err and "title" in err

    def test_dry_run_into_a_new_folder_writes_nothing(self, runner: CliRunner, tmp_path: Path) -> None:
        folder = tmp_path / "plan"
        code, out, err = run(runner, str(EXCEL_CSV), "--plan", str(folder), "--dry-run")
        assert code == 0, out + err
        assert not folder.exists()
        assert "Would create 4 actions" not in out and "Would create 5 actions" in out
        assert "03-set-up-survivors-forum.yaml" in out and "(dry run: nothing was written)" in out
        assert "1 row needs attention: row 4" in out

    def test_dry_run_into_an_existing_plan_writes_nothing(self, runner: CliRunner, bundled_copy: Path) -> None:
        before = snapshot(bundled_copy)
        code, out, _ = run(runner, str(UNNUMBERED_TSV), "--plan", str(bundled_copy), "--dry-run")
        assert code == 0
        assert "Would add 1 partner" in out and "11-train-licensing-staff.yaml" in out
        assert snapshot(bundled_copy) == before


class TestWorkbook:
    def test_the_first_sheet_of_an_xlsx(self, runner: CliRunner, tmp_path: Path) -> None:
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "Action plan"
        sheet.append(["Bexley VAWG Action Plan 2025-2029"])
        sheet.append([])
        sheet.append(["ID", "Objective", "Lead(s)", "Due", "Notes"])
        sheet.append([1, "Commission a perpetrator programme", "LBB / Vol Sector", datetime(2026, 3, 1), None])
        sheet.append([2, "Train GP practice staff", "NHS", datetime(2025, 11, 14), "With the ICB"])
        sheet["D4"].number_format = "mmm-yy"  # shown by Excel as Mar-26: the month, not its first day
        sheet["D5"].number_format = "dd/mm/yyyy"
        book.create_sheet("Old")
        source = tmp_path / "plan.xlsx"
        book.save(source)
        folder = tmp_path / "plan"
        code, out, err = run(runner, str(source), "--plan", str(folder))
        assert code == 0, out + err
        assert "only the first, 'Action plan', was read" in err
        loaded = load_plan(folder, today=date.today())
        assert loaded.settings.title == "Bexley VAWG Action Plan 2025-2029"
        assert (loaded.settings.start, loaded.settings.end) == (date(2025, 4, 1), date(2029, 3, 31))
        assert essentials(folder) == [
            (1, "Commission a perpetrator programme", ("LBB", "Vol Sector"), "Mar-26"),
            (2, "Train GP practice staff", ("NHS",), "2025-11-14"),
        ]
        assert loaded.actions[1].action.notes == "With the ICB"


class TestBadInput:
    """Each is a clear error (exit 1), and nothing is written."""

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("empty.txt", b"", "is empty"),
            ("blank.csv", b"\r\n  \n", "is empty"),
            ("prose.md", b"# VAWG strategy\n\nNo table here, just words.\n", "no table with an aim column"),
            (
                "no-aim.md",
                b"| No. | Lead | Target Date |\n|---|---|---|\n| 1 | LBB | Apr-25 |\n",
                "no table with an aim column (Aims, Action, Activity, Objective)",
            ),
            ("no-lead.csv", b"Aims,Target Date\nTrain staff,Apr-25\n", "no lead column"),
            ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary data"),
            ("table.txt", b"Aims\tLead\tDue\nA\x00B\tLBB\tApr-25\n", "binary data"),
            ("not-a-zip.xlsx", b"No.,Aims,Lead,Due\n1,A,LBB,Apr-25\n", "is not an .xlsx workbook"),
            ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "Excel 97-2003"),
            ("missing-lead.csv", b"No.,Aims,Lead,Due\n1,Train staff,,Apr-25\n2,,LBB,Apr-25\n", "row 2 has no lead"),
            ("bad-number.csv", b"No.,Aims,Lead,Due\n0,Train staff,LBB,Apr-25\n", "'0' is not a whole number"),
            ("twice.csv", b"No.,Aims,Lead,Due\n1,A,LBB,Apr-25\n1,B,LBB,Apr-25\n", "as row 2 has"),
            ("header-only.csv", b"No.,Aims,Lead,Due\n", "no rows of actions"),
        ],
    )
    def test_refused(self, runner: CliRunner, tmp_path: Path, name: str, content: bytes, message: str) -> None:
        source = tmp_path / name
        source.write_bytes(content)
        folder = tmp_path / "plan"
        code, out, err = run(runner, str(source), "--plan", str(folder))
        assert code == 1, out
        assert err.startswith("vawg: error: ") and message in err, err
        assert not folder.exists()

    def test_a_zip_that_is_not_a_workbook(self, runner: CliRunner, tmp_path: Path) -> None:
        source = tmp_path / "letter.xlsx"
        with zipfile.ZipFile(source, "w") as archive:
            archive.writestr("notes.txt", "hello")
        code, _, err = run(runner, str(source), "--plan", str(tmp_path / "plan"))
        assert code == 1 and "cannot be read as an .xlsx workbook" in err
        assert not (tmp_path / "plan").exists()

    def test_a_damaged_word_document(self, runner: CliRunner, tmp_path: Path) -> None:
        source = tmp_path / "letter.docx"
        with zipfile.ZipFile(source, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        code, _, err = run(runner, str(source), "--plan", str(tmp_path / "plan"))
        assert code == 1 and "cannot be read as a Word document (.docx)" in err
        assert not (tmp_path / "plan").exists()

    def test_an_enormous_file_is_refused_before_it_is_read(self, runner: CliRunner, tmp_path: Path) -> None:
        source = tmp_path / "huge.csv"
        row = b"1,Train staff,LBB,Apr-25\n"
        with source.open("wb") as handle:
            handle.write(b"No.,Aims,Lead,Due\n")
            handle.write(row * (10 * 1024 * 1024 // len(row) + 1))
        assert source.stat().st_size > 10 * 1024 * 1024
        code, _, err = run(runner, str(source), "--plan", str(tmp_path / "plan"))
        assert code == 1 and "the limit is 10 MB" in err
        assert not (tmp_path / "plan").exists()

    def test_a_missing_file(self, runner: CliRunner, tmp_path: Path) -> None:
        code, _, err = run(runner, str(tmp_path / "nope.csv"), "--plan", str(tmp_path / "plan"))
        assert code == 1 and "nope.csv" in err
        assert not (tmp_path / "plan").exists()

    def test_bad_input_into_an_existing_plan_changes_nothing(self, runner: CliRunner, bundled_copy: Path) -> None:
        source = bundled_copy.parent / "empty.csv"
        source.write_bytes(b"")
        before = snapshot(bundled_copy)
        assert run(runner, str(source), "--plan", str(bundled_copy))[0] == 1
        assert snapshot(bundled_copy) == before


class TestPieces:
    @pytest.mark.parametrize("written", ["LBB / Met", "LBB, Met", "LBB and Met", "LBB & Met", "LBB;Met", "LBB\nMet"])
    def test_joint_leads(self, written: str) -> None:
        assert split_leads(written, {}) == ["LBB", "Met"]

    def test_a_known_partner_name_is_not_split(self) -> None:
        known = {"hwb": "HWB", "health and wellbeing board": "HWB", "met": "Met"}
        assert split_leads("Health and Wellbeing Board / MET", known) == ["HWB", "Met"]
        assert split_leads("LBB and LBB", {}) == ["LBB"]

    def test_a_markdown_table_among_others_is_found(self, runner: CliRunner, tmp_path: Path) -> None:
        source = tmp_path / "strategy.md"
        source.write_text(
            "# Annex 2: Safer Streets Action Plan\n\nThe plan runs 2025-28.\n\n"
            "| Year | Incidents |\n|---|---|\n| 2023 | 41 |\n\n"
            "| # | **Activity** | Lead agency | Deadline |\n| :-: | --- | --- | ---: |\n"
            "| 1 | Light the \\| underpass | LBB | 31/03/2026 |\n| 2 | Audit<br>bus stops | TfL | Mar-27 |\n"
        )
        folder = tmp_path / "plan"
        code, out, err = run(runner, str(source), "--plan", str(folder))
        assert code == 0, out + err
        assert "the Markdown table at line 9 of strategy.md" in out
        settings = load_plan(folder, today=date.today()).settings
        assert settings.title == "Safer Streets Action Plan"
        assert (settings.start, settings.end) == (date(2025, 4, 1), date(2028, 3, 31))
        assert [(title, leads) for _, title, leads, _ in essentials(folder)] == [
            ("Light the | underpass", ("LBB",)),
            ("Audit bus stops", ("TfL",)),
        ]

    def test_only_target_errors_of_the_new_rows_are_let_through(self, tmp_path: Path) -> None:
        path = tmp_path / "actions" / "03-x.yaml"
        built = Built({path: b""}, ((3, path),), {path: 8}, ())
        target = Diagnostic(path, 8, 9, "error", "target 'TBC' is not a date or a schedule I know")
        warning = Diagnostic(path, 4, 1, "warning", "looks like an email address")
        assert verdict([target, warning], built) == (warning,)
        with pytest.raises(PlanInvalid) as refused:
            verdict([target, Diagnostic(path, 5, 3, "error", "unknown partner 'X'")], built)
        assert refused.value.refused and len(refused.value.diagnostics) == 1


class TestANewPlanIsCheckedFromMemory:
    """check_plan takes a proposed plan.yaml, so a new plan is checked where it will be, unstaged."""

    def test_a_plan_not_yet_on_disk_is_checked_at_its_own_paths(self, tmp_path: Path) -> None:
        folder = tmp_path / "new"
        plan_file, action = folder / "plan.yaml", folder / "actions" / "01-x.yaml"
        plan_yaml = b"title: T\nstart: 2025-04-01\nend: 2026-03-31\npartners:\n  LBB: Bexley\n"
        checked = check_plan(
            folder,
            today=date(2025, 6, 1),
            overrides={plan_file: plan_yaml, action: b"id: 1\ntitle: X\nleads: [Met]\ntarget: Apr-25\n"},
        )
        assert checked.plan is not None and [f.path for f in checked.plan.actions] == [action]
        (problem,) = checked.diagnostics  # no "there is no actions/ folder" warning: files are coming
        assert (problem.path, problem.line) == (action, 3) and "unknown partner 'Met'" in problem.message
        assert not folder.exists()

    def test_a_dry_run_into_a_new_folder_writes_nothing_anywhere(self, runner: CliRunner, tmp_path: Path) -> None:
        source, folder = tmp_path / "table.csv", tmp_path / "plan"
        source.write_text("Action,Lead,Target\nA,LBB,Apr-26\nB,LBB,Sometime\n", encoding="utf-8")
        code, out, err = run(runner, str(source), "--plan", str(folder), "--dry-run")
        assert code == 0, out + err
        assert "1 row needs attention: row 3 (action 2)" in out
        assert not folder.exists() and sorted(path.name for path in tmp_path.iterdir()) == ["table.csv"]


def test_the_advice_to_check_needs_no_plan_option_when_the_plan_is_here(
    runner: CliRunner, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run inside the plan folder, `vawg check` finds it: the summary must not send you to `--plan ..`."""
    monkeypatch.chdir(bundled_copy)
    (bundled_copy.parent / "a.csv").write_text("Aims,Lead,Target Date\nTest action,LBB,Sometime\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(bundled_copy.parent / "a.csv")])
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith("target 'Sometime' is not a date vawg can read: run vawg check.")


@pytest.mark.parametrize(("given", "leads"), [("lbb", ["LBB"]), ("LBB / Met", ["LBB", "Met"])])
def test_the_lead_option_is_read_as_a_lead_cell_is(
    runner: CliRunner, bundled_copy: Path, tmp_path: Path, given: str, leads: list[str]
) -> None:
    table = tmp_path / "no-lead.csv"
    table.write_text("Aims,Target Date\nDo a,Mar-27\n", encoding="utf-8")
    plan_before = (bundled_copy / "plan.yaml").read_bytes()
    result = runner.invoke(app, ["import", str(table), "--plan", str(bundled_copy), "--lead", given])
    assert result.exit_code == 0, result.output
    (written,) = (bundled_copy / "actions").glob("11-*.yaml")
    assert yaml.safe_load(written.read_text())["leads"] == leads
    assert (bundled_copy / "plan.yaml").read_bytes() == plan_before  # no new partner for a known one
