"""People and channels picked in a modal must be real ones of this workspace: a tampered
`users_select` value (an unknown id, `not-a-user`, `<!channel>`) is a field error, never
stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.app import Deps
from storage.models import Risk, Survey
from tests.conftest import LEAD, MEMBER, PM, Clock
from tests.db import count
from tests.e2e.test_departments import departments, open_edit
from tests.e2e.test_risks import open_modal, risk_values
from tests.e2e.test_surveys import good as survey_values
from tests.e2e.test_surveys import open_new, staff
from tests.factories import make_project
from tests.slack_driver import SlackDriver, assert_errors

NOW = dt.datetime(2026, 11, 27, 4, 0, tzinfo=dt.UTC)
GHOST = "UGHOST0"  # well-formed, but no one in this workspace


@pytest.fixture(autouse=True)
def _frozen(clock: Clock) -> None:
    clock.frozen = NOW


@pytest.mark.parametrize(
    ("owner", "fragment"),
    [
        (GHOST, "not someone in this workspace"),
        ("not-a-user", "list of people"),
        ("<!channel>", "list of people"),
        ("C0CHANNEL", "list of people"),
    ],
)
def test_a_risk_owner_slack_does_not_know_is_a_field_error(
    slack: SlackDriver, deps: Deps, owner: str, fragment: str
) -> None:
    made = make_project(deps)
    slack.fake.unknown(GHOST)
    response = slack.submit(open_modal(slack), risk_values(made, owner=owner), user=MEMBER)
    assert fragment in assert_errors(response, "owner")["owner"]
    assert count(deps, Risk) == 0


def test_a_real_owner_is_checked_once_and_saved(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    outsider = "UOUTSIDE1"  # in the workspace, in none of its projects yet
    response = slack.submit(open_modal(slack), risk_values(made, owner=outsider), user=MEMBER)
    assert response.status_code == 200 and response.text in ("", "null"), response.text
    checks = [c for c in slack.fake.calls_to("users.info") if c.args.get("user") == outsider]
    assert len(checks) == 1
    slack.submit(open_modal(slack), risk_values(made, owner=outsider), user=MEMBER)
    checks = [c for c in slack.fake.calls_to("users.info") if c.args.get("user") == outsider]
    assert len(checks) == 1  # remembered
    assert count(deps, Risk) == 2


def test_people_the_projects_already_hold_need_no_look_up(slack: SlackDriver, deps: Deps) -> None:
    """A lead was checked when added: naming them (or a whole project as a survey's
    audience) costs no users.info call, which Slack limits per minute."""
    made = make_project(deps)
    response = slack.submit(open_modal(slack), risk_values(made, owner=LEAD), user=MEMBER)
    assert response.status_code == 200 and response.text in ("", "null"), response.text
    assert [c for c in slack.fake.calls_to("users.info") if c.args.get("user") == LEAD] == []
    assert count(deps, Risk) == 1


def test_an_owner_who_left_is_refused_in_chinese(
    slack: SlackDriver, deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = make_project(deps, locale="zh-Hans")
    monkeypatch.setitem(slack.fake.users, "UGONE", {"id": "UGONE", "name": "gone", "deleted": True})
    body = slack.submit(open_modal(slack), risk_values(made, owner="UGONE"), user=MEMBER).json()
    assert body["response_action"] == "errors" and "工作区" in body["errors"]["owner"]
    assert count(deps, Risk) == 0


def test_when_slack_cannot_answer_nothing_is_saved(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    slack.fake.fail("users.info", status=500, times=1)
    body = slack.submit(open_modal(slack), risk_values(made, owner="UNEW1"), user=MEMBER).json()
    assert body["response_action"] == "errors" and "Submit again" in body["errors"]["owner"]
    assert count(deps, Risk) == 0
    response = slack.submit(open_modal(slack), risk_values(made, owner="UNEW1"), user=MEMBER)
    assert response.text in ("", "null") and count(deps, Risk) == 1


def test_a_survey_audience_with_an_unknown_person_is_refused(
    slack: SlackDriver, deps: Deps
) -> None:
    made = staff(deps)
    slack.fake.unknown(GHOST)
    values = survey_values(made, audience_people=["UENG2", GHOST])
    assert_errors(slack.submit(open_new(slack), values, user=PM), "audience_people")
    assert count(deps, Survey) == 0
    assert not [
        c for c in slack.fake.calls_to("chat.postMessage") if c.args.get("channel") == GHOST
    ]


@pytest.mark.parametrize(
    ("values", "field"),
    [({"lead": GHOST}, "lead"), ({"members": ["UENG2", GHOST]}, "members")],
)
def test_a_department_lead_or_member_slack_does_not_know_is_never_stored(
    slack: SlackDriver, deps: Deps, values: dict[str, Any], field: str
) -> None:
    made = make_project(deps)
    slack.fake.unknown(GHOST)
    before = departments(deps, made.project_id)
    errors = assert_errors(slack.submit(open_edit(slack), values, user=PM), field)
    assert "not someone in this workspace" in errors[field]
    after = departments(deps, made.project_id)
    assert {n: (d.lead_user_id, d.member_ids) for n, d in after.items()} == {
        n: (d.lead_user_id, d.member_ids) for n, d in before.items()
    }
