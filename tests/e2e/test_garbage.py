"""Garbage in, 4xx out: malformed requests are refused before anything parses them, with one
short log line and never a traceback."""

from __future__ import annotations

import json
import logging
import time

import httpx
import pytest

from tests.conftest import CHANNEL, PM
from tests.slack_driver import SlackDriver, sign

FORM = "application/x-www-form-urlencoded"


def _no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.exc_info or r.exc_text], "a traceback was logged"
    refusals = [r for r in caplog.records if r.name == "icrm.web"]
    assert len(refusals) == 1 and len(refusals[0].getMessage()) < 120


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"payload=%7Bnot+json", FORM),  # broken JSON in `payload`
        (b"payload=%5B1%2C2%5D", FORM),  # `payload` is a JSON list, not an object
        (b"payload=%22text%22", FORM),  # ... or a string
        (b"payload=" + b"%5B" * 5000, FORM),  # nested deeper than the parser allows
        (b"command=%2Ficrm&text=\xff\xfe\xfa", FORM),  # not UTF-8
        (b"\xc3\x28", "application/json"),  # not UTF-8 either
        (b'{"type": ', "application/json"),  # broken JSON body
        (b"[1, 2, 3]", "application/json"),  # a JSON body that is not an object
    ],
)
def test_signed_garbage_is_400(
    slack: SlackDriver, caplog: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    caplog.set_level(logging.DEBUG)
    response = slack.post(body, content_type)
    assert response.status_code == 400
    assert len(response.content) < 200
    _no_tracebacks(caplog)


@pytest.mark.parametrize("timestamp", ["soon", "12.5", "-1", "", "1e9", "0x1f"])
def test_non_numeric_timestamp_is_401(
    slack: SlackDriver, caplog: pytest.LogCaptureFixture, timestamp: str
) -> None:
    caplog.set_level(logging.DEBUG)
    body = b"command=%2Ficrm&text=help"
    response = slack.post(body, FORM, timestamp=timestamp)  # signed with that timestamp
    assert response.status_code == 401
    _no_tracebacks(caplog)


@pytest.mark.parametrize(
    "body", [b"payload=%7Bnot+json", b"\xff\xfe", b"payload=%5B1%5D", b"[1]", b""]
)
def test_unsigned_garbage_is_401_before_parsing(
    slack: SlackDriver, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    caplog.set_level(logging.DEBUG)
    response = slack.post(body, FORM, signature="v0=" + "0" * 64)
    assert response.status_code == 401
    assert "JSON" not in response.text and "UTF-8" not in response.text
    _no_tracebacks(caplog)


def test_signed_request_with_a_wrong_secret_is_401(slack: SlackDriver) -> None:
    body = json.dumps({"type": "event_callback", "event": {}}).encode()
    now = str(int(time.time()))
    response = slack.post(body, "application/json", timestamp=now, signature=sign("x", now, body))
    assert response.status_code == 401


def test_good_requests_still_pass(slack: SlackDriver) -> None:
    response = slack.command("/icrm", "help", user=PM, channel=CHANNEL)
    assert response.status_code == 200 and "/icrm setup" in response.text


def test_bad_content_length_is_400(app_url: str) -> None:
    with httpx.Client() as client:
        request = client.build_request("POST", app_url + "/slack/events", content=b"x")
        request.headers["Content-Length"] = "abc"
        try:
            response = client.send(request)
        except httpx.HTTPError:
            return  # the server refused to read it at all: fine too
    assert response.status_code == 400


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "view_submission", "view": "x", "user": 5},
        {"type": "shortcut", "callback_id": 7, "user": {"id": None}},
        {"type": 3},
        {},
    ],
)
def test_signed_objects_of_the_wrong_shape_get_no_500(
    slack: SlackDriver, caplog: pytest.LogCaptureFixture, payload: dict[str, object]
) -> None:
    caplog.set_level(logging.DEBUG)
    response = slack.interactive(payload)
    assert response.status_code < 500
    assert not [r for r in caplog.records if r.exc_info and r.name == "icrm.web"]
