"""`vawg measure add` and `vawg measure record`: a new measures/CODE.yaml, and one more figure in one.

Written like every other change (edit/writes.py): under the plan's lock, the new text is read
back to prove it holds exactly what was asked, the whole plan is checked with it, and only then
is the file replaced atomically. Recording a figure only adds lines, at the end of the measure's
`values`: every byte already in the file stays where it was, so git shows one new figure and
nothing else. A new measure's file ends with `values:` and nothing after it (which reads as no
figures yet) rather than `values: []`, whose brackets the first figure would have to remove.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import cast

from vawg_cli.edit.locking import plan_lock
from vawg_cli.edit.writes import Written, proved, readable, write_checked
from vawg_cli.edit.yaml_splice import EditError, append_item, parse, scalar
from vawg_cli.errors import VawgError, display_path
from vawg_cli.model.measures import Measure, Value
from vawg_cli.model.periods import PERIOD_FORMS, Frequency, Period, PeriodError, parse_period, period_text
from vawg_cli.model.schedule import add_months
from vawg_cli.plan.loading import ACTION_SUFFIXES, MEASURES_DIR, SCHEMA_DIR, CheckedPlan, MeasureFile, Plan
from vawg_cli.plan.measure_format import CODE_PATTERN, MeasureModel, device_name, number
from vawg_cli.plan.messages import code_rule, did_you_mean, field_bounds, in_full
from vawg_cli.plan.parsing import parse_plan_file
from vawg_cli.text import UTF8_BOM, quoted

NOTHING = "nothing was changed"
MAX_DIGITS = 15  # a figure's whole part has at most this many digits: a float holds no more exactly
_KIND = {Frequency.MONTHLY: "a month", Frequency.QUARTERLY: "a reporting quarter", Frequency.YEARLY: "a reporting year"}


class MeasureNotFound(VawgError):
    """No measure has the code the user gave."""


@dataclass(frozen=True)
class NewMeasure:
    """A measure as `vawg measure add` is given it; targets as typed ("2025/26=400")."""

    code: str
    name: str
    unit: str
    frequency: Frequency = Frequency.QUARTERLY
    action: int | None = None
    lead: str | None = None
    targets: tuple[str, ...] = ()
    level: bool = False
    higher_is_better: bool | None = None
    source: str | None = None
    suppress_below: int | None = None


@dataclass(frozen=True)
class Recorded:
    """What `record_figure` wrote (or, with dry_run, would write)."""

    written: Written
    code: str
    period: str  # as a paper names it: "2025/26 Q1"
    value: int | float


def add_measure(
    folder: Path, new: NewMeasure, *, today: date, cache_dir: Path | None, dry_run: bool = False
) -> Written:
    """Write measures/CODE.yaml for `new`; refuse, before anything is written, what would not hold."""
    if not re.fullmatch(CODE_PATTERN, new.code):
        raise VawgError(f"the code {quoted(new.code)} cannot name a measure; {code_rule(CODE_PATTERN)}; {NOTHING}")
    if refusal := device_name(new.code):
        raise VawgError(f"{refusal}; {NOTHING}")
    targets = tuple(sorted(_target(typed, level=new.level) for typed in new.targets))
    if len({year for year, _ in targets}) < len(targets):
        raise VawgError(f"--target gives one year twice; give one target a year; {NOTHING}")
    low, high = field_bounds(MeasureModel.model_fields["suppress_below"])  # as vawg check reads the file
    if new.suppress_below is not None and not low <= new.suppress_below <= high:
        raise VawgError(f"--suppress-below must be from {low} to {high}, not {new.suppress_below}; {NOTHING}")
    with plan_lock(folder):
        _no_links(folder, new.code)
        before = readable(folder, today, cache_dir)
        plan = _plan(before)
        _code_is_free(folder, plan, new.code)
        measure = Measure(
            code=new.code,
            name=new.name,
            unit=new.unit,
            lead=_lead(plan, before, new),
            frequency=new.frequency,
            action=new.action,
            higher_is_better=new.higher_is_better,
            level=new.level,
            targets=targets,
            source=new.source,
            suppress_below=new.suppress_below,
        )
        path = folder / MEASURES_DIR / f"{new.code}.yaml"
        example = latest_ended(new.frequency, plan.settings.year_start_month, today)
        text = measure_text(measure, example, today, schema=(folder / SCHEMA_DIR / "measure.schema.json").is_file())
        if parse_plan_file(text.encode("utf-8"), Measure)[0] != measure:  # proof before trust, as for a change
            raise VawgError(
                f"{path}: the new file would not read back as the measure given, so nothing was written; write "
                "it by hand (the bundled plan's measures/ show how) and run vawg check"
            )
        return write_checked(folder, path, "", text, before, today=today, cache_dir=cache_dir, dry_run=dry_run)


def _plan(checked: CheckedPlan) -> Plan:
    assert checked.plan is not None  # readable() refuses a plan it cannot build
    return checked.plan


def _target(typed: str, *, level: bool) -> tuple[Period, int | float]:
    year_text, equals, value_text = typed.partition("=")
    if not equals:
        raise VawgError(f"--target {quoted(typed)} needs a year and a figure, such as --target 2025/26=400; {NOTHING}")
    try:
        year = parse_period(year_text)
        value = typed_figure(value_text)
    except (PeriodError, ValueError) as error:
        raise VawgError(f"--target {quoted(typed)}: {error}; {NOTHING}") from None
    if year.frequency is not Frequency.YEARLY:
        raise VawgError(
            f"--target {quoted(typed)}: a target is for a year, such as 2025/26 or 2025, not {period_text(year)}; "
            + NOTHING
        )
    if not level and value < 0:
        raise VawgError(f"--target {quoted(typed)}: a count's target cannot be negative; {NOTHING}")
    return year, value


def typed_figure(text: str) -> int | float:
    """A figure as typed after --value or in --target: the digits 0 to 9, no more of them than a count has."""
    typed = text.strip()
    if not typed.isascii():  # int() reads Arabic-Indic or full-width digits: the file would not hold what was typed
        raise ValueError(f"write the figure with the digits 0 to 9, such as 120, not {quoted(typed)}")
    if len(typed.lstrip("+-").split(".")[0].lstrip("0")) > MAX_DIGITS:  # nor Python's own words about its limit
        raise ValueError(f"a figure of more than {MAX_DIGITS} digits is no count or rate a plan keeps; give the figure")
    if full := in_full(typed):
        raise ValueError(f"write {typed} in full: {full}")
    return cast("int | float", number(typed))


def _no_links(folder: Path, code: str) -> None:
    """Refuse to write through a link to measures/ or CODE.yaml, wherever it leads (outside the plan, into actions/)."""
    listing = folder / MEASURES_DIR
    named = listing.iterdir() if listing.is_dir() else ()
    files = [p for p in named if p.stem.upper() == code.upper() and p.suffix.lower() in ACTION_SUFFIXES]
    for link in (path for path in (listing, *files) if path.is_symlink()):
        name, plain = ("", "a plain folder holding the files") if link == listing else (link.name, "the file itself")
        raise VawgError(
            f"{MEASURES_DIR}/{name} is a link, and vawg writes a measure only into the plan's own folder, not "
            f"through a link; replace the link with {plain}; {NOTHING}"
        )


def _code_is_free(folder: Path, plan: Plan, code: str) -> None:
    """A code names one measure, whatever its case: TRAINED and trained would be the same file on Windows."""
    taken = [(f.measure.code, f.path) for f in plan.measures]
    # A file that fails validation has no record but still holds its code, in its name.
    listing = folder / MEASURES_DIR
    if listing.is_dir():
        taken += [(path.stem, path) for path in listing.iterdir() if path.suffix.lower() in (".yaml", ".yml")]
    for used, path in taken:
        if used.upper() == code.upper():
            raise VawgError(
                f"the code {code} is already used by {MEASURES_DIR}/{path.name}; choose another code, or record "
                f"figures for that measure with: vawg measure record {used} ...; {NOTHING}"
            )


def _lead(plan: Plan, checked: CheckedPlan, new: NewMeasure) -> str:
    partners = list(plan.settings.partners)
    if new.action is not None:
        actions = {f.action.id: f.action for f in plan.actions}
        ids = sorted({*actions, *(number for _, number in checked.unvalidated)})
        if new.action not in ids:
            raise VawgError(
                f"there is no action {new.action}; the actions are: {', '.join(map(str, ids))} "
                f"(leave --action out for a measure of the whole plan); {NOTHING}"
            )
        if new.lead is None:
            if new.action not in actions:
                raise VawgError(
                    f"action {new.action}'s file has errors, so its lead is not known; give --lead, or fix the file "
                    f"first (vawg check says where); {NOTHING}"
                )
            return actions[new.action].leads[0]
    if new.lead is None:
        raise VawgError(
            "a measure of the whole plan needs --lead: the partner who supplies its figures "
            f"({', '.join(partners)}); or give --action for an action's output, whose lead it then takes; {NOTHING}"
        )
    same = [code for code in partners if code.casefold() == new.lead.casefold()]
    if len(same) == 1:
        return same[0]  # "met" is Met: a partner code is written as plan.yaml writes it
    raise VawgError(
        f"unknown partner {quoted(new.lead)}{did_you_mean(new.lead, partners)}; partners are listed in plan.yaml: "
        f"{', '.join(partners)}; {NOTHING}"
    )


def measure_text(measure: Measure, example: Period, today: date, *, schema: bool) -> str:
    """A new measure's file: the keys in the schema's order, and `values:` last, awaiting figures."""
    lines = ["# yaml-language-server: $schema=../schema/measure.schema.json"] if schema else []
    lines += [
        f"# Added with `vawg measure add` on {today.isoformat()}. Record a figure once its period is over with:",
        f"#   vawg measure record {measure.code} --period {period_text(example)} --value N",
        "# Each figure is added at the end of `values`; to correct one, edit its line (git keeps the history).",
    ]
    lines += _lines(code=measure.code, name=measure.name, unit=measure.unit, lead=measure.lead)
    level = "level" if measure.level else None
    lines += _lines(
        period=measure.frequency.value, action=measure.action, higher_is_better=measure.higher_is_better, kind=level
    )
    if measure.targets:
        lines.append("targets:")
        # A key is text: `2025:` would read as a number, which check refuses as a key.
        lines += [f"  {scalar(period_text(year))}: {scalar(value)}" for year, value in measure.targets]
    lines += _lines(source=measure.source, suppress_below=measure.suppress_below)
    lines.append("values:")
    return "\n".join(lines) + "\n"


def _lines(**values: object) -> list[str]:
    """A line for each key given a value, in the order given: a key left out (None) is no line."""
    return [f"{key}: {scalar(value)}" for key, value in values.items() if value is not None]


def _period_value(period: Period) -> object:
    """A period as a file writes it: a calendar year as the bare year (2024), as people type it."""
    return period.year if period.calendar else period_text(period)


def latest_ended(frequency: Frequency, year_start_month: int, today: date, *, calendar: bool = False) -> Period:
    """The latest period of `frequency` that has ended by `today`: the one a figure is usually due for.

    `calendar`: a year is a calendar year (2025), as a measure whose figures are for them wants."""
    if frequency is Frequency.MONTHLY:
        year, month = add_months(today.year, today.month, -1)
        return Period(year, Frequency.MONTHLY, month)
    offset = (today.month - year_start_month) % 12  # months into this reporting year
    year = today.year if today.month >= year_start_month else today.year - 1
    if frequency is Frequency.YEARLY:
        if calendar or year_start_month == 1:  # a plan whose years run January to December names them 2025
            return Period(today.year - 1, Frequency.YEARLY, calendar=True)
        return Period(year - 1, Frequency.YEARLY)
    quarter = offset // 3  # this quarter's number less one: the one before it
    return Period(year, Frequency.QUARTERLY, quarter) if quarter else Period(year - 1, Frequency.QUARTERLY, 4)


def record_figure(
    folder: Path,
    code: str,
    period: str,
    value: str,
    *,
    note: str | None,
    by: str | None,
    on: date,
    today: date,
    cache_dir: Path | None,
    dry_run: bool = False,
) -> Recorded:
    """Add the figure `value` for `period` at the end of measure `code`'s `values`, adding lines only."""
    if on > today:
        raise VawgError(f"--date {on} is in the future (today is {today}); {NOTHING}")
    try:
        asked = parse_period(period)
        figure = typed_figure(value)
    except (PeriodError, ValueError) as error:
        raise VawgError(f"{error}; {NOTHING}") from None
    with plan_lock(folder):
        _no_links(folder, code)
        before = readable(folder, today, cache_dir)
        plan = _plan(before)
        found = find_measure(folder, plan, code)
        measure, path = found.measure, found.path
        year_start_month = plan.settings.year_start_month
        raw = path.read_bytes()
        fits(measure, path, raw, asked, figure, period.strip())
        ends = asked.end(year_start_month)
        if ends > on:
            latest = latest_ended(measure.frequency, year_start_month, on, calendar=asked.calendar)
            raise VawgError(
                f"{asked.label(year_start_month)} has not ended yet: it ends on {ends}, and "
                f"{'today' if on == today else 'the day given with --date'} is {on}; record a period's figure once "
                f"it is over (the latest {_KIND[measure.frequency].split()[-1]} that has ended is "
                f"{latest.label(year_start_month)}); {NOTHING}"
            )
        entry = Value(asked, figure, note, by)
        bom = UTF8_BOM if raw.startswith(UTF8_BOM) else b""
        old_text = raw[len(bom) :].decode("utf-8")
        new_text = splice_figure(old_text, entry)
        expected = _with(measure, entry)
        proved(
            path,
            bom + new_text.encode("utf-8"),
            Measure,
            lambda: expected,
            what="the figure could not be added",
            nothing="changed",
            instead="add it by hand at the end of `values` and run vawg check",
        )
        written = write_checked(
            folder, path, old_text, new_text, before, today=today, cache_dir=cache_dir, dry_run=dry_run, bom=bom
        )
        return Recorded(written, measure.code, asked.label(year_start_month), figure)


