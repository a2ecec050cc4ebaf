"""The report form, and the cards and summaries callers get back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Final

from bot.periods import Period
from bot.scoring import share
from bot.services.fund_entries import ListedEntry
from bot.services.project_header import ProjectHeader
from storage.models import ReportStatus

MAX_TEXT: Final = 3000


SNOOZE_HOURS: Final = (2, 24)


SYSTEM: Final = "system"


# A report still owed: neither submitted nor excused (late once its period's report is due).
OWED: Final = (ReportStatus.PENDING, ReportStatus.LATE)


class ReportField(StrEnum):
    """Fields of the report and excuse modals; the modals use them as block ids.
    `submit_report` reads the report modal's as a `Form[ReportField]` (plain text) and
    validates it."""

    SUMMARY = "summary"
    NEXT_PLAN = "next_plan"
    ISSUES = "issues"
    REASON = "reason"


@dataclass(frozen=True)
class ReportCard:
    """A department's report for a period with everything a modal or message shows."""

    project: ProjectHeader
    department_id: int
    department_name: str
    lead_user_id: str | None
    period: Period
    due_at: dt.datetime
    entries: list[ListedEntry]  # the period's fund use of the department
    total: Decimal
    report_id: int | None = None
    status: str | None = None
    summary: str = ""
    next_plan: str = ""
    issues: str = ""
    submitted_by: str | None = None
    submitted_at: dt.datetime | None = None
    on_time: bool | None = None
    excuse_reason: str | None = None
    excused_by: str | None = None
    snoozed_until: dt.datetime | None = None


@dataclass(frozen=True)
class PeriodSummary:
    """A closed period's reports for the command-channel summary."""

    project: ProjectHeader
    period: Period
    submitted: list[ReportCard] = field(default_factory=list)
    missing: list[ReportCard] = field(default_factory=list)
    excused: list[ReportCard] = field(default_factory=list)


@dataclass(frozen=True)
class Timeliness:
    """How many of a department's reports of a month were due, and how many came on time."""

    department_id: int
    department_name: str
    expected: int
    on_time: int

    @property
    def ratio(self) -> Decimal | None:
        """Share on time (0–1), or None when nothing was due."""
        return share(self.on_time, self.expected)
