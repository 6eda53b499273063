"""The one sentence at the top of a board paper, for the chair to read aloud.

"8 of 10 actions complete or on track; 2 red (actions 3 and 7); 3 overdue; 1 target changed
this quarter." Good news is said too ("none red"): a board should hear that nothing is red as
plainly as that something is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from vawg_cli.model.records import Rag
from vawg_cli.text import plural

if TYPE_CHECKING:
    from vawg_cli.core.report import Report


def sentence(report: Report) -> str:
    counted = report.counted
    if not report.lines:
        return "The plan has no actions to report on yet."
    if not counted:
        aside = "; ".join(f"{number} {state}" for state, number, _ in report.set_aside if number)
        return f"None of the plan's {plural(len(report.lines), 'action')} is going ahead: {aside}."
    red = [line.id for line in counted if line.rag is Rag.RED]
    parts = [
        f"{report.counts[Rag.BLUE] + report.counts[Rag.GREEN]} of {plural(len(counted), 'action')} "
        "complete or on track",
        f"{len(red)} red ({_ids(red)})" if red else "none red",
    ]
    for number, words in (
        (report.counts[Rag.AMBER], "amber"),
        (report.counts[Rag.GREY], "not started (grey)"),
    ):
        if number:
            parts.append(f"{number} {words}")
    overdue = len(report.overdue)
    parts.append(f"{overdue} overdue" if overdue else "none overdue")
    if silent := len(report.not_updated):
        parts.append(f"{silent} with no update this quarter")
    if tbc := len(report.to_be_confirmed):
        parts.append(f"{tbc} with a target still to be confirmed")
    if changed := len(report.targets_changed):
        parts.append(f"{plural(changed, 'target')} changed this quarter")
    parts.extend(f"{number} {state}" for state, number, _ in report.set_aside if number)
    return "; ".join(parts) + "."


def _ids(ids: Sequence[int]) -> str:
    """ "action 3", "actions 3 and 7", "actions 1, 3 and 7"."""
    if len(ids) == 1:
        return f"action {ids[0]}"
    return "actions " + ", ".join(str(i) for i in ids[:-1]) + f" and {ids[-1]}"
