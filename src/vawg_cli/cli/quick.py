"""`vawg status` and `vawg check` answered from what was kept of an unchanged plan, before Typer
and the plan's parser are loaded.

The coordinator runs `vawg status` many times a day, and CI runs `vawg check` on every pull
request, mostly on a plan that has not changed since the last run. Loading the command line
(Typer, Click) and reading ten thousand records took longer than working out the answer. So the
entry point (cli/__init__.py) first tries this path: it reads the few options the command takes,
finds the plan as the full command would, and if the plan's snapshot (plan/snapshot.py) vouches
that no file has changed since it was read and checked that day, works the table out from the
compact rows (core/compact.py) and draws it with the same renderers as the full command
(render/status_text.py); for `check`, it prints the findings kept (plan/check_memo.py).

It only ever answers the ordinary case. Anything else returns None before a byte is written,
and the full command runs as if this path did not exist: --help, --format json or csv, an
option it does not know or a value it cannot read, an unknown partner, no snapshot (a plan
changed, a first run, another day, VAWG_NO_CACHE), a damaged one. The full command's errors
and messages are then the only ones a user ever sees.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

if TYPE_CHECKING:
    from collections.abc import Callable

    from vawg_cli.core.compact import CompactSettings, CompactStatus
    from vawg_cli.core.measures import MeasureView
    from vawg_cli.plan.loading import Plan
    from vawg_cli.plan.location import PlanLocation
    from vawg_cli.plan.snapshot import Snapshot

_VALUED = ("--plan", "--as-of", "--lead", "--rag", "--format")
_FLAGS = ("--overdue", "--due-soon")


class StatusOptions(NamedTuple):
    plan: Path | None = None
    as_of: date | None = None
    lead: str | None = None
    rag: str | None = None
    overdue: bool = False
    due_soon: bool = False


def _given(argv: Sequence[str], valued: Sequence[str], flags: Sequence[str] = ()) -> dict[str, str] | None:
    """A command's options as Typer would read them, by name; None for anything but the plain forms."""
    given: dict[str, str] = {}
    rest = list(argv)
    while rest:
        token = rest.pop(0)
        name, equals, value = token.partition("=")
        if name in flags and not equals:
            value = "yes"
        elif name in valued:
            if not equals:
                if not rest:
                    return None
                value = rest.pop(0)
            if not value or value.startswith("-"):
                return None  # Click's reading of these is left to Click
        else:
            return None  # --help, an argument, an option of another command or none at all
        if name in given:
            return None  # given twice: Click keeps the last; not worth a second rule here
        given[name] = value
    # On Windows, Typer expands ~, variables and wildcards in arguments first: left to it there.
    if sys.platform == "win32" and any(mark in value for value in given.values() for mark in "~$%*?["):
        return None
    plan = given.get("--plan")
    if plan is not None and os.path.exists(plan) and not os.access(plan, os.R_OK):
        return None  # Typer refuses a --plan it may not read, with its own message
    return given


def parse(argv: Sequence[str]) -> StatusOptions | None:
    """`vawg status`'s options as Typer would read them; None for anything but the plain forms."""
    if not argv or argv[0] != "status":
        return None
    given = _given(argv[1:], _VALUED, _FLAGS)
    if given is None or given.get("--format", "table") != "table":
        return None
    from vawg_cli.model.codes import Rag

    rag = given.get("--rag")
    if rag is not None and (not rag.isascii() or rag.lower() not in {r.value for r in Rag}):
        return None
    as_of = None
    if "--as-of" in given:
        as_of = read_day(given["--as-of"])
        if as_of is None:
            return None
    return StatusOptions(
        plan=Path(given["--plan"]) if "--plan" in given else None,
        as_of=as_of,
        lead=given.get("--lead"),
        rag=rag.lower() if rag else None,
        overdue="--overdue" in given,
        due_soon="--due-soon" in given,
    )


class CheckOptions(NamedTuple):
    plan: Path | None = None
    as_of: date | None = None
    json: bool = False


def parse_check(argv: Sequence[str]) -> CheckOptions | None:
    """`vawg check`'s options as Typer would read them; None for anything but the plain forms."""
    if not argv or argv[0] != "check":
        return None
    given = _given(argv[1:], ("--plan", "--as-of", "--format"))
    if given is None or given.get("--format", "text") not in ("text", "json"):
        return None
    as_of = None
    if "--as-of" in given and (as_of := read_day(given["--as-of"])) is None:
        return None
    plan = Path(given["--plan"]) if "--plan" in given else None
    return CheckOptions(plan, as_of, given.get("--format") == "json")


