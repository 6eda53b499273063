"""The file format of a measure, measures/CODE.yaml: what it counts, and its figures.

One file a measure, with its figures last: recording a figure adds lines at the end of the file
and never rewrites another, so a reviewer sees exactly one new figure in git. Like the action
format this is public; required fields stay as the README documents them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, StringConstraints, WithJsonSchema, field_validator

from vawg_cli.model.measures import Measure, SeriesBreak, Value
from vawg_cli.model.periods import Frequency, Period, PeriodError, parse_period

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# A code names the measure in commands and in diff lines: short, no spaces, safe in a file name.
CODE_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]{0,39}$"
# Windows keeps these names for devices: a file CON.yaml cannot be opened there.
DEVICE_NAMES = r"CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9]"


def device_name(code: str) -> str | None:
    """The refusal for a code Windows cannot have as a file name, or None."""
    if re.fullmatch(DEVICE_NAMES, code.strip(), re.IGNORECASE):
        return (
            f"the code {code.strip()} cannot name a measure: Windows cannot open a file named {code.strip()}.yaml"
            f" (the name is kept for a device); choose another code, such as {code.strip()}-COUNT"
        )
    return None


Code = Annotated[str, StringConstraints(strip_whitespace=True, pattern=CODE_PATTERN)]
Number = int | float


MAX_FIGURE = 10**15
"""The largest figure a plan keeps (a thousand million million): larger is a slip, and sums of
larger ones would run past what a float holds."""


def number(value: Any) -> Any:
    """A figure as the file gives it: a number, with the usual slips answered in plain words."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError("write a number here, such as 120 or 4.5")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("write a number here, such as 120 or 4.5")
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", text):
            raise ValueError(f"write {text} without its commas: {text.replace(',', '')}")
        if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?\s*%", text):
            raise ValueError(
                f"write {text} as the bare number {text.rstrip('% ')}; the measure's unit says it is a percentage"
            )
        if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+", text) and abs(float(text)) <= MAX_FIGURE:
            plain = float(text)
            raise ValueError(f"write {text} in full: {int(plain) if plain.is_integer() else plain}")
        if len(text) <= 40 and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text):
            value = float(text) if "." in text else int(text)
        else:
            raise ValueError(
                f"{text!r} is not a number; write the figure alone, such as 120, and put words in the note"
            )
    if abs(value) > MAX_FIGURE:
        size = f"{value:.3g}" if isinstance(value, float) else f"a number of {len(str(abs(value)))} digits"
        raise ValueError(f"{size} is larger than any figure a plan keeps; check the number")
    return value


def read_period(value: Any) -> Period:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError("write the period as text, such as 2025/26 Q1, Apr-25 or 2025/26")
    try:
        return parse_period(str(value))
    except PeriodError as error:
        raise ValueError(str(error)) from None


PeriodText = Annotated[
    Period,
    PlainValidator(read_period),
    WithJsonSchema(
        {
            "type": ["string", "integer"],
            "description": "A period as people write it: 2025/26 Q1 (a reporting quarter), Apr-25 (a month), "
            "2025/26 (a reporting year) or 2024 (a calendar year).",
        }
    ),
]
Figure = Annotated[Number, PlainValidator(number), WithJsonSchema({"type": "number"})]


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ValueModel(_FileModel):
    """One figure: the measure's value for one period."""

    period: PeriodText = Field(description="The period the figure is for.")
    value: Figure = Field(description="The figure: a number alone, without commas or a % sign.")
    note: Text | None = Field(None, description="What lies behind the figure, fit for a board paper.")
    by: Text | None = Field(None, description="Who supplied it: a partner code or a person's name.")

    def to_record(self) -> Value:
        return Value(self.period, self.value, self.note, self.by)


class BreakModel(_FileModel):
    """A change in how the figure is collected: figures either side of it are never compared."""

    date: dt.date = Field(description="The first day figures were collected the new way (YYYY-MM-DD).")
    reason: Text = Field(description="What changed, as a paper should say it.")


class MeasureModel(_FileModel):
    """A measure of the plan, kept in measures/CODE.yaml with its figures."""

    code: Code = Field(description="A short code naming the measure in commands: letters, digits, - and _.")
    name: Text = Field(description="What is measured, as a paper names it: 'Professionals trained'.")
    unit: Text = Field(description="What one counts: people, businesses, offences, percent, score out of 10.")
    lead: Text = Field(description="The partner code (from plan.yaml) that supplies the figures.")
    period: Frequency = Field(description="How often a figure is collected: monthly, quarterly or yearly.")
    action: int | None = Field(
        None, gt=0, strict=True, description="The action whose output this is; leave it out for a context measure."
    )
    higher_is_better: bool | None = Field(
        None,
        description="true or false; leave it out where neither way is better (offences may rise as reporting does).",
    )
    kind: Literal["count", "level"] = Field(
        "count",
        description="count (the default): figures add up over a year, and small ones are suppressed in public; "
        "level: a percentage, score or rate, whose year is its latest figure.",
    )
    targets: dict[str, Figure] = Field(
        default_factory=dict,
        description="A target per year: '2025/26: 400'. For a count, the year's total; "
        "for a level, the level to reach.",
    )
    source: Text | None = Field(None, description="Where the figures come from: a system, a survey, a return.")
    description: Text | None = Field(None, description="How the figure is counted, in more words than the name.")
    suppress_below: int | None = Field(
        None,
        ge=3,
        le=100,
        strict=True,
        description="Counts from 1 up to below this are shown as '<N' in public papers; leave it out for the plan's. "
        "At least 3: '<2' could only mean 1.",
    )
    breaks: list[BreakModel] = Field(
        default_factory=list, description="Changes in how the figure is collected (a date and a reason), oldest first."
    )
    values: list[ValueModel] = Field(
        default_factory=list, description="The figures, one per period, oldest first; `vawg measure record` adds them."
    )

    @field_validator("code")
    @classmethod
    def _not_a_device(cls, code: str) -> str:
        if refusal := device_name(code):
            raise ValueError(refusal)
        return code

    @field_validator("period", mode="before")
    @classmethod
    def _frequency(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("values", "breaks", mode="before")
    @classmethod
    def _nothing_yet(cls, value: Any) -> Any:
        return [] if value is None else value

    @field_validator("targets", mode="before")
    @classmethod
    def _targets(cls, value: Any) -> Any:
        if value is None:
            return {}
        if not isinstance(value, dict):
            return value
        years: set[Period] = set()
        for key in value:
            year = read_period(key)
            if year.frequency is not Frequency.YEARLY:
                raise ValueError(f"a target is set for a year, such as 2025/26 or 2025, not for {key}")
            if year in years:
                raise ValueError(f"the target for {key} is given twice; keep one")
            years.add(year)
        # Keys are kept as text (YAML reads 2025 as a number): the record reads them again.
        return {str(key): target for key, target in value.items()}

    def to_record(self) -> Measure:
        return Measure(
            code=self.code,
            name=self.name,
            unit=self.unit,
            lead=self.lead,
            frequency=self.period,
            values=tuple(value.to_record() for value in self.values),
            action=self.action,
            higher_is_better=self.higher_is_better,
            level=self.kind == "level",
            targets=tuple(sorted((read_period(year), target) for year, target in self.targets.items())),
            source=self.source,
            breaks=tuple(SeriesBreak(b.date, b.reason) for b in self.breaks),
            suppress_below=self.suppress_below,
            description=self.description,
        )
