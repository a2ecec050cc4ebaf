"""`periods.days_bounds` / `day_ends_at`: a run of local days as [start, end) instants."""

import datetime as dt

from bot.periods import day_ends_at, days_bounds, local_midnight


def test_a_run_of_days_ends_at_local_midnight_after_its_last_day() -> None:
    start, end = days_bounds(dt.date(2026, 3, 2), dt.date(2026, 3, 8), "Asia/Shanghai")
    assert start == dt.datetime(2026, 3, 1, 16, tzinfo=dt.UTC)
    assert end == dt.datetime(2026, 3, 8, 16, tzinfo=dt.UTC)


def test_a_day_across_a_dst_change_is_one_local_day() -> None:
    day = dt.date(2026, 3, 8)  # New York springs forward: a 23-hour day
    assert day_ends_at(day, "America/New_York") - local_midnight(day, "America/New_York") == (
        dt.timedelta(hours=23)
    )
