"""Messages a request causes are queued in the transaction of its change (`jobs/outbox.py`).

Each kind's request dies right after its service commits (nothing after the commit runs:
no deliverer pass, no Home, no answer); the next clock's pass still sends the message,
exactly once, keyed by the business event. The request retried by Slack (the same view id
and hash, the same click) sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import time
import types
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import Deps
from bot.log import ContextExecutor
from bot.services import approvals, change_orders, feedback, funds, risks
from bot.services.fund_policy import DEFAULTS
from handlers.home.ids import PmAction
from jobs import outbox
from storage.models import FundingSource, OutboxMessage, Risk
from tests.conftest import CHANNEL, LEAD, MEMBER, PM, Clock
from tests.e2e.test_feedback import given_and_reply_opened
from tests.e2e.test_feedback import good as good_feedback
from tests.e2e.test_feedback import open_modal as open_feedback
from tests.e2e.test_fund_control import (
    buttons,
    entry_values,
    only_entry,
    open_fund_use,
    with_contingency,
)
from tests.e2e.test_home_pm import busy, button_of
from tests.e2e.test_home_pm import made as made  # the fixture `busy` needs
from tests.e2e.test_outbox import restarted_pass
from tests.e2e.test_risks import HIGH, open_modal
from tests.factories import Made, make_project
from tests.slack_driver import SlackDriver

__all__ = ["busy", "made"]

NOW = dt.datetime(2026, 11, 27, 4, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen(clock: Clock) -> None:
    clock.frozen = NOW


class Died(Exception):
    """The request's process dies here, right after the service committed."""


def dies_after(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[Any]:
    """`module.name` commits as usual, then the request dies; what it returned is kept."""
    real: Callable[..., Any] = getattr(module, name)
    returned: list[Any] = []

    def dying(*args: Any, **kwargs: Any) -> Any:
        returned.append(real(*args, **kwargs))
        raise Died(name)

    monkeypatch.setattr(module, name, dying)
    return returned


def settle() -> None:
    """Whatever the request left running (its error answer) is done."""
    ContextExecutor.wait_all_idle(timeout=10)
    ContextExecutor.wait_all_idle(timeout=10)


def posts(slack: SlackDriver, channel: str, fragment: str) -> list[str]:
    return [
        str(c.args["text"])
        for c in slack.fake.calls_to("chat.postMessage")
        if c.args.get("channel") == channel and fragment in str(c.args.get("text"))
    ]


def rows(deps: Deps, kind: str) -> list[tuple[str, str]]:
    with deps.uow() as uow:
        found = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind))
        return sorted((r.key, r.status) for r in found)


def sent_once_by_the_next_pass(
    deps: Deps, clock: Clock, slack: SlackDriver, channel: str, fragment: str
) -> None:
    settle()
    assert posts(slack, channel, fragment) == []  # nothing ran after the commit
    assert restarted_pass(deps, clock) >= 1
    assert restarted_pass(deps, clock) == 0
    assert len(posts(slack, channel, fragment)) == 1


def retried_view_sends_nothing(
    slack: SlackDriver,
    deps: Deps,
    clock: Clock,
    view: dict[str, Any],
    values: dict[str, Any],
    user: str,
    channel: str,
    fragment: str,
) -> None:
    """Slack retries the submission (the same view id and hash): it just closes."""
    slack.submit(view, values, user=user)
    nothing_sent_again(slack, deps, clock, channel, fragment)


def nothing_sent_again(
    slack: SlackDriver, deps: Deps, clock: Clock, channel: str, fragment: str
) -> None:
    """After a retry: the next pass sends nothing, and `fragment` reached `channel` once."""
    settle()
    assert restarted_pass(deps, clock) == 0
    assert len(posts(slack, channel, fragment)) == 1


