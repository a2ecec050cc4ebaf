"""`/icrm export … xlsx`: the CSV export's rows as a typed Excel sheet.

The rows come from the same functions as the CSV (`bot.services.export.sheets.SHEETS`), and
`write.write_export` checks the permission first, so the permissions and the anonymity
rules are the CSV's; here each column is given its type: amounts become numbers in the
currency's format, days dates, timestamps date-times in the project's time zone (Excel has
no time zones), counts integers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from bot.i18n import Translator
from bot.imports.schema import TABLE_LABEL, Table
from bot.imports.xlsx import SheetWriter, money_format, new_book
from bot.services.export.request import ExportKind, ExportRequest
from storage.models import Project

S, N, M, D, T = "text", "int", "money", "date", "stamp"
COLUMNS: Final[dict[ExportKind, tuple[str, ...]]] = {
    ExportKind.FUNDS: (N, D, S, S, S, M, S, S, S, S, T, S, T, S, S, N, S, S, S, M, M),
    ExportKind.RISKS: (S, S, S, N, N, N, S, S, S, S, S, S, D, D, S, T, S, T, S, T, S),
    ExportKind.FEEDBACK: (N, D, S, S, N, S, S, S, S, S, T, S, S, T),
    ExportKind.REPORTS: (S, D, D, S, S, S, S, S, S, T, S, T, S),
    ExportKind.BUDGET: (S, S, S, M, S, M, M, M, M, M),
}


def _text(value: str) -> str:
    # The CSV guards a formula-like cell with a leading `'`; an xlsx text cell needs none.
    return (
        value[1:]
        if value.startswith("'") and value[1:2] in ("=", "+", "-", "@", "\t", "\r")
        else value
    )


def _convert(kind: str) -> Callable[[str], Any]:
    def convert(value: str) -> Any:
        if value == "":
            return None
        if kind == N:
            return int(value)
        if kind == M:
            return Decimal(value)
        if kind == D:
            return dt.date.fromisoformat(value)
        if kind == T:
            return dt.datetime.fromisoformat(value).replace(tzinfo=None)
        return _text(value)

    return convert


def write_book(
    project: Project,
    request: ExportRequest,
    header: list[str],
    rows: Iterable[list[str]],
    tr: Translator,
    path: Path,
) -> int:
    """Write `rows` (the CSV's cells) as a one-sheet workbook to `path`; how many."""
    kinds: Sequence[str] = COLUMNS[request.kind]
    formats = {M: money_format(project.currency), D: "yyyy-mm-dd", T: "yyyy-mm-dd hh:mm:ss"}
    converters = [_convert(k) for k in kinds]
    book = new_book()
    writer = SheetWriter(
        book,
        tr(TABLE_LABEL[Table.BUDGET]) if request.kind is ExportKind.BUDGET else request.kind.value,
        header,
        [formats.get(k) for k in kinds],
    )
    count = 0
    for row in rows:
        writer.append([converters[i](v) for i, v in enumerate(row)])
        count += 1
    writer.close()
    book.save(str(path))
    return count
