"""Sizes beyond which vawg refuses input rather than read it (files come from many hands)."""

# The most one plan file may hold: an action with years of weekly updates is well under 100 KB.
MAX_FILE_BYTES = 1024 * 1024
# A plan file of thousands of updates has tens of thousands of values; an alias bomb has billions.
MAX_EXPANDED_NODES = 200_000
# The most of a file's text one message quotes: enough to recognise a value, too little to copy
# a file (a link to /etc/passwd, a secrets file saved as .yaml) into a CI log.
MAX_QUOTED_CHARS = 60
