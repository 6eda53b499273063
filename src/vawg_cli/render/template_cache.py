"""Compiled report templates kept in the user's cache folder, so that a paper does not compile its
template again on every run.

Jinja turns a template into Python code before it renders it: for the shipped board paper that
is about 0.2 s, a third of a paper over a thousand actions, and the same work every time. Jinja's
own bytecode cache keeps the compiled code, checked against a hash of the template's source; this
one keeps it beside the parse cache and under the same rule (plan/cache.py): loading compiled
code runs it, so only a regular file this user owns and nobody else can write is loaded, and a
pipe, a link, another user's file or a damaged one is ignored and the template compiled as
before. A template still runs in the sandbox whichever way its code was made: the sandbox's
checks are calls the compiled code makes as it renders.
"""

from __future__ import annotations

import contextlib
from hashlib import blake2b
from pathlib import Path
from types import CodeType

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket

from vawg_cli.plan.cache import open_trusted, write_private


class TemplateCache(BytecodeCache):
    """Each template's compiled code in `folder`, one file per template and way of compiling it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, bucket: Bucket) -> Path:
        # The same source compiles differently with other settings (escaping for HTML, how blocks
        # trim their lines) and under another Jinja: each is part of the file's name. The
        # source itself is checked by Jinja against the hash kept inside the file.
        settings = repr(_compiled_with(bucket.environment)).encode()
        name = blake2b(bucket.key.encode() + b"\0" + settings, digest_size=16).hexdigest()
        return self.folder / f"template-{name}.jinja"

    def load_bytecode(self, bucket: Bucket) -> None:
        handle = open_trusted(self._path(bucket))
        if handle is None:
            return
        with handle, contextlib.suppress(Exception):  # a damaged file: the template is compiled again
            bucket.load_bytecode(handle)
        if bucket.code is not None and not _is_code(bucket.code):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        write_private(self._path(bucket), bucket.write_bytecode)


def _compiled_with(environment: Environment) -> tuple[object, ...]:
    """What, besides the source, the compiled code of a template depends on."""
    import jinja2

    finalize = environment.finalize
    return (
        jinja2.__version__,
        type(environment).__qualname__,
        environment.autoescape if isinstance(environment.autoescape, bool) else "chosen per template",
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.keep_trailing_newline,
        None if finalize is None else getattr(finalize, "__qualname__", "finalize"),
        tuple(sorted(environment.extensions)),
        environment.optimized,
    )


def _is_code(code: object) -> bool:
    return isinstance(code, CodeType)
