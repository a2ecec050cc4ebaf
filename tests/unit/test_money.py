"""Amounts as people type them: property tests of `bot.money.parse_amount`."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import UserError
from bot.i18n import Translator
from bot.money import MAX_AMOUNT, parse_amount

# Currencies with two decimals in CLDR (the bot stores cents); JPY would round on display.
CURRENCIES = ("CNY", "USD", "EUR", "GBP", "HKD")
MAX_CENTS = int(MAX_AMOUNT * 100)

cents = st.integers(min_value=1, max_value=MAX_CENTS)
amounts = cents.map(lambda c: Decimal(c) / 100)


def message(text: str, currency: str = "CNY") -> str:
    with pytest.raises(UserError) as caught:
        parse_amount(text, currency)
    return caught.value.message.msgid


@given(
    amount=amounts, currency=st.sampled_from(CURRENCIES), locale=st.sampled_from(["en", "zh-Hans"])
)
def test_exact_money_parses_back(amount: Decimal, currency: str, locale: str) -> None:
    shown = Translator(locale).money_exact(amount, currency)
    assert parse_amount(shown, currency) == amount


@given(amount=amounts, locale=st.sampled_from(["en", "zh-Hans"]))
def test_an_edit_forms_amount_parses_back(amount: Decimal, locale: str) -> None:
    """What an edit form starts with (`12.5亿`, `3500万`) is what was stored, to the cent."""
    typed = Translator(locale).money_input(amount)
    assert parse_amount(typed, "CNY") == amount
    assert not typed.endswith(".00")


@given(amount=amounts)
def test_plain_grouped_and_coded_forms_parse_back(amount: Decimal) -> None:
    for text in (
        f"{amount:.2f}",
        f"{amount:,.2f}",
        f"CNY {amount:,.2f}",
        f"¥{amount}",
        f"{amount}元",
    ):
        assert parse_amount(text, "CNY") == amount


@given(wan=st.integers(min_value=1, max_value=10**9 - 1), tenths=st.integers(0, 9))
def test_wan_and_yi(wan: int, tenths: int) -> None:
    assert parse_amount(f"{wan}.{tenths}万", "CNY") == Decimal(wan * 10_000 + tenths * 1_000)
    if wan < 100_000:
        assert parse_amount(f"{wan}亿", "CNY") == Decimal(wan) * 100_000_000
    if wan <= 10:
        assert parse_amount(f"{wan}万亿", "CNY") == Decimal(wan) * 10**12


@given(amount=amounts)
def test_full_width_digits_are_understood(amount: Decimal) -> None:
    full = str(amount).translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    assert parse_amount(full, "CNY") == amount


@given(amount=amounts, minus=st.sampled_from(["-", "−", "－", "¥-", "CNY -"]))
def test_negative_is_refused(amount: Decimal, minus: str) -> None:
    assert "more than zero" in message(f"{minus}{amount}")


@given(zero=st.sampled_from(["0", "0.00", "0万", "¥0", ".00", "0,000.00"]))
def test_zero_is_refused(zero: str) -> None:
    assert "more than zero" in message(zero)


@given(units=st.integers(0, 10**12), extra=st.integers(1, 999).filter(lambda n: n % 10 != 0))
def test_more_than_two_decimals_is_refused(units: int, extra: int) -> None:
    assert "two decimals" in message(f"{units}.{extra:03d}")


@given(amount=st.integers(MAX_CENTS + 1, MAX_CENTS * 10**6).map(lambda c: Decimal(c) / 100))
def test_above_ten_to_the_thirteen_is_refused(amount: Decimal) -> None:
    assert "too large" in message(f"{amount:,.2f}")


@given(amount=amounts, other=st.sampled_from(["USD ", "EUR", "$", "€", "£", "HK$"]))
def test_another_currency_is_refused(amount: Decimal, other: str) -> None:
    assert "project's currency" in message(f"{other}{amount}", "CNY")
    assert "project's currency" in message(f"{amount} GBP", "CNY")


@given(
    word=st.from_regex(
        r"[A-Za-z]{1,2}|[a-z]{4,12}|1e\d|NaN|Infinity|1\.2\.3|١٢٣|\(\d+\)", fullmatch=True
    )
)
def test_not_a_number_is_refused(word: str) -> None:
    assert "not an amount" in message(word)


@settings(max_examples=500)
@given(text=st.text(max_size=60))
def test_any_text_parses_or_says_why(text: str) -> None:
    """Nothing typed can crash the parser: it is an amount in range, or a `UserError`."""
    try:
        amount = parse_amount(text, "CNY")
    except UserError:
        return
    assert Decimal("0.01") <= amount <= MAX_AMOUNT
    assert amount == amount.quantize(Decimal("0.01"))


def test_many_digits_are_too_large_not_a_crash() -> None:
    # Before the precision fix, 31 digits raised decimal.InvalidOperation (a stack trace).
    assert "too large" in message("1" * 31)
    assert "two decimals" in message("1.0000000000000000000000000001万")
