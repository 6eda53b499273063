"""Reading one YAML file safely, keeping the node tree so that any problem can name its line.

Plan files come from many hands (editors on Windows, pasted text, pull requests), so this is the
one place that turns bytes into data: it refuses what is not UTF-8 text, what is too large, what
expands too far through aliases and any tag that would build a Python object. What to say about
the usual hand-editing slips (conflict markers, a tab, an unquoted ": ", a forgotten "- ") is
`hints.py`'s business.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from vawg_cli.plan.hints import merge_conflict, missing_dash, syntax_hint
from vawg_cli.plan.limits import MAX_EXPANDED_NODES, MAX_FILE_BYTES
from vawg_cli.text import UTF8_BOM, quoted

# The C loader is about seven times faster; fall back to the pure one where libyaml is missing.
# Public, so that everything reading plan YAML (the editor too) makes the same choice: a file
# `vawg check` reads is then one the editor reads the same way.
try:
    from yaml import CSafeLoader as _Fastest
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Fastest  # type: ignore[assignment]
FastSafeLoader = _Fastest


class _Loader(FastSafeLoader):
    """The safe loader, but a date that does not exist (2025-13-01) stays text.

    PyYAML raises a bare ValueError with no position for it; as text, the model check reports
    it at its line like any other bad date.
    """


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


def _int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    """A whole number; one too long for Python to read (over 4,300 digits) is refused at its place.

    PyYAML lets Python's ValueError out with no position, and the number could not be printed in
    a message anyway.
    """
    try:
        value = yaml.SafeLoader.construct_yaml_int(loader, node)
        if value.bit_length() <= _MAX_INT_BITS:
            return value
    except ValueError:
        pass
    raise SourceError(*_position(node), "this number is thousands of digits long; no value in a plan is: delete it")


# Python prints a number of at most 4,300 digits (sys.get_int_max_str_digits); 0x... or 0o...
# numbers are read without that limit, so their size is checked too, to stay printable.
_MAX_INT_BITS = 13_000


class _PureLoader(yaml.SafeLoader):
    """The pure-Python loader with the same rules; used where the C one would be unsafe."""


for _class in (_Loader, _PureLoader):
    _class.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
    _class.add_constructor("tag:yaml.org,2002:int", _int)

# libyaml's composer recurses on the C stack and crashes the interpreter at about 20,000 levels
# of nesting. A level costs at least one bracket, or two characters in block style ("- "), so a
# file with many brackets or of more than 32 KB (fifteen times a typical action) goes to the
# pure-Python loader, which stops at Python's recursion limit with an error we can report.
_MANY_BRACKETS = 5000
_LARGE_TEXT = 32 * 1024


Loc = tuple[str | int, ...]

NESTED_TOO_DEEPLY = "lists or mappings are nested too deeply to be plan data; check the brackets"
"""Said when Python runs out of stack: how deep that is depends on the caller's own stack."""


