"""`/healthz`: fast while another connection holds the write lock; 503 when the SQLite file
is gone, even though pooled connections still read the moved file."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import httpx
import pytest
from sqlalchemy import Engine, text

from bot.app import Deps, make_deps
from bot.settings import Settings
from bot.web import WebApp
from storage.migrate import upgrade


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _timed_health(url: str) -> tuple[int, float]:
    start = time.monotonic()
    response = httpx.get(url + "/healthz", timeout=10)
    return response.status_code, time.monotonic() - start


def test_healthz_is_fast_while_the_database_is_locked(app_url: str, engine: Engine) -> None:
    with engine.connect() as holder:
        if engine.dialect.name == "sqlite":
            holder.execute(text("DELETE FROM processed_events WHERE 0"))  # takes the write lock
        else:
            holder.execute(text("LOCK TABLE projects IN ACCESS EXCLUSIVE MODE"))
        status, took = _timed_health(app_url)
        holder.rollback()
    assert took < 1.0
    assert status == 200


@pytest.fixture
def own_sqlite_app(settings: Settings) -> Iterator[tuple[str, Path, Deps]]:
    folder = Path(tempfile.mkdtemp(prefix="icrm-health-"))
    path = folder / "own.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    deps = make_deps(settings.model_copy(update={"database_url": url}))
    server = make_server("127.0.0.1", 0, WebApp(deps), handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", path, deps
    server.shutdown()
    deps.engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)


def test_healthz_is_503_when_the_sqlite_file_is_moved_or_deleted(
    own_sqlite_app: tuple[str, Path, Deps],
) -> None:
    url, path, deps = own_sqlite_app
    assert _timed_health(url)[0] == 200
    with deps.engine.connect() as connection:  # a pooled connection keeps the old file open
        connection.execute(text("SELECT 1"))
    moved = path.with_suffix(".moved")
    os.rename(path, moved)
    status, took = _timed_health(url)
    assert status == 503 and took < 1.0
    sqlite3.connect(path).close()  # an empty file in its place is not the database either
    assert _timed_health(url)[0] == 503
    os.replace(moved, path)
    assert _timed_health(url)[0] == 200
    os.remove(path)
    assert _timed_health(url)[0] == 503


def test_healthz_is_fast_while_sqlite_holds_an_exclusive_lock(
    own_sqlite_app: tuple[str, Path, Deps],
) -> None:
    url, path, _deps = own_sqlite_app
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("DELETE FROM processed_events")
    try:
        status, took = _timed_health(url)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert took < 1.0 and status == 200
