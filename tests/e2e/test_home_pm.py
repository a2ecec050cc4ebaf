"""The PM's App Home: project-wide high risks, missing reports, unacknowledged feedback,
open surveys with response rates, lines over 90 % and the runway warning, each with the
button that acts on it; and the leads' buttons beside their items."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from bot.app import Deps
from handlers.blocks import unindexed
from handlers.home.ids import PmAction
from handlers.surveys.ids import SurveyAction
from tests.blockkit import assert_valid_view
from tests.conftest import LEAD, MEMBER, PM, Clock
from tests.e2e.test_home import (
    AFTER_CLOSE,
    buttons,
    finance_survey,
    made,
    open_home,
    raise_risk,
    set_works_spent,
    text_of,
)
from tests.factories import Made, add_feedback, add_source
from tests.slack_driver import SlackDriver

__all__ = ["made"]  # the fixture, shared with test_home


@pytest.fixture
def busy(deps: Deps, made: Made, clock: Clock) -> Made:
    """`made`, plus: a line at 95 %, a runway under the threshold, new feedback to finance,
    an open survey, and a second high risk with no owner."""
    today = dt.date(2026, 11, 16)
    set_works_spent(deps, made, "570000")
    with deps.uow() as uow:
        uow.funds.add_to_day(made.project_id, today - dt.timedelta(days=3), Decimal("570000"))
        uow.commit()
    add_source(
        deps,
        made,
        name="资本金",
        kind="equity",
        committed="1000000",
        drawn="600000",
        created_at=AFTER_CLOSE,
    )
    add_feedback(
        deps, made, 2, comment="Payment approvals take two weeks.", anonymous=True, now=clock()
    )
    finance_survey(deps, made)
    raise_risk(deps, made.project_id, "EPC contractor default", "", likelihood="3")
    return made


def button_of(view: dict[str, Any], action_id: str) -> dict[str, Any]:
    found = [b for b in buttons(view) if unindexed(b["action_id"]) == action_id]
    assert found, f"no {action_id} button"
    return found[0]


def press_as_pm(slack: SlackDriver, action_id: str) -> None:
    """Open the PM's Home and press its first `action_id` button as the PM."""
    home = open_home(slack, PM)
    slack.action(action_id, button_of(home, action_id)["value"], user=PM, view=home)


def section_with(view: dict[str, Any], action_id: str) -> str:
    """The text of the section whose accessory is the `action_id` button."""
    for block in view["blocks"]:
        accessory = block.get("accessory") or {}
        if unindexed(accessory.get("action_id", "")) == action_id:
            return str(block["text"]["text"])
    raise AssertionError(f"no section with a {action_id} button")


def dm_to(slack: SlackDriver, user: str, count: int = 1) -> dict[str, Any]:
    call = slack.fake.wait_for("chat.postMessage", channel=user, count=count)[count - 1]
    blocks = call.args.get("blocks") or []
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    return {"text": call.args["text"], "json": json.dumps(blocks, ensure_ascii=False)}


def test_the_pm_sees_what_to_act_on_each_with_its_button(slack: SlackDriver, busy: Made) -> None:
    view = open_home(slack, PM)
    text = text_of(view)
    assert "Open high and critical risks" in text
    assert "R-1" in section_with(view, PmAction.OPEN_RISK)
    assert "R-2" in text and "no owner" in text
    assert "Fund-use reports missing for" in text
    finance = section_with(view, PmAction.NUDGE_REPORT)
    assert "Finance" in finance and f"<@{LEAD}>" in finance
    assert len([b for b in buttons(view) if b["action_id"] == PmAction.NUDGE_REPORT]) == 1
    assert "Finance: 1 not acknowledged" in section_with(view, PmAction.SEE_FEEDBACK)
    assert "Payment approvals" not in text  # counts only, for the PM's overview
    survey = section_with(view, PmAction.SURVEY_RESULTS)
    assert "0 of 1 answered (0.0%)" in survey
    assert "Construction works" in text and "95.0%" in text
    assert "⚠️ 0.2 weeks (under 8 weeks)" in text
    assert "Runway under 8 weeks" in section_with(view, PmAction.FUNDS_SUMMARY)
    assert len(view["blocks"]) <= 100


