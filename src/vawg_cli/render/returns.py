"""What the returns commands print: who was sent what, what a read added, and who still owes a return.

Plain lines that wrap in any terminal, each partner first with what it owes. Plan text is
escaped with `printable` by the command that prints it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from vawg_cli.core.returns import PartnerReturn
from vawg_cli.model.quarters import Quarter
from vawg_cli.render.marks import RAG_WORDS, day
from vawg_cli.text import iso, one_line, plural


def made_lines(
    made: Sequence[tuple[PartnerReturn, Path, Path | None]], quarter: Quarter, *, chase: bool, drafts: bool
) -> str:
    """A line for each workbook written (and its email draft), then the deadline."""
    if not made:
        if chase:
            return f"Every partner has returned for {quarter.label}: nobody to chase."
        return f"No partner has an action or figure to return for {quarter.label}."
    lines = []
    for partner, workbook, draft in made:
        what = plural(len(partner.actions), "action")
        if partner.figures_owed:
            what += f" and {plural(len(partner.figures_owed), 'figure')}"
        line = f"{partner.code}: {workbook} ({what})"
        if draft is not None:
            line += f"; email draft {draft.name}"
        elif drafts:
            line += "; no email draft: plan.yaml gives this partner no email address"
        lines.append(line)
    deadline = made[0][0].window.deadline
    kind = "Reminders" if chase else "Returns"
    lines.append(
        f"{kind} for {quarter.label}, due {deadline:%A} {day(deadline)}: {plural(len(made), 'workbook')} written."
    )
    return "\n".join(lines)


def _days(deadline: date, as_of: date) -> str:
    left = (deadline - as_of).days
    if left > 0:
        return f"{plural(left, 'day')} left"
    if left == 0:
        return "due today"
    return f"{plural(-left, 'day')} overdue"


def status_lines(returns: Sequence[PartnerReturn], quarter: Quarter, as_of: date, *, width: int = 80) -> str:
    """Who owes what, wrapped to `width`: each partner, then its owed actions and figures indented."""
    return "\n".join(_wrapped(line, width) for line in _status(returns, quarter, as_of).split("\n"))


def _wrapped(line: str, width: int) -> str:
    import textwrap

    if len(line) <= width:
        return line
    indent = " " * (len(line) - len(line.lstrip()))
    hanging = indent + ("    " if line.lstrip().startswith("- ") else "  ")
    return "\n".join(textwrap.wrap(line, width=max(width, 40), subsequent_indent=hanging, break_on_hyphens=False))


def _status(returns: Sequence[PartnerReturn], quarter: Quarter, as_of: date) -> str:
    if not returns:
        return f"No partner has an action or figure to return for {quarter.label}."
    window = returns[0].window
    lines = [
        f"Returns for {quarter.label} ({quarter.months}): due {window.deadline:%a} {day(window.deadline)}, "
        f"{_days(window.deadline, as_of)} (as of {day(as_of)})",
        "",
    ]
    owing = []
    for partner in returns:
        owed, figures = partner.owed, partner.figures_owed
        head = f"{partner.code} ({one_line(partner.name)})"
        if partner.complete:
            lines.append(f"{head}: returned all {plural(len(partner.actions), 'action')}")
        else:
            owing.append(partner.code)
            lines.append(f"{head}: owes {len(owed)} of {plural(len(partner.actions), 'action')}")
            for action in owed:
                lines.append(f"  - {action.ref or action.id}. {one_line(action.title)}")
            for figure in figures:
                period = figure.period.label(quarter.year_start_month)
                lines.append(f"  - figure: {figure.measure.code} ({one_line(figure.measure.name)}), {period}")
        for action in partner.actions:
            if (update := partner.returned.get(action.id)) is not None and not partner.complete:
                lines.append(f"  returned: {action.ref or action.id} ({RAG_WORDS[update.rag]}, {day(update.date)})")
        if partner.contact and partner.contact.email and not partner.complete:
            lines.append(
                "  contact: "
                + " ".join(filter(None, (one_line(partner.contact.name or ""), f"<{partner.contact.email}>")))
            )
    lines.append("")
    if owing:
        lines.append(f"{len(owing)} of {plural(len(returns), 'partner')} still owe a return: {', '.join(owing)}")
    else:
        lines.append(f"Every partner has returned for {quarter.label}.")
    return "\n".join(lines)


def status_json(returns: Sequence[PartnerReturn], quarter: Quarter, as_of: date) -> str:
    records = []
    for partner in returns:
        window = partner.window
        records.append(
            {
                "partner": partner.code,
                "name": partner.name,
                "email": partner.contact.email if partner.contact else None,
                "deadline": iso(window.deadline),
                "days_left": (window.deadline - as_of).days,
                "actions": [a.id for a in partner.actions],
                "owed": [a.id for a in partner.owed],
                "returned": {
                    str(action_id): {"date": iso(u.date), "rag": u.rag.value}
                    for action_id, u in partner.returned.items()
                },
                "figures_owed": [
                    {"measure": f.measure.code, "period": f.period.label(quarter.year_start_month)}
                    for f in partner.figures_owed
                ],
                "complete": partner.complete,
            }
        )
    document = {"quarter": quarter.code, "label": quarter.label, "as_of": iso(as_of), "partners": records}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
