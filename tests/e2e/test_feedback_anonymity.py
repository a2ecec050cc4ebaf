"""Anonymous feedback stores nothing that identifies its author: not in any column of any row
of any table, not in the log output, not in any call to Slack."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select

from bot.app import Deps
from jobs.manual import run_now
from storage.models import AuditLog, Feedback, FeedbackPending
from tests.conftest import CHANNEL, LEAD, Clock
from tests.db import every_row
from tests.factories import make_project
from tests.slack_driver import SlackDriver

AUTHOR = "UANON7Q2XK9"


def every_value(engine: Engine) -> list[tuple[str, str, str]]:
    """(table, column, value as text) of every column of every row of every table."""
    return [
        (table, column, value if isinstance(value, str) else json.dumps(value, default=str))
        for table, row in every_row(engine)
        for column, value in row.items()
    ]


@pytest.mark.usefixtures("debug_logs")
def test_anonymous_feedback_leaves_no_trace_of_its_author(
    slack: SlackDriver, deps: Deps, engine: Engine, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    clock.frozen = dt.datetime(2026, 11, 12, 6, 47, 13, tzinfo=dt.UTC)  # 14:47 in Shanghai
    # Feedback is given by the project's people, so the author is an engineering member:
    # that membership row is the only place their id may appear.
    made = make_project(deps, engineering_member=AUTHOR)
    caplog.clear()  # the set-up logged that membership; what follows must log nothing of them

    slack.command("/feedback", "", user=AUTHOR, channel=CHANNEL)
    view = slack.opened_view()
    body = slack.submit(
        view,
        {
            "to_department": str(made.departments["finance"]),
            "from_department": str(made.departments["engineering"]),
            "rating": "2",
            "comment": "资金拨付审批周期太长,影响了分包商进场。",
            "anonymous": ["yes"],
        },
        user=AUTHOR,
    ).json()
    assert body["response_action"] == "update" and "anonymously" in json.dumps(body)
    assert "today at 18:00 (project time)" in json.dumps(body)

    # Nothing is written but the sealed item until the day's release (18:00 in Shanghai).
    with deps.uow() as uow:
        assert uow.session.scalars(select(Feedback)).all() == []
        assert len(uow.session.scalars(select(FeedbackPending)).all()) == 1
    assert slack.fake.calls_to("chat.postMessage") == []
    clock.frozen = dt.datetime(2026, 11, 12, 10, 0, 2, tzinfo=dt.UTC)
    [released] = run_now(deps, "feedback_release", at=clock.frozen)
    assert (released.outcome, released.sent) == ("done", 1)

    # The lead sees "anonymous" and the department, answers, and the reply reaches nobody.
    dm = slack.fake.wait_for("chat.postMessage", channel=LEAD)[0].args
    assert "anonymous · Engineering" in json.dumps(dm["blocks"], ensure_ascii=False)
    with deps.uow() as uow:
        feedback = uow.session.scalars(select(Feedback)).one()
        feedback_id = feedback.id
    slack.action("feedback_acknowledge", str(feedback_id), user=LEAD, channel="DLEAD")
    slack.fake.wait_for("chat.update")
    slack.action("feedback_reply", str(feedback_id), user=LEAD, channel="DLEAD")
    reply = slack.fake.wait_for("views.open", count=2)[-1].args["view"]
    assert slack.submit(reply, {"reply": "已与审批岗沟通,压缩到三个工作日。"}, user=LEAD)
    slack.fake.wait_for("chat.update", count=2)
    # Nothing was ever sent to the author (a DM would name them to Slack and to the logs).
    assert slack.fake.calls_to("chat.postMessage") == [
        c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"] == LEAD
    ]

    values = every_value(engine)
    assert any(table == "feedback" for table, _, _ in values)
    leaks = [(t, c) for t, c, v in values if AUTHOR.lower() in v.lower()]
    assert leaks == [("department_members", "user_id")], f"the author's id is stored in {leaks}"

    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    # Library DEBUG lines were captured, so the check below covers them too.
    assert any(r.name.startswith("slack_sdk") for r in caplog.records)
    assert any(r.name.startswith("icrm") for r in caplog.records)
    assert AUTHOR not in logged

    for call in slack.fake.calls:
        if call.method == "views.open":
            continue  # the modal was opened for the author by trigger id; it holds no user id
        assert AUTHOR not in json.dumps(call.args, default=str), call.method

    # The time is kept to the project-local day, in the feedback and its audit entry.
    midnight = dt.datetime(2026, 11, 12, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(dt.UTC)
    with deps.uow() as uow:
        saved = uow.session.scalars(select(Feedback)).one()
        assert (saved.anonymous, saved.author_user_id, saved.created_at) == (True, None, midnight)
        created = uow.session.scalars(
            select(AuditLog).where(AuditLog.entity == "feedback", AuditLog.action == "create")
        ).one()
        assert (created.actor, created.at) == ("anonymous", midnight)
        assert saved.reply is not None and saved.status == "resolved"
