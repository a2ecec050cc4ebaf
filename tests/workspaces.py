"""OAuth mode in tests: the app installed to several workspaces of the Slack stand-in.

`oauth_settings` turns the suite's settings into OAuth mode (client id and secret, no bot
token); `serve` runs a `WebApp` over HTTP; `install` clicks "Add to Slack" in a browser
(an httpx client that keeps cookies and follows redirects) and allows it on the stand-in's
authorize page for one workspace.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from wsgiref.simple_server import make_server

import httpx
from pydantic import SecretStr

from bot.settings import SLACK_INSTALL_PATH, SLACK_REDIRECT_PATH, Settings
from tests.fake_slack import FakeSlack

CLIENT_ID = "1234.5678"
CLIENT_SECRET = "oauth-client-secret-abcdef"


def oauth_settings(settings: Settings, fake: FakeSlack) -> Settings:
    fake.oauth.client_id, fake.oauth.client_secret = CLIENT_ID, CLIENT_SECRET
    return settings.model_copy(
        update={
            "slack_bot_token": None,
            "slack_client_id": CLIENT_ID,
            "slack_client_secret": SecretStr(CLIENT_SECRET),
            "slack_authorize_url": fake.authorize_url,
        }
    )


@contextmanager
def serve(app: Any) -> Iterator[str]:
    from tests.conftest import _QuietHandler, _ThreadingWSGIServer

    server = make_server(
        "127.0.0.1", 0, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def install(
    base_url: str, fake: FakeSlack, team_id: str, *, user: str | None = None, org: bool = False
) -> httpx.Response:
    """Open /slack/install, press "Add to Slack", allow on Slack's page for `team_id`; the
    answer of the app's redirect URL (its success or failure page)."""
    fake.oauth.redirect_url = base_url + SLACK_REDIRECT_PATH
    with httpx.Client(timeout=10) as browser:
        page = browser.get(base_url + SLACK_INSTALL_PATH)
        assert page.status_code == 200, page.text
        found = re.search(r'<a href="([^"]+)"><img alt="Add to Slack"', page.text)
        assert found, page.text
        url = html.unescape(found.group(1)) + f"&team={team_id}"
        if user:
            url += f"&user={user}"
        if org:
            url += "&org_install=true"
        allowed = browser.get(url)
        assert allowed.status_code == 302, allowed.text
        # The state cookie is `Secure` (production is https): sent by hand over http here.
        cookie = page.headers["set-cookie"].split(";", 1)[0]
        return browser.get(allowed.headers["location"], headers={"Cookie": cookie})
