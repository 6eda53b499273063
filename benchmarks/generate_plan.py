"""Write a synthetic, reproducible VAWG action plan for benchmarking `vawg`.

    python benchmarks/generate_plan.py OUT_DIR --actions N [--seed S]

OUT_DIR receives plan.yaml and actions/NNNNN-slug.yaml, one file per action (the number is the
action's id, zero-padded to the width of N), and taskwarrior.json: the same actions as Taskwarrior
tasks, for `task import` (see TASKWARRIOR_FILE). Each action has 5 to 20 progress updates (mostly
few: about 10 on average, so a file is about 40 lines), dated between 2024-04-01 and 2026-10-31,
oldest first. The same N and seed always give byte-identical files, taskwarrior.json included. They are written as plain
text (no YAML library): a value is written bare only when YAML reads it back as the same string,
else double-quoted.
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import re
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

DEFAULT_SEED = 20240401

PLAN_START = date(2024, 4, 1)
PLAN_END = date(2028, 4, 30)
FIRST_UPDATE = date(2024, 4, 1)
LAST_UPDATE = date(2026, 10, 31)
MIN_UPDATES = 5
MAX_UPDATES = 20
YEAR_START_MONTH = 4  # plan.yaml's year_start_month: quarters end in June, September, December, March

# The Taskwarrior twin of the plan, written beside plan.yaml. Its due dates are the actions' next
# due dates as they stand the day after the last update (a fixed day, so the file is the same on
# every run; vawg status itself uses today).
TASKWARRIOR_FILE = "taskwarrior.json"
TASK_PROJECT = "vawg"
DUE_AS_OF = LAST_UPDATE + timedelta(days=1)
_TASK_UUIDS = uuid.UUID("0d8f6c1e-5b7a-4c1e-9a55-76a7e2f0b001")  # namespace for the tasks' uuid5s

PARTNERS: dict[str, str] = {
    "LBB": "London Borough of Bexley",
    "Met": "Metropolitan Police Service",
    "Vol Sector": "Voluntary and community sector",
}
RAGS = ("red", "amber", "green", "blue", "grey")

PLAN_YAML = """\
# Synthetic plan written by benchmarks/generate_plan.py ({actions} actions, seed {seed}).
title: Benchmark plan
start: 2024-04-01
end: 2028-04-30
year_start_month: 4
due_soon_days: 30
partners:
  LBB: London Borough of Bexley
  Met: Metropolitan Police Service
  Vol Sector: Voluntary and community sector
