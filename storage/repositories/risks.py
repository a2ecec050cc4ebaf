"""Risks: numbering, lookups and the queries the clock, the agenda and the scorecard need."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, selectinload

from storage.models import Risk, RiskCounter, RiskStatus
from storage.repositories.base import Repository


class RiskRepository(Repository):
    def next_number(self, project_id: int) -> int:
        """Take the project's next risk number, atomically.

        One `INSERT … ON CONFLICT DO UPDATE … RETURNING` on the project's counter row: on
        PostgreSQL the row stays locked until this transaction ends, so concurrent raisers
        queue behind each other and a rolled-back transaction gives its number back; on
        SQLite every write transaction is already serialised (`BEGIN IMMEDIATE`).
        """
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(RiskCounter)
            .values(project_id=project_id, last_number=1)
            .on_conflict_do_update(
                index_elements=[RiskCounter.project_id],
                set_={"last_number": RiskCounter.last_number + 1},
            )
            .returning(RiskCounter.last_number)
        )
        return int(self.session.execute(statement).scalar_one())

    def add(self, risk: Risk) -> None:
        self.session.add(risk)

    def by_number(self, project_id: int, number: int) -> Risk | None:
        return self.session.scalar(
            select(Risk)
            .where(Risk.project_id == project_id, Risk.number == number)
            .options(selectinload(Risk.updates))
        )

    def get(self, risk_id: int) -> Risk | None:
        return self.session.get(Risk, risk_id, options=[selectinload(Risk.updates)])

    def listing(
        self,
        project_id: int,
        *,
        statuses: Sequence[str] | None = None,
        owner_id: str | None = None,
        min_score: int | None = None,
    ) -> Sequence[Risk]:
        """Risks of a project, highest score first, then newest."""
        query = select(Risk).where(Risk.project_id == project_id)
        if statuses is not None:
            query = query.where(Risk.status.in_(list(statuses)))
        if owner_id is not None:
            query = query.where(Risk.owner_id == owner_id)
        if min_score is not None:
            query = query.where(Risk.score >= min_score)
        return self.session.scalars(query.order_by(Risk.score.desc(), Risk.number.desc())).all()

    def open_past_review(self, project_id: int, today: dt.date) -> Sequence[Risk]:
        return self.session.scalars(
            select(Risk)
            .where(
                Risk.project_id == project_id,
                Risk.status != RiskStatus.CLOSED,
                Risk.review_on.is_not(None),
                Risk.review_on < today,
            )
            .order_by(Risk.review_on, Risk.number)
        ).all()

    def open_for_agenda(self, project_id: int, today: dt.date, min_score: int) -> Sequence[Risk]:
        """Open risks that are high or above, or past their due date."""
        return self.session.scalars(
            select(Risk)
            .where(
                Risk.project_id == project_id,
                Risk.status != RiskStatus.CLOSED,
                (Risk.score >= min_score) | (Risk.due_on.is_not(None) & (Risk.due_on < today)),
            )
            .order_by(Risk.score.desc(), Risk.number)
        ).all()

    def opened_between(
        self, project_id: int, start: dt.datetime, end: dt.datetime
    ) -> Sequence[Risk]:
        """Risks raised in [start, end), by number."""
        return self._stamped_between(Risk.created_at, project_id, start, end)

    def closed_between(
        self, project_id: int, start: dt.datetime, end: dt.datetime
    ) -> Sequence[Risk]:
        """Risks closed in [start, end), by number."""
        return self._stamped_between(Risk.closed_at, project_id, start, end)

    def _stamped_between(
        self,
        stamp: Mapped[dt.datetime] | Mapped[dt.datetime | None],
        project_id: int,
        start: dt.datetime,
        end: dt.datetime,
    ) -> Sequence[Risk]:
        return self.session.scalars(
            select(Risk)
            .where(Risk.project_id == project_id, stamp >= start, stamp < end)
            .order_by(Risk.number)
        ).all()

    def acknowledged_between(
        self, project_id: int, start: dt.datetime, end: dt.datetime
    ) -> Sequence[Risk]:
        """Risks raised in [start, end) that have been acknowledged."""
        return self.session.scalars(
            select(Risk).where(
                Risk.project_id == project_id,
                Risk.created_at >= start,
                Risk.created_at < end,
                Risk.acknowledged_at.is_not(None),
            )
        ).all()
