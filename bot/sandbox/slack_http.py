"""The stand-in's HTTP server side: one request handler for the Web API, `response_url`s,
uploads, file downloads, OAuth and the sandbox's site."""

from __future__ import annotations

import contextlib
import json
import urllib.parse
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any

from bot.sandbox.slack_records import Call

if TYPE_CHECKING:
    from bot.sandbox.slack_api import FakeSlack


class Handler(BaseHTTPRequestHandler):
    fake: FakeSlack
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        path = urllib.parse.urlparse(self.path).path
        headers = {k.lower(): v for k, v in self.headers.items()}
        if path.startswith("/files-pri/") and self.command == "GET":
            status, content, content_type = self.fake._serve_file(path, headers)
            return self._send(status, {}, content, content_type)
        if path.startswith("/upload/"):
            with self.fake._lock:
                self.fake.uploads[path.rsplit("/", 1)[1]] = raw
                call = Call(
                    "upload", {"file_id": path.rsplit("/", 1)[1], "size": len(raw)}, headers
                )
                self.fake.calls.append(call)
                self.fake._observe(call, {"ok": True})
                self.fake._lock.notify_all()
            return self._send(200, {}, b"OK - " + str(len(raw)).encode(), "text/plain")
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(self.path).query))
        if path == "/oauth/v2/authorize":
            with self.fake._lock:
                status, extra, content = self.fake.oauth.authorize(query)
            return self._send(status, extra, content, "text/plain")
        if not path.startswith(("/api/", "/response/")):
            page = (
                self.fake.site(self.command, path, query, raw, headers) if self.fake.site else None
            )
            if page is None:
                return self._send(404, {}, b"not found", "text/plain")
            status, extra, content, content_type = page
            return self._send(status, extra, content, content_type)
        args = parse_body(raw, headers.get("content-type", ""))
        if path.startswith("/response/"):
            status, answer = self.fake.post_to_response_url(path, args, headers)
            if answer["ok"]:
                return self._send(200, {}, b"ok", "text/plain")
            return self._send(
                status, {}, json.dumps(answer).encode(), "application/json; charset=utf-8"
            )
        status, extra, body = self.fake.handle(path[len("/api/") :], {**query, **args}, headers)
        self._send(status, extra, json.dumps(body).encode(), "application/json; charset=utf-8")

    do_GET = do_POST

    def _send(self, status: int, headers: dict[str, str], body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


def parse_body(raw: bytes, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        return dict(json.loads(raw))
    if "multipart" in content_type:
        return {}
    parsed = dict(urllib.parse.parse_qsl(raw.decode()))
    for key in ("blocks", "view", "attachments", "metadata", "files"):
        if isinstance(parsed.get(key), str):
            with contextlib.suppress(ValueError):
                parsed[key] = json.loads(parsed[key])
    return parsed
