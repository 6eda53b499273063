"""`vawg returns make`: one workbook per lead partner, and the email drafts that carry them.

Workbooks go to a folder of their own, never into the plan. A workbook already there is replaced
only if nothing has been typed into it: a return a partner has filled and the coordinator saved
under the same name is never written over.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from vawg_cli.core.returns import PartnerReturn, partner_returns, plan_key
from vawg_cli.edit.atomic import write_atomic
from vawg_cli.errors import BadOption, VawgError
from vawg_cli.interchange.returns.identity import ReturnHeader
from vawg_cli.interchange.returns.mail import Letter, as_draft, letter, sender
from vawg_cli.interchange.returns.workbook import file_name, make_workbook
from vawg_cli.model.quarters import Quarter
from vawg_cli.plan.loading import Plan
from vawg_cli.plan.messages import did_you_mean
from vawg_cli.text import quoted


@dataclass(frozen=True)
class MadeReturn:
    partner: PartnerReturn
    workbook: Path
    letter: Letter | None = None
    draft: Path | None = None


def make_returns(
    plan: Plan,
    quarter: Quarter,
    out: Path,
    *,
    made: date,
    partners: Sequence[str] = (),
    chase: bool = False,
    drafts: bool = False,
    letters: bool = False,
    environ: Mapping[str, str],
) -> list[MadeReturn]:
    """Write each partner's workbook (and, with `drafts`, its .eml) into `out`; with `chase`, only
    for partners who still owe something, listing only what they owe."""
    settings = plan.settings
    codes = [_partner_code(code, settings.partners) for code in partners]
    _outside_plan(out, plan.folder)
    returns = partner_returns(
        settings, [f.action for f in plan.actions], [f.measure for f in plan.measures], quarter, made, partners=codes
    )
    if chase:
        returns = [replace(r, actions=r.owed, figures=r.figures_owed) for r in returns if not r.complete]
    out.mkdir(parents=True, exist_ok=True)
    key = plan_key(settings.title, settings.start)
    from_whom = sender(settings, environ)
    made_returns: list[MadeReturn] = []
    for partner in returns:
        header = ReturnHeader(key, settings.title, quarter.code, partner.code, made)
        data = make_workbook(settings, partner, header, made=made)
        path = out / _unique(file_name(partner), partner.code, [m.workbook.name for m in made_returns])
        _not_filled(path)
        write_atomic(path, data)
        mail = None
        draft = None
        if drafts or letters:
            mail = letter(settings, partner, data, path.name, chase=chase, made=made, sender=from_whom)
            if mail is not None and drafts:
                draft = path.with_suffix(".eml")
                write_atomic(draft, as_draft(mail))
        made_returns.append(MadeReturn(partner, path, mail, draft))
    return made_returns


def _partner_code(given: str, partners: Mapping[str, str]) -> str:
    for code in partners:
        if code.casefold() == given.strip().casefold():
            return code
    raise BadOption(
        "--partner",
        f"{quoted(given)} is not a partner of the plan{did_you_mean(given, partners)}; the partners are: "
        f"{', '.join(partners)}",
    )


def _outside_plan(out: Path, folder: Path) -> None:
    if out.resolve().is_relative_to(folder.resolve()):
        raise VawgError(
            f"{out} is inside the plan folder; the returns are not part of the plan (and may hold partners' "
            "answers): write them somewhere else with -o, such as -o returns"
        )


def _unique(name: str, code: str, taken: list[str]) -> str:
    """Two partners whose names read alike after unsafe characters are taken out get their codes too."""
    if name not in taken:
        return name
    return name.removesuffix(".xlsx") + f" ({''.join(ch for ch in code if ch.isalnum())}).xlsx"


def _not_filled(path: Path) -> None:
    """Refuse to replace a workbook someone has typed into."""
    for each in (path, path.with_suffix(".eml")):
        if each.is_symlink():
            raise VawgError(f"{each} is a link; vawg writes returns only as plain files: remove the link and run again")
    if not path.exists():
        return
    from vawg_cli.interchange.returns.filled import read_return

    try:
        found = read_return(path)
    except (VawgError, OSError):  # a folder, a pipe or a foreign file by that name: not to be replaced
        found = None
    if found is None or found.updates or found.figures or found.problems:
        raise VawgError(
            f"{path} already exists and has answers in it (or is not a blank return); move it out of the way "
            "(read it first with vawg returns read if it is a filled return), or write to another folder with -o"
        )
