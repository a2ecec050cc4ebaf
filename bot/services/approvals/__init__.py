"""Approvals: deciding pending fund-use entries and change orders, what an approver is
shown, what waits for whom, and which items are due for a reminder.

A decision is one conditional `UPDATE … WHERE status = 'pending'`: of two approvers (or
two clicks) exactly one moves the item, the other is told who decided. Nobody decides
their own item; an approver must hold the role (or a higher one) when deciding, so one
who has left the project is refused. Every decision is audited (and so sent as a webhook
event `fund_entry.approve`, `change_order.reject`, …).

The package: `cards` (what approvers see, what waits) and `decisions` (deciding).
"""

from bot.services.approvals.cards import (
    AlreadyDecided,
    ApprovalCard,
    Decision,
    ItemKind,
    already_decided,
    card,
    change_card,
    due_for_nudge,
    entry_card,
    waiting_for,
)
from bot.services.approvals.decisions import (
    decide,
    deltas,
)

_already = already_decided  # the name handlers/approvals/actions.py uses

__all__ = [
    "AlreadyDecided",
    "ApprovalCard",
    "Decision",
    "ItemKind",
    "already_decided",
    "card",
    "change_card",
    "decide",
    "deltas",
    "due_for_nudge",
    "entry_card",
    "waiting_for",
]
