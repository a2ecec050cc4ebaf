"""Durable de-duplication of Slack events (each event id is handled once) and of modal
submissions (each submitted view is saved once)."""

from __future__ import annotations

import datetime as dt
from typing import Final

from sqlalchemy.exc import IntegrityError

from storage.uow import UnitOfWork

# Slack retries an unacknowledged event after about 1 and 5 minutes. A claim older than
# this that never finished belongs to a process that died: the retry may take it over.
STALE_CLAIM: Final = dt.timedelta(seconds=50)


def claim(uow: UnitOfWork, *, event_id: str, team_id: str, now: dt.datetime) -> bool:
    """True when this caller should handle the event; False for a duplicate."""
    uow.events.add_claim(event_id, team_id, now)
    try:
        uow.commit()
        return True
    except IntegrityError:
        uow.rollback()
    taken = uow.events.take_over_stale(event_id, now=now, older_than=now - STALE_CLAIM)
    uow.commit()
    return taken


def finish(uow: UnitOfWork, *, event_id: str, now: dt.datetime) -> None:
    """Mark the event handled: later retries are dropped for good."""
    uow.events.mark_finished(event_id, now)
    uow.commit()


def release(uow: UnitOfWork, *, event_id: str) -> None:
    """Handling failed: forget the claim so Slack's retry is processed."""
    uow.events.forget(event_id)
    uow.commit()


def view_claimed(uow: UnitOfWork, *, team_id: str, view_id: str, view_hash: str) -> bool:
    """True when this submitted view (id and hash) was saved before: its records exist."""
    return uow.events.view_claimed(team_id, view_id, view_hash)
