"""`/icrm roles` end to end: the matrix, editing a row, adding an area, validation, refusals."""

from __future__ import annotations

from typing import Any

import pytest

from bot.app import Deps
from tests.conftest import CHANNEL, MEMBER, OTHER, PM
from tests.e2e import admin_helpers as admin
from tests.factories import Made, make_project
from tests.slack_driver import SlackDriver, assert_errors

EDIT, ADD = "project_roles_edit", "project_roles_add"


def row(deps: Deps, project_id: int, phase: str, area: str) -> dict[int, str]:
    with deps.uow() as uow:
        return {
            r.department_id: r.role
            for r in uow.projects.responsibilities(project_id)
            if (r.phase, r.area) == (phase, area)
        }


def field(made: Made, kind: str) -> str:
    return f"dept_{made.departments[kind]}"


def role_fields(made: Made, roles: dict[str, str]) -> dict[str, str]:
    """`roles` by department kind, keyed by the modal's fields."""
    return {field(made, kind): role for kind, role in roles.items()}


def by_id(made: Made, roles: dict[str, str]) -> dict[int, str]:
    """`roles` by department kind, keyed by the departments' ids as `row` returns them."""
    return {made.departments[kind]: role for kind, role in roles.items()}


def pm_matrix(slack: SlackDriver, count: int = 1) -> Any:
    return admin.pm_command(slack, "roles", count)


def open_first_row(slack: SlackDriver) -> dict[str, Any]:
    """The edit modal of the first row: initiation · budget preparation."""
    return admin.press(slack, pm_matrix(slack), EDIT)


def open_add(slack: SlackDriver) -> dict[str, Any]:
    return admin.press(slack, pm_matrix(slack), ADD)


def test_member_reads_one_line_per_row(slack: SlackDriver, deps: Deps) -> None:
    make_project(deps)
    slack.command("/icrm", "roles", user=MEMBER, channel=CHANNEL)
    message = admin.ephemeral(slack, MEMBER)
    text = admin.text_of(message)
    assert (
        "*Initiation phase · Budget preparation*\n"
        "*R* Finance · *C* Engineering · *C* Design institute · *I* Operations"
    ) in text
    assert "*R* Operations · *A* Finance" in text  # fund-use monitoring, construction phase
    assert text.index("Initiation phase") < text.index("Operation phase ·")
    assert admin.buttons(message) == []
    assert f"<@{PM}>" in text


def test_pm_edits_a_row(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    view = open_first_row(slack)
    assert view["callback_id"] == "project_roles"
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert inputs[field(made, "finance")]["element"]["initial_option"]["value"] == "R"
    assert inputs[field(made, "legal")]["element"]["initial_option"]["value"] == "-"
    values = {field(made, "operations"): "A", field(made, "design"): "-"}
    assert admin.accepted(slack.submit(view, values, user=PM))
    assert row(deps, made.project_id, "initiation", "budget_preparation") == by_id(
        made, {"finance": "R", "engineering": "C", "operations": "A"}
    )
    entry = admin.audit(deps, "responsibility")[0]
    assert (entry.action, entry.entity_id) == ("update", "initiation:budget_preparation")
    assert entry.before == {
        "Finance": "R",
        "Engineering": "C",
        "Design institute": "C",
        "Operations": "I",
    }
    assert entry.after is not None and entry.after["Operations"] == "A"
    notice = admin.ephemeral(slack, PM, count=2)
    assert "Saved the responsibilities for Initiation phase · Budget preparation" in admin.text_of(
        notice
    )


def test_pm_adds_an_area(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    view = open_add(slack)
    roles = {"legal": "R", "finance": "A", "operations": "I"}
    values = {"area": "Land acquisition", "phase": "construction", **role_fields(made, roles)}
    assert admin.accepted(slack.submit(view, values, user=PM))
    assert row(deps, made.project_id, "construction", "Land acquisition") == by_id(made, roles)
    entry = admin.audit(deps, "responsibility")[0]
    assert (entry.action, entry.before) == ("create", None)
    assert "Construction phase · Land acquisition" in admin.text_of(
        admin.ephemeral(slack, PM, count=2)
    )


def test_same_area_name_in_another_phase_is_fine(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    values = {"area": "Budget preparation", "phase": "operation", field(made, "finance"): "R"}
    assert admin.accepted(slack.submit(open_add(slack), values, user=PM))
    admin.ephemeral(slack, PM, count=2)  # the handler has finished


@pytest.mark.parametrize(
    ("values", "fields", "fragment"),
    [
        ({"finance": "-"}, ["finance"], "at least one department must be responsible"),
        ({"engineering": "A", "design": "A"}, ["design"], "only one department"),
        (
            {"finance": "-", "engineering": "A", "legal": "A"},
            ["finance", "legal"],
            "",
        ),
        ({"legal": "X"}, ["legal"], "choose r, a, c, i"),
    ],
)
def test_bad_roles_are_field_errors_and_save_nothing(
    slack: SlackDriver, deps: Deps, values: dict[str, str], fields: list[str], fragment: str
) -> None:
    made = make_project(deps)
    before = row(deps, made.project_id, "initiation", "budget_preparation")
    view = open_first_row(slack)
    submitted = role_fields(made, values)
    errors = assert_errors(
        slack.submit(view, submitted, user=PM), *(field(made, k) for k in fields)
    )
    assert fragment in " ".join(errors.values()).lower()
    assert row(deps, made.project_id, "initiation", "budget_preparation") == before
    assert admin.audit(deps, "responsibility") == []


@pytest.mark.parametrize(
    ("values", "error_field", "fragment"),
    [
        ({"area": ""}, "area", "required"),
        ({"area": "x" * 51}, "area", "under 50"),
        ({"area": "budget preparation", "phase": "initiation"}, "area", "already has that area"),
        ({"area": "Fund-use monitoring", "phase": "construction"}, "area", "already has"),
        ({"phase": None}, "phase", "Choose a phase"),
        ({"phase": "demolition"}, "phase", "Choose a phase"),
    ],
)
def test_bad_new_area_is_a_field_error(
    slack: SlackDriver, deps: Deps, values: dict[str, Any], error_field: str, fragment: str
) -> None:
    made = make_project(deps)
    view = open_add(slack)
    submitted = {
        "area": "Land acquisition",
        "phase": "construction",
        field(made, "finance"): "R",
        **values,
    }
    errors = assert_errors(slack.submit(view, submitted, user=PM), error_field)
    assert fragment in errors[error_field]
    assert admin.audit(deps, "responsibility") == []


def test_new_area_without_responsible_is_refused(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    view = open_add(slack)
    body = {"area": "Land acquisition", "phase": "construction", field(made, "legal"): "C"}
    assert_errors(slack.submit(view, body, user=PM), field(made, "finance"))
    assert row(deps, made.project_id, "construction", "Land acquisition") == {}


def test_non_pm_is_refused(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    view = open_first_row(slack)
    value = admin.button(pm_matrix(slack, 1), EDIT)["value"]
    admin.assert_pms_only(slack, EDIT, value)
    errors = assert_errors(
        slack.submit(view, {field(made, "legal"): "A"}, user=OTHER), field(made, "finance")
    )
    assert f"<@{PM}>" in errors[field(made, "finance")]
    assert made.departments["legal"] not in row(
        deps, made.project_id, "initiation", "budget_preparation"
    )
