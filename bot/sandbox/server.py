"""`python -m bot sandbox`: the bot wired to the Slack stand-in, with a page to drive it.

Two HTTP servers in one process, both on 127.0.0.1 only: the stand-in (Slack's Web API plus
the page, on `PORT`, default 3000) and the bot's real WSGI app (`bot.web.WebApp`, on a free
port) that the stand-in calls with signed requests. The signing secret and bot token are
made up afresh on every start. The database is a SQLite file of its own, so sandbox data
never mixes with a real workspace's; the demo project is loaded into it on first run.
"""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from pydantic import SecretStr

from bot.app import Deps, make_deps
from bot.demo import load_demo
from bot.demo.project import DEMO_CHANNEL, DEMO_CODE, DEMO_TEAM
from bot.log import configure_logging
from bot.sandbox.people import people
from bot.sandbox.site import Site
from bot.sandbox.slack_api import FakeSlack
from bot.sandbox.workspace import Workspace
from bot.settings import SLACK_REQUEST_PATH, Settings
from bot.web import WebApp
from storage.migrate import upgrade

log = logging.getLogger("icrm.sandbox")

HOST = "127.0.0.1"
DEFAULT_DATABASE = "sqlite:///icrm-sandbox.db"


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Sandbox:
    """A running sandbox; `url` is the page. `stop()` shuts both servers down."""

    url: str
    deps: Deps
    slack: FakeSlack
    workspace: Workspace
    bot_server: WSGIServer
    clock: Any = None  # jobs.scheduler.Clock when the scheduler runs inside

    def stop(self) -> None:
        if self.clock is not None:
            self.clock.stop()
        self.bot_server.shutdown()
        self.bot_server.server_close()
        self.slack.stop()
        self.workspace.http.close()


def _stand_in(port: int) -> FakeSlack:
    try:
        return FakeSlack(HOST, port, team_id=DEMO_TEAM)
    except OSError:
        log.warning("port %s is taken; the sandbox takes a free one", port)
        return FakeSlack(HOST, 0, team_id=DEMO_TEAM)


def start_sandbox(
    *,
    port: int = 3000,
    database_url: str = DEFAULT_DATABASE,
    log_level: str = "INFO",
    clock: bool = False,
    configure_log: bool = True,
) -> Sandbox:
    """Start the stand-in and the bot behind it; load the demo project when it is missing."""
    signing_secret = secrets.token_urlsafe(24)
    bot_token = "xoxb-sandbox-" + secrets.token_urlsafe(24)
    slack = _stand_in(port)
    slack.users.update({p.user_id: p.slack_profile() for p in people()})
    slack.start()
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=SecretStr(bot_token),
        slack_signing_secret=SecretStr(signing_secret),
        slack_app_token=None,
        slack_api_url=slack.api_url,
        database_url=database_url,
        icrm_webhook_url=None,  # the sandbox never posts events anywhere
        log_level=log_level,
    )
    if configure_log:
        configure_logging(settings.log_level, [signing_secret, bot_token])
    upgrade(settings.database_url)
    deps = make_deps(settings)
    load_demo(deps)
    app = WebApp(deps)
    bot_server = make_server(
        HOST, 0, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )
    threading.Thread(target=bot_server.serve_forever, name="sandbox-bot", daemon=True).start()
    workspace = Workspace(
        slack,
        bot_url=f"http://{HOST}:{bot_server.server_port}{SLACK_REQUEST_PATH}",
        signing_secret=signing_secret,
        team_id=DEMO_TEAM,
    )
    slack.site = Site(workspace, deps, channel_id=DEMO_CHANNEL, project_code=DEMO_CODE)
    running = Sandbox(slack.base_url + "/", deps, slack, workspace, bot_server)
    if clock:
        from jobs.scheduler import Clock

        running.clock = Clock(deps)
        running.clock.start()
    return running
