"""Helpers shared by the `/icrm departments|roles|budget|settings` end-to-end tests."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.app import Deps
from storage.models import AuditLog
from tests.conftest import CHANNEL, MEMBER, PM
from tests.fake_slack import Call
from tests.slack_driver import SlackDriver


def blocks_of(call: Call) -> list[dict[str, Any]]:
    blocks = call.args.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


def buttons(call: Call) -> list[dict[str, Any]]:
    """Every button of a message, from actions blocks and section accessories."""
    found = []
    for block in blocks_of(call):
        if block.get("type") == "actions":
            found += block["elements"]
        accessory = block.get("accessory")
        if accessory and accessory.get("type") == "button":
            found.append(accessory)
    return found


def button(call: Call, action_id: str, index: int = 0) -> dict[str, Any]:
    matching = [x for x in buttons(call) if x["action_id"] == action_id]
    assert matching, f"no {action_id} button in {buttons(call)}"
    return matching[index]


def text_of(call: Call) -> str:
    """The message text and every text in its blocks, for `in` assertions."""
    parts = [str(call.args.get("text") or "")]
    for block in blocks_of(call):
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        for element in block.get("elements", []):
            if isinstance(element, dict) and "text" in element:
                text = element["text"]
                parts.append(text["text"] if isinstance(text, dict) else str(text))
    return "\n".join(parts)


def ephemeral(slack: SlackDriver, user: str, count: int = 1) -> Call:
    """The newest answer only `user` sees (after waiting for `count` of them): on a slash
    command's acknowledgement, through a `response_url`, or an ephemeral message."""
    return slack.wait_answers(user, count)[-1]


def pm_command(slack: SlackDriver, text: str, count: int = 1) -> Call:
    """The PM runs `/icrm <text>` in the project channel: the answer only the PM sees
    (after waiting for `count` of them)."""
    slack.command("/icrm", text, user=PM, channel=CHANNEL)
    return ephemeral(slack, PM, count)


def press(slack: SlackDriver, message: Call, action_id: str, index: int = 0) -> dict[str, Any]:
    """The PM presses the `index`-th `action_id` button of `message`: the modal it opens."""
    slack.action(action_id, button(message, action_id, index)["value"], user=PM, channel=CHANNEL)
    return slack.opened_view()


def audit(deps: Deps, entity: str) -> list[AuditLog]:
    with deps.uow() as uow:
        entries = uow.session.scalars(
            select(AuditLog).where(AuditLog.entity == entity).order_by(AuditLog.id)
        ).all()
        uow.session.expunge_all()
        return list(entries)


def accepted(response: Any) -> bool:
    return response.status_code == 200 and response.text in ("", "null")


def assert_pms_only(slack: SlackDriver, action_id: str, value: str, user: str = MEMBER) -> None:
    """`user`, no PM, presses a PM's button (`action_id`, `value`): told that only the
    project's PMs may, with the PM named, and no modal opens."""
    slack.fake.reset()
    slack.action(action_id, value, user=user, channel=CHANNEL)
    refusal = ephemeral(slack, user)
    assert "Only this project's PMs" in text_of(refusal) and f"<@{PM}>" in text_of(refusal)
    assert slack.fake.calls_to("views.open") == []
