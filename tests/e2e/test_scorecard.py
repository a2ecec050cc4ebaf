"""`/icrm scorecard` end to end, the monthly job, and the weights in `/icrm settings`."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from bot.app import Deps
from bot.slack import make_web_client
from handlers.chart_blocks import chart_values
from jobs.scorecard import monthly_scorecard
from storage.models import AuditLog, ScorecardMonth
from tests.conftest import CHANNEL, LEAD, MEMBER, PM, Clock
from tests.e2e.admin_helpers import accepted, ephemeral, text_of
from tests.e2e.test_settings import open_settings
from tests.fake_slack import Call
from tests.scorecard_fixture import Fixture, at, compute, give, november, october
from tests.scorecard_fixture import K as Kind
from tests.slack_driver import SlackDriver, assert_errors

PNG = b"\x89PNG\r\n\x1a\n"


def stored_months(deps: Deps) -> list[str]:
    with deps.uow() as uow:
        months = uow.session.scalars(select(ScorecardMonth.month).order_by(ScorecardMonth.month))
        return [f"{m:%Y-%m}" for m in months]


def posted(slack: SlackDriver, channel: str, count: int = 1) -> Call:
    return slack.fake.wait_for("chat.postMessage", count=count, channel=channel)[-1]


def chart_upload(slack: SlackDriver, count: int = 1) -> Call:
    return slack.fake.wait_for("files.completeUploadExternal", count=count)[-1]


def native_charts(call: Call) -> dict[str, dict[str, dict[str, float]]]:
    """Chart type → series → category → value of the message's data_visualization blocks."""
    return {
        b["chart"]["type"]: chart_values(b)
        for b in call.args["blocks"]
        if b["type"] == "data_visualization"
    }


@pytest.fixture
def october_done(deps: Deps, clock: Clock) -> Fixture:
    """October's data (`october`), the clock on 10 November at 09:00 in Shanghai."""
    fx = october(deps, clock)
    clock.frozen = at(2026, 11, 10, 9)
    return fx


def test_last_month_is_computed_stored_and_posted_with_its_chart(
    slack: SlackDriver, deps: Deps, clock: Clock, october_done: Fixture
) -> None:
    slack.command("/icrm", "scorecard", user=MEMBER, channel=CHANNEL)
    message = text_of(posted(slack, CHANNEL))
    # October: finance (3 → 50, acknowledged → 100) 75.0; legal (1 → 0, not) 0.0
    assert "Monthly scorecard 2026-10 · HWY-42" in message
    assert "*1. Finance* · *75.0*" in message and "*2. Legal* · *0.0*" in message
    assert "*– Engineering* · *no data*" in message
    assert "Satisfaction 50.0 · NPS no data" in message
    assert "Weights: Satisfaction 1 · NPS 1" in message
    # The ranking and the trend (three departments: it fits) are Slack's charts, in the
    # message, with the text's numbers; no PNG.
    charts = native_charts(posted(slack, CHANNEL))
    assert charts["bar"] == {"Composite": {"Finance": 75.0, "Legal": 0.0}}
    assert charts["line"] == {"Finance": {"2026-10": 75.0}, "Legal": {"2026-10": 0.0}}
    assert slack.fake.uploads == {}
    assert stored_months(deps) == ["2026-10"]

    # Asked again after late data about October: the stored snapshot, unchanged.
    give(deps, october_done, at(2026, 10, 30, 10), Kind.LEGAL, Kind.FINANCE, 5)
    clock.frozen = at(2026, 11, 11, 9)
    slack.command("/icrm", "scorecard 2026-10", user=MEMBER, channel=CHANNEL)
    again = text_of(posted(slack, CHANNEL, count=2))
    assert "*1. Finance* · *75.0*" in again and "*2. Legal* · *0.0*" in again
    assert native_charts(posted(slack, CHANNEL, count=2))["bar"] == charts["bar"]
    with deps.uow() as uow:
        computed = uow.session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.entity == "scorecard")
        )
    assert computed == 1


