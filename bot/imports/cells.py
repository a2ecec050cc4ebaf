"""One spreadsheet cell as its column's type (pure): amounts, dates (Excel serials, Chinese
dates), people (mentions, member ids, e-mail addresses) and the words Chinese finance teams
use for categories, kinds of department and of funding."""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from decimal import Decimal
from typing import Any, Final

from bot.errors import UserError
from bot.i18n import Msg, _, translator
from bot.imports.schema import Column, Kind, normalise_header
from bot.labels import BUDGET_CATEGORY, DEPARTMENT_KIND
from bot.money import parse_amount
from storage.models import BudgetCategory, DepartmentKind, FundingKind

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
# A column of fixed choices → (the words people type for them, the values, their labels, the
# refusal of anything else).
_CHOICES: Final[dict[Kind, tuple[dict[str, str], Any, dict[str, Msg], Msg]]] = {
    Kind.CATEGORY: (
        _CATEGORY_WORDS,
        BudgetCategory,
        BUDGET_CATEGORY,
        _("Not a budget category. Use one of: {choices}."),
    ),
    Kind.DEPARTMENT_KIND: (
        _KIND_WORDS,
        DepartmentKind,
        DEPARTMENT_KIND,
        _("Not a kind of department. Use one of: {choices}."),
    ),
    Kind.FUNDING_KIND: (
        _FUNDING_WORDS,
        FundingKind,
        {},
        _("Not a kind of funding. Use one of: {choices}."),
    ),
}
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


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
    if kind in _CHOICES:
        words, values, labels, refusal = _CHOICES[kind]
        return _choice(words.get(text, text), values, labels, refusal)
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
