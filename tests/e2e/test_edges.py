"""Inputs at the edges, settled once in `handlers.common.read_state` for every modal: blank
and invisible text is empty, a lone surrogate or an absurd choice is a field error, user ids
are user ids, and the message shortcut takes any message."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.app import Deps
from handlers.payloads import unpack
from storage.models import Feedback, FundEntry, Risk, Survey
from tests.conftest import MEMBER, PM, Clock
from tests.db import count
from tests.e2e import test_feedback as feedback_tests
from tests.e2e import test_funds as funds_tests
from tests.e2e import test_risks as risk_tests
from tests.e2e import test_surveys as survey_tests
from tests.factories import make_project
from tests.slack_driver import SlackDriver


@pytest.fixture(autouse=True)
def _frozen(clock: Clock) -> None:
    clock.frozen = funds_tests.NOW


def errors_of(response: Any) -> dict[str, str]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["response_action"] == "errors", body
    return dict(body["errors"])


def risk_errors(slack: SlackDriver, values: dict[str, Any]) -> dict[str, str]:
    """The field errors of submitting `values` in a fresh risk modal, as a member."""
    return errors_of(slack.submit(risk_tests.open_modal(slack), values, user=MEMBER))


def fund_errors(slack: SlackDriver, values: dict[str, Any]) -> dict[str, str]:
    """The field errors of submitting `values` in a fresh fund use modal, as a member."""
    return errors_of(slack.submit(funds_tests.open_modal(slack), values, user=MEMBER))


@pytest.mark.parametrize("blank", ["   ", "\u200b\u200b", "\ufeff \u2060\n", "\u00ad"])
def test_blank_or_invisible_text_is_empty_for_required_fields(
    slack: SlackDriver, deps: Deps, blank: str
) -> None:
    made = make_project(deps)
    errors = risk_errors(slack, risk_tests.risk_values(made, title=blank))
    assert "title" in errors
    fund = funds_tests.good(made, purpose=blank)
    assert "purpose" in fund_errors(slack, fund)
    assert count(deps, Risk) == 0 and count(deps, FundEntry) == 0


def test_an_emoji_with_joiners_is_kept_whole(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    title = "👨\u200d👩\u200d👧 family housing delayed"
    response = slack.submit(
        risk_tests.open_modal(slack), risk_tests.risk_values(made, title=title), user=MEMBER
    )
    assert response.text in ("", "null"), response.text
    assert risk_tests.only_risk(deps).title == title


@pytest.mark.parametrize("field", ["title", "description", "mitigation"])
def test_a_lone_surrogate_is_a_field_error(slack: SlackDriver, deps: Deps, field: str) -> None:
    made = make_project(deps)
    values = risk_tests.risk_values(made, **{field: "bridge loan \ud83d not signed"})
    errors = risk_errors(slack, values)
    assert "cannot be saved" in errors[field]
    assert count(deps, Risk) == 0


def test_a_lone_surrogate_in_feedback_and_fund_use(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    view = feedback_tests.open_modal(slack)
    values = feedback_tests.good(made, comment="\udc00")
    assert "cannot be saved" in errors_of(slack.submit(view, values, user=MEMBER))["comment"]
    fund = funds_tests.good(made, reference="INV-\ud800")
    errors = fund_errors(slack, fund)
    assert "cannot be saved" in errors["reference"]
    assert count(deps, Feedback) == 0 and count(deps, FundEntry) == 0


@pytest.mark.parametrize(
    "value", ["99999999999999999999999999", "-99999999999999999999", "9" * 400]
)
def test_absurd_choices_are_field_errors(slack: SlackDriver, deps: Deps, value: str) -> None:
    made = make_project(deps)
    errors = risk_errors(slack, risk_tests.risk_values(made, department=value))
    assert "department" in errors
    fund = funds_tests.good(made, line=value)
    assert "line" in fund_errors(slack, fund)
    feedback = feedback_tests.good(made, to_department=value)
    view = feedback_tests.open_modal(slack)
    assert "to_department" in errors_of(slack.submit(view, feedback, user=MEMBER))
    assert count(deps, Risk) == 0 and count(deps, FundEntry) == 0 and count(deps, Feedback) == 0


@pytest.mark.parametrize("owner", ["not-a-user", "<!channel>", "<@U123>", "CPROJ", "u123"])
def test_a_risk_owner_must_be_a_user_id(slack: SlackDriver, deps: Deps, owner: str) -> None:
    made = make_project(deps)
    values = risk_tests.risk_values(made, owner=owner)
    assert "owner" in risk_errors(slack, values)
    assert count(deps, Risk) == 0


@pytest.mark.parametrize("person", ["not-a-user", "<!channel>", "<!here>"])
def test_a_survey_audience_must_be_user_ids(slack: SlackDriver, deps: Deps, person: str) -> None:
    made = survey_tests.staff(deps)
    values = survey_tests.good(made, audience_people=["UOPS1", person])
    errors = errors_of(slack.submit(survey_tests.open_new(slack, PM), values, user=PM))
    assert "audience_people" in errors
    assert count(deps, Survey) == 0


@pytest.mark.parametrize(
    "text",
    [
        '"' * 4000,
        "\\" * 2999 + '"',
        'He said "pay \\ now" & <@U123> &lt;b&gt;\n' * 200,
        "x" * 40000,
        "half \ud83d emoji",
    ],
)
def test_the_message_shortcut_takes_any_message(slack: SlackDriver, deps: Deps, text: str) -> None:
    make_project(deps)
    second = make_project(deps, code="PWR-7", channel="CPOWER")  # PM is in both: a picker
    risk_tests.message_shortcut(slack, PM, "CELSEWHERE", text)
    picker = slack.opened_view()
    assert picker["callback_id"] == "risk_pick_project"
    assert len(picker["private_metadata"]) <= 3000
    json.loads(unpack(deps, picker["private_metadata"]))  # whole JSON (kept aside), never cut
    body = slack.submit(picker, {"project": str(second.project_id)}, user=PM).json()
    assert body["response_action"] == "update", body
    view = body["view"]
    description = next(
        b["element"].get("initial_value")
        for b in view["blocks"]
        if b.get("block_id") == "description"
    )
    assert description and len(description) <= 3000
    response = slack.submit(
        view, risk_tests.risk_values(second, department=str(second.departments["finance"])), user=PM
    )
    assert response.text in ("", "null"), response.text
    saved = risk_tests.only_risk(deps)
    assert saved.project_id == second.project_id and saved.description
    assert "&lt;" not in saved.description and "\ud83d" not in saved.description
