"""Untrusted input (plan files from pull requests, import files, a shared cache folder): every
command finishes in seconds or refuses with a message; none shows a traceback or raw escapes."""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from vawg_cli.cli import app

AS_OF = "2025-05-01"


class Blocked(BaseException):
    """Raised by the alarm: a BaseException, so that no `except Exception` in vawg can swallow it."""


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail a test that blocks (on a named pipe, say) instead of hanging the suite."""

    def give_up(signum: int, frame: object) -> None:
        raise Blocked("the command blocked for 10 seconds")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def invoke(runner: CliRunner, *args: str) -> Result:
    # color=True: click otherwise strips well-formed ANSI sequences from echoed text, hiding leaks.
    result = runner.invoke(app, list(args), color=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def status_json(runner: CliRunner, plan: Path) -> str:
    result = invoke(runner, "status", "--plan", str(plan), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    return result.stdout


def cache_files() -> list[Path]:
    return list(Path(os.environ["VAWG_CACHE_DIR"]).glob("plan-*.pickle"))


class TestTheParseCache:
    @pytest.mark.skipif(not hasattr(os, "getuid"), reason="file modes are POSIX")
    def test_every_cache_file_is_readable_by_its_owner_alone(self, runner: CliRunner, bundled_copy: Path) -> None:
        # The parse cache holds restricted notes; the snapshot and compiled templates sit beside it.
        os.umask(0o022)
        for command in (("status",), ("check",), ("report",)):
            assert invoke(runner, *command, "--plan", str(bundled_copy), "--as-of", AS_OF).exit_code == 0
        kept = sorted(Path(os.environ["VAWG_CACHE_DIR"]).iterdir())
        assert {path.name.split("-")[0] for path in kept} >= {"plan", "template"}  # status: racy files here
        assert {path.name: oct(path.stat().st_mode & 0o777) for path in kept} == {path.name: "0o600" for path in kept}

    @pytest.mark.parametrize("command", [("status",), ("status", "--format", "json"), ("check",), ("report",)])
    def test_a_cache_folder_that_is_a_loop_of_links_is_not_used(
        self,
        runner: CliRunner,
        bundled_copy: Path,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        command: tuple[str, ...],
    ) -> None:
        # Path.resolve raises on a loop: the command must run without its cache, not crash.
        (tmp_path / "a").symlink_to(tmp_path / "b")
        (tmp_path / "b").symlink_to(tmp_path / "a")
        monkeypatch.setenv("VAWG_CACHE_DIR", str(tmp_path / "a"))
        result = invoke(runner, *command, "--plan", str(bundled_copy), "--as-of", AS_OF)
        assert result.exit_code == 0, result.output

    def test_a_named_pipe_in_place_of_the_cache_file_is_not_waited_on(
        self, runner: CliRunner, bundled_copy: Path, deadline: None
    ) -> None:
        first = status_json(runner, bundled_copy)
        (cached,) = cache_files()
        cached.unlink()
        os.mkfifo(cached)
        assert status_json(runner, bundled_copy) == first

    def test_a_folder_in_place_of_the_cache_file_is_passed_over(self, runner: CliRunner, bundled_copy: Path) -> None:
        first = status_json(runner, bundled_copy)
        (cached,) = cache_files()
        cached.unlink()
        cached.mkdir()
        assert status_json(runner, bundled_copy) == first

    def test_a_planted_link_is_neither_read_nor_written_through(
        self, runner: CliRunner, bundled_copy: Path, tmp_path: Path
    ) -> None:
        first = status_json(runner, bundled_copy)
        (cached,) = cache_files()
        elsewhere = tmp_path / "elsewhere.pickle"
        cached.rename(elsewhere)
        cached.symlink_to(elsewhere)
        kept = elsewhere.read_bytes()
        (bundled_copy / "actions" / "01-update-strategy.yaml").write_text(
            (bundled_copy / "actions" / "01-update-strategy.yaml").read_text() + "# changed\n"
        )
        assert status_json(runner, bundled_copy) == first
        assert elsewhere.read_bytes() == kept
        assert not cached.is_symlink(), "the new cache replaces the link rather than writing through it"

    @pytest.mark.parametrize(
        "entry",
        [("not a record", ()), (None, "problems"), (None, ((1, "x", "error", "m"),)), 42, (None,)],
        ids=["wrong-record", "wrong-problems", "wrong-problem", "a-number", "short-tuple"],
    )
    def test_cache_entries_of_the_wrong_shape_are_ignored(
        self, runner: CliRunner, bundled_copy: Path, entry: object
    ) -> None:
        first = status_json(runner, bundled_copy)
        (cached,) = cache_files()
        stamp, entries, index, written = pickle.loads(cached.read_bytes())
        cached.write_bytes(pickle.dumps((stamp, dict.fromkeys(entries, entry), index, written)))
        assert status_json(runner, bundled_copy) == first

    @pytest.mark.parametrize("damage", [42, "x", (1, 2, 3), ((1, 2, 3, 4), "not bytes"), None])
    def test_index_entries_of_the_wrong_shape_are_ignored(
        self, runner: CliRunner, bundled_copy: Path, damage: object
    ) -> None:
        first = status_json(runner, bundled_copy)
        (cached,) = cache_files()
        stamp, entries, index, written = pickle.loads(cached.read_bytes())
        cached.write_bytes(pickle.dumps((stamp, entries, dict.fromkeys(index, damage), written)))
        assert status_json(runner, bundled_copy) == first

    @pytest.mark.parametrize(
        "content",
        [pickle.dumps([1, 2, 3]), pickle.dumps(("stamp", "entries", "more")), pickle.dumps(None)[:-3], b""],
        ids=["a-list", "three-items", "truncated", "empty"],
    )
    def test_a_pickle_of_another_structure_is_ignored(
        self, runner: CliRunner, bundled_copy: Path, content: bytes
    ) -> None:
        first = status_json(runner, bundled_copy)
        (cached,) = cache_files()
        cached.write_bytes(content)
        assert status_json(runner, bundled_copy) == first


def unknown_keys(count: int) -> str:
    return "id: 1\ntitle: T\nleads: [LBB]\ntarget: Apr-25\n" + "".join(f"k{i}: 1\n" for i in range(count))


class TestFilesWithManyProblems:
    def test_the_first_fifty_problems_are_listed_then_counted(self, runner: CliRunner, bundled_copy: Path) -> None:
        (bundled_copy / "actions" / "01-update-strategy.yaml").write_text(unknown_keys(300))
        result = invoke(runner, "check", "--plan", str(bundled_copy), "--as-of", AS_OF)
        lines = [line for line in result.stdout.splitlines() if "01-update-strategy.yaml:" in line]
        assert len(lines) == 51, result.stdout
        assert lines[0].endswith("unknown key 'k0'; the keys here are: " + lines[0].split("are: ")[1])
        assert "and 250 more problems in this file" in lines[-1]
        assert ":55:1: error: and 250 more" in lines[-1], "placed at the first problem not listed (k50, line 55)"
        assert result.exit_code == 1

    def test_twenty_thousand_unknown_keys_take_seconds_not_minutes(self, deadline: None) -> None:
        from vawg_cli.model.records import Action
        from vawg_cli.plan.parsing import parse_plan_file

        _, problems = parse_plan_file(unknown_keys(20_000).encode(), Action)
        assert len(problems) == 51


HUGE = "9" * 5000  # more digits than Python reads or prints (4,300)


class TestNumbersTooLongToRead:
    @pytest.mark.parametrize("line", [f"id: {HUGE}", f"id: 0x{'f' * 4000}", f"notes: -{HUGE}"])
    def test_in_an_action_file(self, runner: CliRunner, bundled_copy: Path, line: str) -> None:
        action = bundled_copy / "actions" / "01-update-strategy.yaml"
        action.write_text(action.read_text().replace("id: 1", line))
        for command in ("check", "status"):
            result = invoke(runner, command, "--plan", str(bundled_copy), "--as-of", AS_OF)
            assert result.exit_code == 1
            assert "error: this number is thousands of digits long" in result.output

    def test_in_plan_yaml(self, runner: CliRunner, bundled_copy: Path) -> None:
        plan = bundled_copy / "plan.yaml"
        plan.write_text(plan.read_text().replace("due_soon_days: 30", f"due_soon_days: {HUGE}"))
        result = invoke(runner, "check", "--plan", str(bundled_copy), "--as-of", AS_OF)
        assert "plan.yaml:9:16: error: this number is thousands of digits long" in result.stdout

    def test_a_quoted_one_is_named_by_its_start(self, runner: CliRunner, bundled_copy: Path) -> None:
        action = bundled_copy / "actions" / "01-update-strategy.yaml"
        action.write_text(action.read_text().replace("id: 1", f'id: "{HUGE}"'))
        result = invoke(runner, "check", "--plan", str(bundled_copy), "--as-of", AS_OF)
        assert f"found '{'9' * 60}…'" in result.stdout

    def test_in_a_committed_file_compared_by_diff(
        self, runner: CliRunner, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import subprocess

        monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
        monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        for variable in ("AUTHOR", "COMMITTER"):
            monkeypatch.setenv(f"GIT_{variable}_NAME", "Test")
            monkeypatch.setenv(f"GIT_{variable}_EMAIL", "test@example.org")
        action = bundled_copy / "actions" / "01-update-strategy.yaml"
        action.write_text(action.read_text().replace("id: 1", f"id: {HUGE}"))
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "huge"]):
            subprocess.run(["git", *args], cwd=bundled_copy, check=True)
        action.write_text(action.read_text().replace(f"id: {HUGE}", "id: 1"))
        result = invoke(runner, "diff", "--plan", str(bundled_copy))
        assert result.exit_code == 0, result.output
        assert "thousands of digits" in result.stdout

    def test_in_an_import_cell(self, runner: CliRunner, tmp_path: Path) -> None:
        source = tmp_path / "plan.csv"
        source.write_text(f"No.,Aim,Lead,Target\n{HUGE},Train staff,LBB,Apr-26\n1,{HUGE},LBB,Apr-26\n")
        result = invoke(runner, "import", str(source), "--plan", str(tmp_path / "plan"))
        assert result.exit_code == 1
        assert f"row 2: the number '{'9' * 60}...' is not a whole number above 0" in result.output

    def test_a_title_of_digits_alone_is_written_quoted(self, runner: CliRunner, tmp_path: Path) -> None:
        source = tmp_path / "plan.csv"
        source.write_text(f"No.,Aim,Lead,Target\n1,{HUGE},LBB,Apr-26\n")
        result = invoke(runner, "import", str(source), "--plan", str(tmp_path / "plan"))
        assert result.exit_code == 0, result.output
        (written,) = (tmp_path / "plan" / "actions").glob("*.yaml")
        assert f'title: "{HUGE}"' in written.read_text()


class TestDaysOutsideAPlansReach:
    @pytest.mark.parametrize("command", ["status", "report", "export", "check"])
    @pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
    def test_as_of(self, runner: CliRunner, command: str, day: str) -> None:
        from conftest import BUNDLED_PLAN

        result = invoke(runner, command, "--plan", str(BUNDLED_PLAN), "--as-of", day)
        assert result.exit_code == 2
        assert f"{day} is not a day of a plan; give a date from 1900 to 2200" in result.output

    @pytest.mark.parametrize("quarter", ["9999-Q4", "0000-Q1", "Q1 9999/00"])
    def test_quarter(self, runner: CliRunner, quarter: str) -> None:
        from conftest import BUNDLED_PLAN

        result = invoke(runner, "report", "--plan", str(BUNDLED_PLAN), "--quarter", quarter)
        assert result.exit_code == 2
        assert "is not a year of a plan; write a year from 1900 to 2200" in result.output


class TestImportFilesTooBigToRead:
    def test_a_named_pipe_is_refused_not_waited_on(self, runner: CliRunner, tmp_path: Path, deadline: None) -> None:
        pipe = tmp_path / "table.csv"
        os.mkfifo(pipe)
        result = invoke(runner, "import", str(pipe), "--plan", str(tmp_path / "plan"))
        assert result.exit_code == 1
        assert "is not a file (a pipe or a device)" in result.output
        assert not (tmp_path / "plan").exists()

    def test_a_csv_row_of_too_many_columns(self, runner: CliRunner, tmp_path: Path) -> None:
        source = tmp_path / "wide.csv"
        source.write_text("No.,Aim,Lead,Target," + ",".join(f"c{i}" for i in range(300)) + "\n1,A,LBB,Apr-26\n")
        result = invoke(runner, "import", str(source), "--plan", str(tmp_path / "plan"))
        assert result.exit_code == 1
        assert "row 1 has more than 200 columns" in result.output

    def test_empty_cells_after_the_table_are_not_columns(self, runner: CliRunner, tmp_path: Path) -> None:
        source = tmp_path / "excel.csv"
        source.write_text("No.,Aim,Lead,Target" + "," * 500 + "\n1,A,LBB,Apr-26" + "," * 500 + "\n")
        result = invoke(runner, "import", str(source), "--plan", str(tmp_path / "plan"))
        assert result.exit_code == 0, result.output

    def test_a_markdown_table_of_too_many_columns(self, runner: CliRunner, tmp_path: Path) -> None:
        source = tmp_path / "wide.md"
        source.write_text(
            "| No. | Aim | Lead | Target |" + " x |" * 300 + "\n|---|---|---|---|\n| 1 | A | LBB | Apr-26 |\n"
        )
        result = invoke(runner, "import", str(source), "--plan", str(tmp_path / "plan"))
        assert result.exit_code == 1
        assert "the Markdown table at line 1 of wide.md: line 1 has more than 200 columns" in result.output

    def test_a_sheet_used_up_to_column_xfd(self, runner: CliRunner, tmp_path: Path, deadline: None) -> None:
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["No.", "Aim", "Lead", "Target"])
        sheet.append([1, "Train staff", "LBB", "Apr-26"])
        for row in range(1, 9001):  # read as 9,000 rows of 16,384 cells, this took minutes
            sheet.cell(row=row, column=16384, value=1)
        source = tmp_path / "wide.xlsx"
        book.save(source)
        result = invoke(runner, "import", str(source), "--plan", str(tmp_path / "plan"))
        assert result.exit_code == 1
        assert "is used up to column XFD (16384 columns)" in result.output

    def test_a_sheet_without_a_dimension_is_read_only_as_wide_as_a_table(self, tmp_path: Path) -> None:
        import re
        import zipfile

        from vawg_cli.interchange.tables import read_table

        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["No.", "Aim", "Lead", "Target"])
        sheet.append([1, "Train staff", "LBB", "Apr-26"])
        sheet.cell(row=2, column=16384, value="far away")
        saved = tmp_path / "saved.xlsx"
        book.save(saved)
        source = tmp_path / "no-dimension.xlsx"
        with zipfile.ZipFile(saved) as old, zipfile.ZipFile(source, "w") as new:
            for item in old.infolist():
                data = old.read(item)
                if item.filename.startswith("xl/worksheets/"):
                    data = re.sub(rb"<dimension [^>]*/>", b"", data)
                new.writestr(item, data)
        table, _ = read_table(source, {})
        assert len(table.header) == 4, "the cell in column XFD is beyond the columns read"

    def test_a_workbook_of_too_much_text(
        self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import zipfile

        from vawg_cli.plan import limits

        openpyxl = pytest.importorskip("openpyxl")
        monkeypatch.setattr(limits, "MAX_SHARED_STRINGS_BYTES", 1024 * 1024)
        book = openpyxl.Workbook()
        book.active.append(["No.", "Aim", "Lead", "Target"])
        source = tmp_path / "wordy.xlsx"
        book.save(source)
        # Excel keeps a workbook's text in xl/sharedStrings.xml, which openpyxl reads whole on opening.
        with zipfile.ZipFile(source, "a", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>words</t></si>" * 100_000 + "</sst>")
        result = invoke(runner, "import", str(source), "--plan", str(tmp_path / "plan"))
        assert result.exit_code == 1
        assert "holds 2 MB of text; a table of actions holds far less (the limit is 1 MB)" in result.output


ESCAPES = ("\x1b", "\u202e", "\x9b", "\x07")


def assert_inert(output: str) -> None:
    for char in ESCAPES:
        assert char not in output, f"{char!r} reached the terminal raw"


@pytest.fixture
def escaped_plan(bundled_copy: Path) -> Path:
    """The bundled plan with escapes written the YAML way ("\\e", "\\u202e") in a partner code, a
    title, a note and the plan's own title: after parsing they are the characters themselves."""
    plan = bundled_copy / "plan.yaml"
    plan.write_text(
        plan.read_text()
        .replace("  Met: Metropolitan", '  "M\\e]0;pwned\\aet": Metropolitan')
        .replace("title: Bexley VAWG Partnership Action Plan 2024-2028", 'title: "\\e[2JBexley \\u202eVAWG"')
    )
    for action in (bundled_copy / "actions").glob("*.yaml"):
        action.write_text(action.read_text().replace("- Met", '- "M\\e]0;pwned\\aet"'))
    for measure in (bundled_copy / "measures").glob("*.yaml"):
        measure.write_text(measure.read_text().replace("lead: Met", 'lead: "M\\e]0;pwned\\aet"'))
    trained = bundled_copy / "measures" / "TRAINED.yaml"
    trained.write_text(trained.read_text().replace("name: Professionals", 'name: "\\e[5mProfessionals\\u202e" #'))
    first = bundled_copy / "actions" / "01-update-strategy.yaml"
    first.write_text(
        first.read_text()
        .replace("title: Update Bexley VAWG Strategy", 'title: "Update \\e[31mBexley\\x9b \\u202eStrategy"')
        .replace("updates: []", 'updates:\n  - {date: 2025-01-10, rag: green, note: "On \\e[8mtrack\\u202e"}')
    )
    return bundled_copy


