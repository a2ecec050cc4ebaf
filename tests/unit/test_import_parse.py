"""The import parser as pure functions: headers, cells, bad files (no Slack, no database)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook

from bot.errors import UserError
from bot.i18n import translator
from bot.imports.parse import Parsed, parse_file, read_amount, read_date, read_users
from bot.imports.read import MAX_BYTES
from bot.imports.schema import Table

TODAY = dt.date(2026, 11, 20)
EN = translator("en")


def xlsx(rows: list[list[Any]], *, merge: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Budget"
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def parse(name: str, content: bytes, tables: tuple[Table, ...] = tuple(Table)) -> Parsed:
    return parse_file(name, content, tables=tables, currency="CNY", today=TODAY)


def problems(parsed: Parsed) -> list[str]:
    return [EN(p.message) for p in parsed.problems]


def test_headers_in_chinese_with_units_a_merged_title_and_blank_rows() -> None:
    content = xlsx(
        [
            ["2026 年预算", None, None, None],
            [None, None, None, None],
            ["科目", "分类", "部门", "预算金额（万元）"],
            ["桥梁", "construction", None, "3500万"],
            [None, None, None, None],
            ["征地", "land", "财务部", 1234.5],
        ],
        merge="A1:D1",
    )
    parsed = parse("b.xlsx", content)
    assert problems(parsed) == []
    [first, second] = parsed.records[Table.BUDGET]
    assert (first.row, first.values["allocated"]) == (4, Decimal("35000000.00"))
    assert (second.row, second.values["allocated"], second.values["department"]) == (
        6,
        Decimal("1234.50"),
        "财务部",
    )


def test_each_sheet_is_recognised_by_its_headers() -> None:
    content = b"Funding source,Drawdown amount,Drawdown date,Notice no.\nEquity,100,2026-01-02,DN\n"
    parsed = parse("d.csv", content)
    assert set(parsed.records) == {Table.DRAWDOWNS}
    assert parsed.records[Table.DRAWDOWNS][0].values["date"] == dt.date(2026, 1, 2)


def test_a_gb18030_csv_from_chinese_excel() -> None:
    content = "预算科目,类别,预算\n桥梁,construction,1亿\n".encode("gb18030")
    [record] = parse("b.csv", content).records[Table.BUDGET]
    assert record.values["allocated"] == Decimal("100000000.00")


def test_too_many_rows() -> None:
    rows = "".join(f"L{i},land,1\n" for i in range(20_001))
    parsed = parse("b.csv", f"Budget line,Category,Allocated\n{rows}".encode())
    assert any("more than 20,000 rows" in p for p in problems(parsed))
    assert parsed.records[Table.BUDGET] == []


def test_notes_rows_are_skipped() -> None:
    content = b"Budget line,Category,Allocated\n# Required,Required,Required\nA,land,5\n"
    assert len(parse("b.csv", content).records[Table.BUDGET]) == 1


def test_only_the_chosen_tables() -> None:
    content = b"Budget line,Category,Allocated\nA,land,5\n"
    parsed = parse("b.csv", content, (Table.HISTORY,))
    assert problems(parsed) == [
        "This sheet holds Budget lines, which is not what you chose to import. Choose “Everything in the file” or the right kind."
    ]
    assert EN(parsed.problems[0].message.params["table"]) == "Budget lines"


def test_bad_cells_name_their_column() -> None:
    content = b"Budget line,Category,Allocated,Currency\nA,moon,-5,USD\n,land,5,CNY\n"
    parsed = parse("b.csv", content)
    found = {(p.row, EN(p.column) if p.column else None) for p in parsed.problems}
    assert found == {(2, "Category"), (2, "Allocated"), (2, "Currency"), (3, "Budget line")}


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.pdf", b"%PDF", "not a spreadsheet"),
        ("a.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "password-protected"),
        ("a.xlsx", b"hello", "not a valid .xlsx"),
        ("a.xlsx", b"PK\x03\x04" + b"\0" * 50, "damaged"),
        ("a.csv", b"a,b\x00\x00", "not a valid CSV"),
        ("a.csv", b"x" * (MAX_BYTES + 1), "5 MB"),
    ],
)
def test_unreadable_files(name: str, content: bytes, expected: str) -> None:
    with pytest.raises(UserError) as caught:
        parse(name, content)
    assert expected in EN(caught.value.message)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1234.56, "1234.56"),
        (100, "100.00"),
        ("¥1,234.50", "1234.50"),
        ("12.5万", "125000.00"),
        ("1.2亿", "120000000.00"),
        (Decimal("7.10"), "7.10"),
    ],
)
def test_amounts(raw: Any, expected: str) -> None:
    assert read_amount(raw, "CNY") == Decimal(expected)


@pytest.mark.parametrize("raw", [0.001, "abc", True, -5, "$5"])
def test_bad_amounts(raw: Any) -> None:
    with pytest.raises(UserError):
        read_amount(raw, "CNY")


@pytest.mark.parametrize(
    "raw",
    [
        dt.datetime(2026, 3, 1),
        dt.date(2026, 3, 1),
        46082,
        "46082",
        "2026-03-01",
        "2026/3/1",
        "2026.03.01",
        "2026年3月1日",
    ],
)
def test_dates(raw: Any) -> None:
    assert read_date(raw, TODAY) == dt.date(2026, 3, 1)


@pytest.mark.parametrize("raw", ["2026-02-30", "yesterday", "2027-01-01", "03/01/2026"])
def test_bad_dates(raw: Any) -> None:
    with pytest.raises(UserError):
        read_date(raw, TODAY)


def test_users() -> None:
    assert read_users("<@U123ABC|ann>, W999XYZ；Bob@Example.com U123ABC") == [
        "U123ABC",
        "W999XYZ",
        "email:bob@example.com",
    ]
    with pytest.raises(UserError):
        read_users("@bob")


def test_sheets_of_tables_not_chosen_are_skipped() -> None:
    book = Workbook()
    book.active.append(["Budget line", "Category", "Allocated"])
    book.active.append(["A", "land", 5])
    other = book.create_sheet("Departments")
    other.append(["Department", "Kind"])
    other.append(["Finance", "finance"])
    out = io.BytesIO()
    book.save(out)
    parsed = parse("t.xlsx", out.getvalue(), (Table.BUDGET,))
    assert problems(parsed) == [] and set(parsed.records) == {Table.BUDGET}
