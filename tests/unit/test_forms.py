"""The field checks the services' forms share (`bot.forms`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from bot.forms import (
    Errors,
    Form,
    check_amount,
    check_date,
    check_row,
    check_time,
    check_weekday,
    whole_in,
)
from bot.i18n import Msg


class Field(StrEnum):
    """A form's fields for the checks to read."""

    F = "f"
    A = "a"
    B = "b"
    C = "c"


def form(**values: object) -> Form[Field]:
    return Form.of(Field, **values)


def msgid(errors: Errors, key: str = "f") -> str:
    return errors[key].msgid


def test_amount() -> None:
    errors: Errors = {}
    assert check_amount(form(f=" 1.5万 "), Field.F, "CNY", errors) == Decimal("15000.00")
    assert errors == {}
    assert check_amount(form(f="  "), Field.F, "CNY", errors) is None
    assert msgid(errors) == "This field is required."
    errors = {}
    assert check_amount(form(f="-1"), Field.F, "CNY", errors) is None
    assert "f" in errors and msgid(errors) != "This field is required."


def test_weekday_time_and_date() -> None:
    errors: Errors = {}
    assert check_weekday(form(a=" 6 "), Field.A, errors) == 6
    assert check_time(form(b="08:15"), Field.B, errors) == dt.time(8, 15)
    assert check_date(form(c="2026-03-01"), Field.C, errors) == dt.date(2026, 3, 1)
    assert errors == {}
    assert check_weekday(form(a="7"), Field.A, errors) is None
    assert check_time(form(b="8h"), Field.B, errors) is None
    assert check_date(form(c=""), Field.C, errors) is None
    assert [msgid(errors, k) for k in "abc"] == [
        "Choose a weekday.",
        "Give a time as HH:MM, like 09:30.",
        "This field is required.",
    ]


def test_row() -> None:
    rows = {7: "line 7"}
    texts = {"none": "none", "not_listed": "not listed", "gone": "gone"}
    messages = {k: Msg(v) for k, v in texts.items()}
    for value, found, error in (
        ("7", "line 7", None),
        ("", None, "none"),
        ("x7", None, "not listed"),
        ("8", None, "gone"),
    ):
        errors: Errors = {}
        assert check_row(form(f=value), Field.F, rows.get, errors, **messages) == found
        assert [e.msgid for e in errors.values()] == ([error] if error else [])


def test_whole_in() -> None:
    assert [whole_in(t, 1, 31) for t in ("1", "31", "0", "32", "1.5", "-1", "")] == [
        1,
        31,
        None,
        None,
        None,
        None,
        None,
    ]
