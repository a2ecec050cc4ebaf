"""Fund control end to end: an entry over a limit goes pending → the approver's DM →
approved → the summary; four eyes; the confirm step of the checks; change orders; the
policy screen's bad input. Signed requests in, the Slack stand-in out, the real database."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import Deps
from bot.services.fund_policy import DEFAULTS
from storage.models import AuditLog, BudgetLine, ChangeOrder, FundEntry
from tests.conftest import CHANNEL, LEAD, MEMBER, PM, Clock
from tests.e2e.test_funds import good
from tests.factories import Made, make_project
from tests.slack_driver import SlackDriver

NOW = dt.datetime(2026, 11, 27, 4, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen(clock: Clock) -> None:
    clock.frozen = NOW


def _view(call: Any) -> dict[str, Any]:
    view = call.args["view"]
    return json.loads(view) if isinstance(view, str) else dict(view)


def _blocks(args: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = args.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def buttons(args: dict[str, Any]) -> dict[str, str]:
    return {
        e["action_id"]: e.get("value", "")
        for block in _blocks(args)
        if block["type"] == "actions"
        for e in block["elements"]
    }


def ephemeral_with(slack: SlackDriver, user: str, fragment: str) -> dict[str, Any]:
    """The first ephemeral to `user` showing `fragment` (answers after the ack may arrive in
    any order)."""
    for count in range(1, 20):
        calls = slack.wait_answers(user, count)
        for call in calls:
            if fragment in str(call.args.get("text")) + json.dumps(
                _blocks(call.args), ensure_ascii=False
            ):
                return dict(call.args)
    raise AssertionError(f"no ephemeral to {user} shows {fragment!r}")


def posted(slack: SlackDriver, channel: str) -> list[Any]:
    return [c for c in slack.fake.calls_to("chat.postMessage") if c.args.get("channel") == channel]


def with_contingency(deps: Deps) -> Made:
    """The project under the default policy, with a contingency line to move money from."""
    return make_project(
        deps,
        report_anchor="2026-10-01",
        policy=DEFAULTS,
        budget={"Construction works": Decimal("600000"), "Contingency": Decimal("200000")},
    )


def open_fund_use(slack: SlackDriver, user: str = MEMBER) -> dict[str, Any]:
    slack.command("/funds", "", user=user, channel=CHANNEL)
    return slack.opened_view()


def entry_values(made: Any, **changes: str) -> dict[str, str]:
    """test_funds' good entry, its amount a bare number and its purpose with a mention."""
    bare = good(made, amount="540000", purpose="K12+300 段路基土方进度款 <!channel>")
    return {**bare, **changes}


def line(deps: Deps, made: Any) -> BudgetLine:
    with deps.uow() as uow:
        found = uow.session.get(BudgetLine, made.lines["Construction works"])
        assert found is not None
        uow.session.expunge(found)
        return found


def only_entry(deps: Deps) -> FundEntry:
    with deps.uow() as uow:
        entries = uow.session.scalars(select(FundEntry).order_by(FundEntry.id)).all()
        for e in entries:
            uow.session.expunge(e)
        return entries[-1]


