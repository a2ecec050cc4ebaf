"""RSVP buttons and *add agenda item* on the meeting reminder; the message updates in place."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import FieldErrors, PermissionDenied
from bot.i18n import translator
from bot.services import meetings
from bot.services.meetings import ITEM_FIELD
from handlers.common import Caller, field_errors, read_state
from handlers.errors import guarded
from handlers.meetings import views
from handlers.meetings.ids import RSVP_OF, Action
from handlers.meetings.ids import View as V
from handlers.payloads import pack, unpack


class ItemMeta(BaseModel):
    """Carried in the add-agenda-item modal: which meeting, and which message to update."""

    meeting_id: int
    channel_id: str | None = None
    message_ts: str | None = None


def refresh(
    deps: Deps, client: WebClient, meeting_id: int, channel: str | None, ts: str | None
) -> None:
    """Redraw the reminder message with the current agenda and RSVP counts."""
    if not channel or not ts:
        return
    with deps.uow() as uow:
        data = meetings.reminder(uow, meeting_id, deps.now())
    text, blocks = views.reminder_message(data, translator(data.locale))
    client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)


def _message_of(body: dict[str, Any]) -> tuple[str | None, str | None]:
    container = body.get("container") or {}
    return container.get("channel_id"), container.get("message_ts")


def register(app: App, deps: Deps) -> None:
    for action_id in RSVP_OF:

        @app.action(action_id)
        @guarded(deps)
        def rsvp(
            ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]
        ) -> None:
            ack()
            caller = Caller.of(body)
            action = body["actions"][0]
            meeting_id = int(action["value"])
            with deps.uow() as uow:
                meetings.answer(
                    uow,
                    team_id=caller.team_id,
                    meeting_id=meeting_id,
                    user_id=caller.user_id,
                    rsvp=RSVP_OF[action["action_id"]],
                    now=deps.now(),
                )
            refresh(deps, client, meeting_id, *_message_of(body))

    @app.action(Action.ADD_ITEM)
    @guarded(deps)
    def open_add_item(
        ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]
    ) -> None:
        ack()
        meeting_id = int(body["actions"][0]["value"])
        channel, ts = _message_of(body)
        with deps.uow() as uow:
            data = meetings.reminder(uow, meeting_id, deps.now())
        meta = ItemMeta(meeting_id=meeting_id, channel_id=channel, message_ts=ts)
        view = views.add_item_modal(translator(data.locale), metadata=pack(deps, meta))
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(V.ADD_ITEM)
    @guarded(deps)
    def submit_item(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        caller = Caller.of(body)
        meta = ItemMeta.model_validate_json(unpack(deps, view["private_metadata"]))
        with deps.uow() as uow:
            locale = meetings.reminder(uow, meta.meeting_id, deps.now()).locale
        tr = translator(locale)
        context["locale"] = tr.locale
        try:
            with deps.uow() as uow:
                placed = meetings.add_item(
                    uow,
                    team_id=caller.team_id,
                    meeting_id=meta.meeting_id,
                    user_id=caller.user_id,
                    text=read_state(view).get(ITEM_FIELD),
                    now=deps.now(),
                )
        except FieldErrors as error:
            ack(**field_errors(error, tr))
            return
        except PermissionDenied as error:
            ack(response_action="errors", errors={ITEM_FIELD: tr(error.message)[:150]})
            return
        ack()
        confirmation = views.item_added_text(placed, tr)
        if meta.channel_id:
            client.chat_postEphemeral(
                channel=meta.channel_id, user=caller.user_id, text=confirmation
            )
        else:
            client.chat_postMessage(channel=caller.user_id, text=confirmation)
        if not placed.moved:
            refresh(deps, client, meta.meeting_id, meta.channel_id, meta.message_ts)
