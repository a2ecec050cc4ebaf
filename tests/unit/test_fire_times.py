"""Fire times of weekly jobs in the project's timezone, across DST changes."""

from __future__ import annotations

import datetime as dt

import pytest

from jobs.meeting_reminder import period_key, trigger
from jobs.registry import last_fire, next_fire
from storage.models import Project

UTC = dt.UTC


def project(tz: str, weekday: int = 0, at: dt.time = dt.time(10, 0), lead: int = 60) -> Project:
    return Project(
        timezone=tz, meeting_weekday=weekday, meeting_time=at, reminder_lead_minutes=lead
    )


def fires(p: Project, start: dt.datetime, count: int) -> list[dt.datetime]:
    out, at = [], start
    for _ in range(count):
        fire = next_fire(trigger(p), at)
        assert fire is not None
        out.append(fire)
        at = fire
    return out


def test_new_york_keeps_local_time_across_both_dst_changes() -> None:
    p = project("America/New_York")  # Monday 10:00, reminded at 09:00 local
    spring = fires(p, dt.datetime(2026, 3, 1, tzinfo=UTC), 2)  # DST starts Sun 8 March
    assert spring == [
        dt.datetime(2026, 3, 2, 14, 0, tzinfo=UTC),  # EST, UTC−5
        dt.datetime(2026, 3, 9, 13, 0, tzinfo=UTC),  # EDT, UTC−4
    ]
    autumn = fires(p, dt.datetime(2026, 10, 25, tzinfo=UTC), 2)  # DST ends Sun 1 November
    assert autumn == [
        dt.datetime(2026, 10, 26, 13, 0, tzinfo=UTC),
        dt.datetime(2026, 11, 2, 14, 0, tzinfo=UTC),
    ]


def test_london_keeps_local_time_across_both_dst_changes() -> None:
    p = project("Europe/London")
    spring = fires(p, dt.datetime(2026, 3, 22, tzinfo=UTC), 2)  # BST from Sun 29 March
    assert spring == [
        dt.datetime(2026, 3, 23, 9, 0, tzinfo=UTC),
        dt.datetime(2026, 3, 30, 8, 0, tzinfo=UTC),
    ]
    autumn = fires(p, dt.datetime(2026, 10, 19, tzinfo=UTC), 2)  # GMT from Sun 25 October
    assert autumn == [
        dt.datetime(2026, 10, 19, 8, 0, tzinfo=UTC),
        dt.datetime(2026, 10, 26, 9, 0, tzinfo=UTC),
    ]


def test_shanghai_has_no_dst() -> None:
    p = project("Asia/Shanghai")
    assert fires(p, dt.datetime(2026, 3, 1, tzinfo=UTC), 3) == [
        dt.datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
        dt.datetime(2026, 3, 9, 1, 0, tzinfo=UTC),
        dt.datetime(2026, 3, 16, 1, 0, tzinfo=UTC),
    ]


def test_lead_crossing_midnight_fires_the_day_before() -> None:
    p = project("Asia/Shanghai", weekday=0, at=dt.time(0, 30), lead=60)
    fire = next_fire(trigger(p), dt.datetime(2026, 3, 1, tzinfo=UTC))
    # Sunday 23:30 in Shanghai, for Monday's meeting.
    assert fire == dt.datetime(2026, 3, 1, 15, 30, tzinfo=UTC)
    assert period_key(p, fire) == "2026-03-02"


@pytest.mark.parametrize("tz", ["America/New_York", "Europe/London", "Asia/Shanghai"])
def test_period_is_the_meeting_date_and_last_fire_finds_it(tz: str) -> None:
    p = project(tz)
    fire = next_fire(trigger(p), dt.datetime(2026, 3, 5, tzinfo=UTC))
    assert fire is not None
    assert period_key(p, fire) == "2026-03-09"
    later = fire + dt.timedelta(days=2)
    assert last_fire(trigger(p), later, dt.timedelta(days=8)) == fire
    before = last_fire(trigger(p), fire - dt.timedelta(seconds=1), dt.timedelta(days=8))
    assert before is not None and period_key(p, before) == "2026-03-02"
