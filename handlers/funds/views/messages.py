"""Block Kit for fund use, funding sources and liquidity: pure functions of data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from slack_sdk.models.blocks import Block

from bot import charts
from bot.i18n import Msg, Translator, _
from bot.services.funds import (
    BURN_WEEKS,
    BudgetUsed,
    LineAlert,
    LineStatus,
    Liquidity,
    Summary,
    budget_used,
)
from bot.services.thresholds import FULL_PERCENT, WARN_PERCENT
from handlers import blocks as b
from handlers.chart_blocks import series_chart
from handlers.ids import Action
from handlers.prefill import RiskPrefill
from handlers.text import percent, strong
from storage.models import FundingKind

FUNDING_KIND: Final[dict[str, Msg]] = {
    FundingKind.EQUITY: _("Equity"),
    FundingKind.SENIOR_DEBT: _("Senior debt"),
    FundingKind.MEZZANINE: _("Mezzanine"),
    FundingKind.GRANT: _("Grant"),
    FundingKind.OTHER: _("Other funding"),
}
# Sections are packed up to this many characters so a long budget stays within block limits.
_PACK = 2800


def used_text(used: BudgetUsed, tr: Translator) -> str:
    """The budget used, against the total budget and against the allocation, named: the
    value of every surface's "Used" (digest, `/funds summary`, Home)."""
    return tr(
        _("{of_total} of the total budget, {of_allocated} of allocated"),
        of_total=percent(used.of_total, tr),
        of_allocated=percent(used.of_allocated, tr),
    )


FLAGS: Final = {FULL_PERCENT: "🔴 ", WARN_PERCENT: "🟠 "}


def _packed(chunks: Sequence[str]) -> list[Block]:
    """Sections holding as many chunks as fit, so 200 lines still make a short message."""
    sections: list[Block] = []
    current = ""
    for chunk in chunks:
        if current and len(current) + len(chunk) + 2 > _PACK:
            sections.append(b.section(current))
            current = ""
        current = f"{current}\n\n{chunk}" if current else chunk
    if current:
        sections.append(b.section(current))
    return sections


def budget_chart_form(lines: Sequence[LineStatus]) -> charts.Form:
    """Budget vs spent per line: Slack's own bar chart up to 20 lines, a PNG beyond."""
    return charts.form_for("bar", series=2, points=len(lines))


def budget_chart(lines: Sequence[LineStatus], currency: str, tr: Translator) -> list[Block]:
    """The native bar chart of each line's revised budget and spent, the very figures of the
    text; empty when the lines do not fit it (the PNG is sent instead) or there are none."""
    if budget_chart_form(lines) is not charts.Form.NATIVE:
        return []
    return [
        series_chart(
            "bar",
            tr(_("Budget vs actual ({currency})"), currency=currency),
            [line.name for line in lines],
            [
                (tr(_("Budget")), [line.revised for line in lines]),
                (tr(_("Spent", context="charts")), [line.spent for line in lines]),
            ],
            y_label=currency,
        )
    ]


def line_text(line: LineStatus, currency: str, tr: Translator) -> str:
    rows = [
        f"{FLAGS.get(line.alert_level, '')}*{strong(line.name)}*"
        + (f" · {tr(_('closed'))}" if line.closed else ""),
        tr(
            _("{spent} of {allocated} · {percent}"),
            spent=tr.money(line.spent, currency),
            allocated=tr.money(line.revised, currency),
            percent=percent(line.ratio, tr),
        ),
        tr(_("Variance: {variance}"), variance=tr.money(line.variance, currency)),
        tr(
            _("Original {original} · approved changes {changes} · revised {revised}"),
            original=tr.money(line.allocated, currency),
            changes=tr.money(line.changes, currency),
            revised=tr.money(line.revised, currency),
        ),
    ]
    if line.pending or line.pending_changes:
        rows.append(
            tr(
                _("⏳ Pending: entries {pending}, changes {changes} · projected {projected}"),
                pending=tr.money(line.pending, currency),
                changes=tr.money(line.pending_changes, currency),
                projected=tr.money(line.projected, currency),
            )
        )
    return "\n".join(rows)


def runway_text(liquidity: Liquidity, tr: Translator) -> str:
    runway = liquidity.runway_weeks
    if runway is None:
        return tr(_("no burn in the last four weeks"))
    return tr(_("{weeks} weeks"), weeks=tr.number(runway, 1))


