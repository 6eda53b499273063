"""The plan's title and period, from the words around the table ("Appendix B - The Action Plan 2024-2028")."""

from __future__ import annotations

import re
from collections.abc import Sequence

_TITLE_PREFIX = re.compile(
    r"^(?:appendix|annex|annexe|schedule|table|section|part)\s+[\w.]+\s*[-\u2013\u2014:.]\s*", re.IGNORECASE
)
_YEARS = re.compile(r"\b((?:19|20)\d{2})\s*(?:-|\u2013|\u2014|to)\s*((?:19|20)?\d{2})\b")


def _heading(line: str) -> str:
    if line.lstrip().startswith("<!--"):
        return ""  # a comment: the file's source, say, not its heading
    text = re.sub(r"^\s*(?:#+|[-*+]|\d+[.)])\s+", "", line).strip().strip("*_ ").strip()
    return text


def plan_title(before: Sequence[str], after: Sequence[str] = ()) -> str | None:
    """The nearest heading-like line above the table that names an action plan (else below it),
    without an "Appendix B - " in front: a sentence of prose is not a title."""
    for line in [*reversed(before), *after]:
        text = _heading(line)
        if "action plan" not in text.lower() or len(text) > 120 or text.endswith((".", ":", ";", ",")):
            continue
        title = _TITLE_PREFIX.sub("", text).strip()
        if title:
            return title
    return None


def plan_years(before: Sequence[str], after: Sequence[str] = ()) -> tuple[int, int] | None:
    """The plan's years where the text says them ("The Action plan 2024-2028"): a line that
    mentions a plan or strategy first."""
    lines = [line for line in (*before, *after) if not line.lstrip().startswith("<!--")]
    ranked = [line for line in lines if re.search(r"plan|strategy", line, re.IGNORECASE)] + lines
    for line in ranked:
        for match in _YEARS.finditer(line):
            first = int(match[1])
            last = int(match[2]) if len(match[2]) == 4 else first // 100 * 100 + int(match[2])
            if first < last <= first + 10:
                return first, last
    return None
