"""`/risk`: flag, list, show and close risks."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.errors import UserError
from bot.forms import Form
from bot.i18n import _
from bot.services import risks
from bot.services.risks import RiskField, Scope
from handlers.home.publish import republish_home
from handlers.ids import Command
from handlers.risks import flows, views
from handlers.routing import Invocation, Sub, slash_command
from handlers.text import esc


def open_modal(inv: Invocation) -> None:
    project = inv.required_project
    view = flows.risk_modal_view(
        inv.deps, project, Form(RiskField), channel_id=inv.caller.channel_id, link=None
    )
    inv.open_modal(view)


def list_risks(inv: Invocation) -> None:
    project = inv.required_project
    word = inv.words[0].lower() if inv.words else Scope.OPEN.value
    try:
        scope = Scope(word)
    except ValueError:
        raise UserError(
            _(
                "Use `/risk list` (open risks), `/risk list mine`, `/risk list high` or `/risk list all`."
            )
        ) from None
    with inv.deps.uow() as uow:
        cards = risks.list_risks(
            uow, project_id=project.id, scope=scope, user_id=inv.caller.user_id
        )
    text, blocks = views.list_message(cards, project.tr, scope=scope, project_code=project.code)
    inv.reply(text, blocks)


def _number(inv: Invocation, usage: str) -> int:
    if not inv.words:
        raise UserError(_("Say which risk: {usage}", usage=usage))
    return risks.parse_number(inv.words[0])


def show_risk(inv: Invocation) -> None:
    project = inv.required_project
    number = _number(inv, "`/risk show R-12`")
    with inv.deps.uow() as uow:
        card = risks.find(uow, project_id=project.id, number=number)
    text, blocks = views.show_message(card, project.tr, project_code=project.code)
    inv.reply(text, blocks)


def close_risk(inv: Invocation) -> None:
    project = inv.required_project
    number = _number(inv, "`/risk close R-12 the bridge loan was signed`")
    note = " ".join(inv.words[1:])
    deps = inv.deps
    with deps.uow() as uow:
        found = risks.find(uow, project_id=project.id, number=number)
        card = risks.close_risk(
            uow,
            **inv.caller.who(),
            risk_id=found.id,
            note=note,
            now=deps.now(),
        )
    inv.reply(project.tr(_("Closed {ref}: {title}."), ref=card.ref, title=esc(card.title)))

    def redraw() -> None:
        flows.redraw(inv.client, card, project)
        republish_home(deps, inv.client, project.team_id, [card.owner_id])

    inv.later(redraw)


SUBCOMMANDS: dict[str, Sub] = {
    "": Sub(open_modal),
    "list": Sub(list_risks),
    "show": Sub(show_risk),
    "close": Sub(close_risk),
}


def register(app: App, deps: Deps) -> None:
    slash_command(app, deps, Command.RISK, SUBCOMMANDS, default="")
