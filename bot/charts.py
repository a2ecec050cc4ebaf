"""Charts as PNG bytes, legible on a phone, labelled in the project's language.

Pure functions of data: each returns `None` when there is nothing to draw. Rendering uses
matplotlib's Agg backend (no display) and a font that has Chinese glyphs, so a zh-Hans
chart never shows empty boxes; `make test` / `make run` install one (Debian's
fonts-wqy-microhei) when the machine has none.

Slack draws small charts itself (the `data_visualization` block, see
`handlers/chart_blocks.py`); a PNG is the fallback for data beyond that block's limits, and
`form_for` (pure) chooses. A PNG is read on a phone: shown 390 px wide, its smallest text
must still be 11 pt (`effective_pt`), and its colours are the Okabe–Ito palette, which
people with the common colour-vision deficiencies tell apart.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any, Final, TypeAlias

from bot import money_format
from bot.i18n import Translator, _

# 4 × 3 inches at 300 dpi: 1200 × 900 px. Shown 390 px wide on a phone, one figure inch
# is 97.5 px there, so a 9 pt label reads as 12.2 pt and the smallest text (8.5 pt) as 11.5.
SIZE: Final = (4.0, 3.0)
DPI: Final = 300
PHONE_PX: Final = 390
MIN_PHONE_PT: Final = 11.0
FONT_PT: Final = {"base": 9.0, "title": 10.0, "small": 8.5}
CJK_FONTS: Final = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)
# Okabe & Ito's colour-blind-safe palette (blue, vermillion, bluish green, orange, sky blue,
# reddish purple, yellow, black); the over-budget bars are also hatched, not only red.
COLORS: Final = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#E69F00",
    "#56B4E9",
    "#CC79A7",
    "#F0E442",
    "#000000",
)
BUDGET_COLOR: Final = "#A6CEE3"

DatedAmounts: TypeAlias = Sequence[tuple[dt.date, Decimal]]  # (day, running total), by day

# Slack's data_visualization block (docs.slack.dev, 2026-06): a pie of 1–6 segments; a bar,
# area or line chart of 1–6 series over at most 20 categories (labels of 20 characters).
NATIVE_MAX_SEGMENTS: Final = 6
NATIVE_MAX_SERIES: Final = 6
NATIVE_MAX_POINTS: Final = 20
MAX_PNG_LINES: Final = 25  # bars in a budget PNG (11.7 inches tall); the rest are summed


class Form(StrEnum):
    NATIVE = "native"  # a data_visualization block in the message
    PNG = "png"  # a picture shared after the message
    NONE = "none"  # nothing to draw


def form_for(kind: str, *, series: int, points: int) -> Form:
    """How to show a chart of `series` series of `points` points each (a pie: one series of
    `points` segments): natively when Slack's block can hold it, else as a PNG."""
    if series <= 0 or points <= 0:
        return Form.NONE
    if kind == "pie":
        return Form.NATIVE if series == 1 and points <= NATIVE_MAX_SEGMENTS else Form.PNG
    if series <= NATIVE_MAX_SERIES and points <= NATIVE_MAX_POINTS:
        return Form.NATIVE
    return Form.PNG


def effective_pt(font_pt: float, *, width_in: float = SIZE[0], screen_px: int = PHONE_PX) -> float:
    """The size a `font_pt` label appears at when a `width_in`-inch-wide figure is shown
    `screen_px` px wide (a phone's points: 390 on most). The dpi cancels out."""
    return font_pt * screen_px / (72 * width_in)


_LOCK = threading.Lock()  # pyplot's state is global; one chart at a time per process


class NoChineseFont(RuntimeError):
    """No installed font can draw Chinese: install fonts-wqy-microhei or fonts-noto-cjk."""


@dataclass(frozen=True)
class LinePoint:
    label: str
    allocated: Decimal
    spent: Decimal


@cache
def _font_family() -> str:
    from matplotlib import font_manager

    found = _first_cjk(font_manager.fontManager.ttflist)
    if found is None:
        font_manager.fontManager.__init__()  # type: ignore[misc]  # fonts installed after start
        found = _first_cjk(font_manager.fontManager.ttflist)
    if found is None:
        raise NoChineseFont("no font with Chinese glyphs; install fonts-wqy-microhei")
    return found


def _first_cjk(fonts: Iterable[Any]) -> str | None:
    """The first of `CJK_FONTS` among the installed `fonts`."""
    installed = {f.name for f in fonts}
    return next((name for name in CJK_FONTS if name in installed), None)


def _figure(height: float = SIZE[1]) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.family"] = [_font_family(), "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["font.size"] = FONT_PT["base"]
    plt.rcParams["axes.titlesize"] = FONT_PT["title"]
    plt.rcParams["legend.fontsize"] = FONT_PT["small"]
    plt.rcParams["xtick.labelsize"] = FONT_PT["small"]
    plt.rcParams["ytick.labelsize"] = FONT_PT["small"]
    fig, ax = plt.subplots(figsize=(SIZE[0], height), dpi=DPI)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def _png(fig: Any) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=DPI)
    plt.close(fig)
    return buffer.getvalue()


