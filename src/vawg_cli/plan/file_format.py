"""The shape of an action file, as pydantic models, and the pieces plan.yaml's models (plan_format.py) share.

This is a public format that other tools write, so required fields stay exactly as the README
documents them; optional fields may be added. Each model validates one file and hands back the
plain record of `records.py` that the rest of vawg computes with.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from vawg_cli.model import records
from vawg_cli.model.records import Lifecycle, Rag
from vawg_cli.model.schedule import parse_target

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
