"""Block Kit for the monthly scorecard: pure functions of a `Scorecard` and a translator.

Laid out for a phone: one short section per department (rank, name, composite, change, then
the five components on one wrapping line) and a context line with the raw inputs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from slack_sdk.models.blocks import Block

from bot.i18n import Translator, _
from bot.scoring import Component
from bot.services.scorecard import Line, Measured, Scorecard
from handlers import blocks as b
from handlers.scorecard.labels import COMPONENT
from handlers.text import esc, strong

# header, intro, weights, footer + two blocks per department, within Slack's 50 per message
MAX_DEPARTMENTS: Final = 22


def _score(value: Decimal | None, tr: Translator) -> str:
    return tr(_("no data")) if value is None else tr.number(value, 1)


def change_text(change: Decimal | None, tr: Translator) -> str:
    """▲ 3.2 / ▼ 1.5 / = 0.0; empty when there is nothing to compare with."""
    if change is None:
        return ""
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
                mean=tr.number(m.feedback_mean or 0, 2),
                ack=m.feedback_acknowledged,
            )
        )
    if m.survey_csat is not None:
        parts.append(
            tr(
                _("survey CSAT {value}% (n={n})"),
                value=tr.number(m.survey_csat, 1),
                n=m.survey_csat_respondents,
            )
        )
    if m.survey_nps is not None:
        parts.append(
            tr(
                _("NPS {value} (n={n})"),
                value=tr.number(m.survey_nps, 1),
                n=m.survey_nps_respondents,
            )
        )
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
                _("risks acknowledged in {hours} h (median)"),
                hours=tr.number(m.ack_median_hours, 1),
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


def scorecard_message(card: Scorecard, tr: Translator) -> tuple[str, list[Block]]:
    """The scorecard of a month: per department rank, composite 0–100, change, components."""
    heading = title(card, tr)
    if card.provisional:
        status = tr(
            _(
                "Provisional: {month} is not over yet. These numbers will change and are not stored; the scorecard is fixed when the month ends."
            ),
            month=card.key,
        )
    elif card.computed_at is not None:
        stamp = int(card.computed_at.timestamp())
        status = tr(
            _(
                "Stored {when}. This snapshot does not change when later data arrives; a PM can recompute it with `/icrm scorecard {month} recompute`."
            ),
            when=f"<!date^{stamp}^{{date_short_pretty}} {{time}}|{card.computed_at:%Y-%m-%d %H:%M} UTC>",
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
    for line in list(card.lines)[:MAX_DEPARTMENTS]:
        items += _line(line, tr)
    items.append(b.context(weights_text(card, tr)))
    ranked = [
        f"{ln.rank}. {esc(ln.name)} {_score(ln.composite, tr)}" for ln in card.lines if ln.rank
    ]
    text = f"{heading}: {', '.join(ranked)}" if ranked else heading
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
