"""Block Kit for the monthly scorecard: pure functions of a `Scorecard` and a translator.

Laid out for a phone and read as a ranking first: Slack's own bar chart of the composites,
best to worst, then one short section per department in rank order (rank, name, composite,
change, then the five components on one wrapping line) and a context line with the raw
inputs. Scores carry one decimal, percentages none, and a long wait reads in days. The
trend over the stored months is Slack's line chart when it fits (six departments, twenty
months), else the PNG `chart_of` draws, shared after the message.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from slack_sdk.models.blocks import Block

from bot import charts
from bot.i18n import Msg, Translator, _
from bot.scoring import Component
from bot.services.scorecard import Line, Measured, Scorecard, Trend
from handlers import blocks as b
from handlers.chart_blocks import series_chart
from handlers.text import esc, slack_time, strong

# header, intro, weights, two charts + two blocks per department: Slack's 50 per message
MAX_DEPARTMENTS: Final = 22
DAYS_FROM_HOURS: Final = 48  # a median wait this long or longer is shown in days
ONE_DECIMAL: Final = Decimal("0.1")

# Human names of the scorecard's components.
COMPONENT: Final[dict[Component, Msg]] = {
    Component.SATISFACTION: _("Satisfaction"),
    Component.NPS: _("NPS"),
    Component.TIMELINESS: _("Reports on time"),
    Component.RESPONSIVENESS: _("Risk response"),
    Component.ACKNOWLEDGEMENT: _("Feedback acknowledged"),
}


def rounded(value: Decimal) -> Decimal:
    """A score as shown (one decimal, halves up: 61.25 → 61.3), so a chart carries the very
    number of the text."""
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def ranked(card: Scorecard) -> list[Line]:
    """The departments best to worst; those without data (no rank) last, by name."""
    return sorted(card.lines, key=lambda ln: (ln.rank is None, ln.rank or 0, ln.name))


def wait_text(hours: Decimal, tr: Translator) -> str:
    """A median wait: `36.5 h` under two days, `2.5 days` from 48 hours on."""
    if hours >= DAYS_FROM_HOURS:
        return tr(_("{days} days", context="scorecard"), days=tr.number(hours / 24, 1))
    return tr(_("{hours} h", context="scorecard"), hours=tr.number(hours, 1))


def _score(value: Decimal | None, tr: Translator) -> str:
    return tr(_("no data")) if value is None else tr.number(rounded(value), 1)


def change_text(change: Decimal | None, tr: Translator) -> str:
    """▲ 3.2 / ▼ 1.5 / = 0.0; empty when there is nothing to compare with."""
    if change is None:
        return ""
    change = rounded(change)
    if change > 0:
        return f"▲ {tr.number(change, 1)}"
    if change < 0:
        return f"▼ {tr.number(-change, 1)}"
    return f"= {tr.number(change, 1)}"


def _measured(m: Measured, tr: Translator) -> str:
    parts = []
    if m.feedback_count:
        parts.append(
            tr(
                _("feedback: {n}, mean {mean}, {ack} acknowledged"),
                n=m.feedback_count,
                mean=tr.number(m.feedback_mean or 0, 1),
                ack=m.feedback_acknowledged,
            )
        )
    surveys = (
        (_("survey CSAT {value}% (n={n})"), m.survey_csat, m.survey_csat_respondents),
        (_("NPS {value} (n={n})"), m.survey_nps, m.survey_nps_respondents),
    )
    for message, value, respondents in surveys:
        if value is not None:
            parts.append(tr(message, value=tr.number(value, 0), n=respondents))
    if m.reports_due:
        parts.append(
            tr(
                _("reports: {on_time} of {due} on time"),
                on_time=m.reports_on_time,
                due=m.reports_due,
            )
        )
    if m.ack_median_hours is not None:
        parts.append(
            tr(
                _("risks acknowledged in {wait} (median)"),
                wait=wait_text(m.ack_median_hours, tr),
            )
        )
    return " · ".join(parts) if parts else tr(_("No data this month."))


def _line(line: Line, tr: Translator) -> list[Block]:
    rank = f"{line.rank}." if line.rank is not None else "–"
    head = f"*{rank} {strong(line.name)}* · *{_score(line.composite, tr)}*"
    change = change_text(line.change, tr)
    if change:
        head += f" {change}"
    components = " · ".join(f"{tr(COMPONENT[c])} {_score(line.scores[c], tr)}" for c in Component)
    return [b.section(f"{head}\n{components}"), b.context(_measured(line.measured, tr))]


def weights_text(card: Scorecard, tr: Translator) -> str:
    shares = " · ".join(f"{tr(COMPONENT[c])} {card.weights.get(c, 0)}" for c in Component)
    return tr(_("Weights: {weights}"), weights=shares)


def title(card: Scorecard, tr: Translator) -> str:
    return tr(_("Monthly scorecard {month} · {code}"), month=card.key, code=card.code)


def ranking_chart(card: Scorecard, tr: Translator) -> list[Block]:
    """Slack's bar chart of the ranked departments' composites, best first (as shown: one
    decimal); empty when none is ranked or more than the block holds."""
    scored = [
        (ln.name, rounded(ln.composite))
        for ln in ranked(card)
        if ln.rank is not None and ln.composite is not None
    ]
    if charts.form_for("bar", series=1, points=len(scored)) is not charts.Form.NATIVE:
        return []
    return [
        series_chart(
            "bar",
            tr(_("Ranking by composite score", context="scorecard")),
            [name for name, _score in scored],
            [(tr(_("Composite", context="scorecard")), [score for _name, score in scored])],
            y_label="0–100",
        )
    ]


def _drawn(trend: Trend) -> dict[str, dict[str, float]]:
    """Department → month → composite, for the departments with any data."""
    return {
        name: {month: value for month, value in points if value is not None}
        for name, points in trend.series.items()
        if any(value is not None for _month, value in points)
    }


def trend_form(trend: Trend | None) -> charts.Form:
    """The composite trend: Slack's line chart up to six departments and twenty months."""
    if trend is None:
        return charts.Form.NONE
    return charts.form_for("line", series=len(_drawn(trend)), points=len(trend.months))


