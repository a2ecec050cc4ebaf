"""Risk shortcuts, modal submissions and the buttons on a risk's command-channel message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from bot.deps import Deps
from bot.forms import Form
from bot.i18n import _
from bot.services import risks
from bot.services.risks import RiskCard, RiskField
from handlers.common import Caller, tell
from handlers.home.publish import republish_home
from handlers.ids import Action
from handlers.kit import ProjectRef, Request, button, modal, projects_of, shortcut
from handlers.payloads import pack
from handlers.prefill import RiskPrefill
from handlers.risks import flows, ids, views
from handlers.risks.flows import PickMeta, RiskMeta, RiskRef
from handlers.risks.ids import RiskAction, RiskView, Shortcut
from handlers.text import inert_mrkdwn
from storage.models import RiskCategory
from storage.uow import UnitOfWork

STALE_ALERT = _("That button is out of date. Run `/risk` to flag a risk.")
STALE_RISK = _("That button is out of date. Run `/risk list` to find the risk.")


def _permalink(client: WebClient, channel_id: str | None, ts: str | None) -> str | None:
    if not (channel_id and ts):
        return None
    try:
        response = client.chat_getPermalink(channel=channel_id, message_ts=ts)
    except SlackApiError:
        return None  # a message we cannot see: the risk simply has no link
    link = response.get("permalink")
    return str(link) if link else None


def _prefilled(prefill: RiskPrefill) -> Form[RiskField]:
    def scale(value: int | None) -> str | None:
        return str(value) if value is not None and 1 <= value <= 5 else None

    return Form.of(
        RiskField,
        title=prefill.title[:200] or None,
        description=prefill.description or None,
        category=prefill.category if prefill.category in set(RiskCategory) else None,
        likelihood=scale(prefill.likelihood),
        impact=scale(prefill.impact),
    )


def _about_risk(req: Request, risk_id: int) -> ProjectRef:
    """The project of the risk (in the caller's workspace); its language is the request's."""
    with req.deps.uow() as uow:
        project_id = risks.project_of_risk(uow, team_id=req.caller.team_id, risk_id=risk_id)
    return req.about(project_id)


def register_shortcuts(app: App, deps: Deps) -> None:
    @shortcut(app, deps, Shortcut.FLAG)
    def flag(req: Request) -> None:
        flows.open_for_caller(deps, req.client, req.caller, tr=req.tr)

    @shortcut(app, deps, Shortcut.FLAG_MESSAGE)
    def flag_message(req: Request) -> None:
        caller, client = req.caller, req.client
        message = req.body.get("message") or {}
        ts = message.get("ts") or req.body.get("message_ts")
        # The message is mrkdwn with live mentions and links: quoted as is, the risk would
        # ping everyone it mentions again.
        description = inert_mrkdwn(str(message.get("text") or "")) or None
        flows.open_for_caller(  # the trigger first: the permalink after the modal is open
            deps,
            client,
            caller,
            tr=req.tr,
            description=description,
            find_link=lambda: _permalink(client, caller.channel_id, ts),
        )

    @button(app, deps, Action.RISK_FROM_ALERT)
    def from_alert(req: Request) -> None:
        prefill = req.value(RiskPrefill, stale=STALE_ALERT)
        project = req.about(prefill.project_id)
        caller, client = req.caller, req.client
        form = _prefilled(prefill)

        def risk_modal(link: str | None) -> Any:
            return flows.risk_modal_view(
                deps, project, form, channel_id=caller.channel_id, link=link
            )

        def find_link() -> str | None:
            return _permalink(client, caller.channel_id, req.message[1])

        flows.open_then_link(
            client, caller, risk_modal, prefill.link, None if prefill.link else find_link
        )


def register_modals(app: App, deps: Deps) -> None:
    @modal(app, deps, RiskView.PICK_PROJECT)
    def picked(req: Request) -> None:
        meta = req.meta(PickMeta)
        chosen = str(req.values.get(ids.PROJECT_FIELD) or "")
        project = next((p for p in projects_of(deps, req.caller) if str(p.id) == chosen), None)
        if project is None:
            req.errors({ids.PROJECT_FIELD: _("Choose one of your projects.")})
            return
        req.speak(project.locale)
        form = Form.of(RiskField, description=meta.description)
        view = flows.risk_modal_view(
            deps, project, form, channel_id=meta.channel_id, link=meta.link
        )
        req.close(response_action="update", view=view)

    _register_create(app, deps)
    _register_changes(app, deps)


def _register_create(app: App, deps: Deps) -> None:
    @modal(app, deps, RiskView.CREATE)
    def submit(req: Request) -> None:
        meta = req.meta(RiskMeta)
        project = req.about(meta.project_id)
        caller = req.caller
        form = req.form(RiskField)

        def queue(uow: UnitOfWork, card: RiskCard) -> None:  # committed with the risk
            if card.escalated:
                flows.queue_escalation(uow, card, project, raised_by=caller.user_id)

        with deps.uow() as uow:
            card = risks.create_risk(
                uow,
                **caller.acting(project.id),
                form=form,
                now=deps.now(),
                source_link=meta.link,
                queue=queue,
            )
            similar = risks.similar_open(
                uow, project_id=project.id, title=card.title, exclude_id=card.id
            )
        req.close()
        posted = card.escalated and flows.escalate(
            deps, req.client, card, project, raised_by=caller.user_id
        )
        here = replace(caller, channel_id=meta.channel_id)
        tell(req.client, here, views.saved_message(card, req.tr, posted=posted, similar=similar))
        republish_home(deps, req.client, caller.team_id, [card.owner_id])


def _register_changes(app: App, deps: Deps) -> None:
    @_on_change(app, deps, RiskView.UPDATE, refusal_on=ids.UPDATE_TEXT)
    def update(uow: UnitOfWork, caller: Caller, ref: RiskRef, values: dict[str, Any]) -> RiskCard:
        return risks.add_update(
            uow,
            **caller.who(),
            risk_id=ref.risk_id,
            text=values.get(ids.UPDATE_TEXT),
            status=values.get(ids.UPDATE_STATUS),
            now=deps.now(),
        )

    @_on_change(app, deps, RiskView.CLOSE, refusal_on=ids.CLOSE_NOTE)
    def close(uow: UnitOfWork, caller: Caller, ref: RiskRef, values: dict[str, Any]) -> RiskCard:
        return risks.close_risk(
            uow,
            **caller.who(),
            risk_id=ref.risk_id,
            note=values.get(ids.CLOSE_NOTE),
            now=deps.now(),
        )


Change = Callable[[UnitOfWork, Caller, RiskRef, dict[str, Any]], RiskCard]


def _on_change(
    app: App, deps: Deps, callback_id: str, *, refusal_on: str
) -> Callable[[Change], Change]:
    """A kit modal about one risk (its metadata a `RiskRef`): `change` changes the risk from
    the submitted values in one unit of work, then the risk's message and the Home of its
    owner are redrawn."""

    def decorate(change: Change) -> Change:
        @modal(app, deps, callback_id, refusal_on=refusal_on)
        def submit(req: Request) -> None:
            ref = req.meta(RiskRef)
            project = _about_risk(req, ref.risk_id)
            values = req.values
            with deps.uow() as uow:
                card = change(uow, req.caller, ref, values)
            req.close()
            flows.redraw(req.client, card, project)
            republish_home(deps, req.client, req.caller.team_id, [card.owner_id])

        return change

    return decorate


def _risk_button(req: Request) -> tuple[int, ProjectRef]:
    """A risk message's button: its value is the risk id."""
    risk_id = req.number(stale=STALE_RISK)
    return risk_id, _about_risk(req, risk_id)


def register_buttons(app: App, deps: Deps) -> None:
    @button(app, deps, RiskAction.ACKNOWLEDGE)
    def acknowledge(req: Request) -> None:
        risk_id, project = _risk_button(req)
        caller = req.caller
        with deps.uow() as uow:
            card = risks.acknowledge(
                uow, team_id=caller.team_id, risk_id=risk_id, user_id=caller.user_id, now=deps.now()
            )
        flows.redraw(req.client, card, project)

    @button(app, deps, RiskAction.TAKE_OWNERSHIP)
    def take_ownership(req: Request) -> None:
        risk_id, project = _risk_button(req)
        caller = req.caller
        with deps.uow() as uow:
            before = uow.risks.get(risk_id)  # whose Home loses the risk
            previous_owner = before.owner_id if before is not None else None
            card = risks.take_ownership(
                uow, team_id=caller.team_id, risk_id=risk_id, user_id=caller.user_id, now=deps.now()
            )
        flows.redraw(req.client, card, project)
        republish_home(deps, req.client, caller.team_id, [card.owner_id, previous_owner])

    button(app, deps, RiskAction.ADD_UPDATE)(
        _modal_opener(deps, risks.require_can_update, views.update_modal)
    )
    button(app, deps, RiskAction.CLOSE)(
        _modal_opener(deps, risks.require_can_close, views.close_modal)
    )


def _modal_opener(
    deps: Deps,
    require: Callable[..., RiskCard],
    modal: Callable[..., View],
) -> Callable[[Request], None]:
    """A button that opens `modal` for the risk, once `require` says the caller may use it."""

    def open_modal(req: Request) -> None:
        risk_id, project = _risk_button(req)
        caller = req.caller
        with deps.uow() as uow:
            card = require(uow, team_id=caller.team_id, risk_id=risk_id, user_id=caller.user_id)
        meta = pack(deps, RiskRef(risk_id=risk_id, channel_id=caller.channel_id))
        req.open_modal(modal(card, project.tr, metadata=meta))

    return open_modal


def register(app: App, deps: Deps) -> None:
    register_shortcuts(app, deps)
    register_modals(app, deps)
    register_buttons(app, deps)
