"""Row streams for CSV exports: plain column tuples read in batches, never all at once.

`yield_per` makes SQLAlchemy fetch `BATCH` rows at a time (a server-side cursor on
PostgreSQL, `fetchmany` on SQLite), and selecting columns rather than entities keeps the
session's identity map empty, so memory stays flat whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Mapped, aliased

from storage.models import BudgetLine, Department, Feedback, FundEntry, Report, Risk
from storage.repositories.base import Repository

BATCH: Final = 2000


def _created_within(
    query: Any,
    created_at: Mapped[dt.datetime],
    start: dt.datetime | None,
    end: dt.datetime | None,
) -> Any:
    """`query` narrowed to rows created in [start, end); a missing bound is open."""
    if start is not None:
        query = query.where(created_at >= start)
    if end is not None:
        query = query.where(created_at < end)
    return query


def _meeting(
    query: Any,
    starts: Mapped[dt.date],
    ends: Mapped[dt.date],
    first: dt.date | None,
    last: dt.date | None,
) -> Any:
    """`query` narrowed to rows whose days [starts, ends] meet [first, last] (a row of one
    day: the same column twice); a missing bound is open."""
    if first is not None:
        query = query.where(ends >= first)
    if last is not None:
        query = query.where(starts <= last)
    return query


class ExportRepository(Repository):
    def _stream(self, query: Any) -> Iterator[tuple[Any, ...]]:
        result = self.session.execute(query.execution_options(yield_per=BATCH))
        try:
            for row in result:
                yield tuple(row)
        finally:
            result.close()

    def fund_entries(
        self, project_id: int, first: dt.date | None, last: dt.date | None
    ) -> Iterator[tuple[Any, ...]]:
        """Every fund-use entry (voided ones too) spent in [first, last], by date then id."""
        query = (
            select(
                FundEntry.id,
                FundEntry.spent_on,
                BudgetLine.name,
                BudgetLine.category,
                Department.name,
                FundEntry.amount,
                FundEntry.purpose,
                FundEntry.reference,
                FundEntry.reporter,
                FundEntry.created_at,
                FundEntry.voided_at,
                FundEntry.voided_by,
                FundEntry.void_reason,
                FundEntry.corrects_id,
                FundEntry.status,
                FundEntry.decided_by,
                FundEntry.decision_note,
                BudgetLine.allocated,
                BudgetLine.changes,
            )
            .join(BudgetLine, FundEntry.budget_line_id == BudgetLine.id)
            .outerjoin(Department, BudgetLine.department_id == Department.id)
            .where(FundEntry.project_id == project_id)
        )
        query = _meeting(query, FundEntry.spent_on, FundEntry.spent_on, first, last)
        return self._stream(query.order_by(FundEntry.spent_on, FundEntry.id))

    def risks(
        self, project_id: int, start: dt.datetime | None, end: dt.datetime | None
    ) -> Iterator[tuple[Any, ...]]:
        """Every risk raised in [start, end), by number."""
        query = (
            select(
                Risk.number,
                Risk.title,
                Risk.category,
                Risk.likelihood,
                Risk.impact,
                Risk.score,
                Risk.status,
                Risk.owner_id,
                Department.name,
                Risk.mitigation,
                Risk.treatment,
                Risk.due_on,
                Risk.review_on,
                Risk.raised_by,
                Risk.created_at,
                Risk.acknowledged_by,
                Risk.acknowledged_at,
                Risk.closed_by,
                Risk.closed_at,
                Risk.close_note,
            )
            .outerjoin(Department, Risk.department_id == Department.id)
            .where(Risk.project_id == project_id)
        )
        query = _created_within(query, Risk.created_at, start, end)
        return self._stream(query.order_by(Risk.number))

    def reports(
        self, project_id: int, first: dt.date | None, last: dt.date | None
    ) -> Iterator[tuple[Any, ...]]:
        """Every fortnightly report whose period overlaps [first, last]."""
        lead = aliased(Department)
        query = (
            select(
                lead.name,
                Report.period_start,
                Report.period_end,
                Report.status,
                Report.on_time,
                Report.summary,
                Report.next_plan,
                Report.issues,
                Report.submitted_by,
                Report.submitted_at,
                Report.excused_by,
                Report.excused_at,
                Report.excuse_reason,
            )
            .join(lead, Report.department_id == lead.id)
            .where(Report.project_id == project_id)
        )
        query = _meeting(query, Report.period_start, Report.period_end, first, last)
        return self._stream(query.order_by(Report.period_start, lead.name))

    def feedback(
        self, project_id: int, start: dt.datetime | None, end: dt.datetime | None
    ) -> Iterator[tuple[Any, ...]]:
        """Every feedback given in [start, end), oldest first. The author column is read as
        stored: anonymous feedback has none."""
        receiver, giver = aliased(Department), aliased(Department)
        query = (
            select(
                Feedback.id,
                Feedback.created_at,
                receiver.name,
                giver.name,
                Feedback.rating,
                Feedback.comment,
                Feedback.anonymous,
                Feedback.author_user_id,
                Feedback.status,
                Feedback.acknowledged_by,
                Feedback.acknowledged_at,
                Feedback.reply,
                Feedback.replied_by,
                Feedback.replied_at,
            )
            .join(receiver, Feedback.to_department_id == receiver.id)
            .outerjoin(giver, Feedback.from_department_id == giver.id)
            .where(Feedback.project_id == project_id)
        )
        query = _created_within(query, Feedback.created_at, start, end)
        return self._stream(query.order_by(Feedback.created_at, Feedback.id))
