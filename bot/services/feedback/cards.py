"""The feedback form, the items and tallies callers get back, and the lookups every part shares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final

from bot.periods import local_midnight, today_in
from bot.services.project_header import ProjectHeader
from bot.services.project_rows import audit_in
from storage.models import Department, Feedback, FeedbackStatus, Project
from storage.uow import UnitOfWork

MAX_COMMENT: Final = 2000


MAX_REPLY: Final = 2000


RATINGS: Final = (1, 2, 3, 4, 5)


ANONYMOUS_ACTOR: Final = "anonymous"


# When each project-local day's anonymous feedback is released to the leads, all at once.
RELEASE_AT: Final = dt.time(18, 0)


class FeedbackField(StrEnum):
    """Fields of the feedback and reply modals; the modals use the same names as block ids.
    `give_feedback` reads the feedback modal's as a `Form[FeedbackField]` (plain text; a
    ticked `ANONYMOUS` sends it anonymously) and validates it."""

    TO_DEPARTMENT = "to_department"
    FROM_DEPARTMENT = "from_department"
    RATING = "rating"
    COMMENT = "comment"
    ANONYMOUS = "anonymous"
    REPLY = "reply"


@dataclass(frozen=True)
class DepartmentChoice:
    id: int
    name: str


@dataclass(frozen=True)
class FeedbackItem:
    """One feedback as every surface shows it. `author_user_id` is None when anonymous."""

    id: int
    project: ProjectHeader
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
class Held:
    """Anonymous feedback accepted and sealed, waiting for the project's daily release: what
    the giver is told. Nothing here (or anywhere) says who gave it."""

    project: ProjectHeader
    to_department: str
    release_on: dt.date  # the project-local day it reaches the lead
    release_at: dt.datetime  # that day at RELEASE_AT, UTC
    today: bool  # released later today (else: tomorrow)


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


def to_item(
    project: Project, feedback: Feedback, departments: dict[int, Department]
) -> FeedbackItem:
    to = departments[feedback.to_department_id]
    source = departments.get(feedback.from_department_id or 0)
    return FeedbackItem(
        id=feedback.id,
        project=ProjectHeader.of(project),
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


def new_feedback(
    project: Project,
    to_id: int,
    from_id: int | None,
    rating: int,
    comment: str,
    *,
    author: str | None,
    at: dt.datetime,
) -> Feedback:
    """A new feedback row (status new), anonymous when it has no `author`."""
    return Feedback(
        project_id=project.id,
        to_department_id=to_id,
        from_department_id=from_id,
        rating=rating,
        comment=comment,
        anonymous=author is None,
        author_user_id=author,
        status=FeedbackStatus.NEW,
        created_at=at,
    )


def mine_of(departments: dict[int, Department], user_id: str) -> list[Department]:
    return [d for d in departments.values() if user_id in d.member_ids or d.lead_user_id == user_id]


def start_of_day(moment: dt.datetime, timezone: str) -> dt.datetime:
    """The start of `moment`'s day in `timezone`, as an aware UTC datetime."""
    return local_midnight(today_in(timezone, moment), timezone)


def audit_created(
    uow: UnitOfWork, project: Project, feedback: Feedback, actor: str, at: dt.datetime | None = None
) -> None:
    """The audit entry of new feedback (anonymous: by "anonymous", at the day's start)."""
    after = {
        "to_department": feedback.to_department_id,
        "from_department": feedback.from_department_id,
        "rating": feedback.rating,
        "anonymous": feedback.anonymous,
        "status": FeedbackStatus.NEW.value,
    }
    audit_in(uow, project, actor, "create", "feedback", feedback.id, after=after, at=at)
