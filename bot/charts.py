"""Charts as PNG bytes, legible on a phone, labelled in the project's language.

Pure functions of data: each returns `None` when there is nothing to draw. Rendering uses
matplotlib's Agg backend (no display) and a font that has Chinese glyphs, so a zh-Hans
chart never shows empty boxes; `make test` / `make run` install one (Debian's
fonts-wqy-microhei) when the machine has none.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, Final

from bot import money_format
from bot.i18n import Translator, _

# 6 × 3.6 inches at 200 dpi: 1200 × 720 px, readable on a phone at full width.
SIZE: Final = (6.0, 3.6)
DPI: Final = 200
CJK_FONTS: Final = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)
COLORS: Final = ("#1d4e89", "#d1495b", "#00798c", "#edae49", "#66a182", "#8d6a9f", "#2e4057")
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

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    font_manager.fontManager.__init__()  # type: ignore[misc]  # fonts installed after start
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    raise NoChineseFont("no font with Chinese glyphs; install fonts-wqy-microhei")


def _figure() -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.family"] = [_font_family(), "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["font.size"] = 9
    fig, ax = plt.subplots(figsize=SIZE, dpi=DPI)
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
    """Bars of allocated vs spent per budget line; spent bars over budget in red."""
    if not lines:
        return None
    with _LOCK:
        fig, ax = _figure()
        positions = range(len(lines))
        width = 0.38
        allocated = [float(p.allocated) for p in lines]
        spent = [float(p.spent) for p in lines]
        ax.bar(
            [i - width / 2 for i in positions],
            allocated,
            width,
            color="#b8c7dc",
            label=tr(_("Budget")),
        )
        colors = [COLORS[1] if s > a else COLORS[0] for s, a in zip(spent, allocated, strict=True)]
        ax.bar(
            [i + width / 2 for i in positions],
            spent,
            width,
            color=colors,
            label=tr(_("Spent", context="charts")),
        )
        ax.set_xticks(list(positions), [_clip(p.label, 10) for p in lines], rotation=30, ha="right")
        ax.set_title(tr(_("Budget vs actual ({currency})"), currency=currency))
        _money_axis(ax, tr)
        ax.legend(frameon=False)
        return _png(fig)


def cumulative_spend(
    spent: Sequence[tuple[dt.date, Decimal]],
    drawn: Sequence[tuple[dt.date, Decimal]],
    budget: Decimal,
    currency: str,
    tr: Translator,
) -> bytes | None:
    """Cumulative fund use and drawdowns over time against the total budget."""
    if not spent and not drawn:
        return None
    with _LOCK:
        fig, ax = _figure()
        if spent:
            ax.step(
                [d for d, _v in spent],
                [float(v) for _d, v in spent],
                where="post",
                color=COLORS[0],
                linewidth=2,
                label=tr(_("Spent to date")),
            )
        if drawn:
            ax.step(
                [d for d, _v in drawn],
                [float(v) for _d, v in drawn],
                where="post",
                color=COLORS[2],
                linewidth=2,
                label=tr(_("Drawn to date")),
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
        return _png(fig)


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
        fig, ax = _figure()
        for index, (name, points) in enumerate(series.items()):
            xs = [p for p, _v in points]
            ys = [float("nan") if v is None else v for _p, v in points]
            ax.plot(
                xs,
                ys,
                marker="o",
                linewidth=2,
                color=COLORS[index % len(COLORS)],
                label=_clip(name, 14),
            )
        ax.set_ylim(0, top)
        ax.set_title(title)
        ax.legend(frameon=False, fontsize=7, ncols=2)
        return _png(fig)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
