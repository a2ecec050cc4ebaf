"""`/funds` end to end: signed requests in, fake Slack Web API out, the database in between."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import Deps
from handlers.chart_blocks import chart_values
from handlers.prefill import RiskPrefill
from storage.models import AuditLog, BudgetLine, FundEntry, FundingSource
from tests.conftest import CHANNEL, LEAD, MEMBER, OTHER, PM, Clock
from tests.db import count
from tests.factories import make_project
from tests.slack_driver import SlackDriver, assert_errors

NOW = dt.datetime(2026, 11, 27, 4, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen(clock: Clock) -> None:
    clock.frozen = NOW


def ephemeral_texts(slack: SlackDriver) -> list[str]:
    return [str(c.args.get("text")) for c in slack.fake.calls_to("chat.postEphemeral")]


def open_modal(slack: SlackDriver, text: str = "", user: str = MEMBER) -> dict[str, Any]:
    return slack.command_modal("/funds", text, user=user, channel=CHANNEL)


def good(made: Any, **changes: Any) -> dict[str, Any]:
    return {
        "line": str(made.lines["Construction works"]),
        "amount": "¥540,000.00",
        "date": "2026-11-26",
        "purpose": "K12+300 段路基土方进度款",
        "reference": "INV-2026-0418",
        **changes,
    }


def test_record_fund_use_confirms_and_alerts_at_90_percent(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps, report_anchor="2026-10-01")
    view = open_modal(slack)
    assert view["callback_id"] == "funds_use"
    options = view["blocks"][0]["element"]["options"]
    assert [o["text"]["text"] for o in options] == ["Construction works"]
    assert view["blocks"][2]["element"]["initial_date"] == "2026-11-27"

    response = slack.submit(view, good(made), user=MEMBER)
    assert response.status_code == 200 and response.text in ("", "null")
    confirmation = slack.fake.wait_for("chat.postEphemeral", user=MEMBER)[0].args["text"]
    assert "Recorded entry #" in confirmation and "¥540,000.00" in confirmation
    alert = slack.fake.wait_for("chat.postMessage", channel=CHANNEL)[0].args["text"]
    assert "Construction works" in alert and "90%" in alert
    with deps.uow() as uow:
        line = uow.session.get(BudgetLine, made.lines["Construction works"])
        assert line is not None and line.spent == Decimal("540000.00")
        assert line.alerted_percent == 90
    assert count(deps, AuditLog) == 2  # the project, the entry


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("amount", "-100", "more than zero"),
        ("amount", "1,2,3", "not an amount"),
        ("amount", "99999999999999", "too large"),
        ("amount", "0.001", "two decimals"),
        ("amount", "US$5", "project's currency"),
        ("date", "2026-11-28", "future"),
        ("date", "2026-09-01", "before the project began"),
        ("purpose", "", "required"),
        ("reference", "", "invoice or contract"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(
    slack: SlackDriver, deps: Deps, field: str, value: str, fragment: str
) -> None:
    made = make_project(deps, report_anchor="2026-10-01")
    view = open_modal(slack)
    response = slack.submit(view, good(made, **{field: value}), user=MEMBER)
    assert fragment in assert_errors(response, field)[field]
    assert count(deps, FundEntry) == 0 and count(deps, AuditLog) == 1


def test_outsider_cannot_record(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps, report_anchor="2026-10-01")
    slack.command("/funds", "", user=OTHER, channel=CHANNEL)
    refusal = slack.wait_answers(OTHER)[0].args["text"]  # on the acknowledgement
    assert "Only members" in refusal and f"<@{PM}>" in refusal
    assert slack.fake.calls_to("views.open") == [] and made.project_id


def test_summary_in_chinese(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps, locale="zh-Hans", report_anchor="2026-10-01")
    view = open_modal(slack)
    slack.submit(view, good(made, amount="12.5万"), user=MEMBER)
    slack.command("/funds", "summary", user=MEMBER, channel=CHANNEL)
    call = slack.wait_answers(MEMBER, count=2)[-1]
    shown = json.dumps(call.args["blocks"], ensure_ascii=False)
    assert "预算执行情况" in call.args["text"]
    assert "¥12.5万" in shown and "¥47.5万" in shown  # spent, variance
    assert "20.8%" in shown and "尚无资金来源" in shown
    # Budget used, named against both bases, as in the digest and on Home.
    assert "已使用" in shown and "占总预算 12.5%，占已分配 20.8%" in shown
    # The chart is Slack's own, in the answer, with the entry's exact figure; no PNG DM (a
    # budget of more than 20 lines gets one: tests/e2e/test_native_charts.py).
    [chart] = [b for b in call.args["blocks"] if b["type"] == "data_visualization"]
    assert chart_values(chart)["已支出"] == {"Construction works": 125000}
    assert slack.fake.calls_to("files.getUploadURLExternal") == []


def test_void_permissions_and_messages(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps, report_anchor="2026-10-01")
    slack.submit(open_modal(slack), good(made, amount="1000"), user=MEMBER)
    with deps.uow() as uow:
        entry_id = uow.session.scalar(select(FundEntry.id))

    slack.command("/funds", f"void {entry_id} duplicate", user=MEMBER, channel=CHANNEL)
    refusal = slack.wait_answers(MEMBER, count=2)[-1].args["text"]
    assert "Only the PMs and the finance lead" in refusal
    assert f"<@{PM}>" in refusal and f"<@{LEAD}>" in refusal

    for text, fragment in [
        ("void", "Use `/funds void"),
        ("void abc reason", "not an entry number"),
        (f"void {entry_id}", "Say why"),
        ("void 99999 typo", "no fund-use entry #99999"),
    ]:
        before = len(slack.answers(PM))
        slack.command("/funds", text, user=PM, channel=CHANNEL)
        calls = slack.wait_answers(PM, count=before + 1)
        assert fragment in calls[-1].args["text"], text

    slack.command("/funds", f"void #{entry_id} 发票重复登记", user=LEAD, channel=CHANNEL)
    note = slack.fake.wait_for("chat.postMessage", channel=CHANNEL)[-1].args["text"]
    assert f"voided fund-use entry #{entry_id}" in note and "发票重复登记" in note
    with deps.uow() as uow:
        line = uow.session.get(BudgetLine, made.lines["Construction works"])
        assert line is not None and line.spent == 0
    before = len(slack.answers(PM))
    slack.command("/funds", f"void {entry_id} again", user=PM, channel=CHANNEL)
    again = slack.wait_answers(PM, count=before + 1)[-1].args["text"]
    assert "already voided" in again and f"<@{LEAD}>" in again


def test_sources_drawdowns_and_the_runway_alert(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps, report_anchor="2026-10-01")
    slack.command("/funds", "sources", user=MEMBER, channel=CHANNEL)
    assert "Only the PMs" in slack.wait_answers(MEMBER)[0].args["text"]
    slack.command("/funds", "drawdown", user=PM, channel=CHANNEL)
    assert "no funding sources" in slack.wait_answers(PM)[-1].args["text"]

    view = open_modal(slack, "sources", user=LEAD)
    assert view["callback_id"] == "funds_source"
    bad = slack.submit(
        view, {"source_name": "资本金", "source_kind": "equity", "committed": "0"}, user=LEAD
    )
    assert list(bad.json()["errors"]) == ["committed"]
    ok = slack.submit(
        view, {"source_name": "资本金", "source_kind": "equity", "committed": "100万"}, user=LEAD
    )
    assert ok.text in ("", "null")
    assert (
        "added funding source"
        in slack.fake.wait_for("chat.postMessage", channel=CHANNEL)[0].args["text"]
    )

    # drawing 600,000 (no burn yet: no alert), then spending 500,000: cash 100,000, runway 0.8
    with deps.uow() as uow:
        source_id = uow.session.scalar(select(FundingSource.id))
    slack.command("/funds", "drawdown", user=PM, channel=CHANNEL)
    view = slack.fake.wait_for("views.open", count=2)[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "funds_drawdown"
    too_much = slack.submit(
        view, {"source": str(source_id), "amount": "1000000.01"}, user=PM
    ).json()
    assert "undrawn" in too_much["errors"]["amount"]
    drawn = slack.submit(
        view, {"source": str(source_id), "amount": "600000", "reference": "DN-01"}, user=PM
    )
    assert drawn.text in ("", "null")
    slack.submit(open_modal(slack), good(made, amount="500000"), user=MEMBER)
    posted = slack.fake.wait_for("chat.postMessage", channel=CHANNEL, count=3)
    runway = [c for c in posted if "runway" in str(c.args["text"])]
    assert len(runway) == 1
    blocks = runway[0].args["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    button = blocks[1]["elements"][0]
    assert button["action_id"] == "risk_from_alert"
    prefill = RiskPrefill.model_validate_json(button["value"])
    assert prefill.category == "funding_liquidity" and prefill.project_id == made.project_id


def test_help_and_unknown_words(slack: SlackDriver, deps: Deps) -> None:
    make_project(deps, report_anchor="2026-10-01")
    answer = slack.command("/funds", "help", user=MEMBER, channel=CHANNEL).json()
    assert "/funds summary" in json.dumps(answer)
    unknown = slack.command("/funds", "frobnicate", user=MEMBER, channel=CHANNEL).json()
    assert "frobnicate" in json.dumps(unknown) and "/funds void" in json.dumps(unknown)
