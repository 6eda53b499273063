"""What a measure says on a day: its latest figure, the same period a year before, the year to date
against the year's target, and its direction of travel, in words every output shares.

Only figures for periods that had ended by the position date count, so a paper for a past quarter
comes out the same whenever it is made. Small counts are withheld here, before any output sees
them (`disclosure.py`): a template cannot print a figure it never gets.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from vawg_cli.core.disclosure import Cells, Figure, number_text, protect
from vawg_cli.model.measures import Measure, SeriesBreak
from vawg_cli.model.periods import Frequency, Period
from vawg_cli.model.records import PlanSettings

ARROWS = {"up": "↑", "down": "↓", "level": "→"}


@dataclass(frozen=True)
class Travel:
    """The direction of travel between two figures, in words an output prints as they are."""

    words: str
    """ "up 12% on 2024/25 Q1", "not comparable: ...", "not shown: a figure under 5"."""
    direction: str | None = None
    """ "up", "down" or "level"; None where no comparison is made."""
    better: bool | None = None
    """Whether the move is the way the measure wants; None where neither way is better."""

    @property
    def arrow(self) -> str:
        return ARROWS.get(self.direction or "", "")


@dataclass(frozen=True)
class Point:
    """One figure of a measure: its period as a paper names it, and the figure an output may show."""

    label: str
    figure: Figure
    start: date
    end: date
    note: str | None = None
    by: str | None = None


@dataclass(frozen=True)
class YearFigure:
    """A measure over one year: its total (a count) or latest figure (a level), to date."""

    label: str
    figure: Figure
    complete: bool
    """The year had ended by the position date."""
    target: int | float | None
    against_target: str | None
    """ "250 of 400 (63%)", or None without a target or where the figure is withheld."""
    share: int | None
    """A count's figure as a percentage of its target; None without one, or where the figure is withheld."""
    travel: Travel | None
    """Against the year before, where it has a figure."""


@dataclass(frozen=True)
class MeasureView:
    code: str
    name: str
    unit: str
    lead: str
    action: int | None
    level: bool
    higher_is_better: bool | None
    source: str | None
    description: str | None
    targets: tuple[tuple[str, int | float], ...]
    """The measure's targets, by year as a paper names it ("2025/26", "2024")."""
    threshold: int
    frequency: Frequency
    latest: Point | None
    year_earlier: Point | None
    travel: Travel | None
    year_to_date: YearFigure | None
    series: tuple[Point, ...]
    """Every figure up to the position date, oldest first."""
    years: tuple[YearFigure, ...]
    breaks: tuple[SeriesBreak, ...]
    """Breaks up to the position date."""

    @property
    def recent(self) -> tuple[Point, ...]:
        """The figures a paper charts: two years of months or quarters, or the last eight years."""
        return self.series[-12:] if self.frequency is Frequency.MONTHLY else self.series[-8:]

    @property
    def withheld(self) -> bool:
        """Something of this measure is withheld in this output (the paper then says why)."""
        figures = [p.figure for p in self.series] + [y.figure for y in self.years]
        return any(f.withheld for f in figures)


def measure_views(
    measures: Sequence[Measure], settings: PlanSettings, as_at: date, *, exact: bool
) -> tuple[MeasureView, ...]:
    return tuple(measure_view(m, settings, as_at, exact=exact) for m in measures)


def measure_view(measure: Measure, settings: PlanSettings, as_at: date, *, exact: bool) -> MeasureView:
    """The measure as known at `as_at`. `exact`: a restricted output, with small counts shown."""
    ysm = settings.year_start_month
    threshold = measure.suppress_below or settings.suppress_below
    known = sorted((v for v in measure.values if v.period.end(ysm) <= as_at), key=lambda v: v.period.start(ysm))
    years: dict[Period, list[Period]] = {}
    for value in known:
        years.setdefault(year_of(value.period, ysm), []).append(value.period)
    figures = {v.period: v.value for v in known}
    if measure.level:
        # A level is read, not added: nothing sums it, so nothing can be worked out by subtraction.
        shown = {p: Figure(v, threshold=threshold) for p, v in figures.items()}
        cells = Cells(shown, shown, {y: shown[members[-1]] for y, members in years.items()})
    else:
        cells = protect(figures, years, threshold, exact=exact)
    # A withheld figure's note goes with it ("3 referrals from GPs" would say the figure), here,
    # before any output or template sees the view.
    points = tuple(
        Point(v.period.label(ysm), figure, v.period.start(ysm), v.period.end(ysm))
        if (figure := cells.parts[v.period]).withheld
        else Point(v.period.label(ysm), figure, v.period.start(ysm), v.period.end(ysm), v.note, v.by)
        for v in known
    )
    at = dict(zip((v.period for v in known), points, strict=True))
    breaks = tuple(b for b in measure.breaks if b.date <= as_at)
    latest = known[-1].period if known else None
    earlier = latest.year_earlier() if latest else None
    year_figures = _years(measure, settings, years, cells, as_at)
    current = year_of(latest, ysm) if latest else None
    return MeasureView(
        code=measure.code,
        name=measure.name,
        unit=measure.unit,
        lead=measure.lead,
        action=measure.action,
        level=measure.level,
        higher_is_better=measure.higher_is_better,
        source=measure.source,
        description=measure.description,
        targets=tuple((year.label(ysm), target) for year, target in measure.targets),
        threshold=threshold,
        frequency=measure.frequency,
        latest=at.get(latest) if latest else None,
        year_earlier=at.get(earlier) if earlier else None,
        travel=(
            travel(measure, cells.parts[latest], cells.parts.get(earlier), latest, earlier, ysm)
            if latest and earlier
            else None
        ),
        year_to_date=next((y for y, key in zip(year_figures, years, strict=True) if key == current), None),
        series=points,
        years=year_figures,
        breaks=breaks,
    )


