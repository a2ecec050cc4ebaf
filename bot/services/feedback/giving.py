"""Giving feedback to a department: the choices, the checks, the save."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.errors import FieldErrors
from bot.forms import Form, stripped, whole_in
from bot.i18n import Msg, _
from bot.services import membership
from bot.services.feedback.cards import (
    MAX_COMMENT,
    RATINGS,
    DepartmentChoice,
    FeedbackField,
    FeedbackItem,
    Held,
    audit_created,
    mine_of,
    new_feedback,
    to_item,
)
from bot.services.feedback.release import hold
from bot.services.project_rows import committed
from bot.services.projects import departments_of, get_project
from storage.models import Department
from storage.uow import UnitOfWork


def department_choices(uow: UnitOfWork, project_id: int) -> list[DepartmentChoice]:
    """The project's departments, in their set-up order."""
    return [DepartmentChoice(d.id, d.name) for d in uow.projects.departments(project_id)]


def default_form(uow: UnitOfWork, *, project_id: int, user_id: str) -> Form[FeedbackField]:
    """The feedback modal's starting values: the giver's own department as the source."""
    mine = mine_of(departments_of(uow, project_id), user_id)
    return Form.of(FeedbackField, from_department=str(mine[0].id) if mine else None)


def _choose(value: str | None, departments: dict[int, Department]) -> Department | None:
    if value and value.strip().isdigit():
        return departments.get(int(value))
    return None


def _validate(
    form: Form[FeedbackField], departments: dict[int, Department], user_id: str
) -> tuple[Department | None, Department | None, int | None, str, dict[str, Msg]]:
    errors: dict[str, Msg] = {}
    target = _choose(form.text(FeedbackField.TO_DEPARTMENT), departments)
    if target is None:
        errors[FeedbackField.TO_DEPARTMENT] = _("Choose the department your feedback is about.")
    source = _choose(form.text(FeedbackField.FROM_DEPARTMENT), departments)
    mine = mine_of(departments, user_id)
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
    rating = whole_in(stripped(form.text(FeedbackField.RATING)), RATINGS[0], RATINGS[-1])
    if rating is None:
        errors[FeedbackField.RATING] = _("Choose a rating from 1 (poor) to 5 (excellent).")
    comment = stripped(form.text(FeedbackField.COMMENT))
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
    form: Form[FeedbackField],
    now: dt.datetime,
    queue: Callable[[UnitOfWork, FeedbackItem | Held], None] | None = None,
) -> FeedbackItem | Held:
    """Save feedback from `user_id` (who must be in the source department, when they are in
    any department of the project) and return it. `queue(uow, item)` runs before the commit,
    so what the caller queues in it (the lead's DM) is committed with the feedback.

    Raises `FieldErrors` for bad input, saving nothing. Anonymous feedback is only sealed to
    wait for the project's daily release (`release.hold`): it returns `Held`, and nothing
    else is written (no feedback row, no audit entry) until the release.
    """
    project = get_project(uow, team_id, project_id)
    membership.require_member(uow, project, user_id)
    departments = departments_of(uow, project_id)
    target, source, rating, comment, errors = _validate(form, departments, user_id)
    if errors:
        raise FieldErrors(errors)
    assert target is not None and source is not None and rating is not None
    given: FeedbackItem | Held
    if form.flag(FeedbackField.ANONYMOUS):
        given = hold(
            uow, project, target=target, source=source, rating=rating, comment=comment, now=now
        )
    else:
        feedback = new_feedback(
            project, target.id, source.id, rating, comment, author=user_id, at=now
        )
        uow.feedback.add(feedback)
        uow.flush()
        audit_created(uow, project, feedback, user_id)
        given = to_item(project, feedback, departments)
    return committed(uow, given, queue)
