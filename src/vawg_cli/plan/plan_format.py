"""The shape of plan.yaml, as pydantic models: the settings, the partners and their returns.

The action files' shapes, and the pieces both share, are in file_format.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, ValidationInfo, field_validator, model_validator

from vawg_cli.model import records
from vawg_cli.model.records import Rag
from vawg_cli.model.schedule import FIRST_YEAR, LAST_YEAR
from vawg_cli.plan.file_format import Text, _FileModel, _lower

EMAIL_PATTERN = r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\".]+$"
Email = Annotated[str, StringConstraints(strip_whitespace=True, pattern=EMAIL_PATTERN, max_length=254)]


class ContactModel(_FileModel):
    """Whom to write to: a person or a team inbox."""

    name: Text | None = Field(None, description="A person or team, as an email greets them: 'DI Jane Smith'.")
    email: Email | None = Field(None, description="Their email address: jane.smith@example.org.")

    def to_record(self) -> records.Contact:
        return records.Contact(self.name, self.email)


class PartnerModel(ContactModel):
    """A partner written out in full, with whom its quarterly return goes to."""

    name: Text = Field(description="The partner's full name, as papers show it.")
    contact: Text | None = Field(None, description="The person or team who sends the partner's return.")


class ReturnsModel(_FileModel):
    """When the quarterly returns are due, and where partners send them."""

    days_after_quarter_end: int = Field(
        0,
        ge=-91,
        le=91,
        strict=True,
        description="The deadline, in days after each quarter's last day (e.g. 14). Use "
        "days_before_quarter_end instead for a deadline before the quarter ends.",
    )
    days_before_quarter_end: int | None = Field(
        None, ge=0, le=91, strict=True, description="The deadline, in days before each quarter's last day (e.g. 10)."
    )
    deadlines: dict[Text, dt.date] = Field(
        default_factory=dict,
        description="A date for a quarter's returns that overrides the count, e.g. before a board meeting: "
        "'2025/26 Q3: 2026-01-09'.",
    )
    send_to: ContactModel | None = Field(
        None, description="Where partners send their returns: the coordinator's name and email."
    )
    joint_actions: Literal["each lead", "one lead"] = Field(
        "each lead",
        description="'each lead' (the default): a joint action needs a return from each of its leads; "
        "'one lead': one is enough.",
    )

    @field_validator("joint_actions", mode="before")
    @classmethod
    def _joint_words(cls, value: Any) -> Any:
        return (
            " ".join(value.strip().lower().replace("-", " ").replace("_", " ").split())
            if isinstance(value, str)
            else value
        )

    @field_validator("deadlines", mode="before")
    @classmethod
    def _quarter_keys(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        from vawg_cli.model.quarters import parse_quarter

        codes: dict[str, Any] = {}
        for key, day in value.items():
            # Only the quarter matters here, not the year's start month: 2025/26 Q3 is "2025-Q3" either way.
            code = parse_quarter(str(key), 4).code
            if code in codes:
                raise ValueError(f"the deadline of {code} is given twice; keep one")
            codes[code] = day
        return codes

    @model_validator(mode="after")
    def _one_count(self) -> ReturnsModel:
        if self.days_before_quarter_end is not None and "days_after_quarter_end" in self.model_fields_set:
            raise ValueError("give days_before_quarter_end or days_after_quarter_end, not both")
        return self

    def to_record(self) -> records.ReturnsSettings:
        after = (
            -self.days_before_quarter_end if self.days_before_quarter_end is not None else self.days_after_quarter_end
        )
        return records.ReturnsSettings(
            days_after_quarter_end=after,
            deadlines=tuple(sorted(self.deadlines.items())),
            send_to=self.send_to.to_record() if self.send_to else None,
            one_lead_enough=self.joint_actions == "one lead",
        )


class MarkingModel(_FileModel):
    """The protective marking printed on every page of a paper, in the partnership's own words."""

    public: Text = Field(
        "OFFICIAL", max_length=60, description="On a paper without restricted notes, e.g. 'OFFICIAL - for publication'."
    )
    restricted: Text = Field(
        "OFFICIAL-SENSITIVE",
        max_length=60,
        description="On a paper made with --include-restricted, e.g. 'OFFICIAL-SENSITIVE' or 'RESTRICTED'.",
    )

    @model_validator(mode="after")
    def _restricted_stands_out(self) -> MarkingModel:
        # A paper made with --include-restricted carries case detail; marked as a public one is,
        # it would be handled (printed, sent on, published) as one.
        if " ".join(self.restricted.split()).casefold() == " ".join(self.public.split()).casefold():
            # When both are the sensitive marking, it is the public one that is wrong.
            advice = (
                "give public the marking of a paper without restricted notes, such as OFFICIAL"
                if "SENSITIVE" in self.public.upper()
                else "give restricted a marking of its own, such as OFFICIAL-SENSITIVE"
            )
            raise ValueError(
                f"the restricted marking is the public one ({self.public!r}), so a paper holding restricted notes "
                f"would look like a public paper; {advice}"
            )
        return self

    def to_record(self) -> records.Marking:
        return records.Marking(self.public, self.restricted)