def test_over_the_limit_goes_pending_then_to_the_approver_then_spent(
    slack: SlackDriver, deps: Deps
) -> None:
    made = make_project(deps, report_anchor="2026-10-01", policy=DEFAULTS)
    response = slack.submit(open_fund_use(slack), entry_values(made), user=MEMBER)
    assert response.status_code == 200 and response.text in ("", "null"), response.text
    told = slack.wait_answers(MEMBER)[0].args["text"]
    assert "waits for approval by the finance lead" in told and f"<@{LEAD}>" in told
    entry = only_entry(deps)
    assert entry.status == "pending" and entry.approval_role == "finance"
    saved = line(deps, made)
    assert (saved.spent, saved.pending) == (0, Decimal("540000.00"))
    assert posted(slack, CHANNEL) == []  # no alert yet

    dm = slack.fake.wait_for("chat.postMessage", channel=LEAD)[0].args
    shown = json.dumps(_blocks(dm), ensure_ascii=False)
    assert "needs your approval" in dm["text"] and "¥540,000.00" in shown
    assert "&lt;!channel&gt;" in shown and "<!channel>" not in shown  # user text escaped
    assert "If approved" in shown and "¥60,000.00 left" in shown
    refs = buttons(dm)
    assert set(refs) == {"approval_approve", "approval_reject_open"}

    # The summary shows it as pending, not spent.
    slack.command("/funds", "summary", user=PM, channel=CHANNEL)
    summary = slack.wait_answers(PM)[0].args
    assert "Pending: entries ¥540K" in json.dumps(_blocks(summary), ensure_ascii=False)

    # The reporter cannot approve their own entry; the finance lead can, once.
    slack.action("approval_approve", refs["approval_approve"], user=MEMBER, channel="DMEMBER")
    refusal = ephemeral_with(slack, MEMBER, "four eyes")["text"]  # in the DM: on its response_url
    assert "four eyes" in refusal
    ok = slack.action(
        "approval_approve",
        refs["approval_approve"],
        user=LEAD,
        channel="DLEAD",
        message={"ts": "555.1"},
    )
    assert ok.status_code == 200
    update = slack.fake.wait_for("chat.update", channel="DLEAD", ts="555.1")[0].args
    assert "Approved by" in json.dumps(_blocks(update)) and buttons(update) == {}
    outcome = slack.fake.wait_for("chat.postMessage", channel=MEMBER)[-1].args["text"]
    assert "Approved by" in outcome and f"<@{LEAD}>" in outcome
    alert = slack.fake.wait_for("chat.postMessage", channel=CHANNEL)[0].args["text"]
    assert "90%" in alert and "Construction works" in alert
    saved = line(deps, made)
    assert (saved.spent, saved.pending, saved.alerted_percent) == (Decimal("540000.00"), 0, 90)

    # A second click (or a second approver) is told who decided first.
    slack.action("approval_approve", refs["approval_approve"], user=PM, channel="DPM")
    again = ephemeral_with(slack, PM, "already approved")["text"]  # on the DM's response_url
    assert "already approved" in again and f"<@{LEAD}>" in again
    with deps.uow() as uow:
        actions = uow.session.scalars(
            select(AuditLog.action).where(AuditLog.entity == "fund_entry")
        ).all()
    assert sorted(actions) == ["approve", "create"]

    slack.command("/funds", "summary", user=PM, channel=CHANNEL)
    summary = slack.wait_answers(PM, 3)[-1].args
    shown = json.dumps(_blocks(summary), ensure_ascii=False)
    assert "¥540K of ¥600K" in shown and "Pending: entries" not in shown


def test_four_eyes_passes_it_up_and_a_rejection_keeps_the_reason(
    slack: SlackDriver, deps: Deps
) -> None:
    made = make_project(deps, report_anchor="2026-10-01", policy=DEFAULTS)
    slack.submit(open_fund_use(slack, user=LEAD), entry_values(made), user=LEAD)
    told = slack.wait_answers(LEAD)[0].args["text"]
    assert "by a PM" in told and f"<@{PM}>" in told  # the finance lead reported it
    dm = slack.fake.wait_for("chat.postMessage", channel=PM)[0].args
    assert posted(slack, LEAD) == []

    slack.action(
        "approval_reject_open",
        buttons(dm)["approval_reject_open"],
        user=PM,
        channel="DPM",
        message={"ts": "777.1"},
    )
    modal = slack.opened_view()
    assert modal["callback_id"] == "approval_reject"
    empty = slack.submit(modal, {"reason": ""}, user=PM).json()
    assert empty["response_action"] == "errors" and "reason" in empty["errors"]
    done = slack.submit(modal, {"reason": "发票抬头不符 & 需重开"}, user=PM)
    assert done.text in ("", "null"), done.text
    entry = only_entry(deps)
    assert (entry.status, entry.decided_by, entry.decision_note) == (
        "rejected",
        PM,
        "发票抬头不符 & 需重开",
    )
    assert line(deps, made).pending == 0 and line(deps, made).spent == 0
    outcome = slack.fake.wait_for("chat.postMessage", channel=LEAD)[0].args["text"]
    assert "Rejected by" in outcome and "发票抬头不符 &amp; 需重开" in outcome


