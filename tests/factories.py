"""Build records for tests through the services, without going through Slack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from bot.app import Deps
from bot.forms import Form
from bot.periods import Period
from bot.services import reports
from bot.services.feedback import (
    FeedbackField,
    Held,
    give_feedback,
    release_day,
    release_instant,
    release_now,
)
from bot.services.fund_policy import OFF, Policy, set_policy
from bot.services.funds import FundField, Outcome, record_entry, void_entry
from bot.services.projects import ProjectField, save_project
from bot.services.reports import ReportField
from bot.services.risks import RiskField, create_risk
from jobs.manual import run_now
from jobs.runner import RunResult
from storage.models import (
    BudgetLine,
    DepartmentKind,
    DepartmentMember,
    FundingSource,
    Survey,
    SurveyParticipant,
)
from tests.conftest import CHANNEL, LEAD, MEMBER, PM
from tests.fake_slack import TEAM_ID

T = TypeVar("T")


@dataclass(frozen=True)
class Made:
    project_id: int
    departments: dict[str, int]  # kind → department id
    lines: dict[str, int]  # budget line name → id


def project_form(code: str = "HWY-42", **changes: Any) -> Form[ProjectField]:
    """The set-up form of project `code`, meeting on Mondays at 10:00, with `changes`."""
    defaults: dict[str, Any] = {
        "name": f"Project {code}",
        "currency": "CNY",
        "total_budget": "1000000",
        "timezone": "Asia/Shanghai",
        "locale": "en",
        "meeting_weekday": "0",
        "meeting_time": "10:00",
        "report_anchor": "2026-11-02",
        "pms": [PM],
    }
    return Form.of(ProjectField, code=code, **(defaults | changes))


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
    form = project_form(
        code,
        currency=currency,
        total_budget=total_budget,
        timezone=timezone,
        locale=locale,
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


def set_department(
    deps: Deps,
    made: Made,
    kind: str,
    *,
    lead: str | None = None,
    members: list[str] | None = None,
) -> None:
    """Give `made`'s department `kind` the `lead` and/or exactly the `members` given."""
    with deps.uow() as uow:
        department = uow.projects.department(made.project_id, made.departments[kind])
        assert department is not None
        if lead is not None:
            department.lead_user_id = lead
        if members is not None:
            department.members = [DepartmentMember(user_id=u) for u in members]
        uow.commit()


def as_user(
    deps: Deps,
    service: Callable[..., T],
    user: str,
    now: dt.datetime | None = None,
    **arguments: Any,
) -> T:
    """`service(uow, team_id=…, user_id=…, now=…, **arguments)`, done by `user` in a unit of
    work of its own at `now` (the clock's time)."""
    with deps.uow() as uow:
        return service(uow, team_id=TEAM_ID, user_id=user, now=now or deps.now(), **arguments)


def through_service(
    deps: Deps,
    service: Callable[..., T],
    project_id: int,
    user: str,
    now: dt.datetime | None = None,
    **arguments: Any,
) -> T:
    """`as_user` on the project: `service(uow, team_id=…, project_id=…, user_id=…, now=…,
    **arguments)`."""
    return as_user(deps, service, user, now, project_id=project_id, **arguments)


def submit_report(
    deps: Deps, made: Made, kind: str, user: str, period: Period, at: dt.datetime | None = None
) -> None:
    """`user` submits department `kind`'s report for `period` ("Done", "More") at `at`."""
    through_service(
        deps,
        reports.submit_report,
        made.project_id,
        user,
        at,
        department_id=made.departments[kind],
        period_key=period.key,
        form=Form.of(ReportField, summary="Done", next_plan="More"),
    )


def fund_use(
    deps: Deps,
    project_id: int,
    line_id: int,
    amount: str,
    *,
    day: dt.date | str,
    user: str = LEAD,
    purpose: str = "Works",
    reference: str = "INV-1",
    reason: str | None = None,
    now: dt.datetime | None = None,
) -> Outcome:
    """Fund use recorded through the service (its checks and policy apply) at `now` (the
    clock's time); what the service answered."""
    form = Form.of(
        FundField,
        line=str(line_id),
        amount=amount,
        date=day if isinstance(day, str) else day.isoformat(),
        purpose=purpose,
        reference=reference,
        reason=reason,
    )
    return through_service(deps, record_entry, project_id, user, now, form=form)


