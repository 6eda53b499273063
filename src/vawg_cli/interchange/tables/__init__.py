"""Reading a table of actions out of a file, for `vawg import`: pure, nothing here writes.

A file's bytes become a `Table` (a header and rows of text cells): a Markdown table found
anywhere in a text or Markdown file with prose around it (`markdown`), comma-, semicolon- or
tab-separated rows as Excel saves them (`delimited`), or the first sheet of an .xlsx workbook
(`xlsx`), or every table of a Word document (`docx`, one plan however many tables: `merging`);
`reading` picks the reader and checks the file's size and encoding. Its columns are
then recognised by their headers (`columns`), and each row becomes the data of one action
(`rows`). The plan's title and years come from the words around the table (`surroundings`).
The file comes from another program, so nothing about it is trusted, and a problem is a
`VawgError` that says what to do.
"""

from vawg_cli.interchange.tables.columns import Columns, parse_map
from vawg_cli.interchange.tables.reading import read_table
from vawg_cli.interchange.tables.rows import RowData, for_everyone, split_leads, to_actions
from vawg_cli.interchange.tables.surroundings import plan_title, plan_years
from vawg_cli.interchange.tables.table import ImportProblem, Table

__all__ = [
    "Columns",
    "ImportProblem",
    "RowData",
    "Table",
    "for_everyone",
    "parse_map",
    "plan_title",
    "plan_years",
    "read_table",
    "split_leads",
    "to_actions",
]
