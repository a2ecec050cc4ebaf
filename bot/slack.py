"""Slack Web API clients: one factory, so every process honours `SLACK_API_URL`."""

from __future__ import annotations

from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest

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


def retry_handlers() -> list[object]:
    """Retry on 429 (waiting `Retry-After`: nothing was done), and on 5xx and dropped
    connections for every method that does not post."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=5),
        _ServerErrors(max_retry_count=3),
        _ConnectionErrors(max_retry_count=3),
    ]


def make_web_client(settings: Settings, token: str | None = None) -> WebClient:
    client = WebClient(
        token=token if token is not None else settings.secret("slack_bot_token") or None,
        base_url=settings.slack_api_url,
        timeout=15,
    )
    for handler in retry_handlers():
        client.retry_handlers.append(handler)  # type: ignore[arg-type]
    return client
