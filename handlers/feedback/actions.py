"""The receiving lead's buttons on a feedback DM: acknowledge, and reply (with its modal)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.app import Deps
from bot.errors import FieldErrors, PermissionDenied
from bot.i18n import translator
from bot.services import feedback
from bot.services.feedback import FeedbackField as F
from bot.services.feedback import FeedbackItem
from handlers.common import Caller, field_errors, read_state
from handlers.errors import guarded
from handlers.feedback import views
from handlers.feedback.ids import FeedbackAction, FeedbackView
from handlers.home.publish import republish_home


class ReplyMeta(BaseModel):
    """Carried in the reply modal: which feedback, and the DM to update afterwards."""

    feedback_id: int
    channel_id: str | None = None
    message_ts: str | None = None
    locale: str = "en"


def _message_of(body: dict[str, Any]) -> tuple[str | None, str | None]:
    container = body.get("container") or {}
    return container.get("channel_id"), container.get("message_ts")


def _update_dm(
    client: WebClient, channel_id: str | None, ts: str | None, item: FeedbackItem
) -> None:
    if not channel_id or not ts:
        return
    tr = translator(item.locale)
    text, blocks = views.lead_message(item, tr, no_lead=item.lead_user_id is None)
    client.chat_update(channel=channel_id, ts=ts, text=text, blocks=blocks)


def _feedback_id(action: dict[str, Any]) -> int:
    return int(str(action.get("value") or "0"))


def register(app: App, deps: Deps) -> None:
    @app.action(FeedbackAction.ACKNOWLEDGE)
    @guarded(deps)
    def acknowledge(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        ack()
        caller = Caller.of(body)
        with deps.uow() as uow:
            item = feedback.acknowledge(
                uow,
                team_id=caller.team_id,
                feedback_id=_feedback_id(action),
                user_id=caller.user_id,
                now=deps.now(),
            )
        context["locale"] = item.locale
        _update_dm(client, *_message_of(body), item)
        if (body.get("container") or {}).get("type") == "view":  # pressed on the App Home
            republish_home(deps, client, caller.team_id, [caller.user_id])

    @app.action(FeedbackAction.REPLY)
    @guarded(deps)
    def open_reply(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        ack()
        caller = Caller.of(body)
        with deps.uow() as uow:
            item = feedback.for_responder(
                uow,
                team_id=caller.team_id,
                feedback_id=_feedback_id(action),
                user_id=caller.user_id,
            )
        tr = translator(item.locale)
        context["locale"] = tr.locale
        channel_id, ts = _message_of(body)
        meta = ReplyMeta(
            feedback_id=item.id, channel_id=channel_id, message_ts=ts, locale=item.locale
        )
        client.views_open(
            trigger_id=caller.trigger_id,
            view=views.reply_modal(item, tr, metadata=meta.model_dump_json()),
        )

    @app.view(FeedbackView.REPLY)
    @guarded(deps)
    def submit_reply(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        caller = Caller.of(body)
        meta = ReplyMeta.model_validate_json(view["private_metadata"])
        text = read_state(view).get(F.REPLY)
        context["locale"] = meta.locale
        try:
            with deps.uow() as uow:
                item = feedback.reply(
                    uow,
                    team_id=caller.team_id,
                    feedback_id=meta.feedback_id,
                    user_id=caller.user_id,
                    text=text,
                    now=deps.now(),
                )
        except FieldErrors as error:
            ack(**field_errors(error, translator(context.get("locale"))))
            return
        except PermissionDenied as error:
            tr = translator(context.get("locale"))
            ack(response_action="errors", errors={F.REPLY: tr(error.message)[:150]})
            return
        ack()
        tr = translator(item.locale)
        context["locale"] = tr.locale
        _update_dm(client, meta.channel_id, meta.message_ts, item)
        if item.author_user_id:
            message, blocks = views.author_message(item, tr)
            client.chat_postMessage(channel=item.author_user_id, text=message, blocks=blocks)
