"""Assembles the bot from `Settings`: database, Slack app, handlers. Nothing is built at import."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltResponse

from bot.deps import Deps, make_deps
from bot.log import ContextExecutor
from bot.settings import SLACK_INSTALL_PATH, SLACK_REDIRECT_PATH
from bot.slack import make_web_client

if TYPE_CHECKING:
    from slack_bolt.oauth.callback_options import CallbackOptions

__all__ = ["Deps", "create_bolt_app", "make_deps"]  # Deps and make_deps live in bot.deps


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
    from slack_bolt.oauth.oauth_settings import OAuthSettings

    from bot.i18n import _, translator
    from bot.installations import oauth_state_store

    settings = deps.settings
    store = deps.installations().store
    assert store is not None  # OAuth mode has one
    client_id, client_secret = settings.slack_client_id, settings.secret("slack_client_secret")
    log = logging.getLogger("icrm.oauth")
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
        callback_options=_install_callbacks(deps, log),
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


def _install_callbacks(deps: Deps, log: logging.Logger) -> CallbackOptions:
    """What the OAuth redirect does after Slack's answer: a new installation is recorded
    (`workspaces.installed`) before Bolt's default success page; failures get Bolt's page."""
    from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs

    from bot.services import workspaces

    def installed(args: SuccessArgs) -> BoltResponse:
        found = args.installation
        with deps.uow() as uow:
            workspaces.installed(uow, team_id=found.team_id, enterprise_id=found.enterprise_id)
        log.info("installed in team %s (enterprise %s)", found.team_id, found.enterprise_id)
        return args.default.success(args)

    def failed(args: FailureArgs) -> BoltResponse:
        return args.default.failure(args)

    return CallbackOptions(success=installed, failure=failed)
