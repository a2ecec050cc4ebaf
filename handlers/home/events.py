"""`app_home_opened` publishes the Home; its quick-action buttons open the domains' modals."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.app import Deps
from bot.errors import UserError
from bot.i18n import _
from bot.services.risks import RiskForm
from handlers.common import Caller
from handlers.errors import guarded
from handlers.home.ids import HomeAction
from handlers.home.publish import publish_home
from handlers.middleware import handled_once
from handlers.risks import flows


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    @guarded(deps)
    @handled_once(deps)
    def on_home_opened(
        ack: Ack,
        body: dict[str, Any],
        event: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        if event.get("tab", "home") != "home":  # the Messages tab: nothing to publish
            return
        publish_home(deps, client, body.get("team_id", ""), event["user"])

    @app.action(HomeAction.FLAG_RISK)
    @guarded(deps)
    def flag_risk(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        ack()
        caller = Caller.of(body)
        value = str(action.get("value") or "")
        if not value.isdigit():
            raise UserError(_("That button is out of date. Open the Home tab again."))
        project = flows.project_for(deps, caller.team_id, int(value))
        context["locale"] = project.locale
        view = flows.risk_modal_view(deps, project, RiskForm(), channel_id=None, link=None)
        client.views_open(trigger_id=caller.trigger_id, view=view)
