"""What the clock calls: opening and closing a period, nudges, timeliness."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from bot.periods import Period
from bot.services.project_header import ProjectHeader
from bot.services.project_rows import audit_in
from bot.services.projects import departments_of, project_by_id
from bot.services.reports.cards import SYSTEM, PeriodSummary, ReportCard, Timeliness
from bot.services.reports.reading import to_card
from bot.services.reports.writing import new_report
from storage.models import Project, Report, ReportStatus
from storage.uow import UnitOfWork


def _audit_period(
    uow: UnitOfWork, project: Project, period: Period, action: str, after: dict[str, Any]
) -> None:
    """The audit row of what the clock did to a report period."""
    audit_in(uow, project, SYSTEM, action, "report_period", period.key, after=after)


def _ensure_reports(
    uow: UnitOfWork, project: Project, period: Period, *, mark: bool = False
) -> list[Report]:
    """The period's reports, creating a pending one for each department with a lead; `mark`:
    record the period opened even when every report existed already."""
    now = uow.now()
    existing = {r.department_id: r for r in uow.reports.for_period(project.id, period.start)}
    created = []
    for department in uow.projects.departments(project.id):
        if department.lead_user_id and department.id not in existing:
            report = new_report(project, department, period, now)
            uow.reports.add(report)
            existing[department.id] = report
            created.append(department.id)
    if created or (mark and not uow.reports.opened(project.id, period.key)):
        uow.flush()
        _audit_period(uow, project, period, "open_period", {"departments": created})
    return [existing[k] for k in sorted(existing)]


def _cards_to_lead(
    uow: UnitOfWork, project: Project, period: Period, reports: Iterable[Report]
) -> list[ReportCard]:
    """The cards of those of the period's `reports` whose department has a lead to ask."""
    departments = departments_of(uow, project.id)
    return [
        to_card(uow, project, departments[r.department_id], period, r)
        for r in reports
        if departments[r.department_id].lead_user_id
    ]


def was_opened(uow: UnitOfWork, *, project_id: int, period: Period) -> bool:
    """Whether `open_period` created the period's reports (its prompt went out): only such a
    period has leads who were asked, so only it gets nudges and a summary. A lead's own early
    submission does not open a period."""
    return uow.reports.opened(project_id, period.key)


def open_period(uow: UnitOfWork, *, project_id: int, period: Period) -> list[ReportCard]:
    """Create the period's pending report for every department with a lead (a second call
    creates nothing), record the period opened (`was_opened`), and return the cards of
    those still pending, for the prompt DMs."""
    project = project_by_id(uow, project_id)
    reports = _ensure_reports(uow, project, period, mark=True)
    uow.commit()
    pending = [r for r in reports if r.status == ReportStatus.PENDING]
    return _cards_to_lead(uow, project, period, pending)


def due_for_nudge(
    uow: UnitOfWork, *, project_id: int, period: Period, now: dt.datetime
) -> list[ReportCard]:
    """The period's reports still pending and not snoozed past `now`, whose department has
    a lead to nudge."""
    project = project_by_id(uow, project_id)
    pending = uow.reports.pending_unsnoozed(project.id, period.start, now)
    return _cards_to_lead(uow, project, period, pending)


def close_period(
    uow: UnitOfWork, *, project_id: int, period: Period, now: dt.datetime
) -> PeriodSummary:
    """Mark the period's pending reports late (creating any a department with a lead never
    got) and return who submitted, who is missing and who is excused. Idempotent; the
    caller runs it once the report is due (period end + the project's due delay)."""
    project = project_by_id(uow, project_id)
    reports = _ensure_reports(uow, project, period)
    late = [r for r in reports if r.status == ReportStatus.PENDING]
    for report in late:
        report.status = ReportStatus.LATE
        report.snoozed_until = None
        report.updated_at = now
    if late:
        after = {"departments": [r.department_id for r in late], "at": now.isoformat()}
        _audit_period(uow, project, period, "mark_late", after)
    uow.commit()
    departments = departments_of(uow, project.id)
    summary = PeriodSummary(ProjectHeader.of(project), period)
    lists = {
        ReportStatus.SUBMITTED: summary.submitted,
        ReportStatus.LATE: summary.missing,
        ReportStatus.EXCUSED: summary.excused,
    }
    for report in reports:
        card = to_card(uow, project, departments[report.department_id], period, report)
        lists[ReportStatus(report.status)].append(card)
    return summary


def timeliness(uow: UnitOfWork, *, project_id: int, month: dt.date) -> dict[int, Timeliness]:
    """Per department, the reports of periods ending in `month` (any day of it) that were
    due, and how many were submitted on time. Excused periods do not count, nor do reports
    still pending (not yet due). Departments with nothing due are absent."""
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    departments = departments_of(uow, project_id)
    counts: dict[int, list[int]] = {}
    for report in uow.reports.ending_between(project_id, first, last):
        if report.status in (ReportStatus.EXCUSED, ReportStatus.PENDING):
            continue
        tally = counts.setdefault(report.department_id, [0, 0])
        tally[0] += 1
        tally[1] += 1 if report.on_time else 0
    return {
        k: Timeliness(k, departments[k].name, expected, on_time)
        for k, (expected, on_time) in sorted(counts.items())
    }
