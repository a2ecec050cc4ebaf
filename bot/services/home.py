"""The App Home dashboard: what one user should see about each of their projects.

Plain values only (no Slack): the edge renders them within Block Kit's limits. Each list
carries its full length so the renderer can say "and N more" after cutting it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from bot.errors import PermissionDenied, UserError
from bot.i18n import Command, _
from bot.periods import Period, last_closed, period_by_key
from bot.services import approvals as approval_service
from bot.services import feedback as feedback_service
from bot.services import funds as funds_service
from bot.services import reports as report_service
from bot.services import risks as risk_service
from bot.services import surveys as survey_service
from bot.services.feedback import FeedbackItem, NewFeedback
from bot.services.project_header import ProjectHeader
from bot.services.projects import departments_of
from bot.services.reports import ReportCard
from bot.services.risks import Scored
from bot.services.surveys import OpenSurvey
from bot.services.thresholds import WARN_PERCENT
from storage.models import FeedbackStatus, Project
from storage.uow import UnitOfWork

# Enough to fill a screen; the rest is one "and N more" line away.
MAX_ITEMS: Final = 5
# The PM's project-wide lists are shorter: they sit above the PM's own items.
MAX_PM_ITEMS: Final = 3
OVER_PERCENT: Final = WARN_PERCENT


@dataclass(frozen=True)
class BudgetGlance:
    """Budget vs actual: the project total, what its lines allocate and what they spent (in
    the project's currency)."""

    total_budget: Decimal
    allocated: Decimal
    spent: Decimal
    runway_weeks: Decimal | None = None  # filled once the funds service gives liquidity
    runway_below: bool = False  # under the project's threshold: the funding-chain warning
    runway_threshold: int = 0
    pending: Decimal = Decimal(0)  # fund use waiting for approval, not in `spent`
    waiting_for_me: int = 0  # entries and change orders the user may approve


@dataclass(frozen=True)
class OwedReport:
    department_id: int
    department_name: str
    period: Period
    status: str
    due_at: dt.datetime


@dataclass(frozen=True)
class MyRisk(Scored):
    number: int
    title: str
    score: int
    status: str
    due_on: dt.date | None
    review_on: dt.date | None


@dataclass(frozen=True)
class WaitingSurvey:
    id: int
    title: str
    closes_at: dt.datetime


@dataclass(frozen=True)
class PmRisk(Scored):
    id: int
    number: int
    title: str
    score: int
    owner_id: str | None


@dataclass(frozen=True)
class PmReport:
    """A department's report of the last closed period that is still pending or late."""

    report_id: int
    department_name: str
    lead_user_id: str | None
    status: str


@dataclass(frozen=True)
class PmGlance:
    """What a PM acts on across the whole project."""

    risks: list[PmRisk] = field(default_factory=list)
    risks_total: int = 0
    report_period: Period | None = None
    reports: list[PmReport] = field(default_factory=list)
    feedback: list[NewFeedback] = field(default_factory=list)
    surveys: list[OpenSurvey] = field(default_factory=list)
    surveys_total: int = 0
    lines: list[funds_service.LineStatus] = field(default_factory=list)
    lines_total: int = 0


@dataclass(frozen=True)
class ProjectHome:
    """One project's part of a user's Home."""

    project: ProjectHeader
    is_pm: bool
    leads: tuple[str, ...]  # names of the departments the user leads
    budget: BudgetGlance
    reports: list[OwedReport] = field(default_factory=list)
    reports_total: int = 0
    risks: list[MyRisk] = field(default_factory=list)
    risks_total: int = 0
    surveys: list[WaitingSurvey] = field(default_factory=list)
    surveys_total: int = 0
    feedback: list[FeedbackItem] = field(default_factory=list)  # new, to departments I lead
    feedback_total: int = 0
    pm: PmGlance | None = None  # for the project's PMs only


@dataclass(frozen=True)
class Home:
    user_id: str
    projects: list[ProjectHome]

    @property
    def locale(self) -> str | None:
        """The language of the user's first project (None: no project, use the default)."""
        return self.projects[0].project.locale if self.projects else None


def _budget(uow: UnitOfWork, project: Project, user_id: str, now: dt.datetime) -> BudgetGlance:
    """Totals follow approved change orders (revised); pending entries are apart."""
    funds = funds_service.summary(
        uow,
        team_id=project.team_id,
        project_id=project.id,
        today=funds_service.project_today(project, now),
    )
    cash = funds.liquidity
    mine, _asked = approval_service.waiting_for(
        uow, team_id=project.team_id, project_id=project.id, user_id=user_id, now=now
    )
    return BudgetGlance(
        runway_weeks=cash.runway_weeks if cash.sources else None,
        runway_below=cash.below_threshold,
        runway_threshold=cash.threshold_weeks,
        total_budget=funds.revised_total,
        allocated=funds.revised,
        spent=funds.spent,
        pending=funds.pending,
        waiting_for_me=len(mine),
    )


def _owed(uow: UnitOfWork, project: Project, user_id: str) -> list[OwedReport]:
    owed = []
    for report, name in uow.reports.owed_by_lead(project.id, user_id):
        period = period_by_key(project.report_anchor, report.period_start.isoformat())
        owed.append(
            OwedReport(
                department_id=report.department_id,
                department_name=name,
                period=period,
                status=report.status,
                due_at=report_service.due_at(project, period),
            )
        )
    return owed


def _risks(uow: UnitOfWork, project: Project, user_id: str) -> list[MyRisk]:
    risks = uow.risks.listing(project.id, statuses=risk_service.NOT_CLOSED, owner_id=user_id)
    return [MyRisk(r.number, r.title, r.score, r.status, r.due_on, r.review_on) for r in risks]


def _surveys(
    uow: UnitOfWork, project: Project, user_id: str, now: dt.datetime
) -> list[WaitingSurvey]:
    rows = survey_service.list_surveys(
        uow, project_id=project.id, user_id=user_id, now=now, limit=100
    )
    return [
        WaitingSurvey(r.id, r.title, r.closes_at)
        for r in rows
        if r.state == "open" and r.invited and not r.answered
    ]


def _new_feedback(uow: UnitOfWork, project: Project, user_id: str) -> list[FeedbackItem]:
    """Feedback not yet acknowledged, received by the departments `user_id` leads."""
    received = feedback_service.received(
        uow, team_id=project.team_id, project_id=project.id, user_id=user_id, limit=50
    )
    return [
        item
        for item in received.items
        if item.status == FeedbackStatus.NEW and item.lead_user_id == user_id
    ]


def _pm_glance(uow: UnitOfWork, project: Project, now: dt.datetime) -> PmGlance:
    high = uow.risks.listing(
        project.id,
        statuses=risk_service.NOT_CLOSED,
        min_score=risk_service.HIGH_SCORE,
    )
    period = last_closed(project.report_anchor, now, project.timezone)
    departments = departments_of(uow, project.id)
    owed = [
        PmReport(
            r.id,
            departments[r.department_id].name,
            departments[r.department_id].lead_user_id,
            r.status,
        )
        for r in uow.reports.for_period(project.id, period.start)
        if r.status in report_service.OWED and r.department_id in departments
    ]
    surveys = survey_service.open_with_counts(uow, project.id, now)
    over = funds_service.lines_over(uow, project.id, OVER_PERCENT)
    return PmGlance(
        risks=[PmRisk(r.id, r.number, r.title, r.score, r.owner_id) for r in high[:MAX_PM_ITEMS]],
        risks_total=len(high),
        report_period=period,
        reports=owed,
        feedback=feedback_service.still_new(uow, departments.values()),
        surveys=surveys[:MAX_PM_ITEMS],
        surveys_total=len(surveys),
        lines=over[:MAX_PM_ITEMS],
        lines_total=len(over),
    )


def nudge_report(uow: UnitOfWork, *, team_id: str, report_id: int, user_id: str) -> ReportCard:
    """The report a PM nudges its department's lead about (from the Home): only the
    project's PMs, only a pending or late report with a lead to remind."""
    project, department, report = report_service.stored(uow, team_id, report_id)
    if user_id not in project.pm_ids:
        raise PermissionDenied(_("Only the project's PMs can nudge a department lead."))
    card = report_service.stored_card(uow, project, department, report)
    if card.status not in report_service.OWED:
        raise UserError(
            _("The report of {department} is no longer missing.", department=card.department_name)
        )
    if card.lead_user_id is None:
        raise UserError(
            _(
                "{department} has no lead to nudge. Set one with {command}.",
                department=card.department_name,
                command=Command("/icrm departments"),
            )
        )
    return card


def home_of(uow: UnitOfWork, *, team_id: str, user_id: str, now: dt.datetime) -> Home:
    """Everything the user's Home shows, for each active project they belong to (PM, lead or
    member), in project-code order. Lists are cut to `MAX_ITEMS`; `*_total` says how many
    there were."""
    projects = []
    for project in uow.projects.for_user(team_id, user_id):
        leads = tuple(d.name for d in uow.reports.led_by(project.id, user_id))
        owed = _owed(uow, project, user_id) if leads else []
        risks = _risks(uow, project, user_id)
        waiting = _surveys(uow, project, user_id, now)
        new_feedback = _new_feedback(uow, project, user_id) if leads else []
        projects.append(
            ProjectHome(
                project=ProjectHeader.of(project),
                is_pm=user_id in project.pm_ids,
                leads=leads,
                budget=_budget(uow, project, user_id, now),
                reports=owed[:MAX_ITEMS],
                reports_total=len(owed),
                risks=risks[:MAX_ITEMS],
                risks_total=len(risks),
                surveys=waiting[:MAX_ITEMS],
                surveys_total=len(waiting),
                feedback=new_feedback[:MAX_ITEMS],
                feedback_total=len(new_feedback),
                pm=_pm_glance(uow, project, now) if user_id in project.pm_ids else None,
            )
        )
    return Home(user_id=user_id, projects=projects)
