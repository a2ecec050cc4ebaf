"""Project set-up: create or edit the project bound to a channel, and who may change it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any, Final
from zoneinfo import available_timezones

from sqlalchemy.exc import IntegrityError

from bot.errors import FieldErrors, PermissionDenied, found
from bot.forms import Form, check_amount, check_date, check_time, check_weekday, stripped
from bot.i18n import LOCALES, Command, Mentions, Msg, _
from bot.money import valid_currency
from bot.money_format import as_typed
from bot.services.project_defaults import seed_departments, seed_matrix
from bot.services.project_rows import audit_in, people_rows
from storage.models import (
    Department,
    Project,
    ProjectPM,
)
from storage.uow import UnitOfWork

CODE_PATTERN: Final = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$")


class ProjectField(StrEnum):
    """Fields of the set-up form; the modal uses the same names as block ids."""

    CODE = "code"
    NAME = "name"
    CURRENCY = "currency"
    TOTAL_BUDGET = "total_budget"
    TIMEZONE = "timezone"
    LOCALE = "locale"
    MEETING_WEEKDAY = "meeting_weekday"
    MEETING_TIME = "meeting_time"
    REPORT_ANCHOR = "report_anchor"
    PMS = "pms"


@dataclass(frozen=True)
class SavedProject:
    project_id: int
    code: str
    created: bool
    locale: str


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def require_pm(project: Project, user_id: str) -> None:
    """Raise `PermissionDenied` naming the PMs unless `user_id` is one of them."""
    if user_id not in project.pm_ids:
        raise PermissionDenied(
            _(
                "Only this project's PMs can do that: {pms}. Ask one of them.",
                pms=Mentions.of(project.pm_ids),
            )
        )


def project_for_channel(uow: UnitOfWork, team_id: str, channel_id: str) -> Project:
    """The project bound to a channel, or `NotFound` telling how to create one."""
    return found(
        uow.projects.by_channel(team_id, channel_id),
        _(
            "This channel has no project yet. Run {command} here to create one.",
            command=Command("/icrm setup"),
        ),
    )


def _required(value: str | None) -> str | None:
    return stripped(value) or None


def validate_form(
    form: Form[ProjectField], *, first_pm: str | None = None
) -> tuple[dict[str, Any], dict[str, Msg]]:
    """Check every field; return the clean values and an error per bad field. `first_pm`
    (a new project's creator) is a PM too, ahead of the form's when not among them."""
    errors: dict[str, Msg] = {}
    values: dict[str, Any] = {}
    empty = _("This field is required.")

    code = (_required(form.text(ProjectField.CODE)) or "").upper()
    if not code:
        errors[ProjectField.CODE] = empty
    elif len(code) > 20 or len(code) < 2 or not CODE_PATTERN.match(code):
        errors[ProjectField.CODE] = _(
            "Use 2–20 capital letters, digits and dashes, starting with a letter, like HWY-42."
        )
    values["code"] = code

    name = _required(form.text(ProjectField.NAME))
    if not name:
        errors[ProjectField.NAME] = empty
    elif len(name) > 200:
        errors[ProjectField.NAME] = _("Keep the name under 200 characters.")
    values["name"] = name

    currency = (_required(form.text(ProjectField.CURRENCY)) or "").upper()
    if not currency:
        errors[ProjectField.CURRENCY] = empty
    elif not valid_currency(currency):
        errors[ProjectField.CURRENCY] = _(
            "“{currency}” is not an ISO 4217 currency code. Use three letters, like CNY or USD.",
            currency=currency[:10],
        )
    values["currency"] = currency
    values["total_budget"] = check_amount(  # any currency while the form's is bad
        form, ProjectField.TOTAL_BUDGET, currency if valid_currency(currency) else "XXX", errors
    )
    _validate_schedule(form, values, errors)
    given = form.many(ProjectField.PMS)
    if first_pm is not None and first_pm not in given:
        given = [first_pm, *given]
    pms = [u for u in dict.fromkeys(given) if u]
    if not pms:
        errors[ProjectField.PMS] = _("A project needs at least one PM.")
    values["pms"] = pms
    return values, errors


def _validate_schedule(
    form: Form[ProjectField], values: dict[str, Any], errors: dict[str, Msg]
) -> None:
    """Time zone, language, the weekly meeting and the report anchor."""
    timezone = _required(form.text(ProjectField.TIMEZONE))
    if not timezone:
        errors[ProjectField.TIMEZONE] = _("This field is required.")
    elif timezone not in _timezones():
        errors[ProjectField.TIMEZONE] = _(
            "“{timezone}” is not a known time zone. Use an IANA name like Asia/Shanghai.",
            timezone=timezone[:40],
        )
    values["timezone"] = timezone

    locale = _required(form.text(ProjectField.LOCALE))
    if locale not in LOCALES:
        errors[ProjectField.LOCALE] = _("Choose English or 简体中文.")
    values["locale"] = locale
    values["meeting_weekday"] = check_weekday(form, ProjectField.MEETING_WEEKDAY, errors)
    values["meeting_time"] = check_time(form, ProjectField.MEETING_TIME, errors)
    values["report_anchor"] = check_date(form, ProjectField.REPORT_ANCHOR, errors)


def _snapshot(project: Project) -> dict[str, Any]:
    return {
        "code": project.code,
        "name": project.name,
        "currency": project.currency,
        "total_budget": str(project.total_budget),
        "timezone": project.timezone,
        "locale": project.locale,
        "meeting_weekday": project.meeting_weekday,
        "meeting_time": project.meeting_time.isoformat(timespec="minutes"),
        "report_anchor": project.report_anchor.isoformat(),
        "pms": sorted(project.pm_ids),
    }


def save_project(
    uow: UnitOfWork,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    form: Form[ProjectField],
    enterprise_id: str | None = None,
) -> SavedProject:
    """Create the channel's project (the creator becomes a PM) or, for its PMs, edit it.
    `enterprise_id` (Enterprise Grid) is kept so an org-wide install's token is found.

    Raises `FieldErrors` for bad input and `PermissionDenied` for a non-PM editing; in both
    cases nothing is saved.
    """
    existing = uow.projects.by_channel(team_id, channel_id)
    if existing is not None:
        require_pm(existing, user_id)
    creator = user_id if existing is None else None  # a new project's first PM
    values = _checked(uow, team_id, form, existing, creator)
    code, pms = values["code"], values.pop("pms")
    if existing is None:
        project = Project(
            team_id=team_id,
            enterprise_id=enterprise_id,
            channel_id=channel_id,
            created_by=user_id,
            created_at=uow.now(),
            **values,
        )
        project.pms = [ProjectPM(user_id=u) for u in pms]
        seed_departments(project)
        uow.projects.add(project)
        action, before = "create", None
    else:
        project, before, action = existing, _snapshot(existing), "update"
        _update(existing, values, pms)
    try:
        uow.flush()
        if existing is None:
            seed_matrix(uow, project)
        audit_in(uow, project, user_id, action, "project", project.id, before, _snapshot(project))
        uow.commit()
    except IntegrityError:
        # Another request took the code or the channel between our check and our insert.
        uow.rollback()
        raise FieldErrors(
            {ProjectField.CODE: _("{code} was just taken. Choose another code.", code=code)}
        ) from None
    return SavedProject(project.id, project.code, existing is None, project.locale)


def _update(project: Project, values: dict[str, Any], pms: list[str]) -> None:
    for key, value in values.items():
        setattr(project, key, value)
    project.pms = people_rows(project.pms, pms, lambda u: ProjectPM(user_id=u))


def _checked(
    uow: UnitOfWork,
    team_id: str,
    form: Form[ProjectField],
    existing: Project | None,
    creator: str | None,
) -> dict[str, Any]:
    """The form's clean values (`creator` among the PMs), the code free in the workspace;
    else `FieldErrors`."""
    values, errors = validate_form(form, first_pm=creator)
    code = values["code"]
    unchanged = existing is not None and code == existing.code  # no need to look it up again
    if code and ProjectField.CODE not in errors and not unchanged:
        other = uow.projects.by_code(team_id, code)
        if other is not None and other is not existing:
            errors[ProjectField.CODE] = _(
                "{code} is already used by another project in this workspace.", code=code
            )
    if errors:
        raise FieldErrors(errors)
    return values


def default_form(
    *, user_id: str, today: dt.date, timezone: str, currency: str, locale: str
) -> Form[ProjectField]:
    """The values a new project's set-up modal starts with."""
    return Form.of(
        ProjectField,
        currency=currency,
        timezone=timezone,
        locale=locale,
        meeting_weekday="0",
        meeting_time="10:00",
        report_anchor=today.isoformat(),
        pms=[user_id],
    )


def form_of(project: Project) -> Form[ProjectField]:
    """The set-up form filled from an existing project, for editing."""
    return Form.of(
        ProjectField,
        code=project.code,
        name=project.name,
        currency=project.currency,
        total_budget=as_typed(project.total_budget, project.locale),
        timezone=project.timezone,
        locale=project.locale,
        meeting_weekday=str(project.meeting_weekday),
        meeting_time=project.meeting_time.isoformat(timespec="minutes"),
        report_anchor=project.report_anchor.isoformat(),
        pms=project.pm_ids,
    )


USER_ID: Final = re.compile(r"^[UW][A-Z0-9]{2,31}$")


def valid_user_id(user_id: str) -> bool:
    """A Slack user id as a users select returns it (`U…` or `W…`)."""
    return bool(USER_ID.match(user_id))


def get_project(uow: UnitOfWork, team_id: str, project_id: int) -> Project:
    """The project, or `NotFound` (also for another workspace's project)."""
    return found(uow.projects.get(team_id, project_id), _("That project no longer exists."))


def project_by_id(uow: UnitOfWork, project_id: int) -> Project:
    """The project of any workspace (for jobs and the clock, which have no team), or `NotFound`."""
    return found(uow.projects.by_id(project_id), _("That project no longer exists."))


def departments_of(uow: UnitOfWork, project_id: int) -> dict[int, Department]:
    """The project's departments by id."""
    return {d.id: d for d in uow.projects.departments(project_id)}


def pm_project(uow: UnitOfWork, team_id: str, project_id: int, user_id: str) -> Project:
    """The project if `user_id` is one of its PMs; `NotFound` / `PermissionDenied` otherwise."""
    project = get_project(uow, team_id, project_id)
    require_pm(project, user_id)
    return project