def test_duplicate_invoice_needs_a_reason_and_split_payment_goes_to_approval(
    slack: SlackDriver, deps: Deps
) -> None:
    made = make_project(deps, report_anchor="2026-10-01", policy=DEFAULTS)
    first = entry_values(made, amount="300000", reference="INV-7")
    assert slack.submit(open_fund_use(slack), first, user=MEMBER).text in ("", "null")
    assert only_entry(deps).status == "posted"

    # The same invoice again: a confirm step with the values kept and a reason to give.
    view = open_fund_use(slack)
    body = slack.submit(
        view, entry_values(made, amount="150000", reference="INV-7"), user=MEMBER
    ).json()
    assert body["response_action"] == "update"
    confirm = body["view"]
    shown = json.dumps(confirm, ensure_ascii=False)
    assert "already on entry #" in shown
    ids = [b.get("block_id") for b in confirm["blocks"]]
    assert "reason" in ids
    amount = next(b for b in confirm["blocks"] if b.get("block_id") == "amount")
    assert amount["element"]["initial_value"] == "150000"
    with deps.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(FundEntry)) == 1
    # …with the reason given it is recorded; 300k + 150k by one reporter in a week stays
    # under 50万 (450k), so it is spent at once, and the reason is kept.
    ok = slack.submit(confirm, {"reason": "同一合同分期付款"}, user=MEMBER)
    assert ok.text in ("", "null"), ok.text
    second = only_entry(deps)
    assert second.status == "posted" and second.check_reason == "同一合同分期付款"
    assert second.checks == "duplicate_reference"

    # A third piece takes the reporter's week past 50万 while each is under it: pending.
    third = entry_values(made, amount="60000", reference="INV-9", date="2026-11-27")
    assert slack.submit(open_fund_use(slack), third, user=MEMBER).text in ("", "null")
    entry = only_entry(deps)
    assert entry.status == "pending" and entry.checks == "split_payment"
    assert (
        "needs your approval"
        in slack.fake.wait_for("chat.postMessage", channel=LEAD)[0].args["text"]
    )


def test_change_order_revises_the_line_and_rebases_its_alerts(
    slack: SlackDriver, deps: Deps
) -> None:
    made = with_contingency(deps)
    works, contingency = made.lines["Construction works"], made.lines["Contingency"]
    slack.submit(open_fund_use(slack), entry_values(made, amount="450000"), user=MEMBER)
    assert line(deps, made).spent == Decimal("450000.00")  # 75 %: no alert

    slack.command("/funds", "change Contingency", user=MEMBER, channel=CHANNEL)
    view = slack.opened_view()
    assert view["callback_id"] == "funds_change"
    negative = slack.submit(
        view,
        {
            "change_kind": "transfer",
            "line": str(contingency),
            "to_line": str(works),
            "amount": "200000.01",
            "reason": "设计变更",
        },
        user=MEMBER,
    ).json()
    assert negative["response_action"] == "errors" and "negative" in negative["errors"]["amount"]
    same = slack.submit(
        view,
        {
            "change_kind": "transfer",
            "line": str(contingency),
            "to_line": str(contingency),
            "amount": "1000",
            "reason": "x",
        },
        user=MEMBER,
    ).json()
    assert "to_line" in same["errors"]
    ok = slack.submit(
        view,
        {
            "change_kind": "transfer",
            "line": str(contingency),
            "to_line": str(works),
            "amount": "150000",
            "reason": "设计变更 DV-12",
            "reference": "VO-12",
        },
        user=MEMBER,
    )
    assert ok.text in ("", "null"), ok.text
    with deps.uow() as uow:
        change = uow.session.scalar(select(ChangeOrder))
        assert change is not None and change.status == "pending"
        pending = uow.session.get(BudgetLine, works)
        assert pending is not None and pending.pending_changes == Decimal("150000.00")
    dm = slack.fake.wait_for("chat.postMessage", channel=LEAD)[0].args
    assert "Change order #" in dm["text"]
    slack.action("approval_approve", buttons(dm)["approval_approve"], user=LEAD, channel="DLEAD")
    slack.fake.wait_for("chat.postMessage", channel=MEMBER)
    with deps.uow() as uow:
        revised = uow.session.get(BudgetLine, works)
        given = uow.session.get(BudgetLine, contingency)
        assert revised is not None and given is not None
        assert (revised.allocated, revised.changes, revised.pending_changes) == (
            Decimal("600000.00"),
            Decimal("150000.00"),
            0,
        )
        assert given.changes == Decimal("-150000.00")

    # The 90 % alert now follows the revised 750,000: 450k + 230k = 680k is 90.7 %.
    # (by another reporter: the same one's 680k in a week would be a split payment)
    slack.submit(
        open_fund_use(slack, user=LEAD),
        entry_values(made, amount="230000", reference="INV-8"),
        user=LEAD,
    )
    alert = slack.fake.wait_for("chat.postMessage", channel=CHANNEL)[0].args["text"]
    assert "90%" in alert and "¥750K" in alert

    slack.command("/funds", "history Construction works", user=MEMBER, channel=CHANNEL)
    history = ephemeral_with(slack, MEMBER, "History of")
    shown = json.dumps(_blocks(history), ensure_ascii=False)
    assert "Original ¥600,000.00" in shown and "revised ¥750,000.00" in shown
    assert "设计变更 DV-12" in shown and "Contingency" in shown