class TestNothingFromThePlanReachesATerminalRaw:
    def test_status(self, runner: CliRunner, escaped_plan: Path) -> None:
        result = invoke(runner, "status", "--plan", str(escaped_plan), "--as-of", AS_OF)
        assert result.exit_code == 0, result.output
        assert_inert(result.output)
        assert "Update \\x1b[31mBexley\\x9b \\u202eStrategy" in result.stdout
        assert "M\\x1b]0;pwned\\x07et" in result.stdout
        assert "\\x1b[2JBexley \\u202eVAWG" in result.stdout.splitlines()[0]

    def test_check_messages(self, runner: CliRunner, escaped_plan: Path) -> None:
        action = escaped_plan / "actions" / "02-raise-awareness.yaml"
        action.write_text(action.read_text().replace("- LBB", '- "L\\e[1mBB\\u202e"'))
        result = invoke(runner, "check", "--plan", str(escaped_plan), "--as-of", AS_OF)
        assert result.exit_code == 1
        assert_inert(result.output)
        assert "unknown partner 'L\\x1b[1mBB\\u202e'" in result.stdout
        assert "M\\x1b]0;pwned\\x07et" in result.stdout, "the partners listed in the message"

    def test_report_on_standard_output(self, runner: CliRunner, escaped_plan: Path) -> None:
        for fmt in ("md", "html"):
            result = invoke(
                runner, "report", "--plan", str(escaped_plan), "--as-of", AS_OF, "--quarter", "2024-Q4", "--format", fmt
            )
            assert result.exit_code == 0, result.output
            assert_inert(result.output)
            assert "\\u202eStrategy" in result.stdout
            assert "5mProfessionals\\u202e" in result.stdout, "a measure's name, in the Measures section"

    def test_diff_text(self, runner: CliRunner, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        import subprocess

        monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
        monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        for variable in ("AUTHOR", "COMMITTER"):
            monkeypatch.setenv(f"GIT_{variable}_NAME", "Test")
            monkeypatch.setenv(f"GIT_{variable}_EMAIL", "test@example.org")
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "plan"]):
            subprocess.run(["git", *args], cwd=bundled_copy, check=True)
        first = bundled_copy / "actions" / "01-update-strategy.yaml"
        first.write_text(
            first.read_text()
            .replace("title: Update Bexley VAWG Strategy", 'title: "Update \\u202eStrategy"')
            .replace("updates: []", 'updates:\n  - {date: 2025-01-10, rag: green, note: "On \\u2066track"}')
        )
        result = invoke(runner, "diff", "--plan", str(bundled_copy))
        assert result.exit_code == 0, result.output
        assert "\u202e" not in result.output and "\u2066" not in result.output
        assert "Update \\u202eStrategy" in result.stdout

    def test_import_summary(self, runner: CliRunner, tmp_path: Path) -> None:
        source = tmp_path / "table\u202e.csv"
        source.write_text("No.,Aim,Lead,Target\n1,Train staff,L\x1b[1mBB,Apr-26\n2,Train more,LBB,someday\x9b\n")
        result = invoke(runner, "import", str(source), "--plan", str(tmp_path / "plan"), "--dry-run")
        assert result.exit_code == 0, result.output
        assert_inert(result.output)
        assert "L\\x1b[1mBB" in result.stdout and "table\\u202e.csv" in result.stdout

    def test_a_file_name_with_a_newline_keeps_its_diagnostic_on_one_line(
        self, runner: CliRunner, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(bundled_copy.parent)
        (bundled_copy / "actions" / "11-bad\nplan:1:1: error: \x1b[2Jfake.yaml").write_text(
            "id: 11\ntitle: T\nleads: [LBB]\ntarget: Apr-26\nextra: 1\n"
        )
        result = invoke(runner, "check", "--plan", "plan", "--as-of", AS_OF)
        assert_inert(result.output)
        (line,) = [line for line in result.stdout.splitlines() if "11-bad" in line]
        assert line.startswith("plan/actions/11-bad\\x0aplan:1:1: error: \\x1b[2Jfake.yaml:5:1: error: unknown key")


def notes_in(action: Path) -> list[str]:
    import yaml

    return [update["note"] for update in yaml.safe_load(action.read_bytes())["updates"]]


class TestNotesTheEditorWritesEscaped:
    @pytest.mark.parametrize(
        "note",
        [
            "DEL \x7f here",
            "C1 \x9b[31m and \x85 next line",
            "not a character \ufffe",
            "a mark \ufeff inside",
            "a\u2028b",
        ],
        ids=["del", "c1", "fffe", "bom", "line-separator"],
    )
    def test_round_trip(self, runner: CliRunner, bundled_copy: Path, note: str) -> None:
        result = invoke(
            runner, "update", "3", "--plan", str(bundled_copy), "--rag", "amber", "--note", note, "--date", "2025-01-10"
        )
        assert result.exit_code == 0, result.output
        action = bundled_copy / "actions" / "03-referral-processes.yaml"
        assert notes_in(action) == [note.strip()]
        assert_inert(result.output)

    def test_an_old_mac_file_keeps_its_carriage_returns(self, runner: CliRunner, bundled_copy: Path) -> None:
        action = bundled_copy / "actions" / "03-referral-processes.yaml"
        before = action.read_bytes().replace(b"\n", b"\r")
        action.write_bytes(before)
        result = invoke(
            runner,
            "update",
            "3",
            "--plan",
            str(bundled_copy),
            "--rag",
            "amber",
            "--note",
            "Drafted",
            "--date",
            "2025-01-10",
        )
        assert result.exit_code == 0, result.output
        added = b"updates:\r  - date: 2025-01-10\r    rag: amber\r    note: Drafted\r"
        assert action.read_bytes() == before.replace(b"updates: []\r", added)

    def test_a_windows_file_s_dry_run_diff_shows_no_escaped_line_ends(
        self, runner: CliRunner, bundled_copy: Path
    ) -> None:
        action = bundled_copy / "actions" / "03-referral-processes.yaml"
        action.write_bytes(action.read_bytes().replace(b"\n", b"\r\n"))
        result = invoke(
            runner, "update", "3", "--plan", str(bundled_copy), "--rag", "amber", "--note", "x", "--dry-run"
        )
        assert result.exit_code == 0, result.output
        assert "+    note: x" in result.stdout and "\\x0d" not in result.stdout


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.text())
def test_any_note_reads_back_as_given(bundled_copy: Path, note: str) -> None:
    """The law behind `vawg update --note`: whatever is typed (trimmed, as the command does) is
    what the file holds afterwards, or the note is refused as empty."""
    from datetime import date

    from vawg_cli.edit.writes import add_update
    from vawg_cli.model.records import Rag, Update

    note = note.strip()
    assume(note)
    action = bundled_copy / "actions" / "03-referral-processes.yaml"
    original = action.read_bytes()
    try:
        add_update(
            bundled_copy,
            3,
            Update(date(2025, 1, 10), Rag.AMBER, note, None, False),
            today=date(2025, 2, 1),
            cache_dir=None,
        )
        assert notes_in(action) == [note]
    finally:
        action.write_bytes(original)


@pytest.mark.parametrize("target", ["9999-12-31", "31/12/9999", "31 December 9999"])
def test_a_target_in_the_year_9999_says_the_year_is_wrong(target: str) -> None:
    from vawg_cli.model.schedule import TargetError, parse_target

    with pytest.raises(TargetError, match="the year 9999 is not a year of a plan"):
        parse_target(target)


@given(st.text())
def test_printable_text_passes_through_and_nothing_unsafe_does(text: str) -> None:
    # Law: the fast path (text Python calls printable is returned as it is) never lets through a
    # character the escaping would have changed.
    from vawg_cli.text import _UNSAFE_OR_BREAK, _UNSAFE_OR_LONE_CR, _escape, printable

    for newlines, pattern in ((False, _UNSAFE_OR_BREAK), (True, _UNSAFE_OR_LONE_CR)):
        assert printable(text, newlines=newlines) == pattern.sub(_escape, text)
