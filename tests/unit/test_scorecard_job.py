"""The monthly scorecard is a registered job: the 1st at 09:00 project time, keyed by month."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from jobs import load_all
from jobs.registry import REGISTRY, next_fire


def test_fires_on_the_first_at_nine_project_time_for_the_month_before() -> None:
    load_all()
    kind = REGISTRY["monthly_scorecard"]
    project: Any = SimpleNamespace(timezone="Asia/Shanghai")
    trigger = kind.trigger(project)
    assert trigger is not None
    fire = next_fire(trigger, dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC))
    assert fire == dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai
    assert kind.period_key(project, fire) == "2026-11"
    january = next_fire(trigger, dt.datetime(2026, 12, 15, tzinfo=dt.UTC))
    assert january is not None and kind.period_key(project, january) == "2026-12"
