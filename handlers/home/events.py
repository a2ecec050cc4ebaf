"""`app_home_opened` publishes the Home; its quick-action buttons open the domains' modals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import UserError
from bot.i18n import _, translator
from bot.services import home, risks
from handlers import blocks as b
from handlers.common import Caller, tell
from handlers.errors import guarded
from handlers.feedback import commands as feedback_commands
from handlers.funds import commands as funds_commands
from handlers.home.ids import RISK_VIEW, HomeAction, PmAction
from handlers.home.publish import publish_home
from handlers.ids import Command
from handlers.middleware import handled_once
from handlers.reports.views import prompt_message
from handlers.risks import commands as risk_commands
from handlers.risks import flows
from handlers.risks import views as risk_views
from handlers.routing import Invocation
from handlers.surveys import commands as survey_commands
from handlers.text import esc

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
        command, opener = QUICK[HomeAction(action["action_id"])]
        opener(_invocation(deps, client, body, context, _number(action), command))

    @app.action(PmAction.FUNDS_SUMMARY)
    @app.action(PmAction.SEE_FEEDBACK)
    @guarded(deps)
    def pm_command(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        """What `/funds summary` or `/feedback list` answers, by DM (the Home has no channel);
        each command checks its own permissions."""
        ack()
        command, run = PM_COMMANDS[PmAction(action["action_id"])]
        run(_invocation(deps, client, body, context, _number(action), command))

    @app.action(PmAction.SURVEY_RESULTS)
    @guarded(deps)
    def survey_results(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        ack()
        project_id, _sep, survey_id = str(action.get("value") or "").partition(":")
        if not (project_id.isdigit() and survey_id.isdigit()):
            raise UserError(_("That button is out of date. Open the Home tab again."))
        survey_commands.show_results(
            _invocation(deps, client, body, context, int(project_id), Command.SURVEY, [survey_id])
        )

    @app.action(PmAction.OPEN_RISK)
    @guarded(deps)
    def open_risk(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        """The risk with its update log, in a modal over the Home."""
        ack()
        caller = Caller.of(body)
        risk_id = _number(action)
        with deps.uow() as uow:
            project_id = risks.project_of_risk(uow, team_id=caller.team_id, risk_id=risk_id)
            card = risks.card_of(uow, team_id=caller.team_id, risk_id=risk_id)
        project = flows.project_for(deps, caller.team_id, project_id)
        context["locale"] = project.locale
        tr = project.tr
        _text, blocks = risk_views.show_message(card, tr, project_code=project.code)
        view = b.modal(RISK_VIEW, card.ref, blocks, submit=None, close=tr(_("Close")))
        client.views_open(trigger_id=caller.trigger_id, view=view)

    @app.action(PmAction.NUDGE_REPORT)
    @guarded(deps)
    def nudge(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        """A PM reminds a department lead of a missing report: the lead's nudge DM."""
        ack()
        caller = Caller.of(body)
        with deps.uow() as uow:
            card = home.nudge_report(
                uow, team_id=caller.team_id, report_id=_number(action), user_id=caller.user_id
            )
        tr = translator(card.locale)
        context["locale"] = card.locale
        assert card.lead_user_id is not None
        text, blocks = prompt_message(card, tr, nudge=True)
        client.chat_postMessage(channel=card.lead_user_id, text=text, blocks=blocks)
        tell(
            client,
            caller,
            tr(
                _("Nudged {lead} about the report of {department}."),
                lead=f"<@{card.lead_user_id}>",
                department=esc(card.department_name),
            ),
        )


PM_COMMANDS: dict[PmAction, tuple[Command, Callable[[Invocation], None]]] = {
    PmAction.FUNDS_SUMMARY: (Command.FUNDS, funds_commands.show_summary),
    PmAction.SEE_FEEDBACK: (Command.FEEDBACK, feedback_commands.show_list),
}


def _invocation(
    deps: Deps,
    client: WebClient,
    body: dict[str, Any],
    context: dict[str, Any],
    project_id: int,
    command: Command,
    words: list[str] | None = None,
) -> Invocation:
    """A Home button run as its slash command would be, for the project it names (the
    command checks its own permissions)."""
    caller = Caller.of(body)
    project = flows.project_for(deps, caller.team_id, project_id)
    context["locale"] = project.locale
    return Invocation(deps, client, caller, words or [], project.tr, project, command)


def _number(action: dict[str, Any]) -> int:
    value = str(action.get("value") or "")
    if not value.isdigit():
        raise UserError(_("That button is out of date. Open the Home tab again."))
    return int(value)
