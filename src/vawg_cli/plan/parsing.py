"""One plan file's bytes into its record and the problems it holds in itself.

Nothing here reads files or knows about the other files of the plan: the result depends on the
bytes alone (and on plan.yaml's `suppress_below`, when it is given), which is why the parse cache
can keep it under the bytes' hash (and that threshold).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from vawg_cli.errors import Severity
from vawg_cli.model.measures import Measure
from vawg_cli.model.records import Action, PlanSettings
from vawg_cli.plan.checks import (
    Partial,
    PartialPlan,
    lifecycle_order,
    personal_data_in_notes,
    red_without_next_steps,
    target_history,
    update_order,
)
from vawg_cli.plan.limits import MAX_PROBLEMS_PER_FILE
from vawg_cli.plan.reason_checks import personal_data_in_reasons, small_counts_in_reasons
from vawg_cli.text import UTF8_BOM

# What the cache keeps for one file: its record (None when invalid) and the problems it holds
# in itself, with their positions. Both depend on the file's bytes alone.
Problems = tuple[tuple[int, int, Severity, str], ...]
R = TypeVar("R", PlanSettings, Action, Measure)

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails


def parse_plan_file(
    raw: bytes, record: type[R], small_below: int | None = None
) -> tuple[R | Partial | PartialPlan | None, Problems]:
    """One plan file's bytes, parsed and validated on their own: its record if valid, and its own problems.

    `small_below` is the plan's `suppress_below`, where it is known: a public note that quotes a
    count of people under it is warned about (a measure's own threshold, if it has one, wins).
    """
    # Imported here: a run whose files are all in the parse cache needs neither.
    from pydantic import ValidationError

    from vawg_cli.plan.file_format import ActionModel
    from vawg_cli.plan.measure_format import MeasureModel
    from vawg_cli.plan.messages import describe, emptied_by_comment, explain
    from vawg_cli.plan.plan_format import PlanModel
    from vawg_cli.plan.yaml_source import Positions, SourceError, parse

    try:
        source = parse(raw)
    except SourceError as error:
        return None, ((error.line, error.column, "error", error.message),)
    problems: list[tuple[int, int, Severity, str]] = [(p.line, p.column, "error", p.message) for p in source.problems]
    if not isinstance(source.data, dict):
        return None, ((1, 1, "error", f"the file must hold 'key: value' lines, but it holds {describe(source.data)}"),)
    positions = Positions(source.node)
    model = PlanModel if record is PlanSettings else MeasureModel if record is Measure else ActionModel
    try:
        validated = model.model_validate(source.data)
    except ValidationError as error:
        details = one_branch(error.errors(include_url=False))
        for detail in details[: MAX_PROBLEMS_PER_FILE + 1]:  # one more than is shown, to place the count
            loc, on_key, message = explain(detail, model)
            line, column = positions.locate(loc, key=on_key)
            if detail.get("input", ...) is None:  # an empty value: a "#" may have made it a comment
                message = emptied_by_comment(loc, _source_line(raw, line)) or message
            problems.append((line, column, "error", message))
        hidden = len(source.problems) + len(details) - MAX_PROBLEMS_PER_FILE
        partial = (
            _partial(source.data)
            if record is Action
            else _partial_plan(source.data)
            if record is PlanSettings
            else None
        )
        return partial, _capped(problems, hidden)
    result = validated.to_record()
    from vawg_cli.plan.hints import comments_cutting_words

    text = raw.removeprefix(UTF8_BOM).decode("utf-8")  # it decoded once already, in parse()
    problems.extend(
        (line, column, "warning", message) for line, column, message in comments_cutting_words(source.node, text)
    )
    if isinstance(result, Action):
        for rule in (update_order, target_history, lifecycle_order):
            for loc, message in rule(result):
                line, column = positions.locate(loc)
                problems.append((line, column, "error", message))
        warnings = personal_data_in_notes(result) + personal_data_in_reasons(result) + red_without_next_steps(result)
        if small_below is not None:
            from vawg_cli.plan.small_counts import small_counts_in_notes

            warnings += small_counts_in_notes(result, small_below) + small_counts_in_reasons(result, small_below)
        for loc, message in warnings:
            line, column = positions.locate(loc)
            problems.append((line, column, "warning", message))
    if isinstance(result, Measure):
        from vawg_cli.plan.measure_checks import in_file

        for loc, message in in_file(result):
            line, column = positions.locate(loc)
            problems.append((line, column, "error", message))
        if (below := result.suppress_below or small_below) is not None:
            from vawg_cli.plan.small_counts import small_counts_in_figures

            for loc, message in small_counts_in_figures(result, below):
                line, column = positions.locate(loc)
                problems.append((line, column, "warning", message))
    return result, _capped(problems, len(problems) - MAX_PROBLEMS_PER_FILE)  # type: ignore[return-value]


def one_branch(details: list[ErrorDetails]) -> list[ErrorDetails]:
    """Errors of a value that may take two shapes (a partner's name, or its name and contact) told
    of the shape it was written in only, at its own keys.

    Pydantic tries each shape of `Text | PartnerModel` and reports both failures, marking each
    with a tag in its path ('constrained-str', 'PartnerModel'); a partner written as a mapping
    should hear only what is wrong with the mapping.
    """
    kept: list[ErrorDetails] = []
    for detail in details:
        loc = detail["loc"]
        tags = [part for part in loc if isinstance(part, str) and (part == "constrained-str" or part.endswith("Model"))]
        if not tags:
            kept.append(detail)
            continue
        at = loc.index(tags[0])
        written = _value_at(details, loc[:at])
        if (tags[0] == "constrained-str") == isinstance(written, dict):
            continue  # the other shape's complaint
        kept.append({**detail, "loc": tuple(part for index, part in enumerate(loc) if index != at)})
    return kept


def _value_at(details: list[ErrorDetails], loc: tuple[str | int, ...]) -> object:
    """What the file held at `loc`, as one of the union's errors gives it (the input of the whole value)."""
    for detail in details:
        if detail["loc"][: len(loc)] == loc and len(detail["loc"]) == len(loc) + 1:
            return detail.get("input")
    return None


def _capped(problems: list[tuple[int, int, Severity, str]], hidden: int) -> Problems:
    """The first problems of a file, and one line counting the rest (at the first one not shown)."""
    if hidden <= 0:
        return tuple(problems)
    line, column, _, _ = problems[MAX_PROBLEMS_PER_FILE]
    more: tuple[int, int, Severity, str] = (
        line,
        column,
        "error",
        f"and {hidden} more problem{'s' if hidden != 1 else ''} in this file from here on; fix those above and "
        "run again (is this the right file?)",
    )
    return (*problems[:MAX_PROBLEMS_PER_FILE], more)


def _source_line(raw: bytes, line: int) -> str:
    """The text of line `line` (from 1) of a file that decoded as UTF-8 once already."""
    lines = raw.removeprefix(UTF8_BOM).decode("utf-8").splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _partial(data: dict[Any, Any]) -> Partial:
    """The id and leads of an invalid action file, where they are well-formed themselves."""
    raw_id, raw_leads = data.get("id"), data.get("leads")
    valid_id = raw_id if type(raw_id) is int and raw_id > 0 else None
    leads = [raw_leads] if isinstance(raw_leads, str) else raw_leads if isinstance(raw_leads, list) else []
    return Partial(valid_id, tuple(lead.strip() for lead in leads if isinstance(lead, str) and lead.strip()))


def _partial_plan(data: dict[Any, Any]) -> PartialPlan | None:
    """The partner codes of an invalid plan.yaml, where its partners are a mapping at all."""
    partners = data.get("partners")
    if not isinstance(partners, dict) or not partners:
        return None
    return PartialPlan(tuple(code.strip() for code in partners if isinstance(code, str) and code.strip()))
