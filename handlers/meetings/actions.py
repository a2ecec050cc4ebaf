"""RSVP buttons and *add agenda item* on the meeting reminder; the message updates in place."""

from __future__ import annotations

from pydantic import BaseModel
from slack_bolt import App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import PermissionDenied
from bot.services import meetings
from bot.services.meetings import ITEM_FIELD
from handlers.kit import Request, button, modal
from handlers.meetings import views
from handlers.meetings.ids import RSVP_OF, Action
from handlers.meetings.ids import View as V
from handlers.payloads import pack


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
    text, blocks = views.reminder_message(data, data.project.tr)
    client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)


def register(app: App, deps: Deps) -> None:
    @button(app, deps, *RSVP_OF)
    def rsvp(req: Request) -> None:
        caller, action = req.caller, req.action
        meeting_id = int(action["value"])
        with deps.uow() as uow:
            meetings.answer(
                uow,
                **caller.who(),
                meeting_id=meeting_id,
                rsvp=RSVP_OF[action["action_id"]],
                now=deps.now(),
            )
        refresh(deps, req.client, meeting_id, *req.message)

    @button(app, deps, Action.ADD_ITEM)
    def open_add_item(req: Request) -> None:
        meeting_id = int(req.action["value"])
        channel, ts = req.message
        with deps.uow() as uow:
            data = meetings.reminder(uow, meeting_id, deps.now())
        meta = ItemMeta(meeting_id=meeting_id, channel_id=channel, message_ts=ts)
        view = views.add_item_modal(data.project.tr, metadata=pack(deps, meta))
        req.open_modal(view)

    @modal(app, deps, V.ADD_ITEM, refusal=PermissionDenied, refusal_on=ITEM_FIELD)
    def submit_item(req: Request) -> None:
        caller, meta = req.caller, req.meta(ItemMeta)
        with deps.uow() as uow:
            locale = meetings.reminder(uow, meta.meeting_id, deps.now()).project.locale
        tr = req.speak(locale)
        with deps.uow() as uow:
            placed = meetings.add_item(
                uow,
                **caller.who(),
                meeting_id=meta.meeting_id,
                text=req.values.get(ITEM_FIELD),
                now=deps.now(),
            )
        req.close()
        confirmation = views.item_added_text(placed, tr)
        if meta.channel_id:
            req.client.chat_postEphemeral(
                channel=meta.channel_id, user=caller.user_id, text=confirmation
            )
        else:
            req.client.chat_postMessage(channel=caller.user_id, text=confirmation)
        if not placed.moved:
            refresh(deps, req.client, meta.meeting_id, meta.channel_id, meta.message_ts)
