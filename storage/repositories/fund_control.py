"""Fund control: the approval policy, the candidates of the checks at entry, decisions as
conditional updates, and change orders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import func, or_, select

from storage.models import BudgetLine, ChangeOrder, EntryStatus, FundEntry, FundPolicy
from storage.repositories.base import Repository

# Entries a check compares a new one with: not voided, not rejected.
_LIVE = (FundEntry.voided_at.is_(None), FundEntry.status != EntryStatus.REJECTED)


class FundControlRepository(Repository):
    # -- policy -------------------------------------------------------------------
    def add_policy(self, policy: FundPolicy) -> None:
        self.session.add(policy)

    def policy(self, project_id: int) -> FundPolicy | None:
        return self.session.get(FundPolicy, project_id)

    # -- the checks' candidates ---------------------------------------------------
    def same_reference(
        self, project_id: int, reference: str, limit: int = 3
    ) -> Sequence[FundEntry]:
        return self.session.scalars(
            select(FundEntry)
            .where(FundEntry.project_id == project_id, FundEntry.reference == reference, *_LIVE)
            .order_by(FundEntry.id)
            .limit(limit)
        ).all()

    def same_amount_day(
        self, line_id: int, day: dt.date, amount: Decimal, limit: int = 3
    ) -> Sequence[FundEntry]:
        return self.session.scalars(
            select(FundEntry)
            .where(
                FundEntry.budget_line_id == line_id,
                FundEntry.spent_on == day,
                FundEntry.amount == amount,
                *_LIVE,
            )
            .order_by(FundEntry.id)
            .limit(limit)
        ).all()

    def recent_by_reporter(
        self, line_id: int, reporter: str, start: dt.date, end: dt.date
    ) -> Sequence[FundEntry]:
        """The reporter's live entries on the line dated `start`..`end` (the split check)."""
        return self.session.scalars(
            select(FundEntry)
            .where(
                FundEntry.budget_line_id == line_id,
                FundEntry.spent_on >= start,
                FundEntry.spent_on <= end,
                FundEntry.reporter == reporter,
                *_LIVE,
            )
            .order_by(FundEntry.id)
            .limit(200)
        ).all()

    # -- decisions ----------------------------------------------------------------
    def decide_entry(
        self, entry_id: int, *, status: str, user_id: str, note: str | None, now: dt.datetime
    ) -> bool:
        """Decide a pending entry: True for the one call that moved it out of `pending`."""
        return self._set_if(
            FundEntry,
            FundEntry.id == entry_id,
            FundEntry.status == EntryStatus.PENDING,
            FundEntry.voided_at.is_(None),
            status=status,
            decided_by=user_id,
            decided_at=now,
            decision_note=note,
        )

    def decide_change(
        self, change_id: int, *, status: str, user_id: str, note: str | None, now: dt.datetime
    ) -> bool:
        return self._set_if(
            ChangeOrder,
            ChangeOrder.id == change_id,
            ChangeOrder.status == EntryStatus.PENDING,
            status=status,
            decided_by=user_id,
            decided_at=now,
            decision_note=note,
        )

    def entry(self, project_id: int | None, entry_id: int) -> FundEntry | None:
        query = select(FundEntry).where(FundEntry.id == entry_id)
        if project_id is not None:
            query = query.where(FundEntry.project_id == project_id)
        return self.session.scalar(query.execution_options(populate_existing=True))

    def change(self, project_id: int | None, change_id: int) -> ChangeOrder | None:
        query = select(ChangeOrder).where(ChangeOrder.id == change_id)
        if project_id is not None:
            query = query.where(ChangeOrder.project_id == project_id)
        return self.session.scalar(query.execution_options(populate_existing=True))

    # -- pending ------------------------------------------------------------------
    def pending_entries(self, project_id: int, limit: int = 200) -> Sequence[FundEntry]:
        return self.session.scalars(
            select(FundEntry)
            .where(
                FundEntry.project_id == project_id,
                FundEntry.status == EntryStatus.PENDING,
                FundEntry.voided_at.is_(None),
            )
            .order_by(FundEntry.id)
            .limit(limit)
        ).all()

    def pending_changes(self, project_id: int, limit: int = 200) -> Sequence[ChangeOrder]:
        return self.session.scalars(
            select(ChangeOrder)
            .where(ChangeOrder.project_id == project_id, ChangeOrder.status == EntryStatus.PENDING)
            .order_by(ChangeOrder.id)
            .limit(limit)
        ).all()

    def pending_counts(self, project_id: int) -> tuple[int, int]:
        entries = self.session.scalar(
            select(func.count()).where(
                FundEntry.project_id == project_id,
                FundEntry.status == EntryStatus.PENDING,
                FundEntry.voided_at.is_(None),
            )
        )
        changes = self.session.scalar(
            select(func.count()).where(
                ChangeOrder.project_id == project_id, ChangeOrder.status == EntryStatus.PENDING
            )
        )
        return int(entries or 0), int(changes or 0)

    # -- change orders ------------------------------------------------------------
    def add_change(self, change: ChangeOrder) -> None:
        self.session.add(change)

    def line_changes(self, line_id: int, limit: int = 30) -> Sequence[ChangeOrder]:
        """The change orders touching a line, newest first."""
        return self.session.scalars(
            select(ChangeOrder)
            .where(or_(ChangeOrder.line_id == line_id, ChangeOrder.to_line_id == line_id))
            .order_by(ChangeOrder.id.desc())
            .limit(limit)
        ).all()

    def lock_lines(self, project_id: int, line_ids: Sequence[int]) -> dict[int, BudgetLine]:
        """The lines, locked in id order (so two transfers never deadlock)."""
        rows = self.session.scalars(
            select(BudgetLine)
            .where(BudgetLine.project_id == project_id, BudgetLine.id.in_(sorted(set(line_ids))))
            .order_by(BudgetLine.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()
        return {line.id: line for line in rows}
