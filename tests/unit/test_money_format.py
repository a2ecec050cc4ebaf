"""How money reads: compact figures for summaries, exact ones for confirmations."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.i18n import EN, ZH, Amount, Translator, _
from bot.money import MAX_AMOUNT, parse_amount
from bot.money_format import as_typed, compact

zh, en = Translator(ZH), Translator(EN)


@pytest.mark.parametrize(
    ("amount", "chinese", "english"),
    [
        ("0", "¥0", "¥0"),
        ("0.01", "¥0.01", "¥0.01"),
        ("12.5", "¥12.50", "¥12.50"),
        ("999", "¥999", "¥999"),
        ("1000", "¥1,000", "¥1K"),
        ("9999", "¥9,999", "¥10K"),
        ("9999.99", "¥9,999.99", "¥10K"),
        ("10000", "¥1万", "¥10K"),
        ("99999", "¥10万", "¥100K"),
        ("125000", "¥12.5万", "¥125K"),
        ("999999", "¥100万", "¥1M"),
        ("35000000", "¥3,500万", "¥35M"),
        ("34567890", "¥3,457万", "¥34.6M"),
        ("99999999", "¥1亿", "¥100M"),
        ("100000000", "¥1亿", "¥100M"),
        ("125000000", "¥1.25亿", "¥125M"),
        ("1250000000", "¥12.5亿", "¥1.25B"),
        ("1200000000", "¥12亿", "¥1.2B"),
        ("1000000000000", "¥1万亿", "¥1T"),
        ("10000000000000", "¥10万亿", "¥10T"),
    ],
)
def test_compact_boundaries(amount: str, chinese: str, english: str) -> None:
    assert zh.money(Decimal(amount), "CNY") == chinese
    assert en.money(Decimal(amount), "CNY") == english


def test_negatives_put_the_sign_before_the_symbol() -> None:
    assert zh.money(Decimal("-125000"), "CNY") == "-¥12.5万"
    assert en.money(Decimal("-35000000"), "CNY") == "-¥35M"
    assert zh.money(Decimal("-9999"), "CNY") == "-¥9,999"
    assert zh.money_exact(Decimal("-1234.5"), "CNY") == "-¥1,234.50"


def test_other_currencies_keep_their_symbol_and_the_readers_units() -> None:
    assert en.money(Decimal("1250000"), "USD") == "US$1.25M"
    assert zh.money(Decimal("1250000"), "USD") == "US$125万"
    assert zh.money(Decimal("350000000"), "EUR") == "€3.5亿"
    assert en.money_exact(Decimal("1234.5"), "USD") == "US$1,234.50"
    assert zh.money_exact(Decimal("1234.5"), "HKD") == "HK$1,234.50"


def test_one_symbol_in_both_languages() -> None:
    # English CLDR data would say CN¥ (and ¥ would mean yen).
    for tr in (zh, en):
        assert tr.money_exact(Decimal("280000000"), "CNY") == "¥280,000,000.00"
        assert tr.money(Decimal("280000000"), "CNY").startswith("¥")


@given(cents=st.integers(1, int(MAX_AMOUNT * 100)), locale=st.sampled_from([ZH, EN]))
def test_a_compact_figure_is_never_zero_and_within_half_a_percent(cents: int, locale: str) -> None:
    amount = Decimal(cents) / 100
    shown = compact(amount, "CNY", locale)
    assert shown not in ("¥0", "¥0.00")
    if locale == ZH:  # what the parser reads back: plain, 万, 亿 and 万亿 (¥9,999.5亿 → ¥1万亿)
        back = parse_amount(shown.replace(",", ""), "CNY")
        assert abs(back - amount) <= amount * Decimal("0.005")


def test_edit_forms_show_the_amount_as_typed() -> None:
    assert as_typed(Decimal("1250000000.00"), ZH) == "12.5亿"
    assert as_typed(Decimal("1200000000.00"), ZH) == "12亿"
    assert as_typed(Decimal("35000000.00"), ZH) == "3500万"
    assert as_typed(Decimal("12345.67"), ZH) == "12,345.67"
    assert as_typed(Decimal("1200000000.00"), EN) == "1,200,000,000"
    assert as_typed(Decimal("1234.50"), EN) == "1,234.50"


def test_an_amount_parameter_is_rendered_by_the_reader() -> None:
    message = _(
        "Only {undrawn} of this source's commitment is undrawn.",
        undrawn=Amount(Decimal("280000000"), "CNY"),
    )
    assert "¥280,000,000.00" in zh(message)
    assert "¥280,000,000.00" in en(message)
    assert zh(_("{amount}", amount=Amount(Decimal("280000000"), "CNY", exact=False))) == "¥2.8亿"