"""

# Title parts: "<verb> <subject> <for whom>", e.g. "Deliver domestic abuse awareness training
# for frontline housing staff".
VERBS = (
    "Deliver",
    "Commission",
    "Review",
    "Develop",
    "Embed",
    "Expand",
    "Pilot",
    "Publish",
    "Strengthen",
    "Evaluate",
    "Co-produce",
    "Map",
    "Refresh",
    "Launch",
    "Improve",
)
SUBJECTS = (
    "domestic abuse awareness training",
    "a coordinated community response to stalking",
    "the MARAC referral pathway",
    "specialist support for survivors of sexual violence",
    "a perpetrator behaviour change programme",
    "healthy relationships sessions",
    "the VAWG communications campaign",
    "data sharing agreements between partners",
    "safe accommodation provision",
    "the harmful practices protocol",
    "an independent domestic violence advocate service",
    "the night-time economy safety scheme",
    "a workplace domestic abuse policy",
    "routine enquiry about abuse",
    "the survivor engagement forum",
    "a multi-agency tasking process for high-harm perpetrators",
    "the economic abuse advice offer",
    "a toolkit for recognising coercive control",
    "outreach to older victims of domestic abuse",
    "the Domestic Homicide Review action tracker",
)
AUDIENCES = (
    "for frontline housing staff",
    "for schools and colleges",
    "across adult social care",
    "for GP practices",
    "for children's services",
    "for licensed premises",
    "in the borough's hospitals",
    "for faith and community groups",
    "for young people aged 11 to 18",
    "for Black and minoritised women",
    "for disabled victims",
    "for LGBT+ survivors",
    "for victims with no recourse to public funds",
    "across the partnership",
    "with neighbouring boroughs",
)

MONTHS = tuple(calendar.month_name[number] for number in range(1, 13))
ROLES = (
    "IDVA",
    "VAWG coordinator",
    "young people's advocate",
    "data analyst",
    "training officer",
    "outreach worker",
    "housing link worker",
)
SERVICES = (
    "refuge",
    "helpline",
    "drop-in clinic",
    "outreach service",
    "counselling service",
    "advocacy service",
    "recovery programme",
)
DOCUMENTS = (
    "the training plan",
    "the referral protocol",
    "the needs assessment",
    "the evaluation report",
    "the service specification",
    "the communications plan",
    "the information sharing agreement",
    "the annual performance report",
)
BODIES = (
    "the VAWG board",
    "the Community Safety Partnership",
    "the Safeguarding Adults Board",
    "the Health and Wellbeing Board",
    "the operational group",
)

# Notes by the colour they report. Placeholders are filled from the lists above.
NOTES: dict[str, tuple[str, ...]] = {
    "grey": (
        "Scoping meeting held with {partner}; work is due to start next quarter.",
        "Awaiting confirmation of funding before the project can begin.",
        "Not yet started; lead officer to be confirmed at {body} in {month}.",
        "Initial discussions held with {partner} about resourcing the work.",
    ),
    "amber": (
        "Recruitment to the {role} post has slipped; interim cover agreed with {partner}.",
        "Draft of {document} circulated for comment but responses are late.",
        "Referrals to the {service} are below the expected level this quarter.",
        "Delivery is behind schedule because of staff sickness in the team.",
        "Venue costs have risen; options for a cheaper venue are being explored.",
        "Only {count} of the planned sessions took place, so a catch-up plan is in place.",
    ),
    "green": (
        "{count} frontline staff completed the training this quarter.",
        "{document} was agreed at {body} in {month}.",
        "The {service} received {count} referrals this quarter, in line with the target.",
        "The {role} is now in post and has started a caseload.",
        "Monthly partnership meetings are running and attendance is good.",
        "Survivor feedback on the {service} was positive: {percent}% rated it good or better.",
        "A joint session with {partner} was held in {month} and was well attended.",
    ),
    "red": (
        "Funding for the {service} ends in {month} and no replacement has been identified.",
        "The {role} post remains vacant after two rounds of recruitment.",
        "Data from {partner} has not been received for two quarters.",
        "The provider has withdrawn from the contract; escalated to {body}.",
    ),
    "blue": (
        "Complete: {document} was signed off by {body} in {month}.",
        "Action complete; the work now continues as business as usual.",
        "All planned sessions delivered, reaching {count} people in total.",
    ),
}
FOLLOW_UPS = (
    "Next review at {body} in {month}.",
    "The lead will report progress at the next meeting.",
    "Figures will be confirmed once the quarterly data return is in.",
    "{partner} has offered to share learning from a similar project.",
    "A short briefing note has gone to {body}.",
    "Risks are recorded on the partnership risk register.",
)

# How an action's colour moves from one update to the next (weights over RAGS).
TRANSITIONS: dict[str, tuple[int, ...]] = {
    #          red amber green blue grey
    "grey": (1, 3, 4, 0, 6),
    "amber": (2, 8, 6, 1, 0),
    "green": (1, 3, 14, 2, 0),
    "red": (5, 5, 2, 0, 0),
    "blue": (0, 1, 1, 12, 0),
}

_PLAIN_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,.;()'/&%+\-]*[A-Za-z0-9.)%]")
_WORD_AFTER_SPACE = re.compile(r" [A-Za-z]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


def yaml_scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when that reads back unchanged, else double-quoted."""
    # Starting with a letter, or holding a word after a space, it cannot read as a number or date.
    readable_as_text = text[0:1].isalpha() or _WORD_AFTER_SPACE.search(text) is not None
    if _PLAIN_SAFE.fullmatch(text) and readable_as_text and text.lower() not in _YAML_WORDS:
        return text
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(text, ensure_ascii=False)


_SLUG_TAIL_WORDS = {"a", "an", "and", "the", "of", "to", "for", "in", "with", "across", "about"}


def slugify(title: str, max_words: int = 6) -> str:
    """A short file-name slug: the title's first words, without a dangling "of" or "for"."""
    words = re.findall(r"[a-z0-9]+", title.lower())[:max_words]
    while len(words) > 1 and words[-1] in _SLUG_TAIL_WORDS:
        words.pop()
    return "-".join(words)


