"""The listener kit (`handlers/kit.py`) end to end: what every kit button and modal does
with a value it cannot use, whatever the domain."""

from __future__ import annotations

import json
import logging

import pytest

from bot.app import Deps
from tests.conftest import CHANNEL, PM
from tests.e2e.admin_helpers import button, ephemeral, text_of
from tests.factories import make_project
from tests.slack_driver import SlackDriver, assert_errors

EDIT = "project_department_edit"
EXPIRED = "This button or form has expired"


def _names(deps: Deps, project_id: int) -> set[str]:
    with deps.uow() as uow:
        return {d.name for d in uow.projects.departments(project_id)}


def _edit_value(slack: SlackDriver) -> str:
    slack.command("/icrm", "departments", user=PM, channel=CHANNEL)
    return str(button(ephemeral(slack, PM), EDIT, 1)["value"])


@pytest.mark.parametrize("value", ['{"nope": 1}', "not json", '{"project_id": "x"}', ""])
def test_a_button_value_that_no_longer_parses_says_it_expired(
    slack: SlackDriver, deps: Deps, caplog: pytest.LogCaptureFixture, value: str
) -> None:
    make_project(deps)
    caplog.set_level(logging.INFO)
    response = slack.action(EDIT, value, user=PM, channel=CHANNEL)
    assert response.status_code == 200
    assert EXPIRED in text_of(ephemeral(slack, PM))
    assert slack.fake.calls_to("views.open") == []
    assert not [r for r in caplog.records if r.exc_info], "a stale value is not a crash"


def test_a_button_for_a_project_of_another_workspace_finds_nothing(
    slack: SlackDriver, deps: Deps
) -> None:
    made = make_project(deps)
    value = json.loads(_edit_value(slack))
    value["project_id"] = made.project_id + 1000  # no such project in this workspace
    slack.action(EDIT, json.dumps(value), user=PM, channel=CHANNEL)
    assert "That project no longer exists." in text_of(ephemeral(slack, PM, 2))
    assert slack.fake.calls_to("views.open") == []


def test_a_modal_whose_project_is_gone_is_refused_on_the_form(
    slack: SlackDriver, deps: Deps
) -> None:
    made = make_project(deps)
    slack.action(EDIT, _edit_value(slack), user=PM, channel=CHANNEL)
    view = slack.opened_view()
    meta = json.loads(view["private_metadata"])
    view["private_metadata"] = json.dumps({**meta, "project_id": made.project_id + 1000})
    errors = assert_errors(slack.submit(view, {"name": "Renamed"}, user=PM), "name")
    assert errors["name"] == "That project no longer exists."
    assert "Renamed" not in _names(deps, made.project_id)


def test_a_modal_whose_metadata_no_longer_parses_is_refused_on_the_form(
    slack: SlackDriver, deps: Deps
) -> None:
    made = make_project(deps)
    slack.action(EDIT, _edit_value(slack), user=PM, channel=CHANNEL)
    view = {**slack.opened_view(), "private_metadata": '{"item_id": 1}'}
    errors = assert_errors(slack.submit(view, {"name": "Renamed"}, user=PM), "name")
    assert EXPIRED in errors["name"]
    assert "Renamed" not in _names(deps, made.project_id)
