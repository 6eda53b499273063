"""Which report templates may be read, and the sandbox they run in.

Templates come with the plan, through pull requests, so they are untrusted. They run in Jinja's
sandbox, which refuses Python's internals (no shell commands through `lipsum.__globals__`), and
are read only from plain files that really lie inside their templates folder: a link to an
action file (which holds restricted notes), to /etc/passwd or to a pipe is refused, not read.

Names are looked up in order: `shipped/NAME` always means the copy that ships with vawg; then
the folder of the --template file; then templates/ beside plan.yaml; then the shipped copies.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    BytecodeCache,
    ChoiceLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.loaders import split_template_path
from jinja2.runtime import Context, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range
from markupsafe import Markup

from vawg_cli.errors import VawgError, display_path
from vawg_cli.plan import bundled
from vawg_cli.text import printable

SHIPPED = "shipped"
"""The folder name that always reaches vawg's own templates: {% include 'shipped/report.md.j2' %}."""


class TemplateProblem(VawgError):
    """A report template that cannot be found, read or rendered."""


class ConfinedLoader(BaseLoader):
    """Plain files inside one folder; links are followed only while they stay inside it; and
    nothing of the plan's own but its templates/ folder."""

    def __init__(self, folder: Path, read: set[str], plan_folder: Path) -> None:
        self.folder = folder
        self.root = os.path.realpath(folder)
        self.read = read
        """Every template file read, shared by all the loaders: how an error finds its template line."""
        self.plan_folder = plan_folder

    def get_source(self, environment: object, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = os.path.join(self.folder, *split_template_path(template))  # refuses '..'
        if not os.path.lexists(path):
            raise TemplateNotFound(template)
        _not_plan_data(path, self.plan_folder)
        raw = read_confined(self.folder, path)
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise TemplateProblem(f"{path} is not UTF-8 text; save it again with UTF-8 encoding") from None
        self.read.add(path)
        return source, path, lambda: True  # the environment lives for one paper: nothing to reload


def _not_plan_data(path: str, plan_folder: Path) -> None:
    """Refuse a template file inside the plan folder but outside its templates/ folder.

    A template kept beside the plan (say, in the folder that holds plan/) could otherwise
    {% include "plan/actions/03-referrals.yaml" %} and print an action file's raw text, restricted
    notes and all, into a paper marked OFFICIAL. Only the rendered records pass what a public paper
    may show; the plan's files themselves are never a template's to read.
    """
    plan = os.path.realpath(plan_folder)
    real = os.path.realpath(path)
    if os.path.commonpath([plan, real]) != plan:
        return
    own = os.path.join(plan, "templates")
    if os.path.commonpath([own, real]) == own and real != own:
        return
    raise TemplateProblem(
        f"{path} lies inside the plan folder but outside its templates/ folder, so it is not read as a "
        "template: a template may read other templates, never the plan's own files, whose notes may be "
        f"restricted. Keep templates in {display_path(Path(plan_folder) / 'templates')}/, or in a folder "
        "outside the plan"
    )


MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
"""A Word template with a letterhead is a few hundred kilobytes; a text template far less."""


def read_confined(folder: Path, path: str) -> bytes:
    """The bytes of the plain file `path`, which must really lie inside `folder` (links are
    followed only while they stay inside it), read without waiting on a pipe and up to a cap."""
    root = os.path.realpath(folder)
    real = os.path.realpath(path)
    if os.path.commonpath([root, real]) != root or real == root:
        raise TemplateProblem(
            f"{path} is a link to a file outside {folder}; vawg does not follow it. "
            "Replace the link with the template itself"
        )
    try:
        # Without blocking: a pipe would otherwise wait for a writer for ever.
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        raise TemplateProblem(f"cannot read the template {path}: {error.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise TemplateProblem(
                f"{path} is not a plain file (it is a folder, a pipe or a device); a template must be a file"
            )
        raw = handle.read(MAX_TEMPLATE_BYTES + 1)
    if len(raw) > MAX_TEMPLATE_BYTES:
        raise TemplateProblem(
            f"{path} is larger than {MAX_TEMPLATE_BYTES // 1024 // 1024} MB; a template is far smaller: "
            "look for large pictures in it"
        )
    return raw


def plan_templates(plan_folder: Path) -> Path | None:
    """The plan's own templates/ folder, if it has one that is really inside the plan folder."""
    folder = plan_folder / "templates"
    if not folder.is_dir():
        return None
    # The folder itself must not be a link elsewhere, e.g. to actions/, whose files hold restricted notes.
    if os.path.realpath(folder) != os.path.join(os.path.realpath(plan_folder), "templates"):
        raise TemplateProblem(
            f"{folder} is a link to a folder elsewhere; vawg reads templates only from a templates/ "
            "folder that is really inside the plan folder. Replace the link with the folder itself"
        )
    return folder


# A paper's templates loop over tens of thousands of rows at most. A template that asks for more
# (nested range() loops of a hundred thousand each), or runs longer, is stopped, not waited on:
# it would hang `vawg report` in CI for whoever reviews the pull request that brought it.
RANGE_BUDGET = 2_000_000
SECONDS = 30


_PLAIN = frozenset({str, int, float, bool, type(None), date, tuple, list, dict, Markup})
"""Values the sandbox hands back as they are once their attribute is judged safe (never a callable)."""


class ReportEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, where a template that includes or extends its own name gets the shipped one,
    and whose work is bounded.

    Without the first, an override `report.md.j2` holding {% include 'report.md.j2' %} finds
    itself and recurses until Python gives up.
    """

    template_files: set[str]

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._ranged = 0
        self._deadline = float("inf")
        self.globals["range"] = self._range
        del self.globals["lipsum"]  # pages of made-up text, on request: nothing a paper needs
        self._safe: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Asked on every attribute a template reads: a paper of ten thousand actions asks it
        # hundreds of thousands of times. Jinja's answer depends only on the object's type and
        # the attribute's name (a leading underscore, a function's or frame's internals, a list's
        # or dict's mutating methods), so it is worked out once for each pair.
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = super().is_safe_attribute(obj, attr, value)
        return safe

    def getattr(self, obj: Any, attribute: str) -> Any:
        # A paper reads plain values (text, numbers, dates) off the records hundreds of thousands
        # of times: once an attribute of a type has been judged safe, a plain value of it is
        # returned as the sandbox would return it. Anything else (a method, whose `format` the
        # sandbox wraps; an attribute not yet judged; one that is missing) takes the sandbox's way.
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            return super().getattr(obj, attribute)
        if type(value) in _PLAIN and self._safe.get((type(obj), attribute)):
            return value
        return super().getattr(obj, attribute)

    def join_path(self, template: str, parent: str) -> str:
        return f"{SHIPPED}/{template}" if template == parent else template

    def _range(self, *args: int) -> range:
        numbers = safe_range(*args)
        self._ranged += len(numbers)
        if self._ranged > RANGE_BUDGET:
            raise TemplateProblem(
                f"the report template counts through more than {RANGE_BUDGET:,} numbers with range(); "
                "a paper needs far fewer: look for nested loops"
            )
        return numbers

    # `*` and `**` can make a string of gigabytes or a number of millions of digits in one step,
    # before any call or loop could be stopped: their results are bounded here.
    intercepted_binops = frozenset({"*", "**"})
    LARGEST = 10_000_000

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 1_000:
            raise TemplateProblem(f"the report template raises a number to the power {right}; a paper needs far less")
        if operator == "*":
            sizes = [len(x) for x in (left, right) if isinstance(x, (str, list, tuple))]
            counts = [x for x in (left, right) if isinstance(x, int)]
            if sizes and counts and sizes[0] * max(counts[0], 0) > self.LARGEST:
                raise TemplateProblem(
                    f"the report template repeats text or a list into over {self.LARGEST:,} items; "
                    "a paper needs far fewer"
                )
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() > __self._deadline:
            raise _TooLong()
        if type(__obj) is Macro:
            # A template's own macro: nothing of Python's to guard, and nothing to pass it but its
            # arguments. Called as Jinja's `Context.call` calls it, without the general checks a
            # paper makes a hundred thousand times over ten thousand actions.
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.undefined("value was undefined because a callable raised a StopIteration exception")
        return super().call(__context, __obj, *args, **kwargs)

    def compile(self, *args: Any, **kwargs: Any) -> Any:
        # Jinja works out constant expressions while compiling ({{ 10**5000 }}): what that raises
        # is the template's problem, not a bug in vawg.
        try:
            return super().compile(*args, **kwargs)
        except TemplateSyntaxError:
            raise
        except (ValueError, OverflowError, MemoryError, RecursionError) as error:
            raise TemplateProblem(f"the report template cannot be compiled: {error}") from None

    def render_bounded(self, name: str, **context: Any) -> str:
        """The template `name` rendered with `context`, stopped after SECONDS or RANGE_BUDGET."""
        with self.bounded():
            return self.get_template(name).render(**context)

    @contextlib.contextmanager
    def bounded(self) -> Iterator[None]:
        """Whatever this environment renders inside the block is stopped after SECONDS, RANGE_BUDGET or
        memory_limit.MARGIN more memory."""
        from vawg_cli.render.memory_limit import memory_limit

        self._ranged = 0
        self._deadline = time.monotonic() + SECONDS
        with time_limit(
            SECONDS,
            f"the report template ran for over {SECONDS} seconds and was stopped; look for a loop "
            "that does not end or that repeats far more than a paper needs",
        ):
            try:
                with memory_limit():
                    yield
            except MemoryError:
                raise TemplateProblem(
                    "the report template asked for more memory than any paper needs and was stopped; look for "
                    "text joined to itself over and over (~ in a loop) or padded to a huge width"
                ) from None


@contextlib.contextmanager
def time_limit(seconds: int, message: str) -> Iterator[None]:
    """Stop what runs inside after `seconds`, as a TemplateProblem saying `message`."""
    try:
        with _alarm(seconds):
            yield
    except _TooLong:
        # Stopped again here: a tick that lands inside the context manager's own exit, before
        # `_alarm` resumes, skips its clean-up and would go on firing while the error is shown.
        if hasattr(signal, "setitimer"):
            signal.setitimer(signal.ITIMER_REAL, 0)
        raise TemplateProblem(message) from None


class _TooLong(BaseException):
    """Raised inside a template (or WeasyPrint) that has run past its time: a BaseException, so
    that no `except Exception` on the way, theirs or ours, takes it for an ordinary failure."""


@contextlib.contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    """Interrupt a template that runs past `seconds`, even one that calls nothing (an empty loop).

    The signal handler's exception can be swallowed: raised inside a garbage-collector callback or
    a `__del__`, Python prints it and goes on. So the timer keeps firing every 0.2 s once the time
    is up, and a body that still finishes after it is treated as stopped all the same.

    Where there is no SIGALRM (Windows) or vawg is not the main thread, the deadline checked on
    each call made from a template is the only limit.
    """
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return
    fired = disarmed = False

    def stop(signum: int, frame: object) -> None:
        nonlocal fired
        if disarmed:
            return
        fired = True
        raise _TooLong()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.2)
    try:
        yield
    finally:
        # The timer may fire while it is being stopped; until it is, catch that and try again.
        while True:
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                disarmed = True
                break
            except _TooLong:
                pass
        signal.signal(signal.SIGALRM, previous)
    if fired:
        raise _TooLong()


def report_environment(plan_folder: Path, template_folder: Path | None, *, autoescape: bool) -> ReportEnvironment:
    read: set[str] = set()
    shipped = ConfinedLoader(bundled.templates_dir(), read, plan_folder)
    loaders: list[BaseLoader] = [PrefixLoader({SHIPPED: shipped})]
    if template_folder is not None:
        loaders.append(ConfinedLoader(template_folder, read, plan_folder))
    own = plan_templates(plan_folder)
    if own is not None:
        loaders.append(ConfinedLoader(own, read, plan_folder))
    loaders.append(shipped)
    env = ReportEnvironment(
        loader=ChoiceLoader(loaders),
        bytecode_cache=_compiled_templates(plan_folder),
        autoescape=autoescape,
        finalize=_shown,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.template_files = read
    return env


def _compiled_templates(plan_folder: Path) -> BytecodeCache | None:
    """Where compiled templates are kept (render/template_cache.py): never in the plan folder,
    where a pull request could plant compiled code; None with VAWG_NO_CACHE."""
    from vawg_cli.plan.cache import default_cache_dir, in_plan
    from vawg_cli.render.template_cache import TemplateCache

    folder = default_cache_dir(os.environ)
    if folder is None or in_plan(folder, plan_folder):
        return None
    return TemplateCache(folder)


def _shown(value: Any) -> Any:
    """What a template prints of plan text: a control character or a bidi override (which would
    show "evil" as "live", or turn the marking round) as its escape. Markup (the chart, the
    templates' own HTML) is vawg's, and passes as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return printable(value, newlines=True)
    return value


def template_position(error: BaseException, files: set[str]) -> str | None:
    """`path:line` of the template line that raised `error` (the innermost), or None when no template did."""
    import traceback

    if isinstance(error, TemplateSyntaxError) and error.filename and error.lineno:
        return f"{display_path(Path(error.filename))}:{error.lineno}"
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename in files]
    return f"{display_path(Path(frames[-1].filename))}:{frames[-1].lineno}" if frames else None
