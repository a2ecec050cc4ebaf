"""Assembles the bot from `Settings`: database, Slack app, handlers. Nothing is built at import."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.installations import Workspaces
from bot.log import ContextExecutor
from bot.settings import SLACK_INSTALL_PATH, SLACK_REDIRECT_PATH, Settings
from bot.slack import make_web_client
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


def create_bolt_app(deps: Deps) -> App:
    """The Slack app with every listener registered. Needs the signing secret, and the bot
    token or (OAuth mode) the client id and secret."""
    from handlers import register_all  # the Slack edge depends on us, not the reverse

    settings = deps.settings
    app = App(
        signing_secret=settings.secret("slack_signing_secret"),
        client=make_web_client(settings, sleep=deps.sleep),
        process_before_response=False,
        listener_executor=ContextExecutor(max_workers=16, thread_name_prefix="icrm-listener"),
        logger=logging.getLogger("icrm.slack"),
        **(_oauth(deps) if settings.oauth else {}),
    )
    register_all(app, deps)
    return app


def _oauth(deps: Deps) -> dict[str, Any]:
    """Bolt's OAuth flow ("Add to Slack" at /slack/install) on slack_sdk's SQLAlchemy stores;
    requests from a workspace without an installation are refused by Bolt's authorize."""
    from slack_bolt.authorization.authorize import InstallationStoreAuthorize
    from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
    from slack_bolt.oauth.oauth_settings import OAuthSettings

    from bot.i18n import _, translator
    from bot.installations import oauth_state_store
    from bot.services import workspaces

    settings = deps.settings
    store = deps.installations().store
    assert store is not None  # OAuth mode has one
    client_id, client_secret = settings.slack_client_id, settings.secret("slack_client_secret")
    log = logging.getLogger("icrm.oauth")

    def installed(args: SuccessArgs) -> BoltResponse:
        found = args.installation
        with deps.uow() as uow:
            workspaces.installed(uow, team_id=found.team_id, enterprise_id=found.enterprise_id)
        log.info("installed in team %s (enterprise %s)", found.team_id, found.enterprise_id)
        return args.default.success(args)

    def failed(args: FailureArgs) -> BoltResponse:
        return args.default.failure(args)

    oauth_settings = OAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=settings.scopes,
        redirect_uri=settings.slack_redirect_uri,
        install_path=SLACK_INSTALL_PATH,
        redirect_uri_path=SLACK_REDIRECT_PATH,
        authorization_url=settings.slack_authorize_url,
        installation_store=store,
        state_store=oauth_state_store(deps.engine),
        token_rotation_expiration_minutes=settings.slack_token_rotation_minutes,
        callback_options=CallbackOptions(success=installed, failure=failed),
        logger=log,
    )
    # Our own authorize (what OAuthSettings would build) so that token rotation calls
    # oauth.v2.access on SLACK_API_URL, not on slack.com.
    authorize = InstallationStoreAuthorize(
        logger=log,
        client_id=client_id,
        client_secret=client_secret,
        installation_store=store,
        token_rotation_expiration_minutes=settings.slack_token_rotation_minutes,
        client=make_web_client(settings, token="", sleep=deps.sleep),
    )
    not_installed = _(
        "ICRM is not installed in this workspace, or it was removed. A workspace admin can "
        "add it again from the app's install page."
    )
    return {
        "oauth_settings": oauth_settings,
        "authorize": authorize,
        "installation_store": store,
        # Bolt's answer to a request from a workspace without an installation.
        "user_facing_authorize_error_message": translator(settings.default_locale)(not_installed),
    }
