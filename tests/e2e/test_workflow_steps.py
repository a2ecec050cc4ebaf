"""Workflow Builder custom steps end to end: a signed `function_executed` event in, the record
saved through the modal's service, the step completed on the stand-in (outputs, or a plain
error with nothing saved), once per execution however often Slack delivers it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.app import Deps
from bot.log import ContextExecutor
from bot.services import feedback, funds, risks
from storage.models import Feedback, FundEntry, Payload, Risk
from tests.conftest import CHANNEL, LEAD, MEMBER, OTHER, PM
from tests.conftest import Clock as FrozenClock
from tests.db import count
from tests.e2e.test_outbox import restarted_pass
from tests.e2e.test_outbox_requests import (
    dies_after,
    posts,
    rows,
    sent_once_by_the_next_pass,
    settle,
)
from tests.factories import make_project, release_feedback
from tests.fake_slack import FakeSlack
from tests.slack_driver import SlackDriver

CST = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 9, 15, 0, tzinfo=CST)
GRID_USER = "W0GRID123"  # Enterprise Grid user ids start with W


@pytest.fixture
def project(deps: Deps, clock: FrozenClock) -> Any:
    clock.frozen = NOW
    return make_project(deps)


def _user(user_id: str) -> dict[str, str]:
    """A `slack#/types/user_context` value: "Person who used this workflow"."""
    return {"id": user_id, "secret": "c2VjcmV0"}


def _inputs(good: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A step's `good` inputs with `changes`; a change to None leaves that input out."""
    return {k: v for k, v in {**good, **changes}.items() if v is not None}


# A good step's inputs, each step's.
FUND_USE: dict[str, Any] = {
    "user": _user(MEMBER),
    "project": "HWY-42",
    "budget_line": "construction",
    "amount": 123456.78,
    "date": "2026-12-08",
    "purpose": "Pier 3 piling",
    "reference": "INV-2026-118",
}


def _outputs(slack: SlackDriver, execution_id: str) -> dict[str, Any]:
    done = slack.completion(execution_id)
    assert done.method == "functions.completeSuccess", done.args
    return dict(json.loads(done.args["outputs"]))


def _error(slack: SlackDriver, execution_id: str) -> str:
    done = slack.completion(execution_id)
    assert done.method == "functions.completeError", done.args
    return str(done.args["error"])


def _fails_and_saves_nothing(
    slack: SlackDriver, deps: Deps, step: str, inputs: dict[str, Any], model: Any, says: str
) -> str:
    """Run `step`: it must fail with an error starting with `says` and leave no `model` row."""
    error = _error(slack, slack.function_executed(step, inputs))

    assert error.startswith(says), error
    assert count(deps, model) == 0
    return error


def _completions(fake: FakeSlack, execution_id: str) -> list[Any]:
    return [
        c
        for method in ("functions.completeSuccess", "functions.completeError")
        for c in fake.calls_to(method)
        if c.args.get("function_execution_id") == execution_id and c.error is None
    ]


# -- record_fund_use ------------------------------------------------------------------------


def test_record_fund_use_saves_the_entry_and_answers_the_line_use_funds_shows(
    slack: SlackDriver, deps: Deps, project: Any
) -> None:
    fx = slack.function_executed("record_fund_use", _inputs(FUND_USE))

    outputs = _outputs(slack, fx)

    with deps.uow() as uow:
        entry = uow.session.get(FundEntry, outputs["entry_id"])
        assert entry is not None
        assert (entry.amount, entry.reporter, entry.reference) == (
            Decimal("123456.78"),
            MEMBER,
            "INV-2026-118",
        )
        assert entry.spent_on == dt.date(2026, 12, 8)
        assert entry.budget_line_id == project.lines["Construction works"]
    assert outputs["status"] == "posted"
    assert outputs["line_percent_used"] == 20.6  # 123,456.78 of 600,000
    # The same figure as /funds summary shows for the line.
    slack.command("/funds", "summary", user=PM, channel=CHANNEL)
    [summary] = slack.wait_answers(PM)
    assert "20.6%" in json.dumps(summary.args, ensure_ascii=False)


def test_a_fund_use_without_a_date_is_dated_today_in_the_project_time_zone(
    slack: SlackDriver, deps: Deps, project: Any
) -> None:
    outputs = _outputs(
        slack, slack.function_executed("record_fund_use", _inputs(FUND_USE, date=None))
    )

    with deps.uow() as uow:
        entry = uow.session.get(FundEntry, outputs["entry_id"])
        assert entry is not None and entry.spent_on == NOW.date()


