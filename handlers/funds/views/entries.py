"""Block Kit for finding and fixing fund-use entries: `/funds list`, the void modal and the
confirmation of a recorded entry."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.i18n import Translator, _
from bot.services.fund_entries import EntryPage, ListedEntry
from handlers import blocks as b
from handlers.funds import ids
from handlers.funds.ids import FundsAction, FundsView
from handlers.text import esc, strong


def _entry_text(entry: ListedEntry, currency: str, tr: Translator) -> str:
    head = f"*#{entry.id}* · {tr.date(entry.spent_on)} · {tr.money_exact(entry.amount, currency)} · *{strong(b.clip(entry.line_name, 100))}*"
    who = tr(
        _("<@{user}> · ref {reference} · {purpose}"),
        user=entry.reporter,
        reference=esc(entry.reference) or "—",
        purpose=esc(b.clip(entry.purpose, 200)),
    )
    text = f"{head}\n{who}"
    if entry.voided:
        text = f"~{head}~\n{who}\n" + tr(
            _("Voided by <@{user}>: {reason}"),
            user=entry.voided_by,
            reason=esc(b.clip(entry.void_reason or "", 300)),
        )
    return text


def list_message(
    page: EntryPage,
    *,
    code: str,
    currency: str,
    tr: Translator,
    void_value: Callable[[ListedEntry], str],
    more_value: str | None,
) -> tuple[str, list[Block]]:
    """A page of `/funds list`: each entry with a *Void* button for those allowed, and a
    "more" button when older entries match."""
    parts = [code]
    if page.line_name:
        parts.append(page.line_name)
    if page.filter.start or page.filter.end:
        start = page.filter.start.isoformat() if page.filter.start else "…"
        end = page.filter.end.isoformat() if page.filter.end else "…"
        parts.append(f"{start} – {end}")
    title = tr(_("Fund-use entries · {what}"), what=" · ".join(parts))
    if not page.entries:
        text = tr(_("{title}: none match."), title=esc(title))
        return text, [b.section(text)]
    items: list[Block] = [b.header(title)]
    for entry in page.entries:
        button = None
        if page.can_void and not entry.voided:
            button = b.button(tr(_("Void")), FundsAction.VOID, void_value(entry), style="danger")
        items.append(b.section(_entry_text(entry, currency, tr), accessory=button))
    if more_value is not None:
        items.append(
            b.actions(
                b.button(tr(_("More (older entries)")), FundsAction.MORE, more_value),
                block_id="funds-list-more",
            )
        )
    hint = (
        _("Newest first. *Void* takes an entry off its line; record the correction anew.")
        if page.can_void
        else _("Newest first. A PM or the finance lead can void a wrong entry.")
    )
    items.append(b.context(tr(hint)))
    return esc(title), items


def void_modal(entry: ListedEntry, currency: str, tr: Translator, *, metadata: str) -> View:
    return b.reason_modal(
        FundsView.VOID,
        tr(_("Void entry #{id}"), id=entry.id),
        _entry_text(entry, currency, tr),
        b.reason_input(
            ids.VOID_REASON, tr(_("Why is it void?")), placeholder=tr(_("e.g. duplicate invoice"))
        ),
        tr,
        submit=tr(_("Void")),
        metadata=metadata,
    )


def voided_text(
    *,
    user: str,
    entry_id: int,
    amount: Decimal,
    line: str,
    reason: str,
    currency: str,
    tr: Translator,
) -> str:
    """The command channel's note of a void (the same words as `/funds void`'s)."""
    return tr(
        _("<@{user}> voided fund-use entry #{id} ({amount}, *{line}*): {reason}"),
        user=user,
        id=entry_id,
        amount=tr.money_exact(amount, currency),
        line=strong(line),
        reason=esc(reason[:500]),
    )


def recorded_message(
    *,
    entry_id: int,
    line: str,
    amount: Decimal,
    currency: str,
    tr: Translator,
    can_void: bool,
    warning: str | None = None,
) -> tuple[str, list[Block]]:
    """What the person who recorded fund use is told; the void hint only for those who may
    void (the others are told who can); `warning` (the line past its warn level) after it."""
    text = tr(
        _("Recorded entry #{id}: {amount} on *{line}*."),
        id=entry_id,
        amount=tr.money_exact(amount, currency),
        line=strong(line),
    )
    if can_void:
        hint = tr(_("To correct it: `/funds void {id} <reason>`."), id=entry_id)
    else:
        hint = tr(_("To correct it, ask a PM or the finance lead to void it."))
    blocks: list[Block] = [b.section(text)]
    if warning:
        blocks.append(b.section(warning))
    blocks.append(b.context(hint))
    full = f"{text} {hint}" + (f"\n{warning}" if warning else "")
    return full, blocks
