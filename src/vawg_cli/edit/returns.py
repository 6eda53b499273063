"""`vawg returns read`: a partner's filled return, added to the plan as updates and figures.

Each return file is one change: its rows are checked against the plan (the partner leads the
action, the date is in the quarter's window, the action has not moved on since the return was
made), spliced into the action and measure files as `vawg update` and `vawg measure record`
would, read back to prove it, and checked with the whole plan; only if all of that holds is any
file written, each atomically. One file's problem writes nothing of that file; the files before
it stay written. If the machine stops between two files of one return, reading the return again
adds the rest: a row already in the plan is recognised and skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path

from vawg_cli.core.returned import ReadReturn
from vawg_cli.core.returns import same_partner, window
from vawg_cli.edit.atomic import write_atomic
from vawg_cli.edit.locking import plan_lock
from vawg_cli.edit.measures import fits, splice_figure
from vawg_cli.edit.return_checks import checked_update, header, missing_words, moved_on, same, stale
from vawg_cli.edit.writes import added_errors, proved, readable, splice_update
from vawg_cli.errors import Diagnostic, VawgError
from vawg_cli.model.measures import Measure, Value
from vawg_cli.model.records import Action, Update
from vawg_cli.plan.loading import CheckedPlan, check_plan
from vawg_cli.plan.yaml_source import parse
from vawg_cli.text import UTF8_BOM, file_diff, quoted


@dataclass(frozen=True)
class Outcome:
    """What reading one return did (or, with dry_run, would do)."""

    path: Path
    partner: str
    quarter: str
    added: tuple[tuple[int, Update], ...] = ()
    recorded: tuple[tuple[str, str, int | float], ...] = ()
    """(code, period label, value) of each figure recorded."""
    already: int = 0
    """Rows already in the plan: a return read before."""
    blank: tuple[int, ...] = ()
    blank_figures: int = 0
    problems: tuple[Diagnostic, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    diff: str = ""
    written: bool = False

    @property
    def refused(self) -> bool:
        return any(problem.severity == "error" for problem in self.problems)


@dataclass
class _Pending:
    """The files one return changes, as they will be."""

    overrides: dict[Path, bytes]
    """Files as earlier returns of a dry run left them: read from here, not from the disk."""
    texts: dict[Path, str] = field(default_factory=dict)
    old: dict[Path, str] = field(default_factory=dict)
    boms: dict[Path, bytes] = field(default_factory=dict)
    actions: dict[Path, Action] = field(default_factory=dict)
    measures: dict[Path, Measure] = field(default_factory=dict)

    def text_of(self, path: Path) -> str:
        if path not in self.texts:
            raw = self.overrides[path] if path in self.overrides else path.read_bytes()
            self.boms[path] = UTF8_BOM if raw.startswith(UTF8_BOM) else b""
            self.old[path] = self.texts[path] = raw[len(self.boms[path]) :].decode("utf-8")
        return self.texts[path]

    def raw(self, path: Path) -> bytes:
        return self.boms[path] + self.texts[path].encode("utf-8")


def read_returns(
    folder: Path,
    returns: list[ReadReturn],
    *,
    today: date,
    cache_dir: Path | None,
    dry_run: bool = False,
    accept_stale: bool = False,
    restrict_personal: bool = False,
    quarter: str | None = None,
) -> list[Outcome]:
    """Add each return's rows to the plan, one return at a time, each all or nothing."""
    outcomes = []
    with plan_lock(folder):
        before = readable(folder, today, cache_dir)
        overrides: dict[Path, bytes] = {}  # a dry run's changes, so later returns see earlier ones
        for filled in returns:
            outcome, after = _one(
                folder, filled, before, overrides, today, cache_dir, accept_stale, restrict_personal, quarter
            )
            if after is not None and not outcome.refused:
                if not dry_run:
                    for path, raw in after[1].items():
                        write_atomic(path, raw)
                else:
                    overrides.update(after[1])
                before = after[0]
                outcome = replace(outcome, written=not dry_run and bool(outcome.added or outcome.recorded))
            outcomes.append(outcome)
    return outcomes


