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

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from storage.clock_lease import advisory_unlock, expire_lease, ping, take_lease, try_advisory_lock

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
            got = try_advisory_lock(connection, ADVISORY_KEY)
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
            ping(self._connection)
            return True
        except Exception:
            log.warning("lost the clock's database connection, and with it the lock")
            self._drop()
            return False

    def release(self) -> None:
        if self._connection is None:
            return
        try:
            advisory_unlock(self._connection, ADVISORY_KEY)
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
        return take_lease(
            self.session_factory, LEASE_NAME, self.holder, now=self.now(), ttl=self.ttl
        )

    def renew(self) -> bool:
        return self.acquire()

    def release(self) -> None:
        expire_lease(self.session_factory, LEASE_NAME, self.holder, now=self.now())


def make_lock(
    engine: Engine,
    session_factory: sessionmaker[Session],
    holder: str,
    now: Callable[[], dt.datetime],
) -> ClockLock:
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine)
    return LeaseLock(session_factory, holder, now=now)
