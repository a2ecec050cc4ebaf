"""Closing a survey, its results (small slices suppressed) and the list of surveys."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from bot.errors import UserError
from bot.i18n import _
from bot.periods import project_today
from bot.services.project_rows import audit_in
from bot.services.projects import get_project, require_pm
from bot.services.survey_results import (
    Ballot,
    QuestionSpec,
    SurveyResults,
    tally,
)
from bot.services.surveys.answering import find_survey, is_closed, release_pending, thresholds
from storage.models import (
    Survey,
)
from storage.uow import UnitOfWork


# -- closing and results -----------------------------------------------------------------
def close_survey(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    survey_id: int,
    user_id: str,
    now: dt.datetime,
) -> Survey:
    """A PM closes a survey now (`PermissionDenied` otherwise); closing twice is an error."""
    survey = find_survey(uow, team_id, survey_id, project_id)
    project = get_project(uow, team_id, project_id)
    require_pm(project, user_id)
    if survey.closed_at is not None:
        raise UserError(_("“{title}” is already closed.", title=survey.title))
    survey.closed_at = now
    survey.closed_by = user_id
    if survey.closes_at > now:
        survey.closes_at = now
    release_pending(uow, survey, project, project_today(project, now), closing=True)
    audit_in(uow, project, user_id, "close", "survey", survey.id)
    uow.commit()
    return survey


def tally_inputs(uow: UnitOfWork, survey: Survey) -> tuple[list[QuestionSpec], list[Ballot]]:
    """The survey's questions and its released responses, as `survey_results.tally` takes them."""
    questions = [
        QuestionSpec(q.id, q.kind, q.prompt, tuple(q.choices or ()), q.department_id)
        for q in survey.questions
    ]
    ballots = [
        Ballot(r.department_id, dict(r.answers), r.respondent)
        for r in uow.surveys.responses(survey.id)
    ]
    return questions, ballots


def compute_results(uow: UnitOfWork, survey: Survey) -> SurveyResults:
    """The survey's results with every small slice suppressed (visibility not checked)."""
    project = uow.surveys.project_of(survey)
    invited, _answered = uow.surveys.counts(survey.id)
    questions, ballots = tally_inputs(uow, survey)
    minimum, comment_minimum = thresholds(survey, project)
    results = tally(
        questions,
        ballots,
        invited=invited,
        rated_department_ids=list(survey.rated_department_ids or []),
        minimum=minimum,
        comment_minimum=comment_minimum,
    )
    # Answers still waiting to be released count as respondents, not yet in the figures.
    waiting = uow.surveys.pending_count(survey.id)
    return replace(results, respondents=results.respondents + waiting) if waiting else results


def visible_results(
    uow: UnitOfWork, *, team_id: str, project_id: int, survey_id: int, now: dt.datetime
) -> tuple[Survey, SurveyResults]:
    """Results of a closed survey, or of an open one with live results; else `UserError`."""
    survey = find_survey(uow, team_id, survey_id, project_id)
    closed = is_closed(survey, now)
    if not closed and not survey.live_results:
        raise UserError(
            _(
                "Results of “{title}” stay hidden until it closes, so early answers cannot be traced. Try again after it closes.",
                title=survey.title,
            )
        )
    return survey, compute_results(uow, survey)


@dataclass(frozen=True)
class SurveyRow:
    id: int
    title: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    state: str  # scheduled, open, closed
    invited: bool
    answered: bool
    counts: tuple[int, int] | None  # (invited, answered), for PMs only


def list_surveys(
    uow: UnitOfWork, *, project_id: int, user_id: str, now: dt.datetime, limit: int = 15
) -> list[SurveyRow]:
    """Surveys of the project, newest first: open and scheduled ones, then recently closed."""
    project = uow.projects.by_id(project_id)
    pm = project is not None and user_id in project.pm_ids
    rows = []
    for survey in uow.surveys.for_project(project_id):
        participant = uow.surveys.participant(survey.id, user_id)
        if is_closed(survey, now):
            state = "closed"
        elif survey.opens_at > now:
            state = "scheduled"
        else:
            state = "open"
        rows.append(
            SurveyRow(
                survey.id,
                survey.title,
                survey.opens_at,
                survey.closes_at,
                state,
                participant is not None,
                bool(participant and participant.answered),
                uow.surveys.counts(survey.id) if pm else None,
            )
        )
    order = {"open": 0, "scheduled": 1, "closed": 2}
    rows.sort(key=lambda r: (order[r.state], -r.id))
    return rows[:limit]
