"""Each department's inputs for a month, from the domains' own services, and their scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from bot import scoring
from bot.scoring import Component
from bot.services import feedback, reports, risks, surveys
from bot.services.scorecard.months import (
    previous_month,
)
from bot.services.scorecard.values import (
    NEVER,
    Line,
    Measured,
    round2,
)
from bot.services.suppression import minimum_group
from storage.models import Project
from storage.uow import UnitOfWork


def _float(value: float | None) -> Decimal | None:
    return None if value is None else round2(Decimal(str(value)))


def measure(
    uow: UnitOfWork, project: Project, month: dt.date, *, provisional: bool = False
) -> dict[int, Measured]:
    """Every department's inputs for `month`, from the domains' own services, under the
    anonymity rules (README, "Figures that could be subtracted"): anonymous feedback counts only as a group of at
    least the minimum, and not at all in a provisional month (a month-so-far view can be
    looked at day after day, and the difference between two looks would be the newcomers);
    survey figures pool only surveys whose own figure for the department was publishable."""
    ratings = feedback.monthly_ratings(
        uow,
        project_id=project.id,
        year=month.year,
        month=month.month,
        anonymous_minimum=NEVER if provisional else minimum_group(project),
    )
    survey = {
        s.department_id: s
        for s in surveys.department_scores(uow, project_id=project.id, month=month)
    }
    due = reports.timeliness(uow, project_id=project.id, month=month)
    hours = risks.median_ack_hours(
        uow, project_id=project.id, year=month.year, month=month.month, timezone=project.timezone
    )
    measured = {}
    for department in uow.projects.departments(project.id):
        rating = ratings.get(department.id)
        score = survey.get(department.id)
        timely = due.get(department.id)
        csat = score.csat if score is not None else None
        measured[department.id] = Measured(
            feedback_count=rating.count if rating else 0,
            feedback_mean=rating.mean if rating else None,
            feedback_acknowledged=rating.acknowledged if rating else 0,
            survey_csat=round2(Decimal(str(csat)) * 100) if csat is not None else None,
            survey_csat_respondents=score.csat_respondents if score else 0,
            survey_nps=_float(score.nps) if score else None,
            survey_nps_respondents=score.nps_respondents if score else 0,
            reports_due=timely.expected if timely else 0,
            reports_on_time=timely.on_time if timely else 0,
            ack_median_hours=_float(hours.get(department.id)),
        )
    return measured


def score_lines(
    uow: UnitOfWork,
    project: Project,
    month: dt.date,
    weighting: Mapping[Component, int],
    *,
    provisional: bool = False,
) -> list[Line]:
    measured = measure(uow, project, month, provisional=provisional)
    names = uow.projects.department_names(project.id)
    before = uow.scorecards.composites(project.id, previous_month(month))
    rows = scoring.scorecard({k: m.inputs() for k, m in measured.items()}, weighting, before)
    return [
        Line(
            r.department_id,
            names[r.department_id],
            r.scores,
            r.composite,
            r.rank,
            r.change,
            measured[r.department_id],
        )
        for r in rows
    ]
