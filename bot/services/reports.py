"""Fortnightly fund-use reports (资金使用报告): who reports, what they submit, and the
bookkeeping of each period the clock relies on (prompts, nudges, the summary, timeliness).

A report belongs to a department and a 14-day period (`bot.periods`); only the
department's lead submits it. Every change writes the audit log in its transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError

from bot.errors import FieldErrors, NotFound, PermissionDenied, UserError
from bot.i18n import Msg, _
from bot.periods import Period, period_at, period_by_key, today_in
from storage.models import Department, Project, Report, ReportStatus
from storage.uow import UnitOfWork

MAX_TEXT: Final = 3000
SNOOZE_HOURS: Final = (2, 24)
SYSTEM: Final = "system"


class ReportField(StrEnum):
    """Fields of the report and excuse modals; the modals use them as block ids."""

    SUMMARY = "summary"
    NEXT_PLAN = "next_plan"
    ISSUES = "issues"
    REASON = "reason"


class ReportForm(BaseModel):
    """What the report modal submitted, as plain text; `submit_report` validates it."""

    summary: str | None = None
    next_plan: str | None = None
    issues: str | None = None


@dataclass(frozen=True)
class EntryLine:
    """One fund-use entry as the report shows it."""

    id: int
    spent_on: dt.date
    amount: Decimal
    line_name: str
    purpose: str
    reference: str


@dataclass(frozen=True)
class ReportCard:
    """A department's report for a period with everything a modal or message shows."""

    project_id: int
    project_code: str
    project_name: str
    channel_id: str
    currency: str
    locale: str
    timezone: str
    department_id: int
    department_name: str
    lead_user_id: str | None
    period: Period
    due_at: dt.datetime
    entries: list[EntryLine]
    total: Decimal
    report_id: int | None = None
    status: str | None = None
    summary: str = ""
    next_plan: str = ""
    issues: str = ""
    submitted_by: str | None = None
    submitted_at: dt.datetime | None = None
    on_time: bool | None = None
    excuse_reason: str | None = None
    excused_by: str | None = None
    snoozed_until: dt.datetime | None = None


@dataclass(frozen=True)
class PeriodSummary:
    """A closed period's reports for the command-channel summary."""

    project_id: int
    project_code: str
    channel_id: str
    locale: str
    timezone: str
    period: Period
    submitted: list[ReportCard] = field(default_factory=list)
    missing: list[ReportCard] = field(default_factory=list)
    excused: list[ReportCard] = field(default_factory=list)


@dataclass(frozen=True)
class Timeliness:
    """How many of a department's reports of a month were due, and how many came on time."""

    department_id: int
    department_name: str
    expected: int
    on_time: int

    @property
    def ratio(self) -> Decimal | None:
        """Share on time (0–1), or None when nothing was due."""
        return Decimal(self.on_time) / Decimal(self.expected) if self.expected else None


# -- periods of a project -------------------------------------------------------------------


def current_period(project: Project, now: dt.datetime) -> Period:
    """The period containing `now` on the project's local calendar."""
    return period_at(project.report_anchor, now, project.timezone)


def due_at(project: Project, period: Period) -> dt.datetime:
    return period.due_at(project.timezone, project.report_due_days)


# -- who reports ---------------------------------------------------------------------------


def _project(uow: UnitOfWork, team_id: str, project_id: int) -> Project:
    project = uow.projects.get(team_id, project_id)
    if project is None:
        raise NotFound(_("That project no longer exists."))
    return project


def _department(uow: UnitOfWork, project: Project, department_id: int) -> Department:
    department = uow.projects.department(project.id, department_id)
    if department is None:
        raise NotFound(_("That department no longer exists."))
    return department


def _leads_text(departments: list[Department]) -> Msg | None:
    """`Finance: <@U1>; Legal: <@U2>` as one message whose parts keep the department name
    (text a PM typed, escaped where it is shown) apart from the lead's mention."""
    parts = {
        f"d{i}": _("{department}: {lead}", department=d.name, lead=f"<@{d.lead_user_id}>")
        for i, d in enumerate(d for d in departments if d.lead_user_id)
    }
    if not parts:
        return None
    return Msg("; ".join("{" + key + "}" for key in parts), parts)


