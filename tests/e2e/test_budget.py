"""`/icrm budget` end to end: totals, add and edit lines, thresholds, refusals, the picker."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from bot.app import Deps
from handlers.blocks import unindexed
from storage.models import BudgetLine
from tests.conftest import CHANNEL, MEMBER, OTHER, PM
from tests.e2e import admin_helpers as admin
from tests.factories import make_project
from tests.slack_driver import SlackDriver, assert_errors

ADD, EDIT = "project_budget_add", "project_budget_edit"


def lines(deps: Deps, project_id: int) -> dict[str, BudgetLine]:
    with deps.uow() as uow:
        found = {line.name: line for line in uow.funds.lines(project_id)}
        uow.session.expunge_all()
        return found


def set_spent(deps: Deps, line_id: int, spent: str, alerted: int = 0) -> None:
    with deps.uow() as uow:
        line = uow.session.get(BudgetLine, line_id)
        assert line is not None
        line.spent, line.alerted_percent = Decimal(spent), alerted
        uow.commit()


def pm_budget(slack: SlackDriver, count: int = 1) -> Any:
    return admin.pm_command(slack, "budget", count)


def open_edit(slack: SlackDriver) -> dict[str, Any]:
    return admin.press(slack, pm_budget(slack), EDIT)


def test_member_sees_lines_spent_and_totals(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps, budget={"Civil works": Decimal(600000), "Land": Decimal(500000)})
    set_spent(deps, made.lines["Civil works"], "570000", 90)
    slack.command("/icrm", "budget", user=MEMBER, channel=CHANNEL)
    message = admin.ephemeral(slack, MEMBER)
    text = admin.text_of(message)
    assert "Civil works" in text and "Construction works" in text and "Finance" in text
    assert "¥570K spent of ¥600K (95.0%)" in text
    assert "Allocated ¥1.1M of the total budget ¥1M" in text
    assert "exceed the total budget by ¥100K" in text
    assert admin.buttons(message) == []


def test_pm_adds_a_line(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    view = admin.press(slack, pm_budget(slack), ADD)
    assert view["callback_id"] == "project_budget_line"
    values = {
        "name": "Land acquisition",
        "category": "land",
        "department": str(made.departments["legal"]),
        "allocated": "35万",
    }
    assert admin.accepted(slack.submit(view, values, user=PM))
    line = lines(deps, made.project_id)["Land acquisition"]
    assert (line.category, line.department_id, line.allocated) == (
        "land",
        made.departments["legal"],
        Decimal("350000.00"),
    )
    assert (line.spent, line.alerted_percent) == (Decimal(0), 0)
    entries = admin.audit(deps, "budget_line")
    assert [e.action for e in entries] == ["create"]
    assert entries[0].after is not None and entries[0].after["allocated"] == "350000.00"
    notice = admin.ephemeral(slack, PM, count=2)
    assert "Saved the budget line “Land acquisition”" in admin.text_of(notice)
    assert "Not yet allocated: ¥50K" in admin.text_of(notice)


@pytest.mark.parametrize(
    ("spent", "alerted", "allocated", "expected"),
    [
        ("570000", 90, "1000000", 0),  # raised well above: a later 90 % alert is due again
        ("570000", 90, "600000", 90),  # unchanged allocation: untouched
        ("500000", 0, "540000", 90),  # lowered past 90 %: not announced later as news
        ("500000", 0, "400000", 100),
        ("0", 0, "1", 0),
    ],
)
def test_changing_the_allocation_resets_the_alert_threshold(
    slack: SlackDriver, deps: Deps, spent: str, alerted: int, allocated: str, expected: int
) -> None:
    made = make_project(deps)
    line_id = made.lines["Construction works"]
    set_spent(deps, line_id, spent, alerted)
    view = open_edit(slack)
    assert admin.accepted(slack.submit(view, {"allocated": allocated}, user=PM))
    admin.ephemeral(slack, PM, count=2)  # the handler has finished
    line = lines(deps, made.project_id)["Construction works"]
    assert (line.allocated, line.alerted_percent) == (Decimal(allocated), expected)
    assert line.spent == Decimal(spent)


def test_edit_keeps_before_and_after_in_the_audit(slack: SlackDriver, deps: Deps) -> None:
    make_project(deps)
    view = open_edit(slack)
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert inputs["allocated"]["element"]["initial_value"] == "600,000"  # as typed
    assert admin.accepted(slack.submit(view, {"name": "Civil works", "department": None}, user=PM))
    admin.ephemeral(slack, PM, count=2)  # the handler has finished
    entry = admin.audit(deps, "budget_line")[0]
    assert entry.before is not None and entry.after is not None
    assert (entry.before["name"], entry.after["name"]) == ("Construction works", "Civil works")
    assert entry.after["department_id"] is None


@pytest.mark.parametrize(
    ("values", "field", "fragment"),
    [
        ({"name": ""}, "name", "required"),
        ({"name": "other line"}, "name", "already has a budget line"),
        ({"category": None}, "category", "required"),
        ({"category": "yachts"}, "category", "from the list"),
        ({"department": "999999"}, "department", "no longer exists"),
        ({"allocated": ""}, "allocated", "required"),
        ({"allocated": "-5"}, "allocated", "more than zero"),
        ({"allocated": "0"}, "allocated", "more than zero"),
        ({"allocated": "99999999999999"}, "allocated", "too large"),
        ({"allocated": "a lot"}, "allocated", "not an amount"),
        ({"allocated": "USD 100"}, "allocated", "project's currency"),
        ({"allocated": "1.234"}, "allocated", "two decimals"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(
    slack: SlackDriver, deps: Deps, values: dict[str, Any], field: str, fragment: str
) -> None:
    made = make_project(
        deps, budget={"Construction works": Decimal(600000), "Other line": Decimal(1)}
    )
    view = open_edit(slack)
    errors = assert_errors(slack.submit(view, values, user=PM), field)
    assert fragment in errors[field]
    line = lines(deps, made.project_id)["Construction works"]
    assert (line.allocated, line.category) == (Decimal("600000.00"), "construction")
    assert admin.audit(deps, "budget_line") == []


def test_non_pm_is_refused(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    view = open_edit(slack)
    value = admin.button(pm_budget(slack, 1), EDIT)["value"]
    admin.assert_pms_only(slack, EDIT, value)
    assert_errors(slack.submit(view, {"allocated": "1"}, user=OTHER), "name")
    assert lines(deps, made.project_id)["Construction works"].allocated == Decimal("600000.00")


def test_user_in_two_projects_picks_one_from_a_dm(slack: SlackDriver, deps: Deps) -> None:
    make_project(deps, code="HWY-42", budget={"Tunnel": Decimal(100)})
    second = make_project(deps, code="PWR-7", channel="CPOWER", budget={"Turbines": Decimal(200)})
    response = slack.command("/icrm", "budget", user=MEMBER, channel="DMEMBER")
    body = response.json()
    picks = [
        e
        for block in body["blocks"]
        if block["type"] == "actions"
        for e in block["elements"]
        if unindexed(e["action_id"]) == "pick_project"
    ]
    assert [p["text"]["text"].split(" · ")[0] for p in picks] == ["HWY-42", "PWR-7"]
    chosen = next(p for p in picks if json.loads(p["value"])["p"] == second.project_id)
    slack.action(chosen["action_id"], chosen["value"], user=MEMBER, channel="DMEMBER")
    message = slack.wait_answers(MEMBER, count=2)[-1]  # the picker, then the budget
    text = admin.text_of(message)
    assert "Budget of PWR-7" in text and "Turbines" in text and "Tunnel" not in text
