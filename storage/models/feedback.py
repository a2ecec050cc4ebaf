"""Feedback between departments: one department rates the service of another.

Anonymous feedback keeps nothing that names its author: `author_user_id` is NULL (a check
constraint makes the database refuse anything else) and `created_at` is cut to the start of
the project-local day, so the time cannot be matched against who was active when.

It is not even inserted when given: it waits sealed (`storage.sealing`, a key that is not in
the database) and padded in `feedback_pending`, with a random id and only the day it will be
released on, and the project's daily `feedback_release` job inserts all that waits at once,
in a shuffled order, with its audit entries and the leads' messages (see the README). So no
id, rowid or neighbouring row of the author's own tells which feedback was theirs.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, DepartmentLink, IndexedProjectRef, ProjectRef
from storage.types import UTCDateTime


class FeedbackStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class Feedback(Base):
    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_1_to_5"),
        CheckConstraint("NOT anonymous OR author_user_id IS NULL", name="anonymous_has_no_author"),
        Index("ix_feedback_project_to_created", "project_id", "to_department_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[ProjectRef]
    to_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"))
    from_department_id: Mapped[DepartmentLink]
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(Boolean)
    author_user_id: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20), default=FeedbackStatus.NEW)
    reply: Mapped[str | None] = mapped_column(Text)
    acknowledged_by: Mapped[str | None] = mapped_column(String(32))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    replied_by: Mapped[str | None] = mapped_column(String(32))
    replied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Exact for named feedback; the start of the project-local day for anonymous feedback.
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class FeedbackPending(Base):
    """Anonymous feedback waiting for its project's daily release: sealed with a key that is
    not in the database and padded to one size. No user, no time but the release day, a
    random id."""

    __tablename__ = "feedback_pending"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random
    project_id: Mapped[IndexedProjectRef]
    release_on: Mapped[dt.date] = mapped_column(Date)  # the project-local day it is released
    sealed: Mapped[str] = mapped_column(Text)
