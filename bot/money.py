"""Amounts as finance people type them, parsed into exact `Decimal`s."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation, localcontext

from babel.numbers import get_currency_symbol, is_currency

from bot.errors import UserError
from bot.i18n import _

MAX_AMOUNT = Decimal(10) ** 13
CENT = Decimal("0.01")
_WAN = Decimal(10_000)
_YI = Decimal(100_000_000)
# Symbols a Chinese or English speaker types for a currency, beyond CLDR's own.
_EXTRA_SYMBOLS = {
    "CNY": ("¥", "￥", "RMB", "元", "人民币"),
    "USD": ("$", "US$", "美元"),
    "EUR": ("€", "欧元"),
    "HKD": ("HK$", "港元", "港币"),
}
# ASCII digits only: `\d` would also take Arabic-Indic or Devanagari digits.
_NUMBER = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$|^\.\d+$", re.ASCII)
# Longer than any amount up to 10^13 with separators, a symbol and 万: not an amount.
_MAX_LENGTH = 40
_MINUS = ("-", "\u2212")  # hyphen-minus and the minus sign


def valid_currency(code: str) -> bool:
    return len(code) == 3 and code.isalpha() and code.isupper() and is_currency(code)


def _symbols(currency: str) -> set[str]:
    found = {
        currency,
        get_currency_symbol(currency, "en_US"),
        get_currency_symbol(currency, "zh_Hans_CN"),
    }
    found.update(_EXTRA_SYMBOLS.get(currency, ()))
    return {s for s in found if s}


def _is_symbol(char: str) -> bool:
    return unicodedata.category(char) == "Sc" or char in "元円"


def _names_other_currency(text: str) -> bool:
    """`USD 5`, `5 EUR`, `$5`, `HK$5`, `5€`, `5元`: an amount in a currency not stripped."""
    if re.match(r"^[A-Za-z]{3}\s*[\d.,]", text) or re.search(r"[\d.,万亿]\s*[A-Za-z]{3}$", text):
        return True
    head = re.match(r"^[A-Za-z]{0,3}(\S)", text)
    return bool(head and _is_symbol(head.group(1))) or _is_symbol(text[-1:] or " ")


def _strip_currency(text: str, currency: str) -> str:
    """Remove a marker of `currency`; raise if the text names another currency."""
    for symbol in sorted(_symbols(currency), key=len, reverse=True):
        if text.upper().startswith(symbol.upper()):
            return text[len(symbol) :].strip()
        if text.upper().endswith(symbol.upper()):
            return text[: -len(symbol)].strip()
    if _names_other_currency(text):
        raise UserError(_("Use the project's currency, {currency}.", currency=currency))
    return text


def parse_amount(text: str, currency: str, *, allow_zero: bool = False) -> Decimal:
    """Parse `1234.5`, `1,234.50`, `¥1,234.50`, `CNY 1234.50`, `12.5万`, `1.2万亿` into a Decimal.

    Raises `UserError` saying what is wrong: not a number, zero or negative, more than two
    decimals, another currency, or above 10^13.
    """
    # NFKC folds full-width digits and punctuation (１２３４．５０, ，, ＄) into ASCII.
    raw = unicodedata.normalize("NFKC", text).strip().replace("\u2212", "-")
    not_amount = _("“{text}” is not an amount. Type digits, like 1,234.50.", text=text.strip()[:40])
    if not raw:
        raise UserError(_("Enter an amount."))
    if len(raw) > _MAX_LENGTH:
        raise UserError(not_amount)
    if raw.startswith(_MINUS):
        raise UserError(_("The amount must be more than zero."))
    if raw.startswith("+"):
        raw = raw[1:].strip()
    raw = _strip_currency(raw, currency)
    multiplier = Decimal(1)
    if raw.endswith("万亿"):  # what a compact figure of ¥9,999.5亿 and more reads
        multiplier, raw = _WAN * _YI, raw[:-2].strip()
    elif raw.endswith("万"):
        multiplier, raw = _WAN, raw[:-1].strip()
    elif raw.endswith("亿"):
        multiplier, raw = _YI, raw[:-1].strip()
    if raw.startswith(_MINUS):
        raise UserError(_("The amount must be more than zero."))
    if not _NUMBER.match(raw):
        raise UserError(not_amount)
    # Enough precision that no digit typed is rounded away before the checks below.
    with localcontext(prec=80):
        try:
            amount = Decimal(raw.replace(",", "")) * multiplier
        except InvalidOperation:
            raise UserError(not_amount) from None
        if amount % CENT != 0:
            raise UserError(_("Use at most two decimals (cents, 分)."))
        if amount == 0 and not allow_zero:
            raise UserError(_("The amount must be more than zero."))
        if amount > MAX_AMOUNT:
            raise UserError(_("That amount is too large: the most is 10,000,000,000,000."))
        return amount.quantize(CENT)
