"""Where an answer goes: on a slash command's acknowledgement, through a `response_url`
where an ephemeral cannot be posted, and "busy" when the background pool is full."""

from __future__ import annotations

import threading

from bot.app import Deps
from bot.log import ContextExecutor
from tests.conftest import CHANNEL, MEMBER, OTHER, PM
from tests.e2e.test_risks import make_risk, press
from tests.factories import make_project
from tests.slack_driver import SlackDriver, ack_body


def test_help_rides_on_the_ack_with_no_web_api_call(slack: SlackDriver, deps: Deps) -> None:
    make_project(deps)
    slack.command("/icrm", "budget", user=PM, channel=CHANNEL)  # the channel's project is cached
    ContextExecutor.wait_all_idle(timeout=10)
    before = len(slack.fake.calls)
    body = ack_body(slack.command("/icrm", "help", user=MEMBER, channel=CHANNEL))
    assert body["response_type"] == "ephemeral" and "/icrm" in body["text"] and body["blocks"]
    ContextExecutor.wait_all_idle(timeout=10)
    assert slack.fake.calls[before:] == []


def test_a_list_is_answered_on_the_ack(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    make_risk(deps, made, "Bridge loan late", 4, 4)
    body = ack_body(slack.command("/risk", "list", user=MEMBER, channel=CHANNEL))
    assert body["response_type"] == "ephemeral" and "Bridge loan late" in str(body["blocks"])
    ContextExecutor.wait_all_idle(timeout=10)
    assert slack.fake.calls_to("chat.postEphemeral") == []


def test_commands_work_where_the_bot_cannot_post(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    make_risk(deps, made, "Bridge loan late", 4, 4)
    slack.fake.channel("CELSE", bot_member=False)
    slack.fake.channel("GPRIVATE", private=True, bot_member=False)
    for channel in ("CELSE", "D" + MEMBER, "GPRIVATE"):  # not invited, the app's DM, private
        body = ack_body(slack.command("/risk", "list", user=MEMBER, channel=channel))
        assert "Bridge loan late" in str(body["blocks"]), channel
    ContextExecutor.wait_all_idle(timeout=10)
    assert slack.fake.calls_to("chat.postEphemeral") == []
    assert slack.fake.calls_to("chat.postMessage") == []  # no DM instead


def test_an_ephemeral_refused_goes_through_the_response_url(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    risk_id = make_risk(deps, made, "Bridge loan late", 4, 4)
    slack.fake.channel(CHANNEL, bot_member=False)
    press(slack, "risk_close_open", risk_id, OTHER, {"ts": "1.0", "text": ""})
    [answer] = slack.wait_answers(OTHER)
    assert answer.method == "response_url" and answer.args["response_type"] == "ephemeral"
    ContextExecutor.wait_all_idle(timeout=10)
    assert slack.fake.calls_to("chat.postMessage") == []  # not a DM


def test_slow_work_when_the_pool_is_full_is_refused_with_busy(
    slack: SlackDriver, deps: Deps
) -> None:
    make_project(deps)
    release = threading.Event()
    held = 0
    while deps.background.submit(release.wait, 10):
        held += 1
    try:
        assert held == deps.background.capacity
        body = ack_body(slack.command("/icrm", "export funds", user=PM, channel=CHANNEL))
        assert "busy" in body["text"] and "try again in a minute" in body["text"]
    finally:
        release.set()
    assert deps.background.wait_idle(10)
    assert slack.fake.calls_to("files.getUploadURLExternal") == []
    body = ack_body(slack.command("/icrm", "export funds", user=PM, channel=CHANNEL))
    assert "Preparing the fund-use entries export" in body["text"]
    slack.fake.wait_for("files.completeUploadExternal")


def test_an_ephemeral_refused_not_in_channel_answers_on_the_response_url_with_the_invite_hint(
    slack: SlackDriver, deps: Deps
) -> None:
    made = make_project(deps)
    risk_id = make_risk(deps, made, "Bridge loan late", 4, 4)
    slack.fake.channel(CHANNEL, bot_member=False)
    press(slack, "risk_close_open", risk_id, OTHER, {"ts": "1.0", "text": ""})
    [refused] = slack.fake.wait_for("chat.postEphemeral", channel=CHANNEL)
    assert refused.error == "not_in_channel"
    [answer] = slack.wait_answers(OTHER)
    assert answer.method == "response_url" and "/invite @ICRM" in answer.args["text"]
    ContextExecutor.wait_all_idle(timeout=10)
    assert slack.fake.calls_to("chat.postMessage") == []  # not a DM
