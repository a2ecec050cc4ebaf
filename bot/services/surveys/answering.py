"""Answering a survey once; sealed anonymous answers released in groups."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.errors import FieldErrors, NotFound, UserError
from bot.forms import stripped, whole_in
from bot.i18n import Command, Msg, _
from bot.periods import local_midnight, project_today
from bot.scoring import share
from bot.services.project_rows import audit_in
from bot.services.projects import get_project
from bot.services.suppression import MIN_ANONYMITY
from bot.services.surveys.forms import MAX_TEXT_ANSWER, answer_block
from storage import sealing
from storage.models import (
    Project,
    QuestionKind,
    Survey,
    SurveyQuestion,
)
from storage.uow import UnitOfWork


# -- answering ---------------------------------------------------------------------------
def thresholds(survey: Survey, project: Project) -> tuple[int, int]:
    """(minimum group, minimum for comments) of `survey`: frozen when it was set up (older
    surveys: the project's), never below the floor."""
    minimum = survey.anonymity_min or project.anonymity_min
    comments = survey.comment_anonymity_min or project.comment_anonymity_min
    return max(minimum, MIN_ANONYMITY), max(comments, minimum, MIN_ANONYMITY)


def release_pending(
    uow: UnitOfWork, survey: Survey, project: Project, today: dt.date, *, closing: bool = False
) -> int:
    """Release the survey's sealed answers as responses once at least its minimum group is
    waiting (or, `closing`, whatever waits): inserted together in a shuffled order, with
    the day of the release, so none can be told from the others. Returns how many."""
    waiting = uow.surveys.pending(survey.id)
    if not waiting or (not closing and len(waiting) < thresholds(survey, project)[0]):
        return 0
    rows = []
    for box in waiting:
        answer = json.loads(sealing.unseal(uow.seal_key, box.sealed))
        rows.append({**answer, "answered_on": today, "respondent": None})
    uow.surveys.add_responses(survey.id, rows)
    uow.surveys.drop_pending([box.id for box in waiting])
    return len(rows)


def is_open(survey: Survey, now: dt.datetime) -> bool:
    return survey.closed_at is None and survey.opens_at <= now < survey.closes_at


def is_closed(survey: Survey, now: dt.datetime) -> bool:
    """Closed by a PM, or past its close time."""
    return survey.closed_at is not None or survey.closes_at <= now


@dataclass(frozen=True)
class OpenSurvey:
    """A survey open now, with how many people were invited and how many answered."""

    id: int
    title: str
    invited: int
    answered: int
    closes_at: dt.datetime

    @property
    def rate(self) -> Decimal | None:
        return share(self.answered, self.invited)


def open_with_counts(uow: UnitOfWork, project_id: int, now: dt.datetime) -> list[OpenSurvey]:
    """The project's surveys open at `now`, newest first, with their counts."""
    found = []
    for survey in uow.surveys.for_project(project_id):
        if is_open(survey, now):
            invited, answered = uow.surveys.counts(survey.id)
            found.append(OpenSurvey(survey.id, survey.title, invited, answered, survey.closes_at))
    return found


def find_survey(
    uow: UnitOfWork, team_id: str, survey_id: int, project_id: int | None = None
) -> Survey:
    """The workspace's survey (of that project, when `project_id` is given), or `NotFound`."""
    survey = uow.surveys.get(team_id, survey_id)
    if survey is None or (project_id is not None and survey.project_id != project_id):
        raise NotFound(
            _(
                "There is no survey #{id}. {command} shows the open ones.",
                id=survey_id,
                command=Command("/survey list"),
            )
        )
    return survey


def _already_answered(survey: Survey) -> UserError:
    return UserError(
        _(
            "You have already answered “{title}” — thank you, your answer counted.",
            title=survey.title,
        )
    )


def survey_to_answer(
    uow: UnitOfWork, *, team_id: str, survey_id: int, user_id: str, now: dt.datetime
) -> Survey:
    """The survey `user_id` may answer now; otherwise a `UserError` saying why not."""
    survey = find_survey(uow, team_id, survey_id)
    participant = uow.surveys.participant(survey.id, user_id)
    if participant is None:
        raise UserError(_("This survey is not addressed to you, so there is nothing to answer."))
    if participant.answered:
        raise _already_answered(survey)
    if survey.opens_at > now:
        raise UserError(_("“{title}” is not open yet.", title=survey.title))
    if not is_open(survey, now):
        raise UserError(_("“{title}” is closed; answers are no longer taken.", title=survey.title))
    return survey


def _answer_value(question: SurveyQuestion, raw: Any) -> tuple[Any, Msg | None]:
    text = stripped(raw if isinstance(raw, str) else None)
    if question.kind == QuestionKind.TEXT:
        if len(text) > MAX_TEXT_ANSWER:
            return None, _("Keep it under {n} characters.", context="surveys", n=MAX_TEXT_ANSWER)
        return text or None, None
    if not text:
        return None, _("Choose an answer.")
    low, high = {
        QuestionKind.RATING: (1, 5),
        QuestionKind.NPS: (0, 10),
        QuestionKind.CHOICE: (0, len(question.choices) - 1),
    }[QuestionKind(question.kind)]
    value = whole_in(text, low, high)
    if value is None:
        return None, _("Choose one of the answers offered.")
    return value, None


def _answers(survey: Survey, values: dict[str, Any]) -> dict[str, Any]:
    """Question id → the checked answer (unanswered optional ones left out); `FieldErrors`
    keyed by answer block id."""
    answers: dict[str, Any] = {}
    errors: dict[str, Msg] = {}
    for question in survey.questions:
        value, error = _answer_value(question, values.get(answer_block(question.id)))
        if error is not None:
            errors[answer_block(question.id)] = error
        elif value is not None:
            answers[str(question.id)] = value
    if errors:
        raise FieldErrors(errors)
    return answers


def submit_answer(
    uow: UnitOfWork,
    *,
    team_id: str,
    survey_id: int,
    user_id: str,
    values: dict[str, Any],
    now: dt.datetime,
) -> Survey:
    """Record one person's answers, once. `values` is answer block id → submitted value.

    Bad answers raise `FieldErrors`; a second answer raises `UserError` (nothing changes).
    Participation and the response are written in one transaction but kept unlinkable.
    """
    survey = survey_to_answer(uow, team_id=team_id, survey_id=survey_id, user_id=user_id, now=now)
    answers = _answers(survey, values)
    participant = uow.surveys.participant(survey.id, user_id)
    department_id = participant.department_id if participant else None
    if not uow.surveys.mark_answered(survey.id, user_id):
        raise _already_answered(survey)
    project = get_project(uow, team_id, survey.project_id)
    today = project_today(project, now)
    answer = {"department_id": department_id, "answers": answers}
    if survey.anonymous:
        # Sealed and held with the others until enough are waiting (see `release_pending`).
        box = sealing.seal(uow.seal_key, json.dumps(answer, ensure_ascii=False).encode())
        uow.surveys.add_pending(survey.id, box)
        release_pending(uow, survey, project, today)
    else:
        uow.surveys.add_responses(
            survey.id, [{**answer, "answered_on": today, "respondent": user_id}]
        )
    # The audit says that someone answered, never what (that would undo the separation),
    # and for an anonymous survey only on which day.
    at = local_midnight(today, project.timezone) if survey.anonymous else None
    audit_in(uow, project, user_id, "answer", "survey", survey.id, at=at)
    uow.commit()
    return survey
