"""Charts are real PNGs of the expected size, with Chinese labels drawn (no missing glyph)."""

from __future__ import annotations

import datetime as dt
import struct
import warnings
from decimal import Decimal

import pytest

from bot.charts import DPI, SIZE, LinePoint, budget_vs_actual, cumulative_spend, trend
from bot.i18n import EN, ZH, Translator


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


EXPECTED = (int(SIZE[0] * DPI), int(SIZE[1] * DPI))
LINES = [
    LinePoint("征地拆迁", Decimal("180000000"), Decimal("120000000")),
    LinePoint("路基桥梁工程", Decimal("620000000"), Decimal("650000000")),
    LinePoint("预备费", Decimal("95000000"), Decimal("0")),
]


@pytest.mark.parametrize("locale", [EN, ZH])
def test_budget_chart_is_a_png_with_every_glyph(locale: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        data = budget_vs_actual(LINES, "CNY", Translator(locale))
    assert data is not None and len(data) > 10_000
    assert png_size(data) == EXPECTED


def test_cumulative_and_trend_charts() -> None:
    day = dt.date(2026, 11, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spend = cumulative_spend(
            [(day, Decimal("1000")), (day + dt.timedelta(days=7), Decimal("5000"))],
            [(day, Decimal("8000"))],
            Decimal("20000"),
            "CNY",
            Translator(ZH),
        )
        scores = trend(
            {
                "财务部": [("2026-10", 71.0), ("2026-11", 80.5)],
                "工程部": [("2026-10", None), ("2026-11", 64.0)],
            },
            "部门综合得分",
            Translator(ZH),
        )
    assert spend is not None and png_size(spend) == EXPECTED
    assert scores is not None and png_size(scores) == EXPECTED


def test_no_chart_for_no_data() -> None:
    tr = Translator(EN)
    assert budget_vs_actual([], "CNY", tr) is None
    assert cumulative_spend([], [], Decimal(1), "CNY", tr) is None
    assert trend({"Finance": [("2026-11", None)]}, "t", tr) is None
