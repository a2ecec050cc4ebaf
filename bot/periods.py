"""Fortnightly report periods: 14-day blocks counted from a project's anchor date.

This is the one place periods are computed. A period is a run of 14 calendar days in the
project's timezone; period 0 starts on the anchor date, period -1 ends the day before it.
Day arithmetic on `datetime.date` (never ISO weeks) keeps year ends and leap days right, and
instants are built with `zoneinfo` from local calendar dates, so a period that spans a DST
change is still exactly 14 local days (13 × 24 h ± 1 h of real time).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final, Protocol
from zoneinfo import ZoneInfo

PERIOD_DAYS: Final = 14


def today_in(timezone: str, now: dt.datetime) -> dt.date:
    """The calendar date of the instant `now` in `timezone`."""
    return now.astimezone(ZoneInfo(timezone)).date()


class _Zoned(Protocol):
    @property
    def timezone(self) -> str: ...


def project_today(project: _Zoned, now: dt.datetime) -> dt.date:
    """ "Today" in project time: the date of the instant `now` in `project.timezone` (the one
    helper for it; a job's period day is `project_today(project, due)`)."""
    return today_in(project.timezone, now)


def local_midnight(day: dt.date, timezone: str) -> dt.datetime:
    """The first instant of `day` in `timezone`, as an aware UTC datetime.

    Where a DST gap swallows midnight (a few zones switch at 00:00) this is the first
    instant after the gap: zoneinfo reads a non-existent wall time with the offset before
    the change, which lands past the gap once converted to UTC.
    """
    return dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(timezone)).astimezone(dt.UTC)


def day_ends_at(day: dt.date, timezone: str) -> dt.datetime:
    """The instant `day` ends in `timezone`: local midnight of the day after (UTC-aware)."""
    return local_midnight(day + dt.timedelta(days=1), timezone)


def days_bounds(first: dt.date, last: dt.date, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the days `first` to `last` (inclusive) in `timezone`, as aware UTC
    datetimes."""
    return local_midnight(first, timezone), day_ends_at(last, timezone)


def month_bounds(year: int, month: int, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a calendar month in `timezone`, as aware UTC datetimes."""
    first = dt.date(year, month, 1)
    after = dt.date(year + month // 12, month % 12 + 1, 1)
    return local_midnight(first, timezone), local_midnight(after, timezone)


@dataclass(frozen=True, order=True)
class Period:
    """The `index`-th 14-day period from `anchor` (negative before the anchor)."""

    anchor: dt.date
    index: int

    @property
    def start(self) -> dt.date:
        """The period's first day."""
        return self.anchor + dt.timedelta(days=PERIOD_DAYS * self.index)

    @property
    def end(self) -> dt.date:
        """The period's last day (inclusive)."""
        return self.start + dt.timedelta(days=PERIOD_DAYS - 1)

    @property
    def key(self) -> str:
        """A stable key naming the period (its first day, `2026-11-02`), for exactly-once runs."""
        return self.start.isoformat()

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> Period:
        return Period(self.anchor, self.index + 1)

    def previous(self) -> Period:
        return Period(self.anchor, self.index - 1)

    def starts_at(self, timezone: str) -> dt.datetime:
        """The instant the period opens: local midnight of its first day (UTC-aware)."""
        return local_midnight(self.start, timezone)

    def ends_at(self, timezone: str) -> dt.datetime:
        """The instant the period closes: local midnight after its last day (UTC-aware)."""
        return day_ends_at(self.end, timezone)

    def due_at(self, timezone: str, due_days: int) -> dt.datetime:
        """When the period's report is due: `due_days` local calendar days after it closes."""
        return local_midnight(self.end + dt.timedelta(days=1 + due_days), timezone)


def period_of(anchor: dt.date, day: dt.date) -> Period:
    """The period containing `day` (floor division, so days before the anchor work too)."""
    return Period(anchor, (day - anchor).days // PERIOD_DAYS)


def period_at(anchor: dt.date, instant: dt.datetime, timezone: str) -> Period:
    """The period containing `instant` (aware) as seen on the project's local calendar."""
    if instant.tzinfo is None:
        raise ValueError("period_at needs an aware datetime")
    return period_of(anchor, instant.astimezone(ZoneInfo(timezone)).date())


def period_by_key(anchor: dt.date, key: str) -> Period:
    """The period a `Period.key` names; `ValueError` if the key is not a period start."""
    start = dt.date.fromisoformat(key)
    period = period_of(anchor, start)
    if period.start != start:
        raise ValueError(f"{key} does not start a period anchored on {anchor.isoformat()}")
    return period


def last_closed(anchor: dt.date, instant: dt.datetime, timezone: str) -> Period:
    """The most recent period that had closed by `instant`."""
    return period_at(anchor, instant, timezone).previous()
