"""Deciding: one conditional update wins, then the running totals under the line locks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from bot.errors import PermissionDenied, UserError
from bot.forms import stripped
from bot.i18n import Amount, Mentions, _
from bot.services import fund_policy, funds
from bot.services.approvals.cards import (
    ApprovalCard,
    Decision,
    ItemKind,
    already_decided,
    card,
    may_decide,
)
from bot.services.budget import rebased_alerts
from bot.services.funds import LineAlert, Liquidity
from bot.services.project_rows import audit_in, committed
from bot.services.projects import get_project
from storage.models import ChangeKind, EntryStatus, Project
from storage.uow import UnitOfWork


def decide(
    uow: UnitOfWork,
    *,
    team_id: str,
    user_id: str,
    kind: ItemKind,
    item_id: int,
    approve: bool,
    note: str | None,
    now: dt.datetime,
    queue: Callable[[UnitOfWork, Decision], None] | None = None,
) -> Decision:
    """Approve or reject a pending entry or change order (committed).

    Exactly one decision wins: a later one gets `AlreadyDecided`. The reporter may not
    decide (`PermissionDenied`), nor anybody not holding the role today; a rejection needs a
    reason (`UserError`). An approved entry counts as spent (and may alert, as a new entry
    would); an approved change revises its lines and re-bases their alerts; nothing is
    changed when any check fails.
    """
    before = card(uow, team_id=team_id, kind=kind, item_id=item_id, now=now)
    project = get_project(uow, team_id, before.project.id)
    if before.status != EntryStatus.PENDING:
        raise already_decided(before)
    note = stripped(note)[:2000] or None
    if not approve and not note:
        raise UserError(_("Say why you reject it; the requester is told."))
    _require_decider(uow, project, before, user_id, now)
    status = EntryStatus.POSTED if approve else EntryStatus.REJECTED
    decide_row = uow.control.decide_entry if kind == ItemKind.ENTRY else uow.control.decide_change
    if not decide_row(item_id, status=status, user_id=user_id, note=note, now=now):
        uow.rollback()
        raise already_decided(card(uow, team_id=team_id, kind=kind, item_id=item_id, now=now))
    if kind == ItemKind.ENTRY:
        alerts, runway = _apply_entry(uow, project, item_id, approve, now)
    else:
        alerts, runway = _apply_change(uow, project, item_id, approve), None
    after = card(uow, team_id=team_id, kind=kind, item_id=item_id, now=now)
    _audit_decision(uow, project, before, after, status, note=note, user_id=user_id, now=now)
    decision = Decision(after, alerts, runway)
    return committed(uow, decision, queue)


def _audit_decision(
    uow: UnitOfWork,
    project: Project,
    before: ApprovalCard,
    after: ApprovalCard,
    status: EntryStatus,
    *,
    note: str | None,
    user_id: str,
    now: dt.datetime,
) -> None:
    """The audit row of a decision: the item's status and role before, its line after."""
    audit_in(
        uow,
        project,
        user_id,
        action="approve" if status == EntryStatus.POSTED else "reject",
        entity="fund_entry" if after.kind == ItemKind.ENTRY else "change_order",
        entity_id=after.id,
        before={"status": EntryStatus.PENDING.value, "role": before.role},
        after={
            "status": status.value,
            "note": note,
            "amount": str(after.amount),
            "line_id": after.line.id,
            "line_spent": str(after.line.spent),
            "line_revised": str(after.line.revised),
        },
        at=now,
    )


def _require_decider(
    uow: UnitOfWork, project: Project, item: ApprovalCard, user_id: str, now: dt.datetime
) -> None:
    """`PermissionDenied` unless `user_id` holds the item's role today and did not ask."""
    if user_id == item.requester:
        raise PermissionDenied(
            _("You asked for this yourself: somebody else approves it (four eyes).")
        )
    policy = fund_policy.policy_of(uow, project.id)
    if not may_decide(project, policy, item, user_id, funds.project_today(project, now)):
        raise PermissionDenied(
            _(
                "You are not (or no longer) an approver for this: {people} can decide it.",
                people=Mentions.of(item.approvers, empty="—"),
            )
        )


def _apply_entry(
    uow: UnitOfWork, project: Project, entry_id: int, approve: bool, now: dt.datetime
) -> tuple[list[LineAlert], Liquidity | None]:
    entry = uow.control.entry(project.id, entry_id)
    assert entry is not None
    line = uow.funds.lock_line(project.id, entry.budget_line_id)
    assert line is not None
    line.pending = line.pending - entry.amount
    if not approve:
        return [], None
    line.spent = line.spent + entry.amount
    uow.funds.add_to_day(project.id, entry.spent_on, entry.amount)
    alerts = funds.crossed_alerts(line)
    runway = funds.check_runway(uow, project, funds.project_today(project, now), now=now)
    return alerts, runway


def deltas(kind: str, line_id: int, to_line_id: int | None, amount: Decimal) -> dict[int, Decimal]:
    """A change order's effect on each line's allocation."""
    if kind == ChangeKind.INCREASE:
        return {line_id: amount}
    if kind == ChangeKind.DECREASE:
        return {line_id: -amount}
    assert to_line_id is not None
    return {line_id: -amount, to_line_id: amount}


def _apply_change(
    uow: UnitOfWork, project: Project, change_id: int, approve: bool
) -> list[LineAlert]:
    change = uow.control.change(project.id, change_id)
    assert change is not None
    moves = deltas(change.kind, change.line_id, change.to_line_id, change.amount)
    lines = uow.control.lock_lines(project.id, list(moves))
    alerts: list[LineAlert] = []
    for line_id, delta in moves.items():
        line = lines[line_id]
        line.pending_changes = line.pending_changes - delta
        if not approve:
            continue
        revised = line.allocated + line.changes + delta
        if revised < 0:
            uow.rollback()
            raise UserError(
                _(
                    "Approving this would make line “{line}” negative ({amount}); nothing was changed. Reject it, or approve an increase first.",
                    line=line.name,
                    amount=Amount(revised, project.currency),
                )
            )
        line.changes = line.changes + delta
        if delta > 0:  # re-armed: the 90 / 100 % alerts follow the revised allocation
            line.alerted_percent = rebased_alerts(line)
        else:
            alerts += funds.crossed_alerts(line)
    return alerts
