"""Queries, one module per domain. Services call these; handlers never do."""

from storage.repositories.events import EventRepository
from storage.repositories.export import ExportRepository
from storage.repositories.feedback import FeedbackRepository
from storage.repositories.fund_control import FundControlRepository
from storage.repositories.funds import FundsRepository
from storage.repositories.jobs import JobRepository
from storage.repositories.meetings import MeetingRepository
from storage.repositories.payloads import PayloadRepository
from storage.repositories.project import ProjectRepository
from storage.repositories.reports import ReportRepository
from storage.repositories.risks import RiskRepository
from storage.repositories.scorecard import ScorecardRepository
from storage.repositories.surveys import SurveyRepository
from storage.repositories.webhooks import WebhookRepository
from storage.repositories.workspaces import WorkspaceRepository

__all__ = [
    "EventRepository",
    "ExportRepository",
    "FeedbackRepository",
    "FundControlRepository",
    "FundsRepository",
    "JobRepository",
    "MeetingRepository",
    "PayloadRepository",
    "ProjectRepository",
    "ReportRepository",
    "RiskRepository",
    "ScorecardRepository",
    "SurveyRepository",
    "WebhookRepository",
    "WorkspaceRepository",
]