@pytest.mark.parametrize("text", ["scorecard 2026-13", "scorecard abc", "scorecard 2026-10 11"])
def test_bad_month_input_gets_the_format(
    slack: SlackDriver, deps: Deps, clock: Clock, text: str
) -> None:
    october(deps, clock)
    slack.command("/icrm", text, user=MEMBER, channel=CHANNEL)
    answer = text_of(ephemeral(slack, MEMBER))
    assert "YYYY-MM" in answer and "/icrm scorecard 2026-10" in answer
    assert slack.fake.calls_to("chat.postMessage") == []
    assert stored_months(deps) == []


@pytest.mark.usefixtures("october_done")
def test_in_a_dm_the_scorecard_and_chart_come_by_dm(slack: SlackDriver) -> None:
    slack.command("/icrm", "scorecard 2026-10", user=LEAD, channel="D0LEAD")
    assert "Monthly scorecard 2026-10" in text_of(posted(slack, LEAD))
    assert set(native_charts(posted(slack, LEAD))) == {"bar", "line"}  # the charts too
    assert slack.fake.calls_to("chat.postEphemeral") == []


def test_the_current_month_is_provisional_and_not_stored(
    slack: SlackDriver, deps: Deps, clock: Clock
) -> None:
    fx = october(deps, clock)
    november(deps, fx)
    clock.frozen = at(2026, 11, 30, 20)  # November is not over in Shanghai
    slack.command("/icrm", "scorecard 2026-11", user=MEMBER, channel=CHANNEL)
    message = text_of(posted(slack, CHANNEL))
    assert "Provisional: 2026-11 is not over yet" in message
    assert "*1. Engineering* · *87.5*" in message and "*1. Design institute* · *87.5*" in message
    # Nothing stored yet: no trend to draw, so no chart (drawn before the post).
    assert slack.fake.calls_to("files.getUploadURLExternal") == []
    assert stored_months(deps) == []


@pytest.mark.usefixtures("october_done")
def test_months_without_data_or_not_started_are_explained(slack: SlackDriver, deps: Deps) -> None:
    slack.command("/icrm", "scorecard 2026-09", user=MEMBER, channel=CHANNEL)
    assert "No scorecard for 2026-09" in text_of(ephemeral(slack, MEMBER))
    slack.command("/icrm", "scorecard 2027-01", user=MEMBER, channel=CHANNEL)
    assert "2027-01 has not started yet" in text_of(ephemeral(slack, MEMBER, count=2))
    assert slack.fake.calls_to("chat.postMessage") == []
    assert slack.fake.calls_to("files.getUploadURLExternal") == []
    assert stored_months(deps) == []


def test_only_pms_recompute_a_stored_month(slack: SlackDriver, deps: Deps, clock: Clock) -> None:
    fx = october(deps, clock)
    compute(deps, fx, dt.date(2026, 10, 1), at(2026, 11, 1, 9))
    clock.frozen = at(2026, 11, 10, 9)
    slack.command("/icrm", "scorecard 2026-10 recompute", user=MEMBER, channel=CHANNEL)
    assert "Only this project's PMs" in text_of(ephemeral(slack, MEMBER))
    slack.command("/icrm", "scorecard 2026-10 recompute", user=PM, channel=CHANNEL)
    assert "Monthly scorecard 2026-10" in text_of(posted(slack, CHANNEL))  # the last call
    with deps.uow() as uow:
        actions = uow.session.scalars(
            select(AuditLog.action).where(AuditLog.entity == "scorecard").order_by(AuditLog.id)
        ).all()
    assert actions == ["computed", "recomputed"]


def test_chinese_project_gets_a_chinese_scorecard(
    slack: SlackDriver, deps: Deps, clock: Clock
) -> None:
    october(deps, clock, locale="zh-Hans")
    clock.frozen = at(2026, 11, 10, 9)
    slack.command("/icrm", "scorecard", user=MEMBER, channel=CHANNEL)
    message = text_of(posted(slack, CHANNEL))
    assert "月度评估 2026-10 · HWY-42" in message
    assert "满意度 50.0 · 净推荐值 无数据" in message and "权重" in message
    assert native_charts(posted(slack, CHANNEL))["bar"] == {
        "综合得分": {"财务部": 75.0, "法务部": 0.0}
    }


