"""Delivery of outbound webhooks from the transactional outbox (`webhook_outbox`).

Each event is POSTed as JSON to `ICRM_WEBHOOK_URL` with headers
`X-ICRM-Event-Id`, `X-ICRM-Timestamp` and `X-ICRM-Signature: v1=<hex HMAC-SHA256 of
"<timestamp>.<body>" with ICRM_WEBHOOK_SECRET>`. A 2xx answer marks it delivered; anything
else (error status, timeout, refused connection) is retried with exponential backoff, for
ever, so nothing is lost while the receiver is down. Delivery is at-least-once: a receiver
that must not double-count dedupes on the event id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import httpx

from storage.uow import UnitOfWork

log = logging.getLogger("icrm.webhooks")

CLAIM: Final = dt.timedelta(seconds=60)  # a claimed row is not retried by others meanwhile
MAX_BACKOFF: Final = dt.timedelta(hours=1)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "v1=" + digest.hexdigest()


def backoff(attempts: int) -> dt.timedelta:
    """10 s, 20 s, 40 s … capped at an hour."""
    return min(dt.timedelta(seconds=10 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


@dataclass(frozen=True)
class Round:
    delivered: int
    failed: int


def _claim(uow: UnitOfWork, now: dt.datetime, batch: int) -> list[tuple[int, bytes, str]]:
    rows = uow.webhooks.due(now, batch)
    claimed = []
    for row in rows:
        row.next_attempt_at = now + CLAIM
        body = json.dumps(row.payload, ensure_ascii=False, separators=(",", ":")).encode()
        claimed.append((row.id, body, row.event_id))
    uow.commit()
    return claimed


def deliver_due(
    uow: Callable[[], UnitOfWork],
    *,
    client: httpx.Client,
    url: str,
    secret: str,
    now: Callable[[], dt.datetime],
    batch: int = 50,
) -> Round:
    """Send the events that are due; record each result. Safe to run from several processes."""
    with uow() as work:
        claimed = _claim(work, now(), batch)
    delivered = failed = 0
    for row_id, body, event_id in claimed:
        timestamp = str(int(now().timestamp()))
        error: str | None = None
        try:
            response = client.post(
                url,
                content=body,
                headers={
                    "Content-Type": "application/json; charset=utf-8",
                    "X-ICRM-Event-Id": event_id,
                    "X-ICRM-Timestamp": timestamp,
                    "X-ICRM-Signature": sign(secret, timestamp, body),
                },
            )
            if not 200 <= response.status_code < 300:
                error = f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        with uow() as work:
            row = work.webhooks.get(row_id)
            assert row is not None
            row.attempts += 1
            if error is None:
                row.delivered_at = now()
                delivered += 1
            else:
                row.last_error = error
                row.next_attempt_at = now() + backoff(row.attempts)
                failed += 1
                log.warning("webhook %s failed (attempt %d): %s", event_id, row.attempts, error)
            work.commit()
    return Round(delivered, failed)


def release_claims(uow: UnitOfWork, now: dt.datetime) -> None:
    """Make every undelivered row due now (used after a restart to retry at once)."""
    uow.webhooks.make_all_due(now)
    uow.commit()
