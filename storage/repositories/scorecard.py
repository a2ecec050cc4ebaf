"""Scorecard weights and the stored monthly snapshots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import delete, select, update

from storage.models import ScorecardEntry, ScorecardMonth, ScorecardWeights
from storage.repositories.base import Repository


class ScorecardRepository(Repository):
    def weights(self, project_id: int) -> ScorecardWeights | None:
        return self.session.get(ScorecardWeights, project_id)

    def add(self, row: ScorecardWeights | ScorecardMonth | ScorecardEntry) -> None:
        self.session.add(row)

    def month(self, project_id: int, month: dt.date) -> ScorecardMonth | None:
        return self.session.scalars(
            select(ScorecardMonth).where(
                ScorecardMonth.project_id == project_id, ScorecardMonth.month == month
            )
        ).one_or_none()

    def entries(self, project_id: int, months: Sequence[dt.date]) -> Sequence[ScorecardEntry]:
        """The stored lines of those months, by month then department id."""
        if not months:
            return []
        return self.session.scalars(
            select(ScorecardEntry)
            .where(ScorecardEntry.project_id == project_id, ScorecardEntry.month.in_(months))
            .order_by(ScorecardEntry.month, ScorecardEntry.department_id)
        ).all()

    def composites(self, project_id: int, month: dt.date) -> dict[int, Decimal | None]:
        """Department id → stored composite of `month` (empty when the month is not stored)."""
        return {e.department_id: e.composite for e in self.entries(project_id, [month])}

    def months_until(self, project_id: int, last: dt.date, limit: int) -> list[dt.date]:
        """The newest `limit` stored months up to and including `last`, oldest first."""
        found = self.session.scalars(
            select(ScorecardMonth.month)
            .where(ScorecardMonth.project_id == project_id, ScorecardMonth.month <= last)
            .order_by(ScorecardMonth.month.desc())
            .limit(limit)
        ).all()
        return sorted(found)

    def delete_entries(self, project_id: int, month: dt.date) -> None:
        self.session.execute(
            delete(ScorecardEntry).where(
                ScorecardEntry.project_id == project_id, ScorecardEntry.month == month
            )
        )

    def claim_post(self, month_id: int, now: dt.datetime) -> bool:
        """Mark a stored month as posted unless it already is; True for the one caller that
        set it (a compare-and-set, so two clocks cannot both post)."""
        claimed = (
            update(ScorecardMonth)
            .where(ScorecardMonth.id == month_id, ScorecardMonth.posted_at.is_(None))
            .values(posted_at=now)
        )
        return self._changed(claimed) == 1

    def release_post(self, month_id: int) -> None:
        self.session.execute(
            update(ScorecardMonth).where(ScorecardMonth.id == month_id).values(posted_at=None)
        )
