"""The receiving lead's buttons on a feedback DM: acknowledge, and reply (with its modal)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.app import Deps
from bot.errors import PermissionDenied
from bot.i18n import translator
from bot.services import feedback
from bot.services.feedback import FeedbackField as F
from bot.services.feedback import FeedbackItem
from handlers.buttons import Click, DmMeta, on_click, update_message
from handlers.common import Caller, read_state, save_submission
from handlers.errors import guarded
from handlers.feedback import views
from handlers.feedback.ids import FeedbackAction, FeedbackView
from handlers.home.publish import republish_home
from handlers.payloads import pack, unpack
from jobs import outbox


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
        lambda: views.lead_message(
            item, translator(item.locale), no_lead=item.lead_user_id is None
        ),
    )


def _feedback_id(action: dict[str, Any]) -> int:
    return int(str(action.get("value") or "0"))


def register(app: App, deps: Deps) -> None:
    @on_click(app, deps, FeedbackAction.ACKNOWLEDGE)
    def acknowledge(client: WebClient, click: Click) -> None:
        caller = click.caller
        with deps.uow() as uow:
            item = feedback.acknowledge(
                uow,
                team_id=caller.team_id,
                feedback_id=_feedback_id(click.action),
                user_id=caller.user_id,
                now=deps.now(),
            )
        click.context["locale"] = item.locale
        _update_dm(client, *click.message, item)
        if (click.body.get("container") or {}).get("type") == "view":  # pressed on the App Home
            republish_home(deps, client, caller.team_id, [caller.user_id])

    @on_click(app, deps, FeedbackAction.REPLY)
    def open_reply(client: WebClient, click: Click) -> None:
        caller = click.caller
        with deps.uow() as uow:
            item = feedback.for_responder(
                uow,
                team_id=caller.team_id,
                feedback_id=_feedback_id(click.action),
                user_id=caller.user_id,
            )
        tr = translator(item.locale)
        click.context["locale"] = tr.locale
        channel, ts = click.message
        meta = ReplyMeta(feedback_id=item.id, dm_channel=channel, dm_ts=ts, locale=item.locale)
        client.views_open(
            trigger_id=caller.trigger_id,
            view=views.reply_modal(item, tr, metadata=pack(deps, meta)),
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
        meta = ReplyMeta.model_validate_json(unpack(deps, view["private_metadata"]))
        text = read_state(view).get(F.REPLY)
        context["locale"] = meta.locale
        item = save_submission(
            ack,
            deps,
            translator(meta.locale),
            lambda uow: feedback.reply(
                uow,
                team_id=caller.team_id,
                feedback_id=meta.feedback_id,
                user_id=caller.user_id,
                text=text,
                now=deps.now(),
            ),
            field=F.REPLY,
            refusal=PermissionDenied,
        )
        if item is None:
            return
        tr = translator(item.locale)
        context["locale"] = tr.locale
        _update_dm(client, meta.dm_channel, meta.dm_ts, item)
        if item.author_user_id:
            message, blocks = views.author_message(item, tr)
            outbox.send_soon(
                deps,
                project_id=item.project_id,
                kind="feedback_reply",
                key=outbox.fresh_key(f"feedback:{item.id}:reply"),
                recipient=item.author_user_id,
                text=message,
                blocks=blocks,
            )
