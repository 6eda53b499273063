"""What `vawg returns read` says it did: a line for each file, then who returned and the totals."""

from __future__ import annotations

from collections.abc import Sequence

from vawg_cli.edit.returns import Outcome
from vawg_cli.text import plural


def read_summary(outcomes: Sequence[Outcome], *, dry_run: bool) -> tuple[str, int]:
    """A line for each file, then the totals; and how many files had problems."""
    lines = []
    problems = 0
    would = "would add" if dry_run else "added"
    for outcome in outcomes:
        name = outcome.path.name
        if outcome.refused:
            problems += 1
            count = sum(p.severity == "error" for p in outcome.problems)
            lines.append(f"{name}: {plural(count, 'problem')}, so nothing from it was added")
            continue
        parts = []
        if outcome.added:
            ids = ", ".join(str(action) for action, _ in outcome.added)
            parts.append(f"{would} {plural(len(outcome.added), 'update')} (actions {ids})")
        if outcome.recorded:
            parts.append(f"{'would record' if dry_run else 'recorded'} {plural(len(outcome.recorded), 'figure')}")
        if outcome.already:
            parts.append(f"{plural(outcome.already, 'row')} already in the plan (read before), so not added again")
        if outcome.blank:
            ids = ", ".join(map(str, outcome.blank))
            parts.append(f"left blank (not returned): action{'s' if len(outcome.blank) > 1 else ''} {ids}")
        if outcome.blank_figures:
            parts.append(f"{plural(outcome.blank_figures, 'figure')} left blank")
        lines.append(f"{name} ({outcome.partner}, {outcome.quarter}): {'; '.join(parts) or 'nothing filled in'}")
    returned = sorted({o.partner for o in outcomes if not o.refused and (o.added or o.recorded or o.already)})
    updates = sum(len(o.added) for o in outcomes if not o.refused)
    figures = sum(len(o.recorded) for o in outcomes if not o.refused)
    blank = sum(len(o.blank) for o in outcomes if not o.refused)
    total = (
        f"{plural(len(outcomes), 'file')}: returned by {', '.join(returned) or 'nobody'}; "
        f"{plural(updates, 'update')} {would}, {plural(figures, 'figure')} {'would be ' if dry_run else ''}recorded, "
        f"{plural(blank, 'row')} left blank, {plural(problems, 'file')} with problems"
    )
    if dry_run:
        total += " (dry run: nothing was written)"
    return "\n".join([*lines, total]), problems
