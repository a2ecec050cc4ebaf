"""What an import file may hold: one table per sheet, its columns and their header names.

A sheet is recognised by its header row, not its name: each table kind lists its columns with
the template's own header (English, and Chinese through the catalog) and the synonyms people
write in their own spreadsheets. The same headers are written by the template and the xlsx
export, so an exported sheet imports as it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Final

from bot.i18n import Msg, _, translator


class Table(StrEnum):
    """A kind of sheet; the order of the members is the order rows are applied in."""

    DEPARTMENTS = "departments"
    BUDGET = "budget"
    SOURCES = "sources"
    DRAWDOWNS = "drawdowns"
    HISTORY = "history"


class Choice(StrEnum):
    """What the import modal offers; each covers one or more tables."""

    ALL = "all"
    BUDGET = "budget"
    DEPARTMENTS = "departments"
    SOURCES = "sources"
    HISTORY = "history"


CHOICE_TABLES: Final[dict[Choice, tuple[Table, ...]]] = {
    Choice.ALL: tuple(Table),
    Choice.BUDGET: (Table.BUDGET,),
    Choice.DEPARTMENTS: (Table.DEPARTMENTS,),
    Choice.SOURCES: (Table.SOURCES, Table.DRAWDOWNS),
    Choice.HISTORY: (Table.HISTORY,),
}

CHOICE_LABEL: Final[dict[Choice, Msg]] = {
    Choice.ALL: _("Everything in the file (each sheet by its headers)"),
    Choice.BUDGET: _("Budget lines"),
    Choice.DEPARTMENTS: _("Departments with leads and members"),
    Choice.SOURCES: _("Funding sources with commitments and drawdowns"),
    Choice.HISTORY: _("Opening fund-use history"),
}

TABLE_LABEL: Final[dict[Table, Msg]] = {
    Table.DEPARTMENTS: _("Departments"),
    Table.BUDGET: _("Budget lines"),
    Table.SOURCES: _("Funding sources"),
    Table.DRAWDOWNS: _("Drawdowns"),
    Table.HISTORY: _("Fund-use history"),
}


class Kind(StrEnum):
    """How a cell is read."""

    TEXT = "text"
    AMOUNT = "amount"
    DATE = "date"
    USER = "user"
    USERS = "users"
    CATEGORY = "category"
    DEPARTMENT_KIND = "department_kind"
    FUNDING_KIND = "funding_kind"
    CURRENCY = "currency"
    IGNORED = "ignored"  # written by the export, read-only on import (spent, % used)


@dataclass(frozen=True)
class Column:
    key: str
    header: Msg
    kind: Kind
    required: bool
    note: Msg
    examples: tuple[str, str]
    synonyms: tuple[str, ...] = ()
    max_length: int = 100


@dataclass(frozen=True)
class TableSpec:
    table: Table
    columns: tuple[Column, ...]
    max_rows: int = 20_000

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


_REQUIRED = _("Required.")
_OPTIONAL = _("Optional.")

SPECS: Final[dict[Table, TableSpec]] = {
    Table.DEPARTMENTS: TableSpec(
        Table.DEPARTMENTS,
        (
            Column(
                "name",
                _("Department"),
                Kind.TEXT,
                True,
                _("Required. Matched by name: an existing department is updated."),
                ("Finance", "Design institute"),
                ("name", "department name", "部门名称", "名称"),
            ),
            Column(
                "kind",
                _("Kind"),
                Kind.DEPARTMENT_KIND,
                True,
                _(
                    "Required. finance, engineering, legal, operations, design, construction, supervision or other."
                ),
                ("finance", "design"),
                ("type", "类型", "部门类型"),
            ),
            Column(
                "lead",
                _("Lead"),
                Kind.USER,
                False,
                _("Optional. A Slack mention, member id (U…) or e-mail address."),
                ("lead@example.com", "U01ABCDEF"),
                ("head", "负责人", "部门负责人"),
            ),
            Column(
                "members",
                _("Members"),
                Kind.USERS,
                False,
                _("Optional. Several people separated by commas."),
                ("a@example.com, b@example.com", ""),
                ("成员", "部门成员", "member"),
            ),
            Column(
                "responsibilities",
                _("Responsibilities"),
                Kind.TEXT,
                False,
                _OPTIONAL,
                ("Budget preparation", "Design review"),
                ("职责", "duties"),
                2000,
            ),
        ),
    ),
    Table.BUDGET: TableSpec(
        Table.BUDGET,
        (
            Column(
                "name",
                _("Budget line"),
                Kind.TEXT,
                True,
                _("Required. Matched by name: an existing line is updated."),
                ("Bridge piling", "Land acquisition phase 1"),
                ("line", "name", "line name", "预算科目", "科目", "预算项", "预算项目", "名称"),
            ),
            Column(
                "category",
                _("Category"),
                Kind.CATEGORY,
                True,
                _(
                    "Required. land, construction, equipment, design, financing_costs, legal, operations, contingency or other (or its name)."
                ),
                ("construction", "land"),
                ("类别", "分类", "预算类别"),
            ),
            Column(
                "department",
                _("Department"),
                Kind.TEXT,
                False,
                _("Optional. The name of a department of the project."),
                ("Finance", "Design institute"),
                ("dept", "部门", "责任部门", "归口部门"),
            ),
            Column(
                "allocated",
                _("Allocated"),
                Kind.AMOUNT,
                True,
                _(
                    "Required. An amount in the project's currency: 1,234.50, ¥1,234.50, 3500万, 1.2亿."
                ),
                ("12,000,000", "3500万"),
                ("allocation", "amount", "budget", "预算金额", "分配金额", "金额", "预算"),
            ),
            Column(
                "currency",
                _("Currency"),
                Kind.CURRENCY,
                False,
                _("Optional. Must be the project's currency."),
                ("CNY", "CNY"),
                ("币种", "货币"),
            ),
            Column(
                "spent",
                _("Spent", context="funds"),
                Kind.IGNORED,
                False,
                _("Ignored on import."),
                ("", ""),
                ("已使用", "已支出", "used"),
            ),
            # Fund control's figures in the budget export: read only, so an exported budget
            # imports back as it is (change orders are requested with `/funds change`).
            *(
                Column(
                    key, header, Kind.IGNORED, False, _("Ignored on import."), ("", ""), synonyms
                )
                for key, header, synonyms in (
                    ("changes", _("Approved changes"), ("已批变更",)),
                    ("revised", _("Revised"), ("调整后预算",)),
                    ("pending", _("Pending approval"), ("待审批",)),
                    ("pending_changes", _("Pending changes"), ("待审批变更",)),
                )
            ),
        ),
    ),
    Table.SOURCES: TableSpec(
        Table.SOURCES,
        (
            Column(
                "name",
                _("Funding source"),
                Kind.TEXT,
                True,
                _("Required. Matched by name: an existing source is updated."),
                ("Sponsor equity", "China Development Bank loan"),
                ("source", "name", "资金来源", "来源", "名称"),
            ),
            Column(
                "kind",
                _("Kind"),
                Kind.FUNDING_KIND,
                True,
                _("Required. equity, senior_debt, mezzanine, grant or other."),
                ("equity", "senior_debt"),
                ("type", "类型", "资金类型"),
            ),
            Column(
                "committed",
                _("Committed"),
                Kind.AMOUNT,
                True,
                _("Required. The committed amount in the project's currency."),
                ("2亿", "800,000,000"),
                ("commitment", "amount", "承诺金额", "承诺额", "金额"),
            ),
        ),
    ),
    Table.DRAWDOWNS: TableSpec(
        Table.DRAWDOWNS,
        (
            Column(
                "source",
                _("Funding source"),
                Kind.TEXT,
                True,
                _("Required. The name of a funding source (in this file or the project)."),
                ("Sponsor equity", "China Development Bank loan"),
                ("source", "资金来源", "来源"),
            ),
            Column(
                "amount",
                _("Drawdown amount"),
                Kind.AMOUNT,
                True,
                _("Required. An amount in the project's currency."),
                ("5000万", "120,000,000"),
                ("amount", "drawn", "提款金额", "提款额", "金额"),
            ),
            Column(
                "date",
                _("Drawdown date"),
                Kind.DATE,
                True,
                _("Required. YYYY-MM-DD or an Excel date; not in the future."),
                ("2026-03-01", "2026-06-15"),
                ("date", "drawn on", "提款日期", "日期"),
            ),
            Column(
                "reference",
                _("Notice no."),
                Kind.TEXT,
                False,
                _OPTIONAL,
                ("DN-001", "DN-002"),
                ("reference", "notice", "提款通知书编号", "通知书编号", "编号"),
            ),
        ),
    ),
    Table.HISTORY: TableSpec(
        Table.HISTORY,
        (
            Column(
                "line",
                _("Budget line"),
                Kind.TEXT,
                True,
                _("Required. The name of a budget line (in this file or the project)."),
                ("Bridge piling", "Land acquisition phase 1"),
                ("line", "预算科目", "科目", "预算项"),
            ),
            Column(
                "amount",
                _("Amount"),
                Kind.AMOUNT,
                True,
                _("Required. More than zero, in the project's currency."),
                ("1,234.50", "12.5万"),
                ("金额", "支出金额", "使用金额"),
            ),
            Column(
                "date",
                _("Date paid"),
                Kind.DATE,
                True,
                _("Required. YYYY-MM-DD or an Excel date; not in the future."),
                ("2026-02-10", "2026-03-05"),
                ("date", "paid on", "spent on", "支付日期", "日期"),
            ),
            Column(
                "purpose",
                _("Purpose"),
                Kind.TEXT,
                True,
                _REQUIRED,
                ("Pile foundation, first batch", "Compensation, village A"),
                ("description", "用途", "摘要", "事由"),
                2000,
            ),
            Column(
                "reference",
                _("Reference"),
                Kind.TEXT,
                True,
                _("Required. Invoice or contract no."),
                ("INV-2026-001", "HT-007"),
                ("invoice", "invoice no.", "contract no.", "发票号", "合同号", "凭证号", "编号"),
            ),
            Column(
                "reporter",
                _("Reported by"),
                Kind.USER,
                False,
                _("Optional. Who paid it; you when empty."),
                ("", ""),
                ("reporter", "经办人", "报告人"),
            ),
        ),
        max_rows=200_000,
    ),
}

# Header cells carry units and marks: "Allocated (CNY)", "金额（元）", "Name *".
_DECORATION = re.compile(r"[（(【\[].*?[)）】\]]|[*＊:：]")


def normalise_header(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    folded = _DECORATION.sub("", folded)
    return "".join(folded.split()).casefold().replace("_", "").replace("-", "")


@cache
def header_names(table: Table) -> dict[str, str]:
    """Normalised header → column key: the template's English and Chinese, plus synonyms."""
    names: dict[str, str] = {}
    zh, en = translator("zh-Hans"), translator("en")
    # Synonyms first, so a column's own header wins a clash ("amount" is a synonym elsewhere).
    for column in SPECS[table].columns:
        for synonym in (*column.synonyms, column.key):
            names.setdefault(normalise_header(synonym), column.key)
    for column in SPECS[table].columns:
        names[normalise_header(en(column.header))] = column.key
        names[normalise_header(zh(column.header))] = column.key
    return names
