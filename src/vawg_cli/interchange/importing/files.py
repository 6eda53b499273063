"""What an import makes and reports: the new action files' bytes, their numbers, and the verdict of
the check of the whole plan as it would be (only the unreadable targets of new rows pass)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from vawg_cli.edit.action_file import FirstUpdate, NewAction, action_text, file_name
from vawg_cli.errors import Diagnostic, PlanInvalid, VawgError
from vawg_cli.interchange.tables import RowData
from vawg_cli.plan.loading import ACTIONS_DIR, PLAN_FILE
from vawg_cli.text import one_line


@dataclass(frozen=True)
class Attention:
    """A row that was imported but needs fixing: its target is not one vawg can read."""

    where: str
    action_id: int
    path: Path
    problem: str


@dataclass(frozen=True)
class NewPlan:
    title: str
    start: date
    end: date


@dataclass(frozen=True)
class About:
    """What the summary says beyond the files."""

    partner_names: tuple[tuple[str, str], ...] = ()
    """The new partners written by their full names in the table, with the codes made for them."""
    lead: str = ""
    lead_rows: int = 0
    """How many rows --lead leads (the rows that name no lead)."""
    everyone_rows: int = 0
    """How many rows said "All partners" (led by every partner)."""
    updates: int = 0
    """How many actions start with an update from the table's RAG or status column."""


@dataclass(frozen=True)
class Imported:
    """What an import did (or, with dry_run, would do)."""

    folder: Path
    kind: str
    files: tuple[tuple[int, Path], ...]
    new_plan: NewPlan | None
    partners_added: tuple[str, ...]
    attention: tuple[Attention, ...]
    warnings: tuple[Diagnostic, ...]
    notes: tuple[str, ...]
    written: bool
    about: About = About()

    @property
    def plan_file(self) -> Path:
        return self.folder / PLAN_FILE


# Above a target vawg cannot read, in the file itself: the user fixes it there.
_TARGET_TO_FIX = (
    "# To fix: vawg cannot read this target. Write a date (2025-04-30), a month (Apr-25), "
    "a yearly month (November annually), Quarterly or Monthly."
)


def _action_text(
    number: int, row: RowData, *, source: Path, today: date, added: date | None, update_date: date
) -> tuple[str, int]:
    """An action file's text, in the layout of the bundled plan's files, and the line of its target.

    `added` is the day the action joins a plan that already runs (papers for earlier quarters
    leave it out); None for the actions a new plan starts with, which count from its start.
    """
    where = f"Imported from {one_line(source.name)}, {row.where}"
    first = (
        FirstUpdate(update_date, row.rag.value, f"{where}: {row.progress}" if row.progress else where)
        if row.rag is not None
        else None
    )
    action = NewAction(
        number,
        row.title,
        row.leads,
        row.target,
        row.owner,
        row.theme,
        row.description,
        row.notes,
        added,
        ref=row.ref,
        first_update=first,
    )
    return action_text(
        action,
        origin=f"imported with `vawg import` on {today} from {one_line(source.name)}, {row.where}",
        schema=True,
        target_comment=_TARGET_TO_FIX if row.target_problem else None,
    )


def action_numbers(rows: Sequence[RowData], taken: set[int], folder: Path) -> list[int]:
    """The source's own numbers where it has them (a clash with the plan is refused); else the
    numbers after the plan's highest id."""
    if rows and all(row.number is not None for row in rows) and not any(row.ref for row in rows):
        numbers = [row.number for row in rows if row.number is not None]
        clashes = sorted(number for number in numbers if number in taken)
        if clashes:
            listed = ", ".join(str(number) for number in clashes[:20]) + (" ..." if len(clashes) > 20 else "")
            raise VawgError(
                f"the table's numbers clash with actions of the plan in {folder}: {listed} exist already; "
                "nothing was imported. Renumber them in the table, or number them after the plan's highest "
                'id by ignoring the number column: --map "No.=ignore"'
            )
        return numbers
    first = max(taken, default=0) + 1
    return list(range(first, first + len(rows)))


def unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


@dataclass(frozen=True)
class Built:
    files: dict[Path, bytes]
    """Every file to write, by its path in the plan folder, in the order to write them."""
    actions: tuple[tuple[int, Path], ...]
    bad_targets: dict[Path, int]
    """The files whose target vawg cannot read, and the line of that target."""
    attention: tuple[Attention, ...]


def build_actions(
    folder: Path,
    rows: Sequence[RowData],
    numbers: Sequence[int],
    *,
    source: Path,
    today: date,
    added: date | None,
    update_date: date | None = None,
) -> Built:
    files: dict[Path, bytes] = {}
    actions, attention = [], []
    bad_targets: dict[Path, int] = {}
    for number, row in zip(numbers, rows, strict=True):
        path = folder / ACTIONS_DIR / file_name(number, row.title)
        if path.exists():
            raise VawgError(f"{path} exists already; nothing was imported. Renumber the table's rows or move the file")
        text, target_line = _action_text(
            number, row, source=source, today=today, added=added, update_date=update_date or today
        )
        files[path] = text.encode("utf-8")
        actions.append((number, path))
        if row.target_problem:
            bad_targets[path] = target_line
            attention.append(Attention(row.where, number, path, row.target_problem))
    return Built(files, tuple(actions), bad_targets, tuple(attention))


def verdict(diagnostics: Iterable[Diagnostic], built: Built) -> tuple[Diagnostic, ...]:
    """Refuse the import if the plan would have any error but the unreadable targets it reports;
    else the warnings about the new files."""
    errors = [
        d
        for d in diagnostics
        if d.severity == "error" and not (d.path in built.bad_targets and d.line == built.bad_targets[d.path])
    ]
    if errors:
        raise PlanInvalid(errors, refused=True)
    return tuple(d for d in diagnostics if d.severity == "warning" and d.path in built.files)


def about(rows: Sequence[RowData], names: dict[str, str], added: Sequence[str], lead: str | None) -> About:
    """What the summary says beyond the files: full names given codes, --lead's rows, "All partners"."""
    return About(
        tuple((code, names[code]) for code in added if names.get(code, code) != code),
        lead or "",
        sum(1 for row in rows if row.lead_given),
        sum(1 for row in rows if row.everyone),
        sum(1 for row in rows if row.rag is not None),
    )
