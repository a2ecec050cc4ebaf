"""Payloads too long to travel in a button or a view, kept server-side (`handlers.payloads`
packs and unpacks them)."""

from __future__ import annotations

import datetime as dt
import secrets

from storage.uow import UnitOfWork


def keep(uow: UnitOfWork, body: str, *, now: dt.datetime, ttl: dt.timedelta) -> str:
    """Keep `body` until `now + ttl` under a new random id (pruning the expired ones) and
    commit; the id."""
    payload_id = secrets.token_urlsafe(16)
    uow.payloads.prune(now=now)
    uow.payloads.put(payload_id, body, now=now, ttl=ttl)
    uow.commit()
    return payload_id
