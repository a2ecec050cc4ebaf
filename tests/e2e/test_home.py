"""The App Home end to end: `app_home_opened` (signed, through the real app) → views.publish,
for a lead, a member, a newcomer and someone with a lot of everything; its buttons; and the
republish after a report is submitted or a risk changes hands."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from bot.app import Deps
from bot.forms import Form
from bot.periods import Period
from bot.services import reports, risks, surveys
from bot.services.risks import RiskField
from bot.services.surveys import SurveyForm
from handlers.blocks import unindexed
from handlers.home.ids import HomeAction
from handlers.reports.ids import ReportAction
from handlers.risks.ids import RiskAction
from handlers.surveys.ids import SurveyAction
from storage.models import BudgetLine
from tests.blockkit import assert_valid_view
from tests.conftest import CHANNEL, LEAD, MEMBER, OTHER, PM, Clock
from tests.factories import Made, add_feedback, make_project
from tests.fake_slack import TEAM_ID
from tests.slack_driver import SlackDriver

ANCHOR = dt.date(2026, 11, 2)
# 2026-11-16 09:00 in Shanghai: period 0 has just closed, its report is owed.
AFTER_CLOSE = dt.datetime(2026, 11, 16, 1, 0, tzinfo=dt.UTC)


def open_home(slack: SlackDriver, user: str) -> dict[str, Any]:
    """Open `user`'s Home tab and return the view published for them (validated)."""
    before = len(slack.fake.calls_to("views.publish"))
    response = slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    assert response.status_code == 200
    call = slack.fake.wait_for("views.publish", count=before + 1)[before]
    assert call.args["user_id"] == user
    view = call.args["view"]
    view = json.loads(view) if isinstance(view, str) else dict(view)
    assert view["type"] == "home"
    assert_valid_view(view)
    return view


