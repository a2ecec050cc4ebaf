"""Risks end to end: /risk modal → database → command-channel post → buttons; shortcuts;
list/show/close; the cross-domain RISK_FROM_ALERT button."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import Deps
from bot.log import ContextExecutor
from bot.services import risks
from handlers.prefill import RiskPrefill
from storage.models import AuditLog, Risk, RiskUpdate
from tests.conftest import CHANNEL, LEAD, MEMBER, OTHER, PM
from tests.db import count
from tests.factories import Made, make_project, risk_form, through_service
from tests.fake_slack import TEAM_ID
from tests.slack_driver import SlackDriver, ack_body, assert_errors

HIGH = {"title": "资金链断裂: bridge loan not signed", "category": "funding_liquidity"}


def risk_values(made: Any, **changes: Any) -> dict[str, Any]:
    """A good high risk of the finance department (4 × 4), with `changes`."""
    return {
        **HIGH,
        "likelihood": "4",
        "impact": "4",
        "department": str(made.departments["finance"]),
        **changes,
    }


def only_risk(deps: Deps) -> Risk:
    with deps.uow() as uow:
        risk = uow.session.scalars(select(Risk)).one()
        uow.session.expunge(risk)
        return risk


def next_view(slack: SlackDriver, do: Callable[[], Any]) -> dict[str, Any]:
    """Do something, then wait for the next `views.open` and return its view."""
    before = len(slack.fake.calls_to("views.open"))
    do()
    view = slack.fake.wait_for("views.open", count=before + 1)[-1].args["view"]
    return json.loads(view) if isinstance(view, str) else dict(view)


def open_modal(slack: SlackDriver, user: str = MEMBER, channel: str = CHANNEL) -> dict[str, Any]:
    return next_view(slack, lambda: slack.command("/risk", "", user=user, channel=channel))


def flag(
    slack: SlackDriver,
    made: Made,
    *,
    likelihood: str = "4",
    impact: str = "4",
    user: str = MEMBER,
    **changes: Any,
) -> None:
    view = open_modal(slack, user)
    values = {
        **HIGH,
        "likelihood": likelihood,
        "impact": impact,
        "department": str(made.departments["finance"]),
        **changes,
    }

    def seen() -> int:  # an answer, or a DM where the channel refuses an ephemeral
        dms = [c for c in slack.fake.calls_to("chat.postMessage") if c.args.get("channel") == user]
        return _ephemerals(slack, user) + len(dms)

    before = seen()
    response = slack.submit(view, values, user=user)
    assert response.status_code == 200 and response.text in ("", "null"), response.text
    deadline = time.monotonic() + 5
    while seen() <= before:
        assert time.monotonic() < deadline, f"no answer to {user}"
        time.sleep(0.02)


def make_risk(
    deps: Deps, made: Made, title: str, likelihood: int, impact: int, **extra: Any
) -> int:
    form = risk_form(title, likelihood, impact, category="schedule", **extra)
    return through_service(deps, risks.create_risk, made.project_id, MEMBER, form=form).id


def alert_message(slack: SlackDriver) -> dict[str, Any]:
    call = slack.fake.wait_for("chat.postMessage", channel=CHANNEL)[-1]
    return {**call.args, "ts": slack.fake.messages[CHANNEL][-1]["ts"]}


def press(
    slack: SlackDriver, action_id: str, risk_id: int, user: str, message: dict[str, Any]
) -> None:
    response = slack.action(action_id, str(risk_id), user=user, channel=CHANNEL, message=message)
    assert response.status_code == 200


def buttons(blocks: list[dict[str, Any]]) -> list[str]:
    return [e["action_id"] for blk in blocks if blk["type"] == "actions" for e in blk["elements"]]


def _ephemerals(slack: SlackDriver, user: str) -> int:
    """How many answers only `user` saw (on acks, through response_urls, ephemerals)."""
    return len(slack.answers(user))


def said(slack: SlackDriver, user: str, do: Callable[[], Any]) -> str:
    """Do something, then wait for the next answer only `user` sees and return its text."""
    before = _ephemerals(slack, user)
    do()
    call = slack.wait_answers(user, count=before + 1)[-1]
    return str(call.args["text"])


def last_said(slack: SlackDriver, user: str, *, blocks: bool = False) -> str:
    call = slack.answers(user)[-1]
    if blocks:
        return json.dumps(
            call.args.get("blocks") or [{"text": call.args["text"]}], ensure_ascii=False
        )
    return str(call.args["text"])


def said_blocks(slack: SlackDriver, user: str, do: Callable[[], Any]) -> str:
    said(slack, user, do)
    return last_said(slack, user, blocks=True)


def risk_says(slack: SlackDriver, user: str, text: str) -> str:
    """Run `/risk text` in the project channel; the blocks of the answer, as JSON."""
    return said_blocks(
        slack, user, lambda: slack.command("/risk", text, user=user, channel=CHANNEL)
    )


def actions_of(deps: Deps) -> list[str]:
    with deps.uow() as uow:
        return [
            a.action
            for a in uow.session.scalars(
                select(AuditLog).where(AuditLog.entity == "risk").order_by(AuditLog.id)
            )
        ]


# -- the modal ----------------------------------------------------------------------------


def test_modal_has_the_spec_fields(slack: SlackDriver, deps: Deps) -> None:
    make_project(deps)
    view = open_modal(slack)
    assert view["callback_id"] == "risk_create"
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert list(inputs) == [
        "title",
        "description",
        "category",
        "likelihood",
        "impact",
        "owner",
        "department",
        "mitigation",
        "treatment",
        "due",
        "review",
    ]
    assert inputs["likelihood"]["type"] == "static_select"
    assert [o["text"]["text"] for o in inputs["likelihood"]["options"]][-1] == "5 · Almost certain"
    assert inputs["owner"]["type"] == "users_select"
    assert inputs["department"]["type"] == "static_select"
    assert inputs["due"]["type"] == inputs["review"]["type"] == "datepicker"
    assert inputs["review"]["initial_date"]  # a review date two weeks out by default


def test_high_risk_is_saved_and_posted_with_buttons(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    flag(slack, made, owner=LEAD)
    risk = only_risk(deps)
    assert (risk.number, risk.score, risk.status, risk.raised_by) == (1, 16, "open", MEMBER)
    assert risk.department_id == made.departments["finance"] and risk.owner_id == LEAD
    message = alert_message(slack)
    assert "R-1" in message["text"] and "Critical" in message["text"]
    # owned from the start: the owner is named, nobody is offered ownership
    assert buttons(message["blocks"]) == [
        "risk_acknowledge",
        "risk_add_update",
        "risk_close_open",
    ]
    assert only_risk(deps).alert_ts == message["ts"]
    told = last_said(slack, MEMBER)
    assert "Flagged R-1" in told and "command channel" in told
    assert actions_of(deps) == ["create"]


def test_low_risk_is_saved_but_not_posted(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    flag(slack, made, likelihood="1", impact="3")
    assert only_risk(deps).score == 3
    told = last_said(slack, MEMBER)
    assert "Flagged R-1" in told and "Low" in told
    assert slack.fake.calls_to("chat.postMessage") == []
    assert only_risk(deps).alert_ts is None


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("title", "", "required"),
        ("title", "x" * 201, "under 200"),
        ("category", None, "required"),
        ("likelihood", None, "required"),
        ("impact", "9", "1 to 5"),
        ("department", "999999", "this project's departments"),
        ("due", "2001-01-01", "today or a later date"),
        ("review", "2001-01-01", "today or a later date"),
        ("treatment", "ignore", "treatment from the list"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(
    slack: SlackDriver, deps: Deps, field: str, value: Any, fragment: str
) -> None:
    made = make_project(deps)
    view = open_modal(slack)
    values = {**HIGH, "likelihood": "4", "impact": "4", field: value}
    assert fragment in assert_errors(slack.submit(view, values, user=MEMBER), field)[field]
    assert count(deps, Risk) == 0 and actions_of(deps) == []
    assert made.project_id  # and the next good risk is still R-1:
    flag(slack, made)
    assert only_risk(deps).number == 1


# -- the buttons --------------------------------------------------------------------------


def test_buttons_check_permissions_and_redraw_the_message(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    flag(slack, made)  # finance department (lead: LEAD), no owner
    risk_id = only_risk(deps).id
    message = alert_message(slack)

    # acknowledge: the owner, the department lead or a PM
    assert "Only the risk's owner, its department lead or a PM" in said(
        slack, MEMBER, lambda: press(slack, "risk_acknowledge", risk_id, MEMBER, message)
    )
    press(slack, "risk_acknowledge", risk_id, LEAD, message)
    update = slack.fake.wait_for("chat.update", ts=message["ts"])[-1].args
    assert "Acknowledged by <@ULEAD>" in json.dumps(update["blocks"])
    assert "risk_acknowledge" not in buttons(update["blocks"])
    assert "already acknowledged" in said(
        slack, PM, lambda: press(slack, "risk_acknowledge", risk_id, PM, message)
    )

    # take ownership: anyone in the project
    assert "Ask a PM" in said(
        slack, OTHER, lambda: press(slack, "risk_take_ownership", risk_id, OTHER, message)
    )
    press(slack, "risk_take_ownership", risk_id, MEMBER, message)
    slack.fake.wait_for("chat.update", count=2)
    assert only_risk(deps).owner_id == MEMBER
    assert only_risk(deps).acknowledged_by == LEAD  # the first acknowledgement stands

    # add update: a modal, for anyone in the project
    assert "can add updates" in said(
        slack, OTHER, lambda: press(slack, "risk_add_update", risk_id, OTHER, message)
    )
    view = next_view(slack, lambda: press(slack, "risk_add_update", risk_id, LEAD, message))
    assert view["callback_id"] == "risk_update"
    body = slack.submit(view, {"text": ""}, user=LEAD).json()
    assert body == {"response_action": "errors", "errors": {"text": "This field is required."}}
    assert count(deps, RiskUpdate) == 0
    ok = slack.submit(view, {"text": "过桥贷款 in final review", "status": "mitigating"}, user=LEAD)
    assert ok.status_code == 200 and ok.text in ("", "null")
    slack.fake.wait_for("chat.update", count=3)
    with deps.uow() as uow:
        logged = uow.session.scalars(select(RiskUpdate)).one()
        assert (logged.author, logged.status_from, logged.status_to) == (LEAD, "open", "mitigating")
    assert only_risk(deps).status == "mitigating"

    # close: only the owner (MEMBER now), the department lead or a PM
    assert "Only the risk's owner" in said(
        slack, OTHER, lambda: press(slack, "risk_close_open", risk_id, OTHER, message)
    )
    assert slack.fake.calls_to("views.open")[-1].args["view"]["callback_id"] == "risk_update"
    close_view = next_view(slack, lambda: press(slack, "risk_close_open", risk_id, PM, message))
    assert close_view["callback_id"] == "risk_close"
    assert slack.submit(close_view, {"note": "Loan signed 3 March"}, user=PM).status_code == 200
    final = slack.fake.wait_for("chat.update", count=4)[-1].args
    assert buttons(final["blocks"]) == []
    assert "Closed by <@UPM>" in json.dumps(final["blocks"])
    closed = only_risk(deps)
    assert (closed.status, closed.closed_by, closed.close_note) == (
        "closed",
        PM,
        "Loan signed 3 March",
    )
    assert actions_of(deps) == ["create", "acknowledge", "take_ownership", "update", "close"]

    # a stale button on a closed risk
    assert "already closed" in said(
        slack, PM, lambda: press(slack, "risk_acknowledge", risk_id, PM, message)
    )


def test_a_member_who_is_not_owner_cannot_close_a_stale_modal(
    slack: SlackDriver, deps: Deps
) -> None:
    made = make_project(deps)
    flag(slack, made, owner=LEAD)
    risk_id = only_risk(deps).id
    message = alert_message(slack)
    view = next_view(slack, lambda: press(slack, "risk_close_open", risk_id, PM, message))
    body = slack.submit(view, {"note": "done"}, user=MEMBER).json()
    assert body["response_action"] == "errors" and "Only the risk's owner" in body["errors"]["note"]
    assert only_risk(deps).status == "open"


def test_button_with_a_foreign_risk_id_is_refused(slack: SlackDriver, deps: Deps) -> None:
    make_project(deps)
    ack = lambda: slack.action("risk_acknowledge", "424242", user=PM, channel=CHANNEL)  # noqa: E731
    assert "no longer exists" in said(slack, PM, ack)


# -- shortcuts ----------------------------------------------------------------------------


def shortcut_payload(kind: str, user: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """What Slack sends when `user` picks a shortcut of `kind` ("shortcut": global,
    "message_action": on a message), with the kind's own `fields`."""
    return {
        "type": kind,
        "token": "legacy",
        "action_ts": str(time.time()),
        "team": {"id": TEAM_ID, "domain": "test"},
        "user": user,
        "is_enterprise_install": False,
        **fields,
    }


