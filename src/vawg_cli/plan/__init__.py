"""The plan folder: finding it, reading and validating its files, and the rules across them.

Bytes -> YAML -> file format (pydantic) -> records -> checks. Also the parse cache, the bundled
plan, the JSON Schema and git access.
"""
