"""Survey CSAT and NPS per rated department, for the monthly scorecard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from bot.periods import month_bounds
from bot.services.suppression import minimum_group
from bot.services.survey_results import (
    Ballot,
    DepartmentResult,
    QuestionSpec,
    tally,
)
from bot.services.surveys.answering import thresholds
from bot.services.surveys.results import tally_inputs
from storage.models import (
    Project,
    Survey,
)
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class DepartmentSurveyScore:
    department_id: int
    csat: float | None  # share of ratings 4–5, 0..1; None when no or too few respondents
    csat_respondents: int
    nps: float | None  # −100..100; None when no or too few respondents
    nps_respondents: int


def _pooled(
    questions: list[QuestionSpec], ballots: list[Ballot], rated: list[int], minimum: int
) -> dict[int, DepartmentResult]:
    """Per rated department, its CSAT and NPS over `ballots` (hidden under `minimum`)."""
    if not ballots:
        return {}
    results = tally(
        questions,
        ballots,
        invited=0,
        rated_department_ids=rated,
        minimum=minimum,
        comment_minimum=0,
    )
    return {d.department_id: d for d in results.departments}


Pool = tuple[list[QuestionSpec], list[Ballot]]


def _pools(
    uow: UnitOfWork, project: Project, surveys: Sequence[Survey]
) -> tuple[dict[tuple[int, str], Pool], Pool, list[int]]:
    """Of the closed `surveys`: per (department, "csat" | "nps") the questions and ballots
    whose own figure was shown; every question and ballot; the rated departments, in order."""
    pooled: dict[tuple[int, str], Pool] = {}
    every: Pool = ([], [])
    rated: list[int] = []
    for survey in surveys:
        if survey.closed_at is None:
            continue
        questions, ballots = tally_inputs(uow, survey)
        every[0].extend(questions)
        every[1].extend(ballots)
        departments = list(survey.rated_department_ids or [])
        rated += [d for d in departments if d not in rated]
        own = _pooled(questions, ballots, departments, thresholds(survey, project)[0])
        for d in own.values():
            for kind, summary, hidden in (
                ("csat", d.csat, d.csat_hidden),
                ("nps", d.nps, d.nps_hidden),
            ):
                if summary is not None and not hidden:  # shown in the survey's own results
                    pool = pooled.setdefault((d.department_id, kind), ([], []))
                    pool[0].extend(q for q in questions if q.department_id == d.department_id)
                    pool[1].extend(ballots)
    return pooled, every, rated


def _score(
    department_id: int,
    pooled: dict[tuple[int, str], Pool],
    everyone: dict[int, DepartmentResult],
    minimum: int,
) -> DepartmentSurveyScore:
    figures: list[tuple[Fraction | None, int]] = []
    for kind in ("csat", "nps"):
        part = _pooled(*pooled.get((department_id, kind), ([], [])), [department_id], 0)
        counted = part.get(department_id)
        whole = everyone.get(department_id)
        summary = getattr(counted, kind) if counted else None
        value = getattr(summary, kind) if summary is not None else None
        if summary is not None and summary.n >= minimum and value is not None:
            figures.append((value, summary.n))
        else:  # no value, but how many answered
            total = getattr(whole, kind) if whole else None
            figures.append((None, total.n if total is not None else 0))
    (csat_value, csat_n), (nps_value, nps_n) = figures
    return DepartmentSurveyScore(
        department_id,
        float(csat_value) if csat_value is not None else None,
        csat_n,
        float(nps_value) if nps_value is not None else None,
        nps_n,
    )


def department_scores(
    uow: UnitOfWork, *, project_id: int, month: dt.date
) -> list[DepartmentSurveyScore]:
    """For the monthly scorecard: survey CSAT and NPS per rated department, over the surveys
    that closed in `month` (project time), with respondent counts.

    A survey counts towards a department's CSAT (or NPS) only when its own figure for that
    department reached the survey's anonymity minimum, i.e. could be shown in the survey's
    results: a pooled figure minus any survey's figure is then the sum of other publishable
    figures, never a small group. A pooled value under the project's minimum is None (its
    count is still given).
    """
    project = uow.projects.by_id(project_id)
    if project is None:
        return []
    start, end = month_bounds(month.year, month.month, project.timezone)
    surveys = uow.surveys.closing_between(project_id, start, end)
    pooled, every, rated = _pools(uow, project, surveys)
    if not rated:
        return []
    minimum = minimum_group(project)
    everyone = _pooled(*every, rated, 0)
    return [_score(d, pooled, everyone, minimum) for d in rated]
