"""Surveys: creating them, answering once, closing, results, and what the jobs must send.

Who answered (`SurveyParticipant`) is kept apart from what was answered (`SurveyResponse`,
see `storage/models/surveys.py`). Results go through `survey_results.tally`, which
suppresses every slice under the project's anonymity minimum.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from enum import StrEnum
from fractions import Fraction
from typing import Any, Final
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from bot.errors import FieldErrors, NotFound, UserError
from bot.i18n import Msg, _, translator
from bot.services.projects import require_pm
from bot.services.suppression import MIN_ANONYMITY
from bot.services.survey_results import (
    Ballot,
    DepartmentResult,
    QuestionSpec,
    SurveyResults,
    tally,
)
from storage import sealing
from storage.models import (
    Project,
    QuestionKind,
    Survey,
    SurveyParticipant,
    SurveyQuestion,
    SurveyTemplate,
)
from storage.uow import UnitOfWork

MAX_QUESTIONS: Final = 10
MAX_ASKED: Final = 40  # questions after repeating per rated department: keeps the modal usable
MAX_CHOICES: Final = 10
MAX_TITLE: Final = 150
MAX_PROMPT: Final = 300
MAX_TEXT_ANSWER: Final = 2000
REMINDER_LEAD: Final = dt.timedelta(hours=24)
ANONYMOUS, LIVE = "anonymous", "live"


class SurveyField(StrEnum):
    """Fields of the first modal; the block ids are the same names."""

    TITLE = "title"
    TEMPLATE = "template"
    RATED = "rated"
    AUDIENCE_DEPARTMENTS = "audience_departments"
    AUDIENCE_PEOPLE = "audience_people"
    OPENS_DATE = "opens_date"
    OPENS_TIME = "opens_time"
    CLOSES_DATE = "closes_date"
    CLOSES_TIME = "closes_time"
    OPTIONS = "options"


def question_block(index: int, part: str) -> str:
    """Block id of a custom question's `part` (kind, prompt, choices) in the second modal."""
    return f"q{index}_{part}"


def answer_block(question_id: int) -> str:
    return f"a{question_id}"


class QuestionForm(BaseModel):
    kind: str | None = None
    prompt: str | None = None
    choices: str | None = None  # one per line


class SurveyForm(BaseModel):
    title: str | None = None
    template: str | None = None
    rated: list[str] = Field(default_factory=list)
    audience_departments: list[str] = Field(default_factory=list)
    audience_people: list[str] = Field(default_factory=list)
    opens_date: str | None = None
    opens_time: str | None = None
    closes_date: str | None = None
    closes_time: str | None = None
    options: list[str] = Field(default_factory=lambda: [ANONYMOUS])
    questions: list[QuestionForm] = Field(default_factory=list)


@dataclass(frozen=True)
class Created:
    survey_id: int
    opens_now: bool
    invited: int


def privacy_note(anonymous: bool, live: bool, minimum: int, comment_minimum: int) -> Msg:
    """The one sentence the modal and the DM show about what is stored and who sees what."""
    if anonymous and live:
        return _(
            "Anonymous: that you answered is stored apart from your answers, which keep only the day and your department, never your name; answers are added to the results in groups, so yours cannot be told from the others'; results are visible to the project while the survey is open, only for groups of at least {n} people (comments: {c}), and PMs see who has answered, not what.",
            n=minimum,
            c=comment_minimum,
        )
    if anonymous:
        return _(
            "Anonymous: that you answered is stored apart from your answers, which keep only the day and your department, never your name; answers are added to the results in groups, so yours cannot be told from the others'; after the survey closes the project sees results only for groups of at least {n} people (comments: {c}), and PMs see who has answered, not what.",
            n=minimum,
            c=comment_minimum,
        )
    return _(
        "Not anonymous: your answers are stored with your name and comments are shown with it; the project sees results after the survey closes (or while it is open, if the PM chose live results), for groups of at least {n} people.",
        n=minimum,
    )


# -- creating ----------------------------------------------------------------------------
def _clean(value: str | None) -> str:
    return (value or "").strip()


def _moment(date: str | None, time: str | None, zone: ZoneInfo) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(_clean(date))
        clock = dt.time.fromisoformat(_clean(time))
    except ValueError:
        return None
    return dt.datetime.combine(day, clock, tzinfo=zone).astimezone(dt.UTC)


