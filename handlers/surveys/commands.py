"""`/survey`: new, list, results, close (the modals and buttons are in `actions`)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from slack_bolt import App

from bot.deps import Deps
from bot.errors import NotFound, UserError
from bot.i18n import _
from bot.services import surveys
from bot.services.projects import require_pm
from bot.services.surveys import SurveyForm
from handlers import blocks as b
from handlers.ids import Command
from handlers.payloads import pack
from handlers.routing import Invocation, Sub, slash_command
from handlers.surveys import views
from handlers.surveys.ids import SurveyAction
from handlers.text import esc
from jobs import surveys as survey_jobs
from storage.models import SurveyTemplate


class NewMeta(BaseModel):
    """`private_metadata` of the creation modals: the project, and page one once filled."""

    project_id: int
    locale: str
    form: SurveyForm | None = None
    slots: int = 3


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
    here = inv.required_project
    with inv.deps.uow() as uow:
        project = uow.projects.get(inv.caller.team_id, here.id)
        if project is None:
            raise NotFound(_("That project no longer exists."))
        require_pm(project, inv.caller.user_id)
        departments = [(d.id, d.name) for d in uow.projects.departments(project.id)]
    meta = NewMeta(project_id=here.id, locale=inv.tr.locale)
    view = views.new_survey_modal(
        inv.tr,
        _default_form(inv.deps.now(), here.timezone),
        departments,
        metadata=pack(inv.deps, meta),
    )
    inv.open_modal(view)


def show_list(inv: Invocation) -> None:
    project = inv.required_project
    with inv.deps.uow() as uow:
        rows = surveys.list_surveys(
            uow, project_id=project.id, user_id=inv.caller.user_id, now=inv.deps.now()
        )
    text, blocks = views.list_blocks(inv.tr, rows, project=project.code)
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
    project = inv.required_project
    survey_id = _survey_id(inv)
    with inv.deps.uow() as uow:
        survey, results = surveys.visible_results(
            uow,
            team_id=inv.caller.team_id,
            project_id=project.id,
            survey_id=survey_id,
            now=inv.deps.now(),
        )
        names = uow.projects.department_names(project.id)
        closed = survey.closed_at is not None or survey.closes_at <= inv.deps.now()
        text, blocks = views.results_blocks(
            inv.tr, title=survey.title, results=results, department_names=names, closed=closed
        )
    inv.reply(text, blocks)


def close(inv: Invocation) -> None:
    project = inv.required_project
    survey_id = _survey_id(inv)
    now, project_id = inv.deps.now(), project.id
    with inv.deps.uow() as uow:
        survey = surveys.close_survey(
            uow,
            **inv.caller.acting(project.id),
            survey_id=survey_id,
            now=now,
        )
        title = survey.title
    inv.later(
        lambda: survey_jobs.send_results(inv.deps, now, project_id),
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


def register(app: App, deps: Deps) -> None:
    slash_command(app, deps, Command.SURVEY, SUBCOMMANDS)