@pytest.mark.parametrize(
    ("values", "field", "fragment"),
    [
        ({"finance_from": "-5"}, "finance_from", "negative"),
        ({"finance_from": "600万", "pm_from": "500万"}, "pm_from", "above the finance lead"),
        ({"pm_from": "100亿"}, "pm_from", "total budget"),
        ({"warn_percent": "120", "approve_percent": "100"}, "approve_percent", "Levels go up"),
        ({"block_percent": "abc"}, "block_percent", "whole percent"),
        ({"nudge_hours": "0"}, "nudge_hours", "whole number"),
    ],
)
def test_policy_bad_input_is_a_field_error(
    slack: SlackDriver, deps: Deps, values: dict[str, str], field: str, fragment: str
) -> None:
    make_project(deps, report_anchor="2026-10-01", total_budget="1亿")
    slack.command("/funds", "policy", user=MEMBER, channel=CHANNEL)
    assert "Only this project's PMs" in slack.wait_answers(MEMBER)[0].args["text"]
    slack.command("/funds", "policy", user=PM, channel=CHANNEL)
    view = slack.opened_view()
    body = slack.submit(view, values, user=PM).json()
    assert body["response_action"] == "errors" and field in body["errors"], body
    assert fragment in body["errors"][field]
    with deps.uow() as uow:
        assert (
            uow.session.scalar(
                select(func.count()).select_from(AuditLog).where(AuditLog.entity == "fund_policy")
            )
            == 0
        )


def test_policy_saved_and_listed_approvals(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps, report_anchor="2026-10-01", total_budget="1亿")
    slack.command("/funds", "policy", user=PM, channel=CHANNEL)
    view = slack.opened_view()
    ok = slack.submit(
        view, {"finance_from": "10万", "pm_from": "500万", "approve_percent": "100"}, user=PM
    )
    assert ok.text in ("", "null"), ok.text
    slack.submit(open_fund_use(slack), entry_values(made, amount="120000"), user=MEMBER)
    assert only_entry(deps).status == "pending"
    homes = slack.fake.wait_for("views.publish", user_id=LEAD)
    home = json.dumps(_view(homes[-1]), ensure_ascii=False)
    assert "Waiting for your approval" in home and "Pending approval" in home
    slack.command("/funds", "approvals", user=LEAD, channel=CHANNEL)
    listed = slack.wait_answers(LEAD)[0].args
    assert "approval_approve" in buttons(listed)
    slack.command("/funds", "approvals", user=MEMBER, channel=CHANNEL)
    mine = ephemeral_with(slack, MEMBER, "approvals")
    shown = json.dumps(_blocks(mine), ensure_ascii=False)
    assert "Nothing waits for your approval" in shown and "still waiting" in shown


def test_a_closed_line_needs_a_reason_and_a_pm(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps, report_anchor="2026-10-01", policy=DEFAULTS)
    works = made.lines["Construction works"]
    slack.command("/icrm", "budget", user=PM, channel=CHANNEL)
    listing = slack.wait_answers(PM)[0].args
    [edit] = [
        b["accessory"]["value"]
        for b in _blocks(listing)
        if (b.get("accessory") or {}).get("action_id") == "project_budget_edit"
    ]
    assert works
    slack.action("project_budget_edit", edit, user=PM, channel=CHANNEL)
    view = slack.opened_view()
    assert "closed" in [b.get("block_id") for b in view["blocks"]]
    ok = slack.submit(view, {"closed": ["closed"]}, user=PM)
    assert ok.status_code == 200 and line(deps, made).closed
    body = slack.submit(open_fund_use(slack), entry_values(made, amount="100"), user=MEMBER)
    confirm = body.json()
    assert confirm["response_action"] == "update"
    assert "closed" in json.dumps(confirm["view"])
    slack.submit(confirm["view"], {"reason": "合同尾款"}, user=MEMBER)
    entry = only_entry(deps)
    assert (entry.status, entry.approval_role, entry.checks) == ("pending", "pm", "line_closed")
    assert (
        "needs your approval" in slack.fake.wait_for("chat.postMessage", channel=PM)[0].args["text"]
    )
