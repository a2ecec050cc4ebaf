"""Engine and session factories. Nothing here runs at import; callers pass the URL in."""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from storage.submissions import lock_wait


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url` with the settings this bot relies on.

    On SQLite every transaction starts with `BEGIN IMMEDIATE`: concurrent writers then wait
    for each other (busy timeout) instead of failing when a reader upgrades to a writer.
    """
    # Parameters are user ids and typed text: kept out of SQL logs and error messages, so
    # debug logging cannot tie an anonymous answer to the request that carried it.
    kwargs.setdefault("hide_parameters", True)
    _drop_logged_rows()
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "postgresql":
        _configure_postgresql(engine)
    return engine


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        wait = lock_wait()
        if wait is not None:  # SET LOCAL: for this transaction only
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(wait * 1000)}ms'")


class _NoRows(logging.Filter):
    """SQLAlchemy's DEBUG output lists every fetched row (members' user ids among them):
    those lines are dropped, whatever handler would write them."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith("Row "))


def _drop_logged_rows() -> None:
    engine_log = logging.getLogger("sqlalchemy.engine.Engine")
    if not any(isinstance(f, _NoRows) for f in engine_log.filters):
        engine_log.addFilter(_NoRows())


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Read-only work (`reader_factory`) begins DEFERRED: in WAL mode it neither waits
        # for nor blocks writers.
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        # A modal submission's writes give up after a short wait (see storage.submissions);
        # the pooled connection gets the long default back for everything else.
        wait = lock_wait()
        busy_ms = int(wait * 1000) if wait is not None and mode == "IMMEDIATE" else 30000
        connection.exec_driver_sql(f"PRAGMA busy_timeout={busy_ms}")
        connection.exec_driver_sql(f"BEGIN {mode}")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def reader_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for read-only work: on SQLite their transactions take no write lock."""
    return sessionmaker(engine.execution_options(sqlite_begin="DEFERRED"), expire_on_commit=False)


def database_ok(engine: Engine, timeout: float = 0.8) -> bool:
    """True when the database answers within `timeout` seconds, never waiting on its locks.

    On SQLite the file at the configured path must also be the one the engine opened (same
    inode): pooled connections keep reading a file that was moved or deleted, so a bare
    query would still succeed. The query runs in a DEFERRED transaction, which a writer
    holding the lock does not delay (WAL readers do not wait).
    """
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database not in (None, "", ":memory:"):
        try:
            inode = os.stat(str(database)).st_ino
        except OSError:
            return False
        known = _INODES.setdefault(str(engine.url), inode)
        if known != inode:
            return False
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="icrm-health")
    try:
        return pool.submit(_answers, engine).result(timeout=timeout)
    except Exception:
        return False
    finally:
        pool.shutdown(wait=False)


# The inode of each SQLite database file when its health was first checked.
_INODES: dict[str, int] = {}


def _answers(engine: Engine) -> bool:
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as connection:
        connection.execute(text("SELECT 1"))
    return True
