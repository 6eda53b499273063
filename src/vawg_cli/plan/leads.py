"""Joint leads written as one ("LBB / Met"): the one place that says how they are split.

`vawg check` suggests splitting a lead that names several partners, and `vawg import` splits a
table's lead cell into a list; both split the same way, so a cell import accepts is never one
that check would call an unknown partner.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Between joint leads: a slash, comma, semicolon, ampersand, plus sign or line break...
_SEPARATORS = re.compile(r"\s*(?:/|,|;|&|\+|\n)\s*")
# ...and the word "and", except inside a name the plan knows ("Health and Wellbeing Board").
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def joint_leads(text: str, is_name: Callable[[str], bool]) -> list[str]:
    """The leads named in `text`, in order, repeats kept: "LBB / Met", "LBB; Met", "LBB + Met" and
    "LBB and Met" each give ["LBB", "Met"]. A piece for which `is_name` is true is not split at
    "and"; stray spaces and full stops around each lead are dropped."""
    leads: list[str] = []
    for piece in _SEPARATORS.split(text):
        piece = piece.strip(" .")
        if not piece:
            continue
        parts = [piece] if is_name(piece) else [part.strip(" .") for part in _AND.split(piece)]
        leads.extend(part for part in parts if part)
    return leads
