"""What `vawg import` tells the user: what was (or would be) created, the partners added, what to fix."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vawg_cli.errors import display_path
from vawg_cli.interchange.importing.files import Imported
from vawg_cli.plan.loading import ACTIONS_DIR
from vawg_cli.text import plural


def _ids(numbers: Sequence[int]) -> str:
    if len(numbers) == 1:
        return f"id {numbers[0]}"
    ordered = sorted(numbers)
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"ids {ordered[0]} to {ordered[-1]}"
    return "ids " + ", ".join(str(number) for number in ordered)


def summary(result: Imported, base: Path | None = None) -> str:
    """The lines `vawg import` prints: what was created, which partners were added, what to fix."""

    def shown(path: Path) -> str:
        return display_path(path, base)

    would = not result.written
    create, add = ("Would create", "Would add") if would else ("Created", "Added")
    lines = [f"Read {plural(len(result.files), 'row')} from {result.kind}."]
    if result.new_plan is not None:
        plan = result.new_plan
        lines.append(f"{create} {shown(result.plan_file)}: {plan.title!r}, {plan.start} to {plan.end}.")
    numbers = [number for number, _ in result.files]
    lines.append(
        f"{create} {plural(len(numbers), 'action')} in {shown(result.folder / ACTIONS_DIR)} ({_ids(numbers)})."
    )
    if would:
        lines += [f"  {shown(path)}" for _, path in result.files]
    about = result.about
    if about.updates:
        lines.append(
            f"{plural(about.updates, 'action')} {'start' if about.updates > 1 else 'starts'} with an update "
            "from the table's RAG or status column (its colour, and the progress text as its note)."
        )
    if about.lead_rows:
        lines.append(
            f"{about.lead} is the lead of {plural(about.lead_rows, 'action')} (--lead): "
            f"{'the table has no lead column' if about.lead_rows == len(result.files) else 'their rows name none'}."
        )
    if about.everyone_rows:
        lines.append(
            f'{plural(about.everyone_rows, "row")} said "All partners": every partner is the lead of '
            f"{'each' if about.everyone_rows > 1 else 'it'}."
        )
    if result.partners_added:
        count = len(result.partners_added)
        full = dict(about.partner_names)
        listed = ", ".join(f"{code} ({full[code]})" if code in full else code for code in result.partners_added)
        codes_only = [code for code in result.partners_added if code not in full]
        advice = (
            f" (named by {'their codes' if len(codes_only) > 1 else 'its code'}: give "
            f"{'them their full names' if len(codes_only) > 1 else 'it its full name'} there)"
            if codes_only
            else ""
        )
        lines.append(f"{add} {plural(count, 'partner')} to {shown(result.plan_file)}: {listed}{advice}.")
    # Run from here, `vawg check` finds a plan in this folder or in plan/ below it: no --plan needed.
    here = (base or Path.cwd()).resolve()
    found_from_here = result.folder.resolve() in (here, here / "plan")
    check = "vawg check" + ("" if found_from_here else f" --plan {shown(result.folder)}")
    if len(result.attention) == 1:
        row = result.attention[0]
        lines.append(f"1 row needs attention: {row.where} (action {row.action_id}), {row.problem}: run {check}.")
    elif result.attention:
        lines.append(f"{len(result.attention)} rows need attention (each is imported with its target as written):")
        lines += [f"  {row.where} (action {row.action_id}): {row.problem}" for row in result.attention]
        lines.append(f"Correct their targets in the files, then run {check}.")
    if would:
        lines.append("(dry run: nothing was written)")
    return "\n".join(lines) + "\n"
