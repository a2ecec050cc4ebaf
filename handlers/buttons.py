"""Buttons, and the message they were pressed in: register a click listener, and the
"button in a DM opens a modal, the DM is updated in place after the submit" mechanism."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from handlers.blocks import any_index
from handlers.common import Caller
from handlers.errors import guarded


def message_of(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """The channel and ts of the message a button was pressed in."""
    container = body.get("container") or {}
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    return container.get("channel_id"), ts


class DmMeta(BaseModel):
    """Part of a modal's `private_metadata`: the message (a DM) its button was pressed in,
    to update once the modal is submitted, and the locale of the field errors."""

    dm_channel: str | None = None
    dm_ts: str | None = None
    locale: str = "en"


def update_message(
    client: WebClient,
    channel: str | None,
    ts: str | None,
    render: Callable[[], tuple[str, list[Any]]],
) -> None:
    """Replace the message at `channel`/`ts` (if there is one) by `render()`'s text and blocks."""
    if channel and ts:
        text, blocks = render()
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)


@dataclass(frozen=True)
class Click:
    """A button press: who pressed it, the action, and the request it came in."""

    caller: Caller
    action: dict[str, Any]
    body: dict[str, Any]
    context: dict[str, Any]

    @property
    def message(self) -> tuple[str | None, str | None]:
        return message_of(self.body)


OnClick = Callable[[WebClient, Click], None]


def on_click(app: App, deps: Deps, *action_ids: str) -> Callable[[OnClick], OnClick]:
    """Register the decorated function for these buttons; the click is acknowledged at once."""

    def decorate(handle: OnClick) -> OnClick:
        @guarded(deps)
        def listener(
            ack: Ack,
            body: dict[str, Any],
            action: dict[str, Any],
            client: WebClient,
            context: dict[str, Any],
        ) -> None:
            ack()
            handle(client, Click(Caller.of(body), action, body, context))

        for action_id in action_ids:
            app.action(any_index(action_id))(listener)
        return handle

    return decorate