def test_a_threshold_alert_of_a_request_that_died_after_its_commit_is_sent_once(
    slack: SlackDriver, deps: Deps, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = make_project(deps, report_anchor="2026-10-01")
    returned = dies_after(monkeypatch, funds, "record_entry")
    view = {**open_fund_use(slack), "id": "VDIED1", "hash": "1.died"}
    slack.submit(view, entry_values(made), user=MEMBER)
    settle()
    [outcome] = returned
    assert rows(deps, "threshold_alert") == [
        (f"fund:entry:{outcome.id}:alert:90:Construction works", "pending")
    ]
    sent_once_by_the_next_pass(deps, clock, slack, CHANNEL, "90%")
    monkeypatch.undo()
    retried_view_sends_nothing(slack, deps, clock, view, entry_values(made), MEMBER, CHANNEL, "90%")
    assert rows(deps, "threshold_alert")[0][1] == "sent"


def test_a_retried_fund_use_submission_alerts_once(
    slack: SlackDriver, deps: Deps, clock: Clock
) -> None:
    made = make_project(deps, report_anchor="2026-10-01")
    view = {**open_fund_use(slack), "id": "VTWICE1", "hash": "1.twice"}
    slack.submit(view, entry_values(made), user=MEMBER)
    slack.fake.wait_for("chat.postMessage", channel=CHANNEL)
    slack.submit(view, entry_values(made), user=MEMBER)  # Slack's retry
    nothing_sent_again(slack, deps, clock, CHANNEL, "90%")


def source_and_drawdown(slack: SlackDriver, deps: Deps) -> dict[str, Any]:
    """The sources modal opened by the finance lead."""
    slack.command("/funds", "sources", user=LEAD, channel=CHANNEL)
    return {**slack.opened_view(), "id": "VSOURCE", "hash": "1.source"}


def test_a_source_announcement_of_a_request_that_died_is_sent_once(
    slack: SlackDriver, deps: Deps, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(deps, report_anchor="2026-10-01")
    dies_after(monkeypatch, funds, "save_source")
    view = source_and_drawdown(slack, deps)
    values = {"source_name": "资本金", "source_kind": "equity", "committed": "100万"}
    slack.submit(view, values, user=LEAD)
    sent_once_by_the_next_pass(deps, clock, slack, CHANNEL, "added funding source")
    [(key, _status)] = rows(deps, "funds_announcement")
    assert key.startswith("fund:source:")
    monkeypatch.undo()
    retried_view_sends_nothing(slack, deps, clock, view, values, LEAD, CHANNEL, "funding source")


def test_a_drawdown_announcement_of_a_request_that_died_is_sent_once(
    slack: SlackDriver, deps: Deps, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(deps, report_anchor="2026-10-01")
    values = {"source_name": "资本金", "source_kind": "equity", "committed": "100万"}
    slack.submit(source_and_drawdown(slack, deps), values, user=LEAD)
    slack.fake.wait_for("chat.postMessage", channel=CHANNEL)
    settle()  # the source's own pass is over
    with deps.uow() as uow:
        source_id = uow.session.scalar(select(FundingSource.id))
    returned = dies_after(monkeypatch, funds, "record_drawdown")
    slack.command("/funds", "drawdown", user=PM, channel=CHANNEL)
    view = {**slack.opened_view(), "id": "VDRAW", "hash": "1.draw"}
    slack.submit(view, {"source": str(source_id), "amount": "600000"}, user=PM)
    sent_once_by_the_next_pass(deps, clock, slack, CHANNEL, "recorded a drawdown")
    [outcome] = returned
    assert (f"fund:drawdown:{outcome.id}", "sent") in rows(deps, "funds_announcement")


def test_a_void_announcement_of_a_command_that_died_is_sent_once(
    slack: SlackDriver, deps: Deps, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = make_project(deps, report_anchor="2026-10-01")
    slack.submit(open_fund_use(slack), entry_values(made, amount="1000"), user=MEMBER)
    slack.wait_answers(MEMBER)
    settle()  # the entry's own pass is over
    entry = only_entry(deps)
    dies_after(monkeypatch, funds, "void_entry")
    slack.command("/funds", f"void {entry.id} duplicate invoice", user=PM, channel=CHANNEL)
    sent_once_by_the_next_pass(deps, clock, slack, CHANNEL, "voided fund-use entry")
    assert rows(deps, "funds_announcement") == [(f"fund:entry:{entry.id}:void", "sent")]


def test_approval_request_and_outcome_of_requests_that_died_are_sent_once(
    slack: SlackDriver, deps: Deps, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = make_project(deps, report_anchor="2026-10-01", policy=DEFAULTS)
    dies_after(monkeypatch, funds, "record_entry")
    slack.submit(open_fund_use(slack), entry_values(made), user=MEMBER)
    sent_once_by_the_next_pass(deps, clock, slack, LEAD, "needs your approval")
    entry = only_entry(deps)
    assert rows(deps, "approval_request") == [(f"approval:entry{entry.id}:ask:{LEAD}", "sent")]
    [dm] = [c.args for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"] == LEAD]

    monkeypatch.undo()
    dies_after(monkeypatch, approvals, "decide")
    slack.action("approval_approve", buttons(dm)["approval_approve"], user=LEAD, channel="DLEAD")
    settle()
    assert posts(slack, MEMBER, "(HWY-42)") == []
    assert posts(slack, CHANNEL, "90%") == []
    assert restarted_pass(deps, clock) == 2  # the requester's DM, the line's alert
    assert restarted_pass(deps, clock) == 0
    assert len(posts(slack, MEMBER, "(HWY-42)")) == 1
    assert len(posts(slack, CHANNEL, "90%")) == 1
    assert rows(deps, "approval_outcome") == [(f"approval:entry{entry.id}:outcome", "sent")]
    [(alert, _status)] = rows(deps, "threshold_alert")
    assert alert == f"approval:entry{entry.id}:alert:90:Construction works"

    monkeypatch.undo()  # a second click: already decided, nothing sent again
    slack.action("approval_approve", buttons(dm)["approval_approve"], user=LEAD, channel="DLEAD")
    nothing_sent_again(slack, deps, clock, MEMBER, "(HWY-42)")


def test_a_change_order_request_that_died_asks_its_approver_once(
    slack: SlackDriver, deps: Deps, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = with_contingency(deps)
    returned = dies_after(monkeypatch, change_orders, "request_change")
    slack.command("/funds", "change Contingency", user=MEMBER, channel=CHANNEL)
    view = {**slack.opened_view(), "id": "VCHANGE", "hash": "1.change"}
    values = {
        "change_kind": "transfer",
        "line": str(made.lines["Contingency"]),
        "to_line": str(made.lines["Construction works"]),
        "amount": "150000",
        "reason": "设计变更 DV-12",
        "reference": "VO-12",
    }
    slack.submit(view, values, user=MEMBER)
    settle()
    assert returned, "the change order was not saved"
    sent_once_by_the_next_pass(deps, clock, slack, LEAD, "Change order #")
    [(key, _status)] = rows(deps, "approval_request")
    assert key == f"approval:change{returned[0].id}:ask:{LEAD}"
    monkeypatch.undo()
    retried_view_sends_nothing(slack, deps, clock, view, values, MEMBER, LEAD, "Change order #")


def test_a_risk_escalation_of_a_request_that_died_is_posted_once(
    slack: SlackDriver, deps: Deps, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = make_project(deps)
    dies_after(monkeypatch, risks, "create_risk")
    view = {**open_modal(slack, MEMBER), "id": "VRISK", "hash": "1.risk"}
    values = {
        **HIGH,
        "likelihood": "4",
        "impact": "4",
        "department": str(made.departments["finance"]),
        "owner": LEAD,
    }
    slack.submit(view, values, user=MEMBER)
    sent_once_by_the_next_pass(deps, clock, slack, CHANNEL, "R-1")
    with deps.uow() as uow:
        risk_id = uow.session.scalars(select(Risk.id)).one()
    assert rows(deps, "risk_escalation") == [(f"risk:{risk_id}:alert", "sent")]
    # The owner's DM was queued with the risk too, saying where the alert is.
    assert rows(deps, "risk_escalation_dm") == [(f"risk:{risk_id}:dm:{LEAD}", "sent")]
    [dm] = posts(slack, LEAD, "R-1")
    assert "needs you" in dm
    [to_lead] = [c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"] == LEAD]
    assert f"<#{CHANNEL}>" in str(to_lead.args["blocks"])
    with deps.uow() as uow:  # a message already taken by a deliverer is never rewritten
        assert not outbox.rewrite(uow, f"risk:{risk_id}:dm:{LEAD}", "changed", [])
        assert not outbox.rewrite(uow, "risk:0:dm:nobody", "changed", [])
    monkeypatch.undo()
    retried_view_sends_nothing(slack, deps, clock, view, values, MEMBER, CHANNEL, "R-1")
    assert len(posts(slack, LEAD, "R-1")) == 1


def test_a_home_nudge_is_sent_once_per_click_even_if_its_pass_never_ran(
    slack: SlackDriver, deps: Deps, busy: Made, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.e2e.test_home import open_home

    home = open_home(slack, PM)
    button = button_of(home, PmAction.NUDGE_REPORT)
    # The process dies after the commit: the background pass never runs.
    monkeypatch.setattr(outbox, "deliver_soon", lambda *_a, **_k: False)
    fixed = time.time()  # Slack redelivers the very same click (the same `action_ts`)
    monkeypatch.setattr(
        "tests.slack_driver.time",
        types.SimpleNamespace(time=lambda: fixed, monotonic=time.monotonic, sleep=time.sleep),
    )
    slack.action(PmAction.NUDGE_REPORT, button["value"], user=PM, view=home)
    slack.action(PmAction.NUDGE_REPORT, button["value"], user=PM, view=home)
    settle()
    assert posts(slack, LEAD, "Reminder") == []
    assert restarted_pass(deps, clock) == 1
    assert restarted_pass(deps, clock) == 0
    assert len(posts(slack, LEAD, "Reminder")) == 1
    [(key, status)] = rows(deps, "report_nudge")
    assert key.startswith("report:") and f":nudge:{PM}:" in key and status == "sent"
    monkeypatch.undo()  # a new click is a new nudge
    slack.action(PmAction.NUDGE_REPORT, button["value"], user=PM, view=home)
    slack.fake.wait_for("chat.postMessage", channel=LEAD, count=2)
    settle()
    assert len(posts(slack, LEAD, "Reminder")) == 2


def test_a_lead_dm_of_feedback_whose_request_died_is_sent_once(
    slack: SlackDriver, deps: Deps, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = make_project(deps)
    returned = dies_after(monkeypatch, feedback, "give_feedback")
    view = {**open_feedback(slack), "id": "VDIED9", "hash": "9.died"}
    slack.submit(view, good_feedback(made), user=MEMBER)
    settle()
    [item] = returned
    assert rows(deps, "feedback_lead") == [(f"feedback:{item.id}:lead:{LEAD}", "pending")]
    sent_once_by_the_next_pass(deps, clock, slack, LEAD, "received feedback")
    monkeypatch.undo()
    retried_view_sends_nothing(
        slack, deps, clock, view, good_feedback(made), MEMBER, LEAD, "received feedback"
    )


def test_a_reply_to_feedback_whose_request_died_reaches_the_author_once(
    slack: SlackDriver, deps: Deps, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved, opened = given_and_reply_opened(slack, deps)
    view = {**opened, "id": "VDIED10", "hash": "10.died"}
    returned = dies_after(monkeypatch, feedback, "reply")
    slack.submit(view, {"reply": "已安排专人跟进。"}, user=LEAD)
    settle()
    assert [item.id for item in returned] == [saved.id]
    assert rows(deps, "feedback_reply") == [(f"feedback:{saved.id}:reply", "pending")]
    sent_once_by_the_next_pass(deps, clock, slack, MEMBER, f"<@{LEAD}>")
    monkeypatch.undo()
    retried_view_sends_nothing(
        slack, deps, clock, view, {"reply": "已安排专人跟进。"}, LEAD, MEMBER, f"<@{LEAD}>"
    )
