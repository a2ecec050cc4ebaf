"""Which token speaks for which workspace: one place, for requests, the clock and the CLI.

Single-workspace mode (`SLACK_BOT_TOKEN`): every workspace id gets the one token. OAuth mode
(`SLACK_CLIENT_ID` / `SLACK_CLIENT_SECRET`): each workspace's bot token comes from slack_sdk's
`SQLAlchemyInstallationStore` on our database (tables from our migrations), refreshed through
slack_sdk's `TokenRotator` when the app uses token rotation, and an org-wide install on
Enterprise Grid answers for every workspace of its organisation.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine

from bot.settings import Settings
from bot.slack import make_web_client
from storage.models.installations import BOTS_TABLE, INSTALLATIONS_TABLE, OAUTH_STATES_TABLE

log = logging.getLogger("icrm.installations")

STATE_EXPIRATION_SECONDS = 600  # an "Add to Slack" click is good for ten minutes


class NotInstalled(LookupError):
    """The app is not installed in that workspace (never was, or was uninstalled)."""


def installation_store(settings: Settings, engine: Engine) -> SQLAlchemyInstallationStore:
    return SQLAlchemyInstallationStore(
        client_id=settings.slack_client_id or "",
        engine=engine,
        bots_table_name=BOTS_TABLE,
        installations_table_name=INSTALLATIONS_TABLE,
        logger=log,
    )


def oauth_state_store(engine: Engine) -> SQLAlchemyOAuthStateStore:
    return SQLAlchemyOAuthStateStore(
        expiration_seconds=STATE_EXPIRATION_SECONDS,
        engine=engine,
        table_name=OAUTH_STATES_TABLE,
        logger=log,
    )


class Workspaces:
    """Web API clients per workspace (`client_for`), and the installation store behind them."""

    def __init__(
        self, settings: Settings, engine: Engine, *, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.settings = settings
        self.sleep = sleep  # how the clients' retries wait
        self.oauth = settings.oauth
        self.store = installation_store(settings, engine) if self.oauth else None
        # Token-less: it calls oauth.v2.access (client id and secret) on SLACK_API_URL.
        self.rotator = (
            TokenRotator(
                client_id=settings.slack_client_id or "",
                client_secret=settings.secret("slack_client_secret"),
                client=make_web_client(settings, token="", sleep=sleep),
            )
            if self.oauth
            else None
        )
        self._rotating = threading.Lock()

    def client_for(self, team_id: str | None, enterprise_id: str | None = None) -> WebClient:
        """A client speaking with the bot token of that workspace (or organisation).

        Raises `NotInstalled` in OAuth mode when the workspace has no installation."""
        if not self.oauth:
            return make_web_client(self.settings, sleep=self.sleep)
        return make_web_client(
            self.settings, token=self.bot_token(team_id, enterprise_id), sleep=self.sleep
        )

    def bot_token(self, team_id: str | None, enterprise_id: str | None = None) -> str:
        installation = self._find(team_id, enterprise_id)
        if installation is None or not installation.bot_token:
            raise NotInstalled(team_id or enterprise_id or "")
        if installation.bot_refresh_token and self.rotator is not None:
            with self._rotating:  # two threads must not spend one refresh token
                installation = self._find(team_id, enterprise_id) or installation
                # As Bolt's authorize does for requests: refresh the installation, save it.
                rotated = self.rotator.perform_token_rotation(
                    installation=installation,
                    minutes_before_expiration=self.settings.slack_token_rotation_minutes,
                )
                if rotated is not None:
                    assert self.store is not None
                    self.store.save(rotated)
                    installation = rotated
        return str(installation.bot_token)

    def installed(self, team_id: str | None, enterprise_id: str | None = None) -> bool:
        return not self.oauth or self._find(team_id, enterprise_id) is not None

    def _find(self, team_id: str | None, enterprise_id: str | None) -> Installation | None:
        assert self.store is not None
        found = self.store.find_installation(enterprise_id=enterprise_id, team_id=team_id)
        if found is None and enterprise_id:
            # An org-wide install holds no team id: it answers for the whole organisation.
            found = self.store.find_installation(
                enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True
            )
        return found

    def forget(self, team_id: str | None, enterprise_id: str | None = None) -> None:
        """Delete the workspace's installations and bots (tokens revoked, app uninstalled)."""
        if self.store is not None:
            self.store.delete_all(enterprise_id=enterprise_id, team_id=team_id)
