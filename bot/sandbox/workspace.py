"""What a Slack client would show, kept from the bot's Web API calls; what a user does, sent on.

`Workspace` watches the stand-in's calls (`FakeSlack.observers`) and keeps the channel and DM
timelines, ephemeral messages (visible to one user), each user's modal stack and App Home.
In the other direction it turns what the page does (a slash command, a button, a modal
submission) into the request Slack itself would send: the same payload shape, signed with
the signing secret, POSTed over HTTP to the bot's `/slack/events`. Nothing reaches a handler
any other way.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.sandbox.screens import Origin, Screens, conversation_of, dm_of, maybe_json
from bot.sandbox.signing import sign
from bot.sandbox.slack_api import FakeSlack

__all__ = ["Origin", "Outcome", "Workspace", "dm_of"]


@dataclass
class Outcome:
    """What the page should show after an interaction: field errors, or a note."""

    errors: dict[str, str] = field(default_factory=dict)
    note: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"errors": self.errors, "note": self.note}


class Workspace(Screens):
    """One sandbox workspace: a team, its users, one project channel, and the bot."""

    def __init__(self, fake: FakeSlack, *, bot_url: str, signing_secret: str, team_id: str) -> None:
        super().__init__(fake, team_id=team_id)
        self.bot_url = bot_url
        self.secret = signing_secret
        self.http = httpx.Client(timeout=15)

    def _ts(self) -> str:
        return f"{time.time():.6f}"

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

    def _interactive(self, kind: str, user_id: str, fields: dict[str, Any]) -> httpx.Response:
        """An interaction of `user_id` (`block_actions`, `view_submission`…), framed as Slack
        frames every one: the type, the team, the user and the app, then `fields`."""
        payload = {
            "type": kind,
            "team": {"id": self.team_id, "domain": "sandbox"},
            "user": self._user(user_id),
            "api_app_id": "ASANDBOX",
            **fields,
        }
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
            "token": "sandbox",
            "trigger_id": trigger_id,
            "actions": [{**action, "action_ts": self._ts()}],
        }
        if channel is not None and message_ts is not None:
            message = self._find(conversation_of(channel), message_ts) or {"ts": message_ts}
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
        response = self._interactive("block_actions", user_id, payload)
        return Outcome(note=self._failure(response))

    def submit(self, user_id: str, view_id: str, state: dict[str, Any]) -> Outcome:
        """Press a modal's submit button: a `view_submission`, and Slack's handling of the ack."""
        view = self._view(user_id, view_id)
        if view is None:
            return Outcome(note="gone")
        trigger_id, _ = self._issue(Origin(user_id, None))
        payload = {
            "token": "sandbox",
            "trigger_id": trigger_id,
            "view": {**view, "team_id": self.team_id, "state": state},
            "response_urls": [],
        }
        response = self._interactive("view_submission", user_id, payload)
        failure = self._failure(response)
        if failure:
            return Outcome(note=failure)
        answer = maybe_json(response.text) if response.text.strip() else {}
        action = answer.get("response_action") if isinstance(answer, dict) else None
        with self._lock:
            stack = self.modals.setdefault(user_id, [])
            if action == "errors":
                return Outcome(errors=dict(answer.get("errors") or {}))
            if action == "update" and stack:
                stack[-1] = {**maybe_json(answer["view"]), "id": stack[-1]["id"]}
            elif action == "push":
                stack.append({**maybe_json(answer["view"]), "id": f"V{next(self._ids)}S"})
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
            closed = {"view": view, "is_cleared": False}
            return Outcome(note=self._failure(self._interactive("view_closed", user_id, closed)))
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
        answer = maybe_json(response.text)
        if not isinstance(answer, dict):
            answer = {"text": response.text}
        if not (answer.get("text") or answer.get("blocks")):
            return
        with self._lock:
            message = self._message(answer, self._ts())
            if answer.get("response_type") != "in_channel":
                message["ephemeral_to"] = origin.user_id
            self._append(conversation_of(str(origin.channel_id)), message)
            self.version += 1

    @staticmethod
    def _failure(response: httpx.Response) -> str | None:
        if response.status_code == 200:
            return None
        return f"HTTP {response.status_code}"
