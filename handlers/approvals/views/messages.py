"""Block Kit of fund control: pure functions of service data and a translator."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from pydantic import BaseModel
from slack_sdk.models.blocks import Block

from bot.i18n import Msg, Translator, _
from bot.services.approvals import ApprovalCard, ItemKind
from bot.services.change_orders import LineHistory
from bot.services.fund_checks import CheckKind
from bot.services.fund_policy import Role
from bot.services.funds import LineStatus
from handlers import blocks as b
from handlers.approvals.ids import ApprovalAction
from handlers.text import esc, strong
from storage.models import ChangeKind, EntryStatus

ROLE: Final[dict[str, Msg]] = {Role.FINANCE: _("the finance lead"), Role.PM: _("a PM")}


CHANGE_KIND: Final[dict[str, Msg]] = {
    ChangeKind.INCREASE: _("Increase the line"),
    ChangeKind.DECREASE: _("Decrease the line"),
    ChangeKind.TRANSFER: _("Transfer to another line"),
}


CHECK: Final[dict[str, Msg]] = {
    CheckKind.DUPLICATE_REFERENCE: _("reference already recorded"),
    CheckKind.SAME_AMOUNT_DAY: _("same amount, line and day"),
    CheckKind.SPLIT_PAYMENT: _("possible split payment"),
    CheckKind.LINE_CLOSED: _("line closed"),
    CheckKind.OVER_BLOCK: _("over the line's block level"),
}


MAX_LISTED: Final = 20


class ItemRef(BaseModel):
    """A button's value: which entry or change order."""

    kind: ItemKind
    id: int


class RejectMeta(BaseModel):
    """The reject modal's `private_metadata`: the item and the DM to update."""

    kind: ItemKind
    id: int
    locale: str = "en"
    dm_channel: str | None = None
    dm_ts: str | None = None


def _name(card: ApprovalCard, tr: Translator) -> str:
    if card.kind == ItemKind.ENTRY:
        return tr(_("Fund-use entry #{id}"), id=card.id)
    return tr(_("Change order #{id}"), id=card.id)


def line_figures(line: LineStatus, currency: str, tr: Translator) -> str:
    """Original / approved changes / revised / pending changes / spent / pending / projected."""

    def money(amount: Decimal) -> str:
        return tr.money_exact(amount, currency)

    return "\n".join(
        [
            tr(
                _("Original {original} · changes {changes} · revised {revised}"),
                original=money(line.allocated),
                changes=money(line.changes),
                revised=money(line.revised),
            ),
            tr(
                _("Spent {spent} · pending {pending} · projected {projected}"),
                spent=money(line.spent),
                pending=money(line.pending),
                projected=money(line.projected),
            ),
            tr(
                _("Pending changes {changes} · projected remaining {remaining}"),
                changes=money(line.pending_changes),
                remaining=money(line.projected_remaining),
            ),
        ]
    )


def _what(card: ApprovalCard, tr: Translator) -> str:
    money = tr.money_exact(card.amount, card.project.currency)
    if card.kind == ItemKind.ENTRY:
        return tr(
            _("{amount} on *{line}*, paid {date}, ref. {reference}\n{purpose}"),
            amount=money,
            line=strong(card.line.name),
            date=card.spent_on.isoformat() if card.spent_on else "",
            reference=esc(card.reference) or "—",
            purpose=esc(b.clip(card.text, 500)),
        )
    if card.change_kind == ChangeKind.TRANSFER and card.to_line is not None:
        head = tr(
            _("Transfer {amount} from *{line}* to *{to}*"),
            amount=money,
            line=strong(card.line.name),
            to=strong(card.to_line.name),
        )
    elif card.change_kind == ChangeKind.DECREASE:
        head = tr(_("Decrease *{line}* by {amount}"), amount=money, line=strong(card.line.name))
    else:
        head = tr(_("Increase *{line}* by {amount}"), amount=money, line=strong(card.line.name))
    reference = tr(_("ref. {reference}"), reference=esc(card.reference)) if card.reference else ""
    return f"{head} {reference}\n{esc(b.clip(card.text, 500))}".replace(" \n", "\n")


def _after(card: ApprovalCard, tr: Translator) -> str:
    def money(amount: Decimal) -> str:
        return tr.money_exact(amount, card.project.currency)

    if card.kind == ItemKind.ENTRY:
        return tr(
            _("If approved, *{line}* has spent {spent} of {revised} ({remaining} left)."),
            line=strong(card.line.name),
            spent=money(card.spent_after),
            revised=money(card.line.revised),
            remaining=money(card.line.revised - card.spent_after),
        )
    return tr(
        _("If approved, *{line}* is revised to {revised} (spent {spent})."),
        line=strong(card.line.name),
        revised=money(card.revised_after),
        spent=money(card.line.spent),
    )


def _checks(card: ApprovalCard, tr: Translator) -> str | None:
    if not card.checks:
        return None
    found = ", ".join(tr(CHECK[c]) for c in card.checks if c in CHECK)
    text = tr(_("⚠️ Checks at entry: {found}"), found=found)
    if card.check_reason:
        text += "\n" + tr(
            _("Reporter's reason: {reason}"), reason=esc(b.clip(card.check_reason, 500))
        )
    return text


