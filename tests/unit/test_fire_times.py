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


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "spring_from", "spring", "autumn_from", "autumn"),
    [
        pytest.param(  # Monday 10:00, reminded at 09:00 local
            "America/New_York",
            utc(2026, 3, 1),  # DST starts Sun 8 March
            [utc(2026, 3, 2, 14, 0), utc(2026, 3, 9, 13, 0)],  # EST, UTC−5; EDT, UTC−4
            utc(2026, 10, 25),  # DST ends Sun 1 November
            [utc(2026, 10, 26, 13, 0), utc(2026, 11, 2, 14, 0)],
            id="new_york",
        ),
        pytest.param(
            "Europe/London",
            utc(2026, 3, 22),  # BST from Sun 29 March
            [utc(2026, 3, 23, 9, 0), utc(2026, 3, 30, 8, 0)],
            utc(2026, 10, 19),  # GMT from Sun 25 October
            [utc(2026, 10, 19, 8, 0), utc(2026, 10, 26, 9, 0)],
            id="london",
        ),
    ],
)
def test_local_time_is_kept_across_both_dst_changes(
    zone: str,
    spring_from: dt.datetime,
    spring: list[dt.datetime],
    autumn_from: dt.datetime,
    autumn: list[dt.datetime],
) -> None:
    p = project(zone)
    assert fires(p, spring_from, 2) == spring
    assert fires(p, autumn_from, 2) == autumn


def test_shanghai_has_no_dst() -> None:
    p = project("Asia/Shanghai")
    assert fires(p, utc(2026, 3, 1), 3) == [
        utc(2026, 3, 2, 1, 0),
        utc(2026, 3, 9, 1, 0),
        utc(2026, 3, 16, 1, 0),
    ]


def test_lead_crossing_midnight_fires_the_day_before() -> None:
    p = project("Asia/Shanghai", weekday=0, at=dt.time(0, 30), lead=60)
    fire = next_fire(trigger(p), utc(2026, 3, 1))
    # Sunday 23:30 in Shanghai, for Monday's meeting.
    assert fire == utc(2026, 3, 1, 15, 30)
    assert period_key(p, fire) == "2026-03-02"


@pytest.mark.parametrize("tz", ["America/New_York", "Europe/London", "Asia/Shanghai"])
def test_period_is_the_meeting_date_and_last_fire_finds_it(tz: str) -> None:
    p = project(tz)
    fire = next_fire(trigger(p), utc(2026, 3, 5))
    assert fire is not None
    assert period_key(p, fire) == "2026-03-09"
    later = fire + dt.timedelta(days=2)
    assert last_fire(trigger(p), later, dt.timedelta(days=8)) == fire
    before = last_fire(trigger(p), fire - dt.timedelta(seconds=1), dt.timedelta(days=8))
    assert before is not None and period_key(p, before) == "2026-03-02"
