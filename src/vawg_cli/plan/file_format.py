"""The plan's file format, as pydantic models: plan.yaml, one action per file, and its updates.

This is a public format that other tools write, so required fields stay exactly as the README
documents them; optional fields may be added. Each model validates one file and hands back the
plain record of `records.py` that the rest of vawg computes with.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator, model_validator

from vawg_cli.model import records
from vawg_cli.model.records import Lifecycle, Rag
from vawg_cli.model.schedule import FIRST_YEAR, LAST_YEAR, parse_target

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _lower(value: Any) -> Any:
    # "Green" in a hand-edited file means green; the code is always written lower case.
    return value.strip().lower() if isinstance(value, str) else value


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UpdateModel(_FileModel):
    """One entry in an action's progress log."""

    date: dt.date = Field(description="The day the progress was reported (YYYY-MM-DD).")
    rag: Rag = Field(
        description="The action's colour from this day: red, amber, green, blue (complete) or grey (not started)."
    )
    note: Text = Field(description="What happened, in a sentence or two fit for a board paper.")
    by: Text | None = Field(None, description="Who reported it: a partner code or a person's name.")
    restricted: bool = Field(
        False, description="true keeps this note out of public reports (case detail, personal data)."
    )
    next_steps: Text | None = Field(
        None, description="What is being done about it: shown beside the action when the board paper flags it."
    )
    board_ask: Text | None = Field(
        None, description="What the board is asked to decide or do, if anything: the paper's 'For decision' section."
    )

    @field_validator("rag", mode="before")
    @classmethod
    def _rag_code(cls, value: Any) -> Any:
        return _lower(value)

    def to_record(self) -> records.Update:
        return records.Update(self.date, self.rag, self.note, self.by, self.restricted, self.next_steps, self.board_ask)


class TargetChangeModel(_FileModel):
    """One change of an action's target, written by `vawg retarget`."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    date: dt.date = Field(description="The day the target was changed (YYYY-MM-DD).")
    from_: Text = Field(alias="from", description="The target before the change, as it was written.")
    to: Text = Field(description="The target after the change, as it was written.")
    reason: Text = Field(description="Why the target moved.")
    approved_by: Text | None = Field(None, description="Who approved the change: a person, a partner or the board.")

    @field_validator("from_", "to", mode="before")
    @classmethod
    def _date_target(cls, value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else value

    # Only the new target must be readable: the old one may be what an import could not read
    # (TBC), and moving it to a real target with `vawg retarget` is how that gets fixed.
    @field_validator("to")
    @classmethod
    def _parse_target(cls, value: str) -> str:
        parse_target(value)
        return value

    def to_record(self) -> records.TargetChange:
        return records.TargetChange(self.date, self.from_, self.to, self.reason, self.approved_by)


class LifecycleChangeModel(_FileModel):
    """One change of an action's lifecycle, written by `vawg hold`, `vawg withdraw` or `vawg resume`."""

    date: dt.date = Field(description="The day of the change (YYYY-MM-DD).")
    state: Lifecycle = Field(
        description="What the action is from this day: 'on hold', 'withdrawn', or 'active' (resumed)."
    )
    reason: Text = Field(description="Why: the board's decision, the funding, what replaced it.")
    superseded_by: int | None = Field(
        None, gt=0, strict=True, description="With 'withdrawn': the id of the action that takes its place."
    )

    @field_validator("state", mode="before")
    @classmethod
    def _state_words(cls, value: Any) -> Any:
        # "On hold", "on-hold" and "ON_HOLD" in a hand-edited file all mean on hold.
        return (
            " ".join(value.strip().lower().replace("-", " ").replace("_", " ").split())
            if isinstance(value, str)
            else value
        )

    def to_record(self) -> records.LifecycleChange:
        return records.LifecycleChange(self.date, self.state, self.reason, self.superseded_by)


class ActionModel(_FileModel):
    """One numbered action of the plan, kept in actions/NN-short-slug.yaml."""

    # Strict: `id: true` or `id: "3"` is a mistake to point out, not a number to guess.
    id: int = Field(gt=0, strict=True, description="The action's number; unique, and never changed once given.")
    title: Text = Field(description="The aim as the plan words it.")
    leads: list[Text] = Field(min_length=1, description="Partner codes from plan.yaml that lead this action.")
    target: Text = Field(
        description="When it is due: 2025-04-30, Apr-25, 2025/26, Q4 2024/25, Spring 2025, Year 2, "
        "November annually, Quarterly, Annually, Ongoing or TBC (see the README for every form)."
    )
    owner: Text | None = Field(None, description="A named person accountable for the action.")
    theme: Text | None = Field(None, description="The strategy objective or theme the action serves.")
    description: Text | None = Field(None, description="What the action involves, in more words than the title.")
    notes: Text | None = Field(None, description="Anything else worth keeping with the action.")
    added: dt.date | None = Field(
        None,
        description="The day the action joined the plan (YYYY-MM-DD), as `vawg new` writes it; "
        "leave it out for the actions the plan started with. Papers for quarters before it leave the action out.",
    )
    ref: Text | None = Field(None, description="The plan's own reference where it is not the id: 'DAB 1', '1.1', '2a'.")
    lifecycle: list[LifecycleChangeModel] = Field(
        default_factory=list,
        description="Changes of the action's lifecycle (on hold, withdrawn, resumed), oldest first, "
        "as `vawg hold`, `vawg withdraw` and `vawg resume` record them. Nothing is ever deleted.",
    )
    updates: list[UpdateModel] = Field(default_factory=list, description="Progress updates, oldest first.")
    target_history: list[TargetChangeModel] = Field(
        default_factory=list, description="Changes of the target, oldest first, as `vawg retarget` records them."
    )

    @field_validator("updates", "target_history", "lifecycle", mode="before")
    @classmethod
    def _nothing_yet(cls, value: Any) -> Any:
        # `updates:` with nothing after it is how people write "none yet".
        return [] if value is None else value

    @field_validator("leads", mode="before")
    @classmethod
    def _one_lead(cls, value: Any) -> Any:
        # `leads: LBB` is a list of one; anything cleverer (`LBB / Met`) is left to the partner check.
        return [value] if isinstance(value, str) else value

    @field_validator("target", mode="before")
    @classmethod
    def _date_target(cls, value: Any) -> Any:
        # YAML reads an unquoted 2025-04-30 as a date, and 2025 (a year, a documented target) as a
        # number; either is kept as the text it was.
        if type(value) is int and 1000 <= value <= 9999:
            return str(value)
        return value.isoformat() if isinstance(value, dt.date) else value

    @field_validator("target")
    @classmethod
    def _parse_target(cls, value: str) -> str:
        parse_target(value)  # raises TargetError (a ValueError) naming the accepted forms
        return value

    def to_record(self) -> records.Action:
        return records.Action(
            id=self.id,
            title=self.title,
            leads=tuple(self.leads),
            target=self.target,
            schedule=parse_target(self.target),
            updates=tuple(u.to_record() for u in self.updates),
            owner=self.owner,
            theme=self.theme,
            description=self.description,
            notes=self.notes,
            target_history=tuple(change.to_record() for change in self.target_history),
            added=self.added,
            ref=self.ref,
            lifecycle=tuple(change.to_record() for change in self.lifecycle),
        )


# An address as a mail program takes it: something@somewhere.tld, with no spaces or angle brackets.
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

    @field_validator("returns", mode="before")
    @classmethod
    def _no_returns(cls, value: Any) -> Any:
        return {} if value is None else value