def test_others_do_not_get_the_pm_part(slack: SlackDriver, busy: Made) -> None:
    for user in (LEAD, MEMBER):
        text = text_of(open_home(slack, user))
        assert "Open high and critical risks" not in text and "home_nudge_report" not in text


def test_the_pm_opens_a_risk_from_the_home(slack: SlackDriver, busy: Made) -> None:
    press_as_pm(slack, PmAction.OPEN_RISK)
    modal = slack.opened_view()
    assert_valid_view(modal)
    assert modal["title"]["text"] == "R-1" and "资金链断裂" in json.dumps(modal, ensure_ascii=False)


def test_the_pm_nudges_a_lead_and_only_a_pm_can(slack: SlackDriver, busy: Made) -> None:
    home = open_home(slack, PM)
    button = button_of(home, PmAction.NUDGE_REPORT)
    slack.action(PmAction.NUDGE_REPORT, button["value"], user=LEAD, view=home)
    refused = dm_to(slack, LEAD)  # the Home has no channel: answers come by DM
    assert "Only the project's PMs" in refused["text"]
    slack.action(PmAction.NUDGE_REPORT, button["value"], user=PM, view=home)
    nudge = dm_to(slack, LEAD, count=2)
    assert "Reminder" in nudge["text"] and "report_open" in nudge["json"]
    assert "Nudged <@ULEAD>" in dm_to(slack, PM)["text"]


@pytest.mark.parametrize(
    ("action", "fragment"),
    [
        (PmAction.FUNDS_SUMMARY, "budget vs actual"),
        (PmAction.SEE_FEEDBACK, "Payment approvals take two weeks."),
        (PmAction.SURVEY_RESULTS, "Finance as an internal service provider"),
    ],
)
def test_the_pm_buttons_answer_by_dm(
    slack: SlackDriver, busy: Made, action: str, fragment: str
) -> None:
    press_as_pm(slack, action)
    answer = dm_to(slack, PM)
    assert fragment in answer["text"] + answer["json"]


def test_stale_pm_buttons_say_what_to_do(slack: SlackDriver, busy: Made) -> None:
    slack.action(PmAction.OPEN_RISK, "x", user=PM)
    assert "out of date" in dm_to(slack, PM)["text"]
    slack.action(PmAction.SURVEY_RESULTS, "1", user=PM)
    assert "out of date" in dm_to(slack, PM, count=2)["text"]


def test_leads_buttons_sit_beside_their_items(slack: SlackDriver, busy: Made) -> None:
    member = open_home(slack, MEMBER)
    assert "Finance as an internal service provider" in section_with(member, SurveyAction.ANSWER)
    lead = open_home(slack, LEAD)
    assert "Payment approvals take two weeks." in section_with(lead, "feedback_acknowledge")
    assert not [
        b
        for b in lead["blocks"]
        if b["type"] == "actions"
        and any(unindexed(e["action_id"]) == "feedback_acknowledge" for e in b["elements"])
    ]


def test_a_pm_of_many_busy_projects_stays_within_100_blocks(
    slack: SlackDriver, deps: Deps, busy: Made
) -> None:
    from tests.factories import make_project

    for n in range(2, 8):
        other = make_project(deps, code=f"PWR-{n:02d}", channel=f"C{n:03d}", pm=PM)
        for i in range(5):
            raise_risk(deps, other.project_id, f"Risk {i} " + "x" * 190, "")
    view = open_home(slack, PM)
    assert len(view["blocks"]) <= 100
    assert "More projects (" in text_of(view) or "PWR-07" in text_of(view)


def test_the_pm_home_in_chinese(slack: SlackDriver, deps: Deps, clock: Clock) -> None:
    from tests.factories import make_project

    clock.frozen = AFTER_CLOSE
    made = make_project(deps, locale="zh-Hans", report_anchor="2026-11-02")
    raise_risk(deps, made.project_id, "资金链断裂：过桥贷款未签署", "", likelihood="5")
    text = text_of(open_home(slack, PM))
    assert "未关闭的高及极高风险" in text and "无负责人" in text
    assert '"打开"' in text  # the button, not the status word
