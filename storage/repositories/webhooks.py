"""The outgoing-webhook outbox: rows due for delivery, and their results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select, update

from storage.models import WebhookOutbox
from storage.repositories.base import Repository


class WebhookRepository(Repository):
    def due(self, now: dt.datetime, limit: int) -> Sequence[WebhookOutbox]:
        """Undelivered rows due by `now`, oldest first; on PostgreSQL locked for this
        transaction, skipping rows another process holds."""
        query = (
            select(WebhookOutbox)
            .where(WebhookOutbox.delivered_at.is_(None), WebhookOutbox.next_attempt_at <= now)
            .order_by(WebhookOutbox.id)
            .limit(limit)
        )
        if self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return self.session.scalars(query).all()

    def get(self, row_id: int) -> WebhookOutbox | None:
        return self.session.get(WebhookOutbox, row_id)

    def make_all_due(self, now: dt.datetime) -> None:
        """Every undelivered row becomes due at `now`."""
        self.session.execute(
            update(WebhookOutbox)
            .where(WebhookOutbox.delivered_at.is_(None))
            .values(next_attempt_at=now)
        )
