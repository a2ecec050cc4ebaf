"""`/icrm departments` end to end: list, add, edit, remove, refusals, bad input, audit."""

from __future__ import annotations

from typing import Any

import pytest

from bot.app import Deps
from storage.models import Department, Responsibility
from tests.conftest import CHANNEL, LEAD, MEMBER, OTHER, PM
from tests.e2e import admin_helpers as admin
from tests.factories import make_project
from tests.slack_driver import SlackDriver, assert_errors

ADD, EDIT, REMOVE = (
    "project_department_add",
    "project_department_edit",
    "project_department_remove",
)


def departments(deps: Deps, project_id: int) -> dict[str, Department]:
    with deps.uow() as uow:
        found = {d.name: d for d in uow.projects.departments(project_id)}
        for d in found.values():
            _ = d.member_ids
        uow.session.expunge_all()
        return found


def pm_list(slack: SlackDriver) -> Any:
    return admin.pm_command(slack, "departments")


def open_edit(slack: SlackDriver, index: int = 1) -> dict[str, Any]:
    """Open the edit modal of the `index`-th department (1 = Engineering)."""
    return admin.press(slack, pm_list(slack), EDIT, index)


def test_member_sees_the_list_without_buttons(slack: SlackDriver, deps: Deps) -> None:
    make_project(deps)
    response = slack.command("/icrm", "departments", user=MEMBER, channel=CHANNEL)
    assert response.status_code == 200
    message = admin.ephemeral(slack, MEMBER)
    text = admin.text_of(message)
    assert "Finance" in text and "Supervision unit" in text
    assert f"Lead: <@{LEAD}>" in text and "Members: 1" in text
    assert admin.buttons(message) == []
    assert f"<@{PM}>" in text  # who can change it


def test_pm_edits_a_department(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    view = open_edit(slack)
    assert view["callback_id"] == "project_department"
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert inputs["name"]["element"]["initial_value"] == "Engineering"
    response = slack.submit(
        view,
        {
            "name": "Engineering & design",
            "lead": "UENG",
            "members": [MEMBER, "UENG2"],
            "responsibilities": "Technical review of every drawdown request.",
        },
        user=PM,
    )
    assert admin.accepted(response), response.text
    engineering = departments(deps, made.project_id)["Engineering & design"]
    assert engineering.lead_user_id == "UENG"
    assert sorted(engineering.member_ids) == sorted([MEMBER, "UENG2"])
    assert engineering.responsibilities.startswith("Technical review")
    entries = admin.audit(deps, "department")
    assert [e.action for e in entries] == ["update"]
    assert entries[0].before is not None and entries[0].before["name"] == "Engineering"
    assert entries[0].after is not None and entries[0].after["lead"] == "UENG"
    notice = admin.ephemeral(slack, PM, count=2)
    assert "Saved the department" in admin.text_of(notice)


def test_pm_adds_a_department(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    view = admin.press(slack, pm_list(slack), ADD)
    response = slack.submit(
        view, {"name": "Procurement", "kind": "other", "lead": "UPROC"}, user=PM
    )
    assert admin.accepted(response), response.text
    admin.ephemeral(slack, PM, count=2)  # the handler has finished
    added = departments(deps, made.project_id)["Procurement"]
    assert (added.kind, added.lead_user_id) == ("other", "UPROC")
    assert [e.action for e in admin.audit(deps, "department")] == ["create"]


@pytest.mark.parametrize(
    ("values", "field", "fragment"),
    [
        ({"name": ""}, "name", "required"),
        ({"name": "   "}, "name", "required"),
        ({"name": "finance"}, "name", "already has a department"),
        ({"name": "x" * 101}, "name", "under 100"),
        ({"kind": None}, "kind", "required"),
        ({"kind": "aliens"}, "kind", "from the list"),
        ({"lead": "not-a-user"}, "lead", "list of people"),
        ({"members": ["UOK", "bogus"]}, "members", "list of people"),
        ({"responsibilities": "x" * 2001}, "responsibilities", "under 2000"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(
    slack: SlackDriver, deps: Deps, values: dict[str, Any], field: str, fragment: str
) -> None:
    made = make_project(deps)
    before = departments(deps, made.project_id)
    view = open_edit(slack)
    errors = assert_errors(slack.submit(view, values, user=PM), field)
    assert fragment in errors[field]
    after = departments(deps, made.project_id)
    assert sorted(after) == sorted(before)
    assert after["Engineering"].member_ids == before["Engineering"].member_ids
    assert admin.audit(deps, "department") == []


def test_non_pm_cannot_open_or_submit(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    view = open_edit(slack)
    value = admin.button(pm_list(slack), EDIT, 1)["value"]
    admin.assert_pms_only(slack, EDIT, value)
    errors = assert_errors(slack.submit(view, {"name": "Hijacked"}, user=OTHER), "name")
    assert f"<@{PM}>" in errors["name"]
    assert "Hijacked" not in departments(deps, made.project_id)


def test_remove_refused_while_budget_lines_belong_to_it(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    finance = admin.button(pm_list(slack), REMOVE, 0)
    assert finance["confirm"]["style"] == "danger"
    slack.action(REMOVE, finance["value"], user=PM, channel=CHANNEL)
    refusal = admin.ephemeral(slack, PM, count=2)
    assert "budget lines (1)" in admin.text_of(refusal)
    assert "Finance" in departments(deps, made.project_id)
    assert admin.audit(deps, "department") == []


def test_remove_refused_for_the_only_responsible_of_a_row(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    legal = admin.button(pm_list(slack), REMOVE, 2)["value"]
    slack.action(REMOVE, legal, user=PM, channel=CHANNEL)
    assert "only Responsible" in admin.text_of(admin.ephemeral(slack, PM, count=2))
    assert "Legal" in departments(deps, made.project_id)


def test_pm_removes_a_department_and_its_matrix_places(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    engineering = made.departments["engineering"]
    slack.action(REMOVE, admin.button(pm_list(slack), REMOVE, 1)["value"], user=PM, channel=CHANNEL)
    notice = admin.ephemeral(slack, PM, count=2)
    assert "Removed the department “Engineering”" in admin.text_of(notice)
    assert "Engineering" not in departments(deps, made.project_id)
    with deps.uow() as uow:
        held = [r for r in uow.session.query(Responsibility) if r.department_id == engineering]
    assert held == []
    entries = admin.audit(deps, "department")
    assert [e.action for e in entries] == ["delete"]
    assert entries[0].before is not None and entries[0].before["name"] == "Engineering"


def test_non_pm_cannot_remove(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    value = admin.button(pm_list(slack), REMOVE, 1)["value"]
    slack.action(REMOVE, value, user=MEMBER, channel=CHANNEL)
    assert "Only this project's PMs" in admin.text_of(admin.ephemeral(slack, MEMBER))
    assert "Engineering" in departments(deps, made.project_id)
