"""`vawg import`: action files from a table in a document, a CSV file or a workbook.

The table is read by `interchange.tables` (pure); here the files are built and written the way
every other write to the plan is: under the plan folder's lock, every new file's text is built
first, the whole plan is checked as it would be after the import (`check_plan` with the new
files' bytes as overrides, plan.yaml too for a new plan), and only then is each file written
atomically. An import that would leave any error is refused and nothing is written, with one
exception: a row whose target vawg cannot read is imported with the target kept as written, and
reported as needing attention (`vawg check` then points at it until it is fixed), because
dropping it would lose the row.

Modules: `dispatch` (which folder, a new plan or an existing one), `files` (the new files and the
verdict), `new_plan`, `existing_plan`, and `summary` (what the user is told).
"""

from vawg_cli.interchange.importing.dispatch import import_file, plan_folder_for_import
from vawg_cli.interchange.importing.files import Imported
from vawg_cli.interchange.importing.summary import summary

__all__ = ["Imported", "import_file", "plan_folder_for_import", "summary"]
