"""Slack plumbing: help, signatures, url_verification, event de-duplication, health."""

from __future__ import annotations

import json
import time

import httpx
from sqlalchemy import func, select

from bot.app import Deps
from storage.models import ProcessedEvent
from tests.conftest import CHANNEL, PM
from tests.slack_driver import SlackDriver, sign


def test_help_lists_subcommands(slack: SlackDriver) -> None:
    response = slack.command("/icrm", "help", user=PM, channel=CHANNEL)
    body = response.json()
    text = json.dumps(body)
    assert body["response_type"] == "ephemeral" if "response_type" in body else True
    for word in ("setup", "departments", "roles", "budget", "settings", "export"):
        assert f"/icrm {word}" in text


def test_unknown_word_gets_help_not_silence(slack: SlackDriver) -> None:
    text = json.dumps(slack.command("/icrm", "frobnicate", user=PM, channel=CHANNEL).json())
    assert "frobnicate" in text and "/icrm setup" in text


def test_empty_command_gets_help(slack: SlackDriver) -> None:
    assert "/icrm setup" in json.dumps(slack.command("/icrm", "", user=PM, channel=CHANNEL).json())


def test_forged_signature_is_401(slack: SlackDriver) -> None:
    response = slack.form({"command": "/icrm", "text": "help"}, signature="v0=" + "0" * 64)
    assert response.status_code == 401


def test_stale_timestamp_is_401(slack: SlackDriver) -> None:
    old = str(int(time.time()) - 600)
    body = b"command=%2Ficrm&text=help"
    response = slack.post(
        body,
        "application/x-www-form-urlencoded",
        timestamp=old,
        signature=sign(slack.secret, old, body),
    )
    assert response.status_code == 401


def test_url_verification_echoes_challenge(slack: SlackDriver) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"}).encode()
    response = slack.post(body, "application/json")
    assert response.status_code == 200 and "abc123" in response.text


def test_retried_event_is_processed_once(slack: SlackDriver, deps: Deps) -> None:
    event = {"type": "app_mention", "user": PM, "text": "hi", "channel": CHANNEL, "ts": "1.1"}
    first = slack.event(event, event_id="EvSAME")
    retry = slack.event(
        event,
        event_id="EvSAME",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert first.status_code == 200 and retry.status_code == 200
    slack.fake.wait_for("chat.postMessage", channel=CHANNEL)
    time.sleep(0.3)  # give a wrongly accepted retry the time to post too
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
    with deps.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(ProcessedEvent)) == 1


def test_healthz_ok(app_url: str) -> None:
    response = httpx.get(app_url + "/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_unknown_path_is_404(app_url: str) -> None:
    assert httpx.post(app_url + "/nope").status_code == 404
