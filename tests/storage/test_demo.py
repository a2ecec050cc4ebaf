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
        lines = uow.projects.budget_lines(project.id)
        assert len(lines) == 7
        assert sum((line.allocated for line in lines), Decimal(0)) == project.total_budget


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
