"""Sizes beyond which vawg refuses input rather than read it (files come from many hands)."""

from vawg_cli.text import MAX_QUOTED_CHARS as MAX_QUOTED_CHARS  # owned by text.py, which quotes

# The most one plan file may hold: an action with years of weekly updates is well under 100 KB.
MAX_FILE_BYTES = 1024 * 1024
# A plan file of thousands of updates has tens of thousands of values; an alias bomb has billions.
MAX_EXPANDED_NODES = 200_000
# Problems listed for one file: a file with thousands (a pasted spreadsheet) needs its first few
# fixed, not a screenful per key; the rest are counted in one line.
MAX_PROBLEMS_PER_FILE = 50

# `vawg import`: a plan's table is a few hundred kilobytes at most; anything over this is not a plan.
MAX_IMPORT_BYTES = 10 * 1024 * 1024
# More actions than any partnership's plan holds (the benchmarks go to 10,000).
MAX_ROWS = 10_000
# A table of actions has a dozen columns; a sheet or CSV of thousands is not one (and reading
# every cell of column XFD, the last, on thousands of rows takes minutes).
MAX_COLUMNS = 200
# An .xlsx file is a zip archive: what it holds unpacked is limited too (a "zip bomb" is small).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# Its text (xl/sharedStrings.xml) is read whole when the workbook opens: a plan's is well under 1 MB.
MAX_SHARED_STRINGS_BYTES = 20 * 1024 * 1024
