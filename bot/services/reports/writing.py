"""Submitting, snoozing and excusing reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.errors import FieldErrors, UserError
from bot.forms import Form, stripped
from bot.i18n import Msg, _
from bot.periods import Period, today_in
from bot.services.project_rows import audit_in
from bot.services.reports.cards import MAX_TEXT, SNOOZE_HOURS, ReportCard, ReportField
from bot.services.reports.reading import stored, stored_card, to_card
from bot.services.reports.who import due_at, led_department, period_of_key, require_lead
from storage.models import Department, Project, Report, ReportStatus
from storage.uow import UnitOfWork


def _too_long(text: str) -> Msg:
    return _("Keep it under {limit} characters (now {length}).", limit=MAX_TEXT, length=len(text))


def validate_form(form: Form[ReportField]) -> tuple[dict[str, str], dict[str, Msg]]:
    """Clean values and an error per bad field: summary and plan required, all ≤ 3000 chars."""
    values = {
        field: stripped(form.text(field))
        for field in (ReportField.SUMMARY, ReportField.NEXT_PLAN, ReportField.ISSUES)
    }
    errors: dict[str, Msg] = {}
    for name, value in values.items():
        if not value and name != ReportField.ISSUES:
            errors[name] = _("This field is required.")
        elif len(value) > MAX_TEXT:
            errors[name] = _too_long(value)
    return {str(k): v for k, v in values.items()}, errors


def _snapshot(report: Report) -> dict[str, Any]:
    return {
        "period": report.period_start.isoformat(),
        "department_id": report.department_id,
        "status": report.status,
        "summary": report.summary,
        "next_plan": report.next_plan,
        "issues": report.issues,
        "submitted_by": report.submitted_by,
        "on_time": report.on_time,
        "excuse_reason": report.excuse_reason,
        "excused_by": report.excused_by,
        "snoozed_until": report.snoozed_until.isoformat() if report.snoozed_until else None,
    }


def new_report(
    project: Project, department: Department, period: Period, now: dt.datetime
) -> Report:
    return Report(
        project_id=project.id,
        department_id=department.id,
        period_start=period.start,
        period_end=period.end,
        status=ReportStatus.PENDING,
        summary="",
        next_plan="",
        issues="",
        created_at=now,
        updated_at=now,
    )


def submit_report(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    department_id: int,
    period_key: str,
    user_id: str,
    form: Form[ReportField],
    now: dt.datetime,
) -> ReportCard:
    """Save the lead's report for the period (a second submission updates it).

    The first submission fixes `on_time` (by the period's end + the project's due delay).
    Raises `FieldErrors` for bad input and `PermissionDenied` for a non-lead; then nothing
    is saved.
    """
    project, department = led_department(uow, team_id, project_id, department_id, user_id)
    period = period_of_key(project, period_key)
    if period.start > today_in(project.timezone, now):
        raise UserError(_("That period has not started yet."))
    values, errors = validate_form(form)
    if errors:
        raise FieldErrors(errors)
    report = uow.reports.for_department(project.id, department.id, period.start)
    before = None
    if report is None:
        report = new_report(project, department, period, now)
        uow.reports.add(report)
    else:
        before = _snapshot(report)
    _fill(report, values, user_id, now, on_time=now <= due_at(project, period))
    try:
        uow.flush()
        action = "submit" if before is None or before["submitted_by"] is None else "resubmit"
        audit_in(uow, project, user_id, action, "report", report.id, before, _snapshot(report))
        uow.commit()
    except IntegrityError:
        # The clock created the period's row between our read and our insert.
        uow.rollback()
        raise UserError(_("The report changed while you were writing. Submit it again.")) from None
    return to_card(uow, project, department, period, report)


def _fill(
    report: Report, values: dict[str, str], user_id: str, now: dt.datetime, *, on_time: bool
) -> None:
    """Write a submission into the report; the first one fixes `on_time`."""
    report.summary = values[ReportField.SUMMARY]
    report.next_plan = values[ReportField.NEXT_PLAN]
    report.issues = values[ReportField.ISSUES]
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = user_id
    report.submitted_at = report.updated_at = now
    if report.on_time is None:
        report.on_time = on_time
    report.excuse_reason = report.excused_by = None
    report.excused_at = report.snoozed_until = None


def snooze(
    uow: UnitOfWork, *, team_id: str, report_id: int, user_id: str, hours: int, now: dt.datetime
) -> ReportCard:
    """Put off a pending report's nudges for `hours` (2 or 24). A report no longer pending
    is left as it is; the card says its state."""
    if hours not in SNOOZE_HOURS:
        raise UserError(_("You can answer later in 2 hours or in 1 day."))
    project, department, report = stored(uow, team_id, report_id)
    require_lead(department, user_id)
    if report.status == ReportStatus.PENDING:
        before = _snapshot(report)
        report.snoozed_until = now + dt.timedelta(hours=hours)
        report.updated_at = now
        audit_in(uow, project, user_id, "snooze", "report", report.id, before, _snapshot(report))
        uow.commit()
    return stored_card(uow, project, department, report)


def excuse(
    uow: UnitOfWork,
    *,
    team_id: str,
    report_id: int,
    user_id: str,
    reason: str | None,
    now: dt.datetime,
) -> ReportCard:
    """Mark the period excused for the department, with a reason (the lead or a PM).

    Raises `FieldErrors` on `reason` when it is empty or too long, or when the report was
    already submitted; then nothing is saved.
    """
    project, department, report = stored(uow, team_id, report_id)
    if user_id not in project.pm_ids:
        require_lead(department, user_id)
    text = stripped(reason)
    if not text:
        raise FieldErrors({ReportField.REASON: _("Say why this period is excused.")})
    if len(text) > MAX_TEXT:
        raise FieldErrors({ReportField.REASON: _too_long(text)})
    if report.status == ReportStatus.SUBMITTED:
        raise FieldErrors(
            {ReportField.REASON: _("This report was already submitted; it cannot be excused.")}
        )
    before = _snapshot(report)
    report.status = ReportStatus.EXCUSED
    report.excuse_reason = text
    report.excused_by = user_id
    report.excused_at = report.updated_at = now
    report.snoozed_until = None
    audit_in(uow, project, user_id, "excuse", "report", report.id, before, _snapshot(report))
    uow.commit()
    return stored_card(uow, project, department, report)
