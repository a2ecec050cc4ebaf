"""All ORM models; importing this module registers every table on `Base.metadata`."""

from storage.models.base import Base
from storage.models.clock import ClockLease, OutboxMessage, OutboxStatus, RunStatus
from storage.models.funds import Drawdown, FundEntry, FundingKind, FundingSource
from storage.models.meetings import AgendaItem, Meeting, MeetingRsvp, Rsvp
from storage.models.project import (
    BudgetCategory,
    BudgetLine,
    Department,
    DepartmentKind,
    DepartmentMember,
    Phase,
    Project,
    ProjectPM,
    Raci,
    Responsibility,
)
from storage.models.system import AuditLog, JobRun, ProcessedEvent

__all__ = [
    "AgendaItem",
    "AuditLog",
    "Base",
    "BudgetCategory",
    "BudgetLine",
    "ClockLease",
    "Department",
    "DepartmentKind",
    "DepartmentMember",
    "Drawdown",
    "FundEntry",
    "FundingKind",
    "FundingSource",
    "JobRun",
    "Meeting",
    "MeetingRsvp",
    "OutboxMessage",
    "OutboxStatus",
    "Phase",
    "ProcessedEvent",
    "Project",
    "ProjectPM",
    "Raci",
    "Responsibility",
    "Rsvp",
    "RunStatus",
]
