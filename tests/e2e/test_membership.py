"""Membership, everywhere: a member of project A who edits a modal's `private_metadata` to
point at project B writes nothing into B."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import Deps
from storage.models import AgendaItem, Feedback, FundEntry, Meeting, Risk, Survey
from tests.conftest import LEAD, MEMBER, PM, Clock
from tests.db import count
from tests.e2e import test_feedback as feedback_tests
from tests.e2e import test_funds as funds_tests
from tests.e2e import test_meetings as meeting_tests
from tests.e2e import test_risks as risk_tests
from tests.e2e import test_surveys as survey_tests
from tests.factories import Made, make_project
from tests.fake_slack import FakeSlack
from tests.slack_driver import SlackDriver

B_CHANNEL = "CPOWER"


@pytest.fixture(autouse=True)
def _frozen(clock: Clock) -> None:
    clock.frozen = funds_tests.NOW


def project_b(deps: Deps) -> Made:
    return make_project(
        deps,
        code="PWR-7",
        channel=B_CHANNEL,
        pm="UPMB",
        finance_lead="ULEADB",
        engineering_member="UMEMB",
        report_anchor="2026-10-01",
    )


def in_b(deps: Deps, model: Any, b: Made) -> int:
    if hasattr(model, "project_id"):
        return count(deps, model, model.project_id == b.project_id)
    return count(deps, model)


def retarget(view: dict[str, Any], **ids: Any) -> dict[str, Any]:
    meta = json.loads(view["private_metadata"])
    assert set(ids) <= set(meta), meta
    return {**view, "private_metadata": json.dumps({**meta, **ids})}


def refused(response: Any) -> None:
    assert response.status_code == 200
    assert response.text in ("", "null") or response.json()["response_action"] == "errors"


def test_fund_use_into_another_project_is_refused(slack: SlackDriver, deps: Deps) -> None:
    make_project(deps, report_anchor="2026-10-01")
    b = project_b(deps)
    view = retarget(funds_tests.open_modal(slack, user=MEMBER), project_id=b.project_id)
    refused(slack.submit(view, funds_tests.good(b), user=MEMBER))
    assert in_b(deps, FundEntry, b) == 0


def test_risk_into_another_project_is_refused(slack: SlackDriver, deps: Deps) -> None:
    make_project(deps)
    b = project_b(deps)
    view = retarget(risk_tests.open_modal(slack, MEMBER), project_id=b.project_id)
    values = {
        **risk_tests.HIGH,
        "likelihood": "5",
        "impact": "5",
        "department": str(b.departments["finance"]),
    }
    refused(slack.submit(view, values, user=MEMBER))
    assert in_b(deps, Risk, b) == 0
    posted = slack.fake.calls_to("chat.postMessage")
    assert not [c for c in posted if c.args.get("channel") == B_CHANNEL]


def test_feedback_into_another_project_is_refused(slack: SlackDriver, deps: Deps) -> None:
    make_project(deps)
    b = project_b(deps)
    view = retarget(feedback_tests.open_modal(slack, MEMBER), project_id=b.project_id)
    values = feedback_tests.good(b, from_department=str(b.departments["engineering"]))
    refused(slack.submit(view, values, user=MEMBER))
    with deps.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Feedback)) == 0


def test_survey_into_another_project_is_refused(slack: SlackDriver, deps: Deps) -> None:
    a = survey_tests.staff(deps)
    b = project_b(deps)
    view = retarget(survey_tests.open_new(slack, PM), project_id=b.project_id)
    d = b.departments
    values = {
        **survey_tests.good(a),
        "rated": [str(d["finance"])],
        "audience_departments": [str(d["engineering"])],
    }
    refused(slack.submit(view, values, user=PM))
    assert in_b(deps, Survey, b) == 0


def test_agenda_item_into_another_projects_meeting_is_refused(
    slack: SlackDriver, deps: Deps, clock: Clock, fake_slack: FakeSlack
) -> None:
    message = meeting_tests.post_reminder(deps, clock, fake_slack)
    b = project_b(deps)
    meeting_tests.open_add_item(slack, message)
    view = slack.opened_view()
    with deps.uow() as uow:
        project = uow.projects.get(slack.team_id, b.project_id)
        assert project is not None
        from bot.services.meetings import open_meeting

        meeting = open_meeting(uow, project, clock())
        uow.commit()
        b_meeting = meeting.id
    refused(slack.submit(retarget(view, meeting_id=b_meeting), {"agenda_item": "Hijack"}, user=PM))
    with deps.uow() as uow:
        items = uow.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == b_meeting))
        assert list(items) == []
        assert uow.session.get(Meeting, b_meeting) is not None


def test_lead_of_a_cannot_submit_bs_report(slack: SlackDriver, deps: Deps) -> None:
    """The report modal's button value names project and department: a lead of A who
    points it at B's department is refused."""
    make_project(deps, report_anchor="2026-10-01")
    b = project_b(deps)
    from handlers.reports.ids import OpenValue

    value = OpenValue(p=b.project_id, d=b.departments["finance"]).model_dump_json()
    slack.action("report_open", value, user=LEAD, channel="D" + LEAD)
    told = slack.wait_answers(LEAD)  # pressed in a DM: the refusal comes on its response_url
    assert "lead" in told[-1].args["text"]
    assert not slack.fake.calls_to("views.open")
