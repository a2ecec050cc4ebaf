"""Feedback between departments: what a department received, and a month's ratings."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, func, literal, select

from storage.models import Feedback, FeedbackPending, FeedbackStatus
from storage.repositories.base import Repository
from storage.types import UTCDateTime


class FeedbackRepository(Repository):
    def add(self, feedback: Feedback) -> None:
        self.session.add(feedback)

    def by_id(self, feedback_id: int) -> Feedback | None:
        return self.session.get(Feedback, feedback_id)

    def get(self, project_id: int, feedback_id: int) -> Feedback | None:
        return self._of_project(Feedback, project_id, feedback_id)

    def transition(self, feedback: Feedback, allowed: Collection[str], **values: Any) -> bool:
        """Set `values` only if the feedback's status is still one of `allowed`, in one UPDATE,
        so two leads clicking at once cannot both win; the object is refreshed either way."""
        changed = self._set_if(
            Feedback, Feedback.id == feedback.id, Feedback.status.in_(list(allowed)), **values
        )
        self.session.refresh(feedback)
        return changed

    @staticmethod
    def acknowledged_once(user_id: str, at: dt.datetime) -> dict[str, Any]:
        """Values keeping an earlier acknowledgement, else recording this one."""
        return {
            "acknowledged_by": func.coalesce(Feedback.acknowledged_by, user_id),
            "acknowledged_at": func.coalesce(
                Feedback.acknowledged_at, literal(at, type_=UTCDateTime())
            ),
        }

    def received(
        self, project_id: int, department_ids: Collection[int] | None, *, limit: int
    ) -> Sequence[Feedback]:
        """Newest first, at most `limit`; `department_ids=None` means every department.

        Ordered by id, not `created_at`: anonymous feedback only keeps its day.
        """
        return self.session.scalars(
            select(Feedback)
            .where(*self._received(project_id, department_ids))
            .order_by(Feedback.id.desc())
            .limit(limit)
        ).all()

    def received_summary(
        self, project_id: int, department_ids: Collection[int] | None
    ) -> tuple[int, int, int]:
        """(how many, sum of ratings, how many still new) of what those departments received."""
        row = self.session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(Feedback.rating), 0),
                func.count().filter(Feedback.status == FeedbackStatus.NEW),
            ).where(*self._received(project_id, department_ids))
        ).one()
        return int(row[0]), int(row[1]), int(row[2])

    @staticmethod
    def _received(
        project_id: int, department_ids: Collection[int] | None
    ) -> list[ColumnElement[bool]]:
        where = [Feedback.project_id == project_id]
        if department_ids is not None:
            where.append(Feedback.to_department_id.in_(list(department_ids)))
        return where

    def between(self, project_id: int, start: dt.datetime, end: dt.datetime) -> Sequence[Feedback]:
        """Feedback given in [start, end), oldest first."""
        return self.session.scalars(
            select(Feedback)
            .where(
                Feedback.project_id == project_id,
                Feedback.created_at >= start,
                Feedback.created_at < end,
            )
            .order_by(Feedback.created_at, Feedback.id)
        ).all()

    # -- anonymous feedback waiting for its release ----------------------------------------
    def hold(self, project_id: int, release_on: dt.date, sealed: str) -> None:
        self.session.add(
            FeedbackPending(
                id=secrets.token_hex(16),
                project_id=project_id,
                release_on=release_on,
                sealed=sealed,
            )
        )
        self.session.flush()

    def held(self, project_id: int, *, through: dt.date) -> Sequence[FeedbackPending]:
        """What waits to be released on or before `through`, in the order of the random ids."""
        return self.session.scalars(
            select(FeedbackPending)
            .where(FeedbackPending.project_id == project_id, FeedbackPending.release_on <= through)
            .order_by(FeedbackPending.id)
        ).all()

    def held_count(self, project_id: int, *, through: dt.date | None = None) -> int:
        where = [FeedbackPending.project_id == project_id]
        if through is not None:
            where.append(FeedbackPending.release_on <= through)
        return int(
            self.session.scalar(select(func.count()).select_from(FeedbackPending).where(*where))
            or 0
        )

    def drop_held(self, ids: list[str]) -> int:
        """Delete these waiting items; how many were still there (a concurrent release that
        took them first leaves fewer: the caller must then release nothing)."""
        return self._changed(
            delete(FeedbackPending)
            .where(FeedbackPending.id.in_(ids))
            .execution_options(synchronize_session=False)
        )

    def add_released(self, rows: list[Feedback]) -> list[Feedback]:
        """Insert released anonymous feedback one by one in a shuffled order (ids and rowids
        follow it, so they say nothing about who gave which), the order they were inserted in."""
        rows = list(rows)
        random.SystemRandom().shuffle(rows)
        for row in rows:
            self.session.add(row)
            self.session.flush()
        return rows
