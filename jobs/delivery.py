"""Slack delivery for jobs: paced per channel and per workspace, tagged with metadata.

slack_sdk's retry handlers (bot/slack.py) already retry a 429 after `Retry-After`; pacing
keeps us from earning those 429s in the first place, so a fan-out to hundreds of channels
runs at the speed Slack allows and no faster. Pacing is GCRA (a token bucket reserved in
advance): each send reserves the earliest slot that both its channel's bucket and the
workspace's bucket allow, then sleeps until it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger("icrm.clock")

METADATA_EVENT = "icrm_job_message"

# A post that failed with a 5xx or a dropped connection is looked up in the channel by its
# metadata key, and sent again only if it is not there, this many tries in all.
IN_DOUBT_TRIES = 3


# Slots are spaced this much wider than the limit: requests reach Slack with some jitter,
# and one that lands a hair early costs a 429 and a whole second of `Retry-After`.
MARGIN = 0.03

# A post in doubt is looked for in the channel's history from this long before its send began.
LOOK_BACK = dt.timedelta(minutes=10)


def oldest_for(started: dt.datetime) -> float:
    """Where the history lookup of a post whose send began at `started` starts (epoch s)."""
    return (started - LOOK_BACK).timestamp()


def as_dicts(blocks: list[Any]) -> list[dict[str, Any]]:
    """Blocks as JSON (a renderer may return slack_sdk `Block` objects)."""
    return [b.to_dict() if hasattr(b, "to_dict") else b for b in blocks]


class _Bucket:
    def __init__(self, rate: float, burst: int) -> None:
        self.interval = (1.0 + MARGIN) / rate
        self.tolerance = (max(burst, 1) - 1) * self.interval
        self.tat = 0.0  # theoretical arrival time of the next conforming request

    def earliest(self, now: float) -> float:
        return max(now, self.tat - self.tolerance)

    def take(self, at: float) -> None:
        self.tat = max(self.tat, at) + self.interval


class Pacer:
    """At most `channel_rate` messages a second to one channel (after a burst of
    `channel_burst`), and `workspace_rate` a second overall (burst `workspace_burst`)."""

    def __init__(
        self,
        *,
        channel_rate: float = 1.0,
        channel_burst: int = 3,
        workspace_rate: float = 10.0,
        workspace_burst: int = 10,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._rates = ((channel_rate, workspace_rate), (channel_burst, workspace_burst))
        self._channel = (channel_rate, channel_burst)
        self._workspace = _Bucket(workspace_rate, workspace_burst)
        self._channels: dict[str, _Bucket] = {}
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def sibling(self) -> Pacer:
        """A pacer with the same limits and buckets of its own (another workspace's)."""
        rates, bursts = self._rates
        return Pacer(
            channel_rate=rates[0],
            channel_burst=bursts[0],
            workspace_rate=rates[1],
            workspace_burst=bursts[1],
            clock=self._clock,
            sleep=self._sleep,
        )

    def wait(self, channel: str) -> None:
        """Block until a message to `channel` may be sent, and count it as sent."""
        with self._lock:
            now = self._clock()
            bucket = self._channels.get(channel)
            if bucket is None:
                bucket = self._channels[channel] = _Bucket(*self._channel)
            at = max(bucket.earliest(now), self._workspace.earliest(now))
            bucket.take(at)
            self._workspace.take(at)
        delay = at - self._clock()
        if delay > 0:
            self._sleep(delay)


@dataclass(frozen=True)
class Posted:
    channel_id: str
    ts: str


class Delivery:
    """Posts job messages through one Web API client and a shared `Pacer`."""

    def __init__(self, client: WebClient, pacer: Pacer) -> None:
        self.client = client
        self.pacer = pacer

    def post(self, recipient: str, key: str, text: str, blocks: list[Any]) -> Posted:
        """Post to a channel (or a user's DM), tagged with `key` as message metadata.

        Joins a public channel the bot is not in and tries once more.
        """
        metadata = {"event_type": METADATA_EVENT, "event_payload": {"key": key}}
        for attempt in range(2):
            self.pacer.wait(recipient)
            try:
                response = self.client.chat_postMessage(
                    channel=recipient, text=text, blocks=blocks, metadata=metadata
                )
                return Posted(str(response["channel"]), str(response["ts"]))
            except SlackApiError as error:
                if error.response.get("error") != "not_in_channel" or attempt:
                    raise
                self.client.conversations_join(channel=recipient)
        raise AssertionError("unreachable")

    def post_once(
        self, recipient: str, key: str, text: str, blocks: list[Any], *, oldest: float
    ) -> Posted:
        """`post`, and after a 5xx or a dropped connection (it may have been posted: slack_sdk
        does not retry posts, bot/slack.py) look the message up by `key` (since `oldest`) and
        send again only if it is not there, `IN_DOUBT_TRIES` tries in all. Raises a
        refusal (`permanent`), and the last doubt."""
        for attempt in range(IN_DOUBT_TRIES):
            try:
                return self.post(recipient, key, text, blocks)
            except SlackApiError as error:
                if permanent(error) or not in_doubt(error) or attempt == IN_DOUBT_TRIES - 1:
                    raise
                reason = f"HTTP {error.response.status_code}"
            except (URLError, OSError) as error:  # the connection dropped mid-request
                if attempt == IN_DOUBT_TRIES - 1:
                    raise
                reason = type(error).__name__
            found = self.lookup(recipient, key, oldest=oldest)
            if found is not None:
                log.info("%s: posted despite %s; not sent again", key, reason)
                return found
            log.info("%s: %s and not in the channel; sending again", key, reason)
        raise AssertionError("unreachable")

    def lookup(self, recipient: str, key: str, *, oldest: float) -> Posted | None:
        """`find`, answering None (send again) when Slack will not let us look."""
        try:
            return self.find(recipient, key, oldest=oldest)
        except SlackApiError as error:
            log.warning(
                "cannot check %s for message %s (%s); sending it again",
                recipient,
                key,
                error.response.get("error"),
            )
            return None

    def find(self, recipient: str, key: str, *, oldest: float) -> Posted | None:
        """The message tagged `key` posted to `recipient` since `oldest` (epoch seconds).

        Reading a DM's history needs the `im:history` scope; without it (or any other
        refusal) this answers None and the caller sends again.
        """
        channel = recipient
        if recipient.startswith(("U", "W")):
            opened = self.client.conversations_open(users=recipient)
            channel = str(opened["channel"]["id"])
        cursor = None
        while True:
            page = self.client.conversations_history(
                channel=channel,
                oldest=f"{oldest:.6f}",
                include_all_metadata=True,
                limit=200,
                cursor=cursor,
            )
            for message in page.get("messages") or []:
                meta = message.get("metadata") or {}
                payload = meta.get("event_payload") or {}
                if meta.get("event_type") == METADATA_EVENT and payload.get("key") == key:
                    return Posted(channel, str(message["ts"]))
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not page.get("has_more") or not cursor:
                return None


def in_doubt(error: SlackApiError) -> bool:
    """A server error on a post: it may or may not have been posted."""
    status = getattr(error.response, "status_code", None)
    return isinstance(status, int) and status >= 500


def permanent(error: SlackApiError) -> bool:
    """Slack refused for a reason a retry will not fix (the channel or user is gone…)."""
    return error.response.get("error") in {
        "channel_not_found",
        "is_archived",
        "not_in_channel",
        "user_not_found",
        "cannot_dm_bot",
        "account_inactive",
        "restricted_action",
        "invalid_blocks",
        "msg_too_long",
    }
