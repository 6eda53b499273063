"""The `vawg` command line: parse options, call one function of the core, hand its result to a renderer.

The only place that imports Typer. `root` holds the application and how commands are
registered, `handler` the one exit path, `options` what commands share; the commands live in
`reading` (status, check, report, export, diff, schema), `reading_measures` (measures),
`writing` (update, new, retarget, import, init), `measures` (measure add, measure record) and
`returns` (returns make, read, status), in
the order `vawg --help` lists them.
"""

from vawg_cli.cli import measures, reading, reading_measures, returns, writing  # noqa: F401  (importing them registers their commands)
from vawg_cli.cli.root import app, main

__all__ = ["app", "main"]
