"""Assembles the bot from `Settings`: database, Slack app, handlers. Nothing is built at import."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_bolt import App
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.log import ContextExecutor
from bot.settings import Settings
from bot.slack import make_web_client
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


def make_deps(settings: Settings, *, now: Callable[[], dt.datetime] | None = None) -> Deps:
    engine = make_engine(settings.database_url)
    return Deps(
        settings, engine, make_session_factory(engine), now or _utcnow, reader_factory(engine)
    )


def create_bolt_app(deps: Deps) -> App:
    """The Slack app with every listener registered. Needs the bot token and signing secret."""
    from handlers import register_all  # the Slack edge depends on us, not the reverse

    settings = deps.settings
    app = App(
        signing_secret=settings.secret("slack_signing_secret"),
        client=make_web_client(settings),
        process_before_response=False,
        listener_executor=ContextExecutor(max_workers=16, thread_name_prefix="icrm-listener"),
        logger=logging.getLogger("icrm.slack"),
    )
    register_all(app, deps)
    return app