def test_crossing_90_percent_posts_the_alert_to_the_command_channel(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack, project: Any
) -> None:
    outputs = _outputs(
        slack, slack.function_executed("record_fund_use", _inputs(FUND_USE, amount=550000))
    )

    assert outputs["line_percent_used"] == 91.7
    [alert] = fake_slack.wait_for("chat.postMessage", channel=CHANNEL)
    assert "Construction works" in alert.args["text"] and "90%" in alert.args["text"]


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"project": "NOPE-1"}, "There is no project NOPE-1 in this workspace."),
        (
            {"budget_line": "Landscaping"},
            "No budget line matches “Landscaping”. The lines are: Construction works.",
        ),
        ({"budget_line": " "}, "Budget line: Choose a budget line."),
        ({"amount": -5}, "Amount: The amount must be more than zero."),
        ({"amount": 0}, "Amount: The amount must be more than zero."),
        (
            {"amount": 1e20},
            "Amount: That amount is too large: the most is 10,000,000,000,000.",
        ),
        ({"amount": 10.005}, "Amount: Use at most two decimals (cents, 分)."),
        ({"date": "2026-13-01"}, "Date paid: Give a date as YYYY-MM-DD."),
        (
            {"date": "2026-12-10"},
            "Date paid: The date cannot be in the future (today is 2026-12-09 in the project's time zone).",
        ),
        ({"purpose": "   "}, "Purpose: This field is required."),
        (
            {"user": _user(OTHER)},
            "Only members of this project's departments can record fund use. Ask a PM to add you: <@UPM>.",
        ),
        ({"user": None}, "This step does not know who ran the workflow."),
        ({"user": {"id": "not-a-user"}}, "This step does not know who ran the workflow."),
    ],
)
def test_bad_fund_use_fails_the_step_in_plain_words_and_saves_nothing(
    slack: SlackDriver, deps: Deps, project: Any, changes: dict[str, Any], says: str
) -> None:
    inputs = _inputs(FUND_USE, **changes)
    if "user" in changes and changes["user"] is None:
        inputs.pop("user", None)

    error = _fails_and_saves_nothing(slack, deps, "record_fund_use", inputs, FundEntry, says)
    assert "Traceback" not in error


def test_a_step_fails_in_the_projects_language(
    slack: SlackDriver, deps: Deps, clock: FrozenClock
) -> None:
    clock.frozen = NOW
    make_project(deps, locale="zh-Hans")

    error = _error(slack, slack.function_executed("record_fund_use", _inputs(FUND_USE, amount=-1)))

    assert "金额" in error and "Amount" not in error
    assert count(deps, FundEntry) == 0