def trend_chart(card: Scorecard, trend: Trend | None, tr: Translator) -> list[Block]:
    """The composite per department over the stored months, as Slack's line chart; a month
    without data is left out of that department's line. Empty unless `trend_form` is native."""
    if trend is None or trend_form(trend) is not charts.Form.NATIVE:
        return []
    drawn = _drawn(trend)
    months = list(trend.months)
    block = series_chart(
        "line",
        chart_title(card, tr),
        months,
        [(name, [round(by.get(m, 0.0), 1) for m in months]) for name, by in drawn.items()],
        y_label="0–100",
    )
    for one, by in zip(block.payload["chart"]["series"], drawn.values(), strict=True):
        one["data"] = [
            point for point, month in zip(one["data"], months, strict=True) if month in by
        ]
    return [block]


def scorecard_message(
    card: Scorecard, tr: Translator, trend: Trend | None = None
) -> tuple[str, list[Block]]:
    """The scorecard of a month, a ranking first: the composites best to worst (a chart),
    then per department rank, composite 0–100, change and components; then the trend."""
    heading = title(card, tr)
    if card.provisional:
        status = tr(
            _(
                "Provisional: {month} is not over yet. These numbers will change and are not stored; the scorecard is fixed when the month ends."
            ),
            month=card.key,
        )
    elif card.computed_at is not None:
        status = tr(
            _(
                "Stored {when}. This snapshot does not change when later data arrives; a PM can recompute it with `/icrm scorecard {month} recompute`."
            ),
            when=slack_time(card.computed_at),
            month=card.key,
        )
    else:
        status = ""
    explain = tr(
        _(
            "Composite 0–100: the weighted mean of the components that have data (no data is left out, not counted as 0). ▲▼: change since last month."
        )
    )
    items: list[Block] = [b.header(heading), b.context(f"{status}\n{explain}".strip())]
    items += ranking_chart(card, tr)
    for line in ranked(card)[:MAX_DEPARTMENTS]:
        items += _line(line, tr)
    items.append(b.context(weights_text(card, tr)))
    items += trend_chart(card, trend, tr)
    order = [
        f"{ln.rank}. {esc(ln.name)} {_score(ln.composite, tr)}" for ln in ranked(card) if ln.rank
    ]
    text = f"{heading}: {', '.join(order)}" if order else heading
    return b.clip(text, 3000), items


def no_data_message(card: Scorecard, tr: Translator) -> str:
    return tr(
        _(
            "No scorecard for {month}: no department had feedback, survey results, reports due or acknowledged risks that month."
        ),
        month=card.key,
    )


def chart_title(card: Scorecard, tr: Translator) -> str:
    return tr(_("Composite score by department · {code}"), code=card.code)


def chart_of(card: Scorecard, trend: Trend, tr: Translator) -> bytes | None:
    """The trend as a PNG (the composite per department over the stored months), sent after
    the message when Slack's line chart cannot hold it; None without data."""
    return charts.trend(trend.series, chart_title(card, tr), tr)
