"""A curious admin differences scorecards (look after look, provisional against final, the
month against a survey's own results) to recover a small group's answers, and fails."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bot.app import Deps
from bot.services import scorecard, surveys
from bot.services.scorecard import Measured
from tests.conftest import PM, Clock
from tests.factories import Made, make_project, set_department
from tests.fake_slack import TEAM_ID
from tests.scorecard_fixture import RESPONDENTS, Fixture, _survey
from tests.storage.test_feedback_ratings import give

NOV = dt.date(2026, 11, 1)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def finance_of(made: Made, card: scorecard.Scorecard) -> Measured:
    return next(
        line.measured for line in card.lines if line.department_id == made.departments["finance"]
    )


def look(deps: Deps, made: Made, when: dt.datetime) -> Measured:
    """What anyone sees of finance's month with `/icrm scorecard` at `when`."""
    with deps.uow() as uow:
        card = scorecard.show(
            uow, team_id=TEAM_ID, project_id=made.project_id, user_id=PM, month=NOV, now=when
        )
        return finance_of(made, card)


def total(m: Measured) -> Decimal:
    """The sum of ratings a look reveals: count × mean."""
    return (m.feedback_mean or Decimal(0)) * m.feedback_count


def test_looking_day_after_day_never_isolates_an_anonymous_rating(deps: Deps) -> None:
    made = make_project(deps)  # minimum 5
    for day in range(2, 8):  # six named ratings of 4
        give(deps, made, utc(2026, 11, day, 3), 4)
    before = look(deps, made, utc(2026, 11, 10, 3))
    give(deps, made, utc(2026, 11, 10, 4), 1, anonymous=True)  # someone is angry
    after = look(deps, made, utc(2026, 11, 10, 5))
    # The difference between two looks is nothing at all: anonymous feedback waits.
    assert (
        (after.feedback_count, total(after))
        == (before.feedback_count, total(before))
        == (
            6,
            Decimal("24.00"),
        )
    )
    # The month over: one anonymous rating is fewer than the minimum, so it stays out and
    # the stored month minus the last look is still nothing.
    final = look(deps, made, utc(2026, 12, 1, 3))
    assert (final.feedback_count, total(final)) == (6, Decimal("24.00"))


def test_anonymous_feedback_joins_the_month_only_as_a_group(deps: Deps) -> None:
    made = make_project(deps)  # minimum 5
    give(deps, made, utc(2026, 11, 2, 3), 4)
    last_look = look(deps, made, utc(2026, 11, 2, 4))
    for day in range(3, 8):  # five anonymous ratings
        give(deps, made, utc(2026, 11, day, 3), 2 if day % 2 else 1, anonymous=True)
    assert look(deps, made, utc(2026, 11, 29, 3)) == last_look
    final = look(deps, made, utc(2026, 12, 1, 3))
    newcomers = final.feedback_count - last_look.feedback_count
    assert newcomers == 5  # the difference describes the whole group, never fewer than 5
    assert total(final) - total(last_look) == Decimal(2 + 1 + 2 + 1 + 2)


def _staff(deps: Deps, clock: Clock) -> Fixture:
    made = make_project(deps, anonymity=(3, 5))
    set_department(deps, made, "engineering", members=RESPONDENTS)
    return Fixture(made, clock)


def test_the_month_minus_a_surveys_own_results_reveals_no_small_survey(
    deps: Deps, clock: Clock
) -> None:
    fx = _staff(deps, clock)  # minimum 3
    made = fx.made
    _survey(deps, fx, "csat", [5, 5, 4, 4, 2, 1])  # 6 answers: published
    _survey(deps, fx, "csat", [1, 1])  # 2 answers: never published
    clock.frozen = utc(2026, 11, 21)
    with deps.uow() as uow:
        surveys.close_due(uow, deps.now())
    with deps.uow() as uow:
        big, small = (
            surveys.compute_results(uow, survey)
            for survey in sorted(uow.surveys.for_project(made.project_id), key=lambda s: s.id)
        )
    assert small.hidden and not big.hidden
    published = big.departments[0].csat
    assert published is not None and published.csat is not None and published.n == 6
    month = look(deps, made, utc(2026, 12, 1, 3))
    # The admin subtracts the big survey's published figure from the month's: nothing is left.
    assert month.survey_csat_respondents == published.n
    assert month.survey_csat == Decimal(str(float(published.csat) * 100)).quantize(Decimal("0.01"))
