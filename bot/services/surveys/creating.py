"""Creating a survey: its questions, its audience and its participants."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.errors import FieldErrors
from bot.i18n import _, translator
from bot.services.project_rows import audit_in
from bot.services.projects import departments_of, get_project, require_pm
from bot.services.suppression import MIN_ANONYMITY, minimum_group
from bot.services.surveys.forms import (
    MAX_ASKED,
    Created,
    QuestionForm,
    SurveyField,
    SurveyForm,
    question_block,
    validate_questions,
    validate_setup,
)
from storage.models import (
    Department,
    Project,
    QuestionKind,
    Survey,
    SurveyQuestion,
    SurveyTemplate,
)
from storage.uow import UnitOfWork


def _template_questions(
    template: str, rated: list[tuple[int, str]], locale: str
) -> list[SurveyQuestion]:
    tr = translator(locale)
    kind = QuestionKind.RATING if template == SurveyTemplate.CSAT else QuestionKind.NPS
    questions = [
        SurveyQuestion(
            kind=kind,
            prompt=tr(
                _(
                    "How satisfied are you with the service of {department}? (1 = very unhappy, 5 = very satisfied)"
                )
                if kind == QuestionKind.RATING
                else _(
                    "How likely are you to recommend working with {department}? (0 = not at all, 10 = extremely likely)"
                ),
                department=name,
            ),
            choices=[],
            department_id=department_id,
        )
        for department_id, name in rated
    ]
    questions.append(
        SurveyQuestion(
            kind=QuestionKind.TEXT,
            prompt=tr(_("Anything else you would like to tell us?")),  # Slack adds "(optional)"
            choices=[],
        )
    )
    return questions


def _custom_questions(
    questions: list[QuestionForm], rated: list[tuple[int, str]]
) -> list[SurveyQuestion]:
    made: list[SurveyQuestion] = []
    for q in questions:
        choices = (q.choices or "").splitlines() if q.kind == QuestionKind.CHOICE else []
        # A rating or NPS question is asked about each rated department, so each department
        # gets its own score; other kinds are asked once.
        if q.kind in (QuestionKind.RATING, QuestionKind.NPS) and rated:
            made += [
                SurveyQuestion(
                    kind=q.kind, prompt=f"{q.prompt} — {name}", choices=[], department_id=d
                )
                for d, name in rated
            ]
        else:
            made.append(SurveyQuestion(kind=q.kind, prompt=q.prompt or "", choices=choices))
    return made


def check_setup(
    uow: UnitOfWork, *, project: Project, user_id: str, form: SurveyForm, now: dt.datetime
) -> dict[str, Any]:
    """PM check and first-modal validation; raises `PermissionDenied` or `FieldErrors`."""
    require_pm(project, user_id)
    departments = {d.id for d in uow.projects.departments(project.id)}
    values, errors = validate_setup(
        form, department_ids=departments, timezone=project.timezone, now=now
    )
    if errors:
        raise FieldErrors(errors)
    return values


def _questions(
    form: SurveyForm, values: dict[str, Any], departments: dict[int, Department], locale: str
) -> list[SurveyQuestion]:
    """The questions asked, numbered: the template's, or the checked custom ones (repeated
    per rated department); `FieldErrors` when bad or too many."""
    rated = [(d, departments[d].name) for d in values["rated"]]
    if values["template"] == SurveyTemplate.CUSTOM:
        kept, errors = validate_questions(form.questions)
        if errors:
            raise FieldErrors(errors)
        questions = _custom_questions(kept, rated)
    else:
        questions = _template_questions(values["template"], rated, locale)
    if len(questions) > MAX_ASKED:
        key = question_block(0, "prompt") if form.questions else SurveyField.RATED
        raise FieldErrors(
            {
                key: _(
                    "That makes {count} questions to answer (rating questions are asked for each rated department); keep it to {n}.",
                    count=len(questions),
                    n=MAX_ASKED,
                )
            }
        )
    for position, question in enumerate(questions):
        question.position = position
    return questions


def _audience(values: dict[str, Any], departments: dict[int, Department]) -> dict[str, int | None]:
    """Who is asked (user id → the department they answer for, None for people named one by
    one), resolved now; `FieldErrors` when nobody."""
    audience: dict[str, int | None] = {}
    for department_id in values["audience_departments"]:
        department = departments[department_id]
        for member in [department.lead_user_id, *department.member_ids]:
            if member and member not in audience:
                audience[member] = department_id
    for person in values["audience_people"]:
        audience.setdefault(person, None)
    if not audience:
        raise FieldErrors(
            {
                SurveyField.AUDIENCE_DEPARTMENTS: _(
                    "Those departments have no members yet. Add people, or name them below."
                )
            }
        )
    return audience


def _new_survey(
    project: Project,
    values: dict[str, Any],
    questions: list[SurveyQuestion],
    user_id: str,
    now: dt.datetime,
) -> Survey:
    return Survey(
        project_id=project.id,
        title=values["title"],
        template=values["template"],
        anonymous=values["anonymous"],
        live_results=values["live"],
        opens_at=values["opens"],
        closes_at=values["closes"],
        audience_department_ids=values["audience_departments"],
        audience_user_ids=values["audience_people"],
        rated_department_ids=values["rated"],
        anonymity_min=minimum_group(project),
        comment_anonymity_min=max(project.comment_anonymity_min, MIN_ANONYMITY),
        created_by=user_id,
        created_at=now,
        questions=questions,
    )


def _audit_created(uow: UnitOfWork, project: Project, survey: Survey, audience: list[str]) -> None:
    after = {
        "title": survey.title,
        "template": survey.template,
        "questions": [q.prompt for q in survey.questions],
        "audience": sorted(audience),
        "opens_at": survey.opens_at.isoformat(),
        "closes_at": survey.closes_at.isoformat(),
        "anonymous": survey.anonymous,
        "live_results": survey.live_results,
    }
    audit_in(uow, project, survey.created_by, "create", "survey", survey.id, after=after)


def create_survey(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    form: SurveyForm,
    now: dt.datetime,
) -> Created:
    """Create a survey and its participants (the audience, resolved now).

    Only the project's PMs may (`PermissionDenied`); bad input raises `FieldErrors` keyed by
    block id and saves nothing. Invitations are not sent here: see `pending_invitations`.
    """
    project = get_project(uow, team_id, project_id)
    values = check_setup(uow, project=project, user_id=user_id, form=form, now=now)
    departments = departments_of(uow, project.id)
    questions = _questions(form, values, departments, project.locale)
    audience = _audience(values, departments)
    survey = _new_survey(project, values, questions, user_id, now)
    uow.surveys.add(survey)
    uow.flush()  # the survey's id, for its participants
    uow.surveys.add_participants(survey.id, audience)
    _audit_created(uow, project, survey, list(audience))
    uow.commit()
    return Created(survey.id, survey.opens_at <= now, len(audience))
