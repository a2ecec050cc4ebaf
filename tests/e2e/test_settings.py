"""`/icrm settings` end to end: the PM's modal, validation per field, refusals, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.app import Deps
from storage.models import Project
from tests.conftest import CHANNEL, MEMBER, PM
from tests.e2e.admin_helpers import accepted, audit, ephemeral, text_of
from tests.factories import make_project
from tests.slack_driver import SlackDriver, assert_errors

GOOD = {
    "reminder_lead_minutes": "30",
    "report_due_days": "3",
    "nudge_hours": "12",
    "anonymity_min": "4",
    "comment_anonymity_min": "6",
    "runway_threshold_weeks": "10",
    "digest_weekday": "4",
    "digest_time": "17:30",
}


def project(deps: Deps, project_id: int) -> Project:
    with deps.uow() as uow:
        found = uow.session.get(Project, project_id)
        assert found is not None
        uow.session.expunge_all()
        return found


def open_settings(slack: SlackDriver) -> dict[str, Any]:
    slack.command("/icrm", "settings", user=PM, channel=CHANNEL)
    return slack.opened_view()


def test_pm_changes_the_schedule_and_thresholds(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps, anonymity=(3, 5))
    view = open_settings(slack)
    assert view["callback_id"] == "project_settings"
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert inputs["anonymity_min"]["element"]["initial_value"] == "3"
    assert inputs["digest_time"]["element"]["initial_time"] == "09:00"
    assert accepted(slack.submit(view, GOOD, user=PM))
    saved = project(deps, made.project_id)
    assert (
        saved.reminder_lead_minutes,
        saved.report_due_days,
        saved.nudge_hours,
        saved.anonymity_min,
        saved.comment_anonymity_min,
        saved.runway_threshold_weeks,
        saved.digest_weekday,
        saved.digest_time,
    ) == (30, 3, 12, 4, 6, 10, 4, dt.time(17, 30))
    entry = audit(deps, "project_settings")[0]
    assert entry.before is not None and entry.before["anonymity_min"] == 3
    assert entry.after is not None and entry.after["digest_time"] == "17:30"
    assert "Saved the settings of HWY-42" in text_of(ephemeral(slack, PM))


@pytest.mark.parametrize(
    ("values", "field", "fragment"),
    [
        ({"reminder_lead_minutes": ""}, "reminder_lead_minutes", "required"),
        ({"reminder_lead_minutes": "-5"}, "reminder_lead_minutes", "whole number"),
        ({"reminder_lead_minutes": "99999"}, "reminder_lead_minutes", "from 0 to 10080"),
        ({"report_due_days": "14"}, "report_due_days", "from 0 to 13"),
        ({"report_due_days": "2.5"}, "report_due_days", "whole number"),
        ({"nudge_hours": "0"}, "nudge_hours", "from 1 to 168"),
        ({"anonymity_min": "2"}, "anonymity_min", "At least 3"),
        ({"anonymity_min": "many"}, "anonymity_min", "whole number"),
        ({"comment_anonymity_min": "3"}, "comment_anonymity_min", "4 or more"),
        ({"runway_threshold_weeks": "0"}, "runway_threshold_weeks", "from 1 to 104"),
        ({"digest_weekday": None}, "digest_weekday", "required"),
        ({"digest_weekday": "9"}, "digest_weekday", "weekday"),
        ({"digest_time": None}, "digest_time", "required"),
        ({"digest_time": "25:99"}, "digest_time", "HH:MM"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(
    slack: SlackDriver, deps: Deps, values: dict[str, Any], field: str, fragment: str
) -> None:
    made = make_project(deps, anonymity=(3, 5))
    view = open_settings(slack)
    errors = assert_errors(slack.submit(view, {**GOOD, **values}, user=PM), field)
    assert fragment in errors[field]
    saved = project(deps, made.project_id)
    assert (saved.reminder_lead_minutes, saved.anonymity_min) == (60, 3)
    assert audit(deps, "project_settings") == []


def test_non_pm_is_refused_and_a_stale_modal_saves_nothing(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    view = open_settings(slack)
    slack.fake.reset()
    slack.command("/icrm", "settings", user=MEMBER, channel=CHANNEL)
    refusal = ephemeral(slack, MEMBER)
    assert "Only this project's PMs" in text_of(refusal) and f"<@{PM}>" in text_of(refusal)
    assert slack.fake.calls_to("views.open") == []
    errors = assert_errors(slack.submit(view, GOOD, user=MEMBER), "reminder_lead_minutes")
    assert f"<@{PM}>" in errors["reminder_lead_minutes"]
    assert project(deps, made.project_id).reminder_lead_minutes == 60
