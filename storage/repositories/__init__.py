"""Queries, one module per domain. Services call these; handlers never do."""

from storage.repositories.feedback import FeedbackRepository
from storage.repositories.project import ProjectRepository

__all__ = ["FeedbackRepository", "ProjectRepository"]
