"""The scorecard's rendering: pure, within Slack's limits, in English and Chinese."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

from bot.i18n import translator
from bot.scoring import DEFAULT_WEIGHTS
from bot.scoring import Component as C
from bot.services.scorecard import Line, Measured, Scorecard, Trend
from handlers.scorecard import delivery, views


def card(n: int = 2, *, provisional: bool = False) -> Scorecard:
    scores = {c: None for c in C} | {C.TIMELINESS: D("50.0")}
    lines = [
        Line(
            1, "财务部", scores, D("50.0"), 1, D("-2.5"), Measured(reports_due=2, reports_on_time=1)
        ),
        *[
            Line(10 + i, f"Dept {i}", {c: None for c in C}, None, None, None, Measured())
            for i in range(n - 1)
        ],
    ]
    return Scorecard(
        7,
        "HWY-42",
        "Highway",
        dt.date(2026, 11, 1),
        DEFAULT_WEIGHTS,
        lines,
        stored=not provisional,
        provisional=provisional,
        computed_at=None if provisional else dt.datetime(2026, 12, 1, 1, tzinfo=dt.UTC),
    )


def test_english_lines_show_rank_composite_change_and_no_data() -> None:
    text, blocks = views.scorecard_message(card(), translator("en"))
    rendered = json.dumps([b.to_dict() for b in blocks], ensure_ascii=False)
    assert text == "Monthly scorecard 2026-11 · HWY-42: 1. 财务部 50.0"
    assert "*1. 财务部* · *50.0* ▼ 2.5" in rendered
    assert "Reports on time 50.0" in rendered and "Satisfaction no data" in rendered
    assert "reports: 1 of 2 on time" in rendered
    assert "*– Dept 0* · *no data*" in rendered and "No data this month." in rendered
    assert "<!date^1796086800^" in rendered and "recompute" in rendered


def test_chinese_and_provisional() -> None:
    text, blocks = views.scorecard_message(card(provisional=True), translator("zh-Hans"))
    rendered = json.dumps([b.to_dict() for b in blocks], ensure_ascii=False)
    assert text.startswith("月度评估 2026-11 · HWY-42")
    assert "临时结果" in rendered and "报告及时率 50.0" in rendered and "满意度 无数据" in rendered
    assert "报告：2 份中 1 份按时" in rendered


def test_change_marks() -> None:
    tr = translator("en")
    assert views.change_text(D("3.2"), tr) == "▲ 3.2"
    assert views.change_text(D("-1.5"), tr) == "▼ 1.5"
    assert views.change_text(D("0"), tr) == "= 0.0"
    assert views.change_text(None, tr) == ""


def test_many_departments_stay_within_the_block_limit() -> None:
    _text, blocks = views.scorecard_message(card(60), translator("en"))
    assert len(blocks) <= 50


def test_no_chart_without_stored_data() -> None:
    tr = translator("en")
    assert delivery.chart_of(card(), Trend([]), tr) is None
    empty = Trend(["2026-11"], {"Finance": [("2026-11", None)]})
    assert delivery.chart_of(card(), empty, tr) is None
    drawn = delivery.chart_of(card(), Trend(["2026-11"], {"Finance": [("2026-11", 50.0)]}), tr)
    assert drawn is not None and drawn.startswith(b"\x89PNG")
