"""The field checks the services' forms share (pure).

Each reads one submitted value, notes what is wrong with it in `errors` under the field's
block id `key`, and returns the clean value (None when there is none), so a service can
check every field and answer them all at once with `FieldErrors(errors)`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from bot.errors import UserError
from bot.i18n import Msg, _
from bot.money import parse_amount

T = TypeVar("T")

Errors = dict[str, Msg]


def stripped(value: str | None) -> str:
    return (value or "").strip()


def check_amount(value: str | None, currency: str, errors: Errors, key: str) -> Decimal | None:
    """A required amount in `currency` (`bot.money.parse_amount`: its refusal is the error)."""
    text = stripped(value)
    if not text:
        errors[key] = _("This field is required.")
        return None
    try:
        return parse_amount(text, currency)
    except UserError as error:
        errors[key] = error.message
        return None


def whole_in(text: str, low: int, high: int) -> int | None:
    """`text` as a whole number from `low` to `high`; None when it is not one."""
    return int(text) if text.isdigit() and low <= int(text) <= high else None


def check_weekday(value: str | None, errors: Errors, key: str) -> int | None:
    """A required weekday, as a weekday select gives it: 0 (Monday) to 6 (Sunday)."""
    text = stripped(value)
    day = whole_in(text, 0, 6)
    if not text:
        errors[key] = _("This field is required.")
    elif day is None:
        errors[key] = _("Choose a weekday.")
    return day


def _parsed(
    value: str | None, parse: Callable[[str], T], bad: Msg, errors: Errors, key: str
) -> T | None:
    text = stripped(value)
    if not text:
        errors[key] = _("This field is required.")
        return None
    try:
        return parse(text)
    except ValueError:
        errors[key] = bad
        return None


def check_time(value: str | None, errors: Errors, key: str) -> dt.time | None:
    """A required time of day, `HH:MM`."""
    return _parsed(
        value, dt.time.fromisoformat, _("Give a time as HH:MM, like 09:30."), errors, key
    )


def check_date(value: str | None, errors: Errors, key: str) -> dt.date | None:
    """A required date, `YYYY-MM-DD`."""
    return _parsed(value, dt.date.fromisoformat, _("Give a date as YYYY-MM-DD."), errors, key)


def check_row(
    value: str | None,
    lookup: Callable[[int], T | None],
    errors: Errors,
    key: str,
    *,
    none: Msg,
    not_listed: Msg,
    gone: Msg,
) -> T | None:
    """The row a select chose (`value`: its id) as `lookup` finds it; else None, with an
    error on `key`: `none` when nothing was chosen, `not_listed` for a value that is not an
    id, `gone` when `lookup` finds no such row (any more)."""
    text = stripped(value)
    if not text:
        errors[key] = none
        return None
    if not text.isdigit():
        errors[key] = not_listed
        return None
    row = lookup(int(text))
    if row is None:
        errors[key] = gone
    return row
