"""Feedback between departments: give it, answer it, list it, and a month's ratings.

Anonymous feedback keeps nothing that names its author, anywhere: the feedback row has no
user id (the database refuses one), the audit log's actor is "anonymous" with nothing about
the author in before/after, and both times are cut to the start of the project-local day so
they cannot be matched against who was online when. Only the giver's department is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bot.errors import FieldErrors, NotFound, PermissionDenied, UserError
from bot.i18n import Msg, _
from bot.services import membership
from storage.models import Department, Feedback, FeedbackStatus, Project
from storage.uow import UnitOfWork

MAX_COMMENT: Final = 2000
MAX_REPLY: Final = 2000
RATINGS: Final = (1, 2, 3, 4, 5)
ANONYMOUS_ACTOR: Final = "anonymous"


class FeedbackField(StrEnum):
    """Fields of the feedback and reply modals; the modals use the same names as block ids."""

    TO_DEPARTMENT = "to_department"
    FROM_DEPARTMENT = "from_department"
    RATING = "rating"
    COMMENT = "comment"
    ANONYMOUS = "anonymous"
    REPLY = "reply"


class FeedbackForm(BaseModel):
    """What the feedback modal submitted, as plain text; `give_feedback` validates it."""

    to_department: str | None = None
    from_department: str | None = None
    rating: str | None = None
    comment: str | None = None
    anonymous: bool = False


@dataclass(frozen=True)
class DepartmentChoice:
    id: int
    name: str


@dataclass(frozen=True)
class FeedbackItem:
    """One feedback as every surface shows it. `author_user_id` is None when anonymous."""

    id: int
    project_id: int
    project_code: str
    locale: str
    timezone: str
    to_department_id: int
    to_department: str
    from_department: str | None
    lead_user_id: str | None
    pm_ids: tuple[str, ...]
    rating: int
    comment: str
    anonymous: bool
    author_user_id: str | None
    status: FeedbackStatus
    reply: str | None
    acknowledged_by: str | None
    acknowledged_at: dt.datetime | None
    replied_by: str | None
    replied_at: dt.datetime | None
    created_at: dt.datetime

    @property
    def recipients(self) -> tuple[str, ...]:
        """Who is told about new feedback: the receiving lead, or the PMs when it has none."""
        return (self.lead_user_id,) if self.lead_user_id else self.pm_ids


@dataclass(frozen=True)
class Received:
    """What `/feedback list` shows: newest first, at most the limit, and the total."""

    items: list[FeedbackItem]
    total: int
    departments: list[str]  # whose feedback this is; empty means every department
    mean: Decimal | None
    new: int


@dataclass(frozen=True)
class DepartmentRatings:
    """A department's feedback received in one month, for the monthly scorecard."""

    department_id: int
    count: int
    mean: Decimal | None  # two decimals; None without feedback
    acknowledged: int  # acknowledged or resolved, as of now
    acknowledgement_rate: Decimal | None  # acknowledged / count, 0–1, four decimals


# -- reading ------------------------------------------------------------------------


def _project(uow: UnitOfWork, team_id: str, project_id: int) -> Project:
    project = uow.projects.get(team_id, project_id)
    if project is None:
        raise NotFound(_("That project no longer exists."))
    return project


def _item(project: Project, feedback: Feedback, departments: dict[int, Department]) -> FeedbackItem:
    to = departments[feedback.to_department_id]
    source = departments.get(feedback.from_department_id or 0)
    return FeedbackItem(
        id=feedback.id,
        project_id=project.id,
        project_code=project.code,
        locale=project.locale,
        timezone=project.timezone,
        to_department_id=to.id,
        to_department=to.name,
        from_department=source.name if source else None,
        lead_user_id=to.lead_user_id,
        pm_ids=tuple(project.pm_ids),
        rating=feedback.rating,
        comment=feedback.comment,
        anonymous=feedback.anonymous,
        author_user_id=None if feedback.anonymous else feedback.author_user_id,
        status=FeedbackStatus(feedback.status),
        reply=feedback.reply,
        acknowledged_by=feedback.acknowledged_by,
        acknowledged_at=feedback.acknowledged_at,
        replied_by=feedback.replied_by,
        replied_at=feedback.replied_at,
        created_at=feedback.created_at,
    )


