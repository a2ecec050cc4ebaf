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
