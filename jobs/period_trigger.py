"""A trigger firing once per 14-day report period (`bot.periods`), a fixed delay after the
period closes: `after_days` local calendar days (DST-proof, like the report's due date),
then `after_hours` real hours. Its `period_of` maps a fire time back to its period."""

from __future__ import annotations

import datetime as dt

from apscheduler.triggers.base import BaseTrigger

from bot.periods import PERIOD_DAYS, Period, local_midnight, period_at


class PeriodTrigger(BaseTrigger):  # type: ignore[misc]
    def __init__(
        self, anchor: dt.date, timezone: str, *, after_days: int = 0, after_hours: int = 0
    ) -> None:
        self.anchor = anchor
        self.timezone = timezone
        self.after_days = after_days
        self.after_hours = after_hours
        # How many periods a fire time can lag behind the period it belongs to.
        self._lag = 1 + (after_days + after_hours // 24 + 1) // PERIOD_DAYS

    def fire_of(self, period: Period) -> dt.datetime:
        closes = period.end + dt.timedelta(days=1 + self.after_days)
        return local_midnight(closes, self.timezone) + dt.timedelta(hours=self.after_hours)

    def period_of(self, fire: dt.datetime) -> Period:
        """The period whose fire time is the latest at or before `fire`."""
        period = period_at(self.anchor, fire, self.timezone)
        for _ in range(self._lag + 1):
            period = period.previous()
        while self.fire_of(period.next()) <= fire:
            period = period.next()
        return period

    def get_next_fire_time(
        self, previous_fire_time: dt.datetime | None, now: dt.datetime
    ) -> dt.datetime | None:
        period = self.period_of(now)
        fire = self.fire_of(period)
        return fire if fire >= now else self.fire_of(period.next())

    def __repr__(self) -> str:
        return (
            f"<PeriodTrigger (anchor='{self.anchor.isoformat()}', timezone='{self.timezone}', "
            f"after_days={self.after_days}, after_hours={self.after_hours})>"
        )
