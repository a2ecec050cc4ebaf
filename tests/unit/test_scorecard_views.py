"""The scorecard's rendering: pure, within Slack's limits, in English and Chinese."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

from bot.i18n import translator
from bot.scoring import DEFAULT_WEIGHTS
from bot.scoring import Component as C
from bot.services.scorecard import Line, Measured, Scorecard, Trend
from handlers.scorecard import views


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
    assert views.chart_of(card(), Trend([]), tr) is None
    empty = Trend(["2026-11"], {"Finance": [("2026-11", None)]})
    assert views.chart_of(card(), empty, tr) is None
    drawn = views.chart_of(card(), Trend(["2026-11"], {"Finance": [("2026-11", 50.0)]}), tr)
    assert drawn is not None and drawn.startswith(b"\x89PNG")


def ranked_card() -> Scorecard:
    def line(i: int, name: str, composite: str | None, rank: int | None, **m: object) -> Line:
        value = None if composite is None else D(composite)
        return Line(i, name, {c: value for c in C}, value, rank, None, Measured(**m))  # type: ignore[arg-type]

    return Scorecard(
        7,
        "HWY-42",
        "Highway",
        dt.date(2026, 11, 1),
        DEFAULT_WEIGHTS,
        [  # stored in department order, not rank order
            line(1, "Finance", "61.25", 3, ack_median_hours=D("60")),
            line(2, "Engineering", "88.04", 1, survey_csat=D("82.35"), survey_csat_respondents=9),
            line(3, "Procurement", None, None),
            line(4, "Legal", "70.96", 2, ack_median_hours=D("36.5")),
        ],
        stored=True,
    )


def test_the_scorecard_reads_as_a_ranking_best_to_worst() -> None:
    from bot.sandbox.blockkit import problems_in_blocks
    from handlers.chart_blocks import chart_values

    text, blocks = views.scorecard_message(ranked_card(), translator("en"))
    shown = [b.to_dict() for b in blocks]
    assert problems_in_blocks(shown, "message") == []
    assert text.endswith(": 1. Engineering 88.0, 2. Legal 71.0, 3. Finance 61.3")
    rendered = json.dumps(shown, ensure_ascii=False)
    order = [rendered.index(f"{n}. {name}") for n, name in ((1, "Engineering"), (2, "Legal"))]
    assert order == sorted(order) and rendered.index("3. Finance") > order[-1]
    assert rendered.index("– Procurement") > rendered.index("3. Finance")  # no data: last
    [chart] = [b for b in shown if b["type"] == "data_visualization"]
    assert chart["chart"]["type"] == "bar"
    # The chart's numbers are the text's: one decimal, best first.
    assert chart_values(chart) == {
        "Composite": {"Engineering": 88.0, "Legal": 71.0, "Finance": 61.3}
    }
    assert "survey CSAT 82% (n=9)" in rendered  # whole percents
    assert "risks acknowledged in 2.5 days (median)" in rendered  # 60 h
    assert "risks acknowledged in 36.5 h (median)" in rendered


def test_waits_of_two_days_or_more_read_in_days_in_both_languages() -> None:
    en, zh = translator("en"), translator("zh-Hans")
    assert views.wait_text(D("47.9"), en) == "47.9 h"
    assert views.wait_text(D("48"), en) == "2.0 days"
    assert views.wait_text(D("60"), zh) == "2.5 天"
    assert views.wait_text(D("12"), zh) == "12.0 小时"


def test_the_trend_is_native_up_to_six_departments_and_a_png_beyond() -> None:
    from bot.charts import Form
    from bot.sandbox.blockkit import problems_in_blocks

    months = ["2026-09", "2026-10", "2026-11"]
    six = Trend(months, {f"Dept {i}": [(m, 50.0 + i) for m in months] for i in range(6)})
    six.series["Dept 0"] = [("2026-09", None), ("2026-10", 40.04), ("2026-11", 45.0)]  # type: ignore[index]
    assert views.trend_form(six) is Form.NATIVE
    _text, blocks = views.scorecard_message(ranked_card(), translator("en"), six)
    charts = [b.to_dict() for b in blocks if b.to_dict()["type"] == "data_visualization"]
    assert len(charts) == 2 and problems_in_blocks([b.to_dict() for b in blocks], "message") == []
    line = charts[1]["chart"]
    assert line["type"] == "line" and line["axis_config"]["categories"] == months
    assert line["series"][0]["data"] == [
        {"label": "2026-10", "value": 40.0},
        {"label": "2026-11", "value": 45.0},
    ]  # the month without data is a gap, not a zero
    seven = Trend(months, {f"Dept {i}": [(m, 50.0) for m in months] for i in range(7)})
    assert views.trend_form(seven) is Form.PNG
    _text, blocks = views.scorecard_message(ranked_card(), translator("en"), seven)
    assert [b.to_dict()["type"] for b in blocks].count("data_visualization") == 1
    assert views.trend_form(Trend([])) is Form.NONE and views.trend_form(None) is Form.NONE
