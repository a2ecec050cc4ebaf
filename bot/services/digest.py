"""The weekly digest (周报): what a project's command channel is told once a week.

A digest covers the seven local calendar days before the day it is made (`week_of`), so
consecutive weekly digests neither overlap nor leave a gap: fund use by its date, risks
and feedback by when they happened (local midnights). Plain data; the Slack edge renders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from bot.periods import days_bounds, today_in
from bot.services import feedback, funds, risks, surveys
from bot.services.funds import LineStatus, Liquidity, WeekUse
from bot.services.project_header import ProjectHeader
from bot.services.projects import project_by_id
from bot.services.risks import RiskCard
from bot.services.suppression import minimum_group
from bot.services.surveys import OpenSurvey
from storage.models import Project
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Digest:
    project: ProjectHeader
    first: dt.date  # the week's first day (project time)
    last: dt.date  # its last day
    use: WeekUse
    liquidity: Liquidity
    lines: list[LineStatus]
    opened: list[RiskCard]
    closed: list[RiskCard]
    feedback_count: int
    feedback_mean: Decimal | None
    surveys: list[OpenSurvey]

    @property
    def remaining(self) -> Decimal:
        return self.use.total_budget - self.use.to_date


def week_of(project: Project, at: dt.datetime) -> tuple[dt.date, dt.date]:
    """The seven local days before the day of `at`: (first, last), inclusive."""
    today = today_in(project.timezone, at)
    return today - dt.timedelta(days=7), today - dt.timedelta(days=1)


def weekly(uow: UnitOfWork, *, project_id: int, at: dt.datetime) -> Digest:
    """The digest of the week before `at` for the project, with figures as of `at`."""
    project = project_by_id(uow, project_id)
    first, last = week_of(project, at)
    start, end = days_bounds(first, last, project.timezone)
    movement = risks.movement(uow, project_id=project.id, start=start, end=end)
    # The scorecard's rule: anonymous ratings count only as a group of at least the
    # project's minimum.
    received = feedback.counted(
        uow.feedback.between(project.id, start, end), minimum_group(project)
    )
    rates = list(reversed(surveys.open_with_counts(uow, project.id, at)))  # oldest first
    return Digest(
        project=ProjectHeader.of(project),
        first=first,
        last=last,
        use=funds.week_use(uow, project, first, last),
        liquidity=funds.liquidity(uow, project, last),
        lines=funds.lines(uow, project.id),
        opened=movement.opened,
        closed=movement.closed,
        feedback_count=len(received),
        feedback_mean=feedback.mean_rating(sum(f.rating for f in received), len(received)),
        surveys=rates,
    )
