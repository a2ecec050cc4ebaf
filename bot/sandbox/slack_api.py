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

import itertools
import math
import threading
import time
from http.server import ThreadingHTTPServer
from typing import Any

from bot.sandbox.oauth import Grant, OAuthServer, token_of
from bot.sandbox.slack_checks import message_problems, other_workspace, refused
from bot.sandbox.slack_http import Handler
from bot.sandbox.slack_methods import answer, answer_for
from bot.sandbox.slack_records import (
    BOT_ID,
    BOT_USER_ID,
    MALFORMED,
    METHOD_TIER,
    RESPONSE_URL_LIFETIME,
    RESPONSE_URL_POSTS,
    TEAM_ID,
    TIERS,
    Call,
    Channel,
    Execution,
    Failure,
    Gcra,
    Observer,
    RateLimits,
    Site,
    refusal,
)

# Re-exported: the tests and the sandbox import these from here.
__all__ = ["BOT_ID", "BOT_USER_ID", "METHOD_TIER", "TEAM_ID", "TIERS", "Call", "Failure"]
__all__ += ["FakeSlack", "Gcra", "RateLimits"]


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
        handler = type("Handler", (Handler,), {"fake": self})
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
                problems = message_problems(self, "response_url", args)
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
                    other_workspace(self, grant, method, args)
                    or refused(self, method, args)
                    or answer_for(self, method, args, grant if isinstance(grant, Grant) else None)
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

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        """What Slack answers to a call it carries out (`slack_methods.answer`)."""
        return answer(self, method, args)
