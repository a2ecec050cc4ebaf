"""What a modal submitted (`Form`) and the field checks the services' forms share (pure).

A modal's field enum (`XField`, a `StrEnum` of its block ids) is the one list of its
names: the renderer builds the inputs with it, `Form[XField]` holds what was submitted
under it, and the service reads values and notes errors with it, so a block id and the
value read for it cannot drift apart.

Each check takes the form and one of its fields, reads that field's value, notes what is
wrong with it in `errors` under the same field, and returns the clean value (None when
there is none), so a service can check every field and answer them all at once with
`FieldErrors(errors)`. The field is named once, so the value read and the error noted
cannot be two fields' (and `Form[F]` ties it to its form: mypy refuses another form's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Generic, TypeVar

from bot.errors import UserError
from bot.i18n import Msg, _
from bot.money import parse_amount

T = TypeVar("T")
F = TypeVar("F", bound=StrEnum)

Errors = dict[str, Msg]


class Form(Generic[F]):
    """A modal's submitted values by field (`handlers.common.read_state`'s plain values:
    a text, a list of texts, or None), as its service reads them.

    Only the values of `fields` are kept (a view's other blocks are another form's). A value
    of the wrong kind reads as empty: `text` of a list is None, `many` of a text is []."""

    __slots__ = ("_values",)

    def __init__(self, fields: type[F], values: Mapping[str, object] | None = None) -> None:
        known = {field.value for field in fields}
        self._values = {k: v for k, v in (values or {}).items() if k in known}

    @classmethod
    def of(cls, fields: type[F], **values: object) -> Form[F]:
        """A form filled by keyword (the fields' values: `Form.of(RiskField, title="…")`),
        as tests and commands that are not modals build one."""
        unknown = set(values) - {field.value for field in fields}
        if unknown:
            raise ValueError(f"not fields of {fields.__name__}: {sorted(unknown)}")
        return cls(fields, values)

    def text(self, field: F) -> str | None:
        value = self._values.get(field.value)
        return value if isinstance(value, str) else None

    def many(self, field: F) -> list[str]:
        value = self._values.get(field.value)
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    def flag(self, field: F) -> bool:
        """A checkbox (or any field) that was given: a text, or a non-empty list."""
        return bool(self._values.get(field.value))

    def __repr__(self) -> str:
        return f"Form({self._values!r})"


def stripped(value: str | None) -> str:
    return (value or "").strip()


def check_amount(form: Form[F], field: F, currency: str, errors: Errors) -> Decimal | None:
    """A required amount in `currency` (`bot.money.parse_amount`: its refusal is the error)."""
    text = stripped(form.text(field))
    if not text:
        errors[field] = _("This field is required.")
        return None
    try:
        return parse_amount(text, currency)
    except UserError as error:
        errors[field] = error.message
        return None


def whole_in(text: str, low: int, high: int) -> int | None:
    """`text` as a whole number from `low` to `high`; None when it is not one."""
    return int(text) if text.isdigit() and low <= int(text) <= high else None


def check_weekday(form: Form[F], field: F, errors: Errors) -> int | None:
    """A required weekday, as a weekday select gives it: 0 (Monday) to 6 (Sunday)."""
    text = stripped(form.text(field))
    day = whole_in(text, 0, 6)
    if not text:
        errors[field] = _("This field is required.")
    elif day is None:
        errors[field] = _("Choose a weekday.")
    return day


def _parsed(
    form: Form[F], field: F, parse: Callable[[str], T], bad: Msg, errors: Errors
) -> T | None:
    text = stripped(form.text(field))
    if not text:
        errors[field] = _("This field is required.")
        return None
    try:
        return parse(text)
    except ValueError:
        errors[field] = bad
        return None


def check_time(form: Form[F], field: F, errors: Errors) -> dt.time | None:
    """A required time of day, `HH:MM`."""
    return _parsed(
        form, field, dt.time.fromisoformat, _("Give a time as HH:MM, like 09:30."), errors
    )


def check_date(form: Form[F], field: F, errors: Errors) -> dt.date | None:
    """A required date, `YYYY-MM-DD`."""
    return _parsed(form, field, dt.date.fromisoformat, _("Give a date as YYYY-MM-DD."), errors)


def check_row(
    form: Form[F],
    field: F,
    lookup: Callable[[int], T | None],
    errors: Errors,
    *,
    none: Msg,
    not_listed: Msg,
    gone: Msg,
) -> T | None:
    """The row the select `field` chose (its value: the row's id) as `lookup` finds it; else
    None, with an error on `field`: `none` when nothing was chosen, `not_listed` for a value
    that is not an id, `gone` when `lookup` finds no such row (any more)."""
    text = stripped(form.text(field))
    if not text:
        errors[field] = none
        return None
    if not text.isdigit():
        errors[field] = not_listed
        return None
    row = lookup(int(text))
    if row is None:
        errors[field] = gone
    return row
