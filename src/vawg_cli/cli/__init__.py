"""The `vawg` command line: parse options, call one function of the core, hand its result to a renderer.

The only place that imports Typer.
"""

from vawg_cli.cli.commands import app, main

__all__ = ["app", "main"]
