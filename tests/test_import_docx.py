"""`vawg import` of a Word document: built here with python-docx, as a partnership's plan is written.

Two tables under two headings (one per priority), RAG cells coloured by hand (shaded), a lead cell
merged down two rows, a table continued after a page break with its header repeated.
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from vawg_cli.cli import app
from vawg_cli.interchange.tables.colours import colour_of_fill, colour_of_text
from vawg_cli.model.records import Rag


def invoke(runner: CliRunner, *args: str) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


HEADER = ("Ref", "Action(s)", "Lead partner(s)", "By when", "RAG", "Progress update")


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    cell._tc.get_or_add_tcPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')
    )


def _table(document: Any, rows: list[tuple[str, ...]], fills: dict[int, str]) -> Any:
    table = document.add_table(rows=1 + len(rows), cols=len(HEADER))
    for column, text in enumerate(HEADER):
        table.cell(0, column).text = text
    for number, row in enumerate(rows, 1):
        for column, text in enumerate(row):
            table.cell(number, column).text = text
        if number in fills:
            _shade(table.cell(number, 4), fills[number])
    return table


def build_plan(path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_heading("Safer Anyshire VAWG Action Plan 2025-2028", level=1)
    document.add_paragraph("The partnership's actions, one table per priority.")
    document.add_heading("Priority 1: Prevention", level=2)
    first = _table(
        document,
        [
            (
                "P1-1",
                "Deliver healthy relationships sessions in schools",
                "Anyshire Council",
                "Mar-26",
                "",
                "Six schools booked",
            ),
            ("P1-2", "Run a public awareness campaign", "", "Nov-25", "", ""),
            ("P1-3", "Train licensed premises staff (WAVE)", "Police", "2026-01-31", "Green", "Two sessions held"),
        ],
        {1: "00B050", 2: "FFC000"},
    )
    # The lead of row 1 is merged down into row 2: one partner leads both.
    first.cell(1, 2).merge(first.cell(2, 2))
    first.cell(1, 2).text = "Anyshire Council"
    document.add_paragraph("Priority 2: Support", style=None).runs[0].bold = True
    _table(
        document,
        [
            (
                "P2-1",
                "Commission an independent sexual violence adviser",
                "Public Health Anyshire",
                "Apr-26",
                "",
                "Delayed: funding",
            ),
            ("P2-2", "Publish a directory of support services", "All partners", "Dec-25", "", ""),
        ],
        {1: "FF0000", 2: "0070C0"},
    )
    # The same table after a page break: Word split it, with its header row repeated.
    _table(document, [("P2-3", "Review the MARAC referral pathway", "Police", "Jun-26", "Amber", "")], {})
    document.save(str(path))


@pytest.fixture
def docx_plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.docx"
    build_plan(path)
    return path


def _action(folder: Path, name_start: str) -> dict[str, Any]:
    path = next((folder / "actions").glob(f"{name_start}-*.yaml"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


class TestWordDocument:
    def test_shaded_cells_become_each_actions_first_update(
        self, runner: CliRunner, tmp_path: Path, docx_plan: Path
    ) -> None:
        folder = tmp_path / "plan"
        result = invoke(runner, "import", str(docx_plan), "--plan", str(folder), "--date", "2025-06-30")
        assert result.exit_code == 0, result.output
        colours = {_action(folder, f"0{n}")["id"]: _action(folder, f"0{n}")["updates"] for n in range(1, 7)}
        assert colours[1] == [
            {
                "date": date(2025, 6, 30),
                "rag": "green",
                "note": "Imported from plan.docx, table 1, row 2: Six schools booked",
            }
        ]
        assert colours[2] == [
            {"date": date(2025, 6, 30), "rag": "amber", "note": "Imported from plan.docx, table 1, row 3"}
        ]
        assert colours[3][0]["rag"] == "green"  # its words: "Green"
        assert colours[4][0]["rag"] == "red" and colours[4][0]["note"].endswith(": Delayed: funding")
        assert colours[5][0]["rag"] == "blue"
        assert colours[6][0]["rag"] == "amber"
        assert "6 actions start with an update" in result.stdout

    def test_two_tables_under_two_headings_are_one_plan(
        self, runner: CliRunner, tmp_path: Path, docx_plan: Path
    ) -> None:
        folder = tmp_path / "plan"
        result = invoke(runner, "import", str(docx_plan), "--plan", str(folder))
        assert result.exit_code == 0, result.output
        actions = [_action(folder, f"0{n}") for n in range(1, 7)]
        assert [a["ref"] for a in actions] == ["P1-1", "P1-2", "P1-3", "P2-1", "P2-2", "P2-3"]
        assert [a["id"] for a in actions] == [1, 2, 3, 4, 5, 6]
        assert [a["theme"] for a in actions] == ["Priority 1: Prevention"] * 3 + ["Priority 2: Support"] * 3
        plan = yaml.safe_load((folder / "plan.yaml").read_text(encoding="utf-8"))
        assert plan["title"] == "Safer Anyshire VAWG Action Plan 2025-2028"
        assert (plan["start"], plan["end"]) == (date(2025, 4, 1), date(2028, 3, 31))

    def test_a_merged_lead_cell_leads_each_row_it_spans(
        self, runner: CliRunner, tmp_path: Path, docx_plan: Path
    ) -> None:
        folder = tmp_path / "plan"
        result = invoke(runner, "import", str(docx_plan), "--plan", str(folder))
        assert result.exit_code == 0, result.output
        assert _action(folder, "01")["leads"] == _action(folder, "02")["leads"] == ["AC"]
        assert _action(folder, "04")["leads"] == ["PHA"]
        plan = yaml.safe_load((folder / "plan.yaml").read_text(encoding="utf-8"))
        assert plan["partners"] == {"AC": "Anyshire Council", "Police": "Police", "PHA": "Public Health Anyshire"}
        # "All partners": every partner the table names.
        assert _action(folder, "05")["leads"] == ["AC", "Police", "PHA"]
        assert 'said "All partners"' in result.stdout
        assert "AC (Anyshire Council)" in result.stdout

    def test_the_imported_plan_checks_clean(self, runner: CliRunner, tmp_path: Path, docx_plan: Path) -> None:
        folder = tmp_path / "plan"
        assert invoke(runner, "import", str(docx_plan), "--plan", str(folder)).exit_code == 0
        result = invoke(runner, "check", "--plan", str(folder))
        assert result.exit_code == 0, result.output


class TestRefused:
    def test_a_macro_enabled_document(self, runner: CliRunner, tmp_path: Path, docx_plan: Path) -> None:
        source = tmp_path / "plan.docm"
        with zipfile.ZipFile(docx_plan) as original, zipfile.ZipFile(source, "w") as archive:
            for item in original.infolist():
                archive.writestr(item, original.read(item))
            archive.writestr("word/vbaProject.bin", b"macro")
        result = invoke(runner, "import", str(source), "--plan", str(tmp_path / "plan"))
        assert result.exit_code == 1
        assert "macro-enabled" in result.output and "Word Document (.docx)" in result.output
        assert not (tmp_path / "plan").exists()

    def test_a_docx_that_is_not_one(self, runner: CliRunner, tmp_path: Path) -> None:
        source = tmp_path / "plan.docx"
        source.write_text("| Action | Lead | Target |\n|---|---|---|\n| Train | LBB | Apr-26 |\n")
        result = invoke(runner, "import", str(source), "--plan", str(tmp_path / "plan"))
        assert result.exit_code == 1 and "is named .docx but is not a Word document" in result.output

    def test_a_document_that_unpacks_too_large(
        self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, docx_plan: Path
    ) -> None:
        from vawg_cli.plan import limits

        monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 1000)
        result = invoke(runner, "import", str(docx_plan), "--plan", str(tmp_path / "plan"))
        assert result.exit_code == 1 and "that is not a table of actions" in result.output


@pytest.mark.parametrize(
    ("fill", "rag"),
    [
        ("FF0000", Rag.RED),
        ("C00000", Rag.RED),
        ("E06666", Rag.RED),
        ("FFC000", Rag.AMBER),
        ("FFFF00", Rag.AMBER),
        ("F79646", Rag.AMBER),
        ("00B050", Rag.GREEN),
        ("92D050", Rag.GREEN),
        ("0070C0", Rag.BLUE),
        ("8DB3E2", Rag.BLUE),
        ("A6A6A6", Rag.GREY),
        ("FFFFFF", None),
        ("auto", None),
        ("7030A0", None),
    ],
)
def test_shading_by_nearest_hue(fill: str, rag: Rag | None) -> None:
    assert colour_of_fill(fill) == rag


@pytest.mark.parametrize(
    ("text", "rag"),
    [
        ("Red", Rag.RED),
        ("R", Rag.RED),
        ("amber", Rag.AMBER),
        ("A", Rag.AMBER),
        ("G", Rag.GREEN),
        ("Complete", Rag.BLUE),
        ("Completed", Rag.BLUE),
        ("Blue", Rag.BLUE),
        ("Not started", Rag.GREY),
        ("Ongoing", None),
    ],
)
def test_status_words(text: str, rag: Rag | None) -> None:
    assert colour_of_text(text) == rag


def test_csv_status_and_progress_columns_are_the_first_update(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "plan.csv"
    source.write_text(
        "Ref,Deliverable,Action owner,Timescale,Status,Comments\n"
        "1.1,Train staff,LBB,Apr-26,A,Course booked\n"
        "1.2,Publish leaflet,LBB,Apr-26,Ongoing,Draft written\n"
    )
    folder = tmp_path / "plan"
    result = invoke(runner, "import", str(source), "--plan", str(folder), "--date", "2025-07-01")
    assert result.exit_code == 0, result.output
    first, second = _action(folder, "01"), _action(folder, "02")
    assert first["ref"] == "1.1" and first["updates"] == [
        {"date": date(2025, 7, 1), "rag": "amber", "note": "Imported from plan.csv, row 2: Course booked"}
    ]
    assert second["updates"] == [] and second["notes"] == "Status: Ongoing\nComments: Draft written"


def test_a_table_with_no_lead_column_takes_lead(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "delivery.csv"
    source.write_text("Project,Objective,Forecast End Date\nEstate change,Deliver the estate strategy,Apr-26\n")
    refused = invoke(runner, "import", str(source), "--plan", str(tmp_path / "refused"))
    assert refused.exit_code == 1 and "--lead CODE" in refused.output
    folder = tmp_path / "plan"
    result = invoke(runner, "import", str(source), "--plan", str(folder), "--lead", "OPCC")
    assert result.exit_code == 0, result.output
    assert _action(folder, "01")["leads"] == ["OPCC"]
    assert "OPCC is the lead of 1 action (--lead): the table has no lead column." in result.stdout


def test_into_an_existing_plan_full_names_match_partners_and_all_means_every_partner(
    runner: CliRunner, bundled_copy: Path, tmp_path: Path
) -> None:
    source = tmp_path / "more.csv"
    source.write_text(
        "Action,Lead organisation,When by?\n"
        "Joint training day,Metropolitan Police Service,Apr-27\n"
        "Annual conference,All partners,Apr-27\n"
        "Health pathway,Public Health England,Apr-27\n"
    )
    result = invoke(runner, "import", str(source), "--plan", str(bundled_copy))
    assert result.exit_code == 0, result.output
    new = [_action(bundled_copy, str(n)) for n in (11, 12, 13)]
    assert new[0]["leads"] == ["Met"]
    assert new[1]["leads"] == ["LBB", "Met", "Vol Sector", "PHE"]
    assert new[2]["leads"] == ["PHE"]
    plan = yaml.safe_load((bundled_copy / "plan.yaml").read_text(encoding="utf-8"))
    assert plan["partners"]["PHE"] == "Public Health England"
    assert "PHE (Public Health England)" in result.stdout
    assert invoke(runner, "check", "--plan", str(bundled_copy)).exit_code == 0


def test_a_document_with_no_table_says_what_was_looked_for(runner: CliRunner, tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("Our plan is still being written.")
    source = tmp_path / "draft.docx"
    document.save(str(source))
    result = invoke(runner, "import", str(source), "--plan", str(tmp_path / "plan"))
    assert result.exit_code == 1
    assert "looked in every table of the document for a header row" in result.output


def test_an_xlsx_rag_column_coloured_by_hand(runner: CliRunner, tmp_path: Path) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.styles import PatternFill  # type: ignore[import-untyped,unused-ignore]

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ref", "Commitment", "Responsible", "Completion date", "RAG", "Update"])
    sheet.append(["2a", "Train staff", "LBB", "Apr-26", None, "On course"])
    sheet.append(["2b", "Publish leaflet", "LBB", "Apr-26", None, None])
    sheet["E2"].fill = PatternFill("solid", fgColor="FFC00000")
    source = tmp_path / "plan.xlsx"
    book.save(source)
    folder = tmp_path / "plan"
    result = invoke(runner, "import", str(source), "--plan", str(folder), "--date", "2025-05-01")
    assert result.exit_code == 0, result.output
    first, second = _action(folder, "01"), _action(folder, "02")
    assert first["ref"] == "2a" and first["updates"] == [
        {"date": date(2025, 5, 1), "rag": "red", "note": "Imported from plan.xlsx, row 2: On course"}
    ]
    assert second["updates"] == []


def test_a_row_merged_across_the_table_is_a_heading_and_a_split_table_continues(
    runner: CliRunner, tmp_path: Path
) -> None:
    from docx import Document

    document = Document()
    table = document.add_table(rows=4, cols=3)
    for column, text in enumerate(("What", "Who", "When")):
        table.cell(0, column).text = text
    table.cell(1, 0).merge(table.cell(1, 2)).text = "Theme 1: Prevention"
    for column, text in enumerate(("Run assemblies", "LBB", "Apr-26")):
        table.cell(2, column).text = text
    for column, text in enumerate(("Train governors", "LBB", "Apr-26")):
        table.cell(3, column).text = text
    # Word split the table at a page break: the rest has no header row of its own.
    rest = document.add_table(rows=1, cols=3)
    for column, text in enumerate(("Brief youth workers", "Met", "Apr-26")):
        rest.cell(0, column).text = text
    source = tmp_path / "plan.docx"
    document.save(str(source))
    folder = tmp_path / "plan"
    result = invoke(runner, "import", str(source), "--plan", str(folder))
    assert result.exit_code == 0, result.output
    actions = [_action(folder, f"0{n}") for n in (1, 2, 3)]
    assert [a["title"] for a in actions] == ["Run assemblies", "Train governors", "Brief youth workers"]
    assert [a["theme"] for a in actions] == ["Theme 1: Prevention"] * 3
    assert "Read 3 rows from table 1 of plan.docx" in result.stdout


class TestHostileTables:
    """A Word document comes from another organisation: its merges and spans are not trusted."""

    def build(self, path: Path, rows: int, *, span: str | None = None, merge_from_top: bool = False) -> Path:
        import docx
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        document = docx.Document()
        table = document.add_table(rows=rows + 1, cols=4)
        for column, text in enumerate(("No.", "Action", "Lead", "Target")):
            table.cell(0, column).text = text
        # Through the rows' own cells: python-docx's table.cell(row, column) walks the table each time.
        for number, row_cells in enumerate((row.cells for row in table.rows), start=0):
            if number:
                row_cells[0].text, row_cells[1].text, row_cells[3].text = str(number), f"Do thing {number}", "Mar-27"
            if number or merge_from_top:
                merge = OxmlElement("w:vMerge")
                if number == 1 and not merge_from_top:
                    merge.set(qn("w:val"), "restart")
                    row_cells[2].text = "LBB"
                row_cells[2]._tc.get_or_add_tcPr().append(merge)
        if span is not None:
            grid_span = OxmlElement("w:gridSpan")
            grid_span.set(qn("w:val"), span)
            table.cell(1, 1)._tc.get_or_add_tcPr().append(grid_span)
        document.save(str(path))
        return path

    def test_a_lead_merged_down_a_thousand_rows_imports_in_seconds(self, runner: CliRunner, tmp_path: Path) -> None:
        import time

        started = time.monotonic()
        result = invoke(runner, "import", str(self.build(tmp_path / "long.docx", 1000)), "--plan", str(tmp_path / "p"))
        assert result.exit_code == 0, result.output
        assert time.monotonic() - started < 20
        assert "leads:\n  - LBB" in (tmp_path / "p" / "actions" / "1000-do-thing-1000.yaml").read_text()

    @pytest.mark.parametrize("span", ["abc", "0", "-5", "99999999999999999999"])
    def test_a_span_word_could_not_have_written_is_no_traceback(
        self, runner: CliRunner, tmp_path: Path, span: str
    ) -> None:
        result = invoke(
            runner, "import", str(self.build(tmp_path / "s.docx", 2, span=span)), "--plan", str(tmp_path / "p")
        )
        assert ("Traceback" not in result.output and result.exception is None) or isinstance(
            result.exception, SystemExit
        )
        if span == "99999999999999999999":
            assert result.exit_code == 1 and "more than 200 columns" in result.output

    def test_a_merge_with_no_cell_above_is_an_empty_cell(self, runner: CliRunner, tmp_path: Path) -> None:
        path = self.build(tmp_path / "top.docx", 2, merge_from_top=True)
        invoke(runner, "import", str(path), "--plan", str(tmp_path / "p"), "--lead", "LBB")  # no exception escapes
