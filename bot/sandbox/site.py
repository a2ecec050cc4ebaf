"""The sandbox's web page and its small JSON API, served by the Slack stand-in's HTTP server.

GET `/` is the page (static files in `bot/sandbox/static`, no build step); the page polls
`/sandbox/state` and posts what the user does to `/sandbox/<action>`, which `Workspace`
turns into Slack's signed requests to the bot. Posts must be JSON from a loopback origin
(another site in the same browser cannot forge them: a cross-origin JSON POST needs a
preflight this server never grants).
"""

from __future__ import annotations

import base64
import json
import logging
import mimetypes
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from bot.app import Deps
from bot.i18n import EN, LOCALES, translator
from bot.sandbox import jobs
from bot.sandbox.people import BOT_NAME, CHANNEL_NAME, people
from bot.sandbox.strings import page_strings, welcome_commands
from bot.sandbox.workspace import Outcome, Workspace, dm_of

log = logging.getLogger("icrm.sandbox")

STATIC: Final = Path(__file__).parent / "static"
Answer = tuple[int, dict[str, str], bytes, str]
_LOOPBACK: Final = ("127.0.0.1", "localhost", "[::1]")


def _json_answer(data: Any, status: int = 200) -> Answer:
    body = json.dumps(data, ensure_ascii=False).encode()
    return status, {"Cache-Control": "no-store"}, body, "application/json; charset=utf-8"