def void_fund_use(
    deps: Deps,
    project_id: int,
    entry_id: int,
    reason: str,
    *,
    user: str = PM,
    now: dt.datetime | None = None,
) -> None:
    """Fund use voided through the service by `user` at `now` (the clock's time)."""
    through_service(deps, void_entry, project_id, user, now, entry_id=entry_id, reason=reason)


def spend(
    deps: Deps,
    made: Made,
    amount: str,
    day: str,
    *,
    now: dt.datetime | None = None,
    line: str = "Construction works",
) -> int:
    """Fund use on `line` by the finance lead (reference INV-1); the entry's id."""
    return fund_use(deps, made.project_id, made.lines[line], amount, day=day, now=now).id


def add_source(
    deps: Deps,
    made: Made,
    *,
    name: str = "Bank loan",
    kind: str = "loan",
    committed: str = "50000",
    drawn: str = "25000",
    created_at: dt.datetime | None = None,
) -> None:
    """A funding source of the project (by default a loan, half drawn), at the clock's time."""
    with deps.uow() as uow:
        uow.session.add(
            FundingSource(
                project_id=made.project_id,
                name=name,
                kind=kind,
                committed=Decimal(committed),
                drawn=Decimal(drawn),
                created_at=created_at or uow.now(),
            )
        )
        uow.commit()


def add_risk(
    deps: Deps,
    made: Made,
    title: str,
    likelihood: int = 2,
    impact: int = 2,
    *,
    user: str = PM,
    **form: Any,
) -> int:
    """A technical risk raised by `user` through the service (mitigation "watch" unless `form`
    says otherwise); its id."""
    fields: dict[str, Any] = {"description": "", "category": "technical", "mitigation": "watch"}
    risk = risk_form(title, likelihood, impact, **(fields | form))
    return through_service(deps, create_risk, made.project_id, user, form=risk).id


def risk_form(title: str, likelihood: int, impact: int, **fields: Any) -> Form[RiskField]:
    """The risk modal's values: `title`, the two scores and `fields` (by block id)."""
    return Form.of(RiskField, title=title, likelihood=str(likelihood), impact=str(impact), **fields)


def add_feedback(
    deps: Deps,
    made: Made,
    rating: int,
    *,
    comment: str = "Payments were slow",
    anonymous: bool = False,
    user: str = MEMBER,
    to: str = DepartmentKind.FINANCE,
    source: str = DepartmentKind.ENGINEERING,
    now: dt.datetime | None = None,
) -> int:
    """Feedback from `source` to `to` given through the service by `user`; its id. Anonymous
    feedback is released at once (as the daily `feedback_release` would, without the DMs)."""
    form = Form.of(
        FeedbackField,
        to_department=str(made.departments[to]),
        from_department=str(made.departments[source]),
        rating=str(rating),
        comment=comment,
        anonymous=anonymous,
    )
    item = through_service(deps, give_feedback, made.project_id, user, now, form=form)
    if isinstance(item, Held):
        with deps.uow() as uow:
            [released] = release_now(uow, project_id=made.project_id, day=item.release_on)
        return released.id
    return item.id


def release_feedback(deps: Deps, made: Made, at: dt.datetime | None = None) -> list[RunResult]:
    """`jobs run feedback_release` for the project at its next release time after `at` (default
    now): the anonymous feedback given so far reaches the leads."""
    with deps.uow() as uow:
        project = uow.projects.by_id(made.project_id)
        assert project is not None
        code, zone = project.code, project.timezone
    when = release_instant(release_day(at or deps.now(), zone)[0], zone)
    return run_now(deps, "feedback_release", project_code=code, at=when)


def add_survey(
    deps: Deps, made: Made, opens: dt.datetime, closes: dt.datetime, invited: dict[str, bool]
) -> int:
    """An anonymous CSAT survey "Site services" created by the PM for the people of
    `invited` (user id → answered already); its id."""
    with deps.uow() as uow:
        survey = Survey(
            project_id=made.project_id,
            title="Site services",
            template="csat",
            anonymous=True,
            live_results=False,
            opens_at=opens,
            closes_at=closes,
            audience_department_ids=[],
            audience_user_ids=list(invited),
            rated_department_ids=[],
            created_by=PM,
            created_at=uow.now(),
        )
        uow.session.add(survey)
        uow.session.flush()
        for user, answered in invited.items():
            uow.session.add(SurveyParticipant(survey_id=survey.id, user_id=user, answered=answered))
        uow.commit()
        return survey.id
