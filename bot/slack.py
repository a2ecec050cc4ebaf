"""Slack Web API clients: one factory, so every process honours `SLACK_API_URL`."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler, RetryState
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse

from bot.settings import Settings

# Methods that post something: a 5xx or a dropped connection after the request was sent
# does not mean nothing was posted, so retrying blindly can post twice. They are not
# retried here; a job's post checks the channel for its metadata key first
# (`jobs/runner.py`), and a handler's post is at most once (the error is reported).
POSTS = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.scheduleMessage",
        "chat.meMessage",
        "files.completeUploadExternal",
    }
)


def _method(request: HttpRequest) -> str:
    return request.url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]


class _ServerErrors(ServerErrorRetryHandler):
    """Retries a 5xx, except for a post (it may have been posted)."""

    def _can_retry(self, *, request: HttpRequest, **kwargs: Any) -> bool:
        return _method(request) not in POSTS and super()._can_retry(request=request, **kwargs)


class _ConnectionErrors(ConnectionErrorRetryHandler):
    """Retries a dropped connection; a post only when the connection was refused (the
    request never left)."""

    def _can_retry(self, *, request: HttpRequest, **kwargs: Any) -> bool:
        if not super()._can_retry(request=request, **kwargs):
            return False
        if _method(request) not in POSTS:
            return True
        error = kwargs.get("error")
        return isinstance(error, URLError) and isinstance(error.reason, ConnectionRefusedError)


class _Waits(RetryHandler):
    """One of slack_sdk's handlers, waiting through `sleep` instead of `time.sleep` (tests pass
    one that records the waits, so a retried 429 does not cost them the real `Retry-After`)."""

    def __init__(self, handler: RetryHandler, sleep: Callable[[float], None]) -> None:
        super().__init__(handler.max_retry_count, handler.interval_calculator)
        self._handler = handler
        self._sleep = sleep

    def _can_retry(self, **kwargs: Any) -> bool:
        return self._handler._can_retry(**kwargs)

    def prepare_for_next_attempt(
        self, *, state: RetryState, response: HttpResponse | None = None, **_: Any
    ) -> None:
        state.next_attempt_requested = True
        self._sleep(self._wait(state, response))
        state.increment_current_attempt()

    def _wait(self, state: RetryState, response: HttpResponse | None) -> float:
        if response is not None and response.status_code == 429:  # as slack_sdk waits
            after = {k.lower(): v for k, v in response.headers.items()}.get("retry-after")
            return (int(after[0]) if after else 1) + random.random()
        return self.interval_calculator.calculate_sleep_duration(state.current_attempt)


def retry_handlers(sleep: Callable[[float], None] = time.sleep) -> list[RetryHandler]:
    """Retry on 429 (waiting `Retry-After`: nothing was done), and on 5xx and dropped
    connections for every method that does not post; every wait goes through `sleep`."""
    return [
        _Waits(RateLimitErrorRetryHandler(max_retry_count=5), sleep),
        _Waits(_ServerErrors(max_retry_count=3), sleep),
        _Waits(_ConnectionErrors(max_retry_count=3), sleep),
    ]


def make_web_client(
    settings: Settings, token: str | None = None, *, sleep: Callable[[float], None] = time.sleep
) -> WebClient:
    client = WebClient(
        token=token if token is not None else settings.secret("slack_bot_token") or None,
        base_url=settings.slack_api_url,
        timeout=15,
    )
    client.retry_handlers.extend(retry_handlers(sleep))
    return client
