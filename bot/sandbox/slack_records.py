"""What the Slack stand-in (`bot.sandbox.slack_api`) keeps and answers with: its limits,
recorded calls, channels, custom-step executions, injected failures and rate buckets."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

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


def decoded(value: Any) -> tuple[Any, bool]:
    """An argument Slack takes as an object or as its JSON string: (the object, True), or
    (None, False) when the string is not JSON."""
    if not isinstance(value, str):
        return value, True
    try:
        return json.loads(value), True
    except ValueError:
        return None, False


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
