"""The monthly department scorecard's arithmetic: pure functions, no I/O.

Each component is a 0–100 score, or `None` when there is no data that month; a component
without data is left out of the composite (the remaining weights are rescaled), never
counted as zero.

- satisfaction: the mean of the available sub-scores — feedback (mean rating r on 1–5 →
  (r − 1) / 4 × 100) and survey CSAT % (share of 4–5 answers);
- nps: NPS (−100…100) mapped to (NPS + 100) / 2;
- timeliness: % of fortnightly reports submitted on time;
- responsiveness: from the median hours between a risk being raised and acknowledged, for
  risks the department owns: 100 at ≤ 24 h, falling linearly to 0 at ≥ 168 h (a week);
- acknowledgement: % of feedback received that was acknowledged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final


class Component(StrEnum):
    SATISFACTION = "satisfaction"
    NPS = "nps"
    TIMELINESS = "timeliness"
    RESPONSIVENESS = "responsiveness"
    ACKNOWLEDGEMENT = "acknowledgement"


DEFAULT_WEIGHTS: Final[dict[Component, int]] = {c: 1 for c in Component}
FAST_HOURS: Final = Decimal(24)
SLOW_HOURS: Final = Decimal(168)
ONE: Final = Decimal("0.1")


@dataclass(frozen=True)
class Inputs:
    """What was measured for one department in one month (None: not measured)."""

    feedback_mean: Decimal | None = None  # 1–5
    feedback_count: int = 0
    survey_csat: Decimal | None = None  # 0–100 %
    nps: Decimal | None = None  # −100…100
    on_time_percent: Decimal | None = None
    ack_median_hours: Decimal | None = None
    ack_rate_percent: Decimal | None = None


@dataclass(frozen=True)
class Row:
    department_id: int
    scores: dict[Component, Decimal | None]
    composite: Decimal | None
    rank: int | None
    change: Decimal | None  # composite − last month's, when both exist
    inputs: Inputs = field(default_factory=Inputs)


def share(part: int, whole: int, *, per: int = 1, to: Decimal | None = None) -> Decimal | None:
    """`part` of `whole`, times `per` (1: a share 0–1, 100: a percentage), quantized `to` a
    number of places when given; None when `whole` is 0: no rate is made from nothing."""
    if not whole:
        return None
    value = Decimal(part) * per / whole
    return value if to is None else value.quantize(to)


def _r(value: Decimal) -> Decimal:
    return value.quantize(ONE, rounding=ROUND_HALF_UP)


def component_scores(inputs: Inputs) -> dict[Component, Decimal | None]:
    satisfaction_parts = []
    if inputs.feedback_mean is not None:
        satisfaction_parts.append((inputs.feedback_mean - 1) / 4 * 100)
    if inputs.survey_csat is not None:
        satisfaction_parts.append(inputs.survey_csat)
    responsiveness = None
    if inputs.ack_median_hours is not None:
        hours = inputs.ack_median_hours
        span = SLOW_HOURS - FAST_HOURS
        responsiveness = max(Decimal(0), min(Decimal(100), (SLOW_HOURS - hours) / span * 100))
    scores: dict[Component, Decimal | None] = {
        Component.SATISFACTION: (
            sum(satisfaction_parts, Decimal(0)) / len(satisfaction_parts)
            if satisfaction_parts
            else None
        ),
        Component.NPS: (inputs.nps + 100) / 2 if inputs.nps is not None else None,
        Component.TIMELINESS: inputs.on_time_percent,
        Component.RESPONSIVENESS: responsiveness,
        Component.ACKNOWLEDGEMENT: inputs.ack_rate_percent,
    }
    return {k: _r(v) if v is not None else None for k, v in scores.items()}


def composite(
    scores: Mapping[Component, Decimal | None], weights: Mapping[Component, int]
) -> Decimal | None:
    """The weighted mean of the components that have data; None when none has."""
    total = Decimal(0)
    weight_sum = 0
    for component, score in scores.items():
        weight = weights.get(component, 0)
        if score is not None and weight > 0:
            total += score * weight
            weight_sum += weight
    return _r(total / weight_sum) if weight_sum else None


def scorecard(
    inputs: Mapping[int, Inputs],
    weights: Mapping[Component, int] = DEFAULT_WEIGHTS,
    previous: Mapping[int, Decimal | None] | None = None,
) -> list[Row]:
    """Rows ranked by composite (best first; equal composites share a rank; departments
    without any data come last, unranked)."""
    previous = previous or {}
    rows = []
    for department_id, measured in inputs.items():
        scores = component_scores(measured)
        value = composite(scores, weights)
        before = previous.get(department_id)
        change = _r(value - before) if value is not None and before is not None else None
        rows.append(Row(department_id, scores, value, None, change, measured))
    rows.sort(key=lambda r: (r.composite is None, -(r.composite or 0), r.department_id))
    ranked: list[Row] = []
    for position, row in enumerate(rows, start=1):
        if row.composite is None:
            ranked.append(row)
            continue
        tied = ranked[-1] if ranked and ranked[-1].composite == row.composite else None
        rank = tied.rank if tied is not None else position
        ranked.append(
            Row(row.department_id, row.scores, row.composite, rank, row.change, row.inputs)
        )
    return ranked
