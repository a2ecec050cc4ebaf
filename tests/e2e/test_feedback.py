"""Feedback end to end: /feedback → modal → database → lead's DM → acknowledge → reply → author."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import Deps
from storage.models import AuditLog, Feedback, FeedbackStatus
from tests.conftest import CHANNEL, LEAD, MEMBER, OTHER, PM
from tests.db import count
from tests.factories import Made, make_project, release_feedback
from tests.slack_driver import SlackDriver, assert_errors

LEAD_DM = "DLEAD"


def open_modal(slack: SlackDriver, user: str = MEMBER) -> dict[str, Any]:
    return slack.command_modal("/feedback", user=user, channel=CHANNEL)


def good(made: Made, **changes: Any) -> dict[str, Any]:
    return {
        "to_department": str(made.departments["finance"]),
        "rating": "4",
        "comment": "付款审批比上月快多了,感谢财务部。",
        **changes,
    }


def give(slack: SlackDriver, made: Made, user: str = MEMBER, **changes: Any) -> dict[str, Any]:
    view = open_modal(slack, user)
    posted = len(slack.fake.calls_to("chat.postMessage"))
    response = slack.submit(view, good(made, **changes), user=user)
    body = response.json()
    assert body["response_action"] == "update", body
    if changes.get("anonymous"):  # sealed until the day's release, which tells the lead
        assert len(slack.fake.calls_to("chat.postMessage")) == posted
        return body
    slack.fake.wait_for("chat.postMessage", count=posted + 1)  # the lead's DM, sent after the ack
    return body


def only_feedback(deps: Deps) -> Feedback:
    with deps.uow() as uow:
        rows = uow.session.scalars(select(Feedback)).all()
        assert len(rows) == 1
        uow.session.expunge(rows[0])
        return rows[0]


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """action id → value of every button in a posted or updated message."""
    blocks = message["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    return {
        e["action_id"]: e.get("value", "")
        for block in blocks
        if block["type"] == "actions"
        for e in block["elements"]
    }


def lead_dm(slack: SlackDriver) -> dict[str, Any]:
    return slack.fake.wait_for("chat.postMessage", channel=LEAD)[0].args


def reply_modal(slack: SlackDriver) -> dict[str, Any]:
    """The reply modal: the second `views.open` (the first is the feedback modal)."""
    view = slack.fake.wait_for("views.open", count=2)[-1].args["view"]
    return json.loads(view) if isinstance(view, str) else dict(view)


def given_and_reply_opened(
    slack: SlackDriver, deps: Deps, user: str = LEAD
) -> tuple[Feedback, dict[str, Any]]:
    """The project, a member's feedback to finance, and the reply modal `user` opened from
    its DM: the saved feedback and that modal."""
    give(slack, make_project(deps))
    saved = only_feedback(deps)
    click(slack, "feedback_reply", saved.id, user=user)
    return saved, reply_modal(slack)


def click(slack: SlackDriver, action_id: str, feedback_id: int, user: str = LEAD) -> None:
    response = slack.action(
        action_id, str(feedback_id), user=user, channel=LEAD_DM, message={"ts": "111.222"}
    )
    assert response.status_code == 200


def test_named_feedback_round_trip(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    view = open_modal(slack)
    assert view["callback_id"] == "feedback_give"
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    # The giver's department is prefilled from their membership.
    assert inputs["from_department"]["element"]["initial_option"]["value"] == str(
        made.departments["engineering"]
    )
    assert "stored nowhere" in inputs["anonymous"]["hint"]["text"]

    body = slack.submit(view, good(made), user=MEMBER).json()
    assert body["response_action"] == "update"
    assert "Sent to Finance" in json.dumps(body["view"])

    saved = only_feedback(deps)
    assert (saved.rating, saved.anonymous, saved.author_user_id, saved.status) == (
        4,
        False,
        MEMBER,
        FeedbackStatus.NEW,
    )
    assert saved.from_department_id == made.departments["engineering"]

    dm = lead_dm(slack)
    blocks = json.dumps(dm["blocks"], ensure_ascii=False)
    assert f"<@{MEMBER}>" in blocks and "付款审批" in blocks and "★★★★☆" in blocks
    assert buttons(dm) == {"feedback_acknowledge": str(saved.id), "feedback_reply": str(saved.id)}

    click(slack, "feedback_acknowledge", saved.id)
    update = slack.fake.wait_for("chat.update", channel=LEAD_DM, ts="111.222")[0].args
    assert "Acknowledged by" in json.dumps(update["blocks"])
    assert buttons(update) == {"feedback_reply": str(saved.id)}
    assert only_feedback(deps).status == FeedbackStatus.ACKNOWLEDGED

    click(slack, "feedback_reply", saved.id)
    reply_view = reply_modal(slack)
    assert reply_view["callback_id"] == "feedback_reply"
    response = slack.submit(reply_view, {"reply": "已安排专人跟进,下周起每日对账。"}, user=LEAD)
    assert response.text in ("", "null"), response.text

    updates = slack.fake.wait_for("chat.update", count=2, channel=LEAD_DM)
    assert buttons(updates[-1].args) == {}
    assert "Resolved" in json.dumps(updates[-1].args["blocks"])
    author = slack.fake.wait_for("chat.postMessage", channel=MEMBER)[0].args
    assert "已安排专人跟进" in json.dumps(author["blocks"], ensure_ascii=False)
    assert f"<@{LEAD}>" in author["text"]

    resolved = only_feedback(deps)
    assert resolved.status == FeedbackStatus.RESOLVED
    assert (resolved.replied_by, resolved.acknowledged_by) == (LEAD, LEAD)
    with deps.uow() as uow:
        actions = uow.session.scalars(
            select(AuditLog.action).where(AuditLog.entity == "feedback").order_by(AuditLog.id)
        ).all()
    assert actions == ["create", "acknowledge", "reply"]


def test_reply_without_acknowledging_first_resolves_and_acknowledges(
    slack: SlackDriver, deps: Deps
) -> None:
    _saved, view = given_and_reply_opened(slack, deps, user=PM)
    response = slack.submit(view, {"reply": "收到,会改进。"}, user=PM)
    assert response.status_code == 200
    slack.fake.wait_for("chat.postMessage", channel=MEMBER)
    done = only_feedback(deps)
    assert (done.status, done.acknowledged_by, done.replied_by) == (
        FeedbackStatus.RESOLVED,
        PM,
        PM,
    )


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"to_department": "engineering"}, "to_department", "to itself"),
        ({"to_department": None}, "to_department", "Choose the department"),
        ({"rating": None}, "rating", "rating from 1"),
        ({"comment": ""}, "comment", "Write a comment"),
        ({"comment": "   "}, "comment", "Write a comment"),
        ({"comment": "好" * 2001}, "comment", "under 2000 characters"),
        (
            {"from_department": "finance", "to_department": "legal"},
            "from_department",
            "You are not in Finance",
        ),
        ({"from_department": None}, "from_department", "your own department"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(
    slack: SlackDriver, deps: Deps, changes: dict[str, Any], field: str, fragment: str
) -> None:
    made = make_project(deps)
    # Department fields are given by kind above; the modal sends ids.
    changes = {
        k: str(made.departments[v]) if v in made.departments else v for k, v in changes.items()
    }
    audits = count(deps, AuditLog)
    view = open_modal(slack)
    response = slack.submit(view, good(made, **changes), user=MEMBER)
    assert fragment in assert_errors(response, field)[field]
    assert count(deps, Feedback) == 0 and count(deps, AuditLog) == audits
    assert slack.fake.calls_to("chat.postMessage") == []


def test_feedback_to_a_department_without_lead_goes_to_the_pms(
    slack: SlackDriver, deps: Deps
) -> None:
    made = make_project(deps)
    give(slack, made, user=LEAD, to_department=str(made.departments["legal"]))
    dm = slack.fake.wait_for("chat.postMessage", channel=PM)[0].args
    assert "has no lead" in json.dumps(dm["blocks"])


def test_only_the_receiving_lead_or_a_pm_can_answer(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    give(slack, made)
    saved = only_feedback(deps)

    click(slack, "feedback_acknowledge", saved.id, user=OTHER)
    refusal = slack.wait_answers(OTHER)[0].args["text"]  # in the DM: through response_url
    assert f"<@{LEAD}>" in refusal and f"<@{PM}>" in refusal
    assert only_feedback(deps).status == FeedbackStatus.NEW

    click(slack, "feedback_reply", saved.id, user=MEMBER)
    refusal = slack.wait_answers(MEMBER)[0].args["text"]
    assert "Only the lead of Finance" in refusal
    assert len(slack.fake.calls_to("views.open")) == 1  # only the feedback modal

    click(slack, "feedback_acknowledge", saved.id, user=PM)
    slack.fake.wait_for("chat.update", channel=LEAD_DM)
    assert only_feedback(deps).acknowledged_by == PM


def test_a_stale_reply_modal_from_someone_else_is_refused(slack: SlackDriver, deps: Deps) -> None:
    _saved, view = given_and_reply_opened(slack, deps)
    body = slack.submit(view, {"reply": "冒充回复"}, user=OTHER).json()
    assert body["response_action"] == "errors" and "Only the lead" in body["errors"]["reply"]
    assert only_feedback(deps).reply is None


def test_reply_errors_empty_and_twice(slack: SlackDriver, deps: Deps) -> None:
    saved, view = given_and_reply_opened(slack, deps)
    body = slack.submit(view, {"reply": "  "}, user=LEAD).json()
    assert body == {"response_action": "errors", "errors": {"reply": "Write a reply."}}
    body = slack.submit(view, {"reply": "x" * 2001}, user=LEAD).json()
    assert "under 2000 characters" in body["errors"]["reply"]
    assert only_feedback(deps).status == FeedbackStatus.NEW

    assert slack.submit(view, {"reply": "好的"}, user=LEAD).status_code == 200
    slack.fake.wait_for("chat.postMessage", channel=MEMBER)
    body = slack.submit(view, {"reply": "再说一次"}, user=LEAD).json()
    assert "already replied" in body["errors"]["reply"]
    assert only_feedback(deps).reply == "好的"
    # The button of an answered feedback explains instead of opening a modal.
    opened = len(slack.fake.calls_to("views.open"))
    click(slack, "feedback_reply", saved.id)
    slack.wait_answers(LEAD)  # the explanation, in the DM through the response_url
    assert len(slack.fake.calls_to("views.open")) == opened


def test_acknowledging_twice_changes_nothing(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    give(slack, made)
    saved = only_feedback(deps)
    # Both clicks are handled at once, after their acks: exactly one of them wins.
    click(slack, "feedback_acknowledge", saved.id)
    click(slack, "feedback_acknowledge", saved.id, user=PM)
    updates = slack.fake.wait_for("chat.update", count=2)
    winner = only_feedback(deps).acknowledged_by
    assert winner in (LEAD, PM)
    assert all(f"<@{winner}>" in json.dumps(u.args["blocks"]) for u in updates)
    with deps.uow() as uow:
        assert uow.session.scalar(select(func.count()).where(AuditLog.action == "acknowledge")) == 1


def ephemeral(slack: SlackDriver, user: str) -> dict[str, Any]:
    """The first answer only `user` saw (a command's is on its acknowledgement)."""
    return slack.wait_answers(user)[0].args


def test_list_shows_the_lead_what_their_department_received(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    give(slack, made, comment="第一条:报表模板很清楚")
    give(slack, made, comment="第二条:回款通知太晚", rating="2", anonymous=["yes"])
    [released] = release_feedback(deps, made)  # the anonymous one reaches the lead now
    assert (released.outcome, released.sent) == ("done", 1)
    slack.fake.wait_for("chat.postMessage", count=2)
    slack.command("/feedback", "list", user=LEAD, channel=CHANNEL)
    answer = ephemeral(slack, LEAD)
    text = json.dumps(answer["blocks"], ensure_ascii=False)
    assert text.index("第二条") < text.index("第一条")  # newest first
    assert "2 in all" in text and "mean rating 3.0" in text and "anonymous" in text
    assert f"<@{MEMBER}>" in text and "New" in text


def test_list_cuts_long_lists(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    from bot.forms import Form
    from bot.services.feedback import FeedbackField, give_feedback

    for n in range(20):
        with deps.uow() as uow:
            give_feedback(
                uow,
                team_id="T0TEST",
                project_id=made.project_id,
                user_id=MEMBER,
                form=Form.of(
                    FeedbackField,
                    to_department=str(made.departments["finance"]),
                    from_department=str(made.departments["engineering"]),
                    rating=str(n % 5 + 1),
                    comment=f"意见 {n} " + "很长的说明" * 200,
                ),
                now=deps.now(),
            )
    slack.command("/feedback", "list", user=PM, channel=CHANNEL)
    answer = ephemeral(slack, PM)
    assert len(answer["blocks"]) <= 50
    assert "and 5 more" in json.dumps(answer["blocks"])
    assert all(len(json.dumps(b, ensure_ascii=False)) < 3500 for b in answer["blocks"])


def test_list_tells_a_member_who_can_see_it(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps, engineering_member=OTHER)
    with deps.uow() as uow:  # MEMBER joins finance, whose lead is LEAD
        from storage.models import DepartmentMember

        finance = uow.projects.department(made.project_id, made.departments["finance"])
        assert finance is not None
        finance.members.append(DepartmentMember(user_id=MEMBER))
        uow.commit()
    slack.command("/feedback", "list", user=MEMBER, channel=CHANNEL)
    refusal = ephemeral(slack, MEMBER)["text"]
    assert f"<@{LEAD}>" in refusal and f"<@{PM}>" in refusal


@pytest.mark.parametrize("word", ["help", "nonsense"])
def test_help_and_unknown_words(slack: SlackDriver, deps: Deps, word: str) -> None:
    make_project(deps)
    response = slack.command("/feedback", word, user=MEMBER, channel=CHANNEL)
    text = json.dumps(response.json())
    assert "/feedback list" in text
    assert slack.fake.calls_to("views.open") == []


def test_chinese_project_speaks_chinese(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps, locale="zh-Hans")
    view = open_modal(slack)
    assert view["title"]["text"] == "提交反馈"
    body = slack.submit(view, good(made, rating=None), user=MEMBER).json()
    assert "1" in body["errors"]["rating"] and "评分" in body["errors"]["rating"]