def test_the_same_execution_delivered_again_records_once_and_completes_once(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack, project: Any
) -> None:
    fx = slack.function_executed("record_fund_use", _inputs(FUND_USE), event_id="Ev0STEP0001")
    first = _outputs(slack, fx)

    # Slack's retry of the same event, then the same execution under another event id.
    slack.function_executed(
        "record_fund_use",
        _inputs(FUND_USE),
        execution_id=fx,
        event_id="Ev0STEP0001",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    slack.function_executed("record_fund_use", _inputs(FUND_USE), execution_id=fx)
    ContextExecutor.wait_all_idle(timeout=10)

    assert count(deps, FundEntry) == 1
    assert [json.loads(c.args["outputs"]) for c in _completions(fake_slack, fx)] == [first]
    with deps.uow() as uow:
        line = uow.session.get(FundEntry, first["entry_id"])
        assert line is not None
    # Two executions of the same step are two entries (a second payment is not a retry).
    _outputs(slack, slack.function_executed("record_fund_use", _inputs(FUND_USE)))
    assert count(deps, FundEntry) == 2


def test_an_entry_the_checks_flag_needs_the_steps_reason(
    slack: SlackDriver, deps: Deps, clock: FrozenClock
) -> None:
    from bot.services.fund_policy import DEFAULTS

    clock.frozen = NOW
    make_project(deps, policy=DEFAULTS)
    _outputs(slack, slack.function_executed("record_fund_use", _inputs(FUND_USE, amount=1000)))

    # The same amount, reference and line again: a likely duplicate.
    error = _error(
        slack, slack.function_executed("record_fund_use", _inputs(FUND_USE, amount=1000))
    )
    assert "give the step a reason" in error
    assert count(deps, FundEntry) == 1

    outputs = _outputs(
        slack,
        slack.function_executed(
            "record_fund_use", _inputs(FUND_USE, amount=1000, reason="second instalment")
        ),
    )
    with deps.uow() as uow:
        entry = uow.session.get(FundEntry, outputs["entry_id"])
        assert entry is not None and entry.check_reason == "second instalment"


def test_an_entry_over_the_approval_threshold_is_recorded_pending_and_approvers_are_asked(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack, clock: FrozenClock
) -> None:
    from bot.services.fund_policy import DEFAULTS

    clock.frozen = NOW
    made = make_project(deps, policy=DEFAULTS, budget={"Construction works": Decimal("9e8")})

    outputs = _outputs(
        slack, slack.function_executed("record_fund_use", _inputs(FUND_USE, amount=5e7))
    )

    assert outputs["status"] == "pending"
    assert outputs["line_percent_used"] == 0.0  # pending use does not count yet
    with deps.uow() as uow:
        entry = uow.session.get(FundEntry, outputs["entry_id"])
        assert entry is not None and entry.status == "pending"
        assert entry.budget_line_id == made.lines["Construction works"]
    dms = fake_slack.wait_for("chat.postMessage")
    assert any(str(c.args["channel"]).startswith(("U", "W")) for c in dms)


def test_the_reporter_may_come_from_a_forms_interactivity(
    slack: SlackDriver, deps: Deps, project: Any
) -> None:
    interactivity = {"interactivity_pointer": "123.abc", "interactor": _user(LEAD)}

    outputs = _outputs(
        slack, slack.function_executed("record_fund_use", _inputs(FUND_USE, user=interactivity))
    )

    with deps.uow() as uow:
        entry = uow.session.get(FundEntry, outputs["entry_id"])
        assert entry is not None and entry.reporter == LEAD


def test_an_enterprise_grid_member_w_id_records_fund_use(
    slack: SlackDriver, deps: Deps, clock: FrozenClock
) -> None:
    clock.frozen = NOW
    make_project(deps, engineering_member=GRID_USER)

    outputs = _outputs(
        slack, slack.function_executed("record_fund_use", _inputs(FUND_USE, user=_user(GRID_USER)))
    )

    with deps.uow() as uow:
        entry = uow.session.get(FundEntry, outputs["entry_id"])
        assert entry is not None and entry.reporter == GRID_USER


# -- flag_risk ------------------------------------------------------------------------------


RISK: dict[str, Any] = {
    "user": _user(MEMBER),
    "project": "hwy-42",
    "title": "Senior lender may delay the second drawdown",
    "description": "The bank asked for the updated traffic study first.",
    "likelihood": 4,
    "impact": 3,
    "category": "Funding / liquidity",
}


def test_flag_risk_numbers_it_and_escalates_a_high_risk(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack, project: Any
) -> None:
    outputs = _outputs(slack, slack.function_executed("flag_risk", _inputs(RISK, owner=LEAD)))

    assert outputs == {"risk_number": "R-1", "level": "high"}
    with deps.uow() as uow:
        [risk] = uow.session.scalars(select(Risk))
        assert (risk.number, risk.score, risk.category) == (1, 12, "funding_liquidity")
        assert (risk.raised_by, risk.owner_id) == (MEMBER, LEAD)
    [alert] = fake_slack.wait_for("chat.postMessage", channel=CHANNEL)
    assert "R-1" in alert.args["text"]

    second = _outputs(slack, slack.function_executed("flag_risk", _inputs(RISK, impact=1)))
    assert second == {"risk_number": "R-2", "level": "low"}


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"likelihood": 7}, "How likely is it?: Choose a value from 1 to 5."),
        ({"impact": None}, "How bad would it be?: This field is required."),
        ({"title": ""}, "Title: This field is required."),
        ({"category": "weather"}, "Category: Choose a category from the list."),
        ({"owner": "someone"}, "Choose someone from the list of people."),
        ({"project": "HWY-43"}, "There is no project HWY-43 in this workspace."),
        ({"user": _user(OTHER)}, "Only the people of project HWY-42"),
    ],
)
def test_bad_risk_inputs_fail_the_step_and_save_nothing(
    slack: SlackDriver, deps: Deps, project: Any, changes: dict[str, Any], says: str
) -> None:
    _fails_and_saves_nothing(slack, deps, "flag_risk", _inputs(RISK, **changes), Risk, says)


