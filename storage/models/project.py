"""Projects and their set-up: departments, members, the responsibility matrix, budget lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, DepartmentLink, IndexedProjectRef, ProjectKey, children
from storage.types import Money, UTCDateTime


class DepartmentKind(StrEnum):
    FINANCE = "finance"
    ENGINEERING = "engineering"
    LEGAL = "legal"
    OPERATIONS = "operations"
    DESIGN = "design"
    CONSTRUCTION = "construction"
    SUPERVISION = "supervision"
    OTHER = "other"


class Phase(StrEnum):
    INITIATION = "initiation"
    FINANCING = "financing"
    CONSTRUCTION = "construction"
    OPERATION = "operation"


class Raci(StrEnum):
    RESPONSIBLE = "R"
    ACCOUNTABLE = "A"
    CONSULTED = "C"
    INFORMED = "I"


class BudgetCategory(StrEnum):
    LAND = "land"
    CONSTRUCTION = "construction"
    EQUIPMENT = "equipment"
    DESIGN = "design"
    FINANCING_COSTS = "financing_costs"
    LEGAL = "legal"
    OPERATIONS = "operations"
    CONTINGENCY = "contingency"
    OTHER = "other"


class Project(Base):
    __tablename__ = "projects"
    __table_args__ = (
        UniqueConstraint("team_id", "code"),
        UniqueConstraint("team_id", "channel_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    # Enterprise Grid: the organisation, so an org-wide install's token is found (OAuth mode).
    enterprise_id: Mapped[str | None] = mapped_column(String(32), default=None)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    total_budget: Mapped[Decimal] = mapped_column(Money)
    channel_id: Mapped[str] = mapped_column(String(32))
    timezone: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(16))
    meeting_weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    meeting_time: Mapped[dt.time] = mapped_column(Time)
    reminder_lead_minutes: Mapped[int] = mapped_column(Integer, default=60)
    report_anchor: Mapped[dt.date] = mapped_column(Date)
    report_due_days: Mapped[int] = mapped_column(Integer, default=2)
    nudge_hours: Mapped[int] = mapped_column(Integer, default=24)
    # Survey leaders' practice: groups of 5 (3 at the very least), 10 for free text.
    anonymity_min: Mapped[int] = mapped_column(Integer, default=5)
    comment_anonymity_min: Mapped[int] = mapped_column(Integer, default=10)
    runway_threshold_weeks: Mapped[int] = mapped_column(Integer, default=8)
    digest_weekday: Mapped[int] = mapped_column(Integer, default=0)
    digest_time: Mapped[dt.time] = mapped_column(Time, default=dt.time(9, 0))
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # False while the app is uninstalled from the workspace: data kept, nothing scheduled.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    pms: Mapped[list[ProjectPM]] = children("project", lazy="selectin")
    departments: Mapped[list[Department]] = children("project", order_by="Department.id")

    @property
    def pm_ids(self) -> list[str]:
        return [pm.user_id for pm in self.pms]


class ProjectPM(Base):
    __tablename__ = "project_pms"

    project_id: Mapped[ProjectKey]
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    project: Mapped[Project] = relationship(back_populates="pms")


class Department(Base):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[IndexedProjectRef]
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    lead_user_id: Mapped[str | None] = mapped_column(String(32))
    responsibilities: Mapped[str] = mapped_column(Text, default="")

    project: Mapped[Project] = relationship(back_populates="departments")
    members: Mapped[list[DepartmentMember]] = children("department", lazy="selectin")

    @property
    def member_ids(self) -> list[str]:
        return [m.user_id for m in self.members]


class DepartmentMember(Base):
    __tablename__ = "department_members"

    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
    department: Mapped[Department] = relationship(back_populates="members")


class Responsibility(Base):
    __tablename__ = "responsibilities"
    __table_args__ = (UniqueConstraint("project_id", "phase", "area", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[IndexedProjectRef]
    phase: Mapped[str] = mapped_column(String(20))
    area: Mapped[str] = mapped_column(String(50))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(1))


class BudgetLine(Base):
    __tablename__ = "budget_lines"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[IndexedProjectRef]
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(30))
    department_id: Mapped[DepartmentLink]
    allocated: Mapped[Decimal] = mapped_column(Money)
    # Running total of the line's non-void fund use, kept in the same transaction as each
    # entry or void, so a summary costs one row per line whatever the number of entries.
    spent: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    # The highest threshold (0, 90, 100 %) already alerted, so each alert is posted once.
    alerted_percent: Mapped[int] = mapped_column(Integer, default=0)
    # Running totals kept like `spent`, in the transaction of each entry, change order or
    # decision: entries waiting for approval, and approved / pending allocation changes (net;
    # the revised allocation is `allocated + changes`).
    pending: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    changes: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    pending_changes: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    # A closed line takes no new fund use without a reason and a PM's approval.
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
