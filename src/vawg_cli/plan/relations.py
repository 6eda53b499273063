"""Warnings between actions that no one file shows: a reference used twice, a successor set aside.

Kept apart from `checks.py`'s rules, which read each action against the plan's settings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from vawg_cli.model.records import Action, Lifecycle
from vawg_cli.text import quoted

if TYPE_CHECKING:
    from vawg_cli.plan.checks import Finding, Partial


def refs_and_successors(actions: Sequence[tuple[str, Action | Partial]], at: Callable[..., Finding]) -> list[Finding]:
    """Warnings between actions: a reference used twice, and a successor that is itself set aside.

    A ref tells actions apart in a paper ("3 (DAB 1)"); two alike mislead. A withdrawn action
    whose successor is withdrawn or on hold too (or which supersede each other) leaves its work
    with nobody.
    """
    findings: list[Finding] = []
    first_with_ref: dict[str, int] = {}
    states = {action.id: action.state for _, action in actions if isinstance(action, Action)}
    for name, action in actions:
        if not isinstance(action, Action):
            continue
        if action.ref:
            key = " ".join(action.ref.split()).lower()
            if key in first_with_ref and first_with_ref[key] != action.id:
                findings.append(
                    at(
                        name,
                        ("ref",),
                        f"ref {quoted(action.ref)} is also the ref of action {first_with_ref[key]}; refs tell actions "
                        "apart in papers: give this one its own",
                        "warning",
                    )
                )
            first_with_ref.setdefault(key, action.id)
        if action.state is Lifecycle.WITHDRAWN and (successor := action.lifecycle[-1].superseded_by) is not None:
            state = states.get(successor)
            if state is not None and state is not Lifecycle.ACTIVE:
                findings.append(
                    at(
                        name,
                        ("lifecycle", len(action.lifecycle) - 1, "superseded_by"),
                        f"action {successor}, which takes this one's place, is {state.value} too, so nothing carries "
                        f"the work: name an action that does, or resume {successor}",
                        "warning",
                    )
                )
    return findings
