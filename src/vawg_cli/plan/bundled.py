"""The plan and templates that ship with vawg, and `vawg init`, which copies the plan out."""

from __future__ import annotations

from pathlib import Path

from vawg_cli.errors import InitRefused, VawgError

# The vawg_cli package folder (this module lives in its plan/ subpackage).
_PACKAGE = Path(__file__).resolve().parents[1]


def _shipped(name: str) -> Path:
    # A wheel carries a copy inside the package; a source checkout (an editable install) has the
    # top-level folder that the wheel copies from.
    inside = _PACKAGE / "_bundled" / name
    return inside if inside.is_dir() else _PACKAGE.parents[1] / name


def plan_dir() -> Path:
    return _shipped("plan")


def templates_dir() -> Path:
    return _shipped("templates")


class BundledPlanUnchangeable(VawgError):
    """The plan that ships with vawg is an example for everyone: it is never written to."""


INIT_ADVICE = "start a plan of your own with: vawg init myplan, then run this again with --plan myplan"


def refuse_to_write(folder: Path, advice: str = INIT_ADVICE) -> None:
    """Refuse to change the bundled plan, however it was named: --plan, VAWG_PLAN, the current
    folder, a link or `..` (resolved paths are compared). In an editable install it is the
    repository's own plan/."""
    try:
        same = folder.resolve() == plan_dir().resolve()
    except OSError:  # a path that cannot be resolved is not the bundled plan, which exists
        same = False
    if same:
        raise BundledPlanUnchangeable(
            f"{folder} is the example plan that ships with vawg, which is never changed; {advice}"
        )


def init_plan(target: Path) -> list[Path]:
    """Copy the bundled plan into `target`; refuse to touch a folder that already holds a plan."""
    import shutil
    import tempfile

    source = plan_dir()
    if any((target / name).exists() for name in ("plan.yaml", "actions", "schema")):
        raise InitRefused(
            f"{target} already holds a plan; nothing was changed. Choose an empty folder, "
            f"or remove {target / 'plan.yaml'} and {target / 'actions'} first if you really mean to start again"
        )
    if target.exists() and not target.is_dir():
        raise InitRefused(f"{target} is a file, not a folder; choose a folder name for the new plan")
    target.mkdir(parents=True, exist_ok=True)
    # Build the copy beside the target and move it into place, so an interrupted init leaves
    # no half-written plan behind.
    staging = Path(tempfile.mkdtemp(dir=target, prefix=".vawg-init-"))
    try:
        written = []
        for path in sorted(source.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                relative = path.relative_to(source)
                (staging / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, staging / relative)
                written.append(relative)
        for entry in sorted(staging.iterdir()):  # plan.yaml, actions/, schema/ ...
            entry.replace(target / entry.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target / relative for relative in written]


def writable(folder: Path, *, found_bundled: bool) -> Path:
    """`folder` as a plan to change: never the bundled plan, however it was named or found."""
    if found_bundled:
        raise BundledPlanUnchangeable(
            "no plan/ folder here or above, and the bundled plan is not to be changed; "
            "start your own with: vawg init (or point --plan at yours)"
        )
    # Named outright (--plan, VAWG_PLAN) or found from the current folder, it is still the bundled one.
    refuse_to_write(folder)
    return folder
