"""The survey modals (new, its custom questions, answering) and the Answer buttons."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from slack_bolt import App

from bot.deps import Deps
from bot.errors import FieldErrors, NotFound, PermissionDenied, UserError
from bot.i18n import _, translator
from bot.services import surveys
from bot.services.surveys import QuestionForm, SurveyField, SurveyForm, question_block
from handlers.common import read_state
from handlers.home.publish import republish_home
from handlers.kit import Request, button, modal
from handlers.payloads import pack
from handlers.surveys import views
from handlers.surveys.commands import NewMeta
from handlers.surveys.ids import SurveyAction, SurveyView
from handlers.text import esc
from jobs import surveys as survey_jobs
from storage.models import SurveyTemplate

FIRST_PROMPT = question_block(0, "prompt")


class AnswerMeta(BaseModel):
    survey_id: int
    locale: str


def _form_from(req: Request) -> SurveyForm:
    return req.form(SurveyForm, only=SurveyField)


def _questions_from(view: dict[str, Any], slots: int) -> list[QuestionForm]:
    state = read_state(view)
    return [
        QuestionForm(
            kind=state.get(question_block(i, "kind")),
            prompt=state.get(question_block(i, "prompt")),
            choices=state.get(question_block(i, "choices")),
        )
        for i in range(slots)
    ]


def _check_setup(req: Request, meta: NewMeta, form: SurveyForm) -> None:
    """The first screen's rules (raises `FieldErrors` / `PermissionDenied`); saves nothing."""
    deps = req.deps
    with deps.uow() as uow:
        project = uow.projects.get(req.caller.team_id, meta.project_id)
        if project is None:
            raise NotFound(_("That project no longer exists."))
        surveys.check_setup(
            uow, project=project, user_id=req.caller.user_id, form=form, now=deps.now()
        )


def _create(req: Request, meta: NewMeta, form: SurveyForm, **answer: Any) -> None:
    """Save the survey, close the modal (or do what `answer` says), then invite."""
    deps, caller = req.deps, req.caller
    with deps.uow() as uow:
        created = surveys.create_survey(
            uow,
            **caller.acting(meta.project_id),
            form=form,
            now=deps.now(),
        )
    req.close(**answer)
    if created.opens_now:
        message = _(
            "Survey #{id} started: {n} people get it by direct message now.",
            id=created.survey_id,
            n=created.invited,
        )
    else:
        message = _(
            "Survey #{id} is scheduled: {n} people get it by direct message when it opens.",
            id=created.survey_id,
            n=created.invited,
        )
    client, tr = req.client, req.tr

    def send() -> None:  # a fan-out: never on the threads that acknowledge Slack
        client.chat_postMessage(channel=caller.user_id, text=tr(message))
        if created.opens_now:  # queued, then sent paced (the clock's pass if we die)
            survey_jobs.send_invitations(deps, deps.now(), meta.project_id)

    if not deps.background.submit(send):
        # The clock's `survey_open`, due at the survey's opening, invites them.
        client.chat_postMessage(channel=caller.user_id, text=tr(message))


def register_new(app: App, deps: Deps) -> None:
    @modal(app, deps, SurveyView.NEW, refusal=PermissionDenied, refusal_on=SurveyField.TITLE)
    def submit_new(req: Request) -> None:
        meta = req.meta(NewMeta)
        tr = req.speak(meta.locale)
        form = _form_from(req)
        if form.template != SurveyTemplate.CUSTOM:
            _create(req, meta, form)
            return
        _check_setup(req, meta, form)
        pushed = meta.model_copy(update={"form": form})
        view = views.questions_modal(tr, [], pushed.slots, metadata=pack(deps, pushed))
        req.close(response_action="push", view=view)

    @modal(app, deps, SurveyView.QUESTIONS, refusal=PermissionDenied, refusal_on=FIRST_PROMPT)
    def submit_questions(req: Request) -> None:
        meta = req.meta(NewMeta)
        req.speak(meta.locale)
        if meta.form is None:
            raise UserError(_("Something was lost on the way. Start again with `/survey new`."))
        form = meta.form.model_copy(update={"questions": _questions_from(req.view, meta.slots)})
        try:
            _check_setup(req, meta, form)
        except FieldErrors as error:
            # The first screen's values went stale (say, the closing time has passed).
            first = req.tr(error.message)
            req.errors({FIRST_PROMPT: _("Go back: {problem}", problem=first)})
            return
        _create(req, meta, form, response_action="clear")

    @button(app, deps, SurveyAction.ADD_QUESTION)
    def add_question(req: Request) -> None:
        view = req.view
        meta = req.meta(NewMeta)
        tr = translator(meta.locale)
        questions = _questions_from(view, meta.slots)
        grown = meta.model_copy(update={"slots": min(10, meta.slots + 1)})
        req.client.views_update(
            view_id=view["id"],
            hash=view.get("hash"),
            view=views.questions_modal(tr, questions, grown.slots, metadata=pack(deps, grown)),
        )


def register_answers(app: App, deps: Deps) -> None:
    @button(app, deps, SurveyAction.ANSWER)
    def open_answer(req: Request) -> None:
        caller = req.caller
        survey_id = int(req.action["value"])
        with deps.uow() as uow:
            survey = uow.surveys.get(caller.team_id, survey_id)
            if survey is not None:
                req.speak(uow.surveys.project_of(survey).locale)
            survey = surveys.survey_to_answer(
                uow,
                **caller.who(),
                survey_id=survey_id,
                now=deps.now(),
            )
            project = uow.surveys.project_of(survey)
            tr = translator(project.locale)
            privacy = tr(
                surveys.privacy_note(
                    survey.anonymous,
                    survey.live_results,
                    *surveys.thresholds(survey, project),
                )
            )
            view = views.answer_modal(
                tr,
                title=survey.title,
                questions=[
                    (q.id, q.kind, q.prompt, list(q.choices or [])) for q in survey.questions
                ],
                privacy=privacy,
                metadata=pack(deps, AnswerMeta(survey_id=survey.id, locale=tr.locale)),
            )
        req.open_modal(view)

    @modal(app, deps, SurveyView.ANSWER)
    def submit_answer(req: Request) -> None:
        caller, meta = req.caller, req.meta(AnswerMeta)
        tr = req.speak(meta.locale)
        with deps.uow() as uow:
            survey = surveys.submit_answer(
                uow,
                **caller.who(),
                survey_id=meta.survey_id,
                values=req.values,
                now=deps.now(),
            )
            title = survey.title
        req.close()
        req.client.chat_postMessage(
            channel=caller.user_id,
            text=tr(_("Thank you — your answers to “{title}” are recorded.", title=esc(title))),
        )
        republish_home(deps, req.client, caller.team_id, [caller.user_id])


def register(app: App, deps: Deps) -> None:
    register_new(app, deps)
    register_answers(app, deps)
