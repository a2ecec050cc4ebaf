"""Months in project time: keys, parsing, and which month is over."""

from __future__ import annotations

import datetime as dt
import re

from bot.errors import UserError
from bot.i18n import Command, _
from bot.periods import today_in

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def month_key(month: dt.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def parse_month(text: str) -> dt.date:
    """`YYYY-MM` → the month's first day; `UserError` with the format otherwise."""
    found = _MONTH.match(text.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        raise UserError(
            _(
                "“{text}” is not a month. Use YYYY-MM, like {command}.",
                text=text.strip()[:20],
                command=Command("/icrm scorecard 2026-10"),
            )
        )
    return dt.date(int(found.group(1)), int(found.group(2)), 1)


def previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def local_month(now: dt.datetime, timezone: str) -> dt.date:
    """The month `now` falls in, in `timezone`."""
    return today_in(timezone, now).replace(day=1)


def last_month(now: dt.datetime, timezone: str) -> dt.date:
    """The month before the one `now` falls in, in `timezone`: the latest month that is over."""
    return previous_month(local_month(now, timezone))


def is_over(month: dt.date, now: dt.datetime, timezone: str) -> bool:
    return month < local_month(now, timezone)
