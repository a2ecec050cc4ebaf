"""What handlers and jobs get from the outside world: `Deps`, built from `Settings`.

Its own module so that the Slack edge (`handlers/`) and the jobs depend on it without
importing the app factory (`bot/app.py`), which imports the edge."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.installations import Workspaces
from bot.settings import Settings
from bot.work import Background
from storage.db import make_engine, make_session_factory, reader_factory
from storage.uow import UnitOfWork


def _utcnow() -> dt.datetime:
    # The one read of the wall clock: everything else gets the time from `Deps.now`.
    return dt.datetime.now(dt.UTC)


@dataclass
class Deps:
    """What handlers and jobs need from the outside world, injected (tests pass their own)."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    now: Callable[[], dt.datetime] = field(default=_utcnow)
    reader_factory: sessionmaker[Session] | None = None
    workspaces: Workspaces | None = None  # built on first use from settings and engine
    # Slow work after an ack (charts, exports, fan-outs) runs here, not on Bolt's threads.
    background: Background = field(default_factory=Background)
    # How Web API retries wait (a 429's Retry-After, a 5xx back-off): tests record instead.
    sleep: Callable[[float], None] = field(default=time.sleep)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(
            self.session_factory,
            now=self.now,
            webhooks=bool(self.settings.icrm_webhook_url),
            seal_key=self.seal_key(),
        )

    def seal_key(self) -> bytes:
        """The key of sealed anonymous answers: from the environment, never the database."""
        key = self.settings.secret("icrm_anonymity_key") or self.settings.secret(
            "slack_signing_secret"
        )
        return hashlib.sha256(b"icrm-anonymity\0" + key.encode()).digest()

    def reader(self) -> UnitOfWork:
        """A unit of work for reading only (it must not commit)."""
        return UnitOfWork(self.reader_factory or self.session_factory, now=self.now)

    def installations(self) -> Workspaces:
        if self.workspaces is None:
            self.workspaces = Workspaces(self.settings, self.engine, sleep=self.sleep)
        return self.workspaces

    def client_for(self, team_id: str | None, enterprise_id: str | None = None) -> WebClient:
        """The Web API client of that workspace: the one bot token, or (OAuth mode) the
        workspace's own from the installation store. Raises `NotInstalled` without one."""
        return self.installations().client_for(team_id, enterprise_id)


def make_deps(
    settings: Settings,
    *,
    now: Callable[[], dt.datetime] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> Deps:
    engine = make_engine(settings.database_url)
    return Deps(
        settings,
        engine,
        make_session_factory(engine),
        now or _utcnow,
        reader_factory(engine),
        sleep=time.sleep if sleep is None else sleep,
    )
