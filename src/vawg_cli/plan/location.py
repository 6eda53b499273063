"""Where the plan is: --plan, else VAWG_PLAN, else plan/ here or above, else the bundled plan.

Apart from reading the plan, and light to import: `vawg status`'s quick path (cli/quick.py)
finds the plan before it knows whether it will need anything heavier.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

PLAN_FILE = "plan.yaml"
ACTIONS_DIR = "actions"
MEASURES_DIR = "measures"  # one file a measure, with its figures (optional)
ACTION_SUFFIXES = (".yaml", ".yml")
BUNDLED_NOTICE = "vawg: no plan/ folder here or above; using the bundled example plan. Start your own with: vawg init"
"""Said on standard error when no plan is found (so that `--format json` output stays clean)."""


class PlanLocation(NamedTuple):
    """Where the plan is, and how it was found (for the one-line notice about the bundled plan)."""

    folder: Path
    bundled: bool = False


def find_plan(explicit: Path | None, environ: Mapping[str, str], cwd: Path) -> PlanLocation:
    """--plan, else VAWG_PLAN, else plan/plan.yaml here or in a parent folder, else the bundled plan."""
    if explicit is not None:
        return PlanLocation(_plan_folder(explicit, "--plan"))
    if env := environ.get("VAWG_PLAN"):
        return PlanLocation(_plan_folder(Path(env), "VAWG_PLAN"))
    for folder in (cwd, *cwd.parents):
        if (folder / "plan" / PLAN_FILE).is_file():
            return PlanLocation(folder / "plan")
        # Working inside a plan folder of another name (made by `vawg init myplan`) counts too.
        if (folder / PLAN_FILE).is_file() and (folder / ACTIONS_DIR).is_dir():
            return PlanLocation(folder)
    from vawg_cli.plan import bundled

    return PlanLocation(bundled.plan_dir(), bundled=True)


def _plan_folder(given: Path, source: str) -> Path:
    if given.is_file() and given.name == PLAN_FILE:
        return given.parent
    if (given / PLAN_FILE).is_file():
        return given
    # Pointing at the repository that holds plan/ is close enough to be understood.
    if (given / "plan" / PLAN_FILE).is_file():
        return given / "plan"
    # Imported only to refuse: the quick path of `vawg status` never loads the error classes.
    from vawg_cli.errors import PlanNotFound

    if given.exists() and not given.is_dir():
        raise PlanNotFound(
            f"{source} names {given}, which is a file; point it at the folder that holds {PLAN_FILE} and {ACTIONS_DIR}/"
        )
    if not given.exists():
        raise PlanNotFound(
            f"{source} names {given}, which does not exist; point it at the folder that holds "
            f"{PLAN_FILE} and {ACTIONS_DIR}/, or create a plan there with: vawg init {given}"
        )
    if os.path.lexists(given / PLAN_FILE):
        raise PlanNotFound(settings_not_a_file(given / PLAN_FILE))
    raise PlanNotFound(
        f"{given} has no {PLAN_FILE}; point {source} at the folder that holds {PLAN_FILE} and "
        f"{ACTIONS_DIR}/, or create a plan with: vawg init {given}"
    )


def settings_not_a_file(path: Path) -> str:
    """What to say of a plan.yaml that is there but is no plain file: `vawg init` would refuse it."""
    return (
        f"{path} is not a plain file (a folder, a pipe, or a link to nothing), so the plan's settings cannot "
        f"be read; move it away and put the plan's {PLAN_FILE} file there"
    )
