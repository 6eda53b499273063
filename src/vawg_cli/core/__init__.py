"""What vawg works out from a plan: where each action stands, a quarter's paper, what changed.

Pure: the day is always a parameter; nothing here reads files or the clock, or knows about
terminals, templates or Typer.
"""
