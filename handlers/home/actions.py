"""`app_home_opened` publishes the Home; its buttons open the domains' modals or answer as
the domains' commands would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import UserError
from bot.i18n import _
from bot.services import home, risks
from bot.services.reports import ReportCard
from handlers import blocks as b
from handlers.common import tell
from handlers.feedback import commands as feedback_commands
from handlers.funds import commands as funds_commands
from handlers.home.ids import RISK_VIEW, HomeAction, PmAction
from handlers.home.publish import publish_home
from handlers.ids import Command
from handlers.kit import Invocation, Request, button, event
from handlers.reports.views import prompt_message
from handlers.risks import commands as risk_commands
from handlers.risks import views as risk_views
from handlers.surveys import commands as survey_commands
from handlers.text import esc
from jobs import outbox
from storage.uow import UnitOfWork

STALE = _("That button is out of date. Open the Home tab again.")

# Each quick action runs what its command does with no text: the domain's own modal.
QUICK: dict[HomeAction, tuple[Command, Callable[[Invocation], None]]] = {
    HomeAction.GIVE_FEEDBACK: (Command.FEEDBACK, feedback_commands.open_modal),
    HomeAction.FLAG_RISK: (Command.RISK, risk_commands.open_modal),
    HomeAction.RECORD_FUNDS: (Command.FUNDS, funds_commands.open_fund_use),
}

# What `/funds summary` or `/feedback list` answers, by DM (the Home has no channel).
PM_COMMANDS: dict[PmAction, tuple[Command, Callable[[Invocation], None]]] = {
    PmAction.FUNDS_SUMMARY: (Command.FUNDS, funds_commands.show_summary),
    PmAction.SEE_FEEDBACK: (Command.FEEDBACK, feedback_commands.show_list),
}


def _invocation(
    req: Request, project_id: int, command: Command, words: list[str] | None = None
) -> Invocation:
    """A Home button run as its slash command would be, for the project it names (the
    command checks its own permissions)."""
    project = req.about(project_id)
    return Invocation(req.deps, req.client, req.caller, words or [], req.tr, project, command)


def register_commands(app: App, deps: Deps) -> None:
    @button(app, deps, *QUICK)
    def quick_action(req: Request) -> None:
        """Open the domain's own modal for the project, as its slash command would."""
        command, opener = QUICK[HomeAction(req.action["action_id"])]
        opener(_invocation(req, req.number(stale=STALE), command))

    @button(app, deps, *PM_COMMANDS)
    def pm_command(req: Request) -> None:
        """Each command checks its own permissions."""
        command, run = PM_COMMANDS[PmAction(req.action["action_id"])]
        run(_invocation(req, req.number(stale=STALE), command))

    @button(app, deps, PmAction.SURVEY_RESULTS)
    def survey_results(req: Request) -> None:
        project_id, _sep, survey_id = str(req.action.get("value") or "").partition(":")
        if not (project_id.isdigit() and survey_id.isdigit()):
            raise UserError(STALE)
        survey_commands.show_results(_invocation(req, int(project_id), Command.SURVEY, [survey_id]))


def register_pm(app: App, deps: Deps) -> None:
    @button(app, deps, PmAction.OPEN_RISK)
    def open_risk(req: Request) -> None:
        """The risk with its update log, in a modal over the Home."""
        caller, risk_id = req.caller, req.number(stale=STALE)
        with deps.uow() as uow:
            project_id = risks.project_of_risk(uow, team_id=caller.team_id, risk_id=risk_id)
            card = risks.card_of(uow, team_id=caller.team_id, risk_id=risk_id)
        project = req.about(project_id)
        tr = req.tr
        _text, blocks = risk_views.show_message(card, tr, project_code=project.code)
        view = b.modal(RISK_VIEW, card.ref, blocks, submit=None, close=tr(_("Close")))
        req.open_modal(view)

    @button(app, deps, PmAction.NUDGE_REPORT)
    def nudge(req: Request) -> None:
        """A PM reminds a department lead of a missing report: the lead's nudge DM."""
        caller, report_id = req.caller, req.number(stale=STALE)
        # Keyed by the click (Slack's `action_ts`): a redelivered click nudges once.
        click = str(req.action.get("action_ts") or "") or outbox.fresh_key("click")

        def queue(uow: UnitOfWork) -> ReportCard:
            card = home.nudge_report(
                uow, team_id=caller.team_id, report_id=report_id, user_id=caller.user_id
            )
            assert card.lead_user_id is not None
            text, blocks = prompt_message(card, req.speak(card.project.locale), nudge=True)
            outbox.enqueue(
                uow,
                project_id=card.project.id,
                kind="report_nudge",
                key=f"report:{card.report_id}:nudge:{caller.user_id}:{click}",
                recipient=card.lead_user_id,
                text=text,
                blocks=blocks,
            )
            return card

        card = outbox.queued(deps, queue)
        tr = req.tr
        outbox.deliver_soon(req.deps, card.project.id)
        said = tr(
            _("Nudged {lead} about the report of {department}."),
            lead=f"<@{card.lead_user_id}>",
            department=esc(card.department_name),
        )
        tell(req.client, caller, said)


def register(app: App, deps: Deps) -> None:
    @event(app, deps, "app_home_opened")
    def on_home_opened(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":  # the Messages tab: nothing to publish
            return
        publish_home(deps, client, body.get("team_id", ""), event["user"])

    register_commands(app, deps)
    register_pm(app, deps)