def liquidity_blocks(liquidity: Liquidity, currency: str, tr: Translator) -> list[Block]:
    items: list[Block] = [b.header(tr(_("Liquidity")))]
    if not liquidity.sources:
        items.append(
            b.section(
                tr(
                    _(
                        "No funding sources yet. PMs and the finance lead add them with `/funds sources`."
                    )
                )
            )
        )
        return items
    items += _packed(
        [
            f"*{strong(s.name)}* · {tr(FUNDING_KIND.get(s.kind, FUNDING_KIND[FundingKind.OTHER]))}\n"
            + tr(
                _("Committed {committed} · drawn {drawn} · undrawn {undrawn}"),
                committed=tr.money(s.committed, currency),
                drawn=tr.money(s.drawn, currency),
                undrawn=tr.money(s.undrawn, currency),
            )
            for s in liquidity.sources
        ]
    )
    warn = "⚠️ " if liquidity.below_threshold else ""
    items.append(
        b.fields(
            [
                (tr(_("Committed")), tr.money(liquidity.committed, currency)),
                (tr(_("Drawn")), tr.money(liquidity.drawn, currency)),
                (tr(_("Cash on hand (drawn − spent)")), tr.money(liquidity.cash, currency)),
                (tr(_("Undrawn (committed − drawn)")), tr.money(liquidity.undrawn, currency)),
                (
                    tr(_("Weekly burn (last {n} weeks)"), n=BURN_WEEKS),
                    tr.money(liquidity.weekly_burn, currency),
                ),
                (tr(_("Runway")), warn + runway_text(liquidity, tr)),
            ]
        )
    )
    items.append(
        b.context(
            tr(
                _("Alert when the runway is under {n} weeks."),
                n=liquidity.threshold_weeks,
            )
        )
    )
    return items


def summary_message(
    summary: Summary, *, code: str, currency: str, tr: Translator
) -> tuple[str, list[Block]]:
    """`/funds summary`: budget vs actual per line and in total, then liquidity."""
    title = tr(_("{code} · budget vs actual"), code=code)
    items: list[Block] = [b.header(title)]
    if summary.lines:
        items += _packed([line_text(line, currency, tr) for line in summary.lines])
    else:
        items.append(b.section(tr(_("No budget lines yet. A PM adds them with `/icrm budget`."))))
    items.append(b.divider())
    items.append(
        b.fields(
            [
                (tr(_("Allocated")), tr.money(summary.allocated, currency)),
                (tr(_("Revised")), tr.money(summary.revised, currency)),
                (tr(_("Spent", context="funds")), tr.money(summary.spent, currency)),
                (tr(_("Pending approval")), tr.money(summary.pending, currency)),
                (tr(_("Variance")), tr.money(summary.variance, currency)),
                (
                    tr(_("Used")),
                    used_text(
                        budget_used(
                            summary.spent,
                            total_budget=summary.total_budget,
                            allocated=summary.allocated,
                        ),
                        tr,
                    ),
                ),
                (tr(_("Projected (spent + pending)")), tr.money(summary.projected, currency)),
                (tr(_("Pending changes")), tr.money(summary.pending_changes, currency)),
            ]
        )
    )
    items.append(
        b.context(
            tr(
                _("Project total budget {total}. Voided entries are not counted."),
                total=tr.money(summary.revised_total, currency),
            )
            + " "
            + tr(
                _(
                    "Original total {original}; pending entries are not in spent. A line's history: `/funds history <line>`."
                ),
                original=tr.money(summary.total_budget, currency),
            )
        )
    )
    items += budget_chart(summary.lines, currency, tr)
    items.append(b.divider())
    items += liquidity_blocks(summary.liquidity, currency, tr)
    return title, items


def line_alert_message(
    alert: LineAlert, *, code: str, currency: str, tr: Translator
) -> tuple[str, list[Block]]:
    message = (
        _(
            "🔴 {code}: budget line *{line}* has reached {percent}% of its allocation: {spent} of {allocated}."
        )
        if alert.percent >= 100
        else _(
            "🟠 {code}: budget line *{line}* has used {percent}% of its allocation: {spent} of {allocated}."
        )
    )
    text = tr(
        message,
        code=code,
        line=strong(alert.line_name),
        percent=alert.percent,
        spent=tr.money(alert.spent, currency),
        allocated=tr.money(alert.allocated, currency),
    )
    return text, [b.section(text)]


def runway_alert_message(
    liquidity: Liquidity, *, project_id: int, code: str, currency: str, tr: Translator
) -> tuple[str, list[Block]]:
    """The funding-chain early warning, with a button suggesting a funding/liquidity risk."""
    text = tr(
        _(
            "🚨 {code}: funding runway is {runway}, under the {n}-week threshold. Cash on hand {cash}, weekly burn {burn}, undrawn commitments {undrawn}."
        ),
        code=code,
        runway=runway_text(liquidity, tr),
        n=liquidity.threshold_weeks,
        cash=tr.money(liquidity.cash, currency),
        burn=tr.money(liquidity.weekly_burn, currency),
        undrawn=tr.money(liquidity.undrawn, currency),
    )
    prefill = RiskPrefill(
        project_id=project_id,
        category="funding_liquidity",
        title=tr(_("Funding runway below {n} weeks"), n=liquidity.threshold_weeks)[:200],
        description=text[:1200],
        likelihood=4,
        impact=5,
    )
    button = b.button(
        tr(_("Flag a funding risk")),
        Action.RISK_FROM_ALERT,
        prefill.model_dump_json(),
        style="danger",
    )
    return text, [b.section(text), b.actions(button)]


def line_warning(warn: LineStatus, currency: str, tr: Translator) -> str:
    """The line is past its warn level (with pending fund use): said after recording."""
    return tr(
        _(
            "⚠️ *{line}* is now at {percent} of its revised allocation ({projected} of {revised} with pending)."
        ),
        line=strong(warn.name),
        percent=percent(warn.projected / warn.revised if warn.revised > 0 else None, tr),
        projected=tr.money(warn.projected, currency),
        revised=tr.money(warn.revised, currency),
    )
