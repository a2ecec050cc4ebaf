"""The demo loads a realistic project, once."""

from __future__ import annotations

from decimal import Decimal

from bot.app import Deps
from bot.demo import DEMO_CODE, DEMO_TEAM, load_demo


def test_demo_loads_a_highway_ppp_once(deps: Deps) -> None:
    assert load_demo(deps) == DEMO_CODE
    assert load_demo(deps) == DEMO_CODE
    with deps.uow() as uow:
        project = uow.projects.by_code(DEMO_TEAM, DEMO_CODE)
        assert project is not None
        assert (project.currency, project.timezone, project.locale) == (
            "CNY",
            "Asia/Shanghai",
            "zh-Hans",
        )
        departments = uow.projects.departments(project.id)
        assert len(departments) == 7 and all(d.lead_user_id for d in departments)
        lines = uow.funds.lines(project.id)
        assert len(lines) == 7
        assert sum((line.allocated for line in lines), Decimal(0)) == project.total_budget


def test_demo_has_risks_in_every_state(deps: Deps) -> None:
    from bot.services import risks

    load_demo(deps)
    with deps.uow() as uow:
        project = uow.projects.by_code(DEMO_TEAM, DEMO_CODE)
        assert project is not None
        every = risks.list_risks(uow, project_id=project.id, scope=risks.Scope.ALL, user_id="")
    assert {c.status for c in every} == {"open", "mitigating", "closed"}
    assert any("资金链断裂" in c.title and c.escalated for c in every)
    assert [c.number for c in sorted(every, key=lambda c: c.number)] == list(range(1, 8))


def test_demo_has_a_closed_finance_csat_survey_with_shown_results(deps: Deps) -> None:
    from bot.services.surveys import compute_results
    from storage.models import Survey

    load_demo(deps)
    with deps.uow() as uow:
        closed, still_open = uow.session.query(Survey).order_by(Survey.id).all()
        assert still_open.closed_at is None
        assert still_open.opens_at <= deps.now() < still_open.closes_at
        assert 0 < uow.surveys.counts(still_open.id)[1] < uow.surveys.counts(still_open.id)[0]
        survey = closed
        assert survey.closed_at is not None and survey.template == "csat"
        results = compute_results(uow, survey)
        assert results.respondents == 10 and not results.hidden
        finance = results.departments[0]
        assert finance.csat is not None and finance.csat.csat is not None
        assert not finance.csat_hidden


def test_demo_has_feedback_some_anonymous_and_answered(deps: Deps) -> None:
    from sqlalchemy import select

    from storage.models import Feedback

    load_demo(deps)
    with deps.uow() as uow:
        rows = uow.session.scalars(select(Feedback)).all()
        assert len(rows) >= 5
        assert any(f.anonymous for f in rows) and any(not f.anonymous for f in rows)
        assert all(f.author_user_id is None for f in rows if f.anonymous)
        assert {f.status for f in rows} == {"new", "acknowledged", "resolved"}


def test_demo_has_fund_use_and_liquidity(deps: Deps) -> None:
    from bot.services import funds

    load_demo(deps)
    with deps.uow() as uow:
        project = uow.projects.by_code(DEMO_TEAM, DEMO_CODE)
        assert project is not None
        today = funds.project_today(project, deps.now())
        summary = funds.summary(uow, team_id=DEMO_TEAM, project_id=project.id, today=today)
        assert summary.spent == Decimal("108610000.00")  # the duplicate invoice is void
        names = [s.name for s in summary.liquidity.sources]
        assert names == ["资本金", "银团贷款"] and summary.liquidity.drawn == Decimal("180000000")


def test_demo_has_last_months_scorecard_stored(deps: Deps) -> None:
    from bot.services import scorecard

    load_demo(deps)
    with deps.uow() as uow:
        project = uow.projects.by_code(DEMO_TEAM, DEMO_CODE)
        assert project is not None
        month = scorecard.last_month(deps.now(), project.timezone)
        card = scorecard.compute_month(uow, project.id, month.year, month.month, now=deps.now())
        assert card.stored and card.posted_at is not None  # the job will not post it again
        assert card.lines[0].rank == 1 and card.lines[0].composite is not None
        trend = scorecard.trend(uow, project.id, month)
        assert len(trend.months) == 2 and trend.series
