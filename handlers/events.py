"""Events: a mention of the bot answers with what it can do."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.i18n import translator
from handlers.common import Caller
from handlers.help import help_blocks
from handlers.ids import Command
from handlers.kit import event, project_here


def register(app: App, deps: Deps) -> None:
    @event(app, deps, "app_mention")
    def on_mention(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        caller = Caller(
            body.get("team_id", ""), event.get("user", ""), event.get("channel"), None, None
        )
        here = project_here(deps, caller)
        tr = here.tr if here else translator(deps.settings.default_locale)
        text, blocks = help_blocks(Command.ICRM, tr)
        client.chat_postMessage(
            channel=event["channel"],
            thread_ts=event.get("thread_ts") or event.get("ts"),
            text=text,
            blocks=blocks,
        )
