"""The plan to and from other tools: exports (JSON, CSV, iCalendar) and imports of tables."""
