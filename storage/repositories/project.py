"""Projects and their set-up: departments, the responsibility matrix, budget lines."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from storage.models import (
    BudgetLine,
    Department,
    DepartmentMember,
    Project,
    ProjectPM,
    Responsibility,
)
from storage.repositories.base import Repository


class ProjectRepository(Repository):
    def add(self, project: Project) -> None:
        self.session.add(project)

    def by_id(self, project_id: int) -> Project | None:
        """The project with this id, in any workspace (for the clock and jobs, which hold
        an id they stored themselves)."""
        return self.session.get(Project, project_id)

    def lock(self, project_id: int) -> None:
        """Lock the project's row until the transaction ends: one writer of its set-up at
        a time (SQLite: every write transaction is serialised by `BEGIN IMMEDIATE`)."""
        self.session.execute(select(Project.id).where(Project.id == project_id).with_for_update())

    def get(self, team_id: str, project_id: int) -> Project | None:
        project = self.session.get(Project, project_id)
        return project if project is not None and project.team_id == team_id else None

    def by_channel(self, team_id: str, channel_id: str) -> Project | None:
        # Every slash command asks this first: the PMs come in the same round trip (a join)
        # rather than the relationship's default second SELECT.
        return (
            self.session.scalars(
                select(Project)
                .options(joinedload(Project.pms))
                .where(Project.team_id == team_id, Project.channel_id == channel_id)
            )
            .unique()
            .first()
        )

    def by_code(self, team_id: str, code: str) -> Project | None:
        return self.session.scalar(
            select(Project).where(Project.team_id == team_id, Project.code == code)
        )

    def for_user(self, team_id: str, user_id: str) -> Sequence[Project]:
        """Active projects where the user is a PM, a department lead or a member."""
        pm = select(ProjectPM.project_id).where(ProjectPM.user_id == user_id)
        lead = select(Department.project_id).where(Department.lead_user_id == user_id)
        member = (
            select(Department.project_id)
            .join(DepartmentMember)
            .where(DepartmentMember.user_id == user_id)
        )
        return self.session.scalars(
            select(Project)
            .where(
                Project.team_id == team_id,
                Project.archived.is_(False),
                or_(Project.id.in_(pm), Project.id.in_(lead), Project.id.in_(member)),
            )
            .order_by(Project.code)
        ).all()

    def people_of_team(self, team_id: str, user_ids: Sequence[str]) -> set[str]:
        """Those of `user_ids` already stored as a PM, lead or member of one of the
        workspace's projects (checked with Slack when they were added)."""
        if not user_ids:
            return set()
        wanted = list(user_ids)
        in_team = select(Project.id).where(Project.team_id == team_id)
        pm = select(ProjectPM.user_id).where(
            ProjectPM.project_id.in_(in_team), ProjectPM.user_id.in_(wanted)
        )
        lead = select(Department.lead_user_id).where(
            Department.project_id.in_(in_team), Department.lead_user_id.in_(wanted)
        )
        member = (
            select(DepartmentMember.user_id)
            .join(Department)
            .where(Department.project_id.in_(in_team), DepartmentMember.user_id.in_(wanted))
        )
        return {str(u) for u in self.session.scalars(pm.union(lead, member)).all() if u}

    def has_member(self, project_id: int, user_id: str) -> bool:
        """True when the user is a PM, a department lead or a member of the project. Only a
        count comes back, so even SQL debug logging does not list who belongs."""
        pm = select(ProjectPM.project_id).where(
            ProjectPM.project_id == project_id, ProjectPM.user_id == user_id
        )
        lead = select(Department.project_id).where(
            Department.project_id == project_id, Department.lead_user_id == user_id
        )
        member = (
            select(Department.project_id)
            .join(DepartmentMember)
            .where(Department.project_id == project_id, DepartmentMember.user_id == user_id)
        )
        found = self.session.scalar(
            select(func.count()).select_from(pm.union_all(lead, member).subquery())
        )
        return bool(found)

    def departments(self, project_id: int) -> Sequence[Department]:
        return self._all_of_project(Department, project_id)

    def department_names(self, project_id: int) -> dict[int, str]:
        """The project's departments' names by id, in the order they were made."""
        rows = self.session.execute(
            select(Department.id, Department.name)
            .where(Department.project_id == project_id)
            .order_by(Department.id)
        ).all()
        return {int(i): str(n) for i, n in rows}

    def department(self, project_id: int, department_id: int) -> Department | None:
        return self._of_project(Department, project_id, department_id)

    def responsibilities(self, project_id: int) -> Sequence[Responsibility]:
        return self._all_of_project(Responsibility, project_id)

    def add_department(self, department: Department) -> None:
        self.session.add(department)

    def add_responsibility(self, responsibility: Responsibility) -> None:
        self.session.add(responsibility)

    def line_count_of_department(self, department_id: int) -> int:
        """How many budget lines belong to the department."""
        count = self.session.scalar(
            select(func.count())
            .select_from(BudgetLine)
            .where(BudgetLine.department_id == department_id)
        )
        return int(count or 0)

    def delete(self, row: Department | Responsibility | DepartmentMember) -> None:
        self.session.delete(row)

    def add_budget_line(self, line: BudgetLine) -> None:
        self.session.add(line)

    def budget_line(self, project_id: int, line_id: int) -> BudgetLine | None:
        return self._of_project(BudgetLine, project_id, line_id)
