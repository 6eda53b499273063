"""What a return workbook records, out of sight, of where it came from.

A hidden column of the return sheet holds, beside the header, the plan, quarter and partner the
return was made for, and beside each row the action (or figure) it asks about and the updates the
action had when the return was made. It is in the sheet itself, not in a hidden sheet, so that a
CSV saved from the sheet keeps it. Each cell ends with a check over its fields and the header's,
so that a row copied between returns, or an action number changed by hand, is told apart from
the row the return was made with. The check is not a secret: it catches slips, not forgery, and
nothing in a return is trusted beyond what the plan's own rules allow.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, unquote

from vawg_cli.interchange.returns.layout import LAYOUT, layout_of

MARK = "vawg-return"
VERSION = LAYOUT.version
"""The version of the workbooks made now: it says which columns hold the answers (layout.py)."""


class IdentityError(ValueError):
    """A hidden identity cell that is not one vawg wrote, or was changed."""


def _check(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:8]


def _encode(fields: list[tuple[str, str]]) -> str:
    return ";".join(f"{key}={quote(value, safe=' /-.:')}" for key, value in fields)


def _decode(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for part in text.strip().split(";"):
        key, equals, value = part.partition("=")
        if not equals or key in fields:
            raise IdentityError(part)
        fields[key] = unquote(value)
    return fields


@dataclass(frozen=True)
class ReturnHeader:
    plan: str
    """plan_key() of the plan the return was made from."""
    title: str
    quarter: str
    """The quarter's code: 2025-Q3."""
    partner: str
    made: date
    version: str = VERSION
    """The layout's version (layout.py): an earlier vawg's workbook keeps its own."""

    def encode(self) -> str:
        fields = [
            (MARK, self.version),
            ("plan", self.plan),
            ("title", self.title),
            ("quarter", self.quarter),
            ("partner", self.partner),
            ("made", self.made.isoformat()),
        ]
        return _encode([*fields, ("check", _check(*(value for _, value in fields)))])

    @classmethod
    def decode(cls, text: str) -> ReturnHeader:
        fields = _decode(text)
        version = fields.get(MARK, "")
        if layout_of(version) is None:
            raise IdentityError(text)
        check = fields.pop("check", "")
        try:
            header = cls(
                fields["plan"],
                fields["title"],
                fields["quarter"],
                fields["partner"],
                date.fromisoformat(fields["made"]),
                version,
            )
        except (KeyError, ValueError):
            raise IdentityError(text) from None
        if header.encode() != _encode([*fields.items(), ("check", check)]):
            raise IdentityError(text)
        return header


def is_header(text: object) -> bool:
    return isinstance(text, str) and text.startswith(f"{MARK}=")


@dataclass(frozen=True)
class RowIdentity:
    """One row of a return: an action (with the updates it had), or a measure's figure for a period."""

    action: int | None = None
    seen: tuple[str, ...] = ()
    """update_key() of each of the action's updates when the return was made."""
    measure: str | None = None
    period: str | None = None

    def encode(self, header: ReturnHeader) -> str:
        fields = self._fields()
        return _encode([*fields, ("check", _check(header.encode(), *(value for _, value in fields)))])

    def _fields(self) -> list[tuple[str, str]]:
        if self.action is not None:
            return [("action", str(self.action)), ("seen", ".".join(self.seen))]
        return [("measure", self.measure or ""), ("period", self.period or "")]

    @classmethod
    def decode(cls, text: str, header: ReturnHeader) -> RowIdentity:
        fields = _decode(text)
        check = fields.pop("check", "")
        try:
            if "action" in fields:
                row = cls(action=int(fields["action"]), seen=tuple(p for p in fields["seen"].split(".") if p))
            else:
                row = cls(measure=fields["measure"], period=fields["period"])
        except (KeyError, ValueError):
            raise IdentityError(text) from None
        if row.encode(header) != _encode([*fields.items(), ("check", check)]):
            raise IdentityError(text)
        return row