def shortcut(slack: SlackDriver, user: str) -> None:
    payload = shortcut_payload(
        "shortcut",
        {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        callback_id="risk_flag",
        trigger_id="trigger-shortcut",
    )
    assert slack.interactive(payload).status_code == 200


def message_shortcut(slack: SlackDriver, user: str, channel: str, text: str) -> None:
    payload = shortcut_payload(
        "message_action",
        {"id": user, "name": user.lower(), "team_id": TEAM_ID},
        channel={"id": channel, "name": f"chan-{channel}"},
        callback_id="risk_flag_message",
        trigger_id="trigger-message-shortcut",
        response_url=slack.fake.response_url("shortcut"),
        message_ts="1712345678.000200",
        message={"type": "message", "user": "UAUTHOR", "ts": "1712345678.000200", "text": text},
    )
    assert slack.interactive(payload).status_code == 200


def test_global_shortcut_opens_the_modal_of_the_users_only_project(
    slack: SlackDriver, deps: Deps
) -> None:
    made = make_project(deps)
    shortcut(slack, MEMBER)
    view = slack.opened_view()
    assert view["callback_id"] == "risk_create"
    assert "HWY-42" in json.dumps(view["blocks"])
    slack.submit(view, {**HIGH, "likelihood": "2", "impact": "2"}, user=MEMBER)
    assert only_risk(deps).project_id == made.project_id
    slack.fake.wait_for("chat.postMessage", channel=MEMBER)  # told by DM: no channel here


def test_global_shortcut_with_several_projects_asks_which_first(
    slack: SlackDriver, deps: Deps
) -> None:
    make_project(deps)
    second = make_project(deps, code="PWR-7", channel="CPOWER")
    shortcut(slack, PM)
    picker = slack.opened_view()
    assert picker["callback_id"] == "risk_pick_project"
    bad = slack.submit(picker, {"project": "999999"}, user=PM).json()
    assert bad["response_action"] == "errors"
    body = slack.submit(picker, {"project": str(second.project_id)}, user=PM).json()
    assert body["response_action"] == "update"
    view = body["view"]
    assert view["callback_id"] == "risk_create" and "PWR-7" in json.dumps(view["blocks"])
    slack.submit(view, {**HIGH, "likelihood": "5", "impact": "3"}, user=PM)
    assert only_risk(deps).project_id == second.project_id
    slack.fake.wait_for("chat.postMessage", channel="CPOWER")


def test_global_shortcut_outside_any_project_says_what_to_do(
    slack: SlackDriver, deps: Deps
) -> None:
    make_project(deps)
    shortcut(slack, OTHER)
    dm = slack.fake.wait_for("chat.postMessage", channel=OTHER)[0]
    assert "not in any project" in dm.args["text"]
    assert slack.fake.calls_to("views.open") == []


def test_message_shortcut_prefills_and_links_back(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    message_shortcut(slack, MEMBER, CHANNEL, "合作方违约: the EPC contractor missed two payments")
    slack.fake.wait_for("chat.getPermalink", channel=CHANNEL, message_ts="1712345678.000200")
    slack.opened_view()
    methods = [c.method for c in slack.fake.calls]
    assert methods.index("views.open") < methods.index("chat.getPermalink")  # trigger first
    view = slack.updated_view()  # the modal again, now with the link
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["description"]["initial_value"].startswith("合作方违约")
    slack.submit(
        view,
        {
            "title": "EPC contractor default",
            "category": "counterparty_default",
            "likelihood": "3",
            "impact": "4",
            "department": str(made.departments["finance"]),
        },
        user=MEMBER,
    )
    risk = only_risk(deps)
    assert risk.source_link == "https://fake.slack/archives/CPROJ/p1712345678000200"
    assert risk.description.startswith("合作方违约")
    assert "this message" in json.dumps(alert_message(slack)["blocks"])


# -- the cross-domain button --------------------------------------------------------------


def test_risk_from_alert_opens_the_modal_prefilled(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    prefill = RiskPrefill(
        project_id=made.project_id,
        category="funding_liquidity",
        title="Runway below 8 weeks",
        description="Cash on hand covers 5 weeks at the recent burn rate.",
        likelihood=4,
        impact=5,
    )
    slack.action(
        "risk_from_alert",
        prefill.model_dump_json(),
        user=LEAD,
        channel=CHANNEL,
        message={"ts": "1700000001.000100", "text": "runway"},
    )
    slack.opened_view()
    view = slack.updated_view()  # the link is added once the modal is open
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["title"]["initial_value"] == "Runway below 8 weeks"
    assert inputs["category"]["initial_option"]["value"] == "funding_liquidity"
    assert inputs["likelihood"]["initial_option"]["value"] == "4"
    assert inputs["impact"]["initial_option"]["value"] == "5"
    slack.submit(view, {}, user=LEAD)
    risk = only_risk(deps)
    assert (risk.score, risk.source_link) == (
        20,
        "https://fake.slack/archives/CPROJ/p1700000001000100",
    )


def test_risk_from_alert_with_a_broken_value_says_what_to_do(
    slack: SlackDriver, deps: Deps
) -> None:
    make_project(deps)
    broken = lambda: slack.action("risk_from_alert", "{x", user=LEAD, channel=CHANNEL)  # noqa: E731
    assert "out of date" in said(slack, LEAD, broken)
    gone = RiskPrefill(project_id=99999, category="fx").model_dump_json()
    foreign = lambda: slack.action("risk_from_alert", gone, user=LEAD, channel=CHANNEL)  # noqa: E731
    assert "no longer exists" in said(slack, LEAD, foreign)


# -- list, show, close --------------------------------------------------------------------


def test_list_show_and_close(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    make_risk(deps, made, "征地延误 on section 3", 4, 3, owner=LEAD)
    make_risk(deps, made, "Steel price rise", 2, 2)
    listing = risk_says(slack, MEMBER, "list")
    assert "Open risks in HWY-42" in listing
    assert listing.index("R-1") < listing.index("R-2")  # highest score first
    mine = risk_says(slack, LEAD, "list mine")
    assert "R-1" in mine and "R-2" not in mine
    high = risk_says(slack, PM, "list high")
    assert "R-1" in high and "R-2" not in high
    shown = risk_says(slack, MEMBER, "show r-1")
    assert "征地延误" in shown and "No updates yet" in shown

    assert "Only the risk's owner" in risk_says(slack, MEMBER, "close R-1 land handed over")
    assert "Closed R-1" in risk_says(slack, LEAD, "close R-1 land handed over")
    with deps.uow() as uow:
        risk = uow.risks.by_number(made.project_id, 1)
        assert risk is not None
        assert (risk.status, risk.closed_by, risk.close_note) == (
            "closed",
            LEAD,
            "land handed over",
        )

    after = risk_says(slack, PM, "list")
    assert "R-1" not in after and "R-2" in after
    every = risk_says(slack, PM, "list all")
    assert "R-1" in every and "R-2" in every
    log = risk_says(slack, PM, "show R-1")
    assert "land handed over" in log and "Closed" in log
    assert actions_of(deps) == ["create", "create", "close"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("show R-99", "no risk R-99"),
        ("show banana", "not a risk number"),
        ("show", "Say which risk"),
        ("close R-0", "not a risk number"),
        ("close", "Say which risk"),
        ("list someone", "/risk list mine"),
    ],
)
def test_bad_words_get_a_short_answer(
    slack: SlackDriver, deps: Deps, text: str, fragment: str
) -> None:
    make_project(deps)
    assert fragment in said(
        slack, PM, lambda: slack.command("/risk", text, user=PM, channel=CHANNEL)
    )


def test_unknown_word_gets_the_help(slack: SlackDriver, deps: Deps) -> None:
    make_project(deps)
    response = slack.command("/risk", "frobnicate", user=PM, channel=CHANNEL)
    assert "list [mine|high|all]" in response.text and "frobnicate" in response.text


def test_long_list_stays_within_block_kit_limits(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    for n in range(25):
        make_risk(deps, made, f"Risk {n}", 2, 2)
    blocks = json.loads(risk_says(slack, PM, "list"))
    assert len(blocks) <= 50
    assert "and 5 more" in json.dumps(blocks)


@pytest.mark.parametrize("length", [400, 2500])
def test_a_long_chinese_close_note_arrives_whole_through_the_project_picker(
    slack: SlackDriver, deps: Deps, length: int
) -> None:
    """The picker re-runs the command from its button value: the note is never cut (a value
    that would not fit Slack's 2,000 characters is kept server-side)."""
    made = make_project(deps)
    make_project(deps, code="PWR-7", channel="CPOWER")
    make_project(deps, code="DC-3", channel="CDATA")
    make_risk(deps, made, "资金链断裂", 4, 5, owner=LEAD)
    note = ("银团贷款已于本周签署，资金缺口由股东追加出资覆盖，风险解除。" * 100)[:length]
    body = slack.command("/risk", f"close R-1 {note}", user=LEAD, channel="DLEAD").json()
    picks = [e for b in body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert len(picks) == 3 and len({p["action_id"] for p in picks}) == 3
    assert all(len(p["value"]) <= 2000 for p in picks)
    chosen = next(p for p in picks if p["text"]["text"].startswith("HWY-42"))
    slack.action(chosen["action_id"], chosen["value"], user=LEAD, channel="DLEAD")
    assert "Closed R-1" in slack.wait_answers(LEAD, count=2)[-1].args["text"]  # picker, close
    risk = only_risk(deps)
    assert risk.status == "closed" and risk.close_note == note


@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
def test_an_answer_in_a_channel_the_bot_is_not_in_arrives_on_the_ack(
    slack: SlackDriver, deps: Deps, private: bool
) -> None:
    """Slack refuses an ephemeral where the bot is not a member (`not_in_channel`, or
    `channel_not_found` for a private channel): the answer rides on the command's ack."""
    made = make_project(deps)
    make_risk(deps, made, "Steel price rise", 2, 2)
    slack.fake.channel("CELSEWHERE", private=private, bot_member=False)
    body = ack_body(slack.command("/risk", "list", user=MEMBER, channel="CELSEWHERE"))
    assert "R-1" in json.dumps(body["blocks"])
    ContextExecutor.wait_all_idle(timeout=10)
    assert slack.fake.calls_to("chat.postEphemeral") == []
    assert slack.fake.calls_to("chat.postMessage") == []
