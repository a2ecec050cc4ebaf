"""Queries, one module per domain. Services call these; handlers never do."""

from storage.repositories.project import ProjectRepository
from storage.repositories.reports import ReportRepository

__all__ = ["ProjectRepository", "ReportRepository"]
