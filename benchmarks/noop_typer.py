"""The baseline for `benchmarks/run.py`: a Typer app with one command that does nothing.

Its wall time is the floor any Typer CLI pays on this machine: starting Python, importing
Typer (and Click), building the app and parsing an empty command line.
"""

from __future__ import annotations

import typer

app = typer.Typer(add_completion=False)


@app.command()
def noop() -> None:
    """Do nothing."""


if __name__ == "__main__":
    app()
