"""An export written as it is made, a piece at a time: to standard output, or atomically into the -o file.

A large plan's export is tens of megabytes: made whole, then written, it would be held in memory
at once, and more than once. Here each piece goes out as it comes. Into a file it goes through
a temporary file beside it, renamed over the file only once the last piece is written and on
disk, as `edit.atomic.write_atomic` writes every other file: an export that fails half-way
leaves no file, and an existing file as it was.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from vawg_cli.edit.atomic import replace_with
from vawg_cli.edit.output import STDERR_NAMES, refuse_plan_files, to_stdout, write_output


def write_pieces(output: Path | None, pieces: Iterable[bytes], plan_folder: Path) -> None:
    """`pieces`, in order, to standard output (`output` None) or the file `output` names.

    A terminal, standard error, a device or a pipe gets them as `edit.output` writes any
    output (shown safely in a terminal, written through a device); a file gets them streamed.
    """
    if output is None:
        if sys.stdout.isatty():
            to_stdout(b"".join(pieces))  # a person reads it: escaped whole, as every command's output
        else:
            _stream_to_stdout(pieces)
        return
    if str(output) in STDERR_NAMES:
        write_output(output, b"".join(pieces), plan_folder)
        return
    refuse_plan_files(output, plan_folder)
    path = output.resolve() if output.is_symlink() else output  # a link is written through
    try:
        mode: int | None = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        # A device or a pipe is written into as it is, or refused (a folder, a socket), as always.
        write_output(output, b"".join(pieces), plan_folder)
        return
    if not path.parent.is_dir():
        # Say which folder is missing, not the name of a temporary file the user never asked for.
        raise FileNotFoundError(errno.ENOENT, "there is no such folder to write into", str(path.parent))
    replace_with(path, mode, pieces)


def _stream_to_stdout(pieces: Iterable[bytes]) -> None:
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)
    try:
        for piece in pieces:
            if binary is None:  # a text-only stream standing in for standard output (a test runner's)
                sys.stdout.write(piece.decode("utf-8"))
            else:
                binary.write(piece)
        if binary is not None:
            binary.flush()
    except BrokenPipeError:
        # The reader has gone (`vawg export | head`): the rest is not made, and vawg ends as any
        # command does whose reader has gone (cli.root.main), not with an error message.
        return
