"""Money moving: fund-use entries against budget lines, funding sources and their drawdowns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IndexedProjectRef, ProjectKey, ProjectRef
from storage.types import Money, UTCDateTime


class FundingKind(StrEnum):
    EQUITY = "equity"
    SENIOR_DEBT = "senior_debt"
    MEZZANINE = "mezzanine"
    GRANT = "grant"
    OTHER = "other"


class EntryStatus(StrEnum):
    """Only `posted` entries count as spent; `pending` ones wait for an approver."""

    POSTED = "posted"
    PENDING = "pending"
    REJECTED = "rejected"


class FundEntry(Base):
    """Money spent from a budget line. Never edited: a correction is a void plus a new entry.

    An entry over the project's approval policy is saved `pending` and becomes `posted` or
    `rejected` once, by one conditional update (see `bot.services.approvals`)."""

    __tablename__ = "fund_entries"
    __table_args__ = (
        Index("ix_fund_entries_project_spent_on", "project_id", "spent_on"),
        Index("ix_fund_entries_line", "budget_line_id"),
        Index("ix_fund_entries_line_day", "budget_line_id", "spent_on"),
        Index("ix_fund_entries_project_reference", "project_id", "reference"),
        Index("ix_fund_entries_project_status", "project_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[ProjectRef]
    budget_line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id", ondelete="RESTRICT"))
    amount: Mapped[Decimal] = mapped_column(Money)
    spent_on: Mapped[dt.date] = mapped_column(Date)
    purpose: Mapped[str] = mapped_column(Text)
    reference: Mapped[str] = mapped_column(String(100), default="")
    reporter: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    voided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    voided_by: Mapped[str | None] = mapped_column(String(32))
    void_reason: Mapped[str | None] = mapped_column(Text)
    # The voided entry this one corrects, if any.
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("fund_entries.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(10), default=EntryStatus.POSTED)
    # Who must approve a pending entry (`bot.services.fund_policy.Role`), and the decision.
    approval_role: Mapped[str | None] = mapped_column(String(10))
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)
    # The checks at entry that fired (comma-separated kinds) and the reporter's reason to
    # record the entry anyway.
    checks: Mapped[str] = mapped_column(String(200), default="")
    check_reason: Mapped[str | None] = mapped_column(Text)


class FundingSource(Base):
    __tablename__ = "funding_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[IndexedProjectRef]
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    committed: Mapped[Decimal] = mapped_column(Money)
    # Running total of drawdowns, kept in the same transaction as each drawdown.
    drawn: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Drawdown(Base):
    __tablename__ = "drawdowns"
    __table_args__ = (Index("ix_drawdowns_project_drawn_on", "project_id", "drawn_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[ProjectRef]
    source_id: Mapped[int] = mapped_column(ForeignKey("funding_sources.id", ondelete="RESTRICT"))
    amount: Mapped[Decimal] = mapped_column(Money)
    drawn_on: Mapped[dt.date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(100), default="")
    recorded_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class FundDay(Base):
    """Non-void fund use per project and day, kept with each entry and void in the same
    transaction: the trailing burn then reads at most 28 rows whatever the number of entries."""

    __tablename__ = "fund_days"

    project_id: Mapped[ProjectKey]
    spent_on: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))


class RunwayAlert(Base):
    """Whether the project's runway is below its threshold and was alerted: one alert per
    crossing, re-armed when the runway recovers. The row is locked while it is decided."""

    __tablename__ = "runway_alerts"

    project_id: Mapped[ProjectKey]
    below: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
