"""What a Slack client would show, kept from the bot's Web API calls: the channel and DM
timelines, ephemeral messages (visible to one user), each user's modal stack and App Home
(`bot.sandbox.workspace.Workspace` adds what the user does)."""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
from dataclasses import dataclass
from typing import Any

from bot.sandbox.slack_api import BOT_ID, BOT_USER_ID, Call, FakeSlack


def maybe_json(value: Any) -> Any:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return json.loads(value)
    return value


def dm_of(user_id: str) -> str:
    """The id of a user's DM with the bot, as the stand-in's `conversations.open` answers."""
    return "D" + user_id


def conversation_of(channel: str) -> str:
    # Posting to a user id lands in the DM with them, as on Slack.
    return dm_of(channel) if channel.startswith(("U", "W")) else channel


@dataclass
class Origin:
    """Who a `response_url` or `trigger_id` was issued to, and where."""

    user_id: str
    channel_id: str | None
    message_ts: str | None = None


class Screens:
    """What each user of one sandbox workspace sees, kept up to date from the stand-in's calls."""

    def __init__(self, fake: FakeSlack, *, team_id: str) -> None:
        self.fake = fake
        self.team_id = team_id
        self.messages: dict[str, list[dict[str, Any]]] = {}  # conversation → timeline
        self.modals: dict[str, list[dict[str, Any]]] = {}  # user → stack of views
        self.homes: dict[str, dict[str, Any]] = {}  # user → published App Home
        self.version = 0  # bumped on every change, so the page polls cheaply
        self._origins: dict[str, Origin] = {}  # response_url path or trigger_id → origin
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        fake.observers.append(self.observe)

    # -- what the bot does (Web API calls) ----------------------------------------
    def observe(self, call: Call, answer: dict[str, Any]) -> None:
        if not answer.get("ok"):
            return
        handler = getattr(self, "_on_" + call.method.replace(".", "_"), None)
        if handler is not None:
            with self._lock:
                handler(call.args, answer)
                self.version += 1

    def _on_chat_postMessage(self, args: dict[str, Any], answer: dict[str, Any]) -> None:
        self._append(conversation_of(str(args.get("channel"))), self._message(args, answer["ts"]))

    def _on_chat_postEphemeral(self, args: dict[str, Any], answer: dict[str, Any]) -> None:
        message = self._message(args, answer["message_ts"])
        message["ephemeral_to"] = str(args.get("user"))
        self._append(conversation_of(str(args.get("channel"))), message)

    def _on_chat_update(self, args: dict[str, Any], answer: dict[str, Any]) -> None:
        found = self._find(conversation_of(str(args.get("channel"))), str(args.get("ts")))
        if found is not None:
            found.update(
                self._message(args, found["ts"]),
                ephemeral_to=found.get("ephemeral_to"),
                posted_at=found.get("posted_at"),  # an edited message keeps its time, as on Slack
            )

    def _on_chat_delete(self, args: dict[str, Any], _answer: dict[str, Any]) -> None:
        self._remove(conversation_of(str(args.get("channel"))), str(args.get("ts")))

    def _on_files_completeUploadExternal(
        self, args: dict[str, Any], _answer: dict[str, Any]
    ) -> None:
        files = maybe_json(args.get("files")) or []
        channel = str(args.get("channel_id") or args.get("channels") or "")
        if not channel:
            return
        shown = [
            {"id": f["id"], "title": f.get("title") or f["id"], "image": self._is_image(f["id"])}
            for f in files
        ]
        message = self._message({"text": args.get("initial_comment") or ""}, self._ts())
        message["files"] = shown
        self._append(conversation_of(channel), message)

    def _is_image(self, file_id: str) -> bool:
        return self.fake.uploads.get(file_id, b"")[:8] == b"\x89PNG\r\n\x1a\n"

    def _on_views_open(self, args: dict[str, Any], answer: dict[str, Any]) -> None:
        origin = self._origins.get(str(args.get("trigger_id")))
        if origin is not None:
            self.modals[origin.user_id] = [answer["view"]]

    def _on_views_push(self, args: dict[str, Any], answer: dict[str, Any]) -> None:
        origin = self._origins.get(str(args.get("trigger_id")))
        if origin is not None:
            self.modals.setdefault(origin.user_id, []).append(answer["view"])

    def _on_views_update(self, args: dict[str, Any], _answer: dict[str, Any]) -> None:
        view = maybe_json(args.get("view")) or {}
        wanted_id, external = args.get("view_id"), args.get("external_id")
        for stack in self.modals.values():
            for i, shown in enumerate(stack):
                if (wanted_id and shown.get("id") == wanted_id) or (
                    external and shown.get("external_id") == external
                ):
                    stack[i] = {**view, "id": shown["id"]}
        for user, home in self.homes.items():
            if wanted_id and home.get("id") == wanted_id:
                self.homes[user] = {**view, "id": home["id"]}

    def _on_views_publish(self, args: dict[str, Any], answer: dict[str, Any]) -> None:
        self.homes[str(args.get("user_id"))] = answer["view"]

    def _on_response_url(self, args: dict[str, Any], _answer: dict[str, Any]) -> None:
        origin = self._origins.get(str(args.get("url")))
        if origin is None or origin.channel_id is None:
            return
        channel = conversation_of(origin.channel_id)
        original = origin.message_ts
        if args.get("delete_original") in (True, "true") and original:
            self._remove(channel, original)
            return
        message = self._message(args, self._ts())
        if args.get("replace_original") in (True, "true") and original:
            found = self._find(channel, original)
            if found is not None:
                found.update(text=message["text"], blocks=message["blocks"])
                return
        if args.get("response_type") != "in_channel":
            message["ephemeral_to"] = origin.user_id
        self._append(channel, message)

    # -- timeline helpers -----------------------------------------------------------
    def _ts(self) -> str:
        """Slack's timestamp of a new message (the workspace plays Slack's clock)."""
        raise NotImplementedError

    def _message(self, args: dict[str, Any], ts: str) -> dict[str, Any]:
        # The stand-in's `ts` values are counters (unique, ordered, not a time); the page shows
        # when the message arrived, as Slack shows its own timestamps.
        return {
            "ts": ts,
            "posted_at": float(self._ts()),
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "text": str(args.get("text") or ""),
            "blocks": maybe_json(args.get("blocks")) or [],
            "thread_ts": args.get("thread_ts"),
        }

    def _append(self, channel: str, message: dict[str, Any]) -> None:
        self.messages.setdefault(channel, []).append(message)

    def _find(self, channel: str, ts: str) -> dict[str, Any] | None:
        return next((m for m in self.messages.get(channel, []) if m["ts"] == ts), None)

    def _remove(self, channel: str, ts: str) -> None:
        self.messages[channel] = [m for m in self.messages.get(channel, []) if m["ts"] != ts]

    def changed(self) -> None:
        """Tell the page something changed that the Web API did not (a job finished)."""
        with self._lock:
            self.version += 1

    # -- what the page reads ----------------------------------------------------------
    def timeline(self, channel: str, user_id: str) -> list[dict[str, Any]]:
        """`channel`'s messages as `user_id` sees them: ephemeral ones only when they are theirs."""
        with self._lock:
            return [
                m
                for m in self.messages.get(channel, [])
                if m.get("ephemeral_to") in (None, user_id)
            ]

    def modal(self, user_id: str) -> dict[str, Any] | None:
        with self._lock:
            stack = self.modals.get(user_id) or []
            return stack[-1] if stack else None

    def home(self, user_id: str) -> dict[str, Any] | None:
        with self._lock:
            return self.homes.get(user_id)
