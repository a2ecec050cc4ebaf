"""Risks: flags with likelihood × impact, owners and mitigation, and their update log."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, DepartmentLink, ProjectKey, ProjectRef, children
from storage.types import UTCDateTime


class RiskCategory(StrEnum):
    FUNDING_LIQUIDITY = "funding_liquidity"
    COUNTERPARTY_DEFAULT = "counterparty_default"
    CONSTRUCTION_COMPLETION = "construction_completion"
    COST_OVERRUN = "cost_overrun"
    SCHEDULE = "schedule"
    REGULATORY_LEGAL = "regulatory_legal"
    FX = "fx"
    INTEREST_RATE = "interest_rate"
    TECHNICAL = "technical"
    FORCE_MAJEURE = "force_majeure"
    OTHER = "other"


class RiskTreatment(StrEnum):
    TREAT = "treat"
    TOLERATE = "tolerate"
    TRANSFER = "transfer"
    TERMINATE = "terminate"


class RiskStatus(StrEnum):
    OPEN = "open"
    MITIGATING = "mitigating"
    CLOSED = "closed"


class RiskCounter(Base):
    """The last risk number given out in a project; bumped atomically for each new risk."""

    __tablename__ = "risk_counters"

    project_id: Mapped[ProjectKey]
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Risk(Base):
    __tablename__ = "risks"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        Index("ix_risks_project_status", "project_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[ProjectRef]
    number: Mapped[int] = mapped_column(Integer)  # shown as R-<number>, per project
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(30))
    likelihood: Mapped[int] = mapped_column(Integer)  # 1–5
    impact: Mapped[int] = mapped_column(Integer)  # 1–5
    # likelihood × impact, set by the service; stored so "high and above" is a plain query.
    score: Mapped[int] = mapped_column(Integer)
    owner_id: Mapped[str | None] = mapped_column(String(32), index=True)
    department_id: Mapped[DepartmentLink]
    mitigation: Mapped[str] = mapped_column(Text, default="")
    treatment: Mapped[str | None] = mapped_column(String(20))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    review_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=RiskStatus.OPEN)
    raised_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(32))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    close_note: Mapped[str | None] = mapped_column(Text)
    # The command-channel alert of a high or critical risk, updated in place as it changes.
    alert_channel: Mapped[str | None] = mapped_column(String(32))
    alert_ts: Mapped[str | None] = mapped_column(String(32))
    # A permalink to the Slack message (or alert) the risk was raised from.
    source_link: Mapped[str | None] = mapped_column(String(500))

    updates: Mapped[list[RiskUpdate]] = children("risk", order_by="RiskUpdate.id")


class RiskUpdate(Base):
    __tablename__ = "risk_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(32))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(Text, default="")
    status_from: Mapped[str | None] = mapped_column(String(20))
    status_to: Mapped[str | None] = mapped_column(String(20))

    risk: Mapped[Risk] = relationship(back_populates="updates")
