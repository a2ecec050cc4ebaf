"""The receiving lead's buttons on a feedback DM: acknowledge, and reply (with its modal)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import PermissionDenied
from bot.services import feedback
from bot.services.feedback import FeedbackField as F
from bot.services.feedback import FeedbackItem
from handlers.feedback import views
from handlers.feedback.ids import FeedbackAction, FeedbackView
from handlers.home.publish import republish_home
from handlers.kit import DmMeta, Request, button, modal, update_message
from jobs import outbox
from storage.uow import UnitOfWork


class ReplyMeta(DmMeta):
    """Carried in the reply modal: which feedback, and the DM to update afterwards."""

    feedback_id: int


def _update_dm(
    client: WebClient, channel_id: str | None, ts: str | None, item: FeedbackItem
) -> None:
    update_message(
        client,
        channel_id,
        ts,
        lambda: views.lead_message(item, item.project.tr, no_lead=item.lead_user_id is None),
    )


def _pressed(req: Request, act: Callable[..., FeedbackItem], **more: Any) -> FeedbackItem:
    """The feedback a lead's button is about (its value is the id), as the service `act`
    (which checks the caller may answer it) returns it; its language is the request's."""
    with req.deps.uow() as uow:
        feedback_id = int(str(req.action.get("value") or "0"))
        item = act(uow, **req.caller.who(), feedback_id=feedback_id, **more)
    req.speak(item.project.locale)
    return item


def register_buttons(app: App, deps: Deps) -> None:
    @button(app, deps, FeedbackAction.ACKNOWLEDGE)
    def acknowledge(req: Request) -> None:
        item = _pressed(req, feedback.acknowledge, now=deps.now())
        _update_dm(req.client, *req.message, item)
        if req.on_home:
            republish_home(deps, req.client, req.caller.team_id, [req.caller.user_id])

    @button(app, deps, FeedbackAction.REPLY)
    def open_reply(req: Request) -> None:
        item = _pressed(req, feedback.for_responder)
        meta = ReplyMeta(feedback_id=item.id, locale=item.project.locale)
        req.open_for_message(meta, item.project.locale, partial(views.reply_modal, item))


def register_reply(app: App, deps: Deps) -> None:
    @modal(app, deps, FeedbackView.REPLY, refusal=PermissionDenied, refusal_on=F.REPLY)
    def submit_reply(req: Request) -> None:
        meta = req.meta(ReplyMeta)
        text = req.values.get(F.REPLY)
        req.speak(meta.locale)

        def queue(uow: UnitOfWork, item: FeedbackItem) -> None:  # committed with the reply
            if item.author_user_id:
                message, blocks = views.author_message(item, req.speak(item.project.locale))
                outbox.enqueue(
                    uow,
                    project_id=item.project.id,
                    kind="feedback_reply",
                    key=f"feedback:{item.id}:reply",  # one reply per feedback
                    recipient=item.author_user_id,
                    text=message,
                    blocks=blocks,
                )

        with deps.uow() as uow:
            item = feedback.reply(
                uow,
                **req.caller.who(),
                feedback_id=meta.feedback_id,
                text=text,
                now=deps.now(),
                queue=queue,
            )
        req.close()
        _update_dm(req.client, meta.dm_channel, meta.dm_ts, item)
        if item.author_user_id:
            outbox.deliver_soon(req.deps, item.project.id)


def register(app: App, deps: Deps) -> None:
    register_buttons(app, deps)
    register_reply(app, deps)
