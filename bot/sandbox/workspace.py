"""What a Slack client would show, kept from the bot's Web API calls; what a user does, sent on.

`Workspace` watches the stand-in's calls (`FakeSlack.observers`) and keeps the channel and DM
timelines, ephemeral messages (visible to one user), each user's modal stack and App Home.
In the other direction it turns what the page does (a slash command, a button, a modal
submission) into the request Slack itself would send: the same payload shape, signed with
the signing secret, POSTed over HTTP to the bot's `/slack/events`. Nothing reaches a handler
any other way.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.sandbox.signing import sign
from bot.sandbox.slack_api import BOT_ID, BOT_USER_ID, Call, FakeSlack


def _json(value: Any) -> Any:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return json.loads(value)
    return value


def dm_of(user_id: str) -> str:
    """The id of a user's DM with the bot, as the stand-in's `conversations.open` answers."""
    return "D" + user_id


def _conversation(channel: str) -> str:
    # Posting to a user id lands in the DM with them, as on Slack.
    return dm_of(channel) if channel.startswith(("U", "W")) else channel


@dataclass
class Origin:
    """Who a `response_url` or `trigger_id` was issued to, and where."""

    user_id: str
    channel_id: str | None
    message_ts: str | None = None


@dataclass
class Outcome:
    """What the page should show after an interaction: field errors, or a note."""

    errors: dict[str, str] = field(default_factory=dict)
    note: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"errors": self.errors, "note": self.note}


class Workspace:
    """One sandbox workspace: a team, its users, one project channel, and the bot."""

    def __init__(self, fake: FakeSlack, *, bot_url: str, signing_secret: str, team_id: str) -> None:
        self.fake = fake
        self.bot_url = bot_url
        self.secret = signing_secret
        self.team_id = team_id
        self.messages: dict[str, list[dict[str, Any]]] = {}  # conversation → timeline
        self.modals: dict[str, list[dict[str, Any]]] = {}  # user → stack of views
        self.homes: dict[str, dict[str, Any]] = {}  # user → published App Home
        self.version = 0  # bumped on every change, so the page polls cheaply
        self._origins: dict[str, Origin] = {}  # response_url path or trigger_id → origin
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        self.http = httpx.Client(timeout=15)
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
        self._append(_conversation(str(args.get("channel"))), self._message(args, answer["ts"]))

    def _on_chat_postEphemeral(self, args: dict[str, Any], answer: dict[str, Any]) -> None:
        message = self._message(args, answer["message_ts"])
        message["ephemeral_to"] = str(args.get("user"))
        self._append(_conversation(str(args.get("channel"))), message)

    def _on_chat_update(self, args: dict[str, Any], answer: dict[str, Any]) -> None:
        found = self._find(_conversation(str(args.get("channel"))), str(args.get("ts")))
        if found is not None:
            found.update(
                self._message(args, found["ts"]),
                ephemeral_to=found.get("ephemeral_to"),
                posted_at=found.get("posted_at"),  # an edited message keeps its time, as on Slack
            )

    def _on_chat_delete(self, args: dict[str, Any], _answer: dict[str, Any]) -> None:
        self._remove(_conversation(str(args.get("channel"))), str(args.get("ts")))

    def _on_files_completeUploadExternal(
        self, args: dict[str, Any], _answer: dict[str, Any]
    ) -> None:
        files = _json(args.get("files")) or []
        channel = str(args.get("channel_id") or args.get("channels") or "")
        if not channel:
            return
        shown = [
            {"id": f["id"], "title": f.get("title") or f["id"], "image": self._is_image(f["id"])}
            for f in files
        ]
        message = self._message({"text": args.get("initial_comment") or ""}, self._ts())
        message["files"] = shown
        self._append(_conversation(channel), message)

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
        view = _json(args.get("view")) or {}
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
        channel = _conversation(origin.channel_id)
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
        return f"{time.time():.6f}"

    def _message(self, args: dict[str, Any], ts: str) -> dict[str, Any]:
        # The stand-in's `ts` values are counters (unique, ordered, not a time); the page shows
        # when the message arrived, as Slack shows its own timestamps.
        return {
            "ts": ts,
            "posted_at": float(self._ts()),
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "text": str(args.get("text") or ""),
            "blocks": _json(args.get("blocks")) or [],
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

    # -- what the user does: Slack's requests to the bot ---------------------------------
    def _issue(self, origin: Origin) -> tuple[str, str]:
        """A fresh `trigger_id` and `response_url` for `origin`."""
        trigger_id = f"{next(self._ids)}.{int(time.time())}.sandbox"
        response_url = self.fake.response_url("sandbox")
        with self._lock:
            self._origins[trigger_id] = origin
            self._origins[urllib.parse.urlparse(response_url).path] = origin
        return trigger_id, response_url

    def _user(self, user_id: str) -> dict[str, Any]:
        return {"id": user_id, "team_id": self.team_id, "name": user_id.lower()}

    def _post(self, body: bytes, content_type: str) -> httpx.Response:
        timestamp = str(int(time.time()))
        return self.http.post(
            self.bot_url,
            content=body,
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": timestamp,
                "X-Slack-Signature": sign(self.secret, timestamp, body),
            },
        )

    def _interactive(self, payload: dict[str, Any]) -> httpx.Response:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self._post(body, "application/x-www-form-urlencoded")

    def command(self, user_id: str, channel: str, line: str) -> Outcome:
        """`/funds summary` typed in `channel`: a slash command request, as Slack sends it."""
        command, _, text = line.strip().partition(" ")
        trigger_id, response_url = self._issue(Origin(user_id, channel))
        fields = {
            "token": "sandbox",
            "team_id": self.team_id,
            "team_domain": "sandbox",
            "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else channel.lower(),
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text.strip(),
            "api_app_id": "ASANDBOX",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
        response = self._post(
            urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        )
        self._show_ack(response, Origin(user_id, channel))
        return Outcome(note=self._failure(response))

    def action(
        self,
        user_id: str,
        action: dict[str, Any],
        *,
        channel: str | None = None,
        message_ts: str | None = None,
        view_id: str | None = None,
        state: dict[str, Any] | None = None,
    ) -> Outcome:
        """A button press or a selection in a message, a modal or the App Home."""
        trigger_id, response_url = self._issue(Origin(user_id, channel, message_ts))
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": self.team_id, "domain": "sandbox"},
            "user": self._user(user_id),
            "api_app_id": "ASANDBOX",
            "token": "sandbox",
            "trigger_id": trigger_id,
            "actions": [{**action, "action_ts": self._ts()}],
        }
        if channel is not None and message_ts is not None:
            message = self._find(_conversation(channel), message_ts) or {"ts": message_ts}
            payload["channel"] = {"id": channel, "name": channel.lower()}
            payload["container"] = {
                "type": "message",
                "channel_id": channel,
                "message_ts": message_ts,
                "is_ephemeral": bool(message.get("ephemeral_to")),
            }
            payload["message"] = {k: v for k, v in message.items() if k != "ephemeral_to"}
            payload["response_url"] = response_url
        if view_id is not None:
            view = self._view(user_id, view_id)
            if view is None:
                return Outcome(note="gone")
            payload["view"] = {**view, "team_id": self.team_id, "state": state or {"values": {}}}
            payload["container"] = {"type": "view", "view_id": view_id}
        response = self._interactive(payload)
        return Outcome(note=self._failure(response))

    def submit(self, user_id: str, view_id: str, state: dict[str, Any]) -> Outcome:
        """Press a modal's submit button: a `view_submission`, and Slack's handling of the ack."""
        view = self._view(user_id, view_id)
        if view is None:
            return Outcome(note="gone")
        trigger_id, _ = self._issue(Origin(user_id, None))
        payload = {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": "sandbox"},
            "user": self._user(user_id),
            "api_app_id": "ASANDBOX",
            "token": "sandbox",
            "trigger_id": trigger_id,
            "view": {**view, "team_id": self.team_id, "state": state},
            "response_urls": [],
        }
        response = self._interactive(payload)
        failure = self._failure(response)
        if failure:
            return Outcome(note=failure)
        answer = _json(response.text) if response.text.strip() else {}
        action = answer.get("response_action") if isinstance(answer, dict) else None
        with self._lock:
            stack = self.modals.setdefault(user_id, [])
            if action == "errors":
                return Outcome(errors=dict(answer.get("errors") or {}))
            if action == "update" and stack:
                stack[-1] = {**_json(answer["view"]), "id": stack[-1]["id"]}
            elif action == "push":
                stack.append({**_json(answer["view"]), "id": f"V{next(self._ids)}S"})
            elif action == "clear":
                stack.clear()
            elif stack and stack[-1].get("id") == view_id:
                stack.pop()
            self.version += 1
        return Outcome()

    def close(self, user_id: str, view_id: str) -> Outcome:
        """The modal's close button: Slack sends `view_closed` when the view asked for it."""
        view = self._view(user_id, view_id)
        with self._lock:
            stack = self.modals.get(user_id) or []
            if stack and stack[-1].get("id") == view_id:
                stack.pop()
            self.version += 1
        if view is not None and view.get("notify_on_close"):
            payload = {
                "type": "view_closed",
                "team": {"id": self.team_id, "domain": "sandbox"},
                "user": self._user(user_id),
                "api_app_id": "ASANDBOX",
                "view": view,
                "is_cleared": False,
            }
            return Outcome(note=self._failure(self._interactive(payload)))
        return Outcome()

    def open_home(self, user_id: str) -> Outcome:
        """Opening the App Home tab: the `app_home_opened` event."""
        body = {
            "token": "sandbox",
            "team_id": self.team_id,
            "api_app_id": "ASANDBOX",
            "type": "event_callback",
            "event_id": f"EvSANDBOX{next(self._ids):06d}{int(time.time())}",
            "event_time": int(time.time()),
            "event": {
                "type": "app_home_opened",
                "user": user_id,
                "channel": dm_of(user_id),
                "tab": "home",
                "event_ts": self._ts(),
            },
        }
        response = self._post(json.dumps(body).encode(), "application/json")
        # A bot without an App Home answers 404 (no listener); the tab just stays empty.
        return Outcome(note=None if response.status_code == 404 else self._failure(response))

    def _view(self, user_id: str, view_id: str) -> dict[str, Any] | None:
        with self._lock:
            for view in self.modals.get(user_id) or []:
                if view.get("id") == view_id:
                    return view
            home = self.homes.get(user_id)
            return home if home is not None and home.get("id") == view_id else None

    def _show_ack(self, response: httpx.Response, origin: Origin) -> None:
        """A slash command's ack with a body: Slack shows it to the user alone."""
        if response.status_code != 200 or not response.text.strip():
            return
        answer = _json(response.text)
        if not isinstance(answer, dict):
            answer = {"text": response.text}
        if not (answer.get("text") or answer.get("blocks")):
            return
        with self._lock:
            message = self._message(answer, self._ts())
            if answer.get("response_type") != "in_channel":
                message["ephemeral_to"] = origin.user_id
            self._append(_conversation(str(origin.channel_id)), message)
            self.version += 1

    @staticmethod
    def _failure(response: httpx.Response) -> str | None:
        if response.status_code == 200:
            return None
        return f"HTTP {response.status_code}"
