"""Slack Web API clients: one factory, so every process honours `SLACK_API_URL`."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.settings import Settings


def retry_handlers() -> list[object]:
    """Retry on 429 (waiting `Retry-After`), 5xx and dropped connections."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=5),
        ServerErrorRetryHandler(max_retry_count=3),
        ConnectionErrorRetryHandler(max_retry_count=3),
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