def text_of(view: dict[str, Any]) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def buttons(view: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for block in view["blocks"]:
        if block.get("accessory", {}).get("type") == "button":
            found.append(block["accessory"])
        found += [e for e in block.get("elements", []) if e.get("type") == "button"]
    return found


def press_on_home(slack: SlackDriver, user: str, action: str) -> dict[str, Any]:
    """Open `user`'s Home, press its one `action` button as them; return the Home."""
    home = open_home(slack, user)
    [button] = [b for b in buttons(home) if b["action_id"] == action]
    slack.action(action, button["value"], user=user, view=home)
    return home


def raise_risk(deps: Deps, project_id: int, title: str, owner: str, **extra: str) -> int:
    form = Form.of(
        RiskField,
        title=title,
        category="funding_liquidity",
        likelihood=extra.get("likelihood", "4"),
        impact=extra.get("impact", "4"),
        owner=owner,
        due=extra.get("due", "2026-12-31"),
        review=extra.get("review", "2026-11-30"),
    )
    with deps.uow() as uow:
        card = risks.create_risk(
            uow, team_id=TEAM_ID, project_id=project_id, user_id=PM, form=form, now=AFTER_CLOSE
        )
    return card.id


def set_works_spent(deps: Deps, made: Made, spent: str) -> None:
    """Put the "Construction works" line's running total at `spent`."""
    with deps.uow() as uow:
        line = uow.session.get(BudgetLine, made.lines["Construction works"])
        assert line is not None
        line.spent = Decimal(spent)
        uow.commit()


def finance_survey(deps: Deps, made: Made) -> surveys.Created:
    """The PM's CSAT survey of finance for engineering, open 2026-11-15 09:00 – 11-30 18:00."""
    form = SurveyForm(
        title="Finance as an internal service provider",
        template="csat",
        rated=[str(made.departments["finance"])],
        audience_departments=[str(made.departments["engineering"])],
        opens_date="2026-11-15",
        opens_time="09:00",
        closes_date="2026-11-30",
        closes_time="18:00",
    )
    with deps.uow() as uow:
        return surveys.create_survey(
            uow, team_id=TEAM_ID, project_id=made.project_id, user_id=PM, form=form, now=AFTER_CLOSE
        )


@pytest.fixture
def made(deps: Deps, clock: Clock) -> Made:
    clock.frozen = AFTER_CLOSE
    made = make_project(deps, report_anchor=ANCHOR.isoformat())
    set_works_spent(deps, made, "150000.50")
    with deps.uow() as uow:
        reports.open_period(uow, project_id=made.project_id, period=Period(ANCHOR, 0))
    raise_risk(deps, made.project_id, "资金链断裂: bridge loan not signed", LEAD)
    return made


def test_a_lead_sees_budget_owed_report_and_risks(slack: SlackDriver, made: Made) -> None:
    view = open_home(slack, LEAD)
    text = text_of(view)
    assert "HWY-42" in text and f"<#{CHANNEL}>" in text
    assert "¥1M" in text  # total budget
    assert "¥150K" in text  # spent
    assert "15.0% of the total budget, 25.0% of allocated" in text  # of 1,000,000 and 600,000
    assert "Fortnightly fund-use reports you owe" in text
    assert "R-1" in text and "资金链断裂" in text
    submit = [b for b in buttons(view) if b["action_id"] == ReportAction.OPEN]
    assert len(submit) == 1
    assert json.loads(submit[0]["value"]) == {
        "p": made.project_id,
        "d": made.departments["finance"],
        "k": "2026-11-02",
    }
    assert any(b["action_id"] == HomeAction.FLAG_RISK for b in buttons(view))


def test_a_member_sees_the_budget_but_no_reports(slack: SlackDriver, made: Made) -> None:
    text = text_of(open_home(slack, MEMBER))
    assert "HWY-42" in text and "member" in text
    assert "Submit" not in text and "R-1" not in text


def test_a_newcomer_is_told_how_to_start(slack: SlackDriver, made: Made) -> None:
    view = open_home(slack, OTHER)
    assert "/icrm setup" in text_of(view)
    assert "HWY-42" not in text_of(view)


def test_the_messages_tab_publishes_nothing(slack: SlackDriver, made: Made) -> None:
    slack.event({"type": "app_home_opened", "user": LEAD, "tab": "messages"})
    open_home(slack, PM)  # the next publish is the PM's: none came for the Messages tab
    assert [c.args["user_id"] for c in slack.fake.calls_to("views.publish")] == [PM]


def test_a_repeated_event_is_published_once(slack: SlackDriver, made: Made) -> None:
    event = {"type": "app_home_opened", "user": LEAD, "tab": "home"}
    slack.event(event, event_id="EvHOME1")
    slack.fake.wait_for("views.publish", count=1)
    slack.event(event, event_id="EvHOME1")
    open_home(slack, PM)
    assert [c.args["user_id"] for c in slack.fake.calls_to("views.publish")] == [LEAD, PM]


def test_submit_from_home_opens_the_report_modal_and_republishes(
    slack: SlackDriver, made: Made
) -> None:
    press_on_home(slack, LEAD, ReportAction.OPEN)
    modal = slack.opened_view()
    assert_valid_view(modal)
    before = len(slack.fake.calls_to("views.publish"))
    slack.submit(modal, {"summary": "Paid milestone 1.", "next_plan": "Piling."}, user=LEAD)
    call = slack.fake.wait_for("views.publish", count=before + 1)[before]
    assert call.args["user_id"] == LEAD
    fresh = call.args["view"]
    fresh = json.loads(fresh) if isinstance(fresh, str) else fresh
    assert_valid_view(fresh)
    assert "No fortnightly report owed" in text_of(fresh)


@pytest.mark.parametrize(
    ("action", "callback_id"),
    [
        (HomeAction.FLAG_RISK, "risk_create"),
        (HomeAction.GIVE_FEEDBACK, "feedback_give"),
        (HomeAction.RECORD_FUNDS, "funds_use"),
    ],
)
def test_quick_actions_open_the_domains_modals(
    slack: SlackDriver, made: Made, action: str, callback_id: str
) -> None:
    press_on_home(slack, MEMBER, action)
    modal = slack.opened_view()
    assert_valid_view(modal)
    assert modal["callback_id"] == callback_id


def test_taking_ownership_republishes_both_owners(
    slack: SlackDriver, deps: Deps, made: Made
) -> None:
    risk_id = raise_risk(deps, made.project_id, "Contractor default", MEMBER, likelihood="5")
    slack.action(RiskAction.TAKE_OWNERSHIP, str(risk_id), user=LEAD, channel=CHANNEL)
    calls = slack.fake.wait_for("views.publish", count=2)
    assert {c.args["user_id"] for c in calls} == {LEAD, MEMBER}


def test_many_projects_and_risks_stay_within_the_limits(
    slack: SlackDriver, deps: Deps, made: Made
) -> None:
    with deps.uow() as uow:  # six more owed reports in the first project
        for index in range(-6, 0):
            reports.open_period(uow, project_id=made.project_id, period=Period(ANCHOR, index))
    for n in range(2, 14):
        other = make_project(
            deps, code=f"PWR-{n:02d}", channel=f"C{n:03d}", pm=PM, report_anchor="2026-11-02"
        )
        with deps.uow() as uow:
            reports.open_period(uow, project_id=other.project_id, period=Period(ANCHOR, 0))
        for i in range(8):
            raise_risk(deps, other.project_id, f"Risk {i} " + "x" * 190, LEAD)
    view = open_home(slack, LEAD)
    assert len(view["blocks"]) <= 100
    text = text_of(view)
    assert "and 2 more — /funds report" in text  # 7 owed, 5 shown
    assert "and 3 more — /risk list mine" in text  # 8 owned, 5 shown
    assert "More projects (" in text and "PWR-13" in text


def test_a_survey_waiting_for_an_answer_shows_with_its_button(
    slack: SlackDriver, deps: Deps, made: Made
) -> None:
    created = finance_survey(deps, made)
    view = open_home(slack, MEMBER)
    assert "Surveys waiting for your answer" in text_of(view)
    [answer] = [b for b in buttons(view) if unindexed(b["action_id"]) == SurveyAction.ANSWER]
    assert answer["value"] == str(created.survey_id)
    assert "Surveys waiting" not in text_of(open_home(slack, LEAD))  # not in the audience


def test_a_lead_acknowledges_new_feedback_from_the_home(
    slack: SlackDriver, deps: Deps, made: Made, clock: Clock
) -> None:
    from handlers.feedback.ids import FeedbackAction

    item_id = add_feedback(
        deps, made, 2, comment="Payment approvals take two weeks.", anonymous=True, now=clock()
    )
    home = open_home(slack, LEAD)
    assert "New feedback to your department" in text_of(home)
    assert "Payment approvals take two weeks." in text_of(home) and MEMBER not in text_of(home)
    [button] = [b for b in buttons(home) if unindexed(b["action_id"]) == FeedbackAction.ACKNOWLEDGE]
    assert button["value"] == str(item_id)
    before = len(slack.fake.calls_to("views.publish"))
    slack.action(button["action_id"], button["value"], user=LEAD, view=home)
    fresh = slack.fake.wait_for("views.publish", count=before + 1)[before].args["view"]
    fresh = json.loads(fresh) if isinstance(fresh, str) else fresh
    assert_valid_view(fresh)
    assert "New feedback to your department" not in text_of(fresh)
    assert "New feedback to your department" not in text_of(open_home(slack, MEMBER))
