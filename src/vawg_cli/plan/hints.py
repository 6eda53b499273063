"""What a person most likely did when a hand-edited YAML file does not read, and the fix to name.

Plan files are edited by hand in Notepad, in GitHub's editor and through merges, and the same few
slips come up again and again: conflict markers left in, a tab, a value holding ": " without
quotes, an entry's "- " forgotten. PyYAML's own words for them point somewhere confusing, so
these turn them into a position and a message that says what to write instead. `yaml_source`
raises or records them; hints for values the model check finds empty (a "#" that began a
comment) are in `messages`, with the rest of its wording.
"""

from __future__ import annotations

import re

import yaml

from vawg_cli.plan.limits import MAX_QUOTED_CHARS
from vawg_cli.text import excerpt, quoted

CONFLICT_MARKERS = ("<<<<<<<", "=======", ">>>>>>>")


def merge_conflict(text: str) -> tuple[int, str] | None:
    """The line and message for a file git could not merge, which holds both sides between marker
    lines; None when the text has no marker line."""
    if not any(marker in text for marker in CONFLICT_MARKERS):
        return None
    found = [
        (number, line[:7])
        for number, line in enumerate(text.splitlines(), start=1)
        if line.startswith(CONFLICT_MARKERS) and (len(line) == 7 or line[7] in " \t")
    ]
    if not found:
        return None
    line, marker = next(((n, m) for n, m in found if m == "<<<<<<<"), found[0])
    return (
        line,
        f"this file has a git merge conflict left in it (the {marker} line): keep the lines you want, "
        "delete the marker lines (<<<<<<<, ======= and >>>>>>>), then run vawg check",
    )


def syntax_hint(error: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """The line, column and message for a YAML syntax error, naming the likely fix."""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = error.problem or "unreadable YAML"
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = source_line[: len(source_line) - len(source_line.lstrip())]
    if "\t" in indent or "tab" in problem:
        return line, 1, "this line is indented with a tab; YAML needs spaces: replace the tab with spaces"
    if "constructor for the tag" in problem:
        tag = problem.split("tag", 1)[1].strip(" '").replace("tag:yaml.org,2002:", "!!")
        return (
            line,
            column,
            f"the tag {excerpt(tag)} is not allowed: plan files hold plain text, numbers, dates and lists",
        )
    if "expected a single document" in problem or "but found another document" in problem:
        return line, column, "the file holds more than one YAML document (a second '---'); keep one per file"
    if problem.startswith("mapping values are not allowed") and (fix := _quote_fix(source_line)):
        return line, column, fix
    context = f" {error.context}" if error.context else ""
    return (
        line,
        column,
        f"YAML syntax: {_cut_quotes(problem + context)}; "
        "check the indentation, colons and quotes on this line and the one above",
    )


def _cut_quotes(message: str) -> str:
    """PyYAML's own words quote the file (an alias name, a tag): only an excerpt of each quote."""
    return re.sub(f"'([^']{{{MAX_QUOTED_CHARS + 1},}})'", lambda found: quoted(found[1]), message)


# `key: words: more words` on one line, optionally as a list item.
_KEY_AND_VALUE = re.compile(r"\s*(?:-\s+)?([A-Za-z_][\w ]*?):[ \t]+([^\s'\"\[{#|>].*?)\s*")


def _quote_fix(source_line: str) -> str | None:
    """For a value holding ": " (note: Met: agreed), which YAML reads as a second key: quote it."""
    match = _KEY_AND_VALUE.fullmatch(source_line)
    if match is None or ": " not in match[2] + " ":
        return None
    key = match[1]
    # The value itself is not repeated: it may be a restricted note, and this message can reach a CI log.
    return (
        f'a {key} holding ": " must be in quotes, or YAML reads it as another key: '
        f'write {key}: "…" with the whole {key} inside the quotes'
    )


def missing_dash(node: yaml.MappingNode, entry: str) -> tuple[yaml.Node, str] | None:
    """The key where a second entry starts, and the message, for an entry whose first key comes
    again followed by repeats of its other keys: two entries, the second one's "- " forgotten
    (the lines of the last update copied without the dash). None when the keys do not show that.

    Saying "remove one" of the repeated keys would lose what the user wrote; say where the dash goes.
    """
    keys = [k.value if isinstance(k, yaml.ScalarNode) else None for k, _ in node.value]
    if not keys or keys[0] is None or keys.count(keys[0]) < 2:
        return None
    again = keys.index(keys[0], 1)
    if not set(keys[again:]) <= set(keys[:again]):
        return None
    return (
        node.value[again][0],
        f'this looks like a second {entry} without its "- ": start its first line ({keys[0]}: ...) with "- " '
        f"(a dash and a space), lined up with the dashes of the other {entry}s",
    )


# Keys whose values are words people write, where a "#" is likely part of them ("priority #2").
_WORDS = frozenset({"title", "note", "notes", "description", "reason", "by", "owner", "theme", "approved_by"})


def comments_cutting_words(node: yaml.Node, text: str) -> list[tuple[int, int, str]]:
    """(line, column, message) for each unquoted title, note or the like that a " #" cuts short.

    YAML reads " #" to the end of the line as a comment, so `note: Met agreed #2 priority`
    keeps only "Met agreed". Said as a warning: a comment after a value is allowed, and may be
    what was meant. The words themselves are not repeated (they may be a restricted note).
    """
    found: list[tuple[int, int, str]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if (
                    isinstance(key, yaml.ScalarNode)
                    and key.value in _WORDS
                    and isinstance(value, yaml.ScalarNode)
                    and not value.style  # plain: None from the pure loader, "" from libyaml
                    and value.value
                    and _COMMENT_AFTER.match(text, value.end_mark.index)
                ):
                    found.append(
                        (
                            value.start_mark.line + 1,
                            value.start_mark.column + 1,
                            f'the value of {key.value} stops at " #": YAML reads the rest of the line as a comment; '
                            f'if it is part of the value, put the whole value in quotes: {key.value}: "…"',
                        )
                    )
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return sorted(found)


_COMMENT_AFTER = re.compile(r"[ \t]+#")
