"""A workspace's projects as a whole: marked (in)active on (un)install, purged on request."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select, update

from storage.models import Base, Project
from storage.repositories.base import Repository


class WorkspaceRepository(Repository):
    def _of(self, team_id: str | None, enterprise_id: str | None) -> Any:
        """Projects of the workspace, or of every workspace of an org-wide install."""
        if team_id:
            return Project.team_id == team_id
        return Project.enterprise_id == enterprise_id

    def set_active(self, team_id: str | None, enterprise_id: str | None, active: bool) -> int:
        """Mark the workspace's projects active (installed) or not; how many changed."""
        return self._changed(
            update(Project)
            .where(self._of(team_id, enterprise_id), Project.active.is_(not active))
            .values(active=active)
        )

    def projects(self, team_id: str) -> list[Project]:
        return list(
            self.session.scalars(
                select(Project).where(Project.team_id == team_id).order_by(Project.code)
            )
        )

    def project_ids(self, team_id: str) -> list[int]:
        return list(self.session.scalars(select(Project.id).where(Project.team_id == team_id)))

    def purge(self, team_id: str) -> dict[str, int]:
        """Delete every row of the workspace: its projects with everything under them, and
        the rows keyed by the team (audit log, events, installations). Rows per table."""
        ids = self.project_ids(team_id)
        deleted: dict[str, int] = {}
        # Dependents before what they depend on (RESTRICT keys: entries before lines…);
        # tables without either column go with their parent by ON DELETE CASCADE.
        for table in reversed(Base.metadata.sorted_tables):
            columns = table.c
            conditions = []
            if "project_id" in columns and ids:
                conditions.append(columns.project_id.in_(ids))
            if "team_id" in columns:
                conditions.append(columns.team_id == team_id)
            if table.name == Project.__tablename__:
                conditions = [columns.team_id == team_id]
            if not conditions:
                continue
            count = self._changed(delete(table).where(or_(*conditions)))
            if count:
                deleted[table.name] = count
        return deleted