def validate_setup(
    form: SurveyForm, *, department_ids: set[int], timezone: str, now: dt.datetime
) -> tuple[dict[str, Any], dict[str, Msg]]:
    """Check the first modal; return the clean values and an error per bad field."""
    F = SurveyField
    errors: dict[str, Msg] = {}
    values: dict[str, Any] = {}
    required = _("This field is required.")
    title = _clean(form.title)
    if not title:
        errors[F.TITLE] = required
    elif len(title) > MAX_TITLE:
        errors[F.TITLE] = _("Keep the title under {n} characters.", n=MAX_TITLE)
    values["title"] = title

    template = _clean(form.template)
    if template not in set(SurveyTemplate):
        errors[F.TEMPLATE] = _("Choose CSAT, NPS or custom questions.")
    values["template"] = template

    def ids(raw: list[str]) -> list[int] | None:
        try:
            chosen = list(dict.fromkeys(int(v) for v in raw))
        except ValueError:
            return None
        return chosen if set(chosen) <= department_ids else None

    rated = ids(form.rated)
    if rated is None:
        errors[F.RATED] = _("Choose departments of this project.")
    elif not rated and template in (SurveyTemplate.CSAT, SurveyTemplate.NPS):
        errors[F.RATED] = _("A CSAT or NPS survey rates at least one department: choose it here.")
    values["rated"] = rated or []

    audience = ids(form.audience_departments)
    people = [u for u in dict.fromkeys(form.audience_people) if u]
    if audience is None:
        errors[F.AUDIENCE_DEPARTMENTS] = _("Choose departments of this project.")
    elif not audience and not people:
        errors[F.AUDIENCE_DEPARTMENTS] = _(
            "Choose who answers: at least one department or one person."
        )
    values["audience_departments"] = audience or []
    values["audience_people"] = people

    zone = ZoneInfo(timezone)
    opens = closes = None
    for date_field, time_field, key in (
        (F.OPENS_DATE, F.OPENS_TIME, "opens"),
        (F.CLOSES_DATE, F.CLOSES_TIME, "closes"),
    ):
        date, time = getattr(form, date_field), getattr(form, time_field)
        if not _clean(date):
            errors[date_field] = required
        elif not _clean(time):
            errors[time_field] = required
        else:
            moment = _moment(date, time, zone)
            if moment is None:
                errors[date_field] = _("Give a date as YYYY-MM-DD and a time as HH:MM.")
            elif key == "opens":
                opens = moment
            else:
                closes = moment
    if closes is not None and closes <= now:
        errors[F.CLOSES_DATE] = _("The closing time is in the past. Choose a later one.")
    elif opens is not None and closes is not None and closes <= opens:
        errors[F.CLOSES_DATE] = _("The survey must close after it opens.")
    values["opens"] = max(opens, now) if opens is not None else None
    values["closes"] = closes
    values["anonymous"] = ANONYMOUS in form.options
    values["live"] = LIVE in form.options
    return values, errors


