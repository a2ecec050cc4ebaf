"""The WSGI application the Procfile's `web:` line serves: Slack requests and `/healthz`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.app import Deps, create_bolt_app, make_deps
from bot.log import configure_logging
from bot.settings import SLACK_REQUEST_PATH, Settings
from storage.db import database_ok

SWITCH_INTERVAL = 0.001  # seconds

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment


class WebApp:
    """Routes `GET /healthz` here and everything else to Bolt's WSGI handler."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.bolt = create_bolt_app(deps)
        self.slack = SlackRequestHandler(self.bolt, path=SLACK_REQUEST_PATH)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in (
            "GET",
            "HEAD",
        ):
            return self._health(start_response)
        return self.slack(environ, start_response)

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        ok = database_ok(self.deps.engine)
        body = json.dumps({"status": "ok" if ok else "database unavailable"}).encode()
        status = "200 OK" if ok else "503 Service Unavailable"
        start_response(
            status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]


def create_wsgi_app(settings: Settings | None = None, **overrides: Any) -> WebApp:
    """Factory for gunicorn (`bot.web:create_wsgi_app()`): one app per worker process."""
    settings = settings or Settings(**overrides)
    configure_logging(settings.log_level, _secrets(settings))
    # A thread waiting for the GIL gets it after this long at most: a chart or an export on
    # the background pool (CPU-bound Python) then delays an acknowledgement by about 1 ms per
    # blocking call instead of 5 ms (CPython's default), at a small cost in throughput.
    sys.setswitchinterval(SWITCH_INTERVAL)
    return WebApp(make_deps(settings))


def _secrets(settings: Settings) -> list[str]:
    return [
        settings.secret("slack_bot_token"),
        settings.secret("slack_signing_secret"),
        settings.secret("slack_app_token"),
    ]
