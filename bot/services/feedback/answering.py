"""Answering feedback: who may, acknowledging and replying."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.errors import FieldErrors, PermissionDenied, UserError
from bot.forms import stripped
from bot.i18n import Mentions, Msg, _
from bot.services.feedback.cards import (
    MAX_REPLY,
    FeedbackField,
    FeedbackItem,
    to_item,
)
from bot.services.project_rows import audit_in, committed, with_project
from bot.services.projects import departments_of
from storage.models import Department, Feedback, FeedbackStatus, Project
from storage.uow import UnitOfWork


def _load(
    uow: UnitOfWork, team_id: str, feedback_id: int, user_id: str
) -> tuple[Project, Feedback, dict[int, Department]]:
    """The feedback, its project and departments; `PermissionDenied` unless `user_id` may
    answer it."""
    feedback, project = with_project(
        uow, team_id, uow.feedback.by_id(feedback_id), _("That feedback no longer exists.")
    )
    departments = departments_of(uow, project.id)
    _require_responder(project, departments[feedback.to_department_id], user_id)
    return project, feedback, departments


def _require_responder(project: Project, department: Department, user_id: str) -> None:
    if user_id == department.lead_user_id or user_id in project.pm_ids:
        return
    pms = Mentions.of(project.pm_ids)
    if department.lead_user_id:
        raise PermissionDenied(
            _(
                "Only the lead of {department} ({lead}) or a PM ({pms}) can answer this feedback.",
                department=department.name,
                lead=Mentions.of([department.lead_user_id]),
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
    project, feedback, departments = _load(uow, team_id, feedback_id, user_id)
    if feedback.status == FeedbackStatus.RESOLVED:
        raise UserError(_replied(feedback))
    return to_item(project, feedback, departments)


def acknowledge(
    uow: UnitOfWork, *, team_id: str, feedback_id: int, user_id: str, now: dt.datetime
) -> FeedbackItem:
    """Mark new feedback acknowledged by its receiving lead or a PM. Acknowledging it again
    changes nothing; the current state is returned either way."""
    project, feedback, departments = _load(uow, team_id, feedback_id, user_id)
    changed = uow.feedback.transition(
        feedback,
        [FeedbackStatus.NEW],
        status=FeedbackStatus.ACKNOWLEDGED,
        acknowledged_by=user_id,
        acknowledged_at=now,
    )
    if changed:
        before = {"status": FeedbackStatus.NEW.value}
        after = {"status": FeedbackStatus.ACKNOWLEDGED.value}
        audit_in(uow, project, user_id, "acknowledge", "feedback", feedback.id, before, after)
        uow.commit()
    return to_item(project, feedback, departments)


def reply(
    uow: UnitOfWork,
    *,
    team_id: str,
    feedback_id: int,
    user_id: str,
    text: str | None,
    now: dt.datetime,
    queue: Callable[[UnitOfWork, FeedbackItem], None] | None = None,
) -> FeedbackItem:
    """Answer feedback (acknowledging it too) and resolve it. Only the receiving lead or a PM;
    one reply per feedback. Raises `FieldErrors` on the reply field for an empty or too long
    reply or one already given, and `PermissionDenied` naming who may answer. `queue(uow,
    item)` runs before the commit (the author's DM is committed with the reply)."""
    project, feedback, departments = _load(uow, team_id, feedback_id, user_id)
    answer = _valid_reply(feedback, text)
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
        raise _already_replied(feedback)
    after = {"status": FeedbackStatus.RESOLVED.value, "reply": answer}
    audit_in(uow, project, user_id, "reply", "feedback", feedback.id, {"status": before}, after)
    item = to_item(project, feedback, departments)
    return committed(uow, item, queue)


def _replied(feedback: Feedback) -> Msg:
    return _("{user} already replied to this feedback.", user=Mentions.of([feedback.replied_by]))


def _already_replied(feedback: Feedback) -> FieldErrors:
    return FieldErrors({FeedbackField.REPLY: _replied(feedback)})


def _valid_reply(feedback: Feedback, text: str | None) -> str:
    """The reply, stripped; `FieldErrors` when empty, too long or already given."""
    answer = stripped(text)
    if feedback.status == FeedbackStatus.RESOLVED:
        raise _already_replied(feedback)
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
    return answer
