"""What an action's file says of its own changes, checked as a public note is checked.

A target change's reason and approver, and a lifecycle change's reason, have no `restricted`
flag: every paper and export prints them. "Moved: 2 victims relocated; contact jane@..." there
reaches the board and MOPAC as it stands. So `vawg check` warns of personal data in them, and of
a small count (under the plan's `suppress_below`), as it warns of both in an unrestricted note.
"""

from __future__ import annotations

from collections.abc import Iterator

from vawg_cli.model.records import Action
from vawg_cli.plan.checks import Loc
from vawg_cli.text import excerpt

_WORDS = {"reason": "reason", "approved_by": "approver"}


def _texts(action: Action) -> Iterator[tuple[Loc, str, str]]:
    """(where, what it is called, text) of every reason and approver the action's file holds."""
    for index, change in enumerate(action.target_history):
        for key, text in (("reason", change.reason), ("approved_by", change.approved_by)):
            if text:
                yield ("target_history", index, key), f"target change {index + 1}'s {_WORDS[key]}", text
    for index, life in enumerate(action.lifecycle):
        if life.reason:
            yield ("lifecycle", index, "reason"), f"lifecycle change {index + 1}'s reason", life.reason


def personal_data_in_reasons(action: Action) -> list[tuple[Loc, str]]:
    from vawg_cli.plan.personal_data import find_personal_data

    findings: list[tuple[Loc, str]] = []
    for loc, what, text in _texts(action):
        if kinds := find_personal_data(text):
            found = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
            findings.append(
                (
                    loc,
                    f"{what} looks like it holds {found}, and every paper and export shows it (it cannot be "
                    "restricted): remove the personal data, or put it in a restricted update instead",
                )
            )
    return findings


def small_counts_in_reasons(action: Action, below: int) -> list[tuple[Loc, str]]:
    from vawg_cli.plan.small_counts import find_small_count

    findings: list[tuple[Loc, str]] = []
    for loc, what, text in _texts(action):
        if (phrase := find_small_count(text, below)) is not None:
            findings.append(
                (
                    loc,
                    f'{what} gives a small count ("{excerpt(phrase)}"), and every paper shows it (it cannot be '
                    f'restricted), where counts under {below} are withheld; write "fewer than {below}", or put '
                    "the count in a restricted update instead",
                )
            )
    return findings
