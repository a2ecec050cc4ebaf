"""Runs webhook delivery on the clock (every few seconds) when ICRM_WEBHOOK_URL is set."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from bot.deps import Deps
from bot.services.webhooks import deliver_due

INTERVAL_SECONDS = 5


def webhook_round(deps: Deps) -> Callable[[], None] | None:
    """A function delivering what is due, or None when no webhook is configured."""
    url = deps.settings.icrm_webhook_url
    if not url:
        return None
    client = httpx.Client(timeout=httpx.Timeout(10.0, connect=5.0))
    secret = deps.settings.secret("icrm_webhook_secret")

    def run() -> None:
        deliver_due(deps.uow, client=client, url=url, secret=secret, now=deps.now)

    return run
