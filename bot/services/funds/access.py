"""Who may record and manage fund use, the project's dates, and the checks every form shares."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, Literal

from bot.errors import PermissionDenied, found
from bot.forms import Errors, F, Form, check_date, check_row, stripped
from bot.i18n import Mentions, Msg, _
from bot.periods import today_in
from bot.services import membership
from bot.services.projects import get_project
from storage.models import BudgetLine, DepartmentKind, FundEntry, Project
from storage.uow import UnitOfWork


def project_began(project: Project) -> dt.date:
    """The first day fund use may be dated: the earlier of the day the project was created (in
    its timezone) and its report anchor, so money spent before set-up can still be recorded."""
    created = today_in(project.timezone, project.created_at)
    return min(created, project.report_anchor)


def managers(project: Project) -> list[str]:
    """Who may void entries and set up funding: the PMs and the finance department's lead."""
    people = list(project.pm_ids)
    for department in project.departments:
        if department.kind == DepartmentKind.FINANCE and department.lead_user_id:
            people.append(department.lead_user_id)
    return list(dict.fromkeys(people))


def require_manager(project: Project, user_id: str, what: Msg) -> None:
    if user_id not in managers(project):
        raise PermissionDenied(
            _(
                "Only the PMs and the finance lead can {what}: {people}. Ask one of them.",
                what=what,
                people=Mentions.of(managers(project)),
            )
        )


def managed_project(
    uow: UnitOfWork, team_id: str, project_id: int, user_id: str, what: Msg
) -> Project:
    """The project, if `user_id` is one of its `managers`; `NotFound` / `PermissionDenied`
    (saying who may `what`) otherwise."""
    project = get_project(uow, team_id, project_id)
    require_manager(project, user_id, what)
    return project


def require_member(uow: UnitOfWork, project: Project, user_id: str) -> None:
    """Fund use is recorded by the project's people: PMs, department leads and members."""
    membership.require_member(
        uow,
        project,
        user_id,
        _(
            "Only members of this project's departments can record fund use. Ask a PM to add you: {pms}.",
            pms=Mentions.of(project.pm_ids),
        ),
    )


def member_project(uow: UnitOfWork, team_id: str, project_id: int, user_id: str) -> Project:
    """The project, if `user_id` may record fund use in it (`require_member`); `NotFound` /
    `PermissionDenied` otherwise."""
    project = get_project(uow, team_id, project_id)
    require_member(uow, project, user_id)
    return project


def locked_line(
    uow: UnitOfWork,
    project_id: int,
    form: Form[F],
    field: F,
    errors: Errors,
    *,
    not_listed: Msg | None = None,
) -> BudgetLine | None:
    """The budget line the form's select `field` chose (its value: the line's id), locked;
    else None, with an error on `field`: none chosen, not a line's id (`not_listed`; without
    it, as for a line that no longer exists) or a line that no longer exists."""
    gone = _("That budget line no longer exists. Choose another.")
    return check_row(
        form,
        field,
        lambda line_id: uow.funds.lock_line(project_id, line_id),
        errors,
        none=_("Choose a budget line."),
        not_listed=not_listed or gone,
        gone=gone,
    )


def locked_entry(uow: UnitOfWork, project: Project, entry_id: int) -> FundEntry:
    """The project's fund-use entry `entry_id`, locked, or `NotFound`."""
    return found(
        uow.funds.lock_entry(project.id, entry_id),
        _("There is no fund-use entry #{id} in this project.", id=entry_id),
    )


TextKind = Literal["name", "reference", "purpose", "reason"]

# The longest text of each kind a fund form takes, and what the form says past it.
_TOO_LONG: Final[dict[TextKind, tuple[int, Msg]]] = {
    "name": (100, _("Keep the name under 100 characters.")),
    "reference": (100, _("Keep the reference under 100 characters.")),
    "purpose": (2000, _("Keep the purpose under 2,000 characters.")),
    "reason": (2000, _("Keep the reason under 2,000 characters.")),
}


def check_text(
    form: Form[F],
    field: F,
    kind: TextKind,
    errors: Errors,
    *,
    required: Msg | None = None,
) -> str:
    """The `field`'s text, stripped; an error on `field` when it is longer than its kind
    allows, or empty where the field must be filled (`required`: what the form says then)."""
    text = stripped(form.text(field))
    most, too_long = _TOO_LONG[kind]
    if required is not None and not text:
        errors[field] = required
    elif len(text) > most:
        errors[field] = too_long
    return text


def check_past_day(
    form: Form[F], field: F, project: Project, today: dt.date, errors: Errors
) -> dt.date | None:
    """A required date from the day the project began (`project_began`) to `today`."""
    day = check_date(form, field, errors)
    if day is None:
        return None
    if day > today:
        errors[field] = _(
            "The date cannot be in the future (today is {today} in the project's time zone).",
            today=today.isoformat(),
        )
    elif day < project_began(project):
        errors[field] = _(
            "The date is before the project began ({began}).",
            began=project_began(project).isoformat(),
        )
    return day


def entry_snapshot(entry: FundEntry) -> dict[str, Any]:
    return {
        "budget_line_id": entry.budget_line_id,
        "amount": str(entry.amount),
        "spent_on": entry.spent_on.isoformat(),
        "purpose": entry.purpose,
        "reference": entry.reference,
        "reporter": entry.reporter,
        "voided_at": entry.voided_at.isoformat() if entry.voided_at else None,
        "voided_by": entry.voided_by,
        "void_reason": entry.void_reason,
        "status": entry.status,
        "approval_role": entry.approval_role,
        "checks": entry.checks,
        "check_reason": entry.check_reason,
    }