class PlanModel(_FileModel):
    """plan.yaml: what holds for the whole plan."""

    title: Text = Field(description="The plan's name as it appears on reports.")
    start: dt.date = Field(description="First day of the plan period.")
    end: dt.date = Field(description="Last day of the plan period.")
    year_start_month: int = Field(
        4, ge=1, le=12, description="Month the reporting year starts; 4 (April) makes Q1 April to June."
    )
    due_soon_days: int = Field(30, ge=0, le=366, description="An action due within this many days is 'due soon'.")
    partners: dict[Text, Text | PartnerModel] = Field(
        min_length=1,
        description="Short partner codes and their full names; a partner may instead give `name`, and the "
        "`contact` and `email` its quarterly return goes to.",
    )
    rag: dict[Rag, Text] = Field(
        default_factory=dict,
        description="The plan's wording for each colour; a colour left out keeps the default wording.",
    )
    suppress_below: int = Field(
        5,
        ge=3,
        le=100,
        strict=True,
        description="Measures' counts from 1 up to below this are shown as '<5' in public papers and exports, "
        "so that a small number cannot identify a person; 5 is the usual threshold, 3 the least ('<2' could only "
        "mean 1). A measure may set its own.",
    )
    returns: ReturnsModel = Field(
        default_factory=ReturnsModel,
        description="The quarterly returns: when they are due and where partners send them (vawg returns).",
    )

    marking: MarkingModel = Field(
        default_factory=MarkingModel,
        description="The protective marking on every page of a paper (UK Government Security Classifications): "
        "OFFICIAL for a public paper and OFFICIAL-SENSITIVE for one with restricted notes, unless given here.",
    )
    example: bool = Field(
        False,
        strict=True,
        description="true for an example plan (the one vawg ships): every paper made from it says so at the top. "
        "Delete the line when the plan is your own.",
    )

    @field_validator("rag", mode="before")
    @classmethod
    def _rag_codes(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        codes: dict[Any, Any] = {}
        for key, wording in value.items():
            code = _lower(key)
            if code in codes:
                raise ValueError(f"the wording of {code!r} is given twice; keep one")
            codes[code] = wording
        return codes

    @field_validator("start", "end")
    @classmethod
    def _sane_year(cls, day: dt.date) -> dt.date:
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(f"{day} is not a date within a plan's reach ({FIRST_YEAR} to {LAST_YEAR}); check the year")
        return day

    @field_validator("end")
    @classmethod
    def _period(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError(f"the plan ends ({end}) before it starts ({start}); check start and end")
        return end

    def to_record(self) -> records.PlanSettings:
        return records.PlanSettings(
            title=self.title,
            start=self.start,
            end=self.end,
            partners={code: p if isinstance(p, str) else p.name for code, p in self.partners.items()},
            year_start_month=self.year_start_month,
            due_soon_days=self.due_soon_days,
            rag=dict(self.rag),
            suppress_below=self.suppress_below,
            contacts={
                code: records.Contact(p.contact, p.email)
                for code, p in self.partners.items()
                if isinstance(p, PartnerModel) and (p.contact or p.email)
            },
            returns=self.returns.to_record(),
            marking=self.marking.to_record(),
            example=self.example,
        )

    @field_validator("returns")
    @classmethod
    def _deadlines_near_quarters(cls, returns: ReturnsModel, info: ValidationInfo) -> ReturnsModel:
        # A quarter's deadline falls within it or in the half year after: one a year out (a slip in
        # the year) would leave its returns due for ever, or overdue before they were made.
        from vawg_cli.model.quarters import parse_quarter

        year_start_month = info.data.get("year_start_month", 4)
        for code, day in returns.deadlines.items():
            quarter = parse_quarter(code, year_start_month)
            latest = quarter.end + dt.timedelta(days=183)
            if not quarter.start <= day <= latest:
                raise ValueError(
                    f"the deadline for {quarter.label} is {day}, outside the quarter and the half year after it; "
                    f"give a day from {quarter.start} to {latest}"
                )
        return returns

    @field_validator("returns", "marking", mode="before")
    @classmethod
    def _no_returns(cls, value: Any) -> Any:
        return {} if value is None else value
