"""Block Kit of fund control: pure functions of service data and a translator."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from pydantic import BaseModel
from slack_sdk.models.blocks import Block, CheckboxesElement, InputBlock, PlainTextObject
from slack_sdk.models.views import View

from bot.i18n import Msg, Translator, _
from bot.services.approvals import ApprovalCard, ItemKind
from bot.services.change_orders import ChangeField, LineHistory
from bot.services.choices import Kind
from bot.services.fund_checks import CheckKind
from bot.services.fund_policy import PolicyField, PolicyForm, Role
from bot.services.funds import LineStatus
from handlers import blocks as b
from handlers.approvals.ids import ApprovalAction, ApprovalView
from handlers.ids import VALUE
from handlers.suggest import picker
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
    money = tr.money_exact(card.amount, card.currency)
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
        return tr.money_exact(amount, card.currency)

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
    text = tr(lead, what=_name(card, tr), user=card.requester, code=card.project_code)
    items: list[Block] = [b.section(text), b.section(_what(card, tr))]
    checks = _checks(card, tr)
    if checks:
        items.append(b.section(checks))
    items.append(b.context(_after(card, tr)))
    items.append(b.section(line_figures(card.line, card.currency, tr)))
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
    text = f"{_name(card, tr)} ({card.project_code}): {decided_text(card, tr)}"
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
            f"• {_name(card, tr)}: {tr.money(card.amount, card.currency)} · "
            + ", ".join(f"<@{u}>" for u in card.approvers)
            for card in asked[:MAX_LISTED]
        ]
        items.append(b.divider())
        items.append(b.section(f"*{tr(_('You asked for, still waiting'))}*\n" + "\n".join(rows)))
    return title, items


def reject_modal(card: ApprovalCard, tr: Translator, *, metadata: str) -> View:
    return b.modal(
        ApprovalView.REJECT,
        tr(_("Reject")),
        [
            b.section(f"*{_name(card, tr)}*\n{_what(card, tr)}"),
            b.text_input(
                "reason", tr(_("Why? The requester is told.")), multiline=True, max_length=2000
            ),
        ],
        submit=tr(_("Reject")),
        close=tr(_("Cancel")),
        private_metadata=metadata,
    )


# -- change orders ---------------------------------------------------------------------------


def change_modal(
    lines: Sequence[LineStatus],
    currency: str,
    tr: Translator,
    *,
    metadata: str,
    line_id: int | None = None,
) -> View:
    choices = [
        (str(line.id), f"{line.name} · {tr.money(line.revised, currency)}") for line in lines
    ]
    kinds = [(str(k), tr(label)) for k, label in CHANGE_KIND.items()]
    items: list[Block] = [
        b.select_input(ChangeField.KIND, tr(_("Change")), kinds, initial=ChangeKind.INCREASE),
        b.select_input(
            ChangeField.LINE,
            tr(_("Budget line")),
            choices,
            initial=str(line_id) if line_id else None,
            **picker(Kind.BUDGET_LINE, tr),
        ),
        b.select_input(
            ChangeField.TO_LINE,
            tr(_("To line (transfers only)")),
            choices,
            optional=True,
            **picker(Kind.BUDGET_LINE, tr),
        ),
        b.text_input(ChangeField.AMOUNT, tr(_("Amount")), placeholder="50万"),
        b.text_input(ChangeField.REASON, tr(_("Reason")), multiline=True, max_length=2000),
        b.text_input(
            ChangeField.REFERENCE,
            tr(_("Reference (e.g. variation order no.)")),
            optional=True,
            max_length=100,
        ),
        b.context(tr(_("A change order counts once approved, like a fund-use entry."))),
    ]
    return b.modal(
        ApprovalView.CHANGE,
        tr(_("Change order")),
        items,
        submit=tr(_("Request")),
        close=tr(_("Cancel")),
        private_metadata=metadata,
    )


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


# -- the policy screen -----------------------------------------------------------------------


def policy_modal(form: PolicyForm, currency: str, tr: Translator, *, metadata: str) -> View:
    off = tr(_("Leave empty to turn it off."))
    checkbox = CheckboxesElement(
        action_id=VALUE,
        options=[b.option("on", tr(_("Check for duplicate references and amounts")))],
        initial_options=[b.option("on", tr(_("Check for duplicate references and amounts")))]
        if form.duplicate_checks
        else None,
    )
    items: list[Block] = [
        b.section(
            tr(
                _(
                    "*Approvals by amount* ({currency}): an entry or change from this amount needs the finance lead, or a PM."
                ),
                currency=currency,
            )
        ),
        b.text_input(
            PolicyField.FINANCE_FROM,
            tr(_("Finance lead approves from")),
            initial=form.finance_from,
            optional=True,
            hint=off,
            placeholder="50万",
        ),
        b.text_input(
            PolicyField.PM_FROM,
            tr(_("A PM approves from")),
            initial=form.pm_from,
            optional=True,
            hint=off,
            placeholder="500万",
        ),
        b.section(
            tr(
                _(
                    "*Budget line tolerance*, in % of the revised allocation, counting pending entries: above each level the entry is warned, needs approval, or is blocked (a PM must approve it, with a reason)."
                )
            )
        ),
        b.text_input(
            PolicyField.WARN_PERCENT,
            tr(_("Warn above (%)")),
            initial=form.warn_percent,
            optional=True,
            hint=off,
        ),
        b.text_input(
            PolicyField.APPROVE_PERCENT,
            tr(_("Require approval above (%)")),
            initial=form.approve_percent,
            optional=True,
            hint=off,
        ),
        b.text_input(
            PolicyField.BLOCK_PERCENT,
            tr(_("Block above (%)")),
            initial=form.block_percent,
            optional=True,
            hint=off,
        ),
        b.text_input(
            PolicyField.NUDGE_HOURS,
            tr(_("Remind approvers after (hours)")),
            initial=form.nudge_hours,
        ),
        b.text_input(
            PolicyField.SPLIT_DAYS, tr(_("Split-payment window (days)")), initial=form.split_days
        ),
        InputBlock(
            block_id=PolicyField.DUPLICATE_CHECKS,
            label=PlainTextObject(text=tr(_("Checks at entry"))),
            element=checkbox,
            optional=True,
        ),
        b.users_input(
            PolicyField.DELEGATE,
            tr(_("While a PM is away, PM approvals also go to")),
            initial=[form.delegate] if form.delegate else (),
            optional=True,
            multi=False,
        ),
        b.date_input(
            PolicyField.DELEGATE_UNTIL,
            tr(_("Delegation ends (inclusive)")),
            initial=form.delegate_until,
            optional=True,
        ),
    ]
    return b.modal(
        ApprovalView.POLICY,
        tr(_("Approval policy")),
        items,
        submit=tr(_("Save")),
        close=tr(_("Cancel")),
        private_metadata=metadata,
    )
