"""Queries, one module per domain. Services call these; handlers never do."""

from storage.repositories.jobs import JobRepository
from storage.repositories.meetings import MeetingRepository
from storage.repositories.project import ProjectRepository

__all__ = ["JobRepository", "MeetingRepository", "ProjectRepository"]