def read_day(text: str) -> date | None:
    """A --as-of day as `model.schedule.parse_day` reads it; None where it would refuse it.

    The usual form (2026-06-01) is read here: the parser of every form a target may take is a
    tenth of a quick run to load. Any other form goes to that parser (tested to agree)."""
    import re

    norm = " ".join(text.strip().rstrip(".").lower().split())
    if (found := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", norm)) and 2000 <= int(found[1]) < 2100:
        try:
            return date(int(found[1]), int(found[2]), int(found[3]))
        except ValueError:
            return None
    from vawg_cli.model.schedule import DayError, parse_day

    try:
        return parse_day(text)
    except DayError:
        return None


def answer_check(argv: Sequence[str], environ: Mapping[str, str], today: date) -> int | None:
    """Run `vawg check` from the findings kept of an unchanged plan (plan/check_memo.py) and return
    the exit status; None to run the full command."""
    from vawg_cli.plan.check_memo import kept

    options = parse_check(argv)
    located = None if options is None else _located(options.plan, environ)
    if options is None or located is None:
        return None
    cache_dir, location = located
    try:
        found = kept(location.folder, today=options.as_of or today, cache_dir=cache_dir)
        if found is None:
            return None
        from vawg_cli.render.diagnostics import render_json, render_text

        here = Path.cwd()
        if options.json:
            text = render_json(found.diagnostics, here)
        else:
            counts = {"files": found.files, "errors": found.errors, "warnings": found.warnings}
            text = render_text(found.diagnostics, here, **counts)
    except Exception:
        return None
    return _written(lambda: sys.stdout.write(text), location.bundled, 1 if found.errors else 0)


def _located(plan: Path | None, environ: Mapping[str, str]) -> tuple[Path, PlanLocation] | None:
    """The cache folder and the plan, found as the full command finds them; None where it cannot
    be (no home folder, a current folder deleted, no plan): the full command then says why."""
    from vawg_cli.plan.cache import default_cache_dir
    from vawg_cli.plan.location import find_plan

    try:
        cache_dir = default_cache_dir(environ)
        return None if cache_dir is None else (cache_dir, find_plan(plan, environ, Path.cwd()))
    except Exception:
        return None


def _written(show: Callable[[], object], bundled: bool, status: int) -> int:
    """What `show` writes on standard output (after the bundled plan's notice on standard error
    where it is that plan), then `status`, or the error's."""
    from vawg_cli.plan.location import BUNDLED_NOTICE

    try:
        if bundled and sys.stderr is not None:  # standard error may be closed (2>&-)
            sys.stderr.write(BUNDLED_NOTICE + "\n")
        show()
    except OSError as error:
        from vawg_cli.errors import os_error_message

        say(f"vawg: error: {os_error_message(error)}")
        return 1
    return status


def answer(argv: Sequence[str], environ: Mapping[str, str], today: date) -> int | None:
    """Run `vawg status` from its snapshot and return the exit status; None to run the full command."""
    from vawg_cli.plan import snapshot
    from vawg_cli.render.status_text import write_text

    options = parse(argv)
    located = None if options is None else _located(options.plan, environ)
    if options is None or located is None:
        return None
    cache_dir, location = located
    # The files are held to the snapshot on the other core while the table is worked out here;
    # started first, so that the child process shares none of the pages the snapshot fills.
    verify = snapshot.verified_ahead(location.folder)
    found = page = None
    try:
        found = snapshot.read_status(cache_dir, location.folder, today.toordinal())
        page = None if found is None else _page(found[0], options, today)
    except Exception:
        page = None
    finally:
        now, stamp = verify()
    if found is None or page is None or not found[1].still_true(now, stamp):
        return None
    kept = found[0]
    chosen, settings, as_of, total, text = page

    def show() -> None:
        if text is not None:
            sys.stdout.write(text)
        else:
            write_text(chosen, settings, as_of, total, kept.outputs)

    return _written(show, location.bundled, 0)


def _page(
    kept: Snapshot, options: StatusOptions, today: date
) -> tuple[list[CompactStatus], CompactSettings, date, int, str | None] | None:
    """The rows the table shows, and its text when piped; None where the full command answers."""
    from vawg_cli.core.compact import CompactSettings, statuses
    from vawg_cli.model.codes import Rag
    from vawg_cli.render.status_text import render_plain

    settings = CompactSettings(kept.settings)
    if options.lead is not None and options.lead not in settings.partners:
        return None
    as_of = options.as_of or today
    if kept.outputs_day and kept.outputs_day != as_of.toordinal():
        return None  # the outputs kept are another day's
    chosen, total = statuses(
        kept.rows,
        settings,
        as_of,
        lead=options.lead,
        rag=Rag(options.rag) if options.rag else None,
        overdue=options.overdue,
        due_soon=options.due_soon,
    )
    # Piped, the text is made here, where a failure still falls back; in a terminal the rows the
    # table reads are checked first (a snapshot is vawg's own file, checked against its hash:
    # only a hand-made one could hold anything else).
    if not sys.stdout.isatty():
        return chosen, settings, as_of, total, render_plain(chosen, settings, as_of, total, kept.outputs)
    if not all(map(_drawable, chosen)):
        return None
    return chosen, settings, as_of, total, None


def _drawable(status: CompactStatus) -> bool:
    leads = status.leads
    return (
        type(status.title) is str
        and type(leads) is tuple
        and all(type(lead) is str for lead in leads)
        and (status.ref is None or type(status.ref) is str)
    )


def keep(plan: Plan, *, checked_on: date, as_of: date, outputs: Mapping[int, Sequence[MeasureView]]) -> None:
    """After a full `vawg status`, keep the plan's snapshot for the next one (see plan/snapshot.py)."""
    from vawg_cli.core.compact import encode, settings_record
    from vawg_cli.plan import background, snapshot
    from vawg_cli.plan.cache import default_cache_dir
    from vawg_cli.render.status import output_texts

    cache_dir = default_cache_dir(os.environ)
    if cache_dir is None:
        return

    def save() -> None:
        shared: dict[Any, Any] = {}
        rows = [encode(file.action, plan.settings, shared) for file in plan.actions]
        if any(row is None for row in rows):
            return
        files = snapshot.read_listing(plan.folder, plan.seen, plan.read)
        if files is None:
            return
        snapshot.save(
            cache_dir,
            plan.folder,
            checked_on=checked_on.toordinal(),
            files=files,
            read_from_ns=plan.read_from_ns,
            settings=settings_record(plan.settings),
            rows=list(rows),
            outputs_day=as_of.toordinal() if plan.measures else 0,
            outputs=dict(output_texts(outputs)),  # type: ignore[arg-type]
        )

    background.run(save)  # while the table is drawn


def finish(status: int) -> NoReturn:
    """End the process with `status` once its output is written, without tearing its objects down.

    Freeing every record of a large plan one by one at exit takes longer than some commands take
    to run: everything is written out and closed by now (writes are atomic and close their
    files). Under a profiler or a coverage tracer, the ordinary exit, so that they write their files."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(status)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None: closed when Python started (`2>&-`)
                stream.flush()
        except (BrokenPipeError, ValueError):  # output piped to `head`, which has gone; or closed
            status = status or 1
        except OSError as error:  # what was still buffered did not fit: a full disk, /dev/full
            # Said only after a success: a command that failed has said why, maybe this very
            # error, which the second flush of what did not fit raises again.
            if not status and stream is sys.stdout:
                from vawg_cli.errors import os_error_message

                say(f"vawg: error: {os_error_message(error)}")
            status = status or 1
    if (background := sys.modules.get("vawg_cli.plan.background")) is not None:
        background.wait()  # cache files still being written (plan/background.py)
    os._exit(status)


def say(line: str) -> None:
    """Print `line` on standard error, where it can be: it may be closed (`2>&-`) or full."""
    try:
        if sys.stderr is not None:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass


def interrupted() -> NoReturn:
    """Ctrl-C: end with 130 and say so, as a command's own exit path does (cli/handler.py)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C while it ends changes nothing
    say("vawg: interrupted")
    finish(130)


def prepare_process() -> None:
    """What every run of the command line sets first (here, and in root.main for the full one)."""
    if sys.stdout is None:  # closed when Python started (`>&-`): no command runs, --help neither
        say(
            "vawg: error: standard output is closed, so there is nowhere to write and nothing was done; "
            "run the command without closing it (>&-): send what it prints to a file (> FILE), "
            "or to /dev/null to discard it"
        )
        finish(1)
    # One run reads the plan, prints and exits: its records hold no reference cycles, and what
    # little cyclic garbage Typer and pydantic leave is freed at exit. The collector would
    # otherwise walk every record loaded from the parse cache, again and again, as the records
    # are made: a third of a warm run over ten thousand actions. (Only the command line's own
    # process: the tests, which call the app in one long process, keep it.)
    import gc

    gc.disable()
    # A console that cannot show a character (a Windows code page, a redirected stream) gets a
    # replacement character rather than a crash in the middle of a table.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def main() -> None:
    """Answer `vawg status` or `vawg check` here and end the process, or return for the full
    command line to run."""
    prepare_process()
    try:
        status = (answer_check if sys.argv[1:2] == ["check"] else answer)(sys.argv[1:], os.environ, date.today())
    except KeyboardInterrupt:
        interrupted()
    if status is not None:
        finish(status)
