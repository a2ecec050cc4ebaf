"""Reading fund use: budget vs actual per line, liquidity, entries and the week's use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bot.services.funds.status import (
    BURN_WEEKS,
    Entries,
    EntryRow,
    Lines,
    LineStatus,
    Liquidity,
    SourceStatus,
    Summary,
    WeekUse,
)
from bot.services.projects import get_project
from bot.services.thresholds import WARN_PERCENT, reaches
from storage.models import Project
from storage.uow import UnitOfWork


def liquidity(uow: UnitOfWork, project: Project, today: dt.date) -> Liquidity:
    """Committed / drawn per source, cash on hand, undrawn, and the burn of the four weeks
    ending `today`: a few rows per source and line plus at most 28 daily totals."""
    sources = [
        SourceStatus(s.id, s.name, s.kind, s.committed, s.drawn)
        for s in uow.funds.sources(project.id)
    ]
    spent = sum((line.spent for line in uow.funds.lines(project.id)), Decimal(0))
    start = today - dt.timedelta(days=7 * BURN_WEEKS - 1)
    burn = uow.funds.spent_between(project.id, start, today)
    return Liquidity(sources, spent, burn, project.runway_threshold_weeks)


def summary(uow: UnitOfWork, *, team_id: str, project_id: int, today: dt.date) -> Summary:
    """Budget vs actual per line (voids excluded) and the project's liquidity."""
    project = get_project(uow, team_id, project_id)
    return Summary(lines(uow, project.id), liquidity(uow, project, today), project.total_budget)


def lines(uow: UnitOfWork, project_id: int) -> list[LineStatus]:
    """The project's budget lines with their running totals, in creation order."""
    return [LineStatus.of(line) for line in uow.funds.lines(project_id)]


def lines_over(uow: UnitOfWork, project_id: int, percent: int = WARN_PERCENT) -> list[LineStatus]:
    """Budget lines whose fund use is at least `percent` % of their allocation (the meeting
    agenda), most used first."""
    found = [s for s in lines(uow, project_id) if reaches(s.spent, s.revised, percent)]
    return sorted(
        found, key=lambda s: s.ratio if s.ratio is not None else Decimal(10**9), reverse=True
    )


def entries_between(
    uow: UnitOfWork,
    project_id: int,
    start: dt.date,
    end: dt.date,
    *,
    department_id: int | None = None,
) -> Entries:
    """Non-void entries dated `start`..`end` (inclusive), optionally only those on budget
    lines of `department_id`, oldest first, with their total (the fortnightly report)."""
    rows = [
        EntryRow(
            e.id,
            e.spent_on,
            e.amount,
            line.name,
            line.department_id,
            e.purpose,
            e.reference,
            e.reporter,
        )
        for e, line in uow.funds.entries_between(
            project_id, start, end, department_id=department_id
        )
    ]
    return Entries(rows, sum((r.amount for r in rows), Decimal(0)))


def week_use(uow: UnitOfWork, project: Project, week_start: dt.date, today: dt.date) -> WeekUse:
    """Fund use from `week_start` to `today`, to date, and the budget (the weekly digest)."""
    totals = Lines(lines(uow, project.id))
    return WeekUse(
        this_week=uow.funds.spent_between(project.id, week_start, today),
        to_date=totals.spent,
        allocated=totals.revised,
        total_budget=totals.revised_budget(project.total_budget),
        pending=totals.pending,
    )
