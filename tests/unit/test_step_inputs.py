"""A custom step's inputs read as the modal's fields, and its errors as one line."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from bot.errors import FieldErrors, UserError
from bot.i18n import _, translator
from bot.services.funds import LineStatus, Outcome
from handlers.steps.run import StepCall, one_line, user_of
from handlers.steps.steps import FUND_LABELS, line_percent


def _call(**inputs: Any) -> StepCall:
    return StepCall("record_fund_use", "Fx1", "T1", None, "U1", inputs)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (123456.78, "123456.78"),
        (1e20, "100000000000000000000"),
        (0.1, "0.1"),
        (-5, "-5"),
        (42, "42"),
        ("1,234.50", "1,234.50"),
        (True, None),
        (None, None),
        ({"id": "U1"}, None),
    ],
)
def test_an_input_reads_as_the_text_a_modal_field_would_hold(value: Any, text: str | None) -> None:
    assert _call(amount=value).text("amount") == text


@pytest.mark.parametrize(
    ("value", "user"),
    [
        ({"id": "U012AB", "secret": "x"}, "U012AB"),
        ({"id": "W0GRID1", "secret": "x"}, "W0GRID1"),  # Enterprise Grid
        ({"interactivity_pointer": "1.a", "interactor": {"id": "U9ZZ", "secret": "x"}}, "U9ZZ"),
        ("U012AB", "U012AB"),
        ({"id": "C0CHANNEL"}, ""),
        ("<@U012AB>", ""),
        (None, ""),
        (7, ""),
    ],
)
def test_the_person_is_a_user_context_interactivity_or_user_id(value: Any, user: str) -> None:
    assert user_of(value) == user


def test_field_errors_become_one_line_naming_each_field() -> None:
    error = FieldErrors(
        {"amount": _("The amount must be more than zero."), "date": _("Give a date as YYYY-MM-DD.")}
    )

    assert one_line(error, translator("en"), FUND_LABELS) == (
        "Amount: The amount must be more than zero. Date paid: Give a date as YYYY-MM-DD."
    )
    assert one_line(error, translator("zh-Hans"), FUND_LABELS).startswith("金额：")
    assert one_line(UserError(_("That project no longer exists.")), translator("en"), {}) == (
        "That project no longer exists."
    )


@pytest.mark.parametrize(
    ("spent", "allocated", "percent"),
    [
        ("123456.78", "600000", 20.6),
        ("550000", "600000", 91.7),
        ("0.25", "1000", 0.0),
        ("5", "0", None),
    ],
)
def test_line_percent_is_rounded_as_funds_summary_shows_it(
    spent: str, allocated: str, percent: float | None
) -> None:
    line = LineStatus(1, "Works", "construction", None, Decimal(allocated), Decimal(spent))
    outcome = Outcome(1, Decimal(spent), "Works", line=line)

    assert line_percent(outcome) == percent
    if line.ratio is not None:
        assert translator("en").percent(line.ratio) == f"{percent}%"
