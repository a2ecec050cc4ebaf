"""A scorecard's trend chart (PNG); the scorecard and its chart are sent by
`jobs/scorecard.py` through the queued outbox."""

from __future__ import annotations

from bot import charts
from bot.i18n import Translator
from bot.services.scorecard import Scorecard, Trend
from handlers.scorecard import views


def chart_of(card: Scorecard, trend: Trend, tr: Translator) -> bytes | None:
    """The composite trend per department over the stored months; None without data."""
    return charts.trend(trend.series, views.chart_title(card, tr), tr)