class SourceError(Exception):
    """The file cannot be read as plan data; carries a 1-based line and column."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


@dataclass
class Problem:
    """A problem in a file that was still read (such as a key given twice)."""

    line: int
    column: int
    message: str


@dataclass
class Source:
    """A parsed file: its data, its node tree (for positions) and problems found on the way."""

    data: Any
    node: yaml.Node
    problems: list[Problem] = field(default_factory=list)


def parse(raw: bytes) -> Source:
    """Decode and parse one file; raise SourceError for anything that is not plain YAML data."""
    text = _decode(raw)
    if not text.strip():
        raise SourceError(1, 1, "the file is empty; it needs the keys described in the README")
    if (conflict := merge_conflict(text)) is not None:
        raise SourceError(conflict[0], 1, conflict[1])
    risky = len(text) > _LARGE_TEXT or text.count("[") + text.count("{") > _MANY_BRACKETS
    loader = _PureLoader(text) if risky else _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SourceError(1, 1, "the file holds only comments; it needs the keys described in the README")
        may_alias = "*" in text
        problems = _walk(node, may_alias=may_alias)
        # Anchors, aliases and merge keys need PyYAML's own bookkeeping; a plain tree does not.
        data = loader.construct_document(node) if may_alias or "<<" in text else _construct(loader, node)
    except yaml.MarkedYAMLError as error:
        raise SourceError(*syntax_hint(error, text)) from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, at an index in the text
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        raise SourceError(
            line,
            column,
            f"character U+{error.character:04X} is a control character that YAML does not allow; delete it "
            "(it often comes with text copied from another program)"
            if isinstance(error.character, int)
            else "a character here is not allowed in YAML; delete it",
        ) from None
    except yaml.YAMLError as error:
        raise SourceError(1, 1, f"this is not valid YAML: {error}") from None
    except RecursionError:
        raise SourceError(1, 1, NESTED_TOO_DEEPLY) from None
    finally:
        loader.dispose()
    return Source(data, node, problems)


_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


def _construct(loader: _Loader | _PureLoader, node: yaml.Node) -> Any:
    """The data of a tree without aliases or merge keys, as `construct_document` gives it.

    PyYAML's constructor keeps a record of every node it builds (for aliases) and builds each
    mapping through a generator: on a cold read that was a third of parsing a plan. Text, by far
    the most common value, is the node's own string; every other scalar (numbers, dates,
    true/false, null, and any tag, which the safe constructor refuses) goes to the loader's
    constructor as before, and so does any collection with a tag of its own. The two agree on
    every file (a Hypothesis law in tests/test_yaml_construct.py).
    """
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _TEXT else loader.construct_object(node, deep=True)
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
        return {_construct(loader, key): _construct(loader, value) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        return [_construct(loader, child) for child in node.value]
    return loader.construct_object(node, deep=True)


def _decode(raw: bytes) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise SourceError(
            1,
            1,
            f"the file is larger than {MAX_FILE_BYTES // 1024 // 1024} MB, the most a plan file may hold; "
            "check that this is the right file (an action this long can be split into several)",
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(
            1, 1, "the file is saved as UTF-16; save it again as UTF-8 (in Notepad: Save As, Encoding: UTF-8)"
        )
    if b"\x00" in raw:
        raise SourceError(
            1,
            1,
            "this is not UTF-8 text (it holds NUL bytes: a binary file, or text saved as UTF-16); "
            "plan files are YAML text saved as UTF-8",
        )
    # A byte-order mark (as Windows editors write) is dropped first, so that positions count from
    # the first character a person sees.
    raw = raw.removeprefix(UTF8_BOM)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        # Columns count characters, as editors and YAML's own errors do, not bytes.
        column = len(raw[line_start : error.start].decode("utf-8", errors="replace")) + 1
        raise SourceError(
            line,
            column,
            f"byte 0x{raw[error.start]:02x} is not UTF-8 text (the file was probably saved as "
            "Windows-1252 or Latin-1); save it again with UTF-8 encoding",
        ) from None


_TEXT = "tag:yaml.org,2002:str"
_WORD_KEYS = (_TEXT, "tag:yaml.org,2002:merge")  # `<<: *defaults` is a key too
# A measure's `targets` are keyed by year, and `2025: 400` is how people write a calendar year's.
_YEAR_KEYED = {"targets"}
_YEARS = "years"  # the stack's mark for a mapping whose keys may be years
_YEAR_KEYS = (*_WORD_KEYS, "tag:yaml.org,2002:int")


def _walk(root: yaml.Node, may_alias: bool) -> list[Problem]:
    """Refuse self-referencing or exploding aliases, keys that are not words, and note keys given twice.

    Counting what aliases expand to needs a memo per node; a text without a `*` has no alias, so
    it gets the plain walk over its mappings, several times quicker on a cold read of a large plan.
    """
    if may_alias:
        _expanded_size(root)
    problems: list[Problem] = []
    # Each node with the entry name of the list it is an item of ("update" under updates), if any.
    stack: list[tuple[yaml.Node, str | None]] = [(root, None)]
    visited: set[int] = set()
    while stack:
        node, entry = stack.pop()
        if id(node) in visited:  # a node reached again through an alias was checked already
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            problems.extend(_mapping_keys(node, entry))
            for key, value in node.value:
                if isinstance(value, yaml.SequenceNode):
                    entry_name = _ENTRY_LISTS.get(key.value)
                    stack.extend((child, entry_name) for child in value.value if not isinstance(child, yaml.ScalarNode))
                elif not isinstance(value, yaml.ScalarNode):
                    stack.append((value, _YEARS if key.value in _YEAR_KEYED else None))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, None) for child in node.value if not isinstance(child, yaml.ScalarNode))
    problems.sort(key=lambda problem: (problem.line, problem.column))
    return problems


# Lists whose items are entries of one kind: a missing "- " there merges two entries into one.
_ENTRY_LISTS = {"updates": "update", "target_history": "target change", "lifecycle": "lifecycle change"}


def _mapping_keys(node: yaml.MappingNode, entry: str | None = None) -> list[Problem]:
    if entry not in (None, _YEARS) and (merged := missing_dash(node, entry)):
        return [Problem(*_position(merged[0]), merged[1])]
    problems = []
    seen: dict[object, yaml.Node] = {}
    allowed = _YEAR_KEYS if entry == _YEARS else _WORD_KEYS
    for key_node, _ in node.value:
        if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag in allowed):
            raise SourceError(
                *_position(key_node),
                "this key is not a word (it reads as a number, date, true/false or list); "
                "keys are names such as title or target: put it in quotes if it is meant as text",
            )
        if key_node.tag in (_TEXT, "tag:yaml.org,2002:int"):
            if key_node.value in seen:
                first = seen[key_node.value].start_mark.line + 1
                problems.append(
                    Problem(
                        *_position(key_node),
                        f"key {quoted(key_node.value)} appears twice in this mapping (first on line {first}); "
                        "YAML keeps only the last: remove one",
                    )
                )
            seen[key_node.value] = key_node
    return problems


def _expanded_size(root: yaml.Node) -> int:
    """How many values the document holds once every alias is expanded; refuse bombs and loops."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in in_progress:
            raise SourceError(
                *_position(node), "an alias here refers to the list or mapping that holds it; write the values out"
            )
        in_progress.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        in_progress.discard(key)
        if total > MAX_EXPANDED_NODES:
            raise SourceError(
                *_position(node),
                f"aliases (*name) make this file expand to more than {MAX_EXPANDED_NODES:,} values; "
                "write the values out instead of repeating aliases",
            )
        sizes[key] = total
        return total

    return size(root)


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class Positions:
    """Finds the line and column of any value in one parsed file.

    Each mapping's keys are indexed the first time a path goes through it, so that placing every
    one of a file's many problems costs a look-up each, not a scan of the mapping each.
    """

    def __init__(self, root: yaml.Node) -> None:
        self.root = root
        self._keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = {}

    def _entries(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        index = self._keys.get(id(node))
        if index is None:
            index = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    index.setdefault(str(key_node.value), (key_node, value_node))  # the first, as the old scan found
            self._keys[id(node)] = index
        return index

    def locate(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """The line and column of the value at `loc` (or of its key), or of the nearest parent found."""
        node = self.root
        position = _position(node)
        last = len(loc) - 1
        for at, part in enumerate(loc):
            if isinstance(node, yaml.MappingNode):
                found = self._entries(node).get(str(part))
                if found is None:
                    return position
                key_node, node = found
                position = _position(key_node) if key and at == last else _position(node)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                position = _position(node)
            else:
                return position
        return position
