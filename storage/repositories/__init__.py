"""Queries, one module per domain. Services call these; handlers never do."""

from storage.repositories.export import ExportRepository
from storage.repositories.project import ProjectRepository
from storage.repositories.reports import ReportRepository
from storage.repositories.risks import RiskRepository
from storage.repositories.surveys import SurveyRepository

__all__ = [
    "ExportRepository",
    "ProjectRepository",
    "ReportRepository",
    "RiskRepository",
    "SurveyRepository",
]
