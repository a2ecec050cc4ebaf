"""From spreadsheet rows to typed records and a list of problems (pure: no Slack, no database).

Each sheet's header row is found among its first rows (a title above it, merged header
cells and blank rows are tolerated), the sheet is matched to the table whose headers it
has, and every data row is read into a `Record`. Nothing stops at the first problem: every
problem is collected with its sheet, row and column, so one preview lists them all.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from bot.errors import UserError
from bot.i18n import Msg, _, translator
from bot.imports import read
from bot.imports.schema import (
    SPECS,
    TABLE_LABEL,
    Column,
    Kind,
    Table,
    TableSpec,
    header_names,
    normalise_header,
)
from bot.labels import BUDGET_CATEGORY, DEPARTMENT_KIND
from bot.money import parse_amount
from storage.models import BudgetCategory, DepartmentKind, FundingKind

HEADER_SCAN: Final = 10
# Columns naming a row of another table: repeated across rows, so interned.
_REFERENCES: Final = frozenset({"line", "source", "department"})
_DAYS: dict[dt.date, dt.date] = {}  # the header row is among a sheet's first rows
_EXCEL_EPOCH: Final = dt.date(1899, 12, 30)
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_MENTION = re.compile(r"^<@([UW][A-Z0-9]{2,})(\|[^>]*)?>$")
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
# What Chinese finance teams call the kinds of funding.
_FUNDING_WORDS: Final = {
    "资本金": "equity",
    "股本": "equity",
    "股权": "equity",
    "优先债": "senior_debt",
    "优先级债务": "senior_debt",
    "银行贷款": "senior_debt",
    "贷款": "senior_debt",
    "夹层": "mezzanine",
    "夹层融资": "mezzanine",
    "补助": "grant",
    "补贴": "grant",
    "政府补助": "grant",
    "其他": "other",
}
# Short names people write for budget categories and department kinds.
_CATEGORY_WORDS: Final = {
    "征地": "land",
    "土地": "land",
    "征地拆迁": "land",
    "建安": "construction",
    "建安工程": "construction",
    "工程": "construction",
    "设备": "equipment",
    "设计": "design",
    "勘察设计": "design",
    "财务费用": "financing_costs",
    "融资费用": "financing_costs",
    "法律": "legal",
    "运营": "operations",
    "预备费": "contingency",
    "不可预见费": "contingency",
    "其他": "other",
}
_KIND_WORDS: Final = {
    "财务": "finance",
    "工程": "engineering",
    "法务": "legal",
    "运营": "operations",
    "设计": "design",
    "设计院": "design",
    "施工": "construction",
    "施工单位": "construction",
    "监理": "supervision",
    "监理单位": "supervision",
    "其他": "other",
}
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


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
    # Empty cells are kept (to tell a formula without a saved value from a blank) only when
    # the workbook has formulas at all: a byte scan, much cheaper than a second parse.
    formulas = (
        read.extension(filename) == "xlsx"
        and len(content) <= max_bytes
        and read.has_formulas(content)
    )
    empty_cells: dict[str, set[tuple[int, int]]] | None = {} if formulas else None
    locations: dict[tuple[str, int, int], tuple[Table, str]] = {}
    for sheet in read.open_sheets(filename, content, max_bytes=max_bytes):
        _read_sheet(sheet, allowed, currency, today, parsed, empty_cells, locations)
    if not parsed.sheets and parsed.skipped and not parsed.problems:
        name, table = next(iter(parsed.skipped.items()))
        parsed.problems.append(
            Problem(
                name,
                None,
                None,
                _(
                    "This sheet holds {table}, which is not what you chose to import. Choose “Everything in the file” or the right kind.",
                    table=TABLE_LABEL[table],
                ),
            )
        )
    if not parsed.sheets and not parsed.problems:
        parsed.problems.append(
            Problem(
                filename, None, None, _("The file has no rows to import: every sheet is empty.")
            )
        )
    if empty_cells:
        _formula_problems(content, empty_cells, locations, parsed)
    return parsed


def _read_sheet(
    sheet: read.SheetRows,
    allowed: tuple[Table, ...],
    currency: str,
    today: dt.date,
    parsed: Parsed,
    empty_cells: dict[str, set[tuple[int, int]]] | None,
    locations: dict[tuple[str, int, int], tuple[Table, str]],
) -> None:
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
            parsed.problems.append(
                Problem(
                    sheet.name,
                    None,
                    None,
                    _(
                        "The sheet has more than {n} rows. Split it into several files.",
                        n=f"{spec.max_rows:,}",
                    ),
                )
            )
            parsed.records[spec.table] = []
            return
        record = _read_row(sheet.name, number, row, spec, header[1], currency, today, parsed)
        if empty_cells is not None:
            for index, key in header[1].items():
                value = row[index] if index < len(row) else None
                if value is None and spec.column(key).kind is not Kind.IGNORED:
                    empty_cells.setdefault(sheet.name, set()).add((number, index))
                    locations[(sheet.name, number, index)] = (spec.table, key)
        parsed.records[spec.table].append(record)
    if header is None and seen_content:
        expected = " · ".join(
            translator("en")(c.header) for t in allowed for c in SPECS[t].columns if c.required
        )
        parsed.problems.append(
            Problem(
                sheet.name,
                None,
                None,
                _(
                    "No header row found: the first row of the table must name its columns as in the template (`/icrm import template`), e.g. {expected}.",
                    expected=expected[:300],
                ),
            )
        )


def _unknown_headers(
    sheet: str, number: int, row: tuple[Any, ...], found: dict[int, str], parsed: Parsed
) -> None:
    for index, cell in enumerate(row):
        if index in found or _blank(cell):
            continue
        parsed.problems.append(
            Problem(
                sheet,
                number,
                None,
                _(
                    "Unknown column “{name}”. Rename it as in the template or delete the column.",
                    name=str(cell).strip()[:60],
                ),
            )
        )


def _read_row(
    sheet: str,
    number: int,
    row: tuple[Any, ...],
    spec: TableSpec,
    columns: dict[int, str],
    currency: str,
    today: dt.date,
    parsed: Parsed,
) -> Record:
    values: dict[str, Any] = {}
    for index, key in columns.items():
        column = spec.column(key)
        raw = row[index] if index < len(row) else None
        if column.kind is Kind.IGNORED:
            continue
        if _blank(raw):
            values[key] = None
            if column.required:
                parsed.problems.append(
                    Problem(sheet, number, column.header, _("This field is required."))
                )
            continue
        try:
            values[key] = read_cell(raw, column, currency=currency, today=today)
        except UserError as error:
            values[key] = None
            parsed.problems.append(Problem(sheet, number, column.header, error.message))
    for column in spec.columns:
        values.setdefault(column.key, None)
    return Record(sheet, number, values)


def _formula_problems(
    content: bytes,
    empty_cells: dict[str, set[tuple[int, int]]],
    locations: dict[tuple[str, int, int], tuple[Table, str]],
    parsed: Parsed,
) -> None:
    for sheet, number, index in sorted(read.formula_cells(content, empty_cells)):
        table, key = locations[(sheet, number, index)]
        column = SPECS[table].column(key)
        # A required cell already reported as empty: say why it is empty instead.
        parsed.problems[:] = [
            p
            for p in parsed.problems
            if not (p.sheet == sheet and p.row == number and p.column == column.header)
        ]
        parsed.problems.append(
            Problem(
                sheet,
                number,
                column.header,
                _(
                    "A formula without a saved value. Open the file in Excel, save it, and upload it again."
                ),
            )
        )


# -- cells ---------------------------------------------------------------------------------


def read_cell(raw: Any, column: Column, *, currency: str, today: dt.date) -> Any:
    """One non-blank cell as the column's type; `UserError` saying what is wrong."""
    kind = column.kind
    if kind is Kind.AMOUNT:
        return read_amount(raw, currency)
    if kind is Kind.DATE:
        return read_date(raw, today)
    text = _cell_text(raw)
    if kind is Kind.TEXT:
        text = " ".join(text.split()) if column.max_length <= 100 else text.strip()
        if len(text) > column.max_length:
            raise UserError(
                _("Keep this under {n} characters.", context="project", n=column.max_length)
            )
        # A name other rows repeat (the line of 100,000 history rows) is kept once.
        return sys.intern(text) if column.key in _REFERENCES else text
    if kind is Kind.USER:
        users = read_users(text)
        if len(users) != 1:
            raise UserError(
                _("Give one person: a Slack mention, member id (U…) or e-mail address.")
            )
        return users[0]
    if kind is Kind.USERS:
        return read_users(text)
    if kind is Kind.CATEGORY:
        text = _CATEGORY_WORDS.get(text, text)
        return _choice(
            text,
            BudgetCategory,
            BUDGET_CATEGORY,
            _("Not a budget category. Use one of: {choices}."),
        )
    if kind is Kind.DEPARTMENT_KIND:
        text = _KIND_WORDS.get(text, text)
        return _choice(
            text,
            DepartmentKind,
            DEPARTMENT_KIND,
            _("Not a kind of department. Use one of: {choices}."),
        )
    if kind is Kind.FUNDING_KIND:
        text = _FUNDING_WORDS.get(text, text)
        return _choice(text, FundingKind, {}, _("Not a kind of funding. Use one of: {choices}."))
    if kind is Kind.CURRENCY:
        if text.upper() != currency:
            raise UserError(
                _(
                    "The project's currency is {currency}; convert the amounts first.",
                    currency=currency,
                )
            )
        return text.upper()
    return text


