"""Queries, one module per domain. Services call these; handlers never do."""

from storage.repositories.project import ProjectRepository

__all__ = ["ProjectRepository"]
