"""A paper's template is compiled once and its code kept in the user's cache folder
(render/template_cache.py): the paper must come out the same, an edited template must be compiled
again, and compiled code is loaded only from a file that nobody else could have written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import copy_plan
from vawg_cli.cli import app
from vawg_cli.render import templates

AS_OF = "2026-01-20"


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates compiled from their source."""
    names: list[str] = []
    real = templates.ReportEnvironment.compile

    def counting(self: templates.ReportEnvironment, *args: object, **kwargs: object) -> object:
        names.append(str(args[1] if len(args) > 1 else kwargs.get("name")))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(templates.ReportEnvironment, "compile", counting)
    return names


def paper(runner: CliRunner, plan: Path, *extra: str) -> str:
    result = runner.invoke(app, ["report", "--plan", str(plan), "--as-of", AS_OF, *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


def own_template(tmp_path: Path, name: str, text: str) -> Path:
    template = tmp_path / "own" / name
    template.parent.mkdir()
    template.write_text(text, encoding="utf-8")
    return template


def kept(cache: Path) -> list[Path]:
    return sorted(cache.glob("template-*.jinja"))


def test_the_second_paper_compiles_nothing_and_reads_the_same(
    runner: CliRunner, bundled_copy: Path, compiled: list[str]
) -> None:
    first = paper(runner, bundled_copy)
    assert compiled, "the first paper compiles its template"
    compiled.clear()
    assert paper(runner, bundled_copy) == first
    assert compiled == []


def test_an_edited_template_is_compiled_again(
    runner: CliRunner, bundled_copy: Path, tmp_path: Path, compiled: list[str]
) -> None:
    template = own_template(tmp_path, "paper.md.j2", "{{ report.quarter }}: first\n")
    assert paper(runner, bundled_copy, "--template", str(template)).endswith(": first\n")
    template.write_text("{{ report.quarter }}: second\n", encoding="utf-8")
    compiled.clear()
    assert paper(runner, bundled_copy, "--template", str(template)).endswith(": second\n")
    assert compiled != []


def test_one_template_escapes_for_html_and_not_for_markdown(
    runner: CliRunner, bundled_copy: Path, tmp_path: Path, compiled: list[str]
) -> None:
    # The same source compiles to other code when it escapes for HTML: each is kept apart.
    from vawg_cli.render.html_safety import with_policy

    template = own_template(tmp_path, "paper.j2", "{{ '<b>' ~ report.quarter }}\n")
    policy = with_policy("")  # what an HTML paper from a plan's own template begins with
    for _ in range(2):
        assert paper(runner, bundled_copy, "--template", str(template)).startswith("<b>")
        html = paper(runner, bundled_copy, "--template", str(template), "--format", "html")
        assert html.removeprefix(policy).startswith("&lt;b&gt;")


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file owners and modes are POSIX")
@pytest.mark.parametrize("spoil", ["writable by others", "damaged", "a link"])
def test_code_nobody_can_vouch_for_is_not_loaded(
    runner: CliRunner, bundled_copy: Path, tmp_path: Path, compiled: list[str], spoil: str
) -> None:
    cache = Path(os.environ["VAWG_CACHE_DIR"])
    first = paper(runner, bundled_copy)
    files = kept(cache)
    assert files
    for path in files:
        if spoil == "writable by others":
            path.chmod(0o666)  # anyone could have put code here
        elif spoil == "damaged":
            path.write_bytes(path.read_bytes()[:40] + b"\x00garbage")
        else:
            elsewhere = tmp_path / f"elsewhere-{path.name}"
            path.rename(elsewhere)
            path.symlink_to(elsewhere)
    compiled.clear()
    assert paper(runner, bundled_copy) == first
    assert compiled != [], "the template was compiled again rather than loaded"


def test_no_compiled_code_is_kept_in_the_plan_folder(
    runner: CliRunner, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch, compiled: list[str]
) -> None:
    # A cache folder inside the plan would let a pull request plant compiled code there.
    monkeypatch.setenv("VAWG_CACHE_DIR", str(bundled_copy / ".cache"))
    paper(runner, bundled_copy)
    compiled.clear()
    paper(runner, bundled_copy)
    assert compiled != []
    assert list(bundled_copy.rglob("template-*")) == []


def test_without_a_cache_every_paper_compiles(
    runner: CliRunner, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch, compiled: list[str]
) -> None:
    monkeypatch.setenv("VAWG_NO_CACHE", "1")
    paper(runner, bundled_copy)
    compiled.clear()
    paper(runner, bundled_copy)
    assert compiled != []


def test_a_plan_of_its_own_template_folder(runner: CliRunner, tmp_path: Path, compiled: list[str]) -> None:
    from conftest import BUNDLED_PLAN

    plan = copy_plan(BUNDLED_PLAN, tmp_path / "plan")
    (plan / "templates").mkdir(exist_ok=True)
    (plan / "templates" / "report.md.j2").write_text("own: {{ report.quarter }}\n", encoding="utf-8")
    assert paper(runner, plan).startswith("own: ")
    compiled.clear()
    assert paper(runner, plan).startswith("own: ")
    assert compiled == []