def departments_to_report(
    uow: UnitOfWork, *, team_id: str, project_id: int, user_id: str
) -> list[tuple[int, str]]:
    """The departments (id, name) `user_id` leads in the project.

    Raises `PermissionDenied` for a non-lead, naming the lead of their department (or every
    lead, when they belong to none).
    """
    project = _project(uow, team_id, project_id)
    led = list(uow.reports.led_by(project.id, user_id))
    if led:
        return [(d.id, d.name) for d in led]
    departments = list(uow.projects.departments(project.id))
    mine = [d for d in departments if user_id in d.member_ids and d.lead_user_id]
    leads = _leads_text(mine or departments)
    if not leads:
        raise PermissionDenied(
            _(
                "Fund-use reports are submitted by department leads, and no department of this project has a lead yet. Ask a PM: {pms}.",
                pms=", ".join(f"<@{u}>" for u in project.pm_ids),
            )
        )
    raise PermissionDenied(
        _(
            "Fund-use reports are submitted by department leads, and you lead no department here. Your lead: {leads}.",
            leads=leads,
        )
    )


def _require_lead(department: Department, user_id: str) -> None:
    if department.lead_user_id != user_id:
        lead = f"<@{department.lead_user_id}>" if department.lead_user_id else "—"
        raise PermissionDenied(
            _(
                "Only the lead of {department} ({lead}) can do that.",
                department=department.name,
                lead=lead,
            )
        )


# -- reading ---------------------------------------------------------------------------------


def _card(
    uow: UnitOfWork,
    project: Project,
    department: Department,
    period: Period,
    report: Report | None,
) -> ReportCard:
    rows = uow.reports.fund_entries(project.id, department.id, period.start, period.end)
    entries = [
        EntryLine(e.id, e.spent_on, e.amount, name, e.purpose, e.reference) for e, name in rows
    ]
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
        project_id=project.id,
        project_code=project.code,
        project_name=project.name,
        channel_id=project.channel_id,
        currency=project.currency,
        locale=project.locale,
        timezone=project.timezone,
        department_id=department.id,
        department_name=department.name,
        lead_user_id=department.lead_user_id,
        period=period,
        due_at=due_at(project, period),
        entries=entries,
        total=sum((e.amount for e in entries), Decimal(0)),
        **extra,
    )


def _period(project: Project, key: str) -> Period:
    try:
        return period_by_key(project.report_anchor, key)
    except ValueError:
        raise NotFound(
            _("That report period no longer matches the project's schedule. Run `/funds report`.")
        ) from None


def period_to_report(
    uow: UnitOfWork, project: Project, department_id: int, now: dt.datetime
) -> Period:
    """The period a lead reports on now: the one just closed while its report is still
    owed (pending or late), otherwise the current one."""
    current = current_period(project, now)
    previous = current.previous()
    owed = uow.reports.for_department(project.id, department_id, previous.start)
    if owed is not None and owed.status in (ReportStatus.PENDING, ReportStatus.LATE):
        return previous
    return current


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
    project = _project(uow, team_id, project_id)
    department = _department(uow, project, department_id)
    _require_lead(department, user_id)
    if period_key is None:
        period = period_to_report(uow, project, department.id, now)
    else:
        period = _period(project, period_key)
    report = uow.reports.for_department(project.id, department.id, period.start)
    return _card(uow, project, department, period, report)


def card_of(uow: UnitOfWork, *, team_id: str, report_id: int) -> ReportCard:
    """A stored report as a card (to re-render its prompt)."""
    report = uow.reports.by_id(report_id)
    project = uow.projects.get(team_id, report.project_id) if report is not None else None
    if report is None or project is None:
        raise NotFound(_("That report no longer exists."))
    department = _department(uow, project, report.department_id)
    return _card(
        uow, project, department, _period(project, report.period_start.isoformat()), report
    )


# -- writing -------------------------------------------------------------------------------


def _text(value: str | None) -> str:
    return (value or "").strip()


