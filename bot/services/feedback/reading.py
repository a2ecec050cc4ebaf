"""What a department received, and the month's ratings for the scorecard."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bot.errors import PermissionDenied
from bot.i18n import Mentions, _
from bot.periods import month_bounds
from bot.scoring import share
from bot.services.feedback.cards import (
    DepartmentRatings,
    Received,
    mine_of,
    to_item,
)
from bot.services.projects import departments_of, get_project, project_by_id
from storage.models import Department, Feedback, FeedbackStatus
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class NewFeedback:
    """A department's feedback still not acknowledged: a count, never an author."""

    department: str
    new: int


def still_new(uow: UnitOfWork, departments: Iterable[Department]) -> list[NewFeedback]:
    """Per department, in the order given, how much of what it received is still new (not
    acknowledged); the departments with none are left out."""
    counts = []
    for department in departments:
        _total, _sum, new = uow.feedback.received_summary(department.project_id, [department.id])
        if new:
            counts.append(NewFeedback(department.name, new))
    return counts


def received(
    uow: UnitOfWork, *, team_id: str, project_id: int, user_id: str, limit: int
) -> Received:
    """Feedback received by the departments `user_id` leads (every department for a PM),
    newest first. Anyone else gets `PermissionDenied` saying who can see it."""
    project = get_project(uow, team_id, project_id)
    departments = departments_of(uow, project_id)
    led = [d for d in departments.values() if d.lead_user_id == user_id]
    if user_id in project.pm_ids:
        scope: list[Department] | None = None
    elif led:
        scope = led
    else:
        pms = Mentions.of(project.pm_ids)
        leads = [d for d in mine_of(departments, user_id) if d.lead_user_id]
        if leads:
            raise PermissionDenied(
                _(
                    "Feedback your department received is for its lead ({lead}) and the PMs ({pms}) to see. Ask them.",
                    lead=Mentions.of(d.lead_user_id for d in leads),
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
        items=[to_item(project, f, departments) for f in rows],
        total=total,
        departments=[] if scope is None else [d.name for d in scope],
        mean=mean_rating(rating_sum, total),
        new=new,
    )


def counted(received: Sequence[Feedback], anonymous_minimum: int) -> list[Feedback]:
    """`received` as a published figure counts it: the anonymous feedback only when there is
    at least `anonymous_minimum` of it, so the figure never rests on fewer anonymous people."""
    if sum(1 for f in received if f.anonymous) < anonymous_minimum:
        return [f for f in received if not f.anonymous]
    return list(received)


def mean_rating(total: int, count: int) -> Decimal | None:
    """The mean of `count` ratings adding up to `total`, to two decimals (half up); None
    without ratings."""
    return (Decimal(total) / count).quantize(Decimal("0.01"), ROUND_HALF_UP) if count else None


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
    project = project_by_id(uow, project_id)
    start, end = month_bounds(year, month, project.timezone)
    rows = uow.feedback.between(project_id, start, end)
    result: dict[int, DepartmentRatings] = {}
    for department in uow.projects.departments(project_id):
        mine = [f for f in rows if f.to_department_id == department.id]
        if anonymous_minimum is not None:
            mine = counted(mine, anonymous_minimum)
        acknowledged = sum(1 for f in mine if f.status != FeedbackStatus.NEW)
        result[department.id] = DepartmentRatings(
            department_id=department.id,
            count=len(mine),
            mean=mean_rating(sum(f.rating for f in mine), len(mine)),
            acknowledged=acknowledged,
            acknowledgement_rate=share(acknowledged, len(mine), to=Decimal("0.0001")),
        )
    return result
