"""Sizes beyond which vawg refuses input rather than read it (files come from many hands)."""

# The most one plan file may hold: an action with years of weekly updates is well under 100 KB.
MAX_FILE_BYTES = 1024 * 1024
# A plan file of thousands of updates has tens of thousands of values; an alias bomb has billions.
MAX_EXPANDED_NODES = 200_000
# Problems listed for one file: a file with thousands (a pasted spreadsheet) needs its first few
# fixed, not a screenful per key; the rest are counted in one line.
MAX_PROBLEMS_PER_FILE = 50
