"""Changing a YAML file by splicing text at the parsed nodes' positions, keeping every other byte.

Dumping a whole document again would lose comments, key order, quoting and blank lines: the
things people reviewing the plan in git read. Here a change is new text inserted at (or put in
place of) the span a node covers, in the file's own indentation, style and line endings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

# The loader `vawg check` reads with (libyaml's where present), so that a file check accepts is
# one the editor can read; its marks count characters of the text, which is what slicing needs.
from vawg_cli.plan.yaml_source import FastSafeLoader

# Plain scalars that read back as the same text in block and flow context alike: an ordinary
# first character (indicators such as ! & * ' " only matter there), and none of the characters
# that end a plain scalar or a flow entry. Anything else is double-quoted.
_PLAIN = re.compile(r"[A-Za-z0-9(][^\n\r\x85\u2028\u2029:#,\[\]{}]*")
# Characters a YAML file may not hold as they are (DEL, C1 controls, U+FFFE and U+FFFF, surrogates;
# a byte-order mark, which readers drop), or that YAML reads as line breaks inside quotes: written
# as escapes, which read back as the same characters.
_UNWRITABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class EditError(Exception):
    """The file's layout is one this editor does not know how to change safely."""


@dataclass(frozen=True)
class Document:
    text: str
    root: yaml.MappingNode
    newline: str


def parse(text: str) -> Document:
    try:
        node = yaml.compose(text, Loader=FastSafeLoader)
    except yaml.YAMLError:
        raise EditError("this file's layout is one the editor cannot read back; make the change by hand") from None
    if not isinstance(node, yaml.MappingNode):
        raise EditError("the file does not hold 'key: value' lines")
    return Document(text, node, _newline(text))


def _newline(text: str) -> str:
    """The file's own line ending: Windows' CRLF, the old Mac's lone CR, else LF."""
    if "\r\n" in text:
        return "\r\n"
    return "\r" if "\r" in text and "\n" not in text else "\n"


def scalar(value: object) -> str:
    """A value written as YAML: plain where that reads back the same, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    # No "?" plain: PyYAML's pure loader (used for large files) ends a plain value at "?" in a flow
    # mapping ({note: Done?}) where libyaml does not, so a file vawg wrote could stop reading back.
    if (
        _PLAIN.fullmatch(text)
        and not text.endswith(" ")
        and " #" not in text
        and "?" not in text
        and not _UNWRITABLE.search(text)
    ):
        try:
            if yaml.safe_load(text) == value:
                return text
        except (yaml.YAMLError, ValueError):  # ValueError: digits too many for Python to read as a number
            pass
    # JSON's string syntax is a valid YAML double-quoted scalar.
    return _UNWRITABLE.sub(_escape, json.dumps(text, ensure_ascii=False))


def _entry(doc: Document, key: str) -> tuple[yaml.ScalarNode, yaml.Node] | None:
    for key_node, value_node in doc.root.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


_BREAK = re.compile("[\r\n]")


def _line_end(text: str, index: int) -> int:
    """The index of the line break (LF, CR or CRLF) ending the line that holds `index`, or the text's end."""
    found = _BREAK.search(text, index)
    return found.start() if found else len(text)


def _line_start(text: str, index: int) -> int:
    """The index of the first character of the line that holds `index`."""
    return max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1


def _after_break(text: str, at: int) -> bool:
    """Whether `at` comes just after a line break (a block scalar ends with its own)."""
    return at > 0 and text[at - 1] in "\r\n"


def _content_end(node: yaml.Node) -> int:
    """Where the last character of a node's own text is: its last scalar, bracket or quote.

    A block collection's end mark lies after any comments and blank lines that follow it; those
    belong to what comes next, so the end of its last piece of content is used instead.
    """
    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
        end: int = node.end_mark.index
        return end
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            children += [key_node, value_node]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    return max((_content_end(child) for child in children), default=node.start_mark.index)


def _item_lines(fields: Sequence[tuple[str, object]], dash: str, indent: str, flow: bool) -> list[str]:
    if flow:
        return [dash + "{" + ", ".join(f"{key}: {scalar(value)}" for key, value in fields) + "}"]
    lines = []
    for index, (key, value) in enumerate(fields):
        lines.append((dash if index == 0 else indent) + f"{key}: {scalar(value)}")
    return lines


