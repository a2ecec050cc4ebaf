"""Fund control: the approval policy, the candidates of the checks at entry, decisions as
conditional updates, and change orders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import ColumnElement, or_, select

from storage.models import BudgetLine, ChangeOrder, EntryStatus, FundEntry, FundPolicy
from storage.repositories.base import Repository

# Entries a check compares a new one with: not voided, not rejected.
_LIVE = (FundEntry.voided_at.is_(None), FundEntry.status != EntryStatus.REJECTED)

_Decided = TypeVar("_Decided", FundEntry, ChangeOrder)


def _waiting(model: type[FundEntry] | type[ChangeOrder]) -> list[ColumnElement[bool]]:
    """What waits for an approver's decision: pending, and an entry not voided meanwhile."""
    waiting = [model.status == EntryStatus.PENDING]
    if model is FundEntry:
        waiting.append(FundEntry.voided_at.is_(None))
    return waiting


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
        return self._decide(FundEntry, entry_id, status=status, user_id=user_id, note=note, now=now)

    def decide_change(
        self, change_id: int, *, status: str, user_id: str, note: str | None, now: dt.datetime
    ) -> bool:
        return self._decide(
            ChangeOrder, change_id, status=status, user_id=user_id, note=note, now=now
        )

    def _decide(
        self,
        model: type[_Decided],
        row_id: int,
        *,
        status: str,
        user_id: str,
        note: str | None,
        now: dt.datetime,
    ) -> bool:
        return self._set_if(
            model,
            model.id == row_id,
            *_waiting(model),
            status=status,
            decided_by=user_id,
            decided_at=now,
            decision_note=note,
        )

    def entry(self, project_id: int | None, entry_id: int) -> FundEntry | None:
        return self._fresh(FundEntry, project_id, entry_id)

    def change(self, project_id: int | None, change_id: int) -> ChangeOrder | None:
        return self._fresh(ChangeOrder, project_id, change_id)

    def _fresh(self, model: type[_Decided], project_id: int | None, row_id: int) -> _Decided | None:
        """The row re-read from the database (in the project, when one is given)."""
        query = select(model).where(model.id == row_id)
        if project_id is not None:
            query = query.where(model.project_id == project_id)
        return self.session.scalar(query.execution_options(populate_existing=True))

    # -- pending ------------------------------------------------------------------
    def pending_entries(self, project_id: int, limit: int = 200) -> Sequence[FundEntry]:
        return self._pending(FundEntry, project_id, limit)

    def pending_changes(self, project_id: int, limit: int = 200) -> Sequence[ChangeOrder]:
        return self._pending(ChangeOrder, project_id, limit)

    def _pending(self, model: type[_Decided], project_id: int, limit: int) -> Sequence[_Decided]:
        return self.session.scalars(
            select(model)
            .where(model.project_id == project_id, *_waiting(model))
            .order_by(model.id)
            .limit(limit)
        ).all()

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
