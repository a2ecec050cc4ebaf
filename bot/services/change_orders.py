"""Change orders: a request to increase or decrease a budget line's allocation, or move
some of it to another line, with a reason and a reference; approved like a fund-use entry
(`bot.services.approvals.decide`). While it waits it shows as the line's pending changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from bot.errors import FieldErrors, UserError
from bot.forms import Form, stripped
from bot.i18n import Amount, Command, Msg, _
from bot.services import fund_policy, funds
from bot.services.approvals import deltas
from bot.services.budget import line_of
from bot.services.fund_policy import Role
from bot.services.funds import LineStatus
from bot.services.project_rows import audit_in, committed
from bot.services.projects import get_project
from storage.models import BudgetLine, ChangeKind, ChangeOrder, EntryStatus, Project
from storage.uow import UnitOfWork


class ChangeField(StrEnum):
    KIND = "change_kind"
    LINE = "line"
    TO_LINE = "to_line"
    AMOUNT = "amount"
    REASON = "reason"
    REFERENCE = "reference"


@dataclass(frozen=True)
class Requested:
    id: int
    role: Role
    approvers: list[str]


@dataclass(frozen=True)
class HistoryItem:
    id: int
    kind: str
    delta: Decimal  # its effect on this line
    other_line: str | None  # a transfer's other line
    status: str
    requested_by: str
    created_at: dt.datetime
    reason: str
    reference: str
    decided_by: str | None


@dataclass(frozen=True)
class LineHistory:
    line: LineStatus
    currency: str
    changes: list[HistoryItem]


def request_change(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    form: Form[ChangeField],
    now: dt.datetime,
    queue: Callable[[UnitOfWork, Requested], None] | None = None,
) -> Requested:
    """Save a change order as pending (committed) and say who approves it.

    Any member may ask; a change always needs an approver other than the requester (the
    finance lead, or a PM from the policy's PM threshold). `FieldErrors` (nothing saved):
    no kind, a missing or same line for a transfer, a bad amount, no reason, or a change that
    would make a line negative (its revised allocation with the changes already waiting).
    """
    project = funds.member_project(uow, team_id, project_id, user_id)
    kind, line, to_line, amount, reason, reference = _valid_change(uow, project, form)
    role, people = _approvers(uow, project, amount, user_id, now)
    change = ChangeOrder(
        project_id=project.id,
        kind=kind,
        line_id=line.id,
        to_line_id=to_line.id if to_line is not None else None,
        amount=amount,
        reason=reason,
        reference=reference,
        requested_by=user_id,
        created_at=now,
        status=EntryStatus.PENDING,
        approval_role=role,
    )
    uow.control.add_change(change)
    for line_id, delta in deltas(kind, line.id, change.to_line_id, amount).items():
        target = line if line_id == line.id else to_line
        assert target is not None
        target.pending_changes = target.pending_changes + delta
    uow.flush()
    audit_in(
        uow, project, user_id, "create", "change_order", change.id, after=_snapshot(change), at=now
    )
    requested = Requested(change.id, role, people)
    return committed(uow, requested, queue)


def _valid_change(
    uow: UnitOfWork, project: Project, form: Form[ChangeField]
) -> tuple[str, BudgetLine, BudgetLine | None, Decimal, str, str]:
    """Kind, line (and target line), amount, reason and reference, checked; else
    `FieldErrors`. The lines come back locked."""
    errors: dict[str, Msg] = {}
    kind = stripped(form.text(ChangeField.KIND))
    if kind not in set(ChangeKind):
        errors[ChangeField.KIND] = _("Choose increase, decrease or transfer.")
    line = funds.locked_line(uow, project.id, form, ChangeField.LINE, errors)
    to_line = None
    if kind == ChangeKind.TRANSFER:
        to_line = funds.locked_line(uow, project.id, form, ChangeField.TO_LINE, errors)
        if line is not None and to_line is not None and line.id == to_line.id:
            errors[ChangeField.TO_LINE] = _("Choose another line than the one money comes from.")
    amount = funds.check_amount(form, ChangeField.AMOUNT, project.currency, errors)
    reason = funds.check_text(
        form, ChangeField.REASON, "reason", errors, required=_("Say why the budget changes.")
    )
    reference = funds.check_text(form, ChangeField.REFERENCE, "reference", errors)
    if (
        line is not None
        and amount is not None
        and kind in (ChangeKind.DECREASE, ChangeKind.TRANSFER)
    ):
        # What the line has to give at the lowest it could go: every decrease waiting
        # approved, no increase.
        left = line.allocated + line.changes + min(line.pending_changes, Decimal(0))
        if left - amount < 0:
            errors[ChangeField.AMOUNT] = _(
                "That would make the line negative: it has {left} to give (revised, less the decreases waiting).",
                left=Amount(left, project.currency),
            )
    if errors:
        raise FieldErrors(errors)
    assert line is not None and amount is not None
    return kind, line, to_line, amount, reason, reference


def _approvers(
    uow: UnitOfWork, project: Project, amount: Decimal, requester: str, now: dt.datetime
) -> tuple[Role, list[str]]:
    """Who approves a change of `amount`: finance or higher, never the requester."""
    policy = fund_policy.policy_of(uow, project.id)
    role = fund_policy.higher(fund_policy.role_for_amount(amount, policy), Role.FINANCE)
    assert role is not None
    found = fund_policy.approvers(
        project, policy, role, reporter=requester, today=funds.project_today(project, now)
    )
    if found is None:
        raise UserError(
            _(
                "A change order needs an approval and nobody but you can give it. A PM can add another PM or name a delegate in {command}.",
                command=Command("/funds policy"),
            )
        )
    role, people = found
    return role, people


def _snapshot(change: ChangeOrder) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "line_id": change.line_id,
        "to_line_id": change.to_line_id,
        "amount": str(change.amount),
        "reason": change.reason,
        "reference": change.reference,
        "status": change.status,
        "approval_role": change.approval_role,
    }


def line_history(uow: UnitOfWork, *, team_id: str, project_id: int, line_id: int) -> LineHistory:
    """A line's figures and its change orders, newest first (the last 30)."""
    project = get_project(uow, team_id, project_id)
    line = line_of(uow, project.id, line_id)
    names = {x.id: x.name for x in uow.funds.lines(project.id)}
    items = []
    for change in uow.control.line_changes(line.id):
        delta = deltas(change.kind, change.line_id, change.to_line_id, change.amount)[line.id]
        other = change.to_line_id if change.line_id == line.id else change.line_id
        items.append(
            HistoryItem(
                change.id,
                change.kind,
                delta,
                names.get(other) if change.kind == ChangeKind.TRANSFER and other else None,
                change.status,
                change.requested_by,
                change.created_at,
                change.reason,
                change.reference,
                change.decided_by,
            )
        )
    return LineHistory(LineStatus.of(line), project.currency, items)