class Site:
    """Routes the page's requests; plugged into the stand-in as `FakeSlack.site`."""

    def __init__(
        self, workspace: Workspace, deps: Deps, *, channel_id: str, project_code: str
    ) -> None:
        self.workspace = workspace
        self.deps = deps
        self.channel_id = channel_id
        self.project_code = project_code
        self.people = people()
        self.job_log: list[jobs.RunLine] = []
        self._project: tuple[str, str] | None = None
        self._posts: dict[str, Callable[[dict[str, Any]], Outcome]] = {
            "command": self._command,
            "action": self._action,
            "submit": self._submit,
            "close": self._close,
            "home": self._home,
        }

    def __call__(
        self, method: str, path: str, query: dict[str, str], raw: bytes, headers: dict[str, str]
    ) -> Answer | None:
        if not _loopback_host(headers.get("host", "")):
            return 403, {}, b"the sandbox answers on 127.0.0.1 only", "text/plain"
        if method == "GET":
            return self._get(path, query)
        if method != "POST" or not path.startswith("/sandbox/"):
            return None
        if "application/json" not in headers.get("content-type", "") or not _loopback_origin(
            headers.get("origin")
        ):
            return 403, {}, b"forbidden", "text/plain"
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            return 400, {}, b"bad json", "text/plain"
        name = path[len("/sandbox/") :]
        if name == "job":
            return _json_answer(self._run_job(str(data.get("name", ""))))
        if name == "upload":
            return _json_answer(self._upload(data))
        handler = self._posts.get(name)
        if handler is None:
            return None
        return _json_answer(handler(data).as_json())

    # -- reading ------------------------------------------------------------------------
    def _get(self, path: str, query: dict[str, str]) -> Answer | None:
        if path in ("/", "/index.html"):
            return self._static("index.html")
        if path.startswith("/static/"):
            return self._static(path[len("/static/") :])
        if path == "/sandbox/strings":
            lang = query.get("lang") if query.get("lang") in LOCALES else EN
            tr = translator(lang or EN)
            return _json_answer({**page_strings(tr), "welcome_commands": welcome_commands(tr)})
        if path == "/sandbox/state":
            lang = query.get("lang") if query.get("lang") in LOCALES else EN
            state = self.state(query.get("user", ""), query.get("conversation", ""), lang or EN)
            return _json_answer(state)
        if path.startswith("/sandbox/files/"):
            return self._file(path.rsplit("/", 1)[1])
        return None

    def _static(self, name: str) -> Answer | None:
        file = (STATIC / name).resolve()
        if STATIC.resolve() not in file.parents or not file.is_file():
            return None
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith("javascript"):
            content_type += "; charset=utf-8"
        return 200, {"Cache-Control": "no-cache"}, file.read_bytes(), content_type

    def _file(self, file_id: str) -> Answer | None:
        content = self.workspace.fake.uploads.get(file_id)
        if content is None:
            return None
        if content[:8] == b"\x89PNG\r\n\x1a\n":
            return 200, {}, content, "image/png"
        if content[:4] == b"PK\x03\x04":  # an .xlsx export or import template
            xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            return (
                200,
                {"Content-Disposition": f'attachment; filename="{file_id}.xlsx"'},
                content,
                xlsx,
            )
        disposition = {"Content-Disposition": f'attachment; filename="{file_id}.csv"'}
        return 200, disposition, content, "text/csv; charset=utf-8"

    def _upload(self, data: dict[str, Any]) -> dict[str, Any]:
        """A file picked in a modal's `file_input`: kept by the stand-in as Slack keeps a
        user's upload, so the bot fetches it with files.info and its private URL."""
        try:
            content = base64.b64decode(str(data.get("content_base64", "")), validate=True)
        except ValueError:
            return {"ok": False, "error": "invalid_content"}
        if len(content) > 10 * 1024 * 1024:  # Slack's own file_input limit
            return {"ok": False, "error": "file_too_large"}
        name = str(data.get("name") or "upload")[:200]
        return {"ok": True, "file": self.workspace.fake.add_file(name, content)}

    def state(self, user_id: str, conversation: str, lang: str = EN) -> dict[str, Any]:
        """What the page shows `user_id`: conversations, the open one, their modal and Home."""
        ws = self.workspace
        known = {p.user_id for p in self.people}
        user_id = user_id if user_id in known else self.people[0].user_id
        conversations = [
            {"id": self.channel_id, "name": "# " + CHANNEL_NAME, "kind": "channel"},
            {"id": dm_of(user_id), "name": BOT_NAME, "kind": "dm"},
        ]
        names = {p.user_id: p.name for p in self.people}
        tr = translator(lang)
        timezone, locale = self.project_settings()
        return {
            "version": ws.version,
            "user": user_id,
            "people": [{"id": p.user_id, "name": p.name, "role": tr(p.role)} for p in self.people],
            "names": names,
            "timezone": timezone,
            "project_locale": locale,
            "conversations": conversations,
            "messages": ws.timeline(conversation, user_id) if conversation else [],
            "modal": ws.modal(user_id),
            "home": ws.home(user_id),
            "jobs": [
                {
                    "name": j.name,
                    "label": tr(jobs.label(j.name)),
                    "describe": tr(jobs.DESCRIPTIONS[j.name])
                    if j.name in jobs.DESCRIPTIONS
                    else j.describe,
                }
                for j in jobs.available()
            ],
            "job_log": [line.show(tr) for line in self.job_log[-5:]],
        }

    def project_settings(self) -> tuple[str, str]:
        """The demo project's timezone and language: the page shows times in the project's
        zone, as Slack shows them to its members, whatever the browser's zone is."""
        if self._project is None:
            with self.deps.uow() as uow:
                project = uow.projects.by_code(self.workspace.team_id, self.project_code)
                found = (project.timezone, project.locale) if project else ("UTC", EN)
            self._project = found
        return self._project

    # -- doing ----------------------------------------------------------------------------
    def _command(self, data: dict[str, Any]) -> Outcome:
        return self.workspace.command(
            str(data["user"]), str(data["conversation"]), str(data["text"])
        )

    def _action(self, data: dict[str, Any]) -> Outcome:
        return self.workspace.action(
            str(data["user"]),
            dict(data["action"]),
            channel=data.get("channel"),
            message_ts=data.get("message_ts"),
            view_id=data.get("view_id"),
            state=data.get("state"),
        )

    def _submit(self, data: dict[str, Any]) -> Outcome:
        return self.workspace.submit(str(data["user"]), str(data["view_id"]), dict(data["state"]))

    def _close(self, data: dict[str, Any]) -> Outcome:
        return self.workspace.close(str(data["user"]), str(data["view_id"]))

    def _home(self, data: dict[str, Any]) -> Outcome:
        return self.workspace.open_home(str(data["user"]))

    def _run_job(self, name: str) -> dict[str, Any]:
        """Start job `name` in the background (its messages arrive as the page polls)."""
        if name not in {j.name for j in jobs.available()}:
            return {"errors": {}, "note": f"unknown job {name}"}

        def work() -> None:
            try:
                result = jobs.run(self.deps, name, self.project_code)
            except Exception as error:  # shown on the page; the sandbox keeps running
                log.exception("job %s failed", name)
                result = jobs.RunLine(name, "failed", error=str(error))
            self.job_log.append(result)
            self.workspace.changed()

        threading.Thread(target=work, name=f"sandbox-job-{name}", daemon=True).start()
        return {"errors": {}, "note": None}


def _loopback_host(host: str) -> bool:
    """Refuse requests addressed to another name (a DNS-rebinding page in the browser)."""
    name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
    return name in _LOOPBACK


def _loopback_origin(origin: str | None) -> bool:
    if not origin:
        return True  # same-origin fetches from old browsers, and scripts such as curl
    host = origin.split("://", 1)[-1]
    return _loopback_host(host)
