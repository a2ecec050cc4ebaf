"""Fund use, funding sources and drawdowns: the queries, with the row locks they need."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from storage.models import (
    BudgetLine,
    Drawdown,
    EntryStatus,
    FundDay,
    FundEntry,
    FundingSource,
    RunwayAlert,
)
from storage.repositories.base import Repository


class FundsRepository(Repository):
    def _dialect_insert(self, table: type[FundDay] | type[RunwayAlert]):  # type: ignore[no-untyped-def]
        if self.session.get_bind().dialect.name == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    # -- budget lines -------------------------------------------------------------
    def lock_line(self, project_id: int, line_id: int) -> BudgetLine | None:
        """The budget line, locked until the transaction ends (PostgreSQL `FOR UPDATE`; SQLite
        transactions are serialised by `BEGIN IMMEDIATE`)."""
        return self._lock_of_project(BudgetLine, project_id, line_id)

    def lock_lines_of(self, project_id: int) -> Sequence[BudgetLine]:
        """Every budget line of the project, locked until the transaction ends."""
        return self._lock_all_of_project(BudgetLine, project_id)

    def reload_line(self, line_id: int) -> BudgetLine | None:
        """The line as the database holds it now (running totals another statement of
        this transaction changed are read again, not taken from the session)."""
        return self.session.get(BudgetLine, line_id, populate_existing=True)

    def lines(self, project_id: int) -> Sequence[BudgetLine]:
        """The project's budget lines, in the order they were made."""
        return self._all_of_project(BudgetLine, project_id)

    # -- entries ------------------------------------------------------------------
    def add_entry(self, entry: FundEntry) -> None:
        self.session.add(entry)

    def insert_entries(self, rows: Sequence[dict[str, Any]]) -> None:
        """Bulk-insert entries (column values per row), bypassing the session's objects."""
        self.session.execute(insert(FundEntry), rows)

    def entry_keys(self, project_id: int) -> list[tuple[int, dt.date, Decimal, str]]:
        """(line id, day, amount, reference) of every entry not voided, one per entry."""
        return [
            (line_id, day, amount, reference)
            for line_id, day, amount, reference in self.session.execute(
                select(
                    FundEntry.budget_line_id,
                    FundEntry.spent_on,
                    FundEntry.amount,
                    FundEntry.reference,
                ).where(FundEntry.project_id == project_id, FundEntry.voided_at.is_(None))
            )
        ]

    def lock_entry(self, project_id: int, entry_id: int) -> FundEntry | None:
        return self._lock_of_project(FundEntry, project_id, entry_id)

    def entries_between(
        self,
        project_id: int,
        start: dt.date,
        end: dt.date,
        *,
        department_id: int | None = None,
        include_void: bool = False,
    ) -> Sequence[tuple[FundEntry, BudgetLine]]:
        """Entries with `start <= spent_on <= end`, oldest first, with their budget line."""
        query = (
            select(FundEntry, BudgetLine)
            .join(BudgetLine, FundEntry.budget_line_id == BudgetLine.id)
            .where(
                FundEntry.project_id == project_id,
                FundEntry.spent_on >= start,
                FundEntry.spent_on <= end,
            )
            .order_by(FundEntry.spent_on, FundEntry.id)
        )
        if department_id is not None:
            query = query.where(BudgetLine.department_id == department_id)
        if not include_void:  # nor pending or rejected: only what counts as spent
            query = query.where(
                FundEntry.voided_at.is_(None), FundEntry.status == EntryStatus.POSTED
            )
        return self._pairs(query)

    def entries_page(
        self,
        project_id: int,
        *,
        line_id: int | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        before: tuple[dt.date, int] | None = None,
        limit: int = 10,
    ) -> Sequence[tuple[FundEntry, BudgetLine]]:
        """Entries (voided ones too), newest first by date then id, after the `before`
        (date, id) cursor; at most `limit`."""
        query = (
            select(FundEntry, BudgetLine)
            .join(BudgetLine, FundEntry.budget_line_id == BudgetLine.id)
            .where(FundEntry.project_id == project_id)
        )
        if line_id is not None:
            query = query.where(FundEntry.budget_line_id == line_id)
        if start is not None:
            query = query.where(FundEntry.spent_on >= start)
        if end is not None:
            query = query.where(FundEntry.spent_on <= end)
        if before is not None:
            day, entry_id = before
            query = query.where(
                (FundEntry.spent_on < day)
                | ((FundEntry.spent_on == day) & (FundEntry.id < entry_id))
            )
        query = query.order_by(FundEntry.spent_on.desc(), FundEntry.id.desc()).limit(limit)
        return self._pairs(query)

    # -- daily totals -------------------------------------------------------------
    def add_to_day(self, project_id: int, day: dt.date, amount: Decimal) -> None:
        """Add `amount` (negative for a void) to the project's total of `day`, atomically."""
        insert = self._dialect_insert(FundDay).values(
            project_id=project_id, spent_on=day, amount=amount
        )
        self.session.execute(
            insert.on_conflict_do_update(
                index_elements=[FundDay.project_id, FundDay.spent_on],
                set_={"amount": FundDay.amount + insert.excluded.amount},
            )
        )

    def spent_between(self, project_id: int, start: dt.date, end: dt.date) -> Decimal:
        """Non-void fund use with `start <= spent_on <= end` (a range over daily totals)."""
        total = self.session.scalar(
            select(func.coalesce(func.sum(FundDay.amount), 0)).where(
                FundDay.project_id == project_id,
                FundDay.spent_on >= start,
                FundDay.spent_on <= end,
            )
        )
        return Decimal(str(total)).quantize(Decimal("0.01"))

    # -- funding sources ----------------------------------------------------------
    def sources(self, project_id: int) -> Sequence[FundingSource]:
        return self._all_of_project(FundingSource, project_id)

    def source_named(self, project_id: int, name: str) -> FundingSource | None:
        return self.session.scalar(
            select(FundingSource)
            .where(FundingSource.project_id == project_id, FundingSource.name == name)
            .with_for_update()
        )

    def lock_source(self, project_id: int, source_id: int) -> FundingSource | None:
        return self._lock_of_project(FundingSource, project_id, source_id)

    def lock_sources_of(self, project_id: int) -> Sequence[FundingSource]:
        """Every funding source of the project, locked until the transaction ends."""
        return self._lock_all_of_project(FundingSource, project_id)

    def drawdown_keys(self, project_id: int) -> list[tuple[int, dt.date, Decimal, str]]:
        """(source id, day, amount, reference) of every drawdown, one per drawdown."""
        return [
            (source_id, day, amount, reference)
            for source_id, day, amount, reference in self.session.execute(
                select(
                    Drawdown.source_id, Drawdown.drawn_on, Drawdown.amount, Drawdown.reference
                ).where(Drawdown.project_id == project_id)
            )
        ]

    def insert_drawdowns(self, rows: Sequence[dict[str, Any]]) -> None:
        """Bulk-insert drawdowns (column values per row)."""
        self.session.execute(insert(Drawdown), rows)

    def add_source(self, source: FundingSource) -> None:
        self.session.add(source)

    def add_drawdown(self, drawdown: Drawdown) -> None:
        self.session.add(drawdown)

    # -- runway alert state -------------------------------------------------------
    def runway_alert(self, project_id: int) -> RunwayAlert | None:
        """The project's runway-alert state, if it has one (not locked)."""
        return self.session.get(RunwayAlert, project_id)

    def lock_runway_alert(self, project_id: int, *, now: dt.datetime) -> RunwayAlert:
        """The project's runway-alert state, created (at `now`) if missing, locked until
        commit."""
        self.session.execute(
            self._dialect_insert(RunwayAlert)
            .values(project_id=project_id, below=False, changed_at=now)
            .on_conflict_do_nothing(index_elements=[RunwayAlert.project_id])
        )
        state = self.session.scalar(
            select(RunwayAlert)
            .where(RunwayAlert.project_id == project_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        assert state is not None
        return state
