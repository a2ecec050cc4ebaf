"""Fire times of the report-period and digest jobs: DST changes, a year end, timezones."""

from __future__ import annotations

import datetime as dt

from jobs.daily import daily_trigger
from jobs.registry import REGISTRY, last_fire, next_fire
from jobs.reports import nudge_trigger, prompt_trigger, summary_trigger
from jobs.weekly_digest import period_key as digest_key
from jobs.weekly_digest import trigger as digest_trigger
from storage.models import Project

UTC = dt.UTC


def project(tz: str, anchor: dt.date, **kw: object) -> Project:
    values: dict[str, object] = {
        "timezone": tz,
        "report_anchor": anchor,
        "report_due_days": 2,
        "nudge_hours": 24,
        "digest_weekday": 0,
        "digest_time": dt.time(9, 0),
    }
    values.update(kw)
    return Project(**values)


def test_a_period_closing_across_the_spring_dst_change_closes_at_local_midnight() -> None:
    # New York: period 23 Feb – 8 Mar 2026; DST starts on Sunday 8 March.
    p = project("America/New_York", dt.date(2026, 2, 23))
    start = dt.datetime(2026, 2, 26, tzinfo=UTC)  # after the previous period's due date
    close = next_fire(prompt_trigger(p), start)
    assert close == dt.datetime(2026, 3, 9, 4, 0, tzinfo=UTC)  # 00:00 EDT
    assert next_fire(prompt_trigger(p), close) == dt.datetime(2026, 3, 23, 4, 0, tzinfo=UTC)
    assert next_fire(nudge_trigger(p), start) == close + dt.timedelta(hours=24)
    assert next_fire(summary_trigger(p), start) == dt.datetime(2026, 3, 11, 4, 0, tzinfo=UTC)
    for kind in ("report_prompt", "report_nudge", "report_summary"):
        fire = next_fire(REGISTRY[kind].trigger(p), start)
        assert fire is not None
        assert REGISTRY[kind].period_key(p, fire) == "2026-02-23"


def test_the_autumn_change_and_a_period_before_the_anchor() -> None:
    p = project("America/New_York", dt.date(2026, 11, 9))
    # The period 26 Oct – 8 Nov (before the anchor) closes after DST ended on 1 November.
    fire = next_fire(prompt_trigger(p), dt.datetime(2026, 11, 1, tzinfo=UTC))
    assert fire == dt.datetime(2026, 11, 9, 5, 0, tzinfo=UTC)  # 00:00 EST
    assert REGISTRY["report_prompt"].period_key(p, fire) == "2026-10-26"


def test_a_period_closing_at_the_year_end() -> None:
    p = project("Asia/Shanghai", dt.date(2026, 12, 21))  # 21 Dec – 3 Jan
    fire = next_fire(prompt_trigger(p), dt.datetime(2026, 12, 25, tzinfo=UTC))
    assert fire == dt.datetime(2027, 1, 3, 16, 0, tzinfo=UTC)  # 4 Jan 00:00 CST
    assert REGISTRY["report_prompt"].period_key(p, fire) == "2026-12-21"
    summary = next_fire(summary_trigger(p), fire)
    assert summary == dt.datetime(2027, 1, 5, 16, 0, tzinfo=UTC)
    assert REGISTRY["report_summary"].period_key(p, summary) == "2026-12-21"
    # A run on demand between two closes belongs to the last one.
    later = dt.datetime(2027, 1, 10, tzinfo=UTC)
    assert last_fire(prompt_trigger(p), later, dt.timedelta(days=15)) == fire


def test_digest_in_shanghai_and_new_york_keeps_local_time() -> None:
    shanghai = project("Asia/Shanghai", dt.date(2026, 1, 5))
    fire = next_fire(digest_trigger(shanghai), dt.datetime(2026, 3, 3, tzinfo=UTC))
    assert fire == dt.datetime(2026, 3, 9, 1, 0, tzinfo=UTC)  # Monday 09:00 CST
    assert digest_key(shanghai, fire) == "2026-W11"
    ny = project(
        "America/New_York",
        dt.date(2026, 1, 5),
        digest_weekday=4,
        digest_time=dt.time(17, 30),
    )
    before = next_fire(digest_trigger(ny), dt.datetime(2026, 3, 1, tzinfo=UTC))
    after = next_fire(digest_trigger(ny), before or dt.datetime(2026, 3, 1, tzinfo=UTC))
    assert before == dt.datetime(2026, 3, 6, 22, 30, tzinfo=UTC)  # Friday 17:30 EST
    assert after == dt.datetime(2026, 3, 13, 21, 30, tzinfo=UTC)  # Friday 17:30 EDT
    # Friday evening in New York is Saturday in UTC: the week is the local one.
    assert digest_key(ny, after) == "2026-W11"
    year_end = next_fire(digest_trigger(ny), dt.datetime(2027, 1, 1, 12, tzinfo=UTC))
    assert year_end is not None and digest_key(ny, year_end) == "2026-W53"


def test_daily_jobs_at_nine_local() -> None:
    p = project("America/New_York", dt.date(2026, 1, 5))
    fire = next_fire(daily_trigger(p), dt.datetime(2026, 3, 8, 12, tzinfo=UTC))
    assert fire == dt.datetime(2026, 3, 8, 13, 0, tzinfo=UTC)  # 09:00 EDT on the change day
    assert REGISTRY["risk_review"].period_key(p, fire) == "2026-03-08"