@dataclass(frozen=True)
class Update:
    day: date
    rag: str
    note: str
    by: str | None


@dataclass(frozen=True)
class Action:
    id: int
    title: str
    leads: tuple[str, ...]
    target: str
    updates: tuple[Update, ...]


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        partner=PARTNERS[rng.choice(list(PARTNERS))],
        body=rng.choice(BODIES),
        month=rng.choice(MONTHS),
        role=rng.choice(ROLES),
        service=rng.choice(SERVICES),
        document=rng.choice(DOCUMENTS),
        count=rng.randint(3, 240),
        percent=rng.randint(70, 98),
    )


def _note(rag: str, rng: random.Random) -> str:
    note = _fill(rng.choice(NOTES[rag]), rng)
    note = note[0].upper() + note[1:]
    if rng.random() < 0.5:
        note += " " + _fill(rng.choice(FOLLOW_UPS), rng)
    return note


def _target(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.35:
        day = PLAN_START + timedelta(days=rng.randrange((PLAN_END - PLAN_START).days + 1))
        return day.isoformat()
    if kind < 0.7:
        months = (PLAN_END.year - PLAN_START.year) * 12 + PLAN_END.month - PLAN_START.month
        index = PLAN_START.year * 12 + PLAN_START.month - 1 + rng.randrange(months + 1)
        year, month = divmod(index, 12)
        return f"{calendar.month_abbr[month + 1]}-{year % 100:02d}"
    if kind < 0.85:
        return f"{rng.choice(MONTHS)} annually"
    return "Quarterly"


def _updates(leads: Sequence[str], rng: random.Random) -> tuple[Update, ...]:
    # Most actions have a handful of updates, a few have many: the mean is about 10.
    count = round(rng.triangular(MIN_UPDATES, MAX_UPDATES, MIN_UPDATES))
    span = (LAST_UPDATE - FIRST_UPDATE).days
    days = sorted(FIRST_UPDATE + timedelta(days=rng.randrange(span + 1)) for _ in range(count))
    rag = rng.choices(("grey", "amber", "green"), weights=(5, 2, 3))[0]
    updates = []
    for day in days:
        by = None
        if rng.random() < 0.3:
            by = rng.choice(leads) if rng.random() < 0.8 else rng.choice(list(PARTNERS))
        updates.append(Update(day, rag, _note(rag, rng), by))
        rag = rng.choices(RAGS, weights=TRANSITIONS[rag])[0]
    return tuple(updates)


def make_action(action_id: int, rng: random.Random) -> Action:
    title = f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)} {rng.choice(AUDIENCES)}"
    leads = tuple(rng.sample(list(PARTNERS), k=rng.choices((1, 2, 3), weights=(6, 3, 1))[0]))
    return Action(action_id, title, leads, _target(rng), _updates(leads, rng))


def _target_scalar(target: str) -> str:
    # An ISO date is written bare, as people type it; YAML reads it as a date, which vawg accepts.
    return target if _ISO_DATE.fullmatch(target) else yaml_scalar(target)


def render_action(action: Action, seed: int) -> str:
    lines = [
        f"# Synthetic action {action.id}, written by benchmarks/generate_plan.py (seed {seed}).",
        "# Log progress under updates, oldest first: date, rag (red/amber/green/blue/grey), note.",
        f"id: {action.id}",
        f"title: {yaml_scalar(action.title)}",
        "leads:",
        *(f"  - {yaml_scalar(lead)}" for lead in action.leads),
        f"target: {_target_scalar(action.target)}",
        "updates:",
    ]
    for update in action.updates:
        lines.append(f"  - date: {update.day.isoformat()}")
        lines.append(f"    rag: {update.rag}")
        lines.append(f"    note: {yaml_scalar(update.note)}")
        if update.by is not None:
            lines.append(f"    by: {yaml_scalar(update.by)}")
    return "\n".join(lines) + "\n"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


_MONTH_YEAR = re.compile(r"([A-Z][a-z]{2})-(\d{2})")