def validate_questions(questions: list[QuestionForm]) -> tuple[list[QuestionForm], dict[str, Msg]]:
    """Check the custom questions (empty slots are skipped); errors keyed by block id."""
    errors: dict[str, Msg] = {}
    kept: list[QuestionForm] = []
    for index, question in enumerate(questions):
        prompt = _clean(question.prompt)
        choices = [c.strip() for c in (question.choices or "").splitlines() if c.strip()]
        if not prompt:
            if choices:
                errors[question_block(index, "prompt")] = _("Write the question.")
            continue
        if len(kept) >= MAX_QUESTIONS:
            errors[question_block(index, "prompt")] = _(
                "A survey has at most {n} questions. Remove this one.", n=MAX_QUESTIONS
            )
            continue
        kind = _clean(question.kind)
        if kind not in set(QuestionKind):
            errors[question_block(index, "kind")] = _("Choose the kind of answer.")
        elif len(prompt) > MAX_PROMPT:
            errors[question_block(index, "prompt")] = _(
                "Keep the question under {n} characters.", n=MAX_PROMPT
            )
        elif kind == QuestionKind.CHOICE and len(choices) < 2:
            errors[question_block(index, "choices")] = _(
                "A single-choice question needs at least two choices, one per line."
            )
        elif kind == QuestionKind.CHOICE and len(choices) > MAX_CHOICES:
            errors[question_block(index, "choices")] = _("Give at most {n} choices.", n=MAX_CHOICES)
        elif kind == QuestionKind.CHOICE and len(set(choices)) < len(choices):
            errors[question_block(index, "choices")] = _("Each choice must be different.")
        kept.append(
            QuestionForm(
                kind=kind, prompt=prompt, choices="\n".join(choices) if kind == "choice" else ""
            )
        )
    if not kept and not errors:
        errors[question_block(0, "prompt")] = _("Add at least one question.")
    return kept, errors


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
    project = uow.projects.get(team_id, project_id)
    if project is None:
        raise NotFound(_("That project no longer exists."))
    values = check_setup(uow, project=project, user_id=user_id, form=form, now=now)
    departments = {d.id: d for d in uow.projects.departments(project.id)}
    rated = [(d, departments[d].name) for d in values["rated"]]
    if values["template"] == SurveyTemplate.CUSTOM:
        kept, errors = validate_questions(form.questions)
        if errors:
            raise FieldErrors(errors)
        questions = _custom_questions(kept, rated)
    else:
        questions = _template_questions(values["template"], rated, project.locale)
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

    survey = Survey(
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
        anonymity_min=max(project.anonymity_min, MIN_ANONYMITY),
        comment_anonymity_min=max(project.comment_anonymity_min, MIN_ANONYMITY),
        created_by=user_id,
        created_at=now,
    )
    for position, question in enumerate(questions):
        question.position = position
    survey.questions = questions
    uow.surveys.add(survey)
    uow.session.flush()
    for person, department_id in audience.items():
        uow.session.add(
            SurveyParticipant(survey_id=survey.id, user_id=person, department_id=department_id)
        )
    uow.audit(
        team_id=team_id,
        project_id=project.id,
        actor=user_id,
        action="create",
        entity="survey",
        entity_id=survey.id,
        after={
            "title": survey.title,
            "template": survey.template,
            "questions": [q.prompt for q in questions],
            "audience": sorted(audience),
            "opens_at": survey.opens_at.isoformat(),
            "closes_at": survey.closes_at.isoformat(),
            "anonymous": survey.anonymous,
            "live_results": survey.live_results,
        },
    )
    uow.commit()
    return Created(survey.id, survey.opens_at <= now, len(audience))


# -- answering ---------------------------------------------------------------------------
def thresholds(survey: Survey, project: Project) -> tuple[int, int]:
    """(minimum group, minimum for comments) of `survey`: frozen when it was set up (older
    surveys: the project's), never below the floor."""
    minimum = survey.anonymity_min or project.anonymity_min
    comments = survey.comment_anonymity_min or project.comment_anonymity_min
    return max(minimum, MIN_ANONYMITY), max(comments, minimum, MIN_ANONYMITY)


def _local_day(project: Project, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(project.timezone)).date()


def _day_start(day: dt.date, zone: ZoneInfo | dt.timezone) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), zone).astimezone(dt.UTC)


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


def _survey(uow: UnitOfWork, team_id: str, survey_id: int) -> Survey:
    survey = uow.surveys.get(team_id, survey_id)
    if survey is None:
        raise NotFound(
            _("There is no survey #{id}. `/survey list` shows the open ones.", id=survey_id)
        )
    return survey


def survey_to_answer(
    uow: UnitOfWork, *, team_id: str, survey_id: int, user_id: str, now: dt.datetime
) -> Survey:
    """The survey `user_id` may answer now; otherwise a `UserError` saying why not."""
    survey = _survey(uow, team_id, survey_id)
    participant = uow.surveys.participant(survey.id, user_id)
    if participant is None:
        raise UserError(_("This survey is not addressed to you, so there is nothing to answer."))
    if participant.answered:
        raise UserError(
            _(
                "You have already answered “{title}” — thank you, your answer counted.",
                title=survey.title,
            )
        )
    if survey.opens_at > now:
        raise UserError(_("“{title}” is not open yet.", title=survey.title))
    if not is_open(survey, now):
        raise UserError(_("“{title}” is closed; answers are no longer taken.", title=survey.title))
    return survey


