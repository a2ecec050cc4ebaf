"""What the scorecard services return, and its constants."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Final

from bot import scoring
from bot.errors import UserError
from bot.scoring import Component
from bot.services.scorecard.months import month_key
from storage.models import ScorecardEntry

HISTORY_MONTHS: Final = 12
WEIGHT_MAX: Final = 10
Q2: Final = Decimal("0.01")
SYSTEM: Final = "system"
NEVER: Final = 2**31  # a group no month reaches: anonymous feedback waits for the month's end


def round2(value: Decimal) -> Decimal:
    """To the cent (two decimals), as every stored figure is."""
    return value.quantize(Q2)


@dataclass(frozen=True)
class Measured:
    """The raw inputs behind one department's scores, as they were when measured."""

    feedback_count: int = 0
    feedback_mean: Decimal | None = None  # 1–5
    feedback_acknowledged: int = 0
    survey_csat: Decimal | None = None  # % of 4–5 ratings; None: no or too few respondents
    survey_csat_respondents: int = 0
    survey_nps: Decimal | None = None  # −100…100
    survey_nps_respondents: int = 0
    reports_due: int = 0
    reports_on_time: int = 0
    ack_median_hours: Decimal | None = None

    @classmethod
    def kept_in(cls, entry: ScorecardEntry) -> Measured:
        """The inputs a stored entry kept (its columns are named as these fields)."""
        return cls(**{f.name: getattr(entry, f.name) for f in fields(cls)})

    def inputs(self) -> scoring.Inputs:
        """What `bot.scoring` takes, derived from the raw counts."""
        count = self.feedback_count
        return scoring.Inputs(
            feedback_mean=self.feedback_mean if count else None,
            feedback_count=count,
            survey_csat=self.survey_csat,
            nps=self.survey_nps,
            on_time_percent=scoring.share(self.reports_on_time, self.reports_due, per=100, to=Q2),
            ack_median_hours=self.ack_median_hours,
            ack_rate_percent=scoring.share(self.feedback_acknowledged, count, per=100, to=Q2),
        )


@dataclass(frozen=True)
class Line:
    """One department's line of a scorecard."""

    department_id: int
    name: str
    scores: Mapping[Component, Decimal | None]
    composite: Decimal | None
    rank: int | None
    change: Decimal | None
    measured: Measured


@dataclass(frozen=True)
class Scorecard:
    """A month's scorecard: stored (a snapshot) or provisional (the month is not over)."""

    project_id: int
    code: str
    name: str
    month: dt.date  # the first day
    weights: Mapping[Component, int]
    lines: Sequence[Line]
    stored: bool
    provisional: bool = False
    computed_at: dt.datetime | None = None
    posted_at: dt.datetime | None = None

    @property
    def key(self) -> str:
        return month_key(self.month)

    @property
    def has_data(self) -> bool:
        return any(line.composite is not None for line in self.lines)


@dataclass(frozen=True)
class Trend:
    """Composite per department over stored months (oldest first), for the chart."""

    months: Sequence[str]  # "2026-11"
    series: Mapping[str, Sequence[tuple[str, float | None]]] = field(default_factory=dict)


class MonthNotOver(UserError):
    """The month has not ended yet in the project's timezone: it cannot be stored."""
