"""Mutation testing of vawg's pure rules: which behaviours would no test notice if they changed?

mutmut makes small changes ("mutants") to `model/schedule.py`, `core/status.py`,
`plan/checks.py` and `core/report.py` (`<` for `<=`, `+ 1` for `- 1`, a string for another...),
runs the tests that reach each changed function, and counts a mutant *killed* when a test fails.
A *survivor* is a change no test notices: a missing test, or an equivalent mutant (one that
cannot change any behaviour). The modules, the test selection and mutmut's options are in
`[tool.mutmut]` in pyproject.toml; this script runs mutmut afresh and sums up its results.

Needs Linux or macOS (mutmut forks a process per mutant) and the test and mutation extras:

    pip install -e '.[test,mutation]'
    python benchmarks/mutation.py                  # a fresh run, 2 workers: 3 to 7 minutes on 2 cores
    python benchmarks/mutation.py --max-children 1
    python benchmarks/mutation.py --summary-only   # sum up the last run again, without running

Run it from anywhere; it works in the repository root, where mutmut keeps its copy of the code
and its results in `mutants/` (ignored by git). `mutmut show NAME` shows what a mutant changed,
and `mutmut browse` walks the survivors. Not run in CI: it takes minutes and needs the extra.

The table goes to standard output and mutmut's progress to standard error. The score is the
share of mutants the tests detect: killed, plus timeouts (a mutant that makes a test hang is
noticed too). Survivors known to be equivalent are listed in EQUIVALENT below with the reason;
any other survivor is printed so it can be looked at.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MUTANTS = REPO / "mutants"

MODULES = (
    "vawg_cli.model.schedule",
    "vawg_cli.core.status",
    "vawg_cli.plan.checks",
    "vawg_cli.core.report",
)

DETECTED = ("killed", "timeout")

# Survivors that cannot change any behaviour, by mutmut's name for them, with the reason. A
# name is only meaningful for the source it was made from: when a function changes, mutmut
# numbers its mutants afresh, and a name listed here that no longer survives is reported.
_LINES_FROM_NOW = "`lines` is made from `now` one for one, so the two always have the same length"
EQUIVALENT: dict[str, str] = {
    "vawg_cli.core.status.x__urgency__mutmut_2": (
        "overdue ranked 1 with due soon: a missed date is before `as_of` and a due-soon date on or after it, "
        "so overdue still sorts first"
    ),
    "vawg_cli.model.schedule.x_parse_day__mutmut_11": (
        "parses the text as a target even when it is a day: `_parse` then finds the same day, and the day "
        "is returned before the schedule is looked at"
    ),
}


def run_mutmut(max_children: int) -> None:
    shutil.rmtree(MUTANTS, ignore_errors=True)  # a fresh run: no result carried over from old code or tests
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children)]
    completed = subprocess.run(command, cwd=REPO, stdout=sys.stderr, check=False)
    if completed.returncode != 0:
        sys.exit(f"mutmut run exited {completed.returncode}")


def results() -> dict[str, str]:
    """Every mutant's name and status ("killed", "survived", "timeout", "no tests"...)."""
    completed = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    found = {}
    for line in completed.stdout.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep:
            found[name] = status
    if not found:
        sys.exit("no mutants found: run without --summary-only first")
    return found


def module_of(name: str) -> str:
    return next((module for module in MODULES if name.startswith(module + ".")), "other")


def score(counts: Counter[str]) -> str:
    total = sum(counts.values())
    return f"{100 * sum(counts[s] for s in DETECTED) / total:.1f}%" if total else "-"


def summary(found: dict[str, str]) -> str:
    by_module: dict[str, Counter[str]] = {module: Counter() for module in MODULES}
    for name, status in found.items():
        by_module.setdefault(module_of(name), Counter())[status] += 1
    total: Counter[str] = sum(by_module.values(), Counter())
    others = sorted(set(total) - {"killed", "survived", "timeout", "no tests"})
    header = ["module", "mutants", "killed", "survived", "timeout", "no tests", *others, "score"]
    rows = [
        [f"`{module}`", str(sum(counts.values())), *(str(counts[s]) for s in header[2:-1]), score(counts)]
        for module, counts in [*by_module.items(), ("total", total)]
    ]
    rows[-1][0] = "**total**"
    lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]

    survivors = sorted(name for name, status in found.items() if status not in DETECTED)
    equivalent = [name for name in survivors if name in EQUIVALENT]
    unexplained = [name for name in survivors if name not in EQUIVALENT]
    stale = sorted(set(EQUIVALENT) - set(survivors))
    counted = sum(1 for status in found.values() if status in DETECTED) + len(equivalent)
    lines += [
        "",
        f"{len(equivalent)} survivors are equivalent; counting them as detected, the score is "
        f"{100 * counted / len(found):.1f}%:",
    ]
    lines += [f"- {name}: {EQUIVALENT[name]}" for name in equivalent]
    if unexplained:
        lines += ["", "Survivors not known to be equivalent (`mutmut show NAME`):"]
        lines += [f"- {name}: {found[name]}" for name in unexplained]
    if stale:
        lines += ["", "Listed as equivalent but no longer a survivor (update EQUIVALENT):"]
        lines += [f"- {name}" for name in stale]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--summary-only", action="store_true", help="sum up the last run without running mutmut")
    options = parser.parse_args()
    if not options.summary_only:
        run_mutmut(options.max_children)
    print(summary(results()))


if __name__ == "__main__":
    main()
