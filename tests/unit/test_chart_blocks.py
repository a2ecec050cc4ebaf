"""Slack's native charts: built within the block's limits, with the text's own numbers."""

from __future__ import annotations

from decimal import Decimal as D

from bot.i18n import translator
from bot.sandbox.blockkit import problems_in_blocks
from bot.services.funds import LineStatus
from handlers.chart_blocks import chart_values, labels, number, series_chart
from handlers.funds.views import budget_chart, budget_chart_form


def line(i: int, name: str | None = None) -> LineStatus:
    return LineStatus(
        i, name or f"Line {i}", "works", None, D(1000 * i), D("123.45") * i, changes=D(10)
    )


def test_labels_are_clipped_to_20_and_stay_unique() -> None:
    long = "Land acquisition and resettlement"
    shown = labels([long, long, "征地拆迁", " "])
    assert all(len(x) <= 20 for x in shown)
    assert len(set(shown)) == 4
    assert shown[0] == "Land acquisition an…" and shown[1].endswith(" 2")
    assert shown[3] == "—"


def test_numbers_keep_their_cents() -> None:
    assert number(D("1200.00")) == 1200 and isinstance(number(D("1200.00")), int)
    assert number(D("1234.56")) == 1234.56


def test_a_series_chart_is_valid_block_kit() -> None:
    chart = series_chart(
        "line", "t" * 80, ["a", "b"], [("x", [1, 2]), ("y", [D("0.5"), 3])], y_label="y" * 60
    ).to_dict()
    assert len(chart["title"]) == 50 and len(chart["chart"]["axis_config"]["y_label"]) == 50
    assert problems_in_blocks([chart], "message") == []
    assert chart_values(chart) == {"x": {"a": 1, "b": 2}, "y": {"a": 0.5, "b": 3}}


def test_budget_chart_shows_each_lines_revised_budget_and_spent() -> None:
    tr = translator("zh-Hans")
    lines = [line(i) for i in range(1, 21)]
    [block] = [b.to_dict() for b in budget_chart(lines, "CNY", tr)]
    assert problems_in_blocks([block], "message") == []
    values = chart_values(block)
    assert list(values) == ["预算", "已支出"]
    assert values["已支出"]["Line 3"] == 370.35  # 123.45 × 3, to the cent
    assert values["预算"]["Line 3"] == 3010  # revised: 3,000 allocated + 10 approved changes
    assert sum(values["已支出"].values()) == float(sum(x.spent for x in lines))


def test_budget_chart_beyond_20_lines_is_left_to_the_png() -> None:
    lines = [line(i) for i in range(1, 22)]
    assert budget_chart_form(lines).value == "png"
    assert budget_chart(lines, "CNY", translator("en")) == []
    assert budget_chart_form([]).value == "none"
