"""Block Kit for the funds modals: recording fund use, a funding source, a drawdown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.forms import Form
from bot.i18n import Msg, Translator, _
from bot.services.choices import Kind
from bot.services.funds import (
    DrawdownField,
    FundField,
    LineStatus,
    SourceField,
    SourceStatus,
)
from handlers import blocks as b
from handlers.funds.ids import FundsView
from handlers.funds.views.messages import FUNDING_KIND
from handlers.suggest import picker
from handlers.text import esc

# The fund-use modal's label of each field, also naming it in a workflow step's error.
FUND_LABELS: Final[dict[str, Msg]] = {
    FundField.LINE: _("Budget line"),
    FundField.AMOUNT: _("Amount"),
    FundField.DATE: _("Date paid"),
    FundField.PURPOSE: _("Purpose"),
    FundField.REFERENCE: _("Reference (invoice / contract no.)"),
    FundField.REASON: _("Why record it anyway?"),
}


def fund_use_modal(
    lines: Sequence[LineStatus],
    tr: Translator,
    *,
    today: dt.date,
    metadata: str,
    form: Form[FundField] | None = None,
    warnings: Sequence[str] = (),
) -> View:
    """The fund-use modal; with `warnings` it is the confirm step: the values entered, what
    the checks found, and a required reason to record it anyway."""
    items: list[Block] = []
    if warnings:
        items.append(b.section("\n".join(f"⚠️ {w}" for w in warnings)))
    items += _fund_use_inputs(lines, tr, today=today, form=form or Form(FundField))
    if warnings:
        items.append(b.reason_input(FundField.REASON, tr(FUND_LABELS[FundField.REASON])))
    items.append(
        b.context(tr(_("Entries are never edited: a PM or the finance lead voids a wrong one.")))
    )
    return b.form_modal(
        FundsView.FUND_USE,
        tr(_("Record fund use")),
        items,
        tr,
        submit=tr(_("Record")),
        metadata=metadata,
    )


def _fund_use_inputs(
    lines: Sequence[LineStatus], tr: Translator, *, today: dt.date, form: Form[FundField]
) -> list[Block]:
    choices = [(str(line.id), line.name) for line in lines]
    return [
        b.select_input(
            FundField.LINE,
            tr(FUND_LABELS[FundField.LINE]),
            choices,
            initial=form.text(FundField.LINE),
            **picker(Kind.BUDGET_LINE, tr),
        ),
        b.text_input(
            FundField.AMOUNT,
            tr(FUND_LABELS[FundField.AMOUNT]),
            initial=form.text(FundField.AMOUNT),
            placeholder="1,234.50",
            hint=tr(_("You can type 12.5万, ¥1,234.50 or 1234.5.")),
        ),
        b.date_input(
            FundField.DATE,
            tr(FUND_LABELS[FundField.DATE]),
            initial=form.text(FundField.DATE) or today.isoformat(),
        ),
        b.text_input(
            FundField.PURPOSE,
            tr(FUND_LABELS[FundField.PURPOSE]),
            initial=form.text(FundField.PURPOSE),
            multiline=True,
            max_length=2000,
        ),
        b.text_input(
            FundField.REFERENCE,
            tr(FUND_LABELS[FundField.REFERENCE]),
            initial=form.text(FundField.REFERENCE),
            max_length=100,
            placeholder="INV-2026-0418",
        ),
    ]


def source_modal(
    sources: Sequence[SourceStatus], currency: str, tr: Translator, *, metadata: str
) -> View:
    items: list[Block] = [
        b.text_input(
            SourceField.NAME,
            tr(_("Funding source")),
            placeholder=tr(_("e.g. Syndicated loan")),
            hint=tr(_("Give an existing source's name to change its kind or commitment.")),
            max_length=100,
        ),
        b.select_input(SourceField.KIND, tr(_("Kind")), b.labelled(FUNDING_KIND, tr)),
        b.text_input(SourceField.COMMITTED, tr(_("Committed amount")), placeholder="3亿"),
    ]
    if sources:
        listed = "\n".join(
            f"• {esc(s.name)}: {tr.money(s.committed, currency)} ({tr(_('drawn'))} "
            f"{tr.money(s.drawn, currency)})"
            for s in sources
        )
        items.append(b.context(listed))
    return b.form_modal(
        FundsView.SOURCE,
        tr(_("Funding source")),
        items,
        tr,
        metadata=metadata,
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
        b.select_input(
            DrawdownField.SOURCE,
            tr(_("Funding source")),
            choices,
            **picker(Kind.FUNDING_SOURCE, tr),
        ),
        b.text_input(DrawdownField.AMOUNT, tr(_("Amount drawn")), placeholder="5000万"),
        b.date_input(DrawdownField.DATE, tr(_("Date drawn")), initial=today.isoformat()),
        b.text_input(
            DrawdownField.REFERENCE,
            tr(_("Reference (drawdown notice no.)")),
            optional=True,
            max_length=100,
        ),
    ]
    return b.form_modal(
        FundsView.DRAWDOWN,
        tr(_("Record a drawdown")),
        items,
        tr,
        submit=tr(_("Record")),
        metadata=metadata,
    )
