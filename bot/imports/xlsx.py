"""Writing .xlsx files: import templates and typed exports, streamed to disk.

openpyxl's write-only mode writes each row as it comes, so an export's memory does not grow
with its rows. Cells are typed: amounts are numbers in the currency's format, dates are
dates, text is always text (a value starting with `=` is never a formula).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from bot.i18n import Msg, Translator
from bot.imports.schema import SPECS, TABLE_LABEL, Kind, Table

MAX_WIDTH: Final = 60
_TYPES: Final = (int, float, Decimal, dt.date, dt.datetime, bool)


def money_format(currency: str) -> str:
    symbol = {"CNY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$"}.get(currency)
    return f'"{symbol}"#,##0.00' if symbol else f'#,##0.00 "{currency}"'


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 20
    if isinstance(value, dt.date):
        return 11
    text = value if isinstance(value, str) else f"{value:,}"
    # CJK characters take two columns.
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text) + 2


class SheetWriter:
    """One sheet of a write-only workbook: a frozen bold header, typed cells, fitted widths.

    Widths must be set before the first row in write-only mode, so they are estimated from
    the header and the first `sample` rows, which are held back until then.
    """

    def __init__(
        self,
        book: Any,
        title: str,
        header: Sequence[str],
        formats: Sequence[str | None],
        *,
        sample: int = 200,
    ) -> None:
        self.sheet = book.create_sheet(title=title[:31])
        self.header = list(header)
        self.formats = list(formats)
        self.sample = sample
        self.pending: list[Sequence[Any]] = []
        self.started = False

    def _cell(self, value: Any, number_format: str | None, *, bold: bool = False) -> Any:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        cell = WriteOnlyCell(self.sheet)
        if isinstance(value, str):
            cell.value = value
            cell.data_type = "s"  # never a formula
        elif value is None or isinstance(value, _TYPES):
            cell.value = value
        else:
            cell.value = str(value)
        if number_format and value is not None and not isinstance(value, str):
            cell.number_format = number_format
        if bold:
            cell.font = Font(bold=True)
        return cell

    def _start(self) -> None:
        from openpyxl.utils import get_column_letter

        widths = [_width(h) for h in self.header]
        for row in self.pending:
            for i, value in enumerate(row[: len(widths)]):
                widths[i] = max(widths[i], _width(value))
        for i, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(i)].width = min(max(width, 8), MAX_WIDTH)
        self.sheet.freeze_panes = "A2"
        self.sheet.append([self._cell(h, None, bold=True) for h in self.header])
        self.started = True
        for row in self.pending:
            self._write(row)
        self.pending = []

    def _write(self, row: Sequence[Any]) -> None:
        self.sheet.append(
            [
                self._cell(v, self.formats[i] if i < len(self.formats) else None)
                for i, v in enumerate(row)
            ]
        )

    def append(self, row: Sequence[Any]) -> None:
        if self.started:
            self._write(row)
            return
        self.pending.append(row)
        if len(self.pending) >= self.sample:
            self._start()

    def close(self) -> None:
        if not self.started:
            self._start()


def new_book() -> Any:
    from openpyxl import Workbook

    return Workbook(write_only=True)


def _formats(table: Table, currency: str) -> list[str | None]:
    kinds = {Kind.AMOUNT: money_format(currency), Kind.DATE: "yyyy-mm-dd"}
    return [kinds.get(c.kind) for c in SPECS[table].columns]


def template_value(kind: Kind, text: str) -> Any:
    """An example cell as a typed value: amounts given as plain numbers stay numbers."""
    if kind is Kind.DATE and text:
        return dt.date.fromisoformat(text)
    if kind is Kind.AMOUNT and text.replace(",", "").replace(".", "", 1).isdigit():
        return Decimal(text.replace(",", ""))
    return text


def write_template(path: Path, tables: Iterable[Table], tr: Translator, currency: str) -> None:
    """A workbook with one sheet per table: headers in `tr`'s language, a notes row (its
    first cell starts with `#`, so an import skips it) and two example rows."""
    book = new_book()
    for table in tables:
        spec = SPECS[table]
        writer = SheetWriter(
            book,
            tr(TABLE_LABEL[table]),
            [tr(c.header) for c in spec.columns],
            _formats(table, currency),
        )
        notes = [tr(c.note) for c in spec.columns]
        notes[0] = "# " + notes[0]
        writer.append(notes)
        for example in (0, 1):
            writer.append([template_value(c.kind, c.examples[example]) for c in spec.columns])
        writer.close()
    book.save(str(path))


def header_texts(header: Sequence[Msg], tr: Translator) -> list[str]:
    return [tr(h) for h in header]
