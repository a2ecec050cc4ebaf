"""Opening a report to write, and a report's card."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from bot.i18n import _
from bot.periods import Period
from bot.services.departments import department_of
from bot.services.fund_entries import ListedEntry
from bot.services.project_header import ProjectHeader
from bot.services.project_rows import with_project
from bot.services.reports.cards import ReportCard
from bot.services.reports.who import (
    due_at,
    led_department,
    period_of_key,
    period_to_report,
)
from storage.models import Department, Project, Report
from storage.uow import UnitOfWork


def to_card(
    uow: UnitOfWork,
    project: Project,
    department: Department,
    period: Period,
    report: Report | None,
) -> ReportCard:
    rows = uow.reports.fund_entries(project.id, department.id, period.start, period.end)
    entries = [ListedEntry.of(entry, name) for entry, name in rows]
    extra: dict[str, Any] = {}
    if report is not None:
        extra = {
            "report_id": report.id,
            "status": report.status,
            "summary": report.summary,
            "next_plan": report.next_plan,
            "issues": report.issues,
            "submitted_by": report.submitted_by,
            "submitted_at": report.submitted_at,
            "on_time": report.on_time,
            "excuse_reason": report.excuse_reason,
            "excused_by": report.excused_by,
            "snoozed_until": report.snoozed_until,
        }
    return ReportCard(
        project=ProjectHeader.of(project),
        department_id=department.id,
        department_name=department.name,
        lead_user_id=department.lead_user_id,
        period=period,
        due_at=due_at(project, period),
        entries=entries,
        total=sum((e.amount for e in entries), Decimal(0)),
        **extra,
    )


def open_report(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    department_id: int,
    user_id: str,
    now: dt.datetime,
    period_key: str | None = None,
) -> ReportCard:
    """The report a lead is about to write: the period's fund use and what was saved so
    far. Raises `PermissionDenied` unless `user_id` leads the department."""
    project, department = led_department(uow, team_id, project_id, department_id, user_id)
    if period_key is None:
        period = period_to_report(uow, project, department.id, now)
    else:
        period = period_of_key(project, period_key)
    report = uow.reports.for_department(project.id, department.id, period.start)
    return to_card(uow, project, department, period, report)


def stored(uow: UnitOfWork, team_id: str, report_id: int) -> tuple[Project, Department, Report]:
    """A report of `team_id`'s workspace with its project and department, or `NotFound`."""
    report, project = with_project(
        uow, team_id, uow.reports.by_id(report_id), _("That report no longer exists.")
    )
    return project, department_of(uow, project.id, report.department_id), report


def stored_card(
    uow: UnitOfWork, project: Project, department: Department, report: Report
) -> ReportCard:
    """The card of a stored report, for the period it belongs to."""
    return to_card(
        uow, project, department, period_of_key(project, report.period_start.isoformat()), report
    )


def card_of(uow: UnitOfWork, *, team_id: str, report_id: int) -> ReportCard:
    """A stored report as a card (to re-render its prompt)."""
    return stored_card(uow, *stored(uow, team_id, report_id))
