"""Logs carry a request id on every line and never a token or a secret."""

from __future__ import annotations

import io
import logging
import re

from bot.log import configure_logging
from tests.conftest import BOT_TOKEN, CHANNEL, PM, SIGNING_SECRET
from tests.e2e.test_setup import GOOD
from tests.slack_driver import SlackDriver


def test_a_whole_flow_logs_request_ids_and_no_secret(slack: SlackDriver) -> None:
    buffer = io.StringIO()
    handler = configure_logging("DEBUG", [BOT_TOKEN, SIGNING_SECRET], stream=buffer)
    try:
        slack.command("/icrm", "setup", user=PM, channel=CHANNEL)
        view = slack.opened_view()
        slack.submit(view, GOOD, user=PM)
        slack.fake.wait_for("chat.postMessage", channel=CHANNEL)
        logging.getLogger("icrm.test").warning("token in a message: %s", BOT_TOKEN)
    finally:
        logging.getLogger().removeHandler(handler)
    output = buffer.getvalue()
    assert "Running listener" in output  # the flow was logged at DEBUG
    assert BOT_TOKEN not in output and SIGNING_SECRET not in output
    assert "[redacted]" in output
    ids = set(re.findall(r"\[([0-9a-f]{12})\] icrm\.slack: Running listener", output))
    assert len(ids) >= 2, "the listeners of different requests log different request ids"
