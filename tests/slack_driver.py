"""Drives the bot the way Slack does: signed HTTP requests to its request URL."""

from __future__ import annotations

import itertools
import json
import time
import urllib.parse
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import yaml

from bot.sandbox.blockkit import problems_in_blocks, problems_in_options, problems_in_view
from bot.sandbox.signing import sign
from bot.sandbox.slack_api import Call
from tests.fake_slack import TEAM_ID, FakeSlack

_ids = itertools.count(1)
__all__ = ["SlackDriver", "ack_body", "sign", "state_of"]


MANIFEST = Path(__file__).resolve().parents[1] / "app_manifest.yml"


class SlackDriver:
    def __init__(
        self,
        url: str,
        secret: str,
        fake: FakeSlack,
        team_id: str = TEAM_ID,
        *,
        bot_token: str | None = None,
    ) -> None:
        self.url = url
        self.secret = secret
        self.fake = fake
        self.team_id = team_id
        # The workspace's bot token: what a `function_executed` event's `bot_access_token` is.
        self.bot_token = bot_token
        self.http = httpx.Client(timeout=10)
        self._views_before = 0  # views.open calls made before the latest request
        self._updates_before = 0  # views.update calls made before the latest request
        self._suggesting = False  # the request in flight is a block_suggestion
        self.acks: list[Call] = []  # slash commands' acknowledgements that carried an answer
        self._response_urls: dict[str, str] = {}  # response_url path → the user it was for

    # -- raw ----------------------------------------------------------------------
    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: str | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        self._views_before = len(self.fake.calls_to("views.open"))
        self._updates_before = len(self.fake.calls_to("views.update"))
        timestamp = str(int(time.time())) if timestamp is None else timestamp  # "" is sent
        signature = signature or sign(self.secret, timestamp, body)
        response = self.http.post(
            self.url,
            content=body,
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": timestamp,
                "X-Slack-Signature": signature,
                **(headers or {}),
            },
        )
        self._check_ack(response)
        return response

    def _check_ack(self, response: httpx.Response) -> None:
        """Slack refuses an ack body that breaks Block Kit's rules (the user sees an error):
        record it with the stand-in's refusals, where a test's teardown finds it."""
        if "json" not in response.headers.get("content-type", "") or not response.content:
            return
        answer = response.json()
        if not isinstance(answer, dict):
            return
        problems: list[str] = []
        error = "invalid_command_response"
        if answer.get("blocks"):
            problems = problems_in_blocks(list(answer["blocks"]), "message")
        if self._suggesting:
            problems, error = problems_in_options(answer), "invalid_options"
        if answer.get("response_action") in ("update", "push") and answer.get("view"):
            problems, error = problems_in_view(answer["view"]), "invalid_arguments"
        if problems:
            with self.fake._lock:
                self.fake.refusals.append(Call("ack", answer, {}, error=error, reasons=problems))

    def form(self, fields: dict[str, str], **kwargs: Any) -> httpx.Response:
        return self.post(
            urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded", **kwargs
        )

    def interactive(self, payload: dict[str, Any], **kwargs: Any) -> httpx.Response:
        return self.form({"payload": json.dumps(payload)}, **kwargs)

    # -- what users do ------------------------------------------------------------
    def command(
        self, command: str, text: str = "", *, user: str, channel: str, **kwargs: Any
    ) -> httpx.Response:
        n = next(_ids)
        # `opened_view` waits for a modal opened after this command, not an earlier one.
        self._views_before = len(self.fake.calls_to("views.open"))
        response_url = self.fake.response_url("cmd")
        self._response_urls[urllib.parse.urlparse(response_url).path] = user
        response = self.form(
            {
                "token": "legacy",
                "team_id": self.team_id,
                "team_domain": "test",
                "channel_id": channel,
                "channel_name": "directmessage" if channel.startswith("D") else f"chan-{channel}",
                "user_id": user,
                "user_name": user.lower(),
                "command": command,
                "text": text,
                "api_app_id": "ATEST",
                "response_url": response_url,
                "trigger_id": f"trigger-{n}",
            },
            **kwargs,
        )
        body = ack_body(response)
        if body.get("text") or body.get("blocks"):
            self.acks.append(
                Call("ack", {**body, "user": user, "channel": channel, "command": command}, {})
            )
        return response

    def command_modal(
        self, command: str, text: str = "", *, user: str, channel: str
    ) -> dict[str, Any]:
        """Run a slash command (acknowledged with 200) and return the modal it opened."""
        response = self.command(command, text, user=user, channel=channel)
        assert response.status_code == 200, response.text
        return self.opened_view()

    # -- what the user was told ---------------------------------------------------
    def answers(self, user: str) -> list[Call]:
        """Everything only `user` was shown, oldest first: answers on a slash command's
        acknowledgement, posts to their commands' `response_url`s and ephemeral messages (not
        the ones Slack refused)."""
        acks = [c for c in self.acks if c.args["user"] == user]
        urls = [
            c
            for c in self.fake.calls_to("response_url")
            if self._response_urls.get(str(c.args.get("url"))) == user and c.error is None
        ]
        ephemerals = [
            c
            for c in self.fake.calls_to("chat.postEphemeral")
            if c.args.get("user") == user and c.error is None  # a refused one was not shown
        ]
        return sorted([*acks, *urls, *ephemerals], key=lambda c: c.at)

    def wait_answers(self, user: str, count: int = 1, timeout: float = 15) -> list[Call]:
        """`answers(user)` once there are at least `count` of them."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.answers(user)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} answer(s) to {user}; saw {found}")
            time.sleep(0.02)

    def opened_view(self, timeout: float = 15) -> dict[str, Any]:
        """The view the latest request opened (waits for its `views.open`)."""
        calls = self.fake.wait_for("views.open", count=self._views_before + 1, timeout=timeout)
        view = calls[self._views_before].args["view"]
        return json.loads(view) if isinstance(view, str) else dict(view)

    def updated_view(self, timeout: float = 15) -> dict[str, Any]:
        """The view the latest request redrew (waits for its `views.update`)."""
        calls = self.fake.wait_for("views.update", count=self._updates_before + 1, timeout=timeout)
        view = calls[self._updates_before].args["view"]
        return json.loads(view) if isinstance(view, str) else dict(view)

    def submit(
        self, view: dict[str, Any], values: dict[str, Any] | None = None, *, user: str
    ) -> httpx.Response:
        """Submit `view` as Slack would, with `values` (block id → plain value) typed in.

        A view without an `id` gets a fresh one (and hash) per call; pass `id` and `hash`
        to submit the very same view twice, as a double click does."""
        n = next(_ids)
        payload = {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": "test"},
            "user": {"id": user, "team_id": self.team_id, "name": user.lower()},
            "api_app_id": "ATEST",
            "trigger_id": f"trigger-{next(_ids)}",
            "view": {
                **view,
                "id": view.get("id") or f"VTEST{n}",
                "hash": view.get("hash") or f"{n}.hash",
                "team_id": self.team_id,
                "state": {"values": state_of(view, values or {})},
            },
            "response_urls": [],
        }
        return self.interactive(payload)

    def suggest(
        self, view: dict[str, Any], block_id: str, value: str, *, user: str
    ) -> list[dict[str, Any]]:
        """Type `value` into the external select of `view`'s block `block_id`, as Slack sends
        it (a signed `block_suggestion`); the options the app answered (their shape is
        checked against Slack's rules, a refusal recorded like any other)."""
        element = next(b["element"] for b in view["blocks"] if b.get("block_id") == block_id)
        assert element["type"] == "external_select", element["type"]
        assert len(value) >= element.get("min_query_length", 3), "Slack waits for more letters"
        payload = {
            "type": "block_suggestion",
            "user": {"id": user, "team_id": self.team_id, "name": user.lower()},
            "team": {"id": self.team_id, "domain": "test"},
            "api_app_id": "ATEST",
            "token": "legacy",
            "container": {"type": "view", "view_id": view.get("id") or "VTEST"},
            "action_id": element["action_id"],
            "block_id": block_id,
            "value": value,
            "view": {**view, "id": view.get("id") or "VTEST", "team_id": self.team_id},
        }
        self._suggesting = True
        try:
            response = self.interactive(payload)
        finally:
            self._suggesting = False
        assert response.status_code == 200, response.text
        return list(ack_body(response).get("options") or [])

    def action(
        self,
        action_id: str,
        value: str = "",
        *,
        user: str,
        channel: str | None = None,
        message: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
        block_id: str = "actions",
        selected: str | None = None,
    ) -> httpx.Response:
        action: dict[str, Any] = {
            "action_id": action_id,
            "block_id": block_id,
            "type": "button",
            "value": value,
            "action_ts": str(time.time()),
        }
        if selected is not None:
            action = {**action, "type": "static_select", "selected_option": {"value": selected}}
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": self.team_id, "domain": "test"},
            "user": {"id": user, "team_id": self.team_id, "name": user.lower()},
            "api_app_id": "ATEST",
            "trigger_id": f"trigger-{next(_ids)}",
            "actions": [action],
        }
        if channel:
            # Slack gives a response_url to actions on messages only, not on views (the Home).
            response_url = self.fake.response_url("action")
            self._response_urls[urllib.parse.urlparse(response_url).path] = user
            payload["response_url"] = response_url
            payload["channel"] = {"id": channel, "name": f"chan-{channel}"}
            payload["container"] = {
                "type": "message",
                "channel_id": channel,
                "message_ts": (message or {}).get("ts", "1.0"),
            }
            payload["message"] = message or {"ts": "1.0", "text": ""}
        if view is not None:
            payload["view"] = view
            payload["container"] = {"type": "view", "view_id": view.get("id", "VTEST")}
        return self.interactive(payload)

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        body = {
            "token": "legacy",
            "team_id": self.team_id,
            "api_app_id": "ATEST",
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(time.time()),
            "event": event,
        }
        return self.post(json.dumps(body).encode(), "application/json", headers=headers)

    # -- Workflow Builder ---------------------------------------------------------
    def function_executed(
        self,
        callback_id: str,
        inputs: dict[str, Any],
        *,
        execution_id: str | None = None,
        event_id: str | None = None,
        bot_access_token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> str:
        """A workflow reaches the app's custom step `callback_id` (defined in the manifest)
        with `inputs`: Slack starts an execution (a fresh `function_execution_id` unless one is
        given, to deliver the same execution again) and sends a signed `function_executed`
        event carrying it and a bot access token (the workspace's bot token by default).
        Returns the execution id; `completion` waits for the app to complete it."""
        execution_id = execution_id or f"Fx{next(_ids):010d}"
        token = bot_access_token or self.bot_token
        assert token, "give the driver the workspace's bot token (bot_token=…)"
        function = _function(callback_id)
        self.fake.start_function(
            execution_id,
            callback_id=callback_id,
            team_id=self.team_id,
            output_parameters=function["output_parameters"],
        )
        response = self.event(
            {
                "type": "function_executed",
                "function": function,
                "inputs": inputs,
                "function_execution_id": execution_id,
                "workflow_execution_id": f"Wx{next(_ids):010d}",
                "event_ts": f"{time.time():.6f}",
                "bot_access_token": token,
            },
            event_id=event_id,
            headers=headers,
        )
        assert response.status_code == 200, response.text
        return execution_id

    def completion(self, execution_id: str, timeout: float = 15) -> Call:
        """The call that completed `execution_id` (`functions.completeSuccess` or
        `functions.completeError`, the one Slack took), once it is made."""
        deadline = time.monotonic() + timeout
        while True:
            calls = [
                *self.fake.calls_to("functions.completeSuccess"),
                *self.fake.calls_to("functions.completeError"),
            ]
            for call in calls:
                if call.args.get("function_execution_id") == execution_id and call.error is None:
                    return call
            if time.monotonic() > deadline:
                raise AssertionError(f"execution {execution_id} was not completed")
            time.sleep(0.02)


@cache
def _function(callback_id: str) -> dict[str, Any]:
    """A function of the manifest as Slack describes it in a `function_executed` event (its
    parameters as lists)."""
    found = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))["functions"][callback_id]
    return {
        "id": f"Fn{abs(hash(callback_id)) % 10**10:010d}",
        "callback_id": callback_id,
        "title": found["title"],
        "description": found.get("description", ""),
        "type": "app",
        "input_parameters": [{"name": k, **v} for k, v in found["input_parameters"].items()],
        "output_parameters": [{"name": k, **v} for k, v in found["output_parameters"].items()],
        "app_id": "ATEST",
    }