def test_a_risk_execution_delivered_twice_is_one_risk(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack, project: Any
) -> None:
    fx = slack.function_executed("flag_risk", _inputs(RISK))
    first = _outputs(slack, fx)
    slack.function_executed("flag_risk", _inputs(RISK), execution_id=fx)
    ContextExecutor.wait_all_idle(timeout=10)

    assert count(deps, Risk) == 1
    assert len(_completions(fake_slack, fx)) == 1 and first["risk_number"] == "R-1"


# -- what a step causes is queued with its records (jobs/outbox.py) -------------------------
# Each step's request dies right after its service commits (nothing after the commit runs:
# no completion, no deliverer pass): the next clock's pass still sends what it caused, once,
# keyed by the record as from the modal; the same execution delivered again sends nothing.


def _dies_after_commit(slack: SlackDriver, step: str, inputs: dict[str, Any]) -> str:
    """Run `step`, whose service commits and then dies; returns the execution id. The step
    is not completed (it ends with an internal error)."""
    fx = slack.function_executed(step, inputs)
    assert "something went wrong" in _error(slack, fx)
    settle()
    return fx


def _again_sends_nothing(  # the same execution delivered again
    slack: SlackDriver,
    deps: Deps,
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
    step: str,
    inputs: dict[str, Any],
    fx: str,
) -> None:
    monkeypatch.undo()
    slack.function_executed(step, inputs, execution_id=fx)
    settle()
    assert restarted_pass(deps, clock) == 0


