"""Block Kit of the weekly digest: a pure function of `Digest` and a translator.

Short lines and one fact per line, so it reads on a phone; no author of any feedback is
ever named (only counts and the mean rating).
"""

from __future__ import annotations

from decimal import Decimal

from slack_sdk.models.blocks import Block

from bot.i18n import Translator, _
from bot.services.digest import Digest
from bot.services.funds import budget_used
from bot.services.risks import RiskCard
from handlers import blocks as b
from handlers.funds.views import budget_chart, used_text
from handlers.text import esc, percent

MAX_RISKS = 10
MAX_LINES = 20  # as many as the native chart holds: the chart never shows a line the text hides


def _risk(card: RiskCard) -> str:
    return f"• {card.ref} {esc(b.clip(card.title, 80))} ({card.score})"


def _risks(title: str, cards: list[RiskCard], tr: Translator) -> str:
    rows = [_risk(c) for c in cards[:MAX_RISKS]]
    if len(cards) > MAX_RISKS:
        rows.append(tr(_("…and {n} more"), n=len(cards) - MAX_RISKS))
    return f"*{title}*\n" + ("\n".join(rows) if rows else tr(_("None")))


def _budget_lines(digest: Digest, tr: Translator) -> list[Block]:
    """Each line's spent against its revised allocation, beside the original when a change
    order moved it."""
    if not digest.lines:
        return []
    rows, currency = [], digest.project.currency
    for line in digest.lines[:MAX_LINES]:
        name, spent = esc(b.clip(line.name, 60)), tr.money(line.spent, currency)
        revised = tr.money(line.revised, currency)
        if line.revised == line.allocated:  # no change order: one budget figure, not two equal
            row = tr(_("• {line}: {spent} of {budget}"), line=name, spent=spent, budget=revised)
        else:
            row = tr(
                _("• {line}: {spent} of {revised} (original {original})"),
                line=name,
                spent=spent,
                revised=revised,
                original=tr.money(line.allocated, currency),
            )
        if line.pending:
            row += " · " + tr(_("pending {amount}"), amount=tr.money(line.pending, currency))
        rows.append(row)
    if len(digest.lines) > MAX_LINES:
        rows.append(tr(_("…and {n} more"), n=len(digest.lines) - MAX_LINES))
    return [b.section(f"*{tr(_('Budget lines'))}*\n" + "\n".join(rows))]


def digest_message(digest: Digest, tr: Translator) -> tuple[str, list[Block]]:
    """The weekly digest for the command channel."""
    dates = f"{tr.date(digest.first)} – {tr.date(digest.last)}"
    text = tr(
        _("Weekly digest of {code} for {dates}: {spent} spent this week, {total} to date."),
        code=digest.project.code,
        dates=dates,
        spent=tr.money(digest.use.this_week, digest.project.currency),
        total=tr.money(digest.use.to_date, digest.project.currency),
    )
    surveys = _survey_lines(digest, tr)
    items: list[Block] = [
        b.header(b.clip(tr(_("Weekly digest · {code}"), code=digest.project.code), 150)),
        b.context(dates),
        b.section(f"*{tr(_('Fund use'))}*\n" + "\n".join(_funds_lines(digest, tr))),
        *_budget_lines(digest, tr),
        *budget_chart(digest.lines, digest.project.currency, tr),
        b.section(_risks(tr(_("Risks opened ({n})"), n=len(digest.opened)), digest.opened, tr)),
        b.section(_risks(tr(_("Risks closed ({n})"), n=len(digest.closed)), digest.closed, tr)),
        b.section(f"*{tr(_('Feedback'))}*\n{_feedback_line(digest, tr)}"),
        b.section(
            f"*{tr(_('Open surveys'))}*\n"
            + ("\n".join(surveys) if surveys else tr(_("No survey is open")))
        ),
    ]
    return text, items


def _funds_lines(digest: Digest, tr: Translator) -> list[str]:
    def money(amount: Decimal) -> str:
        return tr.money(amount, digest.project.currency)

    use = digest.use
    used = budget_used(use.to_date, total_budget=use.total_budget, allocated=use.allocated)
    runway = digest.liquidity.runway_weeks
    funds_lines = [
        tr(_("This week: {amount}"), amount=money(use.this_week)),
        tr(
            _("To date: {amount} of {budget}"),
            amount=money(use.to_date),
            budget=money(use.total_budget),
        ),
        tr(_("Used: {share}"), share=used_text(used, tr)),
        tr(_("Budget left: {amount}"), amount=money(digest.remaining)),
        tr(_("Cash on hand: {amount}"), amount=money(digest.liquidity.cash)),
        tr(_("Runway: {weeks} weeks"), weeks=tr.number(runway, 1))
        if runway is not None
        else tr(_("Runway: no spending in the last four weeks")),
    ]
    if digest.liquidity.below_threshold:
        funds_lines[-1] = "⚠️ " + funds_lines[-1]
    if use.pending:
        funds_lines.insert(
            2, tr(_("Pending approval (not in spent): {amount}"), amount=money(use.pending))
        )
    return funds_lines


def _feedback_line(digest: Digest, tr: Translator) -> str:
    if digest.feedback_mean is None:
        return tr(_("None received this week"))
    return tr(
        _("{n} received this week, mean rating {mean} / 5"),
        n=digest.feedback_count,
        mean=tr.number(digest.feedback_mean, 2),
    )


def _survey_lines(digest: Digest, tr: Translator) -> list[str]:
    return [
        tr(
            _("• {title}: {answered} of {invited} answered ({percent})"),
            title=esc(b.clip(s.title, 80)),
            answered=s.answered,
            invited=s.invited,
            percent=percent(s.rate, tr),
        )
        for s in digest.surveys
    ]
