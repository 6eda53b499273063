"""Leads as partnerships write them: codes ("LBB"), full names ("Public Health Scotland"), and
"All partners". A full name becomes a code made of its initials ("PHS"), its name kept for
plan.yaml; a name whose initials are a partner's code whose name the plan does not know yet is
that partner."""

from __future__ import annotations

import re
from collections.abc import MutableMapping

EVERYONE = frozenset(
    ("all", "allpartners", "allagencies", "allpartneragencies", "allorganisations", "allreps", "allmembers")
)
_SMALL = frozenset(("of", "and", "the", "for", "in", "on", "to", "&"))


NO_ONE = frozenset(("na", "tbc", "tba", "none", "nil"))


def names_no_one(text: str) -> bool:
    """ "N/A", "TBC", "-": the row names no lead (--lead then names it)."""
    stripped = text.strip()
    return bool(stripped) and (
        re.sub(r"[^a-z]", "", stripped.lower()) in NO_ONE or set(stripped) <= set("-\u2013\u2014 ")
    )


def means_everyone(text: str) -> bool:
    """ "All partners", "All", "All agencies": every partner of the plan leads the action."""
    return re.sub(r"[^a-z]", "", text.lower()) in EVERYONE


_BODIES = frozenset(
    (
        *("council", "police", "service", "services", "board", "partnership", "trust", "authority"),
        *("commissioner", "aid", "agency", "team", "group", "probation", "constabulary", "nhs"),
        *("scotland", "england", "wales", "government"),
    )
)


def is_full_name(text: str) -> bool:
    """ "Public Health Scotland" and "Dorset Council" are names; "LBB", "Met", "NHS SEL" and "Vol
    Sector" are codes as written: a name has three capitalised words, or two and ends like a body's."""
    words = text.split()
    capitalised = [word for word in words if word[:1].isupper() and word.lower() not in _SMALL]
    if len(capitalised) < 2 or all(word.isupper() for word in capitalised):
        return False
    return len(capitalised) >= 3 or words[-1].lower() in _BODIES


def initials(name: str) -> str:
    """ "Public Health Scotland" gives "PHS"; "Office of the Police and Crime Commissioner" gives "OPCC"."""
    return "".join(word[0].upper() for word in re.findall(r"[A-Za-z][\w'-]*", name) if word.lower() not in _SMALL)


def code_for(name: str, known: MutableMapping[str, str], names: MutableMapping[str, str]) -> str:
    """The partner code for a lead written as a full name, remembered in `known` (lower-case names
    and codes to codes) and `names` (codes to full names)."""
    code = initials(name) or name
    existing = known.get(code.lower())
    if existing is not None and names.get(existing, existing) in (existing, name):
        chosen = existing  # the plan's "PHS", whose full name it did not know: this is it
    else:
        chosen, suffix = code, 2
        while chosen.lower() in known:
            chosen, suffix = f"{code}{suffix}", suffix + 1
    names[chosen] = name
    known[name.lower()] = chosen
    known.setdefault(chosen.lower(), chosen)
    return chosen
