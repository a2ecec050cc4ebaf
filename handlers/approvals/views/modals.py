"""Block Kit of fund control: pure functions of service data and a translator."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.forms import Form
from bot.i18n import Translator, _
from bot.services.approvals import ApprovalCard
from bot.services.change_orders import ChangeField
from bot.services.choices import Kind
from bot.services.fund_policy import PolicyField
from bot.services.funds import LineStatus
from handlers import blocks as b
from handlers.approvals.ids import ApprovalView
from handlers.approvals.views.messages import CHANGE_KIND, _name, _what
from handlers.suggest import picker
from storage.models import ChangeKind


def reject_modal(card: ApprovalCard, tr: Translator, *, metadata: str) -> View:
    return b.reason_modal(
        ApprovalView.REJECT,
        tr(_("Reject")),
        f"*{_name(card, tr)}*\n{_what(card, tr)}",
        b.reason_input("reason", tr(_("Why? The requester is told."))),
        tr,
        submit=tr(_("Reject")),
        metadata=metadata,
    )


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
    kinds = b.labelled(CHANGE_KIND, tr)
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
        b.reason_input(ChangeField.REASON, tr(_("Reason"))),
        b.text_input(
            ChangeField.REFERENCE,
            tr(_("Reference (e.g. variation order no.)")),
            optional=True,
            max_length=100,
        ),
        b.context(tr(_("A change order counts once approved, like a fund-use entry."))),
    ]
    return b.form_modal(
        ApprovalView.CHANGE,
        tr(_("Change order")),
        items,
        tr,
        submit=tr(_("Request")),
        metadata=metadata,
    )


def _off_input(
    form: Form[PolicyField],
    field: PolicyField,
    label: str,
    off: str,
    *,
    placeholder: str | None = None,
) -> Block:
    """An optional threshold or level, as `form` has it: left empty, it is off (the `off`
    hint says so)."""
    return b.text_input(
        field, label, initial=form.text(field), optional=True, hint=off, placeholder=placeholder
    )


def _amount_inputs(form: Form[PolicyField], currency: str, tr: Translator, off: str) -> list[Block]:
    return [
        b.section(
            tr(
                _(
                    "*Approvals by amount* ({currency}): an entry or change from this amount needs the finance lead, or a PM."
                ),
                currency=currency,
            )
        ),
        _off_input(
            form,
            PolicyField.FINANCE_FROM,
            tr(_("Finance lead approves from")),
            off,
            placeholder="50万",
        ),
        _off_input(
            form, PolicyField.PM_FROM, tr(_("A PM approves from")), off, placeholder="500万"
        ),
    ]


def _tolerance_inputs(form: Form[PolicyField], tr: Translator, off: str) -> list[Block]:
    return [
        b.section(
            tr(
                _(
                    "*Budget line tolerance*, in % of the revised allocation, counting pending entries: above each level the entry is warned, needs approval, or is blocked (a PM must approve it, with a reason)."
                )
            )
        ),
        _off_input(form, PolicyField.WARN_PERCENT, tr(_("Warn above (%)")), off),
        _off_input(
            form,
            PolicyField.APPROVE_PERCENT,
            tr(_("Require approval above (%)")),
            off,
        ),
        _off_input(form, PolicyField.BLOCK_PERCENT, tr(_("Block above (%)")), off),
    ]


def _check_inputs(form: Form[PolicyField], tr: Translator) -> list[Block]:
    checks = [("on", tr(_("Check for duplicate references and amounts")))]
    return [
        b.text_input(
            PolicyField.NUDGE_HOURS,
            tr(_("Remind approvers after (hours)")),
            initial=form.text(PolicyField.NUDGE_HOURS),
        ),
        b.text_input(
            PolicyField.SPLIT_DAYS,
            tr(_("Split-payment window (days)")),
            initial=form.text(PolicyField.SPLIT_DAYS),
        ),
        b.checkboxes_input(
            PolicyField.DUPLICATE_CHECKS,
            tr(_("Checks at entry")),
            checks,
            ticked=["on"] if form.flag(PolicyField.DUPLICATE_CHECKS) else [],
        ),
        b.user_input(
            PolicyField.DELEGATE,
            tr(_("While a PM is away, PM approvals also go to")),
            initial=form.text(PolicyField.DELEGATE),
            optional=True,
        ),
        b.date_input(
            PolicyField.DELEGATE_UNTIL,
            tr(_("Delegation ends (inclusive)")),
            initial=form.text(PolicyField.DELEGATE_UNTIL),
            optional=True,
        ),
    ]


def policy_modal(form: Form[PolicyField], currency: str, tr: Translator, *, metadata: str) -> View:
    off = tr(_("Leave empty to turn it off."))
    items: list[Block] = [
        *_amount_inputs(form, currency, tr, off),
        *_tolerance_inputs(form, tr, off),
        *_check_inputs(form, tr),
    ]
    return b.form_modal(
        ApprovalView.POLICY,
        tr(_("Approval policy")),
        items,
        tr,
        metadata=metadata,
    )