def test_the_monthly_job_posts_once(slack: SlackDriver, deps: Deps, clock: Clock) -> None:
    fx = october(deps, clock)
    compute(deps, fx, dt.date(2026, 10, 1), at(2026, 11, 1, 9))
    november(deps, fx)
    clock.frozen = at(2026, 12, 1, 9)
    assert monthly_scorecard(deps, "HWY-42", clock.frozen) == 1
    message = text_of(posted(slack, CHANNEL))
    assert "Monthly scorecard 2026-11" in message
    assert "*3. Finance* · *66.0* ▼ 9.0" in message and "*4. Legal* · *31.3* ▲ 31.3" in message
    charts = native_charts(posted(slack, CHANNEL))
    assert charts["bar"]["Composite"]["Finance"] == 66.0
    assert charts["bar"]["Composite"]["Legal"] == 31.3
    assert charts["line"]["Finance"] == {"2026-10": 75.0, "2026-11": 66.0}  # two months
    # A second clock, a restart or a manual run: nothing posted twice.
    assert monthly_scorecard(deps, None, clock.frozen) == 0
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
    assert slack.fake.calls_to("files.completeUploadExternal") == []  # the trend is native
    with deps.uow() as uow:
        row = uow.scorecards.month(fx.made.project_id, dt.date(2026, 11, 1))
        assert row is not None and row.posted_at == clock.frozen


def test_a_failed_post_is_tried_again_by_the_next_run(
    slack: SlackDriver, deps: Deps, clock: Clock
) -> None:
    october(deps, clock)
    clock.frozen = at(2026, 11, 1, 9)
    slack.fake.fail("chat.postMessage", status=500, times=10)
    waits: list[float] = []  # the retries' back-offs, recorded instead of slept
    client = make_web_client(deps.settings, sleep=waits.append)
    assert monthly_scorecard(deps, None, clock.frozen, client=client) == 0
    assert waits == []  # a post is not retried blindly on 5xx (it may have been posted)
    slack.fake.reset()
    assert monthly_scorecard(deps, None, clock.frozen) == 1
    assert "Monthly scorecard 2026-10" in text_of(posted(slack, CHANNEL))


def test_the_job_before_a_month_is_over_posts_nothing(deps: Deps, clock: Clock) -> None:
    october(deps, clock)
    clock.frozen = at(2026, 10, 31, 9)
    assert monthly_scorecard(deps, None, at(2026, 11, 1, 9)) == 0  # October not over yet
    assert stored_months(deps) == []


def test_pm_sets_the_weights_in_settings(slack: SlackDriver, deps: Deps, clock: Clock) -> None:
    fx = october(deps, clock)
    view = open_settings(slack)
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert inputs["weight_nps"]["element"]["initial_value"] == "1"
    assert "Scorecard weight: NPS" in json.dumps(inputs["weight_nps"]["label"])
    assert accepted(slack.submit(view, {"weight_nps": "0", "weight_timeliness": "4"}, user=PM))
    ephemeral(slack, PM)  # the handler has finished
    compute(deps, fx, dt.date(2026, 10, 1), at(2026, 11, 1, 9))
    with deps.uow() as uow:
        row = uow.scorecards.month(fx.made.project_id, dt.date(2026, 10, 1))
        assert row is not None and (row.weights["nps"], row.weights["timeliness"]) == (0, 4)


@pytest.mark.parametrize(
    ("values", "field", "fragment"),
    [
        ({"weight_nps": "11"}, "weight_nps", "from 0 to 10"),
        ({"weight_timeliness": "-1"}, "weight_timeliness", "whole number"),
        ({"weight_responsiveness": "2.5"}, "weight_responsiveness", "whole number"),
        ({"weight_acknowledgement": ""}, "weight_acknowledgement", "required"),
        (
            {
                "weight_satisfaction": "0",
                "weight_nps": "0",
                "weight_timeliness": "0",
                "weight_responsiveness": "0",
                "weight_acknowledgement": "0",
            },
            "weight_satisfaction",
            "above 0",
        ),
    ],
)
def test_bad_weights_are_field_errors(
    slack: SlackDriver,
    deps: Deps,
    clock: Clock,
    values: dict[str, str],
    field: str,
    fragment: str,
) -> None:
    fx = october(deps, clock)
    view = open_settings(slack)
    errors = assert_errors(slack.submit(view, values, user=PM), field)
    assert fragment in errors[field]
    with deps.uow() as uow:
        assert uow.scorecards.weights(fx.made.project_id) is None