def append_item(doc: Document, key: str, fields: Sequence[tuple[str, object]], *, after_key: str | None = None) -> str:
    """The text with a mapping appended to the list under `key`, in the list's own style.

    With no `key` yet, the list is started after the line of `after_key`'s value (or at the end).
    """
    text, nl = doc.text, doc.newline
    entry = _entry(doc, key)
    if entry is None:
        block = nl.join([f"{key}:", *_item_lines(fields, "  - ", "    ", flow=False)])
        anchor = _entry(doc, after_key) if after_key else None
        if anchor is None:
            prefix = text if _after_break(text, len(text)) or not text else text + nl
            return prefix + block + nl
        at = _line_end(text, _content_end(anchor[1]))
        return text[:at] + nl + block + text[at:]
    key_node, value = entry
    key_column = key_node.start_mark.column
    if isinstance(value, yaml.SequenceNode) and value.value:
        last = value.value[-1]
        if value.flow_style:
            # [a, b] gets ", c" after its last item.
            at = _content_end(last)
            return text[:at] + ", " + _item_lines(fields, "", "", flow=True)[0] + text[at:]
        return _after_item(text, nl, last, _item_lines(fields, *_block_layout(text, last, key)))
    if isinstance(value, yaml.SequenceNode) or (isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null")):
        # `updates: []` or `updates:` with nothing: the list starts on the next lines.
        start, stop = value.start_mark.index, value.end_mark.index
        if isinstance(value, yaml.SequenceNode):
            before = text[:start].rstrip(" ")
            text = before + text[stop:]
            at = _line_end(text, len(before))
        else:
            # `key: ~` or `key: null` loses its null; `key:` alone has nothing to remove.
            start, stop = value.start_mark.index, value.end_mark.index
            if stop > start:
                text = text[:start].rstrip(" ") + text[stop:]
            at = _line_end(text, key_node.end_mark.index)
        pad = " " * (key_column + 2)
        lines = _item_lines(fields, pad + "- ", pad + "  ", flow=False)
        return text[:at] + nl + nl.join(lines) + text[at:]
    raise EditError(f"{key} is not a list; correct it by hand, then try again")


def insert_item(doc: Document, key: str, fields: Sequence[tuple[str, object]], before: int) -> str:
    """The text with a mapping put into the list under `key` as its item number `before` (from 0).

    At the end of the list (or with no list yet) this is `append_item`. An item put first goes
    on the line after the key, so a comment above the old first item stays with that item.
    """
    entry = _entry(doc, key)
    if entry is None or not isinstance(entry[1], yaml.SequenceNode) or before >= len(entry[1].value):
        return append_item(doc, key, fields)
    text, nl = doc.text, doc.newline
    key_node, items = entry[0], entry[1].value
    if entry[1].flow_style:
        at = items[before].start_mark.index
        return text[:at] + _item_lines(fields, "", "", flow=True)[0] + ", " + text[at:]
    lines = _item_lines(fields, *_block_layout(text, items[before], key))
    if before > 0:
        return _after_item(text, nl, items[before - 1], lines)
    at = _line_end(text, key_node.end_mark.index)
    return text[:at] + nl + nl.join(lines) + text[at:]


def _block_layout(text: str, item: yaml.Node, key: str) -> tuple[str, str, bool]:
    """How the items of a block list are written: the dash with its spacing, the indent, flow or not."""
    line_start = _line_start(text, item.start_mark.index)
    dash_at = text.rfind("-", line_start, item.start_mark.index)
    if dash_at == -1:
        raise EditError(f"cannot find where the items of {key} start")
    dash = " " * (dash_at - line_start) + "-" + " " * (item.start_mark.column - (dash_at - line_start) - 1)
    indent = " " * item.start_mark.column
    return dash, indent, isinstance(item, yaml.MappingNode) and bool(item.flow_style)


def _after_item(text: str, nl: str, item: yaml.Node, lines: list[str]) -> str:
    """The text with `lines` put after the line where a block list's `item` ends."""
    end = _content_end(item)
    at = end if _after_break(text, end) else _line_end(text, end)
    if _after_break(text, at):  # a block scalar ends with its own line break
        return text[:at] + nl.join(lines) + nl + text[at:]
    return text[:at] + nl + nl.join(lines) + text[at:]


def replace_value(doc: Document, key: str, value: object) -> str:
    """The text with the scalar under `key` replaced, everything around it kept."""
    entry = _entry(doc, key)
    if entry is None or not isinstance(entry[1], yaml.ScalarNode) or entry[1].style in ("|", ">"):
        raise EditError(f"cannot find a one-line value for {key} to change")
    node = entry[1]
    if doc.text[node.start_mark.index] in "&!":
        raise EditError(f"the value of {key} carries a YAML anchor or tag; change it by hand")
    return doc.text[: node.start_mark.index] + scalar(value) + doc.text[node.end_mark.index :]


def value_of(doc: Document, key: str) -> str | None:
    """The text of a top-level scalar, or None when the key is missing or holds more than text."""
    entry = _entry(doc, key)
    return str(entry[1].value) if entry and isinstance(entry[1], yaml.ScalarNode) else None


def add_mapping_entries(doc: Document, key: str, entries: Sequence[tuple[str, object]]) -> str:
    """The text with `KEY: value` lines added after the last entry of the mapping under `key`.

    They take the mapping's own indentation (or, for a {flow: mapping}, go before its brace);
    every other byte, comments after the last entry included, stays where it was.
    """
    entry = _entry(doc, key)
    if entry is None or not isinstance(entry[1], yaml.MappingNode) or not entry[1].value:
        raise EditError(f"cannot find the entries of {key} to add to")
    text, nl, mapping = doc.text, doc.newline, entry[1]
    last_value = mapping.value[-1][1]
    if mapping.flow_style:
        at = _content_end(last_value)
        return text[:at] + "".join(f", {scalar(k)}: {scalar(v)}" for k, v in entries) + text[at:]
    indent = " " * mapping.value[0][0].start_mark.column
    lines = [f"{indent}{scalar(k)}: {scalar(v)}" for k, v in entries]
    end = _content_end(last_value)
    if _after_break(text, end):  # a block scalar ends with its own line break
        return text[:end] + nl.join(lines) + nl + text[end:]
    at = _line_end(text, end)
    return text[:at] + nl + nl.join(lines) + text[at:]
