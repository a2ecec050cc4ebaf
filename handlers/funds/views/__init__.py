"""Block Kit for fund use, funding sources and liquidity: pure functions of data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot import charts
from bot.i18n import Msg, Translator, _
from bot.services.funds import (
    BURN_WEEKS,
    BudgetUsed,
    DrawdownField,
    FundField,
    FundUseForm,
    LineAlert,
    LineStatus,
    Liquidity,
    SourceField,
    SourceStatus,
    Summary,
    budget_used,
)
from handlers import blocks as b
from handlers.chart_blocks import series_chart
from handlers.funds.ids import FundsView
from handlers.ids import Action
from handlers.prefill import RiskPrefill
from handlers.text import esc, strong
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


def fund_use_modal(
    lines: Sequence[LineStatus],
    tr: Translator,
    *,
    today: dt.date,
    metadata: str,
    form: FundUseForm | None = None,
    warnings: Sequence[str] = (),
) -> View:
    """The fund-use modal; with `warnings` it is the confirm step: the values entered, what
    the checks found, and a required reason to record it anyway."""
    form = form or FundUseForm()
    choices = [(str(line.id), line.name) for line in lines]
    items: list[Block] = []
    if warnings:
        items.append(b.section("\n".join(f"⚠️ {w}" for w in warnings)))
    items += [
        b.select_input(FundField.LINE, tr(_("Budget line")), choices, initial=form.line),
        b.text_input(
            FundField.AMOUNT,
            tr(_("Amount")),
            initial=form.amount,
            placeholder="1,234.50",
            hint=tr(_("You can type 12.5万, ¥1,234.50 or 1234.5.")),
        ),
        b.date_input(FundField.DATE, tr(_("Date paid")), initial=form.date or today.isoformat()),
        b.text_input(
            FundField.PURPOSE,
            tr(_("Purpose")),
            initial=form.purpose,
            multiline=True,
            max_length=2000,
        ),
        b.text_input(
            FundField.REFERENCE,
            tr(_("Reference (invoice / contract no.)")),
            initial=form.reference,
            max_length=100,
            placeholder="INV-2026-0418",
        ),
    ]
    if warnings:
        items.append(
            b.text_input(
                FundField.REASON,
                tr(_("Why record it anyway?")),
                multiline=True,
                max_length=2000,
            )
        )
    items.append(
        b.context(tr(_("Entries are never edited: a PM or the finance lead voids a wrong one.")))
    )
    return b.modal(
        FundsView.FUND_USE,
        tr(_("Record fund use")),
        items,
        submit=tr(_("Record")),
        close=tr(_("Cancel")),
        private_metadata=metadata,
    )


def source_modal(
    sources: Sequence[SourceStatus], currency: str, tr: Translator, *, metadata: str
) -> View:
    kinds = [(str(k), tr(label)) for k, label in FUNDING_KIND.items()]
    items: list[Block] = [
        b.text_input(
            SourceField.NAME,
            tr(_("Funding source")),
            placeholder=tr(_("e.g. Syndicated loan")),
            hint=tr(_("Give an existing source's name to change its kind or commitment.")),
            max_length=100,
        ),
        b.select_input(SourceField.KIND, tr(_("Kind")), kinds),
        b.text_input(SourceField.COMMITTED, tr(_("Committed amount")), placeholder="3亿"),
    ]
    if sources:
        listed = "\n".join(
            f"• {esc(s.name)}: {tr.money(s.committed, currency)} ({tr(_('drawn'))} "
            f"{tr.money(s.drawn, currency)})"
            for s in sources
        )
        items.append(b.context(listed))
    return b.modal(
        FundsView.SOURCE,
        tr(_("Funding source")),
        items,
        submit=tr(_("Save")),
        close=tr(_("Cancel")),
        private_metadata=metadata,
    )


def drawdown_modal(
    sources: Sequence[SourceStatus],
    currency: str,
    tr: Translator,
    *,
    today: dt.date,
    metadata: str,
) -> View:
    choices = [
        (str(s.id), f"{s.name} · {tr(_('undrawn'))} {tr.money(s.undrawn, currency)}")
        for s in sources
    ]
    items: list[Block] = [
        b.select_input(DrawdownField.SOURCE, tr(_("Funding source")), choices),
        b.text_input(DrawdownField.AMOUNT, tr(_("Amount drawn")), placeholder="5000万"),
        b.date_input(DrawdownField.DATE, tr(_("Date drawn")), initial=today.isoformat()),
        b.text_input(
            DrawdownField.REFERENCE,
            tr(_("Reference (drawdown notice no.)")),
            optional=True,
            max_length=100,
        ),
    ]
    return b.modal(
        FundsView.DRAWDOWN,
        tr(_("Record a drawdown")),
        items,
        submit=tr(_("Record")),
        close=tr(_("Cancel")),
        private_metadata=metadata,
    )


def _percent(ratio: Decimal | None, tr: Translator) -> str:
    return tr.percent(ratio) if ratio is not None else "—"


def used_text(used: BudgetUsed, tr: Translator) -> str:
    """The budget used, against the total budget and against the allocation, named: the
    value of every surface's "Used" (digest, `/funds summary`, Home)."""
    return tr(
        _("{of_total} of the total budget, {of_allocated} of allocated"),
        of_total=_percent(used.of_total, tr),
        of_allocated=_percent(used.of_allocated, tr),
    )


def _flag(ratio: Decimal | None) -> str:
    if ratio is None:
        return ""
    if ratio >= 1:
        return "🔴 "
    return "🟠 " if ratio >= Decimal("0.9") else ""


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
        f"{_flag(line.ratio)}*{strong(line.name)}*"
        + (f" · {tr(_('closed'))}" if line.closed else ""),
        tr(
            _("{spent} of {allocated} · {percent}"),
            spent=tr.money(line.spent, currency),
            allocated=tr.money(line.revised, currency),
            percent=_percent(line.ratio, tr),
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
    if alert.percent >= 100:
        text = tr(
            _(
                "🔴 {code}: budget line *{line}* has reached {percent}% of its allocation: {spent} of {allocated}."
            ),
            code=code,
            line=strong(alert.line_name),
            percent=alert.percent,
            spent=tr.money(alert.spent, currency),
            allocated=tr.money(alert.allocated, currency),
        )
    else:
        text = tr(
            _(
                "🟠 {code}: budget line *{line}* has used {percent}% of its allocation: {spent} of {allocated}."
            ),
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
        percent=_percent(warn.projected / warn.revised if warn.revised > 0 else None, tr),
        projected=tr.money(warn.projected, currency),
        revised=tr.money(warn.revised, currency),
    )
