"""Block Kit for surveys: pure functions of data and a translator."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.i18n import Translator, _
from bot.services.survey_results import (
    NPS_SCALE,
    RATING_SCALE,
)
from bot.services.surveys import (
    ANONYMOUS,
    LIVE,
    QuestionForm,
    SurveyForm,
    answer_block,
    question_block,
)
from bot.services.surveys import SurveyField as F
from handlers import blocks as b
from handlers.ids import VALUE
from handlers.surveys.ids import SurveyAction, SurveyView
from handlers.surveys.views.messages import KIND_LABEL
from handlers.text import strong
from storage.models import QuestionKind, SurveyTemplate


def _when_and_options(tr: Translator, form: SurveyForm) -> list[Block]:
    """The new-survey modal's dates, times and options."""
    option_choices = [
        (ANONYMOUS, tr(_("Anonymous (recommended)"))),
        (LIVE, tr(_("Show results while the survey is open"))),
    ]
    return [
        b.date_input(F.OPENS_DATE, tr(_("Opens on")), initial=form.opens_date),
        b.time_input(F.OPENS_TIME, tr(_("Opens at")), initial=form.opens_time),
        b.date_input(F.CLOSES_DATE, tr(_("Closes on")), initial=form.closes_date),
        b.time_input(F.CLOSES_TIME, tr(_("Closes at")), initial=form.closes_time),
        b.checkboxes_input(F.OPTIONS, tr(_("Options")), option_choices, ticked=form.options),
        b.context(
            tr(
                _(
                    "Times are in the project's time zone. Results stay hidden until the survey closes unless you tick live results; groups too small to stay anonymous are never shown."
                )
            )
        ),
    ]


def new_survey_modal(
    tr: Translator,
    form: SurveyForm,
    departments: Sequence[tuple[int, str]],
    *,
    metadata: str,
) -> View:
    """The first modal: what kind of survey, about whom, for whom, when, and its options."""
    names = [(str(i), n) for i, n in departments]
    templates = [
        (SurveyTemplate.CSAT, tr(_("CSAT — satisfaction with a department's service"))),
        (SurveyTemplate.NPS, tr(_("NPS — would you recommend working with a department?"))),
        (SurveyTemplate.CUSTOM, tr(_("Custom questions (next screen)"))),
    ]
    items: list[Block] = [
        b.text_input(F.TITLE, tr(_("Title")), initial=form.title, max_length=150),
        b.select_input(F.TEMPLATE, tr(_("Questions")), templates, initial=form.template),
        b.multi_select_input(
            F.RATED,
            tr(_("Departments rated")),
            names,
            chosen=form.rated,
            hint=tr(_("Required for CSAT and NPS: each is rated on its own.")),
        ),
        b.multi_select_input(
            F.AUDIENCE_DEPARTMENTS,
            tr(_("Who answers: departments")),
            names,
            chosen=form.audience_departments,
            hint=tr(_("Their leads and members get the survey by direct message.")),
        ),
        b.users_input(
            F.AUDIENCE_PEOPLE,
            tr(_("Who answers: more people")),
            initial=form.audience_people,
            optional=True,
        ),
        *_when_and_options(tr, form),
    ]
    return b.form_modal(
        SurveyView.NEW,
        tr(_("New survey")),
        items,
        tr,
        submit=tr(_("Next") if form.template == SurveyTemplate.CUSTOM else _("Start survey")),
        metadata=metadata,
    )


def questions_modal(
    tr: Translator, questions: Sequence[QuestionForm], slots: int, *, metadata: str
) -> View:
    """The pushed modal for custom questions: `slots` question slots, empty ones ignored."""
    kinds = b.labelled(KIND_LABEL, tr)
    items: list[Block] = [
        b.context(
            tr(
                _(
                    "Up to {n} questions. Rating and 0–10 questions are asked about each rated department. Leave a slot empty to skip it.",
                    n=10,
                )
            )
        )
    ]
    for index in range(slots):
        given = questions[index] if index < len(questions) else QuestionForm()
        items += [
            b.divider(),
            b.text_input(
                question_block(index, "prompt"),
                tr(_("Question {n}", n=index + 1)),
                initial=given.prompt,
                optional=index > 0,
                max_length=300,
            ),
            b.select_input(
                question_block(index, "kind"),
                tr(_("Answer")),
                kinds,
                initial=given.kind or QuestionKind.RATING,
                optional=index > 0,
            ),
            b.text_input(
                question_block(index, "choices"),
                tr(_("Choices (single choice only, one per line)")),
                initial=given.choices,
                optional=True,
                multiline=True,
            ),
        ]
    if slots < 10:
        items.append(
            b.actions(b.button(tr(_("Add a question")), SurveyAction.ADD_QUESTION, str(slots)))
        )
    return b.modal(
        SurveyView.QUESTIONS,
        tr(_("Survey questions")),
        items,
        submit=tr(_("Start survey")),
        close=tr(_("Back")),
        private_metadata=metadata,
    )


def answer_modal(
    tr: Translator,
    *,
    title: str,
    questions: Sequence[tuple[int, str, str, Sequence[str]]],
    privacy: str,
    metadata: str,
) -> View:
    """The survey itself: (question id, kind, prompt, choices) per question."""
    items: list[Block] = [b.section(f"*{strong(title)}*"), b.context(privacy)]
    for question_id, kind, prompt, choices in questions:
        block_id = answer_block(question_id)
        if kind == QuestionKind.TEXT:
            items.append(
                b.text_input(block_id, prompt, optional=True, multiline=True, max_length=2000)
            )
            continue
        if kind == QuestionKind.RATING:
            options = [(str(v), str(v)) for v in RATING_SCALE]
        elif kind == QuestionKind.NPS:
            options = [(str(v), str(v)) for v in NPS_SCALE]
        else:
            options = [(str(i), c) for i, c in enumerate(choices)]
        items.append(
            InputBlock(
                block_id=block_id,
                label=PlainTextObject(text=b.clip(prompt, 2000)),
                element=StaticSelectElement(
                    action_id=VALUE, options=[b.option(v, t) for v, t in options]
                ),
            )
        )
    return b.form_modal(
        SurveyView.ANSWER,
        tr(_("Survey")),
        items,
        tr,
        submit=tr(_("Send answers")),
        metadata=metadata,
    )
