"""Queries, one module per domain. Services call these; handlers never do."""

from storage.repositories.funds import FundsRepository
from storage.repositories.project import ProjectRepository

__all__ = ["FundsRepository", "ProjectRepository"]
