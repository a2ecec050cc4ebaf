"""One active clock: a PostgreSQL advisory lock, or a lease row elsewhere (SQLite).

A second clock polls `acquire()` and takes over when the first one dies: the advisory
lock is released by PostgreSQL when the holder's connection drops; the lease expires when
its holder stops renewing it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Protocol

from sqlalchemy import Connection, CursorResult, Engine, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import ClockLease

log = logging.getLogger("icrm.clock")

# pg_try_advisory_lock key: "ICRM" + 1, so it does not clash with other apps' locks.
ADVISORY_KEY = 0x4943524D01
LEASE_NAME = "clock"


class ClockLock(Protocol):
    def acquire(self) -> bool:
        """Take the lock if it is free (never blocks); True while we hold it."""

    def renew(self) -> bool:
        """Keep holding it; False if it was lost."""

    def release(self) -> None: ...


class AdvisoryLock:
    """`pg_try_advisory_lock` on a dedicated connection, held as long as it is open."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None

    def acquire(self) -> bool:
        if self._connection is not None:
            return self.renew()
        connection = self.engine.connect()
        try:
            got = bool(
                connection.execute(
                    text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}
                ).scalar()
            )
            connection.commit()
        except Exception:
            connection.close()
            raise
        if got:
            self._connection = connection
        else:
            connection.close()
        return got

    def renew(self) -> bool:
        if self._connection is None:
            return False
        try:
            self._connection.execute(text("SELECT 1"))
            self._connection.commit()
            return True
        except Exception:
            log.warning("lost the clock's database connection, and with it the lock")
            self._drop()
            return False

    def release(self) -> None:
        if self._connection is None:
            return
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
            self._connection.commit()
        finally:
            self._drop()

    def _drop(self) -> None:
        if self._connection is not None:
            try:
                self._connection.invalidate()
                self._connection.close()
            except Exception:
                pass
            self._connection = None


class LeaseLock:
    """A row in `clock_leases` that its holder renews; anyone may take it once expired."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        holder: str,
        *,
        now: Callable[[], dt.datetime],
        ttl: dt.timedelta = dt.timedelta(seconds=30),
    ) -> None:
        self.session_factory = session_factory
        self.holder = holder
        self.now = now
        self.ttl = ttl

    def acquire(self) -> bool:
        now = self.now()
        with self.session_factory() as session:
            result = session.execute(
                update(ClockLease)
                .where(
                    ClockLease.name == LEASE_NAME,
                    (ClockLease.holder == self.holder) | (ClockLease.expires_at <= now),
                )
                .values(holder=self.holder, expires_at=now + self.ttl, renewed_at=now)
            )
            assert isinstance(result, CursorResult)
            if result.rowcount == 1:
                session.commit()
                return True
            if session.get(ClockLease, LEASE_NAME) is not None:
                return False
            session.add(
                ClockLease(
                    name=LEASE_NAME, holder=self.holder, expires_at=now + self.ttl, renewed_at=now
                )
            )
            try:
                session.commit()
            except IntegrityError:
                return False
            return True

    def renew(self) -> bool:
        return self.acquire()

    def release(self) -> None:
        with self.session_factory() as session:
            session.execute(
                update(ClockLease)
                .where(ClockLease.name == LEASE_NAME, ClockLease.holder == self.holder)
                .values(expires_at=self.now() - dt.timedelta(seconds=1))
            )
            session.commit()


def make_lock(
    engine: Engine,
    session_factory: sessionmaker[Session],
    holder: str,
    now: Callable[[], dt.datetime],
) -> ClockLock:
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine)
    return LeaseLock(session_factory, holder, now=now)
