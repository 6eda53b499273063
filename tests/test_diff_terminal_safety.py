"""`vawg diff --format markdown` and `--format json` never pass plan text's controls or direction
overrides through raw.

The Markdown is what the README's workflow posts on a partner's pull request, and both are read in
a terminal: a right-to-left override in a title ("Pay \\u202egnp.exe") would make reviewers read
"Pay exe.png". Markdown shows what the text format shows (`text.printable`'s escapes, and the
renderer's space for a control character); JSON writes the same characters as `\\uXXXX` escapes,
so a tool still reads the plan's own text.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import Repo
from vawg_cli.cli import app
from vawg_cli.core.changes import NumberedUpdate, PlanDiff, compare
from vawg_cli.plan.git import read_sides
from vawg_cli.render.changes import render_json, render_markdown
from vawg_cli.text import printable

BIDI = ["\u202e", "\u2066", "\u200f", "\u061c"]
"""Right-to-left override, left-to-right isolate, right-to-left mark, Arabic letter mark."""
CONTROLS = ["\x1b", "\r"]
"""ESC, and a carriage return alone (it moves back over what the line showed)."""


def _plan_text(char: str) -> dict[str, str]:
    """A title, a note, a partner name and a target reason, each with `char` inside."""
    return {
        "title": f"Pay{char}gnp.exe ok",
        "note": f"Paid{char}fdp.exe in full",
        "partner": f"Met{char}Police",
        "reason": f"Legal{char}review done",
    }


def _shown(text: str, char: str) -> str:
    """`text` as text and Markdown show it: a control becomes a space, anything else its escape."""
    return text.replace(char, " " if char in CONTROLS else printable(char))


def _changed(repo: Repo, char: str) -> None:
    text = _plan_text(char)
    repo.set(3, title=text["title"])
    repo.add_update(3, "2025-03-01", "green", text["note"])
    history = [{"date": "2025-04-10", "from": "Apr-25", "to": "Oct-25", "reason": text["reason"]}]
    repo.set(3, target="Oct-25", target_history=history)

    def rename(data: dict[str, Any]) -> None:
        data["partners"]["Met"] = text["partner"]

    repo.edit(repo.plan / "plan.yaml", rename)


def _diff(runner: CliRunner, repo: Repo, output_format: str) -> str:
    result = runner.invoke(app, ["diff", "--plan", str(repo.plan), "--format", output_format])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("char", BIDI + CONTROLS, ids=lambda char: f"U+{ord(char):04X}")
class TestEachField:
    def test_markdown_shows_what_text_shows(self, runner: CliRunner, repo: Repo, char: str) -> None:
        _changed(repo, char)
        markdown = _diff(runner, repo, "markdown")
        text = _diff(runner, repo, "text")
        assert char not in markdown
        lines = _plan_text(char)
        title, note, partner = (_shown(lines[key], char) for key in ("title", "note", "partner"))
        reason = _shown(lines["reason"], char)
        old_title = "Referral processes for VAWG issues and cases clearly defined"
        for wanted in [
            f'title: "{old_title}" → "{title}"',
            f"green: {note}",
            f'partner renamed: Met: "Metropolitan Police Service" → "{partner}"',
            f"because {reason}",
        ]:
            # None of these words holds a character Markdown escapes, so the two formats agree exactly.
            assert wanted in markdown, (wanted, markdown)
            assert wanted in text, (wanted, text)
        if char in BIDI:  # the new title twice (the action's headline and its title line), then one each
            assert markdown.count(printable(char)) == 5

    def test_json_escapes_and_round_trips(self, runner: CliRunner, repo: Repo, char: str) -> None:
        _changed(repo, char)
        raw = _diff(runner, repo, "json")
        assert char not in raw
        escape = "\\r" if char == "\r" else f"\\u{ord(char):04x}"
        assert raw.count(escape) == 5  # the title twice (title and title_change.to), then one each
        record = json.loads(raw)
        (action,) = record["actions"]
        text = _plan_text(char)
        assert action["title"] == action["title_change"]["to"] == text["title"]
        assert action["new_updates"][0]["note"] == text["note"]
        assert action["new_target_history"][0]["reason"] == text["reason"]
        assert {"kind": "partner_renamed", "subject": "Met", "from": "Metropolitan Police Service"} | {
            "to": text["partner"]
        } in record["plan"]


def test_ordinary_text_stays_as_written(runner: CliRunner, repo: Repo) -> None:
    """Accents, Welsh, Arabic letters and emoji are text, not controls: none is escaped."""
    note = "Café: Cynllun ŵyr a ŷd, خطة عمل 👍🏽 🏴󠁧󠁢󠁷󠁬󠁳󠁿 👩‍💻"
    repo.add_update(3, "2025-03-01", "green", note)
    assert f"green: {note}" in _diff(runner, repo, "markdown")
    raw = _diff(runner, repo, "json")
    assert f'"note": "{note}"' in raw
    assert json.loads(raw)["actions"][0]["new_updates"][0]["note"] == note


# --- any note ----------------------------------------------------------------------------------


@pytest.fixture
def one_new_update(repo: Repo) -> PlanDiff:
    """A real diff with one new update, whose note each example below replaces."""
    repo.add_update(3, "2025-03-01", "green", "placeholder", by="LBB")
    return compare(*read_sides(repo.plan, "HEAD", None))


def _with_note(diff: PlanDiff, note: str) -> PlanDiff:
    (action,) = diff.actions
    (numbered,) = action.new_updates
    update = NumberedUpdate(numbered.number, numbered.update._replace(note=note))
    return dataclasses.replace(diff, actions=(dataclasses.replace(action, new_updates=(update,)),))


def _unprintable(output: str) -> list[tuple[int, str]]:
    return [(at, char) for at, char in enumerate(output) if not char.isprintable() and char not in "\n"]


# Characters of each kind `printable` escapes, and those Markdown escapes or marks, to meet them.
HOSTILE = [*BIDI, *CONTROLS, "\u202a", "\u202d", "\u2069", "\u200e", "\x07", "\x7f", "\x85", "\x9b", "\u2028", "\ufeff"]
HOSTILE += ["\n", "@", "\\", "|", "<", "*", "`", " "]
# Any text (st.text()), and text where those characters are common: among st.text()'s million
# code points the dozen direction marks are all but never drawn.
NOTES = st.text() | st.lists(st.characters() | st.sampled_from(HOSTILE)).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=NOTES)
@example(note="Pay \u202egnp.exe\u202c ok \u2066x\u2069 \u200f\u061c")
@example(note="\x1b]0;pwned\x07\x1b[2J\x9b31m\x7f\x85a\rb\u2028c\u2029\ufeff\ufffe")
@example(note="@jsmith 👩‍💻 \u00ad\u200b\u200d")
@example(note="lone \ud800 surrogate, and a pair \ud83d\ude00")
def test_any_note_reaches_neither_terminal_nor_reader_raw(one_new_update: PlanDiff, note: str) -> None:
    """Any note: Markdown and JSON hold no character `printable` escapes, and JSON gives the note back.

    Not every character Python counts as unprintable is a control, so two kinds are allowed:
    - the zero-width space Markdown puts after an `@` (so a note cannot mention anyone), which
      the renderer adds, not the note;
    - a character of the note that `printable`, and so the text format, deliberately shows as it
      is: it neither acts on a terminal nor reorders text. Python counts as unprintable the
      joiners inside emoji and some scripts (U+200D in 👩‍💻, U+200C in Persian), the tag characters
      of the Welsh flag, code points newer than its Unicode database (🩷, U+1FA77, in Python
      3.11), private-use characters and, in JSON, spaces other than U+0020 (Markdown makes every
      run of white space one space). Escaping them would garble ordinary text, and make the
      formats disagree.
    JSON's own line breaks are `\\n`, and no other control can stand outside its strings.
    """
    diff = _with_note(one_new_update, note)
    markdown = render_markdown(diff)
    raw = render_json(diff)
    for output, is_markdown in ((markdown, True), (raw, False)):
        assert printable(output, newlines=True) == output
        for at, char in _unprintable(output):
            mention_guard = is_markdown and char == "\u200b" and output[at - 1] == "@"
            assert mention_guard or char in note, (char, output)
    (action,) = json.loads(raw)["actions"]
    # JSON has one spelling, \ud83d\ude00, for a surrogate pair and the character it makes: two
    # lone surrogates side by side (text no UTF-8 file can hold) come back as that character.
    as_json_reads_it = note.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    assert action["new_updates"][0]["note"] == as_json_reads_it
