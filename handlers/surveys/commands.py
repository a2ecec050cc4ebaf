"""`/survey` and its modals and buttons: new, list, results, close, answer."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import FieldErrors, NotFound, PermissionDenied, UserError
from bot.i18n import Translator, _, translator
from bot.services import surveys
from bot.services.projects import require_pm
from bot.services.surveys import QuestionForm, SurveyField, SurveyForm, question_block
from handlers import blocks as b
from handlers.common import Caller, field_errors, read_state, save_submission
from handlers.errors import guarded
from handlers.home.publish import republish_home
from handlers.ids import Command
from handlers.payloads import pack, unpack
from handlers.routing import Invocation, Sub, slash_command
from handlers.surveys import delivery, views
from handlers.surveys.ids import SurveyAction, SurveyView
from handlers.text import esc
from storage.models import SurveyTemplate


class NewMeta(BaseModel):
    """`private_metadata` of the creation modals: the project, and page one once filled."""

    project_id: int
    locale: str
    form: SurveyForm | None = None
    slots: int = 3


class AnswerMeta(BaseModel):
    survey_id: int
    locale: str


def _survey_id(inv: Invocation) -> int:
    if not inv.words or not inv.words[0].lstrip("#").isdigit():
        raise UserError(
            _("Give the survey's number, like `{example}`.", example=f"{inv.command} results 3")
        )
    return int(inv.words[0].lstrip("#"))


def _default_form(now: dt.datetime, timezone: str) -> SurveyForm:
    local = now.astimezone(ZoneInfo(timezone))
    closes = local + dt.timedelta(days=7)
    return SurveyForm(
        template=SurveyTemplate.CSAT,
        opens_date=local.date().isoformat(),
        opens_time=local.strftime("%H:%M"),
        closes_date=closes.date().isoformat(),
        closes_time="18:00",
    )


def open_new(inv: Invocation) -> None:
    assert inv.project is not None
    with inv.deps.uow() as uow:
        project = uow.projects.get(inv.caller.team_id, inv.project.id)
        if project is None:
            raise NotFound(_("That project no longer exists."))
        require_pm(project, inv.caller.user_id)
        departments = [(d.id, d.name) for d in uow.projects.departments(project.id)]
    meta = NewMeta(project_id=inv.project.id, locale=inv.tr.locale)
    view = views.new_survey_modal(
        inv.tr,
        _default_form(inv.deps.now(), inv.project.timezone),
        departments,
        metadata=pack(inv.deps, meta),
    )
    inv.client.views_open(trigger_id=inv.caller.trigger_id, view=view)


def show_list(inv: Invocation) -> None:
    assert inv.project is not None
    with inv.deps.uow() as uow:
        rows = surveys.list_surveys(
            uow, project_id=inv.project.id, user_id=inv.caller.user_id, now=inv.deps.now()
        )
    text, blocks = views.list_blocks(inv.tr, rows, project=inv.project.code)
    owed = [r for r in rows if r.state == "open" and r.invited and not r.answered]
    if owed:
        blocks.append(
            b.actions(
                *[
                    b.button(
                        inv.tr(_("Answer #{id}", id=r.id)),
                        b.indexed(SurveyAction.ANSWER, i),
                        str(r.id),
                    )
                    for i, r in enumerate(owed[:5])
                ]
            )
        )
    inv.reply(text, blocks)


def show_results(inv: Invocation) -> None:
    assert inv.project is not None
    survey_id = _survey_id(inv)
    with inv.deps.uow() as uow:
        survey, results = surveys.visible_results(
            uow,
            team_id=inv.caller.team_id,
            project_id=inv.project.id,
            survey_id=survey_id,
            now=inv.deps.now(),
        )
        names = {d.id: d.name for d in uow.projects.departments(inv.project.id)}
        closed = survey.closed_at is not None or survey.closes_at <= inv.deps.now()
        text, blocks = views.results_blocks(
            inv.tr, title=survey.title, results=results, department_names=names, closed=closed
        )
    inv.reply(text, blocks)


def close(inv: Invocation) -> None:
    assert inv.project is not None
    survey_id = _survey_id(inv)
    now = inv.deps.now()
    with inv.deps.uow() as uow:
        survey = surveys.close_survey(
            uow,
            team_id=inv.caller.team_id,
            project_id=inv.project.id,
            survey_id=survey_id,
            user_id=inv.caller.user_id,
            now=now,
        )
        title = survey.title
    inv.later(
        lambda: delivery.post_results(inv.deps, inv.client, now),
        notice=inv.tr(
            _("Closed “{title}”. The results are posted in the project channel.", title=esc(title))
        ),
    )


SUBCOMMANDS: dict[str, Sub] = {
    "new": Sub(open_new),
    "list": Sub(show_list),
    "results": Sub(show_results),
    "close": Sub(close),
}


def _form_from(view: dict[str, Any]) -> SurveyForm:
    state = read_state(view)
    return SurveyForm.model_validate(
        {k: v for k, v in state.items() if v is not None and k in set(SurveyField)}
    )


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


def register(app: App, deps: Deps) -> None:
    slash_command(app, deps, Command.SURVEY, SUBCOMMANDS)

    def finish(client: WebClient, caller: Caller, tr: Translator, created: surveys.Created) -> None:
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

        def send() -> None:  # a fan-out: never on the threads that acknowledge Slack
            client.chat_postMessage(channel=caller.user_id, text=tr(message))
            if created.opens_now:
                delivery.send_invitations(deps, client, deps.now())

        if not deps.background.submit(send):
            # The clock's `survey_open` job invites whoever was not invited within 5 minutes.
            client.chat_postMessage(channel=caller.user_id, text=tr(message))

    def try_create(
        ack: Ack,
        client: WebClient,
        caller: Caller,
        meta: NewMeta,
        form: SurveyForm,
        tr: Translator,
        **ok: Any,
    ) -> None:
        created = save_submission(
            ack,
            deps,
            tr,
            lambda uow: surveys.create_survey(
                uow,
                team_id=caller.team_id,
                project_id=meta.project_id,
                user_id=caller.user_id,
                form=form,
                now=deps.now(),
            ),
            field=error_key(form),
            refusal=PermissionDenied,
            answer=ok,
        )
        if created is not None:
            finish(client, caller, tr, created)

    def check_setup(caller: Caller, meta: NewMeta, form: SurveyForm) -> None:
        """The first screen's rules (raises `FieldErrors` / `PermissionDenied`); saves nothing."""
        with deps.uow() as uow:
            project = uow.projects.get(caller.team_id, meta.project_id)
            if project is None:
                raise NotFound(_("That project no longer exists."))
            surveys.check_setup(
                uow, project=project, user_id=caller.user_id, form=form, now=deps.now()
            )

    def error_key(form: SurveyForm) -> str:
        return question_block(0, "prompt") if form.questions else SurveyField.TITLE

    @app.view(SurveyView.NEW)
    @guarded(deps)
    def submit_new(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        caller = Caller.of(body)
        meta = NewMeta.model_validate_json(unpack(deps, view["private_metadata"]))
        tr = translator(meta.locale)
        context["locale"] = tr.locale
        form = _form_from(view)
        if form.template != SurveyTemplate.CUSTOM:
            try_create(ack, client, caller, meta, form, tr)
            return
        try:
            check_setup(caller, meta, form)
        except FieldErrors as error:
            ack(**field_errors(error, tr))
            return
        except PermissionDenied as error:
            ack(response_action="errors", errors={SurveyField.TITLE: tr(error.message)[:150]})
            return
        pushed = meta.model_copy(update={"form": form})
        ack(
            response_action="push",
            view=views.questions_modal(tr, [], pushed.slots, metadata=pack(deps, pushed)),
        )

    @app.view(SurveyView.QUESTIONS)
    @guarded(deps)
    def submit_questions(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        caller = Caller.of(body)
        meta = NewMeta.model_validate_json(unpack(deps, view["private_metadata"]))
        tr = translator(meta.locale)
        context["locale"] = tr.locale
        if meta.form is None:
            raise UserError(_("Something was lost on the way. Start again with `/survey new`."))
        form = meta.form.model_copy(update={"questions": _questions_from(view, meta.slots)})
        try:
            check_setup(caller, meta, form)
        except FieldErrors as error:
            # The first screen's values went stale (say, the closing time has passed).
            first = tr(error.message)
            ack(
                response_action="errors",
                errors={
                    question_block(0, "prompt"): tr(_("Go back: {problem}", problem=first))[:150]
                },
            )
            return
        try_create(ack, client, caller, meta, form, tr, response_action="clear")

    @app.action(SurveyAction.ADD_QUESTION)
    @guarded(deps)
    def add_question(
        ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]
    ) -> None:
        ack()
        view = body["view"]
        meta = NewMeta.model_validate_json(unpack(deps, view["private_metadata"]))
        tr = translator(meta.locale)
        questions = _questions_from(view, meta.slots)
        grown = meta.model_copy(update={"slots": min(10, meta.slots + 1)})
        client.views_update(
            view_id=view["id"],
            hash=view.get("hash"),
            view=views.questions_modal(tr, questions, grown.slots, metadata=pack(deps, grown)),
        )

    @app.action(b.any_index(SurveyAction.ANSWER))
    @guarded(deps)
    def open_answer(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        ack()
        caller = Caller.of(body)
        survey_id = int(action["value"])
        with deps.uow() as uow:
            survey = uow.surveys.get(caller.team_id, survey_id)
            if survey is not None:
                context["locale"] = uow.surveys.project_of(survey).locale
            survey = surveys.survey_to_answer(
                uow,
                team_id=caller.team_id,
                survey_id=survey_id,
                user_id=caller.user_id,
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
        client.views_open(trigger_id=caller.trigger_id, view=view)

    @app.view(SurveyView.ANSWER)
    @guarded(deps)
    def submit_answer(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        caller = Caller.of(body)
        meta = AnswerMeta.model_validate_json(unpack(deps, view["private_metadata"]))
        tr = translator(meta.locale)
        context["locale"] = tr.locale
        try:
            with deps.uow() as uow:
                survey = surveys.submit_answer(
                    uow,
                    team_id=caller.team_id,
                    survey_id=meta.survey_id,
                    user_id=caller.user_id,
                    values=read_state(view),
                    now=deps.now(),
                )
                title = survey.title
        except FieldErrors as error:
            ack(**field_errors(error, tr))
            return
        ack()
        client.chat_postMessage(
            channel=caller.user_id,
            text=tr(_("Thank you — your answers to “{title}” are recorded.", title=esc(title))),
        )
        republish_home(deps, client, caller.team_id, [caller.user_id])
