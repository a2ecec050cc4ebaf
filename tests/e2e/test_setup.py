"""Project set-up end to end: /icrm setup → views.open → view_submission → database → message."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import Deps
from storage.models import AuditLog, Department, Project, Responsibility
from tests.conftest import CHANNEL, MEMBER, OTHER, PM
from tests.db import count
from tests.slack_driver import SlackDriver, assert_errors

GOOD = {
    "code": "HWY-42",
    "name": "Coastal Expressway PPP",
    "currency": "CNY",
    "total_budget": "12亿",
    "timezone": "Asia/Shanghai",
    "locale": "en",
    "meeting_weekday": "0",
    "meeting_time": "10:00",
    "report_anchor": "2026-11-02",
}


def open_setup(slack: SlackDriver, user: str = PM, channel: str = CHANNEL) -> dict[str, Any]:
    return slack.command_modal("/icrm", "setup", user=user, channel=channel)


def create_project(slack: SlackDriver, **changes: Any) -> None:
    view = open_setup(slack)
    response = slack.submit(view, {**GOOD, **changes}, user=PM)
    assert response.status_code == 200
    assert response.text in ("", "null") or response.json() == {}, response.text


def test_setup_creates_project_with_defaults_and_confirms(slack: SlackDriver, deps: Deps) -> None:
    view = open_setup(slack)
    assert view["callback_id"] == "project_setup"
    response = slack.submit(view, GOOD, user=PM)
    assert response.status_code == 200

    with deps.uow() as uow:
        project = uow.projects.by_channel("T0TEST", CHANNEL)
        assert project is not None
        assert (project.code, project.currency, project.total_budget) == (
            "HWY-42",
            "CNY",
            Decimal("1200000000.00"),
        )
        assert project.pm_ids == [PM]
        names = [d.name for d in uow.projects.departments(project.id)]
        assert names == [
            "Finance",
            "Engineering",
            "Legal",
            "Operations",
            "Design institute",
            "Construction contractor",
            "Supervision unit",
        ]
        assert len(uow.projects.responsibilities(project.id)) > 20
    message = slack.fake.wait_for("chat.postMessage", channel=CHANNEL)[0]
    assert "HWY-42" in message.args["text"] and f"<@{PM}>" in message.args["text"]
    assert count(deps, AuditLog) == 1


def test_chinese_project_seeds_chinese_department_names(slack: SlackDriver, deps: Deps) -> None:
    create_project(slack, locale="zh-Hans")
    with deps.uow() as uow:
        names = [d.name for d in uow.session.scalars(select(Department).order_by(Department.id))]
    assert names[:2] == ["财务部", "工程部"]
    text = slack.fake.wait_for("chat.postMessage", channel=CHANNEL)[0].args["text"]
    assert "联合指挥部" in text and "HWY-42" in text


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("currency", "XYZ", "not an ISO 4217"),
        ("currency", "", "required"),
        ("timezone", "Mars/Olympus", "not a known time zone"),
        ("total_budget", "-5", "more than zero"),
        ("total_budget", "99999999999999", "too large"),
        ("total_budget", "lots", "not an amount"),
        ("code", "hwy 42!", "capital letters"),
        ("code", "", "required"),
        ("name", "", "required"),
        ("meeting_time", None, "required"),
        ("report_anchor", None, "required"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(
    slack: SlackDriver, deps: Deps, field: str, value: Any, fragment: str
) -> None:
    view = open_setup(slack)
    response = slack.submit(view, {**GOOD, field: value}, user=PM)
    assert fragment in assert_errors(response, field)[field]
    assert count(deps, Project) == 0 and count(deps, Department) == 0 and count(deps, AuditLog) == 0


def test_duplicate_code_in_the_workspace_is_refused(slack: SlackDriver, deps: Deps) -> None:
    create_project(slack)
    response = slack.command("/icrm", "setup", user=PM, channel="COTHER")
    assert response.status_code == 200
    view = slack.opened_view()
    body = slack.submit(view, {**GOOD, "name": "Another"}, user=PM).json()
    assert body["response_action"] == "errors"
    assert "already used" in body["errors"]["code"]
    assert count(deps, Project) == 1


def test_pm_edits_and_audit_keeps_before_and_after(slack: SlackDriver, deps: Deps) -> None:
    create_project(slack)
    slack.command("/icrm", "setup", user=PM, channel=CHANNEL)
    # The second views.open: `open_setup` could return the first one before this one arrives.
    view = slack.fake.wait_for("views.open", count=2)[-1].args["view"]
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert inputs["code"]["element"]["initial_value"] == "HWY-42"
    assert inputs["total_budget"]["element"]["initial_value"] == "1,200,000,000"  # as typed
    assert slack.submit(view, {"name": "Coastal Expressway Phase II"}, user=PM).status_code == 200
    with deps.uow() as uow:
        project = uow.projects.by_code("T0TEST", "HWY-42")
        assert project is not None and project.name == "Coastal Expressway Phase II"
        entries = uow.session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
        assert [e.action for e in entries] == ["create", "update"]
        assert (
            entries[1].before is not None and entries[1].before["name"] == "Coastal Expressway PPP"
        )
        assert (
            entries[1].after is not None
            and entries[1].after["name"] == "Coastal Expressway Phase II"
        )
    assert count(deps, Responsibility) > 0


def test_non_pm_is_refused_with_who_can(slack: SlackDriver, deps: Deps) -> None:
    create_project(slack)
    slack.fake.reset()
    response = slack.command("/icrm", "setup", user=OTHER, channel=CHANNEL)
    assert response.status_code == 200
    refusal = slack.wait_answers(OTHER)[0]
    assert f"<@{PM}>" in refusal.args["text"] and "PMs" in refusal.args["text"]
    assert slack.fake.calls_to("views.open") == []


def test_non_pm_submitting_a_stale_modal_saves_nothing(slack: SlackDriver, deps: Deps) -> None:
    view = open_setup(slack)  # opened before the project existed
    create_project(slack)
    body = slack.submit(view, {**GOOD, "name": "Hijack"}, user=MEMBER).json()
    assert body["response_action"] == "errors"
    with deps.uow() as uow:
        project = uow.projects.by_code("T0TEST", "HWY-42")
        assert project is not None and project.name == GOOD["name"]


def test_setup_in_a_dm_explains_where_to_run_it(slack: SlackDriver) -> None:
    slack.command("/icrm", "setup", user=PM, channel="DPM")
    message = slack.wait_answers(PM)[0]
    assert "project's channel" in message.args["text"]


def test_bot_not_in_channel_joins_then_posts(slack: SlackDriver) -> None:
    slack.fake.channel(CHANNEL, bot_member=False)
    create_project(slack)
    slack.fake.wait_for("conversations.join", channel=CHANNEL)
    slack.fake.wait_for("chat.postMessage", channel=CHANNEL)


def test_setup_in_a_private_channel_without_the_bot_asks_the_pm_to_invite_it(
    slack: SlackDriver, deps: Deps
) -> None:
    slack.fake.channel(CHANNEL, private=True, bot_member=False)
    create_project(slack)
    dm = slack.fake.wait_for("chat.postMessage", channel=PM)[0]
    assert "/invite @ICRM" in str(dm.args)
    assert count(deps, Project) == 1
    assert not slack.fake.calls_to("conversations.join")  # private: only an invite works


def test_a_language_change_is_seen_by_the_next_command(slack: SlackDriver) -> None:
    create_project(slack)
    assert "Here is what" in str(slack.command("/icrm", "help", user=PM, channel=CHANNEL).json())
    view = open_setup(slack)
    assert slack.submit(view, {"locale": "zh-Hans"}, user=PM).status_code == 200
    assert "可以做这些事" in str(slack.command("/icrm", "help", user=PM, channel=CHANNEL).json())


def test_a_chinese_edit_form_shows_the_budget_as_typed(slack: SlackDriver, deps: Deps) -> None:
    create_project(slack, locale="zh-Hans", total_budget="1,250,000,000")
    inputs = {b["block_id"]: b for b in open_setup(slack)["blocks"] if b["type"] == "input"}
    assert inputs["total_budget"]["element"]["initial_value"] == "12.5亿"
