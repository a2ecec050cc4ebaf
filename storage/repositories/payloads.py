"""Payloads kept server-side for buttons and views (see `handlers.payloads`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete

from storage.models import Payload
from storage.repositories.base import Repository


class PayloadRepository(Repository):
    def put(self, payload_id: str, body: str, *, now: dt.datetime, ttl: dt.timedelta) -> None:
        self.session.add(Payload(id=payload_id, body=body, created_at=now, expires_at=now + ttl))

    def get(self, payload_id: str, *, now: dt.datetime) -> str | None:
        """The body kept under `payload_id`, or None if there is none or it expired."""
        found = self.session.get(Payload, payload_id)
        if found is None or found.expires_at <= now:
            return None
        return found.body

    def prune(self, *, now: dt.datetime) -> int:
        """Delete expired payloads; returns how many."""
        return self._changed(delete(Payload).where(Payload.expires_at <= now))
