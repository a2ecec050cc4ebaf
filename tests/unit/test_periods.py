"""14-day report periods from a project's anchor date."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.periods import (
    PERIOD_DAYS,
    Period,
    last_closed,
    local_midnight,
    period_at,
    period_by_key,
    period_of,
)

D = dt.date
ANCHOR = D(2026, 11, 2)


@pytest.mark.parametrize(
    ("day", "index", "start", "end"),
    [
        (D(2026, 11, 2), 0, D(2026, 11, 2), D(2026, 11, 15)),
        (D(2026, 11, 15), 0, D(2026, 11, 2), D(2026, 11, 15)),
        (D(2026, 11, 16), 1, D(2026, 11, 16), D(2026, 11, 29)),
        # across the year end
        (D(2026, 12, 31), 4, D(2026, 12, 28), D(2027, 1, 10)),
        (D(2027, 1, 1), 4, D(2026, 12, 28), D(2027, 1, 10)),
        (D(2027, 1, 11), 5, D(2027, 1, 11), D(2027, 1, 24)),
        # before the anchor: negative indexes, still 14-day blocks ending the day before
        (D(2026, 11, 1), -1, D(2026, 10, 19), D(2026, 11, 1)),
        (D(2026, 10, 19), -1, D(2026, 10, 19), D(2026, 11, 1)),
        (D(2026, 10, 18), -2, D(2026, 10, 5), D(2026, 10, 18)),
        (D(2025, 1, 1), -48, D(2024, 12, 30), D(2025, 1, 12)),
    ],
)
def test_period_of_a_day(day: dt.date, index: int, start: dt.date, end: dt.date) -> None:
    period = period_of(ANCHOR, day)
    assert (period.index, period.start, period.end) == (index, start, end)
    assert period.contains(day)
    assert period.key == start.isoformat()


def test_leap_day_2028_is_inside_a_14_day_period() -> None:
    anchor = D(2028, 2, 21)
    period = period_of(anchor, D(2028, 2, 29))
    assert (period.start, period.end) == (D(2028, 2, 21), D(2028, 3, 5))
    assert (period.end - period.start).days == PERIOD_DAYS - 1
    assert period_of(anchor, D(2028, 3, 5)) == period
    assert period_of(anchor, D(2028, 3, 6)) == period.next()


def test_anchor_on_a_leap_day_keeps_counting_in_days() -> None:
    anchor = D(2028, 2, 29)
    assert period_of(anchor, D(2028, 3, 14)).start == D(2028, 3, 14)
    assert period_of(anchor, D(2029, 2, 28)).start == D(2029, 2, 27)  # 26 × 14 = 364 days
    assert period_of(anchor, D(2028, 2, 28)).start == D(2028, 2, 15)


def test_periods_tile_the_calendar_without_gaps_or_overlaps() -> None:
    period = period_of(ANCHOR, D(2025, 12, 1))
    day = period.start
    for _ in range(60):
        nxt = period.next()
        assert nxt.start == period.end + dt.timedelta(days=1)
        assert nxt.previous() == period
        for offset in range(PERIOD_DAYS):
            assert period_of(ANCHOR, day + dt.timedelta(days=offset)) == period
        day, period = nxt.start, nxt


def test_no_iso_week_arithmetic_week_53_years() -> None:
    # 2026 has an ISO week 53; counting days, the period across it is still 14 days.
    period = period_of(D(2026, 12, 21), D(2027, 1, 3))
    assert (period.start, period.end) == (D(2026, 12, 21), D(2027, 1, 3))


def test_key_round_trips_and_rejects_misaligned_keys() -> None:
    period = period_of(ANCHOR, D(2027, 3, 3))
    assert period_by_key(ANCHOR, period.key) == period
    assert period_by_key(ANCHOR, "2026-10-19") == Period(ANCHOR, -1)
    with pytest.raises(ValueError):
        period_by_key(ANCHOR, "2026-11-03")
    with pytest.raises(ValueError):
        period_by_key(ANCHOR, "not-a-date")


def test_end_instant_in_shanghai() -> None:
    period = Period(ANCHOR, 0)
    assert period.ends_at("Asia/Shanghai") == dt.datetime(2026, 11, 15, 16, 0, tzinfo=dt.UTC)
    assert period.starts_at("Asia/Shanghai") == dt.datetime(2026, 11, 1, 16, 0, tzinfo=dt.UTC)
    assert period.due_at("Asia/Shanghai", 2) == dt.datetime(2026, 11, 17, 16, 0, tzinfo=dt.UTC)


def test_new_york_period_across_the_november_dst_change_is_14_local_days() -> None:
    # US DST ended on 2026-11-01: the period from 2026-10-26 has one 25-hour day.
    period = period_of(D(2026, 10, 26), D(2026, 11, 1))
    start, end = period.starts_at("America/New_York"), period.ends_at("America/New_York")
    assert start == dt.datetime(2026, 10, 26, 4, 0, tzinfo=dt.UTC)  # EDT, UTC-4
    assert end == dt.datetime(2026, 11, 9, 5, 0, tzinfo=dt.UTC)  # EST, UTC-5
    assert end - start == dt.timedelta(days=14, hours=1)


def test_new_york_period_across_the_march_dst_change() -> None:
    # US DST starts 2027-03-14 02:00: one 23-hour day.
    period = period_of(D(2027, 3, 8), D(2027, 3, 14))
    start, end = period.starts_at("America/New_York"), period.ends_at("America/New_York")
    assert end - start == dt.timedelta(days=14, hours=-1)
    assert end.astimezone(dt.timezone(dt.timedelta(hours=-4))).time() == dt.time(0)


def test_london_period_across_the_october_change() -> None:
    # UK summer time ended 2026-10-25 01:00 UTC.
    period = period_of(D(2026, 10, 19), D(2026, 10, 25))
    start, end = period.starts_at("Europe/London"), period.ends_at("Europe/London")
    assert start == dt.datetime(2026, 10, 18, 23, 0, tzinfo=dt.UTC)  # BST
    assert end == dt.datetime(2026, 11, 2, 0, 0, tzinfo=dt.UTC)  # GMT
    assert period.due_at("Europe/London", 2) == dt.datetime(2026, 11, 4, 0, 0, tzinfo=dt.UTC)


def test_london_due_instant_after_the_march_change() -> None:
    # Closes on GMT, due after the change to BST on 2027-03-28.
    period = period_of(D(2027, 3, 14), D(2027, 3, 20))
    assert period.ends_at("Europe/London") == dt.datetime(2027, 3, 28, 0, 0, tzinfo=dt.UTC)
    assert period.due_at("Europe/London", 2) == dt.datetime(2027, 3, 29, 23, 0, tzinfo=dt.UTC)


def test_period_at_uses_the_project_calendar_not_utc() -> None:
    # 2026-11-15 17:00 UTC is already 2026-11-16 01:00 in Shanghai: the next period.
    instant = dt.datetime(2026, 11, 15, 17, 0, tzinfo=dt.UTC)
    assert period_at(ANCHOR, instant, "Asia/Shanghai").index == 1
    assert period_at(ANCHOR, instant, "America/New_York").index == 0
    assert period_at(ANCHOR, Period(ANCHOR, 3).ends_at("Asia/Shanghai"), "Asia/Shanghai").index == 4
    assert last_closed(ANCHOR, instant, "Asia/Shanghai") == Period(ANCHOR, 0)
    with pytest.raises(ValueError):
        period_at(ANCHOR, dt.datetime(2026, 11, 15), "Asia/Shanghai")


def test_local_midnight_in_a_zone_whose_dst_gap_is_at_midnight() -> None:
    # Chile moved clocks forward at 00:00 on 2026-09-06: that midnight does not exist.
    instant = local_midnight(D(2026, 9, 6), "America/Santiago")
    assert instant.astimezone(dt.timezone(dt.timedelta(hours=-3))) == dt.datetime(
        2026, 9, 6, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3))
    )
