"""From spreadsheet rows to typed records and a list of problems (pure: no Slack, no database).

Each sheet's header row is found among its first rows (a title above it, merged header
cells and blank rows are tolerated), the sheet is matched to the table whose headers it
has, and every data row is read into a `Record`. Nothing stops at the first problem: every
problem is collected with its sheet, row and column, so one preview lists them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from bot.errors import UserError
from bot.i18n import Msg, _, translator
from bot.imports import read
from bot.imports.cells import read_amount, read_cell, read_date, read_users
from bot.imports.schema import (
    SPECS,
    TABLE_LABEL,
    Kind,
    Table,
    TableSpec,
    header_names,
    normalise_header,
)

HEADER_SCAN: Final = 10

__all__ = ["Parsed", "Problem", "Record", "parse_file", "read_amount", "read_cell", "read_date"]
__all__ += ["read_users"]


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: Msg | None
    message: Msg


@dataclass(slots=True)
class Record:
    sheet: str
    row: int
    values: dict[str, Any]


@dataclass
class Parsed:
    """What a file holds: records per table, and every problem found."""

    records: dict[Table, list[Record]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sheets: dict[str, Table] = field(default_factory=dict)
    columns: dict[str, set[str]] = field(default_factory=dict)  # sheet → column keys present
    skipped: dict[str, Table] = field(default_factory=dict)  # sheets of tables not chosen

    @property
    def rows(self) -> int:
        return sum(len(r) for r in self.records.values())

    def problem(
        self, sheet: str, message: Msg, row: int | None = None, column: Msg | None = None
    ) -> None:
        """Note what is wrong: with the sheet (or file), or with a row of it, or a cell."""
        self.problems.append(Problem(sheet, row, column, message))


@dataclass
class _Reading:
    """One file being read: what its cells are read against, and what the reading collects.
    `empty_cells` (sheet → (row, column index)) is kept only when the workbook has formulas,
    to tell a formula without a saved value from a blank; `locations` says whose cell each is."""

    currency: str
    today: dt.date
    parsed: Parsed
    empty_cells: dict[str, set[tuple[int, int]]] | None
    locations: dict[tuple[str, int, int], tuple[Table, str]] = field(default_factory=dict)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _match_header(
    row: tuple[Any, ...], tables: Iterable[Table]
) -> tuple[Table, dict[int, str]] | None:
    """The table whose required headers all appear in `row`, with the most columns matched."""
    best: tuple[int, Table, dict[int, str]] | None = None
    for table in tables:
        names = header_names(table)
        found: dict[int, str] = {}
        for index, cell in enumerate(row):
            if isinstance(cell, str) and cell.strip():
                key = names.get(normalise_header(cell))
                if key and key not in found.values():
                    found[index] = key
        required = {c.key for c in SPECS[table].columns if c.required}
        if required <= set(found.values()) and (best is None or len(found) > best[0]):
            best = (len(found), table, found)
    return (best[1], best[2]) if best else None


def parse_file(
    filename: str,
    content: bytes,
    *,
    tables: Iterable[Table],
    currency: str,
    today: dt.date,
    max_bytes: int = read.MAX_BYTES,
) -> Parsed:
    """Read every sheet of the file into records of the allowed `tables`.

    A file that cannot be read at all (not a spreadsheet, password-protected, damaged, too
    large) raises `UserError`; everything else — unknown headers, an empty file, too many
    rows, a bad cell, a formula without a saved value — is a `Problem` in the result.
    """
    allowed = tuple(tables)
    parsed = Parsed()
    # Empty cells are kept only when the workbook has formulas at all: a byte scan, much
    # cheaper than a second parse.
    formulas = (
        read.extension(filename) == "xlsx"
        and len(content) <= max_bytes
        and read.has_formulas(content)
    )
    reading = _Reading(currency, today, parsed, {} if formulas else None)
    for sheet in read.open_sheets(filename, content, max_bytes=max_bytes):
        _read_sheet(sheet, allowed, reading)
    if not parsed.sheets and parsed.skipped and not parsed.problems:
        name, table = next(iter(parsed.skipped.items()))
        parsed.problem(
            name,
            _(
                "This sheet holds {table}, which is not what you chose to import. Choose “Everything in the file” or the right kind.",
                table=TABLE_LABEL[table],
            ),
        )
    if not parsed.sheets and not parsed.problems:
        parsed.problem(filename, _("The file has no rows to import: every sheet is empty."))
    if reading.empty_cells:
        _formula_problems(content, reading)
    return parsed


def _read_sheet(sheet: read.SheetRows, allowed: tuple[Table, ...], reading: _Reading) -> None:
    parsed = reading.parsed
    header: tuple[Table, dict[int, str]] | None = None
    seen_content = False
    first_rows: list[tuple[Any, ...]] = []
    count = 0
    spec: TableSpec | None = None
    for number, row in sheet.rows:
        if all(_blank(v) for v in row):
            continue
        if header is None:
            seen_content = True
            first_rows.append(row)
            header = _match_header(row, allowed)
            other = None if header else _match_header(row, tuple(Table))
            if other is not None:
                # A sheet of a table not chosen in the modal (the rest of a template).
                parsed.skipped[sheet.name] = other[0]
                return
            if header is not None:
                spec = SPECS[header[0]]
                _unknown_headers(sheet.name, number, row, header[1], parsed)
                parsed.sheets[sheet.name] = header[0]
                parsed.columns[sheet.name] = set(header[1].values())
                parsed.records.setdefault(header[0], [])
            elif len(first_rows) >= HEADER_SCAN:
                break
            continue
        assert spec is not None
        first = next((v for v in row if not _blank(v)), "")
        if isinstance(first, str) and first.lstrip().startswith("#"):
            continue  # a notes row, as in the template
        count += 1
        if count > spec.max_rows:
            _too_many_rows(sheet.name, spec, parsed)
            return
        parsed.records[spec.table].append(
            _read_row(sheet.name, number, row, spec, header[1], reading)
        )
    if header is None and seen_content:
        _no_header(sheet.name, allowed, parsed)


def _too_many_rows(sheet: str, spec: TableSpec, parsed: Parsed) -> None:
    parsed.problem(
        sheet,
        _("The sheet has more than {n} rows. Split it into several files.", n=f"{spec.max_rows:,}"),
    )
    parsed.records[spec.table] = []


def _no_header(sheet: str, allowed: tuple[Table, ...], parsed: Parsed) -> None:
    expected = " · ".join(
        translator("en")(c.header) for t in allowed for c in SPECS[t].columns if c.required
    )
    parsed.problem(
        sheet,
        _(
            "No header row found: the first row of the table must name its columns as in the template (`/icrm import template`), e.g. {expected}.",
            expected=expected[:300],
        ),
    )


def _unknown_headers(
    sheet: str, number: int, row: tuple[Any, ...], found: dict[int, str], parsed: Parsed
) -> None:
    for index, cell in enumerate(row):
        if index in found or _blank(cell):
            continue
        parsed.problem(
            sheet,
            _(
                "Unknown column “{name}”. Rename it as in the template or delete the column.",
                name=str(cell).strip()[:60],
            ),
            row=number,
        )


def _read_row(
    sheet: str,
    number: int,
    row: tuple[Any, ...],
    spec: TableSpec,
    columns: dict[int, str],
    reading: _Reading,
) -> Record:
    """The row's record; its problems go to `reading.parsed`, its empty cells to
    `reading.empty_cells` (when kept)."""
    parsed = reading.parsed
    values: dict[str, Any] = {}
    for index, key in columns.items():
        column = spec.column(key)
        raw = row[index] if index < len(row) else None
        if column.kind is Kind.IGNORED:
            continue
        if raw is None and reading.empty_cells is not None:
            reading.empty_cells.setdefault(sheet, set()).add((number, index))
            reading.locations[(sheet, number, index)] = (spec.table, key)
        if _blank(raw):
            values[key] = None
            if column.required:
                parsed.problem(sheet, _("This field is required."), number, column.header)
            continue
        try:
            values[key] = read_cell(raw, column, currency=reading.currency, today=reading.today)
        except UserError as error:
            values[key] = None
            parsed.problem(sheet, error.message, number, column.header)
    for column in spec.columns:
        values.setdefault(column.key, None)
    return Record(sheet, number, values)


def _formula_problems(content: bytes, reading: _Reading) -> None:
    assert reading.empty_cells is not None
    parsed = reading.parsed
    for sheet, number, index in sorted(read.formula_cells(content, reading.empty_cells)):
        table, key = reading.locations[(sheet, number, index)]
        column = SPECS[table].column(key)
        # A required cell already reported as empty: say why it is empty instead.
        parsed.problems[:] = [
            p
            for p in parsed.problems
            if not (p.sheet == sheet and p.row == number and p.column == column.header)
        ]
        parsed.problem(
            sheet,
            _(
                "A formula without a saved value. Open the file in Excel, save it, and upload it again."
            ),
            number,
            column.header,
        )
