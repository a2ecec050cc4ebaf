"""Charts are real PNGs of the expected size, with Chinese labels drawn (no missing glyph)."""

from __future__ import annotations

import datetime as dt
import struct
import warnings
from decimal import Decimal

import pytest

from bot import charts
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


def _texts(fig: object) -> list[object]:
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]  # type: ignore[attr-defined]


def test_effective_size_at_phone_width() -> None:
    # 4-inch figure shown 390 px wide: 97.5 px per inch, so 72 pt (one inch) is 97.5 pt.
    assert charts.effective_pt(72, width_in=4.0) == pytest.approx(97.5)
    assert charts.effective_pt(9, width_in=6.0) == pytest.approx(8.125)  # the old 6-inch size
    assert charts.effective_pt(min(charts.FONT_PT.values())) >= charts.MIN_PHONE_PT


@pytest.mark.parametrize("kind", ["budget", "budget_many", "cumulative", "trend"])
def test_every_label_is_at_least_11_pt_on_a_phone(kind: str) -> None:
    import matplotlib.pyplot as plt

    tr = Translator(ZH)
    day = dt.date(2026, 11, 2)
    many = [LinePoint(f"预算科目{i}", Decimal(100 * i + 50), Decimal(90 * i)) for i in range(30)]
    fig = {
        "budget": lambda: charts._budget_figure(LINES, "CNY", tr),
        "budget_many": lambda: charts._budget_figure(many, "CNY", tr),
        "cumulative": lambda: charts._cumulative_figure(
            [(day, Decimal(1000))], [(day, Decimal(800))], Decimal(5000), "CNY", tr
        ),
        "trend": lambda: charts._trend_figure(
            {f"部门{i}": [("2026-10", 60.0 + i), ("2026-11", 70.0)] for i in range(9)},
            "部门综合得分",
            top=100,
        ),
    }[kind]()
    try:
        width_in = fig.get_figwidth()
        texts = _texts(fig)
        assert texts
        smallest = min(t.get_fontsize() for t in texts)  # type: ignore[attr-defined]
        assert charts.effective_pt(smallest, width_in=width_in) >= 11.0, smallest
    finally:
        plt.close(fig)


def test_the_palette_is_colour_blind_safe_and_distinct() -> None:
    # Okabe & Ito: the eight colours, each different.
    assert charts.COLORS[:3] == ("#0072B2", "#D55E00", "#009E73")
    assert len(set(charts.COLORS)) == len(charts.COLORS) == 8


def test_a_chart_is_native_within_slacks_limits_and_a_png_beyond() -> None:
    native, png, none = charts.Form.NATIVE, charts.Form.PNG, charts.Form.NONE
    assert charts.form_for("bar", series=2, points=20) is native
    assert charts.form_for("bar", series=2, points=21) is png
    assert charts.form_for("line", series=6, points=12) is native
    assert charts.form_for("line", series=7, points=12) is png
    assert charts.form_for("pie", series=1, points=6) is native
    assert charts.form_for("pie", series=1, points=7) is png
    assert charts.form_for("bar", series=0, points=3) is none
    assert charts.form_for("bar", series=2, points=0) is none


def test_a_long_budget_is_summed_into_one_last_bar() -> None:
    tr = Translator(EN)
    many = [LinePoint(f"Line {i}", Decimal(100), Decimal(i)) for i in range(40)]
    bars = charts.merged(many, tr)
    assert len(bars) == charts.MAX_PNG_LINES and bars[-1].label == "16 other lines"
    assert sum(b.allocated for b in bars) == Decimal(4000)
    assert sum(b.spent for b in bars) == sum(p.spent for p in many)
    assert charts.merged(many[:25], tr) == many[:25]
