"""Departments of a project: who leads them, who is in them, what they answer for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.errors import UserError, found
from bot.forms import Errors, F, Form, stripped
from bot.i18n import Command, Msg, _
from bot.services.admin import refuse_errors, save_named
from bot.services.project_rows import audit_in, people_rows
from bot.services.projects import get_project, pm_project, valid_user_id
from storage.models import (
    Department,
    DepartmentKind,
    DepartmentMember,
    Raci,
)
from storage.uow import UnitOfWork

MAX_NAME = 100
MAX_RESPONSIBILITIES = 2000
MAX_MEMBERS = 100


class DepartmentField(StrEnum):
    """Fields of the department modal; the modal uses the same names as block ids."""

    NAME = "name"
    KIND = "kind"
    LEAD = "lead"
    MEMBERS = "members"
    RESPONSIBILITIES = "responsibilities"


@dataclass(frozen=True)
class DepartmentRow:
    id: int
    name: str
    kind: str
    lead: str | None
    members: tuple[str, ...]
    responsibilities: str


def _row(department: Department) -> DepartmentRow:
    return DepartmentRow(
        department.id,
        department.name,
        department.kind,
        department.lead_user_id,
        tuple(department.member_ids),
        department.responsibilities,
    )


def clean_name(form: Form[F], field: F, errors: Errors) -> str:
    """A department's or budget line's name: the `field`'s text with its white space folded;
    an error on `field` when it is empty or too long."""
    name = " ".join((form.text(field) or "").split())
    if not name:
        errors[field] = _("This field is required.")
    elif len(name) > MAX_NAME:
        errors[field] = _("Keep the name under {n} characters.", n=MAX_NAME)
    return name


def set_members(department: Department, user_ids: Iterable[str]) -> None:
    """Make `user_ids` the department's members, in order; a member who stays keeps their row."""
    department.members = people_rows(
        department.members, user_ids, lambda u: DepartmentMember(user_id=u)
    )


def validate_department(form: Form[DepartmentField]) -> tuple[dict[str, Any], dict[str, Msg]]:
    """Check every field; return the clean values and an error per bad field (pure)."""
    errors: dict[str, Msg] = {}
    name = clean_name(form, DepartmentField.NAME, errors)
    kind = form.text(DepartmentField.KIND) or ""
    if not kind:
        errors[DepartmentField.KIND] = _("This field is required.")
    elif kind not in set(DepartmentKind):
        errors[DepartmentField.KIND] = _("Choose a kind from the list.")
    lead = stripped(form.text(DepartmentField.LEAD)) or None
    if lead is not None and not valid_user_id(lead):
        errors[DepartmentField.LEAD] = _("Choose the lead from the list of people.")
    members = list(dict.fromkeys(u for u in form.many(DepartmentField.MEMBERS) if u))
    if any(not valid_user_id(u) for u in members):
        errors[DepartmentField.MEMBERS] = _("Choose members from the list of people.")
    elif len(members) > MAX_MEMBERS:
        errors[DepartmentField.MEMBERS] = _(
            "A department can have at most {n} members.", n=MAX_MEMBERS
        )
    responsibilities = stripped(form.text(DepartmentField.RESPONSIBILITIES))
    if len(responsibilities) > MAX_RESPONSIBILITIES:
        errors[DepartmentField.RESPONSIBILITIES] = _(
            "Keep this under {n} characters.", context="project", n=MAX_RESPONSIBILITIES
        )
    values = {
        "name": name,
        "kind": kind,
        "lead": lead,
        "members": members,
        "responsibilities": responsibilities,
    }
    return values, errors


def _snapshot(department: Department) -> dict[str, Any]:
    return {
        "name": department.name,
        "kind": department.kind,
        "lead": department.lead_user_id,
        "members": sorted(department.member_ids),
        "responsibilities": department.responsibilities,
    }


