"""A project's report periods, and who reports for which department."""

from __future__ import annotations

import datetime as dt

from bot.errors import NotFound, PermissionDenied
from bot.i18n import Command, Mentions, Msg, _
from bot.periods import Period, period_at, period_by_key
from bot.services.departments import department_of
from bot.services.projects import get_project
from bot.services.reports.cards import OWED
from storage.models import Department, Project
from storage.uow import UnitOfWork


def current_period(project: Project, now: dt.datetime) -> Period:
    """The period containing `now` on the project's local calendar."""
    return period_at(project.report_anchor, now, project.timezone)


def due_at(project: Project, period: Period) -> dt.datetime:
    return period.due_at(project.timezone, project.report_due_days)


def _leads_text(departments: list[Department]) -> Msg | None:
    """`Finance: @lead; Legal: @lead` (mentions) as one message whose parts keep the department name
    (text a PM typed, escaped where it is shown) apart from the lead's mention."""
    parts = {
        f"d{i}": _("{department}: {lead}", department=d.name, lead=Mentions.of([d.lead_user_id]))
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
    project = get_project(uow, team_id, project_id)
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
                pms=Mentions.of(project.pm_ids),
            )
        )
    raise PermissionDenied(
        _(
            "Fund-use reports are submitted by department leads, and you lead no department here. Your lead: {leads}.",
            leads=leads,
        )
    )


def require_lead(department: Department, user_id: str) -> None:
    if department.lead_user_id != user_id:
        lead = Mentions.of([department.lead_user_id], empty="—")
        raise PermissionDenied(
            _(
                "Only the lead of {department} ({lead}) can do that.",
                department=department.name,
                lead=lead,
            )
        )


def led_department(
    uow: UnitOfWork, team_id: str, project_id: int, department_id: int, user_id: str
) -> tuple[Project, Department]:
    """The project and its department, which `user_id` must lead (`PermissionDenied`)."""
    project = get_project(uow, team_id, project_id)
    department = department_of(uow, project.id, department_id)
    require_lead(department, user_id)
    return project, department


def period_of_key(project: Project, key: str) -> Period:
    try:
        return period_by_key(project.report_anchor, key)
    except ValueError:
        raise NotFound(
            _(
                "That report period no longer matches the project's schedule. Run {command}.",
                command=Command("/funds report"),
            )
        ) from None


def period_to_report(
    uow: UnitOfWork, project: Project, department_id: int, now: dt.datetime
) -> Period:
    """The period a lead reports on now: the one just closed while its report is still
    owed (pending or late), otherwise the current one."""
    current = current_period(project, now)
    previous = current.previous()
    owed = uow.reports.for_department(project.id, department_id, previous.start)
    if owed is not None and owed.status in OWED:
        return previous
    return current