def _with(measure: Measure, entry: Value) -> Measure:
    return replace(measure, values=(*measure.values, entry))


def splice_figure(text: str, entry: Value) -> str:
    """A measure file's text with `entry` added after its last figure: new lines, every old byte kept."""
    fields: list[tuple[str, object]] = [("period", _period_value(entry.period)), ("value", entry.value)]
    fields += [(key, text) for key, text in (("note", entry.note), ("by", entry.by)) if text is not None]
    try:
        return append_item(parse(text), "values", fields)
    except EditError as error:
        raise VawgError(f"{error}; {NOTHING}") from None


def find_measure(folder: Path, plan: Plan, code: str) -> MeasureFile:
    """The measure whose code is `code`, whatever its case; else a message listing the codes."""
    for measure_file in plan.measures:
        if measure_file.measure.code.upper() == code.upper():
            return measure_file
    listing = folder / MEASURES_DIR
    broken = [p for p in listing.glob("*.y*ml") if p.stem.upper() == code.upper()] if listing.is_dir() else []
    if broken:
        raise MeasureNotFound(
            f"{MEASURES_DIR}/{broken[0].name} has errors, so a figure cannot be added to it yet; "
            f"run vawg check, fix what it says, then record the figure; {NOTHING}"
        )
    codes = [f.measure.code for f in plan.measures]
    if not codes:
        raise MeasureNotFound(
            "the plan has no measures yet; add one first with: vawg measure add CODE --name TEXT --unit TEXT"
        )
    raise MeasureNotFound(
        f"there is no measure {quoted(code)}{did_you_mean(code, codes)}; the measures are: {', '.join(codes)} "
        f"(each is a file in {MEASURES_DIR}/); {NOTHING}"
    )


