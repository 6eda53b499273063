"""docs/cli.md is every command's --help as a terminal shows it, and every command has help worth reading."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import typer

from conftest import REPO


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_reference", REPO / "scripts" / "cli_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cli_reference = _load_script()


def commands() -> list[tuple[str, ...]]:
    """Every command and subcommand, by walking the command tree (the root, `()`, left out)."""
    return [path for path in cli_reference.all_commands() if path]


class TestReference:
    def test_docs_cli_md_is_up_to_date(self) -> None:
        ok, message = cli_reference.check()
        assert ok, message

    def test_check_fails_and_names_the_file_when_stale(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        stale = tmp_path / "cli.md"
        stale.write_text(
            (REPO / "docs" / "cli.md").read_text(encoding="utf-8").replace("Only overdue actions.", "Overdue."),
            encoding="utf-8",
        )
        assert cli_reference.main(["--check", "--output", str(stale)]) == 1
        error = capsys.readouterr().err
        assert f"{stale} is out of date" in error
        assert "python scripts/cli_reference.py" in error
        assert "-  --overdue                       Overdue." in error

    def test_check_fails_when_missing(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert cli_reference.main(["--check", "--output", str(tmp_path / "cli.md")]) == 1
        assert "cli.md is missing" in capsys.readouterr().err

    def test_windows_line_endings_are_not_stale(self, tmp_path: Path) -> None:
        crlf = tmp_path / "cli.md"
        crlf.write_bytes((REPO / "docs" / "cli.md").read_bytes().replace(b"\n", b"\r\n"))
        assert cli_reference.main(["--check", "--output", str(crlf)]) == 0

    def test_writing_makes_the_check_pass(self, tmp_path: Path) -> None:
        written = tmp_path / "docs" / "cli.md"
        assert cli_reference.main(["--output", str(written)]) == 0
        assert cli_reference.main(["--check", "--output", str(written)]) == 0
        assert b"\r\n" not in written.read_bytes()

    def test_every_command_has_a_heading_and_a_contents_entry(self) -> None:
        reference = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
        for path in commands():
            name = " ".join(("vawg", *path))
            assert f"## `{name}`\n" in reference, name
            assert f"[`{name}`](#{'-'.join(('vawg', *path))})" in reference, name

    @pytest.mark.parametrize("path", [(), ("status",), ("update",)])
    def test_the_reference_is_what_a_terminal_shows(self, path: tuple[str, ...], tmp_path: Path) -> None:
        env = {**os.environ, "COLUMNS": "120", "VAWG_CACHE_DIR": str(tmp_path)}
        done = subprocess.run(
            [sys.executable, "-m", "vawg_cli", *path, "--help"], capture_output=True, text=True, env=env, check=False
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.rstrip() + "\n" == cli_reference.help_text(path)

    def test_the_walk_finds_subcommands_of_subcommands(self) -> None:
        inner = typer.Typer()
        inner.command("add")(lambda: None)
        inner.command("drop")(lambda: None)
        outer = typer.Typer()
        outer.command("one")(lambda: None)
        outer.add_typer(inner, name="partners")
        paths = cli_reference.command_paths(typer.main.get_command(outer))
        assert paths == [(), ("one",), ("partners",), ("partners", "add"), ("partners", "drop")]

    def test_fence_outlasts_backticks_in_help(self) -> None:
        assert cli_reference.fence("plain") == "```"
        assert cli_reference.fence("a ```` b") == "`````"


class TestHelpAndReadme:
    def test_the_commands(self) -> None:
        """A command that goes missing (or appears) is noticed; add a new one here and to the README."""
        # In `vawg --help` order: the commands that read the plan (cli/reading.py, then
        # cli/reading_measures.py), then those that change it (cli/writing.py), then the groups
        # (cli/measures.py, cli/returns.py).
        assert commands() == [
            ("status",),
            ("check",),
            ("report",),
            ("export",),
            ("diff",),
            ("schema",),
            ("measures",),
            ("update",),
            ("new",),
            ("retarget",),
            ("hold",),
            ("withdraw",),
            ("resume",),
            ("import",),
            ("init",),
            ("measure",),
            ("measure", "add"),
            ("measure", "record"),
            ("returns",),
            ("returns", "make"),
            ("returns", "read"),
            ("returns", "status"),
        ]

    @pytest.mark.parametrize("path", [(), *commands()], ids=lambda path: " ".join(("vawg", *path)))
    def test_every_command_has_help_with_an_example(self, path: tuple[str, ...]) -> None:
        text = cli_reference.help_text(path)
        name = " ".join(("vawg", *path))
        assert f"Usage: {name}" in text
        description = text.split("Options:")[0]
        assert "\n  Example:\n\n      vawg" in description, f"{name} --help has no `Example:` section"

    @pytest.mark.parametrize("path", commands(), ids=lambda path: " ".join(("vawg", *path)))
    def test_every_command_is_in_the_readme(self, path: tuple[str, ...]) -> None:
        readme = (REPO / "README.md").read_text(encoding="utf-8")
        assert f"vawg {' '.join(path)}" in readme

    def test_the_readme_links_the_reference(self) -> None:
        readme = (REPO / "README.md").read_text(encoding="utf-8")
        assert "(docs/cli.md)" in readme


class TestSetUpCommands:
    """The README's first two commands set everything up; CI runs the second; Windows has the same two."""

    def commands(self) -> list[str]:
        readme = (REPO / "README.md").read_text(encoding="utf-8")
        return re.findall(r"```sh\n(.*)\n```", readme)[:2]

    def test_the_readme_starts_with_the_two_set_up_commands(self) -> None:
        assert self.commands() == [
            "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/vawg status",
            "python3 -m venv .venv && .venv/bin/pip install '.[test]' && .venv/bin/pytest",
        ]

    def test_ci_runs_the_readmes_test_command(self) -> None:
        ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
        assert ci.rstrip().splitlines()[-1] == self.commands()[1]

    def test_windows_has_the_same_two_commands_in_powershell(self) -> None:
        readme = (REPO / "README.md").read_text(encoding="utf-8")
        for command in self.commands():
            powershell = (
                command.replace("python3 -m", "py -m").replace(" && ", "; ").replace(".venv/bin/", ".venv\\Scripts\\")
            )
            assert f"```powershell\n{powershell}\n```" in readme