def _departments(uow: UnitOfWork, project_id: int) -> dict[int, Department]:
    return {d.id: d for d in uow.projects.departments(project_id)}


def _mine(departments: dict[int, Department], user_id: str) -> list[Department]:
    return [d for d in departments.values() if user_id in d.member_ids or d.lead_user_id == user_id]


def department_choices(uow: UnitOfWork, project_id: int) -> list[DepartmentChoice]:
    """The project's departments, in their set-up order."""
    return [DepartmentChoice(d.id, d.name) for d in uow.projects.departments(project_id)]


def default_form(uow: UnitOfWork, *, project_id: int, user_id: str) -> FeedbackForm:
    """The feedback modal's starting values: the giver's own department as the source."""
    mine = _mine(_departments(uow, project_id), user_id)
    return FeedbackForm(from_department=str(mine[0].id) if mine else None)


def start_of_day(moment: dt.datetime, timezone: str) -> dt.datetime:
    """The start of `moment`'s day in `timezone`, as an aware UTC datetime."""
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone).date()
    return dt.datetime.combine(local, dt.time(0), zone).astimezone(dt.UTC)


def month_bounds(year: int, month: int, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a calendar month in `timezone`, as aware UTC datetimes."""
    zone = ZoneInfo(timezone)
    start = dt.datetime(year, month, 1, tzinfo=zone)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


# -- giving -------------------------------------------------------------------------


def _choose(value: str | None, departments: dict[int, Department]) -> Department | None:
    if value and value.strip().isdigit():
        return departments.get(int(value))
    return None


def _validate(
    form: FeedbackForm, departments: dict[int, Department], user_id: str
) -> tuple[Department | None, Department | None, int | None, str, dict[str, Msg]]:
    errors: dict[str, Msg] = {}
    target = _choose(form.to_department, departments)
    if target is None:
        errors[FeedbackField.TO_DEPARTMENT] = _("Choose the department your feedback is about.")
    source = _choose(form.from_department, departments)
    mine = _mine(departments, user_id)
    if source is None:
        errors[FeedbackField.FROM_DEPARTMENT] = _("Choose your own department.")
    elif mine and source not in mine:
        errors[FeedbackField.FROM_DEPARTMENT] = _(
            "You are not in {department}. Choose your own department: {mine}.",
            department=source.name,
            mine=", ".join(d.name for d in mine),
        )
    if target is not None and source is not None and target.id == source.id:
        errors[FeedbackField.TO_DEPARTMENT] = _(
            "A department cannot give feedback to itself. Choose another department."
        )
    rating_text = (form.rating or "").strip()
    rating = int(rating_text) if rating_text.isdigit() else None
    if rating not in RATINGS:
        errors[FeedbackField.RATING] = _("Choose a rating from 1 (poor) to 5 (excellent).")
        rating = None
    comment = (form.comment or "").strip()
    if not comment:
        errors[FeedbackField.COMMENT] = _("Write a comment: what went well, or what should change.")
    elif len(comment) > MAX_COMMENT:
        errors[FeedbackField.COMMENT] = _(
            "Keep the comment under {limit} characters (it has {n}).",
            limit=MAX_COMMENT,
            n=len(comment),
        )
    return target, source, rating, comment, errors


def give_feedback(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    form: FeedbackForm,
    now: dt.datetime,
) -> FeedbackItem:
    """Save feedback from `user_id` (who must be in the source department, when they are in
    any department of the project) and return it.

    Raises `FieldErrors` for bad input, saving nothing. Anonymous feedback stores no user id
    and only the day it was given (see the module docstring).
    """
    project = _project(uow, team_id, project_id)
    membership.require_member(uow, project, user_id)
    departments = _departments(uow, project_id)
    target, source, rating, comment, errors = _validate(form, departments, user_id)
    if errors:
        raise FieldErrors(errors)
    assert target is not None and source is not None and rating is not None
    anonymous = form.anonymous
    created = start_of_day(now, project.timezone) if anonymous else now
    feedback = Feedback(
        project_id=project_id,
        to_department_id=target.id,
        from_department_id=source.id,
        rating=rating,
        comment=comment,
        anonymous=anonymous,
        author_user_id=None if anonymous else user_id,
        status=FeedbackStatus.NEW,
        created_at=created,
    )
    uow.feedback.add(feedback)
    uow.session.flush()
    uow.audit(
        team_id=team_id,
        project_id=project_id,
        actor=ANONYMOUS_ACTOR if anonymous else user_id,
        action="create",
        entity="feedback",
        entity_id=feedback.id,
        after={
            "to_department": target.id,
            "from_department": source.id,
            "rating": rating,
            "anonymous": anonymous,
            "status": FeedbackStatus.NEW.value,
        },
        at=created if anonymous else None,
    )
    uow.commit()
    return _item(project, feedback, departments)


# -- answering ----------------------------------------------------------------------


def _load(
    uow: UnitOfWork, team_id: str, feedback_id: int
) -> tuple[Project, Feedback, dict[int, Department]]:
    feedback = uow.session.get(Feedback, feedback_id)
    project = uow.projects.get(team_id, feedback.project_id) if feedback else None
    if feedback is None or project is None:
        raise NotFound(_("That feedback no longer exists."))
    return project, feedback, _departments(uow, project.id)


def _require_responder(project: Project, department: Department, user_id: str) -> None:
    if user_id == department.lead_user_id or user_id in project.pm_ids:
        return
    pms = ", ".join(f"<@{u}>" for u in project.pm_ids)
    if department.lead_user_id:
        raise PermissionDenied(
            _(
                "Only the lead of {department} ({lead}) or a PM ({pms}) can answer this feedback.",
                department=department.name,
                lead=f"<@{department.lead_user_id}>",
                pms=pms,
            )
        )
    raise PermissionDenied(
        _(
            "{department} has no lead, so only a PM ({pms}) can answer this feedback.",
            department=department.name,
            pms=pms,
        )
    )


def for_responder(uow: UnitOfWork, *, team_id: str, feedback_id: int, user_id: str) -> FeedbackItem:
    """The feedback, if `user_id` may answer it (receiving lead or PM); else `PermissionDenied`
    saying who may. Raises `UserError` when it was already answered."""
    project, feedback, departments = _load(uow, team_id, feedback_id)
    _require_responder(project, departments[feedback.to_department_id], user_id)
    if feedback.status == FeedbackStatus.RESOLVED:
        raise UserError(
            _("{user} already replied to this feedback.", user=f"<@{feedback.replied_by}>")
        )
    return _item(project, feedback, departments)


def acknowledge(
    uow: UnitOfWork, *, team_id: str, feedback_id: int, user_id: str, now: dt.datetime
) -> FeedbackItem:
    """Mark new feedback acknowledged by its receiving lead or a PM. Acknowledging it again
    changes nothing; the current state is returned either way."""
    project, feedback, departments = _load(uow, team_id, feedback_id)
    _require_responder(project, departments[feedback.to_department_id], user_id)
    changed = uow.feedback.transition(
        feedback,
        [FeedbackStatus.NEW],
        status=FeedbackStatus.ACKNOWLEDGED,
        acknowledged_by=user_id,
        acknowledged_at=now,
    )
    if changed:
        uow.audit(
            team_id=team_id,
            project_id=project.id,
            actor=user_id,
            action="acknowledge",
            entity="feedback",
            entity_id=feedback.id,
            before={"status": FeedbackStatus.NEW.value},
            after={"status": FeedbackStatus.ACKNOWLEDGED.value},
        )
        uow.commit()
    return _item(project, feedback, departments)


def reply(
    uow: UnitOfWork,
    *,
    team_id: str,
    feedback_id: int,
    user_id: str,
    text: str | None,
    now: dt.datetime,
) -> FeedbackItem:
    """Answer feedback (acknowledging it too) and resolve it. Only the receiving lead or a PM;
    one reply per feedback. Raises `FieldErrors` on the reply field for an empty or too long
    reply or one already given, and `PermissionDenied` naming who may answer."""
    project, feedback, departments = _load(uow, team_id, feedback_id)
    _require_responder(project, departments[feedback.to_department_id], user_id)
    answer = (text or "").strip()
    if feedback.status == FeedbackStatus.RESOLVED:
        raise FieldErrors(
            {
                FeedbackField.REPLY: _(
                    "{user} already replied to this feedback.", user=f"<@{feedback.replied_by}>"
                )
            }
        )
    if not answer:
        raise FieldErrors({FeedbackField.REPLY: _("Write a reply.")})
    if len(answer) > MAX_REPLY:
        raise FieldErrors(
            {
                FeedbackField.REPLY: _(
                    "Keep the reply under {limit} characters (it has {n}).",
                    limit=MAX_REPLY,
                    n=len(answer),
                )
            }
        )
    before = feedback.status
    changed = uow.feedback.transition(
        feedback,
        [FeedbackStatus.NEW, FeedbackStatus.ACKNOWLEDGED],
        status=FeedbackStatus.RESOLVED,
        reply=answer,
        replied_by=user_id,
        replied_at=now,
        **uow.feedback.acknowledged_once(user_id, now),
    )
    if not changed:  # someone replied between our read and our write
        raise FieldErrors(
            {
                FeedbackField.REPLY: _(
                    "{user} already replied to this feedback.", user=f"<@{feedback.replied_by}>"
                )
            }
        )
    uow.audit(
        team_id=team_id,
        project_id=project.id,
        actor=user_id,
        action="reply",
        entity="feedback",
        entity_id=feedback.id,
        before={"status": before},
        after={"status": FeedbackStatus.RESOLVED.value, "reply": answer},
    )
    uow.commit()
    return _item(project, feedback, departments)


# -- listing and the scorecard ------------------------------------------------------


def received(
    uow: UnitOfWork, *, team_id: str, project_id: int, user_id: str, limit: int
) -> Received:
    """Feedback received by the departments `user_id` leads (every department for a PM),
    newest first. Anyone else gets `PermissionDenied` saying who can see it."""
    project = _project(uow, team_id, project_id)
    departments = _departments(uow, project_id)
    led = [d for d in departments.values() if d.lead_user_id == user_id]
    if user_id in project.pm_ids:
        scope: list[Department] | None = None
    elif led:
        scope = led
    else:
        pms = ", ".join(f"<@{u}>" for u in project.pm_ids)
        leads = [d for d in _mine(departments, user_id) if d.lead_user_id]
        if leads:
            raise PermissionDenied(
                _(
                    "Feedback your department received is for its lead ({lead}) and the PMs ({pms}) to see. Ask them.",
                    lead=", ".join(f"<@{d.lead_user_id}>" for d in leads),
                    pms=pms,
                )
            )
        raise PermissionDenied(
            _(
                "Only department leads and the PMs ({pms}) can see feedback received.",
                pms=pms,
            )
        )
    ids = None if scope is None else [d.id for d in scope]
    rows = uow.feedback.received(project_id, ids, limit=limit)
    total, rating_sum, new = uow.feedback.received_summary(project_id, ids)
    return Received(
        items=[_item(project, f, departments) for f in rows],
        total=total,
        departments=[] if scope is None else [d.name for d in scope],
        mean=(Decimal(rating_sum) / total).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if total
        else None,
        new=new,
    )


def _mean(ratings: Sequence[int]) -> Decimal | None:
    if not ratings:
        return None
    return (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def monthly_ratings(
    uow: UnitOfWork,
    *,
    project_id: int,
    year: int,
    month: int,
    anonymous_minimum: int | None = None,
) -> dict[int, DepartmentRatings]:
    """Per department (every department of the project, with or without feedback): the
    feedback it received in that calendar month of the project's timezone — count, mean
    rating and the share acknowledged so far. With `anonymous_minimum`, a department's
    anonymous feedback counts only when it has at least that many that month (the
    scorecard's rule: a published figure never rests on fewer anonymous people)."""
    project = uow.session.get(Project, project_id)
    if project is None:
        raise NotFound(_("That project no longer exists."))
    start, end = month_bounds(year, month, project.timezone)
    rows = uow.feedback.between(project_id, start, end)
    result: dict[int, DepartmentRatings] = {}
    for department in uow.projects.departments(project_id):
        mine = [f for f in rows if f.to_department_id == department.id]
        if anonymous_minimum is not None:
            anonymous = [f for f in mine if f.anonymous]
            if len(anonymous) < anonymous_minimum:
                mine = [f for f in mine if not f.anonymous]
        acknowledged = sum(1 for f in mine if f.status != FeedbackStatus.NEW)
        result[department.id] = DepartmentRatings(
            department_id=department.id,
            count=len(mine),
            mean=_mean([f.rating for f in mine]),
            acknowledged=acknowledged,
            acknowledgement_rate=(
                (Decimal(acknowledged) / len(mine)).quantize(Decimal("0.0001")) if mine else None
            ),
        )
    return result
