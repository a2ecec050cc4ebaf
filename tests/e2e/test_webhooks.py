"""Outbound webhooks: every recorded event reaches a real local receiver exactly as recorded,
through failures, timeouts and recovery; nothing is sent for a rolled-back change."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bot.app import Deps, make_deps
from bot.forms import Form
from bot.services.projects import ProjectField, save_project
from bot.services.webhooks import deliver_due, sign
from bot.settings import Settings
from storage.models import WebhookOutbox
from tests.conftest import CHANNEL, PM, Clock
from tests.factories import project_form
from tests.fake_slack import TEAM_ID

SECRET = "webhook-secret-123456"


class Receiver:
    """A local HTTP receiver told how to answer: a list of 'ok', 'fail' or 'slow'."""

    def __init__(self) -> None:
        self.script: list[str] = []
        self.received: list[dict[str, Any]] = []
        self.attempts = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.attempts += 1
                behaviour = receiver.script.pop(0) if receiver.script else "ok"
                if behaviour == "slow":
                    time.sleep(1.5)
                if behaviour == "ok":
                    receiver.received.append({"headers": dict(self.headers), "body": body})
                status = 200 if behaviour == "ok" else 500
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.server.shutdown()


@pytest.fixture
def hooked(settings: Settings, receiver: Receiver, clock: Clock) -> Deps:
    configured = settings.model_copy(
        update={"icrm_webhook_url": receiver.url, "icrm_webhook_secret": SECRET}
    )
    return make_deps(configured, now=clock)


def form(code: str = "HWY-42") -> Form[ProjectField]:
    return project_form(code, name="Coastal", total_budget="100")


def test_events_survive_failures_and_timeouts_and_arrive_once(
    hooked: Deps, receiver: Receiver, clock: Clock
) -> None:
    clock.frozen = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)  # the event is stamped now
    with hooked.uow() as uow:
        save_project(uow, team_id=TEAM_ID, channel_id=CHANNEL, user_id=PM, form=form())
    receiver.script = ["fail", "slow", "fail"]
    client = httpx.Client(timeout=0.5)
    for _ in range(6):  # rounds, each after the backoff has passed
        deliver_due(hooked.uow, client=client, url=receiver.url, secret=SECRET, now=hooked.now)
        clock.frozen += dt.timedelta(hours=2)
    assert receiver.attempts == 4
    assert len(receiver.received) == 1
    delivery = receiver.received[0]
    body = delivery["body"]
    headers = {k.lower(): v for k, v in delivery["headers"].items()}
    assert headers["x-icrm-signature"] == sign(SECRET, headers["x-icrm-timestamp"], body)
    event = json.loads(body)
    assert event["type"] == "project.create" and event["data"]["code"] == "HWY-42"
    assert event["id"] == headers["x-icrm-event-id"]
    with hooked.uow() as uow:
        row = uow.session.scalars(select(WebhookOutbox)).one()
        assert row.delivered_at is not None and row.attempts == 4 and row.last_error


def test_nothing_is_queued_for_a_rolled_back_change(hooked: Deps) -> None:
    with hooked.uow() as uow:
        save_project(uow, team_id=TEAM_ID, channel_id=CHANNEL, user_id=PM, form=form())
    with hooked.uow() as uow:
        project = uow.projects.by_code(TEAM_ID, "HWY-42")
        assert project is not None
        uow.audit(
            team_id=TEAM_ID,
            project_id=project.id,
            actor=PM,
            action="update",
            entity="project",
            entity_id=project.id,
            after={"name": "never committed"},
        )
        uow.rollback()
    with hooked.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(WebhookOutbox)) == 1


def test_no_outbox_rows_without_a_webhook_url(deps: Deps) -> None:
    with deps.uow() as uow:
        save_project(uow, team_id=TEAM_ID, channel_id=CHANNEL, user_id=PM, form=form())
    with deps.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(WebhookOutbox)) == 0