@pytest.mark.usefixtures("project")
def test_a_fund_use_step_that_died_after_its_commit_alerts_the_channel_once(
    slack: SlackDriver, deps: Deps, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    returned = dies_after(monkeypatch, funds, "record_entry")
    inputs = _inputs(FUND_USE, amount=550000)
    fx = _dies_after_commit(slack, "record_fund_use", inputs)

    [outcome] = returned
    assert rows(deps, "threshold_alert") == [
        (f"fund:entry:{outcome.id}:alert:90:Construction works", "pending")
    ]
    sent_once_by_the_next_pass(deps, clock, slack, CHANNEL, "90%")
    _again_sends_nothing(slack, deps, clock, monkeypatch, "record_fund_use", inputs, fx)
    assert len(posts(slack, CHANNEL, "90%")) == 1
    assert count(deps, FundEntry) == 1


def test_a_pending_fund_use_step_that_died_asks_its_approvers_once(
    slack: SlackDriver, deps: Deps, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.services.fund_policy import DEFAULTS

    clock.frozen = NOW
    make_project(deps, policy=DEFAULTS, budget={"Construction works": Decimal("9e8")})
    returned = dies_after(monkeypatch, funds, "record_entry")
    inputs = _inputs(FUND_USE, amount=5e7)
    fx = _dies_after_commit(slack, "record_fund_use", inputs)

    [outcome] = returned
    assert outcome.pending_role is not None and outcome.approvers
    asked = sorted(outcome.approvers)
    assert rows(deps, "approval_request") == [
        (f"approval:entry{outcome.id}:ask:{user}", "pending") for user in asked
    ]
    assert restarted_pass(deps, clock) == len(asked)
    assert restarted_pass(deps, clock) == 0
    for user in asked:
        assert len(posts(slack, user, "needs your approval")) == 1
    _again_sends_nothing(slack, deps, clock, monkeypatch, "record_fund_use", inputs, fx)
    for user in asked:
        assert len(posts(slack, user, "needs your approval")) == 1
    assert [status for _key, status in rows(deps, "approval_request")] == ["sent"] * len(asked)


@pytest.mark.usefixtures("project")
def test_a_risk_step_that_died_after_its_commit_escalates_once(
    slack: SlackDriver, deps: Deps, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    dies_after(monkeypatch, risks, "create_risk")
    inputs = _inputs(RISK, owner=LEAD)
    fx = _dies_after_commit(slack, "flag_risk", inputs)

    with deps.uow() as uow:
        risk_id = uow.session.scalars(select(Risk.id)).one()
    assert rows(deps, "risk_escalation") == [(f"risk:{risk_id}:alert", "pending")]
    assert rows(deps, "risk_escalation_dm") == [(f"risk:{risk_id}:dm:{LEAD}", "pending")]
    assert posts(slack, LEAD, "R-1") == []
    sent_once_by_the_next_pass(deps, clock, slack, CHANNEL, "R-1")
    assert len(posts(slack, LEAD, "R-1")) == 1
    _again_sends_nothing(slack, deps, clock, monkeypatch, "flag_risk", inputs, fx)
    assert len(posts(slack, CHANNEL, "R-1")) == 1
    assert len(posts(slack, LEAD, "R-1")) == 1
    assert count(deps, Risk) == 1


def test_a_step_that_died_after_its_commit_kept_its_outputs_with_the_records(
    slack: SlackDriver, deps: Deps, project: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The outputs a redelivery completes with are committed with the entry, not after it:
    a process that dies right after the service's commit still leaves them."""
    returned = dies_after(monkeypatch, funds, "record_entry")
    fx = _dies_after_commit(slack, "record_fund_use", _inputs(FUND_USE, amount=550000))

    [outcome] = returned
    with deps.uow() as uow:
        kept = uow.payloads.get(f"fx:{fx}"[:32], now=deps.now())
    assert kept is not None
    assert json.loads(kept) == {
        "entry_id": outcome.id,
        "status": "posted",
        "line_percent_used": 91.7,
    }


@pytest.mark.usefixtures("project")
def test_a_feedback_step_that_died_after_its_commit_tells_the_lead_once(
    slack: SlackDriver, deps: Deps, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    returned = dies_after(monkeypatch, feedback, "give_feedback")
    fx = _dies_after_commit(slack, "send_feedback", _inputs(FEEDBACK))

    [item] = returned
    assert rows(deps, "feedback_lead") == [(f"feedback:{item.id}:lead:{LEAD}", "pending")]
    sent_once_by_the_next_pass(deps, clock, slack, LEAD, "received feedback")
    _again_sends_nothing(slack, deps, clock, monkeypatch, "send_feedback", _inputs(FEEDBACK), fx)
    assert len(posts(slack, LEAD, "received feedback")) == 1
    assert count(deps, Feedback) == 1


# -- send_feedback --------------------------------------------------------------------------


FEEDBACK: dict[str, Any] = {
    "user": _user(MEMBER),
    "project": "HWY-42",
    "department": "finance",
    "rating": 4,
    "comment": "Invoices were paid within the week.",
}


def test_send_feedback_saves_it_and_tells_the_lead(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack, project: Any
) -> None:
    outputs = _outputs(slack, slack.function_executed("send_feedback", _inputs(FEEDBACK)))

    with deps.uow() as uow:
        item = uow.session.get(Feedback, outputs["feedback_id"])
        assert item is not None
        assert (item.rating, item.author_user_id, item.anonymous) == (4, MEMBER, False)
        assert item.to_department_id == project.departments["finance"]
        assert item.from_department_id == project.departments["engineering"]
    [told] = fake_slack.wait_for("chat.postMessage", channel=LEAD)
    assert "Invoices were paid" in json.dumps(told.args)


def test_anonymous_feedback_from_a_step_names_nobody(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack, project: Any
) -> None:
    outputs = _outputs(
        slack, slack.function_executed("send_feedback", _inputs(FEEDBACK, anonymous=True))
    )
    # Sealed until the day's release: no feedback number yet, so the step outputs 0.
    assert outputs == {"feedback_id": 0} and count(deps, Feedback) == 0
    [released] = release_feedback(deps, project)
    assert (released.outcome, released.sent) == ("done", 1)
    [told] = fake_slack.wait_for("chat.postMessage", channel=LEAD)
    assert "Invoices were paid" in json.dumps(told.args)

    with deps.uow() as uow:
        item = uow.session.scalars(select(Feedback)).one()
        assert item is not None and item.anonymous and item.author_user_id is None
        # What the step keeps for a redelivery carries no exact time either.
        kept = uow.session.scalars(select(Payload)).all()
        assert [(p.body, p.created_at) for p in kept] == [(json.dumps(outputs), item.created_at)]
        assert item.created_at.astimezone(CST).time() == dt.time(0)


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"rating": 9}, "Rating: Choose a rating from 1 (poor) to 5 (excellent)."),
        ({"department": "Catering"}, "No single department matches “Catering”."),
        ({"department": "engineering"}, "Which department is this about?: A department cannot"),
        ({"comment": None}, "Comment: Write a comment"),
        ({"user": _user(OTHER)}, "Only the people of project HWY-42"),
    ],
)
def test_bad_feedback_fails_the_step_and_saves_nothing(
    slack: SlackDriver, deps: Deps, project: Any, changes: dict[str, Any], says: str
) -> None:
    inputs = _inputs(FEEDBACK, **changes)
    _fails_and_saves_nothing(slack, deps, "send_feedback", inputs, Feedback, says)


# -- workspaces -----------------------------------------------------------------------------


def test_a_step_run_in_another_workspace_cannot_write_to_this_ones_project(
    slack: SlackDriver, app_url: str, deps: Deps, fake_slack: FakeSlack, project: Any
) -> None:
    other = SlackDriver(
        slack.url, slack.secret, fake_slack, team_id="T0OTHER1", bot_token=slack.bot_token
    )

    error = _error(other, other.function_executed("record_fund_use", _inputs(FUND_USE)))

    assert error == "There is no project HWY-42 in this workspace."
    assert count(deps, FundEntry) == 0


def test_two_installed_workspaces_each_step_writes_only_to_its_own_and_completes_with_its_token(
    oauth_url: str, oauth_deps: Deps, fake_slack: FakeSlack, clock: FrozenClock
) -> None:
    from bot.settings import SLACK_REQUEST_PATH
    from tests.conftest import SIGNING_SECRET
    from tests.fake_slack import TEAM_ID
    from tests.workspaces import install

    beta = "T0BETA22"
    fake_slack.oauth.workspace(TEAM_ID, name="Alpha", users=[PM, LEAD, MEMBER], channels=[CHANNEL])
    fake_slack.oauth.workspace(beta, name="Beta", users=["UBPM0002"], channels=["CBETA002"])
    install(oauth_url, fake_slack, TEAM_ID, user=PM)
    install(oauth_url, fake_slack, beta, user="UBPM0002")
    clock.frozen = NOW
    make_project(oauth_deps)  # in workspace A (the suite's team)
    tokens = {t: oauth_deps.installations().bot_token(t) for t in (TEAM_ID, beta)}
    url = oauth_url + SLACK_REQUEST_PATH
    drivers = {
        t: SlackDriver(url, SIGNING_SECRET, fake_slack, team_id=t, bot_token=tokens[t])
        for t in (TEAM_ID, beta)
    }

    refused = drivers[beta].function_executed("record_fund_use", _inputs(FUND_USE))
    assert _error(drivers[beta], refused) == "There is no project HWY-42 in this workspace."
    assert count(oauth_deps, FundEntry) == 0

    done = drivers[TEAM_ID].function_executed("record_fund_use", _inputs(FUND_USE))
    outputs = _outputs(drivers[TEAM_ID], done)
    assert count(oauth_deps, FundEntry) == 1 and outputs["status"] == "posted"
    for team, execution in ((beta, refused), (TEAM_ID, done)):
        [completed] = _completions(fake_slack, execution)
        bearer = completed.headers.get("authorization", "").removeprefix("Bearer ")
        assert bearer == tokens[team]  # the event's bot_access_token, that workspace's


def test_two_deliveries_of_one_execution_at_once_record_it_once(
    slack: SlackDriver, deps: Deps, fake_slack: FakeSlack, project: Any
) -> None:
    import threading

    fx = "Fx0TWINS001"
    others = [
        SlackDriver(slack.url, slack.secret, fake_slack, bot_token=slack.bot_token)
        for _ in range(3)
    ]
    start = threading.Barrier(len(others))

    def deliver(driver: SlackDriver) -> None:
        start.wait()
        driver.function_executed("record_fund_use", _inputs(FUND_USE), execution_id=fx)

    threads = [threading.Thread(target=deliver, args=(d,)) for d in others]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    _outputs(slack, fx)
    ContextExecutor.wait_all_idle(timeout=10)

    assert count(deps, FundEntry) == 1
    assert len(_completions(fake_slack, fx)) == 1
    with deps.uow() as uow:
        [line] = [e.budget_line_id for e in uow.session.scalars(select(FundEntry))]
        assert line == project.lines["Construction works"]


def test_a_step_facing_a_locked_table_fails_as_busy_and_saves_nothing(
    slack: SlackDriver, deps: Deps, project: Any
) -> None:
    """PostgreSQL locks the one table (the event's claim still goes through): the step's
    write gives up after the short wait of a submission. SQLite locks the whole file, so the
    event's claim waits for it and the step then records (once): nothing to test there."""
    from tests.e2e.test_submissions import write_lock_held

    if deps.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no table lock to give up on")
    with write_lock_held(deps.engine, 3.5):
        fx = slack.function_executed("record_fund_use", _inputs(FUND_USE))
        error = _error(slack, fx)

    assert error == "The database is busy right now and nothing was saved. Try again in a moment."
    assert count(deps, FundEntry) == 0
    _outputs(slack, slack.function_executed("record_fund_use", _inputs(FUND_USE)))
    assert count(deps, FundEntry) == 1