def _one(
    folder: Path,
    filled: ReadReturn,
    before: CheckedPlan,
    overrides: dict[Path, bytes],
    today: date,
    cache_dir: Path | None,
    accept_stale: bool,
    restrict_personal: bool,
    asked: str | None,
) -> tuple[Outcome, tuple[CheckedPlan, dict[Path, bytes]] | None]:
    assert before.plan is not None
    plan = before.plan
    outcome = Outcome(
        filled.path, filled.partner, filled.quarter, blank=filled.blank, blank_figures=filled.blank_figures
    )
    problems = list(filled.problems)

    def error(row: int, message: str) -> None:
        problems.append(Diagnostic(filled.path, row, 1, "error", message))

    quarter = header(filled, plan, asked, error)
    if quarter is None:
        return replace(outcome, problems=tuple(problems)), None
    span = window(plan.settings, quarter)
    pending = _Pending(overrides)
    actions = {f.action.id: f for f in plan.actions}
    added: list[tuple[int, Update]] = []
    already = 0
    rows_of: dict[int, int] = {}
    for row in filled.updates:
        if (first := rows_of.setdefault(row.action, row.row)) != row.row:
            error(row.row, f"action {row.action} has a second row in this return (the first is row {first}); keep one")
            continue
        found = actions.get(row.action)
        if found is None:
            error(
                row.row,
                f"this row is for action {row.action}, which the plan no longer has; nothing from this file was added",
            )
            continue
        update = checked_update(row, found.action, filled, span, today, restrict_personal, plan, error)
        if update is None:
            continue
        if twin := next((o for o in found.action.updates if same(update, o, span if row.on is None else None)), None):
            already += 1
            if update.restricted and not twin.restricted:
                problems.append(
                    Diagnostic(
                        filled.path,
                        row.row,
                        1,
                        "warning",
                        f"this row asks for its note to be restricted, but action {row.action}'s update of {twin.date} "
                        f"is already in the plan unrestricted: add `restricted: true` to it in {found.path.name}",
                    )
                )
            for message in missing_words(update, twin, found.path.name):
                problems.append(Diagnostic(filled.path, row.row, 1, "warning", message))
            continue
        if not accept_stale and (moved := moved_on(found.action, row, filled.partner)):
            error(row.row, stale(row.action, moved, filled))
            continue
        path = found.path
        text = pending.text_of(path)
        pending.texts[path], _ = splice_update(text, _data(parse(text.encode("utf-8")).data), update)
        record = pending.actions.get(path, found.action)
        at = sum(1 for old in record.updates if old.date <= update.date)
        pending.actions[path] = replace(record, updates=(*record.updates[:at], update, *record.updates[at:]))
        added.append((row.action, update))
    recorded: list[tuple[str, str, int | float]] = []
    by_code = {f.measure.code.upper(): f for f in plan.measures}
    for figure in filled.figures:
        measure_file = by_code.get(figure.code.upper())
        if measure_file is None:
            error(figure.row, f"this row is for the measure {quoted(figure.code)}, which the plan no longer has")
            continue
        measure = pending.measures.get(measure_file.path, measure_file.measure)
        if not same_partner(measure.lead, filled.partner):
            error(
                figure.row,
                f"{measure.code} is supplied by {measure.lead}, not {filled.partner}; nothing from this file was added",
            )
            continue
        label = figure.period.label(plan.settings.year_start_month)
        old = measure.value_for(figure.period)
        if old is not None:
            if old.value == figure.value:
                already += 1
            else:
                error(
                    figure.row,
                    f"{measure.code} already has {old.value} for {label}, and this return says {figure.value}; "
                    f"if the new figure is right, change it in {measure_file.path.name} by hand "
                    "(git keeps the old one)",
                )
            continue
        if figure.period.end(plan.settings.year_start_month) > today:
            error(
                figure.row,
                f"{label} has not ended yet (it ends on {figure.period.end(plan.settings.year_start_month)}); "
                "read this return again once it has",
            )
            continue
        path = measure_file.path
        text = pending.text_of(path)
        try:
            fits(measure, path, pending.raw(path), figure.period, figure.value, label)
            entry = Value(figure.period, figure.value, figure.note, filled.partner)
            pending.texts[path] = splice_figure(text, entry)
        except VawgError as refusal:
            error(figure.row, str(refusal).removesuffix("; nothing was changed"))
            continue
        pending.measures[path] = replace(measure, values=(*measure.values, entry))
        recorded.append((measure.code, label, figure.value))
    outcome = replace(outcome, added=tuple(added), recorded=tuple(recorded), already=already)
    if any(p.severity == "error" for p in problems):
        return replace(outcome, problems=tuple(problems)), None
    changed = {path: pending.raw(path) for path in pending.texts if pending.texts[path] != pending.old[path]}
    for path, raw in changed.items():
        record_type: type[Action] | type[Measure] = Action if path in pending.actions else Measure
        expected: Callable[[], object] = partial(
            pending.actions.get if record_type is Action else pending.measures.get, path
        )
        proved(
            path,
            raw,
            record_type,
            expected,
            what="the return could not be added",
            nothing="changed",
            instead=f"add it with {'vawg update' if record_type is Action else 'vawg measure record'}",
        )
    everything = {**overrides, **changed}
    after = check_plan(folder, today=today, cache_dir=cache_dir, overrides=everything)
    if new_errors := added_errors(before.diagnostics, after.diagnostics):
        return replace(outcome, problems=tuple(new_errors)), None
    # This file's own warnings (a restricted note asked for again), then those its changes add.
    warnings = [p for p in problems if p.severity == "warning"]
    warnings += [d for d in added_errors(before.diagnostics, after.diagnostics, "warning") if d.path in changed]
    diff = "".join(file_diff(pending.old[path], pending.texts[path], path, folder) for path in changed)
    return replace(outcome, warnings=tuple(warnings), diff=diff), (after, changed)


def _data(data: object) -> dict[str, object]:
    return data if isinstance(data, dict) else {}
