"""Charts people read on a phone: the digest and `/funds summary` carry Slack's own chart
(which the strict stand-in accepts) whose numbers are the entries' sums and the text's
figures; beyond the block's limits (more than 20 budget lines) the PNG is shared instead."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from bot.app import Deps
from bot.i18n import translator
from handlers.chart_blocks import chart_values
from tests.conftest import CHANNEL, MEMBER, PM, Clock
from tests.factories import Made, make_project, spend
from tests.slack_driver import SlackDriver

CST = dt.timezone(dt.timedelta(hours=8))
WEDNESDAY = dt.datetime(2026, 12, 9, 15, 0, tzinfo=CST)
THREE = {
    "Land acquisition and resettlement": Decimal("180000000"),  # a name longer than 20
    "Bridges": Decimal("620000000"),
    "Contingency": Decimal("95000000"),
}
MANY = {f"Line {i:02d}": Decimal("1000") for i in range(21)}  # one more than the block holds
PNG = b"\x89PNG\r\n\x1a\n"


def sums_by_line(deps: Deps, project_id: int) -> dict[str, Decimal]:
    """What the entries add up to per line, straight from the database."""
    with deps.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT l.name, COALESCE(SUM(e.amount), 0) FROM budget_lines l"
                " LEFT JOIN fund_entries e ON e.budget_line_id = l.id AND e.voided_at IS NULL"
                " WHERE l.project_id = :p GROUP BY l.name"
            ),
            {"p": project_id},
        ).all()
    return {name: Decimal(str(total)).quantize(Decimal("0.01")) for name, total in rows}


def charts_in(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [b for b in blocks if b["type"] == "data_visualization"]


def three_lines_with_entries(deps: Deps, clock: Clock, **project: Any) -> Made:
    made = make_project(deps, budget=THREE, total_budget="1000000000", **project)
    clock.frozen = WEDNESDAY - dt.timedelta(days=2)
    spend(
        deps,
        made,
        "120000000.50",
        "2026-12-01",
        line="Land acquisition and resettlement",
        now=clock.frozen,
    )
    spend(
        deps,
        made,
        "2500.25",
        "2026-12-02",
        line="Land acquisition and resettlement",
        now=clock.frozen,
    )
    spend(deps, made, "650000000", "2026-12-03", line="Bridges", now=clock.frozen)  # over budget
    clock.frozen = WEDNESDAY
    return made


def test_the_digest_chart_is_slacks_own_and_equals_the_entries(
    slack: SlackDriver, deps: Deps, clock: Clock
) -> None:
    made = three_lines_with_entries(deps, clock)
    slack.command("/icrm", "digest", user=PM, channel=CHANNEL)
    [post] = slack.fake.wait_for("chat.postMessage", channel=CHANNEL)
    assert slack.fake.refusals == []  # the strict stand-in took the chart
    [chart] = charts_in(post.args["blocks"])
    values = chart_values(chart)
    sums = sums_by_line(deps, made.project_id)
    spent = values["Spent"]
    # Line by line, in the budget's order, the chart is the sum of the entries...
    assert list(spent) == ["Land acquisition an…", "Bridges", "Contingency"]
    assert spent["Land acquisition an…"] == float(sums["Land acquisition and resettlement"])
    assert spent["Land acquisition an…"] == 120002500.75  # to the cent
    assert spent["Bridges"] == 650000000 and spent["Contingency"] == 0
    assert values["Budget"]["Bridges"] == 620000000
    # ...and together they are the digest's "to date".
    tr = translator("en")
    total = sum(sums.values())
    assert Decimal(str(sum(spent.values()))) == total
    assert tr.money(total, "CNY") in post.args["text"]
    body = json.dumps(post.args["blocks"], ensure_ascii=False)
    for name, amount in sums.items():
        assert f"{name}: {tr.money(amount, 'CNY')} of " in body  # the same figure, in words
    assert slack.fake.calls_to("files.completeUploadExternal") == []  # no PNG besides


def test_a_digest_of_more_lines_than_the_block_holds_shares_the_png(
    slack: SlackDriver, deps: Deps, clock: Clock
) -> None:
    made = make_project(deps, budget=MANY)
    clock.frozen = WEDNESDAY - dt.timedelta(days=1)
    spend(deps, made, "300", "2026-12-07", line="Line 20", now=clock.frozen)
    clock.frozen = WEDNESDAY
    slack.command("/icrm", "digest", user=PM, channel=CHANNEL)
    share = slack.fake.wait_for("files.completeUploadExternal", timeout=30)[0]
    [post] = slack.fake.calls_to("chat.postMessage")
    assert charts_in(post.args["blocks"]) == []
    assert share.args["channel_id"] == CHANNEL and post.at < share.at
    [png] = slack.fake.uploads.values()
    assert png.startswith(PNG)
    assert "…and 1 more" in json.dumps(post.args["blocks"], ensure_ascii=False)  # 20 lines in words


def test_funds_summary_carries_the_chart_in_chinese(
    slack: SlackDriver, deps: Deps, clock: Clock
) -> None:
    made = three_lines_with_entries(deps, clock, locale="zh-Hans")
    slack.command("/funds", "summary", user=MEMBER, channel=CHANNEL)
    call = slack.wait_answers(MEMBER)[-1]
    assert slack.fake.refusals == []
    [chart] = charts_in(call.args["blocks"])
    assert chart["title"] == "预算与实际（CNY）"
    values = chart_values(chart)
    sums = sums_by_line(deps, made.project_id)
    assert values["已支出"]["Bridges"] == float(sums["Bridges"])
    total = sum(sums.values())
    assert Decimal(str(sum(values["已支出"].values()))) == total
    tr = translator("zh-Hans")
    assert tr.money(total, "CNY") in json.dumps(call.args["blocks"], ensure_ascii=False)
    assert slack.fake.calls_to("files.getUploadURLExternal") == []


def test_funds_summary_of_many_lines_sends_the_png_by_dm(
    slack: SlackDriver, deps: Deps, clock: Clock
) -> None:
    make_project(deps, budget=MANY)
    clock.frozen = WEDNESDAY
    slack.command("/funds", "summary", user=MEMBER, channel=CHANNEL)
    call = slack.wait_answers(MEMBER)[-1]
    assert charts_in(call.args["blocks"]) == []
    share = slack.fake.wait_for("files.completeUploadExternal", timeout=30)[0]
    assert share.args["channel_id"] == f"D{MEMBER}"
    [png] = slack.fake.uploads.values()
    assert png.startswith(PNG)