def _cell_text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return unicodedata.normalize("NFKC", str(raw)).strip()


def read_amount(raw: Any, currency: str) -> Decimal:
    if isinstance(raw, bool):
        raise UserError(_("Not a valid amount."))
    if isinstance(raw, int | float | Decimal):
        # A float as Excel shows it, to 15 significant digits: 0.1 + 0.2 is 0.3, not
        # 0.30000000000000004; an amount with more than two decimals is refused, not rounded.
        number = Decimal(format(raw, ".15g")) if isinstance(raw, float) else Decimal(raw)
        text = format(number, "f")
    elif isinstance(raw, str):
        text = raw
    else:
        raise UserError(_("Not a valid amount."))
    return parse_amount(text, currency)


def read_date(raw: Any, today: dt.date) -> dt.date:
    day: dt.date | None = None
    if isinstance(raw, dt.datetime):
        day = raw.date()
    elif isinstance(raw, dt.date):
        day = raw
    elif isinstance(raw, int | float) and not isinstance(raw, bool) and 1 <= raw < 2958466:
        day = _EXCEL_EPOCH + dt.timedelta(days=int(raw))  # an Excel serial without a format
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()
        if text.replace(".", "", 1).isdigit() and 20000 <= float(text) < 2958466:
            day = _EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
        else:
            found = _DATE_TEXT.match(text.split("T")[0].split(" ")[0] if "年" not in text else text)
            if found:
                try:
                    day = dt.date(*(int(g) for g in found.groups()))
                except ValueError:
                    day = None
    if day is None:
        raise UserError(_("Not a valid date. Write it as YYYY-MM-DD, e.g. 2026-03-01."))
    if day > today:
        raise UserError(_("The date is in the future (today is {today}).", today=today.isoformat()))
    if len(_DAYS) > 100_000:
        _DAYS.clear()
    return _DAYS.setdefault(day, day)  # one object per day, however many rows share it


def read_users(text: str) -> list[str]:
    """People as `U…` ids or `email:` references, in order, without repeats."""
    found: list[str] = []
    for part in re.split(r"[,，;；\s]+", text):
        part = part.strip()
        if not part:
            continue
        mention = _MENTION.match(part)
        if mention:
            found.append(mention.group(1))
        elif _USER_ID.match(part):
            found.append(part)
        elif _EMAIL.match(part):
            found.append("email:" + part.lower())
        else:
            raise UserError(
                _(
                    "“{text}” is not a person. Give a Slack mention, member id (U…) or e-mail address.",
                    text=part[:60],
                )
            )
    return list(dict.fromkeys(found))


def _choice(text: str, values: Any, labels: dict[str, Msg], error: Msg) -> str:
    wanted = normalise_header(text)
    en, zh = translator("en"), translator("zh-Hans")
    for value in values:
        names = {normalise_header(value)}
        if value in labels:
            names |= {normalise_header(en(labels[value])), normalise_header(zh(labels[value]))}
        if wanted in names:
            return str(value)
    raise UserError(Msg(error.msgid, {"choices": ", ".join(values)}))
