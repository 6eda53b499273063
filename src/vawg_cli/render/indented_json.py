"""JSON text exactly as `json.dumps(value, indent=2, ensure_ascii=False)` writes it, in pieces and fast.

With an indent the standard library encodes in pure Python, a generator per value: most of the
time of a large export. The same text written here by plain recursion takes a fraction of that,
and a caller can write a document a part at a time (`members`, `dumps` at a level), so it never
holds the whole. Strings are escaped by the standard library's own (C) function, and numbers
are written as it writes them, so the bytes are the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from json.encoder import encode_basestring
from typing import Any

string = encode_basestring
"""A string as JSON writes it with ensure_ascii=False: quoted, with quotes, backslashes and controls escaped."""


def scalar(value: object) -> str:
    """A string, number, boolean or null; TypeError for anything else, as json.dumps raises."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def optional(value: str | None) -> str:
    """A string or null: most of a plan's text."""
    return "null" if value is None else encode_basestring(value)


def dumps(value: Any, level: int = 0) -> str:
    """`value` as indented JSON, written as if nested `level` deep: its inner lines carry that indent."""
    out: list[str] = []
    _write(value, level, out)
    return "".join(out)


def members(mapping: Mapping[Any, Any], level: int) -> str:
    """A mapping's members without its braces: `"key": value` lines, joined as inside an object `level` deep."""
    out: list[str] = []
    separator = ""
    inner = ",\n" + "  " * (level + 1)
    for key, value in mapping.items():
        out.append(separator)
        separator = inner
        out.append(_key(key))
        out.append(": ")
        _write(value, level + 1, out)
    return "".join(out)


def _write(value: Any, level: int, out: list[str]) -> None:
    # The order of the checks is json's: a str subclass is a string, True is not the number 1.
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = "\n" + "  " * (level + 1)
        separator = "[" + inner
        for item in value:
            out.append(separator)
            separator = "," + inner
            if item.__class__ is str:
                out.append(encode_basestring(item))
            else:
                _write(item, level + 1, out)
        out.append("\n" + "  " * level + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = "\n" + "  " * (level + 1)
        separator = "{" + inner
        for key, item in value.items():
            out.append(separator)
            separator = "," + inner
            out.append(encode_basestring(key) if key.__class__ is str else _key(key))
            # The common members written here at once (exact types only: a subclass takes the long way).
            kind = item.__class__
            if kind is str:
                out.append(": " + encode_basestring(item))
            elif item is None:
                out.append(": null")
            elif kind is bool:
                out.append(": true" if item else ": false")
            elif kind is int:
                out.append(": " + int.__repr__(item))
            elif (kind is list or kind is dict) and not item:
                out.append(": []" if kind is list else ": {}")
            else:
                out.append(": ")
                _write(item, level + 1, out)
        out.append("\n" + "  " * level + "}")
    else:
        out.append(scalar(value))


def _key(key: object) -> str:
    """A member's name: json turns a number, boolean or null key into its text; anything else is refused."""
    if isinstance(key, str):
        return encode_basestring(key)
    if isinstance(key, float):
        return encode_basestring(_float(key))
    if key is True or key is False or key is None:
        return encode_basestring(scalar(key))
    if isinstance(key, int):
        return encode_basestring(int.__repr__(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == float("-inf"):
        return "-Infinity"
    return float.__repr__(value)