def list_departments(uow: UnitOfWork, *, team_id: str, project_id: int) -> list[DepartmentRow]:
    """Every department of the project, oldest first. Anyone in the workspace may read it."""
    get_project(uow, team_id, project_id)
    return [_row(d) for d in uow.projects.departments(project_id)]


def department_form(
    uow: UnitOfWork, *, team_id: str, project_id: int, user_id: str, department_id: int | None
) -> Form[DepartmentField]:
    """The modal's starting values (empty for a new department); PMs only."""
    pm_project(uow, team_id, project_id, user_id)
    if department_id is None:
        return Form.of(DepartmentField, kind=DepartmentKind.OTHER)
    department = department_of(uow, project_id, department_id)
    return Form.of(
        DepartmentField,
        name=department.name,
        kind=department.kind,
        lead=department.lead_user_id,
        members=department.member_ids,
        responsibilities=department.responsibilities,
    )


def department_of(uow: UnitOfWork, project_id: int, department_id: int) -> Department:
    """A department of the project, or `NotFound`."""
    return found(
        uow.projects.department(project_id, department_id), _("That department no longer exists.")
    )


def save_department(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    department_id: int | None,
    form: Form[DepartmentField],
) -> DepartmentRow:
    """Create a department (`department_id` None) or edit one; PMs only.

    Raises `FieldErrors` for bad input (including a name another department of the project
    already has) and `PermissionDenied` for a non-PM; nothing is saved then.
    """
    pm_project(uow, team_id, project_id, user_id)
    department = None if department_id is None else department_of(uow, project_id, department_id)
    values, errors = validate_department(form)
    others = uow.projects.departments(project_id)
    taken = _("This project already has a department called “{name}”.", name=values["name"])
    refuse_errors(errors, DepartmentField.NAME, values["name"], others, department, taken)

    before = None if department is None else _snapshot(department)
    if department is None:
        department = Department(project_id=project_id)
        uow.projects.add_department(department)
    department.name = values["name"]
    department.kind = values["kind"]
    department.lead_user_id = values["lead"]
    department.responsibilities = values["responsibilities"]
    set_members(department, values["members"])
    save_named(
        uow,
        department,
        team_id=team_id,
        project_id=project_id,
        user_id=user_id,
        entity="department",
        name_field=DepartmentField.NAME,
        before=before,
        snapshot=_snapshot,
    )
    return _row(department)


def remove_department(
    uow: UnitOfWork, *, team_id: str, project_id: int, user_id: str, department_id: int
) -> str:
    """Delete a department and its places in the responsibility matrix; PMs only. The name.

    Refused (`UserError`) while budget lines belong to it, or while it is the only
    Responsible department of a matrix row, so no money and no duty is left without an owner.
    """
    project = pm_project(uow, team_id, project_id, user_id)
    department = department_of(uow, project_id, department_id)
    lines = uow.projects.line_count_of_department(department_id)
    if lines:
        raise UserError(
            _(
                "“{name}” still owns budget lines ({n}). Move them to another department with {command} first, then remove the department.",
                name=department.name,
                n=int(lines),
                command=Command("/icrm budget"),
            )
        )
    responsibilities = uow.projects.responsibilities(project_id)
    for mine in responsibilities:
        if mine.department_id != department_id or mine.role != Raci.RESPONSIBLE:
            continue
        others = [
            r
            for r in responsibilities
            if (r.phase, r.area) == (mine.phase, mine.area)
            and r.role == Raci.RESPONSIBLE
            and r.department_id != department_id
        ]
        if not others:
            raise UserError(
                _(
                    "“{name}” is the only Responsible department for a row of the responsibility matrix. Make another department Responsible with {command} first.",
                    name=department.name,
                    command=Command("/icrm roles"),
                )
            )
    before = _snapshot(department)
    for responsibility in responsibilities:
        if responsibility.department_id == department_id:
            uow.projects.delete(responsibility)
    uow.projects.delete(department)
    audit_in(uow, project, user_id, "delete", "department", department_id, before)
    uow.commit()
    return str(before["name"])
