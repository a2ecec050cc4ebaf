"""Reading an uploaded spreadsheet row by row, without holding it in memory.

`.xlsx` is opened with openpyxl in read-only mode with cached values (`data_only=True`), so
a workbook is streamed sheet by sheet and a formula gives the value Excel last computed.
`.csv` is read as UTF-8 (with or without a byte-order mark), or GB18030 — what Excel on a
Chinese Windows saves. Every failure is a `UserError` that says what to fix.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from bot.errors import UserError
from bot.i18n import _

MAX_BYTES: Final = 5 * 1024 * 1024
EXTENSIONS: Final = ("xlsx", "csv")
# An OLE compound file: an encrypted (password-protected) workbook, or the old .xls format.
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC: Final = b"PK\x03\x04"


@dataclass(frozen=True)
class SheetRows:
    """One sheet: its name and an iterator of (row number, cell values), 1-based."""

    name: str
    rows: Iterator[tuple[int, tuple[Any, ...]]]


def extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def check_file(filename: str, size: int | None, max_bytes: int = MAX_BYTES) -> None:
    """What the file's name and size say before it is downloaded; `UserError` if refused."""
    if extension(filename) not in EXTENSIONS:
        raise UserError(
            _(
                "“{name}” is not a spreadsheet. Upload an .xlsx workbook or a .csv file.",
                name=filename[:80],
            )
        )
    if size is not None and size > max_bytes:
        raise UserError(
            _(
                "The file is {size} MB; the most is 5 MB. Split it into several files.",
                size=f"{size / 1024 / 1024:.1f}",
            )
        )


def open_sheets(
    filename: str, content: bytes, *, max_bytes: int = MAX_BYTES
) -> Iterator[SheetRows]:
    """The sheets of the file (a CSV is one sheet named after the file)."""
    check_file(filename, len(content), max_bytes)
    if extension(filename) == "csv":
        yield SheetRows(filename, _csv_rows(content))
        return
    yield from _xlsx_sheets(content)


def _xlsx_sheets(content: bytes) -> Iterator[SheetRows]:
    if content.startswith(_OLE_MAGIC):
        raise UserError(
            _(
                "This workbook is password-protected or in the old .xls format. Remove the password (or save it as .xlsx) and upload it again."
            )
        )
    if not content.startswith(_ZIP_MAGIC):
        raise UserError(
            _(
                "This file is not a valid .xlsx workbook. Open it in Excel, save it as .xlsx and upload it again."
            )
        )
    from openpyxl import load_workbook  # only when a workbook is imported

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise UserError(
            _(
                "The workbook is damaged and cannot be read. Open it in Excel, save it again and upload the new file."
            )
        ) from error
    try:
        for sheet in book.worksheets:
            yield SheetRows(sheet.title, _xlsx_rows(sheet))
    finally:
        book.close()


def _xlsx_rows(sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    try:
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UserError(
            _(
                "The workbook is damaged and cannot be read. Open it in Excel, save it again and upload the new file."
            )
        ) from error


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return codecs.decode(content, encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(_("The CSV file is neither UTF-8 nor GB18030 text. Save it as “CSV UTF-8”."))


def _csv_rows(content: bytes) -> Iterator[tuple[int, tuple[Any, ...]]]:
    if b"\x00" in content[:4096]:
        raise UserError(
            _("This file is not a valid CSV file. Save it as “CSV UTF-8” and upload it again.")
        )
    text = _decode(content)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for number, row in enumerate(reader, start=1):
            yield number, tuple(row)
    except csv.Error as error:
        raise UserError(
            _("This file is not a valid CSV file. Save it as “CSV UTF-8” and upload it again.")
        ) from error


def has_formulas(content: bytes) -> bool:
    """Whether any sheet of the workbook holds a formula (`<f>` in its XML), found by a
    streamed byte search: most workbooks have none and skip the formula pass."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                with archive.open(name) as member:
                    tail = b""
                    while chunk := member.read(1 << 20):
                        window = tail + chunk
                        if any(tag in window for tag in (b"<f>", b"<f ", b":f>", b":f ")):
                            return True
                        tail = window[-8:]
    except (zipfile.BadZipFile, OSError):
        return False
    return False


def formula_cells(
    content: bytes, wanted: dict[str, set[tuple[int, int]]]
) -> set[tuple[str, int, int]]:
    """Which of the `wanted` empty cells (sheet → {(row, column)}) hold a formula.

    With cached values a formula Excel never computed (a file written by a script, not saved
    by Excel) reads as empty; reading the formulas tells it apart from a blank cell.
    """
    from openpyxl import load_workbook

    found: set[tuple[str, int, int]] = set()
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        for sheet in book.worksheets:
            cells = wanted.get(sheet.title)
            if not cells:
                continue
            last = max(r for r, _c in cells)
            for number, row in enumerate(sheet.iter_rows(values_only=True, max_row=last), start=1):
                for column, value in enumerate(row):
                    if (
                        (number, column) in cells
                        and isinstance(value, str)
                        and value.startswith("=")
                    ):
                        found.add((sheet.title, number, column))
    finally:
        book.close()
    return found
