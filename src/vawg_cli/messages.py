"""Pydantic's validation errors, reworded for coordinators: what is wrong, and what to write instead."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .records import Rag

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic_core import ErrorDetails

COLOURS = ", ".join(r.value for r in Rag)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a choice is close to `word` (case aside), else ''."""
    by_lower = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean {by_lower[close[0]]!r}?)" if close else ""


def describe(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M} (a date with a time; write the date alone)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value) if isinstance(value, str) else f"{value!r} ({type(value).__name__})"


def explain(error: ErrorDetails, model: type[BaseModel]) -> tuple[bool, str]:
    """(whether the error sits on the key rather than the value, the message to show)."""
    loc = error["loc"]
    kind = error["type"]
    value = error.get("input")
    in_update = len(loc) >= 2 and loc[0] == "updates" and isinstance(loc[1], int)
    prefix = f"update {int(loc[1]) + 1}: " if in_update else ""
    field = str(loc[-1]) if loc else "file"
    from .models import UpdateModel

    fields = UpdateModel.model_fields if in_update and len(loc) == 3 else model.model_fields

    if kind == "extra_forbidden":
        return (
            True,
            f"{prefix}unknown key {field!r}{did_you_mean(field, fields)}; the keys here are: {', '.join(fields)}",
        )
    if loc and loc[0] == "partners" and (kind in {"too_short", "missing"} or value is None):
        return (
            False,
            "plan.yaml lists no partners; add `partners:` with one line per partner, "
            "e.g. `LBB: London Borough of Bexley`",
        )
    if kind == "missing":
        info = fields.get(field)
        why = f" ({info.description.rstrip('.')})" if info is not None and info.description else ""
        return True, f"{prefix}missing required key {field!r}: add a line `{field}: ...`{why}"
    if kind == "enum":
        hint = did_you_mean(str(value), [r.value for r in Rag])
        return False, f"{prefix}{value!r} is not a colour of the scale{hint}; use one of {COLOURS}"
    if kind == "too_short" and field == "leads":
        return False, "leads is empty; name at least one partner code from plan.yaml"
    if kind in {"string_too_short"}:
        return False, f"{prefix}{field} is empty; write it out or remove the key"
    if kind.startswith("int_") or kind == "greater_than":
        what = "a positive whole number" if kind == "greater_than" or field == "id" else "a whole number"
        return False, f"{prefix}{field} must be {what}, found {describe(value)}"
    if kind in {"greater_than_equal", "less_than_equal"}:
        limits = "from 1 to 12" if field == "year_start_month" else "from 0 to 366"
        return False, f"{field} must be a number {limits}, found {describe(value)}"
    if kind.startswith("date_"):
        return False, f"{prefix}{field} must be a date written YYYY-MM-DD, found {describe(value)}"
    if kind.startswith("bool_"):
        return False, f"{prefix}{field} must be true or false, found {describe(value)}"
    if kind == "string_type":
        return (
            False,
            f"{prefix}{field} must be text, found {describe(value)}; "
            "put it in quotes if it looks like a number or date",
        )
    if kind == "list_type":
        return False, f"{prefix}{field} must be a list (one '- item' per line), found {describe(value)}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        what = "an update (date, rag and note)" if in_update else f"{field} (key: value lines)"
        return False, f"{prefix}expected {what} as a mapping, found {describe(value)}"
    if kind == "value_error":
        return False, prefix + str(error["msg"]).removeprefix("Value error, ")
    return False, f"{prefix}{field}: {error['msg']}"
