"""Amounts in the services' messages are `Amount` parameters: the translator writes them
as money (`¥1,234,567.50`), like every other amount the bot shows, not as a bare number."""

from __future__ import annotations

from decimal import Decimal

from bot.forms import Form
from bot.i18n import EN, ZH, Translator
from bot.services.fund_checks import CheckKind, Finding, message
from bot.services.fund_policy.form import PolicyField, _thresholds


def test_a_split_payments_total_is_written_as_money() -> None:
    finding = Finding(CheckKind.SPLIT_PAYMENT, "amount", (3, 4), total=Decimal("1234567.5"))
    for locale in (EN, ZH):
        text = Translator(locale)(message(finding, currency="CNY"))
        assert "¥1,234,567.50" in text
        assert "CNY" not in text


def test_the_policy_thresholds_errors_write_money() -> None:
    errors: dict = {}
    _thresholds(
        Form.of(PolicyField, finance_from="500000", pm_from="400000"),
        "CNY",
        Decimal("900000000"),
        errors,
    )
    assert "¥500,000.00" in Translator(EN)(errors["pm_from"])

    errors = {}
    _thresholds(Form.of(PolicyField, finance_from="2000000"), "CNY", Decimal("1000000"), errors)
    assert "¥1,000,000.00" in Translator(ZH)(errors["finance_from"])