def fits(measure: Measure, path: Path, raw: bytes, asked: Period, figure: int | float, typed: str) -> None:
    """Refuse, in plain words, a figure the measure cannot take: a period of another kind, one that
    has a figure already, a count that is negative or not whole."""
    from vawg_cli.plan.measure_checks import in_file

    code, frequency = measure.code, measure.frequency
    if asked.frequency is not frequency:
        given = "a calendar year" if asked.calendar else _KIND[asked.frequency]
        raise VawgError(
            f"{code} is collected {frequency.value}, so each figure is for {PERIOD_FORMS[frequency]}; "
            f"{quoted(typed)} is {given}; {NOTHING}"
        )
    years = {value.period.calendar for value in measure.values}
    if frequency is Frequency.YEARLY and len(years) == 1 and asked.calendar not in years:
        kind, example = ("calendar years", "2024") if asked.calendar is False else ("reporting years", "2024/25")
        raise VawgError(
            f"{code}'s figures are for {kind} (such as {example}), and {quoted(typed)} is not one; keep one kind "
            f"of year, or the years would overlap; {NOTHING}"
        )
    for index, old in enumerate(measure.values):
        if old.period == asked:
            line = _line_of(raw, ("values", index, "value"))
            raise VawgError(
                f"{code} already has a figure for {period_text(asked)}: {old.value} ({display_path(path)}:{line}); "
                "to correct it, change the value on that line and commit the change (git keeps the old figure in "
                f"the plan's history); {NOTHING}"
            )
    if not measure.level:
        whole = figure == int(figure)
        if why := "a count cannot be negative" if figure < 0 else None if whole else "a count is a whole number":
            raise VawgError(
                f"{code} counts {measure.unit}, and {why}: {figure} will not do; give the number counted, or, if "
                f"{code} is a rate, a score or a balance, add `kind: level` to {MEASURES_DIR}/{path.name}; {NOTHING}"
            )
    # The rules `vawg check` keeps (one kind of year a measure, ...), for the new figure alone.
    new_index = len(measure.values)
    for loc, message in in_file(_with(measure, Value(asked, figure))):
        if loc[:2] == ("values", new_index):
            raise VawgError(f"{message}; {NOTHING}")


def _line_of(raw: bytes, loc: Sequence[str | int]) -> int:
    from vawg_cli.plan.yaml_source import Positions, parse

    line, _ = Positions(parse(raw).node).locate(tuple(loc))
    return line
