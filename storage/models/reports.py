"""Fortnightly fund-use reports (资金使用报告): one per department per 14-day period."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, ProjectRef
from storage.types import UTCDateTime


class ReportStatus(StrEnum):
    PENDING = "pending"
    SUBMITTED = "submitted"
    LATE = "late"  # the period closed and its due time passed with no report
    EXCUSED = "excused"


class Report(Base):
    """A department's report for the period starting `period_start` (see `bot.periods`)."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("project_id", "department_id", "period_start"),
        Index("ix_reports_project_period", "project_id", "period_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[ProjectRef]
    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), index=True
    )
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=ReportStatus.PENDING)
    summary: Mapped[str] = mapped_column(Text, default="")
    next_plan: Mapped[str] = mapped_column(Text, default="")
    issues: Mapped[str] = mapped_column(Text, default="")
    submitted_by: Mapped[str | None] = mapped_column(String(32))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Fixed at the first submission: by the period's end + the project's due delay, in its
    # timezone. Stored so the monthly scorecard never recomputes it under changed settings.
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    excuse_reason: Mapped[str | None] = mapped_column(Text)
    excused_by: Mapped[str | None] = mapped_column(String(32))
    excused_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    snoozed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