def outputs_by_action(
    measures: Sequence[Measure], settings: PlanSettings, as_at: date
) -> dict[int, tuple[MeasureView, ...]]:
    """The public view of each action's outputs (the measures that name it), by action id."""
    found: dict[int, list[MeasureView]] = {}
    for measure in measures:
        if measure.action is not None:
            found.setdefault(measure.action, []).append(measure_view(measure, settings, as_at, exact=False))
    return {action: tuple(views) for action, views in found.items()}


def year_of(period: Period, year_start_month: int) -> Period:
    """The year a figure counts towards: its calendar year for calendar years, else its reporting year."""
    if period.frequency is Frequency.YEARLY:
        return period
    # With a year from January, the reporting year is the calendar year, written 2025.
    return Period(period.reporting_year(year_start_month), Frequency.YEARLY, calendar=year_start_month == 1)


def _years(
    measure: Measure,
    settings: PlanSettings,
    years: dict[Period, list[Period]],
    cells: Cells[Period, Period],
    as_at: date,
) -> tuple[YearFigure, ...]:
    ysm = settings.year_start_month
    result = []
    for year in years:
        figure = cells.totals[year]
        target = measure.target_for(year)
        against, share = None, None
        if target is not None and figure.exact is not None:
            share = round(100 * figure.exact / target) if target and not measure.level else None
            against = (
                f"{number_text(figure.exact)} of {number_text(target)}{f' ({share}%)' if share is not None else ''}"
                if not measure.level
                else f"{number_text(figure.exact)} against a target of {number_text(target)}"
            )
        before = year.year_earlier()
        complete = year.end(ysm) <= as_at
        # A year still running is not set against a whole one: half a year's training is not a fall.
        compared = before in cells.totals and (complete or measure.level)
        result.append(
            YearFigure(
                label=year.label(ysm),
                figure=figure,
                complete=complete,
                target=target,
                against_target=against,
                share=share,
                travel=travel(measure, figure, cells.totals[before], year, before, ysm) if compared else None,
            )
        )
    return tuple(result)


def travel(
    measure: Measure,
    now: Figure,
    then: Figure | None,
    period: Period,
    earlier: Period,
    ysm: int,
) -> Travel:
    """The direction of travel from `earlier` to `period`, in words; never across a series break."""
    on = earlier.label(ysm)
    if then is None:
        return Travel(f"no figure for {on} to compare with")
    crossed = next(
        (b for b in measure.breaks if earlier.start(ysm) < b.date <= period.end(ysm)),
        None,
    )
    if crossed is not None:
        when = f"{calendar.month_name[crossed.date.month]} {crossed.date.year}"
        return Travel(f"not comparable with {on}: {crossed.reason} ({when})")
    if now.exact is None or then.exact is None:
        if "small" in (now.withheld, then.withheld):
            return Travel(f"not shown: a figure under {now.threshold} is withheld")
        # Withheld beside a small figure, not small itself: the words must not say it is under 5.
        return Travel("not shown: a figure is withheld to protect a small one")
    change = now.exact - then.exact
    direction = "up" if change > 0 else "down" if change < 0 else "level"
    better = (
        None if measure.higher_is_better is None or direction == "level" else (change > 0) == measure.higher_is_better
    )
    if direction == "level":
        return Travel(f"no change on {on}", direction, better)
    if measure.level:
        size = number_text(abs(round(change, 2)))
    elif then.exact == 0:
        size = f"from 0 to {number_text(now.exact)}"
    else:
        size = f"{round(abs(change) * 100 / then.exact)}%"
    return Travel(f"{direction} {size} on {on}", direction, better)
