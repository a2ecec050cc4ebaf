"""A high or critical risk reaches people: the owner (else the department lead, else the
PMs) is @-mentioned in the command channel and DM'd once; ownership and acknowledgement
show on the message; a new risk close to an open one says so."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.app import Deps
from bot.log import ContextExecutor
from bot.services import risks
from bot.slack import make_web_client
from handlers.risks import flows
from handlers.routing import project_by_id
from storage.models import Risk
from tests.conftest import CHANNEL, LEAD, MEMBER, PM
from tests.db import count
from tests.e2e.test_risks import (
    HIGH,
    alert_message,
    buttons,
    flag,
    last_said,
    make_risk,
    only_risk,
    open_modal,
    press,
)
from tests.factories import as_user, make_project
from tests.fake_slack import TEAM_ID
from tests.slack_driver import SlackDriver


def dms_to(slack: SlackDriver, user: str) -> list[dict[str, Any]]:
    return [c.args for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"] == user]


def blocks_text(args: dict[str, Any]) -> str:
    blocks = args.get("blocks") or []
    return json.dumps(json.loads(blocks) if isinstance(blocks, str) else blocks, ensure_ascii=False)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"owner": LEAD}, [LEAD]),  # the owner
        ({}, [LEAD]),  # no owner: the finance department's lead
        ({"department": None}, [PM]),  # neither: the PMs
    ],
    ids=["owner", "department-lead", "pms"],
)
def test_escalation_mentions_and_dms_the_right_people(
    slack: SlackDriver, deps: Deps, changes: dict[str, Any], expected: list[str]
) -> None:
    made = make_project(deps)
    flag(slack, made, **changes)
    message = alert_message(slack)
    assert f"Escalated to <@{expected[0]}>" in blocks_text(message)
    for person in expected:
        [dm] = slack.fake.wait_for("chat.postMessage", channel=person)
        assert "R-1" in dm.args["text"] and "needs you" in dm.args["text"]
        assert f"<#{CHANNEL}>" in dm.args["text"]
    assert dms_to(slack, MEMBER) == []  # whoever raised it is told ephemerally, not DM'd


def test_the_raiser_who_owns_it_is_not_dmd(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    flag(slack, made, owner=MEMBER)
    assert f"Escalated to <@{MEMBER}>" in blocks_text(alert_message(slack))
    assert dms_to(slack, MEMBER) == []


def test_escalating_twice_posts_and_dms_once(slack: SlackDriver, deps: Deps) -> None:
    """A retried submission (or a second process) reaches the same risk: one post, one DM."""
    made = make_project(deps)
    risk_id = make_risk(deps, made, "资金链断裂", 4, 5, owner=LEAD)
    project = project_by_id(deps, TEAM_ID, made.project_id)
    assert project is not None
    client = make_web_client(deps.settings)
    with deps.uow() as uow:
        card = risks.find(uow, project_id=made.project_id, number=1)
    assert card.id == risk_id
    assert flows.escalate(deps, client, card, project, raised_by=MEMBER) is True
    assert flows.escalate(deps, client, card, project, raised_by=MEMBER) is True
    posted = [c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]
    assert len(posted) == 1 and len(dms_to(slack, LEAD)) == 1
    assert only_risk(deps).alert_ts is not None


def test_acknowledging_and_owning_show_on_the_message(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    flag(slack, made)  # no owner: escalated to the finance lead
    risk_id = only_risk(deps).id
    message = alert_message(slack)
    assert "risk_take_ownership" in buttons(message["blocks"])
    assert "Not acknowledged yet" in blocks_text(message)

    press(slack, "risk_acknowledge", risk_id, LEAD, message)
    acknowledged = slack.fake.wait_for("chat.update", ts=message["ts"])[-1].args
    assert "Acknowledged by <@ULEAD>" in blocks_text(acknowledged)
    assert only_risk(deps).acknowledged_by == LEAD

    press(slack, "risk_take_ownership", risk_id, MEMBER, message)
    owned = slack.fake.wait_for("chat.update", count=2)[-1].args
    assert "risk_take_ownership" not in buttons(owned["blocks"])
    assert f"Escalated to <@{MEMBER}>" in blocks_text(owned)  # the owner, now
    assert only_risk(deps).owner_id == MEMBER


def test_a_similar_open_risk_is_named_in_the_confirmation(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    make_risk(deps, made, "征地延误 on section 3", 2, 2)
    make_risk(deps, made, "资金链断裂 - bridge loan not yet signed", 3, 3)
    closed = make_risk(deps, made, "资金链断裂: bridge loan not signed!", 2, 2)
    as_user(deps, risks.close_risk, PM, risk_id=closed, note="")
    flag(slack, made, likelihood="2", impact="2")  # HIGH's title
    told = last_said(slack, MEMBER)
    assert "Flagged R-4" in told and "Similar open risk" in told
    assert "R-2" in told and "R-3" not in told and "R-1" not in told  # closed ones do not count


def test_a_distinct_risk_gets_no_similarity_note(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    make_risk(deps, made, "Steel price rise", 2, 2)
    flag(slack, made, likelihood="2", impact="2", title="汇率波动 on the USD tranche")
    assert "Similar" not in last_said(slack, MEMBER)


def test_similar_titles_in_chinese_confirmation(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps, locale="zh-Hans")
    make_risk(deps, made, "资金链断裂：过桥贷款未签署", 3, 3)
    flag(slack, made, likelihood="2", impact="2", title="资金链断裂，过桥贷款尚未签署")
    told = last_said(slack, MEMBER)
    assert "R-1" in told and "相似" in told


def test_hostile_title_in_the_dm_is_inert(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    flag(slack, made, owner=LEAD, title="<!channel> *urgent*")
    [dm] = slack.fake.wait_for("chat.postMessage", channel=LEAD)
    assert "<!channel>" not in json.dumps(dm.args) and "&lt;!channel&gt;" in dm.args["text"]
    assert HIGH  # the default title is replaced above


def test_when_the_channel_refuses_the_people_are_still_dmd(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    slack.fake.channel(CHANNEL, private=True, bot_member=False)
    flag(slack, made, owner=LEAD)
    [dm] = slack.fake.wait_for("chat.postMessage", channel=LEAD)
    assert "needs you" in dm.args["text"] and "/risk show R-1" in dm.args["text"]
    assert only_risk(deps).alert_ts is None


def test_the_dm_acknowledges_and_the_channel_message_follows(
    slack: SlackDriver, deps: Deps
) -> None:
    made = make_project(deps)
    flag(slack, made)  # escalated to the finance lead
    message = alert_message(slack)
    [dm] = slack.fake.wait_for("chat.postMessage", channel=LEAD)
    assert buttons(json.loads(blocks_text(dm.args))) == ["risk_acknowledge"]
    slack.action("risk_acknowledge", str(only_risk(deps).id), user=LEAD, channel=f"D{LEAD}")
    update = slack.fake.wait_for("chat.update", ts=message["ts"])[-1].args
    assert "Acknowledged by <@ULEAD>" in blocks_text(update)
    assert only_risk(deps).acknowledged_by == LEAD


def test_a_retried_submission_escalates_once(slack: SlackDriver, deps: Deps) -> None:
    """Slack re-sends a submission it thinks timed out: one risk, one post, one DM."""
    made = make_project(deps)
    view = {**open_modal(slack, MEMBER), "id": "VRETRIED", "hash": "1.retried"}
    values = {
        **HIGH,
        "likelihood": "4",
        "impact": "5",
        "owner": LEAD,
        "department": str(made.departments["finance"]),
    }
    for _attempt in range(2):
        assert slack.submit(view, values, user=MEMBER).status_code == 200
    slack.fake.wait_for("chat.postMessage", channel=LEAD)
    ContextExecutor.wait_all_idle(timeout=10)
    assert count(deps, Risk) == 1
    posted = [c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]
    assert len(posted) == 1 and len(dms_to(slack, LEAD)) == 1
