"""Pydantic's validation errors, reworded for coordinators: what is wrong, and what to write instead."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from vawg_cli.model.periods import Frequency
from vawg_cli.model.records import Lifecycle, Rag
from vawg_cli.plan.limits import MAX_QUOTED_CHARS
from vawg_cli.text import quoted

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic_core import ErrorDetails

Loc = tuple[str | int, ...]
COLOURS = ", ".join(r.value for r in Rag)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a choice is close to `word` (case aside), else ''."""
    by_lower = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean {quoted(by_lower[close[0]])}?)" if close else ""


def describe(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M} (a date with a time; write the date alone)"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    return quoted(value) if isinstance(value, str) else f"{value!r} ({type(value).__name__})"


def explain(error: ErrorDetails, model: type[BaseModel]) -> tuple[Loc, bool, str]:
    """Where to point (a key path, and whether at the key itself), and the message to show."""
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    # Inside a list of entries (an update, a target change), say which entry, and list its keys.
    entry = _entry_name(loc)
    prefix = _entry_prefix(loc)
    fields = _fields_at(model, loc[:-1])
    on_key = False
    if loc and loc[-1] == "[key]":  # pydantic's mark for a mapping key that is wrong, not its value
        loc, on_key = loc[:-1], True
    rest = loc[2:] if entry else loc
    field = _name(rest)

    def say(message: str, *, key: bool = on_key, where: Loc = loc) -> tuple[Loc, bool, str]:
        return where, key, prefix + message

    if kind == "extra_forbidden":
        return say(
            f"unknown key {quoted(field)}{did_you_mean(field, fields)}; the keys here are: {', '.join(fields)}",
            key=True,
        )
    if rest[:1] == ("partners",) and len(rest) == 2 and value is None:
        return say(
            f"partner {quoted(rest[1])} has no full name; write it after the colon, "
            f"e.g. `{rest[1] if len(str(rest[1])) <= MAX_QUOTED_CHARS else 'LBB'}: Full name of the partner`"
        )
    if rest == ("partners",) and (kind in {"too_short", "missing"} or value is None):
        return say(
            "plan.yaml lists no partners; add `partners:` with one line per partner, "
            "e.g. `LBB: London Borough of Bexley`",
            key=kind == "missing",
            where=() if kind == "missing" else loc,
        )
    if kind == "missing":
        info = fields.get(field)
        why = f" ({info.description.rstrip('.')})" if info is not None and info.description else ""
        return say(f"missing required key {quoted(field)}: add a line `{field}: ...`{why}", key=False, where=loc[:-1])
    if kind == "enum" and field == "state":
        states = [state.value for state in Lifecycle]
        hint = did_you_mean(str(value), states)
        return say(f"{quoted(value)} is not a lifecycle state{hint}; use one of {', '.join(states)}")
    if kind == "enum" and _annotation(fields.get(field)) is Frequency:
        periods = [frequency.value for frequency in Frequency]
        return say(
            f"{quoted(value)} is not how often a figure is collected{did_you_mean(str(value), periods)}; "
            f"{field} is {', '.join(periods[:-1])} or {periods[-1]}"
        )
    if kind == "enum":
        hint = did_you_mean(str(value), [r.value for r in Rag])
        return say(f"{quoted(value)} is not a colour of the scale{hint}; use one of {COLOURS}")
    if kind == "literal_error" and field == "kind":
        return say(
            f"{quoted(value)} is not a kind of measure; {field} is count (figures that add up over a year) "
            "or level (a percentage, score or rate, read rather than added up)"
        )
    if kind == "string_pattern_mismatch" and field == "code":
        pattern = str(error.get("ctx", {}).get("pattern", ""))
        return say(f"the code {quoted(value)} cannot name a measure; {code_rule(pattern)}")
    if kind == "literal_error" and field == "joint_actions":
        return say(
            f"{quoted(value)} is not a rule for joint actions; write 'each lead' (each of an action's leads "
            "sends a return) or 'one lead' (one return is enough)"
        )
    if kind == "string_pattern_mismatch" and field == "email":
        return say(f"{quoted(value)} is not an email address; write it as name@example.org, with no name or brackets")
    if kind == "too_short" and field == "leads":
        return say("leads is empty; name at least one partner code from plan.yaml")
    if kind == "string_too_short":
        return say(f"{field} is empty; write it out or remove the key")
    if kind.startswith("int_") or kind == "greater_than":
        what = "a positive whole number" if kind == "greater_than" or field == "id" else "a whole number"
        return say(f"{field} must be {what}, found {describe(value)}")
    if kind in {"greater_than_equal", "less_than_equal"}:
        found = value if isinstance(value, int) else describe(value)
        return say(f"{field} must be a whole number {_bounds(fields.get(field), error)}, found {found}")
    if kind.startswith("date_"):
        return say(f"{field} must be a date written YYYY-MM-DD, found {describe(value)}")
    if kind.startswith("bool_"):
        return say(f"{field} must be true or false, found {describe(value)}")
    if kind == "string_type":
        return say(f"{field} must be text, found {describe(value)}; put it in quotes if it looks like a number or date")
    if kind == "list_type":
        return say(f"{field} must be a list (one '- item' per line), found {describe(value)}")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        what = f"{entry} (key: value lines)" if entry and len(loc) == 2 else f"{field} (key: value lines)"
        return say(f"expected {what} as a mapping, found {describe(value)}")
    if kind == "value_error" and _is_figure(loc) and isinstance(value, str) and (full := in_full(value)) is not None:
        # YAML reads 1e3 as text, not as the number it means (it wants 1.0e+3).
        return say(f"{value.strip()} is read as text, not as a number; write the figure in full: {full}")
    if kind == "value_error":
        return say(str(error["msg"]).removeprefix("Value error, "))
    return say(f"{field}: {error['msg']}")


