"""`/icrm`: project set-up and administration."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.app import Deps
from bot.errors import FieldErrors, PermissionDenied, UserError
from bot.i18n import Translator, _, normalise_locale, translator
from bot.services import projects
from bot.services.projects import ProjectField, ProjectForm
from handlers.common import Caller, field_errors, post_to_channel, read_state
from handlers.errors import guarded
from handlers.help import help_blocks
from handlers.ids import Command
from handlers.ids import View as V
from handlers.project import views

log = logging.getLogger("icrm.project")

Subcommand = Callable[[Deps, WebClient, Caller, list[str], Translator], None]


class SetupMeta(BaseModel):
    """Carried in the set-up modal's `private_metadata`."""

    channel_id: str


def project_locale(deps: Deps, caller: Caller) -> str:
    """The locale of the channel's project, or the configured default."""
    if caller.channel_id:
        with deps.uow() as uow:
            project = uow.projects.by_channel(caller.team_id, caller.channel_id)
            if project is not None:
                return project.locale
    return deps.settings.default_locale


def open_setup(
    deps: Deps, client: WebClient, caller: Caller, _args: list[str], tr: Translator
) -> None:
    if not caller.channel_id or caller.channel_id.startswith("D"):
        raise UserError(
            _(
                "Run `/icrm setup` in the project's channel (its joint command centre), not in a direct message."
            )
        )
    with deps.uow() as uow:
        project = uow.projects.by_channel(caller.team_id, caller.channel_id)
        if project is not None:
            projects.require_pm(project, caller.user_id)
            form = projects.form_of(project)
        else:
            settings = deps.settings
            form = projects.default_form(
                user_id=caller.user_id,
                today=deps.now().date(),
                timezone=settings.default_timezone,
                currency=settings.default_currency,
                locale=normalise_locale(settings.default_locale),
            )
    view = views.setup_modal(
        form,
        tr,
        editing=project is not None,
        metadata=SetupMeta(channel_id=caller.channel_id).model_dump_json(),
    )
    client.views_open(trigger_id=caller.trigger_id, view=view)


SUBCOMMANDS: dict[str, Subcommand] = {
    "setup": open_setup,
}


def register(app: App, deps: Deps) -> None:
    guard = guarded(deps)

    @app.command(Command.ICRM)
    @guard
    def icrm(ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
        caller = Caller.of(body)
        words = (body.get("text") or "").split()
        word = words[0].lower() if words else "help"
        try:
            locale = project_locale(deps, caller)
        except Exception:  # help must work even when the database does not
            log.exception("could not read the project's locale")
            locale = deps.settings.default_locale
        context["locale"] = locale
        tr = translator(locale)
        subcommand = SUBCOMMANDS.get(word)
        if subcommand is None:
            text, blocks = help_blocks(Command.ICRM, tr, unknown=None if word == "help" else word)
            ack(text=text, blocks=blocks)
            return
        ack()
        subcommand(deps, client, caller, words[1:], tr)

    @app.view(V.PROJECT_SETUP)
    @guard
    def submit_setup(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        caller = Caller.of(body)
        meta = SetupMeta.model_validate_json(view["private_metadata"])
        form = ProjectForm.model_validate(read_state(view))
        tr = translator(form.locale or deps.settings.default_locale)
        context["locale"] = tr.locale
        try:
            with deps.uow() as uow:
                saved = projects.save_project(
                    uow,
                    team_id=caller.team_id,
                    channel_id=meta.channel_id,
                    user_id=caller.user_id,
                    form=form,
                )
                departments = [d.name for d in uow.projects.departments(saved.project_id)]
                name = form.name or ""
        except FieldErrors as error:
            ack(**field_errors(error, tr))
            return
        except PermissionDenied as error:
            ack(response_action="errors", errors={ProjectField.CODE: tr(error.message)[:150]})
            return
        ack()
        text, blocks = views.created_message(
            tr,
            code=saved.code,
            name=name.strip(),
            user_id=caller.user_id,
            departments=departments,
            created=saved.created,
        )
        post_to_channel(client, meta.channel_id, text, blocks, tr=tr, fallback_user=caller.user_id)