def assert_errors(response: httpx.Response, *fields: str) -> dict[str, str]:
    """A modal submission answered (200) with errors on exactly `fields`; the errors by field."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["response_action"] == "errors", body
    assert sorted(body["errors"]) == sorted(fields), body
    return dict(body["errors"])


def ack_body(response: httpx.Response) -> dict[str, Any]:
    """The JSON an acknowledgement carried (a slash command's answer), or {} for an empty ack."""
    if not response.content or "json" not in response.headers.get("content-type", ""):
        return {}
    return dict(response.json())


def state_of(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """`view.state.values` for `view` with `values` entered; other inputs keep their initial value."""
    state: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        block_id = block["block_id"]
        kind = element["type"]
        given = values.get(block_id, _initial(element))
        state[block_id] = {element["action_id"]: _element_state(kind, given, element)}
    return state


def _initial(element: dict[str, Any]) -> Any:
    kind = element["type"]
    if kind == "plain_text_input":
        return element.get("initial_value")
    if kind in ("static_select", "radio_buttons", "external_select"):
        option = element.get("initial_option")
        return option["value"] if option else None
    if kind in ("multi_static_select", "checkboxes"):
        return [o["value"] for o in element.get("initial_options") or []]
    if kind == "multi_users_select":
        return element.get("initial_users") or []
    if kind == "users_select":
        return element.get("initial_user")
    if kind == "datepicker":
        return element.get("initial_date")
    if kind == "timepicker":
        return element.get("initial_time")
    if kind in ("conversations_select", "channels_select"):
        return element.get("initial_conversation") or element.get("initial_channel")
    if kind == "number_input":
        return element.get("initial_value")
    return None


def _element_state(kind: str, value: Any, element: dict[str, Any]) -> dict[str, Any]:
    if kind in ("plain_text_input", "number_input"):
        return {"type": kind, "value": value}
    if kind in ("static_select", "radio_buttons", "external_select"):
        return {
            "type": kind,
            "selected_option": {"value": value, "text": {"type": "plain_text", "text": str(value)}}
            if value is not None
            else None,
        }
    if kind in ("multi_static_select", "checkboxes"):
        return {"type": kind, "selected_options": [{"value": v} for v in value or []]}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": list(value or [])}
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    if kind == "datepicker":
        return {"type": kind, "selected_date": value}
    if kind == "timepicker":
        return {"type": kind, "selected_time": value}
    if kind == "conversations_select":
        return {"type": kind, "selected_conversation": value}
    if kind == "channels_select":
        return {"type": kind, "selected_channel": value}
    if kind == "file_input":  # the files the user picked, as Slack's file objects
        return {"type": kind, "files": list(value or [])}
    return {"type": kind, "value": value}