def validate_form(form: ReportForm) -> tuple[dict[str, str], dict[str, Msg]]:
    """Clean values and an error per bad field: summary and plan required, all ≤ 3000 chars."""
    values = {
        ReportField.SUMMARY: _text(form.summary),
        ReportField.NEXT_PLAN: _text(form.next_plan),
        ReportField.ISSUES: _text(form.issues),
    }
    errors: dict[str, Msg] = {}
    for name, value in values.items():
        if not value and name != ReportField.ISSUES:
            errors[name] = _("This field is required.")
        elif len(value) > MAX_TEXT:
            errors[name] = _(
                "Keep it under {limit} characters (now {length}).",
                limit=MAX_TEXT,
                length=len(value),
            )
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


def _new_report(
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
    form: ReportForm,
    now: dt.datetime,
) -> ReportCard:
    """Save the lead's report for the period (a second submission updates it).

    The first submission fixes `on_time` (by the period's end + the project's due delay).
    Raises `FieldErrors` for bad input and `PermissionDenied` for a non-lead; then nothing
    is saved.
    """
    project = _project(uow, team_id, project_id)
    department = _department(uow, project, department_id)
    _require_lead(department, user_id)
    period = _period(project, period_key)
    if period.start > today_in(project.timezone, now):
        raise UserError(_("That period has not started yet."))
    values, errors = validate_form(form)
    if errors:
        raise FieldErrors(errors)
    report = uow.reports.for_department(project.id, department.id, period.start)
    before = None
    if report is None:
        report = _new_report(project, department, period, now)
        uow.reports.add(report)
    else:
        before = _snapshot(report)
    report.summary = values[ReportField.SUMMARY]
    report.next_plan = values[ReportField.NEXT_PLAN]
    report.issues = values[ReportField.ISSUES]
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = user_id
    report.submitted_at = report.updated_at = now
    if report.on_time is None:
        report.on_time = now <= due_at(project, period)
    report.excuse_reason = report.excused_by = None
    report.excused_at = report.snoozed_until = None
    try:
        uow.flush()
        uow.audit(
            team_id=team_id,
            project_id=project.id,
            actor=user_id,
            action="submit" if before is None or before["submitted_by"] is None else "resubmit",
            entity="report",
            entity_id=report.id,
            before=before,
            after=_snapshot(report),
        )
        uow.commit()
    except IntegrityError:
        # The clock created the period's row between our read and our insert.
        uow.rollback()
        raise UserError(_("The report changed while you were writing. Submit it again.")) from None
    return _card(uow, project, department, period, report)


def _stored(uow: UnitOfWork, team_id: str, report_id: int) -> tuple[Project, Department, Report]:
    report = uow.reports.by_id(report_id)
    project = uow.projects.get(team_id, report.project_id) if report is not None else None
    if report is None or project is None:
        raise NotFound(_("That report no longer exists."))
    return project, _department(uow, project, report.department_id), report


def snooze(
    uow: UnitOfWork, *, team_id: str, report_id: int, user_id: str, hours: int, now: dt.datetime
) -> ReportCard:
    """Put off a pending report's nudges for `hours` (2 or 24). A report no longer pending
    is left as it is; the card says its state."""
    if hours not in SNOOZE_HOURS:
        raise UserError(_("You can answer later in 2 hours or in 1 day."))
    project, department, report = _stored(uow, team_id, report_id)
    _require_lead(department, user_id)
    if report.status == ReportStatus.PENDING:
        before = _snapshot(report)
        report.snoozed_until = now + dt.timedelta(hours=hours)
        report.updated_at = now
        uow.audit(
            team_id=team_id,
            project_id=project.id,
            actor=user_id,
            action="snooze",
            entity="report",
            entity_id=report.id,
            before=before,
            after=_snapshot(report),
        )
        uow.commit()
    return _card(
        uow, project, department, _period(project, report.period_start.isoformat()), report
    )


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
    project, department, report = _stored(uow, team_id, report_id)
    if user_id not in project.pm_ids:
        _require_lead(department, user_id)
    text = _text(reason)
    if not text:
        raise FieldErrors({ReportField.REASON: _("Say why this period is excused.")})
    if len(text) > MAX_TEXT:
        raise FieldErrors(
            {
                ReportField.REASON: _(
                    "Keep it under {limit} characters (now {length}).",
                    limit=MAX_TEXT,
                    length=len(text),
                )
            }
        )
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
    uow.audit(
        team_id=team_id,
        project_id=project.id,
        actor=user_id,
        action="excuse",
        entity="report",
        entity_id=report.id,
        before=before,
        after=_snapshot(report),
    )
    uow.commit()
    return _card(
        uow, project, department, _period(project, report.period_start.isoformat()), report
    )


