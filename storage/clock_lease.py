"""The clock's lease row and advisory lock (see `jobs/lock.py`, which decides when to
take, renew and release them): the queries, on their own connection or session."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, CursorResult, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import ClockLease


def take_lease(
    session_factory: sessionmaker[Session],
    name: str,
    holder: str,
    *,
    now: dt.datetime,
    ttl: dt.timedelta,
) -> bool:
    """Make `holder` the holder of lease `name` until `now + ttl` if it holds it already or
    the lease expired (or does not exist yet); True if it holds it now."""
    with session_factory() as session:
        result = session.execute(
            update(ClockLease)
            .where(
                ClockLease.name == name,
                (ClockLease.holder == holder) | (ClockLease.expires_at <= now),
            )
            .values(holder=holder, expires_at=now + ttl, renewed_at=now)
        )
        assert isinstance(result, CursorResult)
        if result.rowcount == 1:
            session.commit()
            return True
        if session.get(ClockLease, name) is not None:
            return False
        session.add(ClockLease(name=name, holder=holder, expires_at=now + ttl, renewed_at=now))
        try:
            session.commit()
        except IntegrityError:
            return False
        return True


def expire_lease(
    session_factory: sessionmaker[Session], name: str, holder: str, *, now: dt.datetime
) -> None:
    """Let lease `name` go at once if `holder` holds it."""
    with session_factory() as session:
        session.execute(
            update(ClockLease)
            .where(ClockLease.name == name, ClockLease.holder == holder)
            .values(expires_at=now - dt.timedelta(seconds=1))
        )
        session.commit()


def try_advisory_lock(connection: Connection, key: int) -> bool:
    """`pg_try_advisory_lock(key)` on `connection` (held as long as it stays open)."""
    got = bool(connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
    connection.commit()
    return got


def ping(connection: Connection) -> None:
    """Raise if `connection` is gone."""
    connection.execute(text("SELECT 1"))
    connection.commit()


def advisory_unlock(connection: Connection, key: int) -> None:
    connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
    connection.commit()
