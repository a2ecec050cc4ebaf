"""The WSGI application the Procfile's `web:` line serves: Slack requests and `/healthz`."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.request.internals import parse_body

from bot.app import Deps, create_bolt_app, make_deps
from bot.log import configure_logging
from bot.settings import SLACK_REQUEST_PATH, Settings
from storage.db import database_ok

SWITCH_INTERVAL = 0.001  # seconds

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

log = logging.getLogger("icrm.web")

# Slack's requests are a few KB; a modal submission with every field full stays far below.
MAX_BODY = 1024 * 1024


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
        if (
            environ.get("PATH_INFO") == SLACK_REQUEST_PATH
            and environ.get("REQUEST_METHOD") == "POST"
        ):
            refusal = self._screen(environ)
            if refusal is not None:
                status, reason = refusal
                log.warning("refused a Slack request: %s", reason)
                return _plain(start_response, status, reason)
            try:
                return self.slack(environ, start_response)
            except Exception as error:  # a signed body of a shape Bolt cannot read
                log.warning("refused a Slack request Bolt could not read: %s", type(error).__name__)
                return _plain(start_response, "400 Bad Request", "unreadable request")
        return self.slack(environ, start_response)

    def _screen(self, environ: WSGIEnvironment) -> tuple[str, str] | None:
        """Check a Slack request before anything parses it: the signature on the raw bytes
        first (so strangers cannot make us work or fill the log), then that the body is text
        Bolt can read. Returns (status, short reason) to refuse it, or None to pass it on
        (with the bytes put back for Bolt to read)."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return "400 Bad Request", "bad Content-Length"
        if length < 0 or length > MAX_BODY:
            return "400 Bad Request", "body too large"
        stream = environ.get("wsgi.input")
        raw: bytes = stream.read(length) if stream is not None and length else b""
        environ["wsgi.input"] = io.BytesIO(raw)
        timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "")
        signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "")
        if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
            return "401 Unauthorized", "missing or non-numeric timestamp"
        secret = self.deps.settings.secret("slack_signing_secret") or ""
        expected = (
            "v0="
            + hmac.new(
                secret.encode(), b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256
            ).hexdigest()
        )
        if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
            return "401 Unauthorized", "bad signature"
        # Signed by Slack (or by someone holding the secret): now it is worth parsing.
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return "400 Bad Request", "body is not UTF-8"
        try:
            parsed = parse_body(body, environ.get("CONTENT_TYPE"))
        except (ValueError, RecursionError):  # json.JSONDecodeError is a ValueError
            return "400 Bad Request", "body is not valid JSON"
        if not isinstance(parsed, dict):
            return "400 Bad Request", "payload is not a JSON object"
        return None

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        ok = database_ok(self.deps.engine)
        body = json.dumps({"status": "ok" if ok else "database unavailable"}).encode()
        status = "200 OK" if ok else "503 Service Unavailable"
        start_response(
            status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]


def _plain(start_response: StartResponse, status: str, text: str) -> Iterable[bytes]:
    body = text.encode()
    start_response(
        status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
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
        settings.secret("slack_client_secret"),
    ]
