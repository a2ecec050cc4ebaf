"""The monthly scorecard's feedback numbers: per department, months in project time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bot.app import Deps
from bot.services import feedback
from tests.conftest import LEAD
from tests.factories import Made, add_feedback, make_project
from tests.fake_slack import TEAM_ID


def give(deps: Deps, made: Made, at: dt.datetime, rating: int, *, anonymous: bool = False) -> int:
    return add_feedback(deps, made, rating, comment="月度评估用", anonymous=anonymous, now=at)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_monthly_ratings_use_the_project_month(deps: Deps) -> None:
    made = make_project(deps)  # Asia/Shanghai, UTC+8
    first = give(deps, made, utc(2026, 10, 31, 17, 0), 4)  # 1 Nov 01:00 in Shanghai
    give(deps, made, utc(2026, 11, 30, 15, 59), 2, anonymous=True)  # 30 Nov 23:59
    give(deps, made, utc(2026, 11, 30, 16, 0), 1)  # 1 Dec 00:00: next month
    give(deps, made, utc(2026, 10, 31, 15, 0), 5)  # 31 Oct 23:00: last month
    with deps.uow() as uow:
        feedback.acknowledge(
            uow, team_id=TEAM_ID, feedback_id=first, user_id=LEAD, now=utc(2026, 11, 2)
        )
    with deps.uow() as uow:
        ratings = feedback.monthly_ratings(uow, project_id=made.project_id, year=2026, month=11)
    finance = ratings[made.departments["finance"]]
    assert (finance.count, finance.mean, finance.acknowledged) == (2, Decimal("3.00"), 1)
    assert finance.acknowledgement_rate == Decimal("0.5000")
    legal = ratings[made.departments["legal"]]
    assert (legal.count, legal.mean, legal.acknowledgement_rate) == (0, None, None)
    assert len(ratings) == 7


def test_december_rolls_into_the_next_year() -> None:
    start, end = feedback.month_bounds(2026, 12, "Asia/Shanghai")
    assert (start, end) == (utc(2026, 11, 30, 16), utc(2026, 12, 31, 16))


def test_anonymous_time_is_the_start_of_the_local_day() -> None:
    assert feedback.start_of_day(utc(2026, 11, 12, 20, 30), "Asia/Shanghai") == utc(
        2026, 11, 12, 16
    )