def _answer_value(question: SurveyQuestion, raw: Any) -> tuple[Any, Msg | None]:
    text = _clean(raw if isinstance(raw, str) else None)
    if question.kind == QuestionKind.TEXT:
        if len(text) > MAX_TEXT_ANSWER:
            return None, _("Keep it under {n} characters.", context="surveys", n=MAX_TEXT_ANSWER)
        return text or None, None
    if not text:
        return None, _("Choose an answer.")
    if not text.isdigit():
        return None, _("Choose one of the answers offered.")
    value = int(text)
    limits = {
        QuestionKind.RATING: (1, 5),
        QuestionKind.NPS: (0, 10),
        QuestionKind.CHOICE: (0, len(question.choices) - 1),
    }[QuestionKind(question.kind)]
    if not limits[0] <= value <= limits[1]:
        return None, _("Choose one of the answers offered.")
    return value, None


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
    participant = uow.surveys.participant(survey.id, user_id)
    department_id = participant.department_id if participant else None
    if not uow.surveys.mark_answered(survey.id, user_id):
        raise UserError(
            _(
                "You have already answered “{title}” — thank you, your answer counted.",
                title=survey.title,
            )
        )
    project = uow.projects.get(team_id, survey.project_id)
    zone = ZoneInfo(project.timezone) if project else dt.UTC
    today = now.astimezone(zone).date()
    answer = {"department_id": department_id, "answers": answers}
    if survey.anonymous:
        # Sealed and held with the others until enough are waiting (module docstring).
        box = sealing.seal(uow.seal_key, json.dumps(answer, ensure_ascii=False).encode())
        uow.surveys.add_pending(survey.id, box)
        if project is not None:
            release_pending(uow, survey, project, today)
    else:
        uow.surveys.add_responses(
            survey.id, [{**answer, "answered_on": today, "respondent": user_id}]
        )
    # The audit says that someone answered, never what (that would undo the separation),
    # and for an anonymous survey only on which day.
    uow.audit(
        team_id=team_id,
        project_id=survey.project_id,
        actor=user_id,
        action="answer",
        entity="survey",
        entity_id=survey.id,
        at=_day_start(today, zone) if survey.anonymous else None,
    )
    uow.commit()
    return survey


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
    survey = _survey(uow, team_id, survey_id)
    project = uow.projects.get(team_id, survey.project_id)
    if project is None or survey.project_id != project_id:
        raise NotFound(
            _("There is no survey #{id}. `/survey list` shows the open ones.", id=survey_id)
        )
    require_pm(project, user_id)
    if survey.closed_at is not None:
        raise UserError(_("“{title}” is already closed.", title=survey.title))
    survey.closed_at = now
    survey.closed_by = user_id
    if survey.closes_at > now:
        survey.closes_at = now
    release_pending(uow, survey, project, _local_day(project, now), closing=True)
    uow.audit(
        team_id=team_id,
        project_id=project.id,
        actor=user_id,
        action="close",
        entity="survey",
        entity_id=survey.id,
    )
    uow.commit()
    return survey


def compute_results(uow: UnitOfWork, survey: Survey) -> SurveyResults:
    """The survey's results with every small slice suppressed (visibility not checked)."""
    project = uow.session.get(Project, survey.project_id)
    assert project is not None
    invited, _answered = uow.surveys.counts(survey.id)
    questions = [
        QuestionSpec(q.id, q.kind, q.prompt, tuple(q.choices or ()), q.department_id)
        for q in survey.questions
    ]
    ballots = [
        Ballot(r.department_id, dict(r.answers), r.respondent)
        for r in uow.surveys.responses(survey.id)
    ]
    results = tally(
        questions,
        ballots,
        invited=invited,
        rated_department_ids=list(survey.rated_department_ids or []),
        minimum=thresholds(survey, project)[0],
        comment_minimum=thresholds(survey, project)[1],
    )
    # Answers still waiting to be released count as respondents, not yet in the figures.
    waiting = uow.surveys.pending_count(survey.id)
    return replace(results, respondents=results.respondents + waiting) if waiting else results


def visible_results(
    uow: UnitOfWork, *, team_id: str, project_id: int, survey_id: int, now: dt.datetime
) -> tuple[Survey, SurveyResults]:
    """Results of a closed survey, or of an open one with live results; else `UserError`."""
    survey = _survey(uow, team_id, survey_id)
    if survey.project_id != project_id:
        raise NotFound(
            _("There is no survey #{id}. `/survey list` shows the open ones.", id=survey_id)
        )
    closed = survey.closed_at is not None or survey.closes_at <= now
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
    project = uow.session.get(Project, project_id)
    pm = project is not None and user_id in project.pm_ids
    rows = []
    for survey in uow.surveys.for_project(project_id):
        participant = uow.surveys.participant(survey.id, user_id)
        if survey.closed_at is not None or survey.closes_at <= now:
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


