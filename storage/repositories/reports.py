"""Fortnightly reports, and the fund use of a department in a period shown beside them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import or_, select

from storage.models import AuditLog, BudgetLine, Department, FundEntry, Report, ReportStatus
from storage.repositories.base import Repository


class ReportRepository(Repository):
    def add(self, report: Report) -> None:
        self.session.add(report)

    def get(self, project_id: int, report_id: int) -> Report | None:
        return self._of_project(Report, project_id, report_id)

    def by_id(self, report_id: int) -> Report | None:
        return self.session.get(Report, report_id)

    def for_department(
        self, project_id: int, department_id: int, period_start: dt.date
    ) -> Report | None:
        return self.session.scalar(
            select(Report).where(
                Report.project_id == project_id,
                Report.department_id == department_id,
                Report.period_start == period_start,
            )
        )

    def for_period(self, project_id: int, period_start: dt.date) -> Sequence[Report]:
        return self.session.scalars(
            select(Report)
            .where(Report.project_id == project_id, Report.period_start == period_start)
            .order_by(Report.department_id)
        ).all()

    def opened(self, project_id: int, period_key: str) -> bool:
        """Whether the period's reports were opened (the `open_period` audit entry)."""
        found = self.session.scalar(
            select(AuditLog.id)
            .where(
                AuditLog.project_id == project_id,
                AuditLog.action == "open_period",
                AuditLog.entity == "report_period",
                AuditLog.entity_id == period_key,
            )
            .limit(1)
        )
        return found is not None

    def pending_unsnoozed(
        self, project_id: int, period_start: dt.date, now: dt.datetime
    ) -> Sequence[Report]:
        return self.session.scalars(
            select(Report)
            .where(
                Report.project_id == project_id,
                Report.period_start == period_start,
                Report.status == ReportStatus.PENDING,
                or_(Report.snoozed_until.is_(None), Report.snoozed_until <= now),
            )
            .order_by(Report.department_id)
        ).all()

    def ending_between(self, project_id: int, first: dt.date, last: dt.date) -> Sequence[Report]:
        """Reports of periods whose last day is within [first, last]."""
        return self.session.scalars(
            select(Report)
            .where(
                Report.project_id == project_id,
                Report.period_end >= first,
                Report.period_end <= last,
            )
            .order_by(Report.department_id, Report.period_start)
        ).all()

    def led_by(self, project_id: int, user_id: str) -> Sequence[Department]:
        return self.session.scalars(
            select(Department)
            .where(Department.project_id == project_id, Department.lead_user_id == user_id)
            .order_by(Department.id)
        ).all()

    def fund_entries(
        self, project_id: int, department_id: int, first: dt.date, last: dt.date
    ) -> Sequence[tuple[FundEntry, str]]:
        """Non-void fund-use entries on the department's budget lines spent in [first, last],
        oldest first, each with its budget line's name."""
        return self._pairs(
            select(FundEntry, BudgetLine.name)
            .join(BudgetLine, FundEntry.budget_line_id == BudgetLine.id)
            .where(
                FundEntry.project_id == project_id,
                BudgetLine.department_id == department_id,
                FundEntry.voided_at.is_(None),
                FundEntry.spent_on >= first,
                FundEntry.spent_on <= last,
            )
            .order_by(FundEntry.spent_on, FundEntry.id)
        )

    def owed_by_lead(self, project_id: int, user_id: str) -> Sequence[tuple[Report, str]]:
        """Pending or late reports of the departments `user_id` leads, oldest period first,
        each with its department's name (for the App Home)."""
        return self._pairs(
            select(Report, Department.name)
            .join(Department, Report.department_id == Department.id)
            .where(
                Report.project_id == project_id,
                Department.lead_user_id == user_id,
                Report.status.in_([ReportStatus.PENDING, ReportStatus.LATE]),
            )
            .order_by(Report.period_start, Department.id)
        )
