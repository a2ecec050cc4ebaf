"""Slack events handled once, and modal submissions saved once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, update

from storage.models import ClaimedView, ProcessedEvent
from storage.repositories.base import Repository


class EventRepository(Repository):
    def add_claim(self, event_id: str, team_id: str, received_at: dt.datetime) -> None:
        """Stage the claim of an event (the primary key refuses a second one at commit)."""
        self.session.add(
            ProcessedEvent(event_id=event_id, team_id=team_id, received_at=received_at)
        )

    def take_over_stale(self, event_id: str, *, now: dt.datetime, older_than: dt.datetime) -> bool:
        """Re-claim an unfinished claim received before `older_than`; True when one was."""
        taken = self._changed(
            update(ProcessedEvent)
            .where(
                ProcessedEvent.event_id == event_id,
                ProcessedEvent.finished_at.is_(None),
                ProcessedEvent.received_at < older_than,
            )
            .values(received_at=now)
        )
        return taken > 0

    def mark_finished(self, event_id: str, at: dt.datetime) -> None:
        self.session.execute(
            update(ProcessedEvent).where(ProcessedEvent.event_id == event_id).values(finished_at=at)
        )

    def forget(self, event_id: str) -> None:
        self.session.execute(delete(ProcessedEvent).where(ProcessedEvent.event_id == event_id))

    def view_claimed(self, team_id: str, view_id: str, view_hash: str) -> bool:
        """True when this submitted view (id and hash) was saved before."""
        return self.session.get(ClaimedView, (team_id, view_id, view_hash)) is not None
