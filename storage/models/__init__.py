"""All ORM models; importing this module registers every table on `Base.metadata`."""

from storage.models.base import Base
from storage.models.funds import (
    Drawdown,
    FundDay,
    FundEntry,
    FundingKind,
    FundingSource,
    RunwayAlert,
)
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
    "AuditLog",
    "Base",
    "BudgetCategory",
    "BudgetLine",
    "Department",
    "DepartmentKind",
    "DepartmentMember",
    "Drawdown",
    "FundDay",
    "FundEntry",
    "FundingKind",
    "FundingSource",
    "JobRun",
    "Phase",
    "ProcessedEvent",
    "Project",
    "ProjectPM",
    "Raci",
    "Responsibility",
    "RunwayAlert",
]