def next_due(target: str, as_of: date) -> date | None:
    """The due date vawg gives a target of this generator's forms on `as_of`, as `vawg status` does.

    A one-off target (2025-06-30, Apr-25) is due on its day, past or not; a yearly one ("November
    annually") at the end of that month, and "Quarterly" at the end of each quarter of the
    reporting year: the first such day on or after `as_of` within the plan, else None.
    """
    if _ISO_DATE.fullmatch(target):
        return date.fromisoformat(target)
    if month_year := _MONTH_YEAR.fullmatch(target):
        month = list(calendar.month_abbr).index(month_year[1])
        return _month_end(2000 + int(month_year[2]), month)
    if target.endswith(" annually"):
        month = MONTHS.index(target.removesuffix(" annually")) + 1
        dues = [_month_end(year, month) for year in range(as_of.year, PLAN_END.year + 1)]
    elif target == "Quarterly":
        ends = {(YEAR_START_MONTH - 2 + 3 * step) % 12 + 1 for step in range(4)}
        dues = [_month_end(y, m) for y in range(as_of.year, PLAN_END.year + 1) for m in sorted(ends)]
    else:
        raise ValueError(f"next_due: {target!r} is not a target this generator writes")
    return next((due for due in dues if as_of <= due <= PLAN_END), None)


def _task_time(day: date) -> str:
    # Taskwarrior's own export form of a date: ISO 8601 basic, UTC.
    return f"{day:%Y%m%d}T000000Z"


def task_record(action: Action, seed: int) -> dict[str, str]:
    """`action` as a Taskwarrior task: its title, project vawg, its next due date (see DUE_AS_OF);
    completed when its latest update is blue, as vawg counts it complete. No annotations: the task
    carries about what `task list` shows. Every field is fixed by the action, the uuid included."""
    task = {
        "uuid": str(uuid.uuid5(_TASK_UUIDS, f"{seed}:{action.id}")),
        "description": action.title,
        "project": TASK_PROJECT,
        "entry": _task_time(action.updates[0].day),
    }
    if action.updates[-1].rag == "blue":
        task["status"] = "completed"
        task["end"] = _task_time(action.updates[-1].day)
    else:
        task["status"] = "pending"
        due = next_due(action.target, DUE_AS_OF)
        if due is not None:
            task["due"] = _task_time(due)
    return task


def render_tasks(tasks: Sequence[dict[str, str]]) -> str:
    """A JSON array for `task import`, one task to a line."""
    return "[\n" + ",\n".join(json.dumps(task, ensure_ascii=False) for task in tasks) + "\n]\n"


def write_plan(out_dir: Path, actions: int, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write a plan of `actions` actions into `out_dir`, and its Taskwarrior twin (TASKWARRIOR_FILE);
    return the action files written.

    Refuses to write into a folder that already holds action files, so a smaller plan is never
    silently mixed with the leftovers of a larger one.
    """
    if actions < 1:
        raise ValueError(f"--actions must be at least 1, not {actions}")
    actions_dir = out_dir / "actions"
    if actions_dir.is_dir() and any(actions_dir.iterdir()):
        raise FileExistsError(f"{actions_dir} already holds files; choose an empty or new OUT_DIR")
    actions_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "plan.yaml").write_text(PLAN_YAML.format(actions=actions, seed=seed), encoding="utf-8")

    rng = random.Random(seed)
    width = max(2, len(str(actions)))
    written = []
    tasks = []
    for action_id in range(1, actions + 1):
        action = make_action(action_id, rng)
        path = actions_dir / f"{action_id:0{width}d}-{slugify(action.title)}.yaml"
        path.write_text(render_action(action, seed), encoding="utf-8")
        written.append(path)
        tasks.append(task_record(action, seed))
    (out_dir / TASKWARRIOR_FILE).write_text(render_tasks(tasks), encoding="utf-8")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic VAWG action plan for benchmarks.")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="folder to write the plan into")
    parser.add_argument("--actions", type=int, required=True, metavar="N", help="number of actions")
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        metavar="S",
        help=f"random seed (default {DEFAULT_SEED})",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        written = write_plan(args.out_dir, args.actions, args.seed)
    except (ValueError, FileExistsError) as error:
        parser.error(str(error))
    elapsed = time.perf_counter() - started
    print(f"wrote {len(written)} actions to {args.out_dir} in {elapsed:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