# -- what the jobs send ------------------------------------------------------------------
def pending_invitations(
    uow: UnitOfWork, now: dt.datetime, project_id: int | None = None
) -> list[tuple[int, str]]:
    """(survey id, user id) of everyone of an open survey not yet invited (of one project,
    or of all)."""
    return [
        (s.id, p.user_id)
        for s in uow.surveys.open_at(now)
        if project_id in (None, s.project_id)
        for p in uow.surveys.participants(s.id)
        if p.invited_at is None and not p.answered
    ]


def due_reminders(
    uow: UnitOfWork, now: dt.datetime, project_id: int | None = None
) -> list[tuple[int, str]]:
    """(survey id, user id) of invited non-respondents of surveys closing within a day, not
    yet reminded (of one project, or of all)."""
    return [
        (s.id, p.user_id)
        for s in uow.surveys.open_at(now)
        if s.closes_at - now <= REMINDER_LEAD and project_id in (None, s.project_id)
        for p in uow.surveys.participants(s.id)
        if p.invited_at is not None and p.reminded_at is None and not p.answered
    ]


def close_due(uow: UnitOfWork, now: dt.datetime, project_id: int | None = None) -> list[int]:
    """Close surveys whose time is up; return the ids of closed surveys whose results are
    not posted yet (including those a PM closed), of one project or of all."""
    for survey in uow.surveys.due_to_close(now):
        if project_id in (None, survey.project_id):
            survey.closed_at = survey.closes_at
            survey.closed_by = "system"
            project = uow.session.get(Project, survey.project_id)
            if project is not None:
                release_pending(uow, survey, project, _local_day(project, now), closing=True)
    uow.commit()
    return [s.id for s in uow.surveys.results_unposted() if project_id in (None, s.project_id)]


NEVER: Final = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class SurveyTimes:
    """When a project's surveys need the clock (UTC): each survey's opening (invitations),
    its close time less `REMINDER_LEAD` (one reminder) and its close time (results)."""

    opens: tuple[dt.datetime, ...]
    reminders: tuple[dt.datetime, ...]
    closes: tuple[dt.datetime, ...]


def survey_times(uow: UnitOfWork, project_id: int, since: dt.datetime) -> SurveyTimes:
    """The times the survey jobs of `project_id` fire at, for the surveys closing after
    `since` (see `SurveyTimes`)."""
    found = uow.surveys.closing_between(project_id, since, NEVER)
    return SurveyTimes(
        tuple(sorted({s.opens_at for s in found})),
        tuple(sorted({max(s.closes_at - REMINDER_LEAD, s.opens_at) for s in found})),
        tuple(sorted({s.closes_at for s in found})),
    )


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
    project = uow.session.get(Project, project_id)
    if project is None:
        return []
    zone = ZoneInfo(project.timezone)
    first = month.replace(day=1)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    start = dt.datetime.combine(first, dt.time(), tzinfo=zone).astimezone(dt.UTC)
    end = dt.datetime.combine(after, dt.time(), tzinfo=zone).astimezone(dt.UTC)
    pooled: dict[tuple[int, str], tuple[list[QuestionSpec], list[Ballot]]] = {}
    every: tuple[list[QuestionSpec], list[Ballot]] = ([], [])
    rated: list[int] = []
    for survey in uow.surveys.closing_between(project_id, start, end):
        if survey.closed_at is None:
            continue
        questions = [
            QuestionSpec(q.id, q.kind, q.prompt, (), q.department_id) for q in survey.questions
        ]
        ballots = [
            Ballot(r.department_id, dict(r.answers)) for r in uow.surveys.responses(survey.id)
        ]
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
    if not rated:
        return []
    minimum = max(project.anonymity_min, MIN_ANONYMITY)
    everyone = _pooled(*every, rated, 0)
    scores = []
    for department_id in rated:
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
        scores.append(
            DepartmentSurveyScore(
                department_id,
                float(csat_value) if csat_value is not None else None,
                csat_n,
                float(nps_value) if nps_value is not None else None,
                nps_n,
            )
        )
    return scores
