"""Build records for tests through the services, without going through Slack."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from bot.app import Deps
from bot.services.fund_policy import OFF, Policy, set_policy
from bot.services.projects import ProjectForm, save_project
from storage.models import BudgetLine, DepartmentKind, DepartmentMember
from tests.conftest import CHANNEL, LEAD, MEMBER, PM
from tests.fake_slack import TEAM_ID


@dataclass(frozen=True)
class Made:
    project_id: int
    departments: dict[str, int]  # kind → department id
    lines: dict[str, int]  # budget line name → id


def make_project(
    deps: Deps,
    *,
    code: str = "HWY-42",
    channel: str = CHANNEL,
    pm: str = PM,
    locale: str = "en",
    currency: str = "CNY",
    timezone: str = "Asia/Shanghai",
    total_budget: str = "1000000",
    report_anchor: str = "2026-11-02",
    finance_lead: str = LEAD,
    engineering_member: str = MEMBER,
    budget: dict[str, Decimal] | None = None,
    policy: Policy = OFF,
    anonymity: tuple[int, int] | None = None,
) -> Made:
    """A project with the default departments; the finance lead and an engineering member
    set; budget lines (name → allocated) owned by finance. The fund-control `policy` is off
    (no approvals, tolerances or duplicate checks) unless a test gives one."""
    form = ProjectForm(
        code=code,
        name=f"Project {code}",
        currency=currency,
        total_budget=total_budget,
        timezone=timezone,
        locale=locale,
        meeting_weekday="0",
        meeting_time="10:00",
        report_anchor=report_anchor,
        pms=[pm],
    )
    with deps.uow() as uow:
        saved = save_project(uow, team_id=TEAM_ID, channel_id=channel, user_id=pm, form=form)
    with deps.uow() as uow:
        departments = {d.kind: d for d in uow.projects.departments(saved.project_id)}
        finance = departments[DepartmentKind.FINANCE]
        finance.lead_user_id = finance_lead
        finance.members = [DepartmentMember(user_id=finance_lead)]
        engineering = departments[DepartmentKind.ENGINEERING]
        engineering.members = [DepartmentMember(user_id=engineering_member)]
        if anonymity is not None:  # (minimum group, minimum for comments)
            project = uow.projects.get(TEAM_ID, saved.project_id)
            assert project is not None
            project.anonymity_min, project.comment_anonymity_min = anonymity
        lines = {}
        for name, allocated in (budget or {"Construction works": Decimal("600000")}).items():
            line = BudgetLine(
                project_id=saved.project_id,
                name=name,
                category="construction",
                department_id=finance.id,
                allocated=allocated,
            )
            uow.session.add(line)
            lines[name] = line
        set_policy(uow, saved.project_id, policy, now=deps.now())
        uow.commit()
        return Made(
            saved.project_id,
            {k: d.id for k, d in departments.items()},
            {n: line.id for n, line in lines.items()},
        )


def spend(
    deps: Deps,
    made: Made,
    amount: str,
    day: str,
    *,
    line: str = "Construction works",
    now: dt.datetime | None = None,
) -> int:
    """A fund-use entry by the finance lead on the budget line named `line`; its id."""
    from bot.services.funds import FundUseForm, record_entry

    with deps.uow() as uow:
        outcome = record_entry(
            uow,
            team_id=TEAM_ID,
            project_id=made.project_id,
            user_id=LEAD,
            form=FundUseForm(
                line=str(made.lines[line]),
                amount=amount,
                date=day,
                purpose="Works",
                reference="INV-1",
            ),
            now=now or deps.now(),
        )
    return outcome.id
