"""Risk shortcuts, modal submissions and the buttons on a risk's command-channel message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from pydantic import ValidationError
from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from bot.app import Deps
from bot.errors import FieldErrors, UserError
from bot.i18n import _, translator
from bot.services import risks
from bot.services.risks import RiskCard, RiskForm
from handlers.common import Caller, field_errors, read_state, tell
from handlers.errors import guarded
from handlers.home.publish import republish_home
from handlers.ids import Action
from handlers.payloads import pack, unpack
from handlers.prefill import RiskPrefill
from handlers.risks import flows, ids, views
from handlers.risks.flows import PickMeta, RiskMeta, RiskRef
from handlers.risks.ids import RiskAction, RiskView, Shortcut
from handlers.routing import ProjectRef, projects_of
from handlers.text import inert_mrkdwn
from storage.models import RiskCategory
from storage.uow import UnitOfWork


def _permalink(client: WebClient, channel_id: str | None, ts: str | None) -> str | None:
    if not (channel_id and ts):
        return None
    try:
        response = client.chat_getPermalink(channel=channel_id, message_ts=ts)
    except SlackApiError:
        return None  # a message we cannot see: the risk simply has no link
    link = response.get("permalink")
    return str(link) if link else None


def _prefilled(prefill: RiskPrefill) -> RiskForm:
    def scale(value: int | None) -> str | None:
        return str(value) if value is not None and 1 <= value <= 5 else None

    return RiskForm(
        title=prefill.title[:200] or None,
        description=prefill.description or None,
        category=prefill.category if prefill.category in set(RiskCategory) else None,
        likelihood=scale(prefill.likelihood),
        impact=scale(prefill.impact),
    )


def _risk_project(deps: Deps, caller: Caller, risk_id: int, context: dict[str, Any]) -> ProjectRef:
    with deps.uow() as uow:
        project_id = risks.project_of_risk(uow, team_id=caller.team_id, risk_id=risk_id)
    project = flows.project_for(deps, caller.team_id, project_id)
    context["locale"] = project.locale
    return project


def register_shortcuts(app: App, deps: Deps) -> None:
    @app.shortcut(Shortcut.FLAG)
    @guarded(deps)
    def flag(ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
        ack()
        caller = Caller.of(body)
        tr = translator(deps.settings.default_locale)
        flows.open_for_caller(deps, client, caller, RiskForm(), tr=tr)

    @app.shortcut(Shortcut.FLAG_MESSAGE)
    @guarded(deps)
    def flag_message(
        ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]
    ) -> None:
        ack()
        caller = Caller.of(body)
        message = body.get("message") or {}
        ts = message.get("ts") or body.get("message_ts")
        # The message is mrkdwn with live mentions and links: quoted as is, the risk would
        # ping everyone it mentions again.
        form = RiskForm(description=inert_mrkdwn(str(message.get("text") or "")) or None)
        tr = translator(deps.settings.default_locale)
        flows.open_for_caller(  # the trigger first: the permalink after the modal is open
            deps,
            client,
            caller,
            form,
            tr=tr,
            find_link=lambda: _permalink(client, caller.channel_id, ts),
        )

    @app.action(Action.RISK_FROM_ALERT)
    @guarded(deps)
    def from_alert(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        ack()
        caller = Caller.of(body)
        try:
            prefill = RiskPrefill.model_validate_json(unpack(deps, action.get("value") or ""))
        except ValidationError:
            raise UserError(_("That button is out of date. Run `/risk` to flag a risk.")) from None
        project = flows.project_for(deps, caller.team_id, prefill.project_id)
        context["locale"] = project.locale
        container = body.get("container") or {}
        form = _prefilled(prefill)
        view = flows.risk_modal_view(
            deps, project, form, channel_id=caller.channel_id, link=prefill.link
        )
        opened = client.views_open(trigger_id=caller.trigger_id, view=view)
        if prefill.link:
            return
        # Only after the modal is open: the trigger is valid for 3 s, and once.
        link = _permalink(client, caller.channel_id, container.get("message_ts"))
        if link:
            view = flows.risk_modal_view(
                deps, project, form, channel_id=caller.channel_id, link=link
            )
            flows.update_opened(client, opened, view)


def register_modals(app: App, deps: Deps) -> None:
    @app.view(RiskView.PICK_PROJECT)
    @guarded(deps)
    def picked(ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
        caller = Caller.of(body)
        meta = PickMeta.model_validate_json(unpack(deps, body["view"]["private_metadata"]))
        chosen = str(read_state(body["view"]).get(ids.PROJECT_FIELD) or "")
        project = next((p for p in projects_of(deps, caller) if str(p.id) == chosen), None)
        if project is None:
            tr = translator(deps.settings.default_locale)
            ack(
                response_action="errors",
                errors={ids.PROJECT_FIELD: tr(_("Choose one of your projects."))},
            )
            return
        context["locale"] = project.locale
        view = flows.risk_modal_view(
            deps, project, meta.form, channel_id=meta.channel_id, link=meta.link
        )
        ack(response_action="update", view=view)

    @app.view(RiskView.CREATE)
    @guarded(deps)
    def submit(ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
        caller = Caller.of(body)
        meta = RiskMeta.model_validate_json(unpack(deps, body["view"]["private_metadata"]))
        project = flows.project_for(deps, caller.team_id, meta.project_id)
        tr = project.tr
        context["locale"] = tr.locale
        form = RiskForm.model_validate(read_state(body["view"]))
        try:
            with deps.uow() as uow:
                card = risks.create_risk(
                    uow,
                    team_id=caller.team_id,
                    project_id=project.id,
                    user_id=caller.user_id,
                    form=form,
                    now=deps.now(),
                    source_link=meta.link,
                )
                similar = risks.similar_open(
                    uow, project_id=project.id, title=card.title, exclude_id=card.id
                )
        except FieldErrors as error:
            ack(**field_errors(error, tr))
            return
        ack()
        posted = card.escalated and flows.escalate(
            deps, client, card, project, raised_by=caller.user_id
        )
        here = replace(caller, channel_id=meta.channel_id)
        tell(client, here, views.saved_message(card, tr, posted=posted, similar=similar))
        republish_home(deps, client, caller.team_id, [card.owner_id])

    @_on_change(app, deps, RiskView.UPDATE, refusal_on=ids.UPDATE_TEXT)
    def update(uow: UnitOfWork, caller: Caller, ref: RiskRef, values: dict[str, Any]) -> RiskCard:
        return risks.add_update(
            uow,
            team_id=caller.team_id,
            risk_id=ref.risk_id,
            user_id=caller.user_id,
            text=values.get(ids.UPDATE_TEXT),
            status=values.get(ids.UPDATE_STATUS),
            now=deps.now(),
        )

    @_on_change(app, deps, RiskView.CLOSE, refusal_on=ids.CLOSE_NOTE)
    def close(uow: UnitOfWork, caller: Caller, ref: RiskRef, values: dict[str, Any]) -> RiskCard:
        return risks.close_risk(
            uow,
            team_id=caller.team_id,
            risk_id=ref.risk_id,
            user_id=caller.user_id,
            note=values.get(ids.CLOSE_NOTE),
            now=deps.now(),
        )


Change = Callable[[UnitOfWork, Caller, RiskRef, dict[str, Any]], RiskCard]


def _on_change(
    app: App, deps: Deps, callback_id: str, *, refusal_on: str
) -> Callable[[Change], Change]:
    """Register the decorated function for a modal about one risk (its metadata a `RiskRef`):
    it changes the risk from the submitted values in one unit of work; bad input is answered
    on the form (a refusal on the `refusal_on` field), else the risk's message and the Home
    of its owner are redrawn."""

    def decorate(change: Change) -> Change:
        @app.view(callback_id)
        @guarded(deps)
        def submit(
            ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]
        ) -> None:
            caller = Caller.of(body)
            ref = RiskRef.model_validate_json(unpack(deps, body["view"]["private_metadata"]))
            project = _risk_project(deps, caller, ref.risk_id, context)
            values = read_state(body["view"])
            try:
                with deps.uow() as uow:
                    card = change(uow, caller, ref, values)
            except FieldErrors as error:
                ack(**field_errors(error, project.tr))
                return
            except UserError as error:
                ack(response_action="errors", errors={refusal_on: project.tr(error.message)[:150]})
                return
            ack()
            flows.redraw(client, card, project)
            republish_home(deps, client, caller.team_id, [card.owner_id])

        return change

    return decorate


def register_buttons(app: App, deps: Deps) -> None:
    @_on_button(app, deps, RiskAction.ACKNOWLEDGE)
    def acknowledge(client: WebClient, caller: Caller, risk_id: int, project: ProjectRef) -> None:
        with deps.uow() as uow:
            card = risks.acknowledge(
                uow, team_id=caller.team_id, risk_id=risk_id, user_id=caller.user_id, now=deps.now()
            )
        flows.redraw(client, card, project)

    @_on_button(app, deps, RiskAction.TAKE_OWNERSHIP)
    def take_ownership(
        client: WebClient, caller: Caller, risk_id: int, project: ProjectRef
    ) -> None:
        with deps.uow() as uow:
            before = uow.risks.get(risk_id)  # whose Home loses the risk
            previous_owner = before.owner_id if before is not None else None
            card = risks.take_ownership(
                uow, team_id=caller.team_id, risk_id=risk_id, user_id=caller.user_id, now=deps.now()
            )
        flows.redraw(client, card, project)
        republish_home(deps, client, caller.team_id, [card.owner_id, previous_owner])

    _on_button(app, deps, RiskAction.ADD_UPDATE)(
        _modal_opener(deps, risks.require_can_update, views.update_modal)
    )
    _on_button(app, deps, RiskAction.CLOSE)(
        _modal_opener(deps, risks.require_can_close, views.close_modal)
    )


OnButton = Callable[[WebClient, Caller, int, ProjectRef], None]


def _on_button(app: App, deps: Deps, action_id: str) -> Callable[[OnButton], OnButton]:
    """Register the decorated function for a button on a risk's message (its value the risk
    id): the click is acknowledged at once, then it gets the caller, the risk and its project."""

    def decorate(handle: OnButton) -> OnButton:
        @app.action(action_id)
        @guarded(deps)
        def listener(
            ack: Ack,
            body: dict[str, Any],
            action: dict[str, Any],
            client: WebClient,
            context: dict[str, Any],
        ) -> None:
            ack()
            caller = Caller.of(body)
            risk_id = flows.risk_id_of(str(action.get("value") or ""))
            project = _risk_project(deps, caller, risk_id, context)
            handle(client, caller, risk_id, project)

        return handle

    return decorate


def _modal_opener(
    deps: Deps,
    require: Callable[..., RiskCard],
    modal: Callable[..., View],
) -> OnButton:
    """A button that opens `modal` for the risk, once `require` says the caller may use it."""

    def open_modal(client: WebClient, caller: Caller, risk_id: int, project: ProjectRef) -> None:
        with deps.uow() as uow:
            card = require(uow, team_id=caller.team_id, risk_id=risk_id, user_id=caller.user_id)
        meta = pack(deps, RiskRef(risk_id=risk_id, channel_id=caller.channel_id))
        client.views_open(trigger_id=caller.trigger_id, view=modal(card, project.tr, metadata=meta))

    return open_modal


def register(app: App, deps: Deps) -> None:
    register_shortcuts(app, deps)
    register_modals(app, deps)
    register_buttons(app, deps)
