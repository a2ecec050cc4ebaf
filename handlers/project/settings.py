"""`/icrm settings`: the PM's modal for the project's schedule and thresholds."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.i18n import _
from bot.services import project_settings
from bot.services.project_settings import SettingsForm
from handlers.common import Caller, read_state, tell
from handlers.errors import guarded
from handlers.project import views
from handlers.project.admin import AdminRef, answer_to, load, save_or_reject
from handlers.project.ids import ProjectView as V
from handlers.routing import Invocation


def run(inv: Invocation) -> None:
    """Open the settings modal (PMs only; others are told who the PMs are)."""
    assert inv.project is not None
    project, caller = inv.project, inv.caller
    with inv.deps.uow() as uow:
        form = project_settings.settings_form(
            uow, team_id=project.team_id, project_id=project.id, user_id=caller.user_id
        )
    meta = AdminRef(project_id=project.id, channel_id=caller.channel_id).dump(inv.deps)
    inv.client.views_open(
        trigger_id=caller.trigger_id, view=views.settings_modal(form, project.tr, metadata=meta)
    )


def register(app: App, deps: Deps) -> None:
    @app.view(V.SETTINGS)
    @guarded(deps)
    def submit(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        caller = Caller.of(body)
        ref, project = load(deps, caller, view["private_metadata"], context)
        form = SettingsForm.model_validate(read_state(view))

        def save() -> None:
            with deps.uow() as uow:
                project_settings.save_settings(
                    uow,
                    team_id=caller.team_id,
                    project_id=project.id,
                    user_id=caller.user_id,
                    form=form,
                )

        if not save_or_reject(ack, view, project.tr, save):
            return
        ack()
        saved = project.tr(_("Saved the settings of {code}."), code=project.code)
        values, _errors = project_settings.validate_settings(form)
        warning = project_settings.anonymity_warning(
            values.get("anonymity_min", 5), values.get("comment_anonymity_min", 10)
        )
        if warning is not None:
            saved = f"{saved}\n{project.tr(warning)}"
        tell(client, answer_to(caller, ref), saved)
