"""The meeting reminder: agenda, RSVP buttons and *add agenda item*, through signed requests."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from bot.app import Deps
from handlers.meetings.ids import Action
from jobs.manual import run_now
from storage.models import AuditLog, BudgetLine, MeetingRsvp
from tests.conftest import CHANNEL, LEAD, MEMBER, OTHER, PM, Clock
from tests.factories import make_project
from tests.fake_slack import FakeSlack
from tests.slack_driver import SlackDriver

AT = dt.datetime(2026, 12, 7, 1, 30, tzinfo=dt.UTC)  # after Monday's 09:00 reminder


def post_reminder(deps: Deps, clock: Clock, fake: FakeSlack, **kwargs: Any) -> dict[str, Any]:
    made = make_project(deps, **kwargs)
    clock.frozen = AT
    [result] = run_now(deps, "meeting_reminder", at=AT)
    assert result.outcome == "done", result
    del made
    return dict(fake.messages[CHANNEL][0])


def text_of(blocks: Any) -> str:
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return json.dumps(blocks, ensure_ascii=False)


def meeting_id(message: dict[str, Any]) -> str:
    for block in message["blocks"]:
        if block["type"] == "actions":
            return str(block["elements"][0]["value"])
    raise AssertionError("no buttons")


def open_add_item(slack: SlackDriver, message: dict[str, Any], user: str = PM) -> None:
    """`user` presses *Add agenda item* on the reminder `message` (the modal opens)."""
    slack.action(Action.ADD_ITEM, meeting_id(message), user=user, channel=CHANNEL, message=message)


def test_reminder_shows_time_agenda_and_buttons(
    deps: Deps, clock: Clock, fake_slack: FakeSlack
) -> None:
    message = post_reminder(
        deps,
        clock,
        fake_slack,
        budget={"Construction works": Decimal("600000"), "Design": Decimal("100000")},
    )
    assert "Nothing on the agenda yet." in text_of(message["blocks"])
    with deps.uow() as uow:  # a line passes 90 %: the next reminder lists it
        line = uow.session.query(BudgetLine).filter_by(name="Design").one()
        line.spent = Decimal("95000")
        uow.commit()
    clock.frozen = AT + dt.timedelta(days=7)
    run_now(deps, "meeting_reminder", at=clock.frozen)
    second = fake_slack.messages[CHANNEL][1]
    body = text_of(second["blocks"])
    assert "Budget line *Design* has used 95% of its allocation" in body
    assert "Construction works" not in body
    ids = {
        e["action_id"] for b in second["blocks"] if b["type"] == "actions" for e in b["elements"]
    }
    assert ids == {a.value for a in Action}


def test_reminder_in_chinese(deps: Deps, clock: Clock, fake_slack: FakeSlack) -> None:
    message = post_reminder(deps, clock, fake_slack, locale="zh-Hans")
    assert "周例会" in message["text"]
    assert "参加" in text_of(message["blocks"])


def test_rsvp_updates_counts_in_place(
    deps: Deps, clock: Clock, fake_slack: FakeSlack, slack: SlackDriver
) -> None:
    message = post_reminder(deps, clock, fake_slack)
    mid = meeting_id(message)
    slack.action(Action.RSVP_GOING, mid, user=MEMBER, channel=CHANNEL, message=message)
    [update] = fake_slack.wait_for("chat.update")
    assert update.args["ts"] == message["ts"] and update.args["channel"] == CHANNEL
    assert "Going: 1 · Not going: 0 · Maybe: 0" in text_of(update.args["blocks"])

    slack.action(Action.RSVP_MAYBE, mid, user=MEMBER, channel=CHANNEL, message=message)
    slack.action(Action.RSVP_NOT_GOING, mid, user=LEAD, channel=CHANNEL, message=message)
    updates = fake_slack.wait_for("chat.update", count=3)
    assert any("Going: 0 · Not going: 1 · Maybe: 1" in text_of(u.args["blocks"]) for u in updates)
    with deps.uow() as uow:
        answers = {r.user_id: r.answer for r in uow.session.query(MeetingRsvp).all()}
        assert answers == {MEMBER: "maybe", LEAD: "not_going"}
        assert uow.session.query(AuditLog).filter_by(action="rsvp").count() == 3


def test_rsvp_from_outside_the_project_is_refused(
    deps: Deps, clock: Clock, fake_slack: FakeSlack, slack: SlackDriver
) -> None:
    message = post_reminder(deps, clock, fake_slack)
    slack.action(
        Action.RSVP_GOING, meeting_id(message), user=OTHER, channel=CHANNEL, message=message
    )
    [told] = fake_slack.wait_for("chat.postEphemeral")
    assert told.args["user"] == OTHER and "Only the people of project" in told.args["text"]
    assert not fake_slack.calls_to("chat.update")
    with deps.uow() as uow:
        assert uow.session.query(MeetingRsvp).count() == 0


def test_add_agenda_item_through_the_modal(
    deps: Deps, clock: Clock, fake_slack: FakeSlack, slack: SlackDriver
) -> None:
    message = post_reminder(deps, clock, fake_slack)
    open_add_item(slack, message)
    view = slack.opened_view()
    assert view["callback_id"] == "meeting_add_item"

    empty = slack.submit(view, {"agenda_item": "   "}, user=PM)
    assert empty.json()["response_action"] == "errors"
    assert "agenda_item" in empty.json()["errors"]
    too_long = slack.submit(view, {"agenda_item": "x" * 301}, user=PM)
    assert too_long.json()["response_action"] == "errors"
    outsider = slack.submit(view, {"agenda_item": "Something"}, user=OTHER)
    assert "Only the people of project" in outsider.json()["errors"]["agenda_item"]
    assert not fake_slack.calls_to("chat.update")

    ok = slack.submit(view, {"agenda_item": "Bridge  pier  inspection"}, user=PM)
    assert ok.status_code == 200 and not ok.content
    [update] = fake_slack.wait_for("chat.update")
    assert update.args["ts"] == message["ts"]
    assert f"Bridge pier inspection (added by <@{PM}>)" in text_of(update.args["blocks"])
