"""The meeting agenda's lines from the risks, reports, feedback and surveys domains.

Registered with `meetings.agenda_provider` and loaded through `meetings.AGENDA_MODULES`.
Each reads its domain's service or repository; nothing here names a feedback author.
"""

from __future__ import annotations

import datetime as dt

from bot.periods import last_closed, today_in
from bot.services import feedback, reports, risks
from bot.services.meetings import (
    AgendaLine,
    MissingReportsItem,
    OverdueRiskItem,
    RiskItem,
    SurveyItem,
    agenda_provider,
)
from storage.models import Project
from storage.uow import UnitOfWork

_HIGH = "high_risks"
_OVERDUE = "overdue_risks"


def _risk_lines(
    uow: UnitOfWork, project: Project, now: dt.datetime, *, high: bool
) -> list[AgendaLine]:
    today = today_in(project.timezone, now)
    lines = []
    for card in risks.for_agenda(uow, project_id=project.id, today=today):
        is_high = card.score >= risks.HIGH_SCORE
        title = card.title[:100]
        if high and is_high:
            critical = card.level == risks.RiskLevel.CRITICAL
            item = RiskItem(card.ref, title, card.score, card.owner_id, critical)
            lines.append(AgendaLine(item, _HIGH))
        elif not high and not is_high:  # high ones are listed above already
            assert card.due_on is not None
            lines.append(AgendaLine(OverdueRiskItem(card.ref, title, card.due_on), _OVERDUE))
    return lines


@agenda_provider(_HIGH)
def high_risks(uow: UnitOfWork, project: Project, now: dt.datetime) -> list[AgendaLine]:
    """Open high and critical risks, highest score first."""
    return _risk_lines(uow, project, now, high=True)


@agenda_provider(_OVERDUE)
def overdue_risks(uow: UnitOfWork, project: Project, now: dt.datetime) -> list[AgendaLine]:
    """Open risks (below high) past their due date."""
    return _risk_lines(uow, project, now, high=False)


@agenda_provider("missing_reports")
def missing_reports(uow: UnitOfWork, project: Project, now: dt.datetime) -> list[AgendaLine]:
    """Departments whose report of the last closed period is pending or late."""
    period = last_closed(project.report_anchor, now, project.timezone)
    names = uow.projects.department_names(project.id)
    missing = [
        names[r.department_id]
        for r in uow.reports.for_period(project.id, period.start)
        if r.status in reports.OWED
    ]
    if not missing:
        return []
    item = MissingReportsItem(period.start, period.end, tuple(sorted(missing)))
    return [AgendaLine(item, "missing_reports")]


@agenda_provider("new_feedback")
def new_feedback(uow: UnitOfWork, project: Project, now: dt.datetime) -> list[AgendaLine]:
    """Per department, feedback still new (not acknowledged): counts only."""
    departments = uow.projects.departments(project.id)
    return [AgendaLine(item, "new_feedback") for item in feedback.still_new(uow, departments)]


@agenda_provider("open_surveys")
def open_surveys(uow: UnitOfWork, project: Project, now: dt.datetime) -> list[AgendaLine]:
    """Surveys open now, with how many of those invited answered."""
    lines = []
    for survey in reversed(uow.surveys.for_project(project.id)):
        if survey.closed_at is not None or not survey.opens_at <= now < survey.closes_at:
            continue
        invited, answered = uow.surveys.counts(survey.id)
        lines.append(AgendaLine(SurveyItem(survey.title[:100], answered, invited), "open_surveys"))
    return lines
