"""Durable de-duplication of Slack events (each event id is handled once) and of modal
submissions (each submitted view is saved once)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from sqlalchemy import CursorResult, delete, update
from sqlalchemy.exc import IntegrityError

from storage.models import ClaimedView, ProcessedEvent
from storage.uow import UnitOfWork

# Slack retries an unacknowledged event after about 1 and 5 minutes. A claim older than
# this that never finished belongs to a process that died: the retry may take it over.
STALE_CLAIM: Final = dt.timedelta(seconds=50)


def claim(uow: UnitOfWork, *, event_id: str, team_id: str, now: dt.datetime) -> bool:
    """True when this caller should handle the event; False for a duplicate."""
    uow.session.add(ProcessedEvent(event_id=event_id, team_id=team_id, received_at=now))
    try:
        uow.commit()
        return True
    except IntegrityError:
        uow.rollback()
    taken: CursorResult[Any] = uow.session.execute(  # type: ignore[assignment]
        update(ProcessedEvent)
        .where(
            ProcessedEvent.event_id == event_id,
            ProcessedEvent.finished_at.is_(None),
            ProcessedEvent.received_at < now - STALE_CLAIM,
        )
        .values(received_at=now)
    )
    uow.commit()
    return bool(taken.rowcount)


def finish(uow: UnitOfWork, *, event_id: str, now: dt.datetime) -> None:
    """Mark the event handled: later retries are dropped for good."""
    uow.session.execute(
        update(ProcessedEvent).where(ProcessedEvent.event_id == event_id).values(finished_at=now)
    )
    uow.commit()


def release(uow: UnitOfWork, *, event_id: str) -> None:
    """Handling failed: forget the claim so Slack's retry is processed."""
    uow.session.execute(delete(ProcessedEvent).where(ProcessedEvent.event_id == event_id))
    uow.commit()


def view_claimed(uow: UnitOfWork, *, team_id: str, view_id: str, view_hash: str) -> bool:
    """True when this submitted view (id and hash) was saved before: its records exist."""
    found = uow.session.get(ClaimedView, (team_id, view_id, view_hash))
    return found is not None
