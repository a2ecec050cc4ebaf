"""`app_home_opened` publishes the Home; its quick-action buttons open the domains' modals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.app import Deps
from bot.errors import UserError
from bot.i18n import _
from handlers.common import Caller
from handlers.errors import guarded
from handlers.feedback import commands as feedback_commands
from handlers.funds import commands as funds_commands
from handlers.home.ids import HomeAction
from handlers.home.publish import publish_home
from handlers.ids import Command
from handlers.middleware import handled_once
from handlers.risks import commands as risk_commands
from handlers.risks import flows
from handlers.routing import Invocation

# Each quick action runs what its command does with no text: the domain's own modal.
QUICK: dict[HomeAction, tuple[Command, Callable[[Invocation], None]]] = {
    HomeAction.GIVE_FEEDBACK: (Command.FEEDBACK, feedback_commands.open_modal),
    HomeAction.FLAG_RISK: (Command.RISK, risk_commands.open_modal),
    HomeAction.RECORD_FUNDS: (Command.FUNDS, funds_commands.open_fund_use),
}


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
    @app.action(HomeAction.GIVE_FEEDBACK)
    @app.action(HomeAction.RECORD_FUNDS)
    @guarded(deps)
    def quick_action(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        """Open the domain's own modal for the project, as its slash command would."""
        ack()
        caller = Caller.of(body)
        value = str(action.get("value") or "")
        if not value.isdigit():
            raise UserError(_("That button is out of date. Open the Home tab again."))
        project = flows.project_for(deps, caller.team_id, int(value))
        context["locale"] = project.locale
        command, opener = QUICK[HomeAction(action["action_id"])]
        opener(Invocation(deps, client, caller, [], project.tr, project, command))