# -- what the clock calls ------------------------------------------------------------------


def _project_by_id(uow: UnitOfWork, project_id: int) -> Project:
    project = uow.projects.by_id(project_id)
    if project is None:
        raise NotFound(_("That project no longer exists."))
    return project


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
            report = _new_report(project, department, period, now)
            uow.reports.add(report)
            existing[department.id] = report
            created.append(department.id)
    if created or (mark and not uow.reports.opened(project.id, period.key)):
        uow.flush()
        uow.audit(
            team_id=project.team_id,
            project_id=project.id,
            actor=SYSTEM,
            action="open_period",
            entity="report_period",
            entity_id=period.key,
            after={"departments": created},
        )
    return [existing[k] for k in sorted(existing)]


def was_opened(uow: UnitOfWork, *, project_id: int, period: Period) -> bool:
    """Whether `open_period` created the period's reports (its prompt went out): only such a
    period has leads who were asked, so only it gets nudges and a summary. A lead's own early
    submission does not open a period."""
    return uow.reports.opened(project_id, period.key)


def open_period(uow: UnitOfWork, *, project_id: int, period: Period) -> list[ReportCard]:
    """Create the period's pending report for every department with a lead (a second call
    creates nothing), record the period opened (`was_opened`), and return the cards of
    those still pending, for the prompt DMs."""
    project = _project_by_id(uow, project_id)
    reports = _ensure_reports(uow, project, period, mark=True)
    uow.commit()
    departments = {d.id: d for d in uow.projects.departments(project.id)}
    return [
        _card(uow, project, departments[r.department_id], period, r)
        for r in reports
        if r.status == ReportStatus.PENDING and departments[r.department_id].lead_user_id
    ]


def due_for_nudge(
    uow: UnitOfWork, *, project_id: int, period: Period, now: dt.datetime
) -> list[ReportCard]:
    """The period's reports still pending and not snoozed past `now`, whose department has
    a lead to nudge."""
    project = _project_by_id(uow, project_id)
    departments = {d.id: d for d in uow.projects.departments(project.id)}
    return [
        _card(uow, project, departments[r.department_id], period, r)
        for r in uow.reports.pending_unsnoozed(project.id, period.start, now)
        if departments[r.department_id].lead_user_id
    ]


def close_period(
    uow: UnitOfWork, *, project_id: int, period: Period, now: dt.datetime
) -> PeriodSummary:
    """Mark the period's pending reports late (creating any a department with a lead never
    got) and return who submitted, who is missing and who is excused. Idempotent; the
    caller runs it once the report is due (period end + the project's due delay)."""
    project = _project_by_id(uow, project_id)
    reports = _ensure_reports(uow, project, period)
    late = [r for r in reports if r.status == ReportStatus.PENDING]
    for report in late:
        report.status = ReportStatus.LATE
        report.snoozed_until = None
        report.updated_at = now
    if late:
        uow.audit(
            team_id=project.team_id,
            project_id=project.id,
            actor=SYSTEM,
            action="mark_late",
            entity="report_period",
            entity_id=period.key,
            after={"departments": [r.department_id for r in late], "at": now.isoformat()},
        )
    uow.commit()
    departments = {d.id: d for d in uow.projects.departments(project.id)}
    summary = PeriodSummary(
        project.id, project.code, project.channel_id, project.locale, project.timezone, period
    )
    lists = {
        ReportStatus.SUBMITTED: summary.submitted,
        ReportStatus.LATE: summary.missing,
        ReportStatus.EXCUSED: summary.excused,
    }
    for report in reports:
        card = _card(uow, project, departments[report.department_id], period, report)
        lists[ReportStatus(report.status)].append(card)
    return summary


def timeliness(uow: UnitOfWork, *, project_id: int, month: dt.date) -> dict[int, Timeliness]:
    """Per department, the reports of periods ending in `month` (any day of it) that were
    due, and how many were submitted on time. Excused periods do not count, nor do reports
    still pending (not yet due). Departments with nothing due are absent."""
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    departments = {d.id: d for d in uow.projects.departments(project_id)}
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
