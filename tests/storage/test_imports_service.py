"""The import service on a real database (SQLite, or PostgreSQL with ICRM_TEST_DB=postgres):
one transaction, idempotent, running totals kept, one audit and webhook event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select

from bot.app import Deps
from bot.errors import PermissionDenied
from bot.i18n import translator
from bot.imports.parse import Parsed, parse_file
from bot.imports.schema import Table
from bot.services import imports
from storage.models import AuditLog, BudgetLine, Department, FundDay, FundEntry, WebhookOutbox
from storage.uow import UnitOfWork
from tests.conftest import LEAD, MEMBER, PM
from tests.factories import Made, make_project
from tests.fake_slack import TEAM_ID

NOW = dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC)
EN = translator("en")


def parsed(text: str, tables: tuple[Table, ...] = tuple(Table)) -> Parsed:
    return parse_file("f.csv", text.encode(), tables=tables, currency="CNY", today=NOW.date())


def apply(
    deps: Deps, made: Made, text: str, *, webhooks: bool = False, **users: str | None
) -> imports.Plan:
    with UnitOfWork(deps.session_factory, now=deps.now, webhooks=webhooks) as uow:
        return imports.apply_import(
            uow,
            team_id=TEAM_ID,
            project_id=made.project_id,
            user_id=PM,
            parsed=parsed(text),
            users=dict(users),
            now=NOW,
            file_ref="F1",
        )


HISTORY = (
    "Budget line,Amount,Date paid,Purpose,Reference\n"
    "Construction works,500000,2026-11-01,Piles,INV-1\n"
    "Construction works,50000,2026-11-01,Piles,INV-2\n"
)


def test_history_keeps_the_running_totals_and_posts_no_alert(deps: Deps) -> None:
    made = make_project(deps)
    plan = apply(deps, made, HISTORY, webhooks=True)
    assert plan.summary() == {"history": {"create": 2, "update": 0, "unchanged": 0}}
    with deps.uow() as uow:
        line = uow.session.get(BudgetLine, made.lines["Construction works"])
        assert line is not None and line.spent == Decimal("550000.00")
        # 550k of 600k is past 90 %: recorded as announced, so the next entry does not alert.
        assert line.alerted_percent == 90
        [day] = uow.session.scalars(select(FundDay)).all()
        assert (day.spent_on, day.amount) == (dt.date(2026, 11, 1), Decimal("550000.00"))
        [event] = uow.session.scalars(select(WebhookOutbox)).all()
        assert event.payload["type"] == "import.apply"
        assert event.payload["data"]["history"]["create"] == 2

    again = apply(deps, made, HISTORY, webhooks=True)
    assert again.changes == 0 and again.counts[Table.HISTORY].unchanged == 2
    with deps.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(FundEntry)) == 2
        assert uow.session.scalar(select(func.count()).select_from(WebhookOutbox)) == 1
        assert (
            uow.session.scalar(
                select(func.count()).select_from(AuditLog).where(AuditLog.entity == "import")
            )
            == 1
        )


def test_one_problem_and_nothing_is_saved(deps: Deps) -> None:
    made = make_project(deps)
    text = HISTORY + "Nowhere,5,2026-11-01,x,INV-3\n"
    plan = apply(deps, made, text)
    assert [EN(p.message) for p in plan.problems] == [
        "There is no budget line “Nowhere” in the project or the file."
    ]
    with deps.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(FundEntry)) == 0


def test_departments_are_matched_by_name_and_updated(deps: Deps) -> None:
    made = make_project(deps)
    with deps.uow() as uow:
        finance = uow.session.get(Department, made.departments["finance"])
        assert finance is not None
        name = finance.name
    text = f'Department,Kind,Lead,Members\n{name.upper()},finance,{MEMBER},"{MEMBER}, {LEAD}"\n'
    plan = apply(deps, made, text, **{MEMBER: MEMBER, LEAD: LEAD})
    assert plan.summary() == {"departments": {"create": 0, "update": 1, "unchanged": 0}}
    with deps.uow() as uow:
        finance = uow.session.get(Department, made.departments["finance"])
        assert finance is not None
        assert finance.lead_user_id == MEMBER and sorted(finance.member_ids) == [LEAD, MEMBER]


def test_drawdowns_beyond_the_commitment_are_refused(deps: Deps) -> None:
    made = make_project(deps)
    text = "Funding source,Drawdown amount,Drawdown date\nBank,60,2026-11-01\nBank,50,2026-11-02\n"
    sources = "Funding source,Kind,Committed\nBank,senior_debt,100\n"
    assert not apply(deps, made, sources).problems
    plan = apply(deps, made, text)
    assert [EN(p.message) for p in plan.problems] == [
        "The drawdowns exceed what is committed from “Bank”."
    ]


def test_only_pms_and_the_finance_lead(deps: Deps) -> None:
    made = make_project(deps)
    with UnitOfWork(deps.session_factory, now=deps.now) as uow:
        try:
            imports.plan_import(
                uow,
                team_id=TEAM_ID,
                project_id=made.project_id,
                user_id=MEMBER,
                parsed=parsed(HISTORY),
                users={},
                now=NOW,
            )
        except PermissionDenied:
            pass
        else:
            raise AssertionError("a member may not import")
    assert not apply(deps, made, HISTORY).problems  # the PM may
