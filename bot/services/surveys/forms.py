"""What the survey modals submit: field and block ids, the form models, the limits and
their checks, and the privacy note."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from bot.forms import stripped
from bot.i18n import Msg, _
from storage.models import (
    QuestionKind,
    SurveyTemplate,
)

MAX_QUESTIONS: Final = 10
MAX_ASKED: Final = 40  # questions after repeating per rated department: keeps the modal usable
MAX_CHOICES: Final = 10
MAX_TITLE: Final = 150
MAX_PROMPT: Final = 300
MAX_TEXT_ANSWER: Final = 2000
REMINDER_LEAD: Final = dt.timedelta(hours=24)
ANONYMOUS, LIVE = "anonymous", "live"


def reminder_at(opens_at: dt.datetime, closes_at: dt.datetime) -> dt.datetime:
    """When a survey's one reminder is due: `REMINDER_LEAD` before it closes, or halfway
    through a survey shorter than twice that (never together with the invitations)."""
    return max(closes_at - REMINDER_LEAD, opens_at + (closes_at - opens_at) / 2)


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
def _moment(date: str | None, time: str | None, zone: ZoneInfo) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(stripped(date))
        clock = dt.time.fromisoformat(stripped(time))
    except ValueError:
        return None
    return dt.datetime.combine(day, clock, tzinfo=zone).astimezone(dt.UTC)


def _chosen(raw: list[str], department_ids: set[int]) -> list[int] | None:
    """The chosen department ids, in order, once each; None when one is not the project's."""
    try:
        chosen = list(dict.fromkeys(int(v) for v in raw))
    except ValueError:
        return None
    return chosen if set(chosen) <= department_ids else None


def _times(
    form: SurveyForm, zone: ZoneInfo, now: dt.datetime, errors: dict[str, Msg]
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(opens, closes) in UTC, each None when missing or bad (the error added)."""
    F = SurveyField
    required = _("This field is required.")
    moments: dict[str, dt.datetime] = {}
    for date_field, time_field in ((F.OPENS_DATE, F.OPENS_TIME), (F.CLOSES_DATE, F.CLOSES_TIME)):
        date, time = getattr(form, date_field), getattr(form, time_field)
        if not stripped(date):
            errors[date_field] = required
        elif not stripped(time):
            errors[time_field] = required
        else:
            moment = _moment(date, time, zone)
            if moment is None:
                errors[date_field] = _("Give a date as YYYY-MM-DD and a time as HH:MM.")
            else:
                moments[date_field] = moment
    opens, closes = moments.get(F.OPENS_DATE), moments.get(F.CLOSES_DATE)
    if closes is not None and closes <= now:
        errors[F.CLOSES_DATE] = _("The closing time is in the past. Choose a later one.")
    elif opens is not None and closes is not None and closes <= opens:
        errors[F.CLOSES_DATE] = _("The survey must close after it opens.")
    return opens, closes


def validate_setup(
    form: SurveyForm, *, department_ids: set[int], timezone: str, now: dt.datetime
) -> tuple[dict[str, Any], dict[str, Msg]]:
    """Check the first modal; return the clean values and an error per bad field."""
    F = SurveyField
    errors: dict[str, Msg] = {}
    values: dict[str, Any] = {}
    title = stripped(form.title)
    if not title:
        errors[F.TITLE] = _("This field is required.")
    elif len(title) > MAX_TITLE:
        errors[F.TITLE] = _("Keep the title under {n} characters.", n=MAX_TITLE)
    values["title"] = title

    template = stripped(form.template)
    if template not in set(SurveyTemplate):
        errors[F.TEMPLATE] = _("Choose CSAT, NPS or custom questions.")
    values["template"] = template

    rated = _chosen(form.rated, department_ids)
    if rated is None:
        errors[F.RATED] = _("Choose departments of this project.")
    elif not rated and template in (SurveyTemplate.CSAT, SurveyTemplate.NPS):
        errors[F.RATED] = _("A CSAT or NPS survey rates at least one department: choose it here.")
    values["rated"] = rated or []

    audience = _chosen(form.audience_departments, department_ids)
    people = [u for u in dict.fromkeys(form.audience_people) if u]
    if audience is None:
        errors[F.AUDIENCE_DEPARTMENTS] = _("Choose departments of this project.")
    elif not audience and not people:
        errors[F.AUDIENCE_DEPARTMENTS] = _(
            "Choose who answers: at least one department or one person."
        )
    values["audience_departments"] = audience or []
    values["audience_people"] = people

    opens, closes = _times(form, ZoneInfo(timezone), now, errors)
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
        prompt = stripped(question.prompt)
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
        kind = stripped(question.kind)
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
