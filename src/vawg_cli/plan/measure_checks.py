"""Rules a measure file must keep: figures of the measure's own kind, one per period, in the plan.

`in_file` depends on the file's bytes alone (its result is cached with the record); `across`
needs plan.yaml, the actions and today.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from pathlib import Path

from vawg_cli.model.measures import Measure
from vawg_cli.model.periods import PERIOD_FORMS, Frequency, Period, period_text
from vawg_cli.model.schedule import add_months
from vawg_cli.plan.checks import Finding, Loc
from vawg_cli.text import quoted

BASELINE_YEARS = 3
"""Figures may go back this many years before the plan starts: a strategy compares its first years
with those before it (Bexley's 2024-2028 strategy quotes 2023's offences)."""


def in_file(measure: Measure) -> list[tuple[Loc, str]]:
    findings: list[tuple[Loc, str]] = []
    first_at: dict[Period, int] = {}
    calendar_years = None
    for index, value in enumerate(measure.values):
        where: Loc = ("values", index, "period")
        period = value.period
        written = period_text(period)
        if period.frequency is not measure.frequency:
            findings.append(
                (
                    where,
                    f"figure {index + 1} is for {written}, but this measure is collected {measure.frequency.value}: "
                    f"write {PERIOD_FORMS[measure.frequency]}",
                )
            )
            continue
        if measure.frequency is Frequency.YEARLY:
            if calendar_years is None:
                calendar_years = period.calendar
            elif period.calendar is not calendar_years:
                kind = "calendar years (2024)" if calendar_years else "reporting years (2024/25)"
                findings.append(
                    (
                        where,
                        f"figure {index + 1} is for {written}, but this measure's figures are for {kind}; "
                        "keep one kind of year, or the years would overlap",
                    )
                )
                continue
        if period in first_at:
            findings.append(
                (
                    where,
                    f"figure {index + 1} is for {written}, which has a figure already (figure {first_at[period] + 1}); "
                    "keep one figure a period: correct the one that is wrong and remove the other",
                )
            )
            continue
        first_at[period] = index
        if not measure.level:
            if value.value < 0:
                findings.append(
                    (
                        ("values", index, "value"),
                        f"figure {index + 1} ({written}) is {value.value}, but a count cannot be negative; "
                        "correct it, or make the measure `kind: level` if it is a change or a balance",
                    )
                )
            elif value.value != int(value.value):
                findings.append(
                    (
                        ("values", index, "value"),
                        f"figure {index + 1} ({written}) is {value.value}, but a count is a whole number; correct it, "
                        "or make the measure `kind: level` if it is a rate or a score",
                    )
                )
    for year, target in measure.targets:
        if calendar_years is not None and year.calendar is not calendar_years:
            kind = "calendar years (2024)" if calendar_years else "reporting years (2024/25)"
            findings.append(
                (
                    ("targets", period_text(year)),
                    f"the target for {period_text(year)} is not for one of this measure's {kind}",
                )
            )
        if not measure.level and target < 0:
            findings.append((("targets", period_text(year)), f"the target for {period_text(year)} is negative"))
    for index in range(1, len(measure.breaks)):
        if measure.breaks[index].date < measure.breaks[index - 1].date:
            findings.append(
                (
                    ("breaks", index, "date"),
                    f"break {index + 1} is dated before break {index}; list breaks oldest first",
                )
            )
    return findings


def across(
    measures: Sequence[tuple[Path, Measure]],
    *,
    partners: Collection[str] | None,
    period: tuple[date, date, int] | None,
    action_ids: Collection[int] | None,
    plan_file: Path,
    today: date,
) -> list[Finding]:
    """Rules between a measure and the rest of the plan."""
    findings: list[Finding] = []
    # A code belongs to the file named after it, else to the first file that holds it; the others
    # are told it is taken, and only that: renaming one to CODE.yaml would overwrite the owner.
    owner: dict[str, Path] = {}
    for path, measure in sorted(measures, key=lambda pair: pair[0].stem.upper() != pair[1].code.upper()):
        owner.setdefault(measure.code.upper(), path)
    for path, measure in measures:
        code = measure.code.upper()
        if owner[code] != path:
            findings.append(
                Finding(path, ("code",), f"code {measure.code} is already used by {owner[code].name}; give it another")
            )
        elif path.stem.upper() != code:
            findings.append(
                Finding(
                    path,
                    ("code",),
                    f"the code is {measure.code} but the file is {path.name}; rename it to {measure.code}.yaml",
                )
            )
        if partners is not None and measure.lead not in partners:
            findings.append(
                Finding(
                    path,
                    ("lead",),
                    f"unknown partner {quoted(measure.lead)}; partners are listed in {plan_file.parent.name}/"
                    f"{plan_file.name}: {', '.join(partners)}",
                )
            )
        if action_ids is not None and measure.action is not None and measure.action not in action_ids:
            findings.append(
                Finding(
                    path,
                    ("action",),
                    f"action {measure.action} is not in the plan; give the id of the action this is an output of "
                    "(vawg status lists them), or leave `action` out for a measure of the whole plan",
                )
            )
        if period is not None:
            findings.extend(_in_period(path, measure, period, today))
    return findings


def _in_period(path: Path, measure: Measure, period: tuple[date, date, int], today: date) -> list[Finding]:
    start, end, year_start_month = period
    earliest = date(*add_months(start.year, start.month, -12 * BASELINE_YEARS), 1)
    findings = []
    dated: list[tuple[Loc, str, Period]] = [
        (("values", i, "period"), f"figure {i + 1}", v.period) for i, v in enumerate(measure.values)
    ]
    dated += [(("targets", period_text(y)), "the target", y) for y, _ in measure.targets]
    for loc, what, p in dated:
        written = period_text(p)
        if what == "the target" and measure.frequency is not Frequency.YEARLY and p.calendar and year_start_month != 1:
            findings.append(
                Finding(
                    path,
                    loc,
                    f"the target for {written} is for a calendar year, but this measure's {measure.frequency.value} "
                    f"figures add up by reporting year: write it for {p.year}/{(p.year + 1) % 100:02d} (or the "
                    "reporting year it is meant for)",
                )
            )
            continue
        if year_start_month == 1 and p.frequency is Frequency.YEARLY and not p.calendar:
            findings.append(
                Finding(
                    path, loc, f"{what} is for {written}, but this plan's years run January to December: write {p.year}"
                )
            )
            continue
        first, last = p.start(year_start_month), p.end(year_start_month)
        if first > end or first < earliest:
            findings.append(
                Finding(
                    path,
                    loc,
                    f"{what} is for {written}, outside the plan ({start} to {end}, with figures allowed from "
                    f"{earliest} for comparison); check the year",
                )
            )
        elif what != "the target" and last > today:
            findings.append(
                Finding(
                    path,
                    loc,
                    f"{what} is for {written}, which has not ended yet (it ends {last}; today is {today}); "
                    "record a period's figure once the period is over",
                )
            )
    return findings
