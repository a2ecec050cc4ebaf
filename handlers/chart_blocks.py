"""Slack's native chart block (`data_visualization`, 2026-06) as a typed `Block`.

slack_sdk has no model for it yet, so `ChartBlock` carries the JSON. The limits are
Slack's (docs.slack.dev, "Data visualization block"): a title of at most 50 characters; a
bar, area or line chart of 1–6 series whose points are labelled with the axis categories
(1–20, at most 20 characters each), axis labels of at most 50; a pie of 1–6 segments; at
most two charts per message. `bot.charts.form_for` says whether data fits; the builders
here clip labels and keep them unique, and never round a value: the chart shows the very
numbers the message's text is made from.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final

from slack_sdk.models.blocks import Block

MAX_TITLE: Final = 50
MAX_LABEL: Final = 20
MAX_AXIS_LABEL: Final = 50


class ChartBlock(Block):
    """A `data_visualization` block; `to_dict` gives the JSON Slack takes."""

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__(type="data_visualization", block_id=payload.get("block_id"))
        self.payload = payload

    def to_dict(self, *args: Any) -> dict[str, Any]:
        return dict(self.payload)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def labels(names: Sequence[str]) -> list[str]:
    """`names` clipped to Slack's 20 characters and still unique (a clash gets ` 2`, ` 3`)."""
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        label = _clip(name.strip() or "—", MAX_LABEL)
        n = 2
        while label in seen:
            suffix = f" {n}"
            label = _clip(name, MAX_LABEL - len(suffix)) + suffix
            n += 1
        seen.add(label)
        out.append(label)
    return out


def number(value: Decimal | float | int) -> float | int:
    """A JSON number for `value`: whole numbers stay integers, cents stay exact to the cent."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def series_chart(
    kind: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | float | int]]],
    *,
    x_label: str | None = None,
    y_label: str | None = None,
    block_id: str | None = None,
) -> ChartBlock:
    """A bar, area or line chart: one `(name, values)` per series, a value per category."""
    shown = labels(categories)
    names = labels([name for name, _values in series])
    axis: dict[str, Any] = {"categories": shown}
    if x_label:
        axis["x_label"] = _clip(x_label, MAX_AXIS_LABEL)
    if y_label:
        axis["y_label"] = _clip(y_label, MAX_AXIS_LABEL)
    payload: dict[str, Any] = {
        "type": "data_visualization",
        "title": _clip(title, MAX_TITLE),
        "chart": {
            "type": kind,
            "series": [
                {
                    "name": name,
                    "data": [
                        {"label": label, "value": number(value)}
                        for label, value in zip(shown, values, strict=True)
                    ],
                }
                for name, (_name, values) in zip(names, series, strict=True)
            ],
            "axis_config": axis,
        },
    }
    if block_id:
        payload["block_id"] = block_id
    return ChartBlock(payload)


def chart_values(block: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Series name → category → value of a chart block's JSON (for tests and the sandbox)."""
    return {
        one["name"]: {point["label"]: point["value"] for point in one["data"]}
        for one in block["chart"].get("series", [])
    }
