"""vawg: run a partnership's VAWG action plan from plain-text YAML files kept in git."""

__version__ = "0.1.0"
