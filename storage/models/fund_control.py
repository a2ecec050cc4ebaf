"""Fund control: each project's approval policy, and change orders on budget lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, ProjectKey, ProjectRef
from storage.types import Money, UTCDateTime


class FundPolicy(Base):
    """Who approves what. Amount thresholds by role (None: that role is never required by
    amount) and a budget line's graded tolerance in % of its revised allocation (None: off).
    A project without a row has `bot.services.fund_policy.DEFAULTS`."""

    __tablename__ = "fund_policies"

    project_id: Mapped[ProjectKey]
    finance_from: Mapped[Decimal | None] = mapped_column(Money)
    pm_from: Mapped[Decimal | None] = mapped_column(Money)
    warn_percent: Mapped[int | None] = mapped_column(Integer)
    approve_percent: Mapped[int | None] = mapped_column(Integer)
    block_percent: Mapped[int | None] = mapped_column(Integer)
    nudge_hours: Mapped[int] = mapped_column(Integer, default=24)
    split_days: Mapped[int] = mapped_column(Integer, default=7)
    duplicate_checks: Mapped[bool] = mapped_column(Boolean, default=True)
    # A PM away: PM-level approvals go to the delegate until (and including) that day.
    delegate_id: Mapped[str | None] = mapped_column(String(32))
    delegate_until: Mapped[dt.date | None] = mapped_column(Date)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ChangeKind(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    TRANSFER = "transfer"


class ChangeOrder(Base):
    """A request to change a line's allocation (a transfer moves it from `line_id` to
    `to_line_id`); it counts once approved, like a fund-use entry. Never edited."""

    __tablename__ = "change_orders"
    __table_args__ = (
        Index("ix_change_orders_project_status", "project_id", "status"),
        Index("ix_change_orders_line", "line_id"),
        Index("ix_change_orders_to_line", "to_line_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[ProjectRef]
    kind: Mapped[str] = mapped_column(String(10))
    line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id", ondelete="RESTRICT"))
    to_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("budget_lines.id", ondelete="RESTRICT")
    )
    amount: Mapped[Decimal] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(Text)
    reference: Mapped[str] = mapped_column(String(100), default="")
    requested_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10))  # storage.models.EntryStatus
    approval_role: Mapped[str | None] = mapped_column(String(10))
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)