def approval_message(
    card: ApprovalCard, tr: Translator, *, nudge: bool = False
) -> tuple[str, list[Block]]:
    """The approver's DM: the item, the line's position after it, Approve / Reject."""
    lead = (
        _("Reminder: {what} from <@{user}> still waits for your approval ({code}).")
        if nudge
        else _("{what} from <@{user}> needs your approval ({code}).")
    )
    text = tr(lead, what=_name(card, tr), user=card.requester, code=card.project.code)
    items: list[Block] = [b.section(text), b.section(_what(card, tr))]
    checks = _checks(card, tr)
    if checks:
        items.append(b.section(checks))
    items.append(b.context(_after(card, tr)))
    items.append(b.section(line_figures(card.line, card.project.currency, tr)))
    if card.status == EntryStatus.PENDING:
        ref = ItemRef(kind=card.kind, id=card.id).model_dump_json()
        items.append(
            b.actions(
                b.button(tr(_("Approve")), ApprovalAction.APPROVE, ref, style="primary"),
                b.button(tr(_("Reject (reason)")), ApprovalAction.REJECT, ref, style="danger"),
                block_id=f"decide-{card.kind}-{card.id}",
            )
        )
    else:
        items.append(b.context(decided_text(card, tr)))
    return text, items


def decided_text(card: ApprovalCard, tr: Translator) -> str:
    if card.status == EntryStatus.POSTED:
        return tr(_("✅ Approved by <@{user}>."), user=card.decided_by)
    if card.status == EntryStatus.REJECTED:
        return tr(
            _("❌ Rejected by <@{user}>: {reason}"),
            user=card.decided_by,
            reason=esc(card.decision_note or ""),
        )
    return tr(_("Withdrawn (voided) by <@{user}>."), user=card.decided_by)


def requester_message(card: ApprovalCard, tr: Translator) -> tuple[str, list[Block]]:
    """The reporter is told the outcome."""
    text = f"{_name(card, tr)} ({card.project.code}): {decided_text(card, tr)}"
    return text, [b.section(text), b.section(_what(card, tr))]


def pending_text(card_name: str, role: str, approvers: Sequence[str], tr: Translator) -> str:
    return tr(
        _("{what} waits for approval by {role}: {people}. You are told the outcome."),
        what=card_name,
        role=tr(ROLE.get(role, ROLE[Role.FINANCE])),
        people=", ".join(f"<@{u}>" for u in approvers),
    )


def approvals_message(
    mine: Sequence[ApprovalCard], asked: Sequence[ApprovalCard], *, code: str, tr: Translator
) -> tuple[str, list[Block]]:
    """`/funds approvals`: what waits for me (with buttons), and what I asked for."""
    title = tr(_("{code} · approvals"), code=code)
    items: list[Block] = [b.header(title)]
    if not mine:
        items.append(b.section(tr(_("Nothing waits for your approval."))))
    for card in mine[:MAX_LISTED]:
        ref = ItemRef(kind=card.kind, id=card.id).model_dump_json()
        items.append(
            b.section(
                f"*{_name(card, tr)}* · <@{card.requester}>\n{_what(card, tr)}\n{_after(card, tr)}"
            )
        )
        items.append(
            b.actions(
                b.button(tr(_("Approve")), ApprovalAction.APPROVE, ref, style="primary"),
                b.button(tr(_("Reject (reason)")), ApprovalAction.REJECT, ref, style="danger"),
                block_id=f"decide-{card.kind}-{card.id}",
            )
        )
    if len(mine) > MAX_LISTED:
        items.append(b.context(tr(_("…and {n} more"), n=len(mine) - MAX_LISTED)))
    if asked:
        rows = [
            f"• {_name(card, tr)}: {tr.money(card.amount, card.project.currency)} · "
            + ", ".join(f"<@{u}>" for u in card.approvers)
            for card in asked[:MAX_LISTED]
        ]
        items.append(b.divider())
        items.append(b.section(f"*{tr(_('You asked for, still waiting'))}*\n" + "\n".join(rows)))
    return title, items


def history_message(
    history: LineHistory, tr: Translator, *, project_id: int
) -> tuple[str, list[Block]]:
    """A line's figures and its change orders."""
    line = history.line
    title = tr(_("History of {line}"), line=b.clip(line.name, 100))
    items: list[Block] = [
        b.header(title),
        b.section(line_figures(line, history.currency, tr)),
    ]
    rows = []
    for item in history.changes:
        statuses: dict[str, str] = {
            EntryStatus.POSTED: tr(_("approved")),
            EntryStatus.PENDING: tr(_("pending")),
            EntryStatus.REJECTED: tr(_("rejected")),
        }
        status = statuses.get(item.status, item.status)
        other = f" ({esc(item.other_line)})" if item.other_line else ""
        rows.append(
            f"• #{item.id} {tr(CHANGE_KIND.get(item.kind, CHANGE_KIND[ChangeKind.INCREASE]))}{other}: "
            f"{tr.money(item.delta, history.currency)} · {status} · <@{item.requested_by}> · "
            f"{esc(b.clip(item.reason, 120))}"
        )
    items += [b.section(chunk) for chunk in _chunks(rows)] or [
        b.section(tr(_("No change orders on this line yet.")))
    ]
    items.append(
        b.actions(
            b.button(
                tr(_("Request a change")), ApprovalAction.LINE_CHANGE, f"{project_id}:{line.id}"
            ),
            block_id=f"history-{line.id}",
        )
    )
    return title, items


def _chunks(rows: Sequence[str], limit: int = 2800) -> list[str]:
    chunks: list[str] = []
    for row in rows:
        if chunks and len(chunks[-1]) + len(row) + 1 <= limit:
            chunks[-1] += "\n" + row
        else:
            chunks.append(row)
    return chunks[:40]
