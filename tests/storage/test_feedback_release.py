"""Anonymous feedback's wait and release against the database: when it is released, in what
order, and that two releases racing never insert it twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.app import Deps
from bot.errors import FieldErrors
from bot.forms import Form
from bot.services import digest, feedback
from bot.services.feedback import FeedbackField, Held
from storage.models import AuditLog, Feedback, FeedbackPending, Project
from tests.conftest import MEMBER
from tests.factories import Made, add_feedback, make_project
from tests.fake_slack import TEAM_ID

ZONE = ZoneInfo("Asia/Shanghai")


def form(made: Made, comment: str = "x", rating: str = "3") -> Form[FeedbackField]:
    return Form.of(
        FeedbackField,
        to_department=str(made.departments["finance"]),
        from_department=str(made.departments["engineering"]),
        rating=rating,
        comment=comment,
        anonymous=True,
    )


def give(deps: Deps, made: Made, at: dt.datetime, given: Form[FeedbackField]) -> object:
    with deps.uow() as uow:
        return feedback.give_feedback(
            uow, team_id=TEAM_ID, project_id=made.project_id, user_id=MEMBER, form=given, now=at
        )


def hold(deps: Deps, made: Made, at: dt.datetime, comment: str = "x") -> Held:
    held = give(deps, made, at, form(made, comment))
    assert isinstance(held, Held)
    return held


def project(uow: object, made: Made) -> Project:
    found = uow.session.get(Project, made.project_id)  # type: ignore[attr-defined]
    assert found is not None
    return found


def anonymous_rows(deps: Deps) -> list[Feedback]:
    with deps.uow() as uow:
        rows = list(uow.session.scalars(select(Feedback).where(Feedback.anonymous)).all())
        uow.session.expunge_all()
        return rows


def test_feedback_after_the_release_hour_waits_for_tomorrows(deps: Deps) -> None:
    made = make_project(deps)
    evening = dt.datetime(2026, 12, 1, 19, 30, tzinfo=ZONE)
    held = hold(deps, made, evening.astimezone(dt.UTC), comment="晚上的意见")
    assert (held.release_on, held.today) == (dt.date(2026, 12, 2), False)
    assert held.release_at == dt.datetime(2026, 12, 2, 18, tzinfo=ZONE)
    with deps.uow() as uow:
        assert feedback.release_held(uow, project(uow, made), dt.date(2026, 12, 1)) == []
        uow.commit()
    assert anonymous_rows(deps) == []
    with deps.uow() as uow:
        [item] = feedback.release_held(uow, project(uow, made), dt.date(2026, 12, 2))
        uow.commit()
    # Stamped with the day it was given, not the day it was released.
    assert item.created_at == dt.datetime(2026, 12, 1, tzinfo=ZONE)
    assert item.comment == "晚上的意见" and item.author_user_id is None


def test_bad_anonymous_feedback_is_refused_and_nothing_waits(deps: Deps) -> None:
    made = make_project(deps)
    with pytest.raises(FieldErrors):
        give(deps, made, deps.now(), form(made, rating="9"))
    with deps.uow() as uow:
        assert uow.session.scalars(select(FeedbackPending)).all() == []


def test_the_release_order_is_not_the_order_given(deps: Deps) -> None:
    made = make_project(deps)
    morning = dt.datetime(2026, 12, 1, 8, tzinfo=ZONE).astimezone(dt.UTC)
    given = [f"item-{n}" for n in range(8)]
    for n, comment in enumerate(given):
        hold(deps, made, morning + dt.timedelta(minutes=n), comment=comment)
    with deps.uow() as uow:
        released = feedback.release_held(uow, project(uow, made), dt.date(2026, 12, 1))
        uow.commit()
    by_id = [r.comment for r in sorted(released, key=lambda r: r.id)]
    assert sorted(by_id) == given
    assert by_id != given  # shuffled (1 chance in 40320 of matching by luck)
    with deps.uow() as uow:
        audit = uow.session.scalars(select(AuditLog).where(AuditLog.actor == "anonymous")).all()
        assert len(audit) == len(given)


def test_two_releases_racing_insert_each_feedback_once(deps: Deps) -> None:
    if deps.engine.dialect.name == "sqlite":
        pytest.skip("SQLite units of work begin IMMEDIATE: two releases cannot interleave")
    made = make_project(deps)
    hold(deps, made, dt.datetime(2026, 12, 1, 9, tzinfo=ZONE).astimezone(dt.UTC))
    day = dt.date(2026, 12, 1)
    late = deps.uow()
    with late:
        # The late one has looked at what waits (its snapshot begins) before the first commits.
        assert len(late.feedback.held(made.project_id, through=day)) == 1
        with deps.uow() as first:
            assert len(feedback.release_held(first, project(first, made), day)) == 1
            first.commit()
        try:
            again = feedback.release_held(late, project(late, made), day)
        except feedback.ReleasedElsewhere:
            late.rollback()  # its DELETE waited for the first commit, then found nothing
        else:
            assert again == []
            late.commit()
    assert len(anonymous_rows(deps)) == 1


def test_the_digest_counts_anonymous_ratings_only_as_a_group(deps: Deps) -> None:
    made = make_project(deps, anonymity=(3, 3))
    day = dt.datetime(2026, 12, 1, 10, tzinfo=ZONE).astimezone(dt.UTC)
    digest_at = dt.datetime(2026, 12, 7, 9, tzinfo=ZONE)
    add_feedback(deps, made, 4, now=day)
    for rating in (1, 1):
        add_feedback(deps, made, rating, anonymous=True, now=day)
    with deps.uow() as uow:
        week = digest.weekly(uow, project_id=made.project_id, at=digest_at)
    # Two anonymous ratings are fewer than three: the figure is the named one alone.
    assert (week.feedback_count, week.feedback_mean) == (1, Decimal("4.00"))
    add_feedback(deps, made, 1, anonymous=True, now=day)
    with deps.uow() as uow:
        week = digest.weekly(uow, project_id=made.project_id, at=digest_at)
    assert (week.feedback_count, week.feedback_mean) == (4, Decimal("1.75"))
