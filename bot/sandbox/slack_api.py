"""A Slack Web API stand-in over real HTTP: the sandbox's Slack, and the tests' fake.

It answers the Web API methods the bot uses, records every call, serves `response_url`s
and file uploads, and can be told to fail (HTTP 429 with `Retry-After`, 5xx) to exercise
the bot's retries. Start it with `FakeSlack().start()`; point `SLACK_API_URL` at `.api_url`.

Messages keep their `metadata` (`chat.postMessage`'s event_type + event_payload), returned
by `conversations.history` only with `include_all_metadata`, as Slack does. Given
`RateLimits`, it enforces Slack's limits: `chat.postMessage` one a second per channel after
a small burst (and a workspace-wide rate), other methods their tier; a request over the
limit gets HTTP 429 with `Retry-After` and is not carried out.

It is as strict as Slack: blocks and views are checked against Block Kit's rules
(`bot.sandbox.blockkit`) and refused with Slack's error (`invalid_blocks` for messages,
`invalid_arguments` for views, `msg_too_long`), with the reasons in
`response_metadata.messages`; a post into a channel the bot is not in is refused
(`not_in_channel`, `channel_not_found` when private), and a `response_url` takes five posts.
Channels are public with everybody in them unless declared with `channel(...)`. Every refusal
is kept in `refusals`. A custom step started with `start_function` (the test driver does, with
its `function_executed` event) is completed once: `functions.completeSuccess` with outputs that
fit its output parameters, or `functions.completeError`.

The sandbox (`bot.sandbox.workspace`) watches the calls through `observers` and serves its
web page from the same server through `site`; the tests use neither.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from bot.sandbox.blockkit import problems_in_blocks, problems_in_view
from bot.sandbox.oauth import Failure as TokenFailure
from bot.sandbox.oauth import Grant, OAuthServer, token_of

TEAM_ID = "T0TEST"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"

MESSAGE_METHODS = ("chat.postMessage", "chat.update", "chat.postEphemeral", "chat.scheduleMessage")
VIEW_METHODS = ("views.open", "views.push", "views.update", "views.publish")
MAX_MESSAGE_TEXT = 40_000
MAX_UPDATE_TEXT = 4_000
RESPONSE_URL_POSTS = 5  # a response_url takes this many posts …
RESPONSE_URL_LIFETIME = 30 * 60  # … within this many seconds of being issued
# Refusals that are the bot's bug, not the workspace's state: a test fails on them.
MALFORMED = frozenset(
    {
        "invalid_blocks",
        "invalid_arguments",
        "msg_too_long",
        "no_text",
        "parameter_validation_failed",
    }
)
FUNCTION_METHODS = ("functions.completeSuccess", "functions.completeError")


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)
    error: str | None = None  # what Slack refused it with (None: carried out)
    reasons: list[str] = field(default_factory=list)  # and why


@dataclass
class Channel:
    """A conversation: public with everybody in it unless a test says otherwise."""

    id: str
    private: bool = False
    members: set[str] | None = None  # None: every user is a member
    bot_member: bool = True

    def has(self, user: str) -> bool:
        return self.members is None or user in self.members


def refusal(error: str, messages: list[str] | None = None) -> dict[str, Any]:
    """Slack's answer refusing a call: `error`, and its reasons like Slack's `[ERROR] …`."""
    body: dict[str, Any] = {"ok": False, "error": error}
    if messages:
        body["errors"] = messages
        body["response_metadata"] = {"messages": [f"[ERROR] {m}" for m in messages]}
    return body


def is_user(user: str) -> bool:
    """A user id, as on Slack: `U…`, or `W…` on Enterprise Grid."""
    return len(user) > 1 and user[0] in "UW" and user.isalnum() and user.isupper()


def is_conversation(channel: str) -> bool:
    """A conversation id, as on Slack: `C…` (channels), `G…` (private, older), `D…` (DMs)."""
    return len(channel) > 1 and channel[0] in "CGD" and channel.isalnum() and channel.isupper()


@dataclass
class Execution:
    """A custom step (a function of the app's manifest) running in a workflow, until the app
    completes it: `functions.completeSuccess` with its outputs or `functions.completeError`."""

    id: str
    callback_id: str
    team_id: str
    output_parameters: list[dict[str, Any]]
    state: str = "running"  # then "completed" or "failed"
    outputs: dict[str, Any] | None = None
    error: str | None = None


# What a value of each parameter type must be in JSON (Slack's types not listed are strings).
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
    "slack#/types/user_context": (dict,),
    "slack#/types/timestamp": (int, float),
}


def output_problems(parameters: list[dict[str, Any]], outputs: Any) -> list[str]:
    """Why Slack would refuse `outputs` for these output parameters (empty: it takes them)."""
    if not isinstance(outputs, dict):
        return ["outputs must be an object"]
    problems = []
    for parameter in parameters:
        name, kind = str(parameter["name"]), str(parameter["type"])
        value = outputs.get(name)
        if value is None:
            if parameter.get("is_required"):
                problems.append(f"missing required output parameter: {name} [json-pointer:/{name}]")
            continue
        wanted = _JSON_TYPES.get(kind, (str,))
        wrong_bool = isinstance(value, bool) and bool not in wanted
        if wrong_bool or not isinstance(value, wanted):
            problems.append(f"{name} must be of type {kind} [json-pointer:/{name}]")
    return problems


@dataclass
class Failure:
    status: int
    retry_after: int | None
    remaining: int


# Requests a minute of Slack's method tiers (https://api.slack.com/apis/rate-limits).
TIERS: dict[int, int] = {1: 1, 2: 20, 3: 50, 4: 100}
METHOD_TIER: dict[str, int] = {
    "conversations.history": 3,
    "conversations.open": 3,
    "conversations.join": 3,
    "conversations.info": 3,
    "chat.update": 3,
    "users.info": 4,
    "views.open": 4,
    "views.update": 4,
    "views.publish": 4,
    "auth.test": 4,
}


class Gcra:
    """A token bucket (GCRA): `rate` a second after a burst of `burst`."""

    def __init__(self, rate: float, burst: int) -> None:
        self.interval = 1.0 / rate
        self.tolerance = (max(burst, 1) - 1) * self.interval
        self.tat = 0.0

    def wait(self, now: float) -> float:
        """Seconds until a request is allowed (0: allowed, and counted)."""
        early = self.tat - self.tolerance - now
        if early > 0:
            return early
        self.tat = max(self.tat, now) + self.interval
        return 0.0


@dataclass
class RateLimits:
    channel_rate: float = 1.0  # chat.postMessage per channel, a second
    channel_burst: int = 3
    workspace_per_minute: int = 600  # chat.postMessage across the workspace
    workspace_burst: int = 10
    tiers: dict[int, int] = field(default_factory=lambda: dict(TIERS))


class Site(Protocol):
    """Answers the stand-in's paths that are not the Web API (the sandbox's page)."""

    def __call__(
        self, method: str, path: str, query: dict[str, str], raw: bytes, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes, str] | None: ...


Observer = Callable[[Call, dict[str, Any]], None]


class FakeSlack:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        rate_limits: RateLimits | None = None,
        team_id: str = TEAM_ID,
    ) -> None:
        self.rate_limits = rate_limits
        self._buckets: dict[str, Gcra] = {}
        self.rejected = 0  # requests answered 429 by the rate limits
        self.team_id = team_id
        self.observers: list[Observer] = []  # told of every call and its answer, under the lock
        self.site: Site | None = None
        self.calls: list[Call] = []
        self.messages: dict[str, list[dict[str, Any]]] = {}  # channel → messages posted
        self.uploads: dict[str, bytes] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, Channel] = {}  # declared by `channel()`; others are public
        # Ids this workspace does not have (`unknown()`): every other well-formed user or
        # conversation id exists, as if the whole company were in the workspace.
        self.missing: set[str] = set()
        self.refusals: list[Call] = []  # calls Slack would refuse, with their `error`
        # OAuth and many workspaces (bot/sandbox/oauth.py): tokens it issued belong to one
        # workspace each; any other token speaks for the single workspace `team_id`.
        self.oauth = OAuthServer()
        self._response_urls: dict[str, tuple[float, int]] = {}  # path → (issued, posts)
        self.files: dict[str, tuple[dict[str, Any], bytes]] = {}  # uploaded by users: info, bytes
        self.bot_token: str | None = None  # when set, file downloads need exactly this token
        self.executions: dict[str, Execution] = {}  # function_execution_id → the step
        self._failures: dict[str, Failure] = {}
        self._failures_after: dict[str, Failure] = {}  # carried out, then answered an error
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._lock = threading.Condition()
        handler = type("Handler", (_Handler,), {"fake": self})
        self.server = ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- life cycle -------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/"

    @property
    def authorize_url(self) -> str:
        """Slack's OAuth authorize page (`SLACK_AUTHORIZE_URL`)."""
        return self.base_url + "/oauth/v2/authorize"

    def start(self) -> FakeSlack:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.messages.clear()
            self.uploads.clear()
            self.files.clear()
            self._failures.clear()
            self._failures_after.clear()
            self.channels.clear()
            self.missing.clear()
            self.refusals.clear()
            self._response_urls.clear()
            self._buckets.clear()
            self.executions.clear()
            self.rejected = 0
            self.oauth.reset()

    # -- test controls ----------------------------------------------------------
    def fail(
        self, method: str, *, status: int = 429, retry_after: int | None = 1, times: int = 1
    ) -> None:
        """The next `times` calls of `method` answer HTTP `status`."""
        with self._lock:
            self._failures[method] = Failure(status, retry_after, times)

    def fail_after(self, method: str, *, status: int = 503, times: int = 1) -> None:
        """The next `times` calls of `method` are carried out (a post is posted) and then
        answered HTTP `status`, as when Slack fails or the connection drops after the work."""
        with self._lock:
            self._failures_after[method] = Failure(status, None, times)

    def channel(
        self,
        channel_id: str,
        *,
        private: bool = False,
        members: list[str] | None = None,
        bot_member: bool = True,
    ) -> Channel:
        """Declare a channel: private or public, its members (None: everybody), and whether
        the bot is in it."""
        with self._lock:
            declared = self.channels[channel_id] = Channel(
                channel_id, private, None if members is None else set(members), bot_member
            )
            return declared

    def start_function(
        self,
        execution_id: str,
        *,
        callback_id: str,
        team_id: str,
        output_parameters: list[dict[str, Any]],
    ) -> Execution:
        """A workflow reached one of the app's custom steps: Slack now waits for the app to
        complete `execution_id` (the `function_executed` event carries it). An execution is
        started once: starting it again (its event delivered again) changes nothing."""
        with self._lock:
            return self.executions.setdefault(
                execution_id,
                Execution(execution_id, callback_id, team_id, list(output_parameters)),
            )

    def unknown(self, *ids: str) -> None:
        """Users or conversations this workspace does not have (deleted, never existed, of
        another organisation): `users.info` answers `user_not_found`, `conversations.info`
        and posts `channel_not_found`."""
        with self._lock:
            self.missing.update(ids)

    def malformed(self) -> list[Call]:
        """The calls refused for breaking Block Kit or text rules (the bot's bugs)."""
        with self._lock:
            return [c for c in self.refusals if c.error in MALFORMED]

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(
        self, method: str, count: int = 1, timeout: float = 15.0, **match: Any
    ) -> list[Call]:
        """Block until `count` calls of `method` whose args include `match` were made."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [
                    c
                    for c in self.calls
                    if c.method == method and all(c.args.get(k) == v for k, v in match.items())
                ]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(
                        f"expected {count} call(s) to {method} {match}; saw {seen}"
                    )
                self._lock.wait(remaining)

    def add_file(self, name: str, content: bytes, *, filetype: str | None = None) -> dict[str, Any]:
        """A file a user uploaded (e.g. through a modal's `file_input`): the file object Slack
        puts in the view state and answers `files.info` with; its bytes are served at
        `url_private_download` to a request bearing the bot token."""
        file_id = f"F{next(self._ids):08d}"
        kind = filetype or (name.rsplit(".", 1)[-1].lower() if "." in name else "binary")
        info = {
            "id": file_id,
            "name": name,
            "title": name,
            "filetype": kind,
            "mimetype": "application/octet-stream",
            "size": len(content),
            "url_private": f"{self.base_url}/files-pri/{self.team_id}-{file_id}/{name}",
            "url_private_download": f"{self.base_url}/files-pri/{self.team_id}-{file_id}/download/{name}",
            "created": int(time.time()),
        }
        with self._lock:
            self.files[file_id] = (info, content)
        return dict(info)

    def _serve_file(self, path: str, headers: dict[str, str]) -> tuple[int, bytes, str]:
        """GET of a file's private URL: 401 without a token, 403 with another one."""
        auth = headers.get("authorization", "")
        if not auth.startswith("Bearer "):
            return 401, b"not_authed", "text/plain"
        token = auth[len("Bearer ") :]
        if (self.bot_token is not None and token != self.bot_token) or not token.startswith("xox"):
            return 403, b"invalid_auth", "text/plain"
        parts = path.split("/")
        file_id = parts[2].split("-", 1)[-1] if len(parts) > 2 else ""
        with self._lock:
            found = self.files.get(file_id)
            self.calls.append(Call("file_download", {"file": file_id}, headers))
            self._lock.notify_all()
        if found is None:
            return 404, b"file_not_found", "text/plain"
        return 200, found[1], "application/octet-stream"

    def response_url(self, name: str = "cmd") -> str:
        path = f"/response/{name}-{next(self._ids)}"
        with self._lock:
            self._response_urls[path] = (time.monotonic(), 0)
        return self.base_url + path

    def post_to_response_url(
        self, path: str, args: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        """A post to a `response_url`: checked like a message, five per URL in 30 minutes."""
        with self._lock:
            call = Call("response_url", {**args, "url": path}, headers)
            self.calls.append(call)
            issued, posts = self._response_urls.get(path, (time.monotonic(), 0))
            status, answer = 200, dict[str, Any](ok=True)
            if time.monotonic() - issued > RESPONSE_URL_LIFETIME:
                status, answer = 404, refusal("expired_url")
            elif posts >= RESPONSE_URL_POSTS:
                status, answer = 404, refusal("used_url")
            else:
                problems = self._message_problems("response_url", args)
                if problems is not None:
                    status, answer = 400, problems
                else:
                    self._response_urls[path] = (issued, posts + 1)
            if not answer["ok"]:
                call.error = str(answer["error"])
                call.reasons = list(answer.get("errors") or [])
                self.refusals.append(call)
            self._observe(call, answer)
            self._lock.notify_all()
            return status, answer

    # -- the API ----------------------------------------------------------------
    def _limited(self, method: str, args: dict[str, Any]) -> float:
        """Seconds the caller must wait under `rate_limits` (0: go ahead)."""
        limits = self.rate_limits
        if limits is None:
            return 0.0
        now = time.monotonic()
        if method == "chat.postMessage":
            channel = self._dm(str(args.get("channel")))
            per_channel = self._bucket(f"chan:{channel}", limits.channel_rate, limits.channel_burst)
            workspace = self._bucket(
                "workspace", limits.workspace_per_minute / 60, limits.workspace_burst
            )
            early = max(
                per_channel.tat - per_channel.tolerance - now,
                workspace.tat - workspace.tolerance - now,
            )
            if early > 0:
                return early
            per_channel.wait(now)
            workspace.wait(now)
            return 0.0
        per_minute = limits.tiers[METHOD_TIER.get(method, 4)]
        return self._bucket(f"method:{method}", per_minute / 60, max(1, per_minute // 10)).wait(now)

    def _bucket(self, name: str, rate: float, burst: int) -> Gcra:
        bucket = self._buckets.get(name)
        if bucket is None:
            bucket = self._buckets[name] = Gcra(rate, burst)
        return bucket

    @staticmethod
    def _dm(channel: str) -> str:
        """Posting to a user id lands in the DM with them, as on Slack."""
        return "D" + channel if channel.startswith(("U", "W")) else channel

    def handle(
        self, method: str, args: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        with self._lock:
            wait = self._limited(method, args)
            if wait > 0:
                self.rejected += 1
                return (
                    429,
                    {"Retry-After": str(max(1, math.ceil(wait)))},
                    {"ok": False, "error": "ratelimited"},
                )
            failure = self._failures.get(method)
            if failure and failure.remaining > 0:
                failure.remaining -= 1
                extra = (
                    {"Retry-After": str(failure.retry_after)}
                    if failure.retry_after is not None
                    else {}
                )
                return (
                    failure.status,
                    extra,
                    {
                        "ok": False,
                        "error": "ratelimited" if failure.status == 429 else "internal_error",
                    },
                )
            call = Call(method, args, headers)
            self.calls.append(call)
            if method == "oauth.v2.access":
                body = self.oauth.access(args, headers)
            else:
                grant = self.oauth.grant(token_of(args, headers))
                body = (
                    self._other_workspace(grant, method, args)
                    or self._refused(method, args)
                    or self._answer_for(method, args, grant if isinstance(grant, Grant) else None)
                )
            if not body.get("ok"):
                call.error = str(body.get("error"))
                call.reasons = list(body.get("errors") or [])
                self.refusals.append(call)
            self._observe(call, body)
            self._lock.notify_all()
            after = self._failures_after.get(method)
            if after and after.remaining > 0:
                after.remaining -= 1
                return after.status, {}, {"ok": False, "error": "internal_error"}
        return 200, {}, body

    def _observe(self, call: Call, answer: dict[str, Any]) -> None:
        for observer in self.observers:
            observer(call, answer)

    # -- what Slack refuses --------------------------------------------------------
    def _other_workspace(
        self, grant: Grant | TokenFailure | None, method: str, args: dict[str, Any]
    ) -> dict[str, Any] | None:
        """A revoked or expired token; a channel or user of another workspace than the
        token's (Slack does not find them)."""
        if isinstance(grant, TokenFailure):
            return refusal(grant.error)
        if grant is None:
            return None
        mine = (
            {grant.team_id}
            if grant.team_id
            else {
                w.team_id
                for w in self.oauth.workspaces.values()
                if w.enterprise_id == grant.enterprise_id
            }
        )
        for key, error in (("channel", "channel_not_found"), ("channel_id", "channel_not_found"),
                           ("user", "user_not_found"), ("users", "user_not_found")):  # fmt: skip
            for one in str(args.get(key) or "").split(","):
                owner = self.oauth.owner(one[1:] if one.startswith("D") else one)  # a DM: its user
                if owner is not None and owner not in mine:
                    return refusal(error)
        return None

    def _refused(self, method: str, args: dict[str, Any]) -> dict[str, Any] | None:
        """Slack's refusal of this call, or None when Slack would carry it out."""
        if method in MESSAGE_METHODS:
            return self._message_problems(method, args) or self._placement(method, args)
        if method in VIEW_METHODS:
            view = args.get("view")
            if isinstance(view, str):
                try:
                    view = json.loads(view)
                except ValueError:
                    return refusal("invalid_arguments", ["view must be JSON"])
            if not isinstance(view, dict):
                return refusal("invalid_arguments", ["missing required field: view"])
            problems = problems_in_view(view)
            return refusal("invalid_arguments", problems) if problems else None
        if method == "files.completeUploadExternal":
            channel = args.get("channel_id") or args.get("channels")
            for one in str(channel or "").split(","):
                if is_user(one):  # a file is shared into a conversation, not to a user id
                    return refusal("channel_not_found")
                if one and (refused := self._bot_can_post(one)):
                    return refused
            return None
        if method == "conversations.join":
            found = self.channels.get(str(args.get("channel")))
            if found is not None and found.private:
                return refusal("method_not_supported_for_channel_type")
            return None
        if method == "conversations.info":
            channel = str(args.get("channel") or "")
            found = self.channels.get(channel)
            if found is not None and found.private and not found.bot_member:
                return refusal("channel_not_found")
            if not is_conversation(channel) or channel in self.missing:
                return refusal("channel_not_found")
            return None
        if method == "users.info":
            user = str(args.get("user", ""))
            if not is_user(user) or user in self.missing:
                return refusal("user_not_found")
        if method == "conversations.open":
            users = [u for u in str(args.get("users", "")).split(",") if u]
            if not users or not all(is_user(u) and u not in self.missing for u in users):
                return refusal("user_not_found")
        return None

    def _message_problems(self, method: str, args: dict[str, Any]) -> dict[str, Any] | None:
        blocks = args.get("blocks")
        if isinstance(blocks, str):
            try:
                blocks = json.loads(blocks)
            except ValueError:
                return refusal("invalid_blocks_format")
        text = str(args.get("text") or "")
        deleting = method == "response_url" and args.get("delete_original")
        if not text and not blocks and not args.get("attachments") and not deleting:
            return refusal("no_text")
        limit = MAX_UPDATE_TEXT if method == "chat.update" else MAX_MESSAGE_TEXT
        if len(text) > limit:
            return refusal(
                "msg_too_long", [f"must be less than {limit + 1} characters [json-pointer:/text]"]
            )
        if blocks:
            if not isinstance(blocks, list):
                return refusal("invalid_blocks_format")
            problems = problems_in_blocks(blocks, "message")
            if problems:
                return refusal("invalid_blocks", problems)
        return None

    def _placement(self, method: str, args: dict[str, Any]) -> dict[str, Any] | None:
        """Refuse a message into a channel the bot (or, for an ephemeral, the user) is not in."""
        channel = str(args.get("channel") or "")
        if method == "chat.update":
            return None  # the message is already there
        refused = self._bot_can_post(channel)
        if refused is not None:
            return refused
        if method == "chat.postEphemeral":
            found = self.channels.get(channel)
            user = str(args.get("user") or "")
            if not is_user(user):
                return refusal("user_not_found")
            if found is not None and not found.has(user):
                return refusal("user_not_in_channel")
        return None

    def _bot_can_post(self, channel: str) -> dict[str, Any] | None:
        if channel in self.missing or (channel.startswith("D") and channel[1:] in self.missing):
            return refusal("channel_not_found")
        found = self.channels.get(channel)
        if found is None or found.bot_member:
            return None
        return refusal("channel_not_found" if found.private else "not_in_channel")

    def _answer_for(self, method: str, args: dict[str, Any], grant: Grant | None) -> dict[str, Any]:
        """`_answer`, as the workspace of a token the stand-in issued (OAuth)."""
        if method in FUNCTION_METHODS:
            return self._complete(method, args, grant)
        if grant is not None and method == "auth.test":
            workspace = self.oauth.team_of(grant)
            return {
                "ok": True,
                "url": "https://fake.slack/",
                "team": workspace.name if workspace else grant.enterprise_id,
                "user": "icrm",
                "team_id": grant.team_id,
                "enterprise_id": grant.enterprise_id,
                "is_enterprise_install": grant.org_install,
                "user_id": self.oauth.bot_user_id(grant),
                "bot_id": f"B{self.oauth.bot_user_id(grant)}",
            }
        answer = self._answer(method, args)
        message = answer.get("message")
        if grant is not None and method == "chat.postMessage" and isinstance(message, dict):
            message["team"] = grant.team_id or grant.enterprise_id  # whose bot posted it
        return answer

    def _complete(self, method: str, args: dict[str, Any], grant: Grant | None) -> dict[str, Any]:
        """`functions.completeSuccess` / `completeError`: once per execution, with outputs
        that fit the function's output parameters; another workspace's execution is not
        found."""
        found = self.executions.get(str(args.get("function_execution_id") or ""))
        if found is None or (grant is not None and grant.team_id not in (None, found.team_id)):
            return refusal("function_execution_not_found")
        if found.state != "running":
            return refusal("execution_not_in_running_state")
        if method == "functions.completeError":
            error = args.get("error")
            if not isinstance(error, str) or not error.strip():
                return refusal("invalid_arguments", ["missing required field: error"])
            found.state, found.error = "failed", error
            return {"ok": True}
        outputs = args.get("outputs")
        if isinstance(outputs, str):
            try:
                outputs = json.loads(outputs)
            except ValueError:
                return refusal("invalid_arguments", ["outputs must be JSON"])
        problems = output_problems(found.output_parameters, outputs)
        if problems or not isinstance(outputs, dict):
            return refusal("parameter_validation_failed", problems)
        found.state, found.outputs = "completed", dict(outputs)
        return {"ok": True}

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel")
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://fake.slack/",
                "team": "Test",
                "user": "icrm",
                "team_id": self.team_id,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
            }
        if method in (
            "chat.postMessage",
            "chat.update",
            "chat.postEphemeral",
            "chat.scheduleMessage",
        ):
            if method == "chat.postMessage":
                channel = self._dm(str(channel))
            ts = args.get("ts") or f"{1700000000 + next(self._ts)}.000100"
            message = {**args, "channel": channel, "ts": ts, "user": BOT_USER_ID, "bot_id": BOT_ID}
            if method == "chat.postMessage":
                self.messages.setdefault(str(channel), []).append(message)
            if method == "chat.postEphemeral":
                return {"ok": True, "message_ts": ts}
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "chat.getPermalink":
            ts = str(args.get("message_ts", "")).replace(".", "")
            return {
                "ok": True,
                "channel": channel,
                "permalink": f"https://fake.slack/archives/{channel}/p{ts}",
            }
        if method == "conversations.join":
            found = self.channels.get(str(channel))
            if found is not None:
                found.bot_member = True
            return {"ok": True, "channel": {"id": channel}}
        if method == "conversations.open":
            users = str(args.get("users", ""))
            return {"ok": True, "channel": {"id": "D" + users.split(",")[0]}}
        if method == "conversations.history":
            posted = list(reversed(self.messages.get(str(channel), [])))
            if str(args.get("include_all_metadata")).lower() not in ("true", "1"):
                posted = [{k: v for k, v in m.items() if k != "metadata"} for m in posted]
            return {
                "ok": True,
                "messages": posted[: int(args.get("limit", 100))],
                "has_more": False,
            }
        if method == "conversations.info":
            found = self.channels.get(str(channel)) or Channel(str(channel))
            return {
                "ok": True,
                "channel": {
                    "id": channel,
                    "name": f"chan-{channel}",
                    "is_member": found.bot_member,
                    "is_private": found.private,
                },
            }
        if method in ("views.open", "views.push", "views.update", "views.publish"):
            view = args.get("view")
            if isinstance(view, str):
                view = json.loads(view)
            return {"ok": True, "view": {**(view or {}), "id": f"V{next(self._ids)}"}}
        if method == "users.info":
            user = args.get("user")
            return {
                "ok": True,
                "user": self.users.get(
                    str(user),
                    {
                        "id": user,
                        "name": str(user).lower(),
                        "tz": "Asia/Shanghai",
                        "locale": "zh-CN",
                        "real_name": str(user),
                    },
                ),
            }
        if method == "files.info":
            uploaded = self.files.get(str(args.get("file")))
            if uploaded is None:
                return {"ok": False, "error": "file_not_found"}
            return {"ok": True, "file": dict(uploaded[0])}
        if method == "users.lookupByEmail":
            email = str(args.get("email", "")).lower()
            for user in self.users.values():
                if str(user.get("profile", {}).get("email", "")).lower() == email:
                    return {"ok": True, "user": user}
            return {"ok": False, "error": "users_not_found"}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ids)}"
            return {
                "ok": True,
                "upload_url": f"{self.base_url}/upload/{file_id}",
                "file_id": file_id,
            }
        if method == "files.completeUploadExternal":
            files = args.get("files")
            if isinstance(files, str):
                files = json.loads(files)
            return {
                "ok": True,
                "files": [{"id": f["id"], "title": f.get("title")} for f in files or []],
            }
        return {"ok": True}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeSlack
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        path = urllib.parse.urlparse(self.path).path
        headers = {k.lower(): v for k, v in self.headers.items()}
        if path.startswith("/files-pri/") and self.command == "GET":
            status, content, content_type = self.fake._serve_file(path, headers)
            return self._send(status, {}, content, content_type)
        if path.startswith("/upload/"):
            with self.fake._lock:
                self.fake.uploads[path.rsplit("/", 1)[1]] = raw
                call = Call(
                    "upload", {"file_id": path.rsplit("/", 1)[1], "size": len(raw)}, headers
                )
                self.fake.calls.append(call)
                self.fake._observe(call, {"ok": True})
                self.fake._lock.notify_all()
            return self._send(200, {}, b"OK - " + str(len(raw)).encode(), "text/plain")
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(self.path).query))
        if path == "/oauth/v2/authorize":
            with self.fake._lock:
                status, extra, content = self.fake.oauth.authorize(query)
            return self._send(status, extra, content, "text/plain")
        if not path.startswith(("/api/", "/response/")):
            page = (
                self.fake.site(self.command, path, query, raw, headers) if self.fake.site else None
            )
            if page is None:
                return self._send(404, {}, b"not found", "text/plain")
            status, extra, content, content_type = page
            return self._send(status, extra, content, content_type)
        args = _parse_body(raw, headers.get("content-type", ""))
        if path.startswith("/response/"):
            status, answer = self.fake.post_to_response_url(path, args, headers)
            if answer["ok"]:
                return self._send(200, {}, b"ok", "text/plain")
            return self._send(
                status, {}, json.dumps(answer).encode(), "application/json; charset=utf-8"
            )
        status, extra, body = self.fake.handle(path[len("/api/") :], {**query, **args}, headers)
        self._send(status, extra, json.dumps(body).encode(), "application/json; charset=utf-8")

    do_GET = do_POST

    def _send(self, status: int, headers: dict[str, str], body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


def _parse_body(raw: bytes, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        return dict(json.loads(raw))
    if "multipart" in content_type:
        return {}
    parsed = dict(urllib.parse.parse_qsl(raw.decode()))
    for key in ("blocks", "view", "attachments", "metadata", "files"):
        if isinstance(parsed.get(key), str):
            with contextlib.suppress(ValueError):
                parsed[key] = json.loads(parsed[key])
    return parsed