def _short(value: float, tr: Translator) -> str:
    """Axis labels: 1.2亿 / 3,500万 in Chinese, 1.2B / 35M in English (`tr.money`'s rules)."""
    return money_format.compact_figure(Decimal(str(value)), tr.locale, places=0)


def _money_axis(ax: Any, tr: Translator) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _short(v, tr)))


def budget_vs_actual(lines: Sequence[LinePoint], currency: str, tr: Translator) -> bytes | None:
    """Bars of allocated vs spent per budget line; spent bars over budget in vermillion."""
    if not lines:
        return None
    with _LOCK:
        return _png(_budget_figure(lines, currency, tr))


def merged(lines: Sequence[LinePoint], tr: Translator) -> list[LinePoint]:
    """At most `MAX_PNG_LINES` bars: the lines beyond the first ones become one bar of their
    sums, so the picture still adds up to the budget and the spending."""
    if len(lines) <= MAX_PNG_LINES:
        return list(lines)
    kept, rest = lines[: MAX_PNG_LINES - 1], lines[MAX_PNG_LINES - 1 :]
    other = LinePoint(
        tr(_("{n} other lines"), n=len(rest)),
        sum((p.allocated for p in rest), Decimal(0)),
        sum((p.spent for p in rest), Decimal(0)),
    )
    return [*kept, other]


def _budget_figure(lines: Sequence[LinePoint], currency: str, tr: Translator) -> Any:
    # Horizontal bars: the line names read level on a narrow screen; 0.42 inch a bar.
    lines = merged(lines, tr)
    fig, ax = _figure(height=max(SIZE[1], 1.2 + 0.42 * len(lines)))
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    positions = list(range(len(lines)))[::-1]  # the first line at the top
    height = 0.4
    allocated = [float(p.allocated) for p in lines]
    spent = [float(p.spent) for p in lines]
    ax.barh(
        [i + height / 2 for i in positions],
        allocated,
        height,
        color=BUDGET_COLOR,
        label=tr(_("Budget")),
    )
    over = [s > a for s, a in zip(spent, allocated, strict=True)]
    ax.barh(
        [i - height / 2 for i in positions],
        spent,
        height,
        color=[COLORS[1] if o else COLORS[0] for o in over],
        label=tr(_("Spent", context="charts")),
    )
    for i, is_over, value in zip(positions, over, spent, strict=True):
        if is_over:  # a second cue besides colour
            ax.barh(i - height / 2, value, height, fill=False, hatch="///", edgecolor="white")
    if any(over):
        ax.barh([], [], color=COLORS[1], hatch="///", edgecolor="white", label=tr(_("Over budget")))
    ax.set_yticks(positions, [_clip(p.label, 14) for p in lines])
    ax.set_title(tr(_("Budget vs actual ({currency})"), currency=currency))
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _short(v, tr)))
    ax.xaxis.set_major_locator(MaxNLocator(4))
    ax.legend(frameon=False, loc="lower right")
    return fig


def cumulative_spend(
    spent: DatedAmounts, drawn: DatedAmounts, budget: Decimal, currency: str, tr: Translator
) -> bytes | None:
    """Cumulative fund use and drawdowns over time against the total budget."""
    if not spent and not drawn:
        return None
    with _LOCK:
        return _png(_cumulative_figure(spent, drawn, budget, currency, tr))


def _cumulative_figure(
    spent: DatedAmounts, drawn: DatedAmounts, budget: Decimal, currency: str, tr: Translator
) -> Any:
    fig, ax = _figure()
    for points, color, label in (
        (spent, COLORS[0], tr(_("Spent to date"))),
        (drawn, COLORS[2], tr(_("Drawn to date"))),
    ):
        if points:
            ax.step(
                [d for d, _v in points],
                [float(v) for _d, v in points],
                where="post",
                color=color,
                linewidth=2,
                label=label,
            )
    ax.axhline(
        float(budget),
        color=COLORS[1],
        linestyle="--",
        linewidth=1.2,
        label=tr(_("Total budget")),
    )
    ax.set_title(tr(_("Fund use and drawdowns ({currency})"), currency=currency))
    _money_axis(ax, tr)
    fig.autofmt_xdate()
    ax.legend(frameon=False)
    return fig


def trend(
    series: Mapping[str, Sequence[tuple[str, float | None]]],
    title: str,
    tr: Translator,
    *,
    top: float = 100,
) -> bytes | None:
    """One line per name over periods (e.g. months `2026-11`); `None` values are gaps."""
    if not any(v is not None for points in series.values() for _p, v in points):
        return None
    with _LOCK:
        return _png(_trend_figure(series, title, top=top))


def _trend_figure(
    series: Mapping[str, Sequence[tuple[str, float | None]]], title: str, *, top: float
) -> Any:
    fig, ax = _figure()
    for index, (name, points) in enumerate(series.items()):
        xs = [p for p, _v in points]
        ys = [float("nan") if v is None else v for _p, v in points]
        ax.plot(
            xs,
            ys,
            marker="osD^v<>"[index % 7],
            linewidth=2,
            linestyle=("-", "--", ":", "-.")[index // len(COLORS) % 4],
            color=COLORS[index % len(COLORS)],
            label=_clip(name, 14),
        )
    ax.set_ylim(0, top)
    ax.set_title(title)
    ax.legend(frameon=False, ncols=2)
    return fig


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
