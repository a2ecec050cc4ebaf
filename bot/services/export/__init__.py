"""CSV exports for PMs: fund use, risks, feedback and reports, streamed to a file.

Rows are read from the database in batches and written straight to disk, so an export of a
million entries needs no more memory than one of ten. The file is UTF-8 with a byte-order
mark (Excel then opens Chinese text correctly), dates are ISO 8601, timestamps ISO 8601 in
the project's timezone with their offset, amounts exact decimal strings (`1234.50`), user
ids raw Slack ids. Voided fund-use entries stay in the file, marked with who, when and why.

The package: `request` (what is asked for), `cells` (how a value is written), `sheets`
(columns and rows per export), `xlsx` (the same rows as a typed Excel sheet) and `write`
(who may, the file).
"""

from bot.services.export.cells import (
    ENCODING,
)
from bot.services.export.request import (
    KIND_LABEL,
    USAGE,
    ExportKind,
    ExportRequest,
    parse_request,
)
from bot.services.export.sheets import (
    SHEETS,
)
from bot.services.export.write import (
    check_export,
    write_export,
)

__all__ = [
    "ENCODING",
    "KIND_LABEL",
    "SHEETS",
    "USAGE",
    "ExportKind",
    "ExportRequest",
    "check_export",
    "parse_request",
    "write_export",
]
