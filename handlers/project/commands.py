"""`/icrm`: project set-up and administration."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import FieldErrors, PermissionDenied, UserError
from bot.i18n import _, normalise_locale, translator
from bot.services import projects
from bot.services.projects import ProjectField, ProjectForm
from handlers.common import Caller, field_errors, post_to_channel, read_state
from handlers.digest import commands as digest_commands
from handlers.errors import guarded
from handlers.ids import Command
from handlers.ids import View as V
from handlers.imports import actions as imports
from handlers.payloads import pack, unpack
from handlers.project import budget, departments, export, roles, settings, views
from handlers.routing import REFS, Invocation, Sub, slash_command
from handlers.scorecard import commands as scorecard


class SetupMeta(BaseModel):
    """Carried in the set-up modal's `private_metadata`."""

    channel_id: str


def open_setup(inv: Invocation) -> None:
    caller, deps = inv.caller, inv.deps
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
        inv.tr,
        editing=project is not None,
        metadata=pack(deps, SetupMeta(channel_id=caller.channel_id)),
    )
    inv.client.views_open(trigger_id=caller.trigger_id, view=view)


SUBCOMMANDS: dict[str, Sub] = {
    "setup": Sub(open_setup, needs_project=False),
    "departments": Sub(departments.run),
    "roles": Sub(roles.run),
    "budget": Sub(budget.run),
    "settings": Sub(settings.run),
    "export": Sub(export.run),
    "import": Sub(imports.run),
    "digest": Sub(digest_commands.run),
    "scorecard": Sub(scorecard.run),
}


def register(app: App, deps: Deps) -> None:
    slash_command(app, deps, Command.ICRM, SUBCOMMANDS)
    for screen in (departments, roles, budget, settings):
        screen.register(app, deps)

    @app.view(V.PROJECT_SETUP)
    @guarded(deps)
    def submit_setup(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        caller = Caller.of(body)
        meta = SetupMeta.model_validate_json(unpack(deps, view["private_metadata"]))
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
                    enterprise_id=caller.enterprise_id,
                )
                # Only the message about a new project lists them: an edit skips the query.
                departments = (
                    [d.name for d in uow.projects.departments(saved.project_id)]
                    if saved.created
                    else []
                )
        except FieldErrors as error:
            ack(**field_errors(error, tr))
            return
        except PermissionDenied as error:
            ack(response_action="errors", errors={ProjectField.CODE: tr(error.message)[:150]})
            return
        REFS.forget(caller.team_id, meta.channel_id)  # before the ack: the next command sees it
        ack()
        text, blocks = views.created_message(
            tr,
            code=saved.code,
            name=(form.name or "").strip(),
            user_id=caller.user_id,
            departments=departments,
            created=saved.created,
        )
        post_to_channel(client, meta.channel_id, text, blocks, tr=tr, fallback_user=caller.user_id)