def code_rule(pattern: str) -> str:
    """What a measure's code may hold, read from the model's pattern ('^[A-Za-z][A-Za-z0-9_-]{0,39}$')."""
    more = re.search(r"\{0,(\d+)\}", pattern)
    longest = f", at most {int(more[1]) + 1} characters" if more else ""
    return f"a code holds letters, digits, - and _, starting with a letter{longest} (such as TRAINED or REFERRALS)"


def _annotation(info: Any) -> Any:
    """A field's type, without the None a field left out may be."""
    import typing

    if info is None:
        return None
    kinds = [t for t in typing.get_args(info.annotation) if t is not type(None)] or [info.annotation]
    return kinds[0]


def field_bounds(info: Any) -> tuple[Any, Any]:
    """The least and the greatest a field allows, as the model sets them (None where it sets none)."""
    metadata = getattr(info, "metadata", ())
    return next((m.ge for m in metadata if hasattr(m, "ge")), None), next(
        (m.le for m in metadata if hasattr(m, "le")), None
    )


def _bounds(info: Any, error: ErrorDetails) -> str:
    """'from 1 to 100': the field's own bounds."""
    low, high = field_bounds(info)
    context = error.get("ctx", {})
    low, high = context.get("ge", low), context.get("le", high)
    if low is not None and high is not None:
        return f"from {low} to {high}"
    return f"of at least {low}" if low is not None else f"of at most {high}"


def _is_figure(loc: Loc) -> bool:
    """Whether `loc` is a measure's figure or target: a number, which quotes would make text."""
    return (loc[:1] == ("values",) and loc[-1:] == ("value",)) or (loc[:1] == ("targets",) and len(loc) == 2)


def in_full(text: str) -> str | None:
    """'1000' for '1e3': a figure written with an exponent, in full; None for other text."""
    from decimal import Decimal

    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d{1,3}", text.strip()):
        return None
    figure = Decimal(text.strip()).normalize()
    # A figure of more than fifteen digits either way is no count or rate a plan keeps: no advice.
    return format(figure, "f") if -15 <= figure.adjusted() < 15 else None


_ENTRY_NAMES = {"updates": "update", "target_history": "target change", "lifecycle": "lifecycle change"}


def _entry_name(loc: Loc) -> str | None:
    return _ENTRY_NAMES.get(str(loc[0])) if len(loc) >= 2 and isinstance(loc[1], int) else None


def _entry_prefix(loc: Loc) -> str:
    """'update 2: ' for a place inside the second update, else ''."""
    entry = _entry_name(loc)
    return f"{entry} {int(loc[1]) + 1}: " if entry else ""


def emptied_by_comment(loc: Loc, source_line: str) -> str | None:
    """The message for `note: #3 priority`: YAML read "#3 priority" as a comment, leaving no note.

    Given the line of an empty value, and its key path; None when the line does not show that.
    """
    key = loc[-1] if loc else None
    if not isinstance(key, str):
        return None
    match = re.fullmatch(rf"\s*(?:-\s+)?{re.escape(key)}\s*:\s+(#.*?)\s*", source_line)
    if match is None:
        return None
    # A measure's figure or target in quotes would be text, which is no figure.
    if _is_figure(loc):
        figure = loc[:1] == ("values",)
        what, words = ("value", ", and any words in the figure's note") if figure else (f"target for {key}", "")
        return (
            f'the {what} is empty because "#" starts a comment in YAML; write it as a number after the colon, '
            f"such as 120{words} (in quotes it would be text, not a figure)"
        )
    # The words are not repeated: they may be a restricted note, and this message can reach a CI log.
    return (
        f'{_entry_prefix(loc)}the {key} is empty because "#" starts a comment in YAML; '
        f'put the {key} in quotes: {key}: "#…" with the whole {key} inside the quotes'
    )


def _fields_at(model: type[BaseModel], loc: Loc) -> dict[str, Any]:
    """The fields of the model found at `loc`: an update's fields inside `updates`, and so on.

    Keyed as the file writes them: by a field's alias where it has one ("from", not "from_").
    """
    import typing

    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            break
        nested = [t for t in (info.annotation, *typing.get_args(info.annotation)) if hasattr(t, "model_fields")]
        if not nested:
            break
        current = nested[0]
    return {info.alias or name: info for name, info in current.model_fields.items()}


def _name(loc: Loc) -> str:
    """A key path in words: ('leads', 0) is 'leads item 1'; ('partners', 'Met') is 'partner 'Met''."""
    if not loc:
        return "the file"
    last = loc[-1]
    if isinstance(last, int):
        return f"{loc[-2]} item {last + 1}" if len(loc) >= 2 else f"item {last + 1}"
    if len(loc) == 2 and loc[0] in {"partners", "rag"}:
        return f"{'partner' if loc[0] == 'partners' else 'the wording of'} {quoted(last)}"
    return str(last)
