"""What approvers see: the card of a pending entry or change order, what waits, what is due a nudge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from bot.errors import UserError
from bot.i18n import Mentions, _
from bot.services import fund_policy, funds
from bot.services.fund_policy import Policy, Role
from bot.services.funds import LineAlert, LineStatus, Liquidity
from bot.services.project_header import ProjectHeader
from bot.services.project_rows import with_project
from bot.services.projects import get_project
from storage.models import ChangeKind, ChangeOrder, EntryStatus, FundEntry, Project
from storage.uow import UnitOfWork


class ItemKind(StrEnum):
    ENTRY = "entry"
    CHANGE = "change"


@dataclass(frozen=True)
class ApprovalCard:
    """A pending (or decided) entry or change order, as its approver and reporter see it."""

    kind: ItemKind
    id: int
    project: ProjectHeader
    status: str
    role: str | None
    requester: str
    amount: Decimal
    line: LineStatus  # the line as it stands now
    text: str  # the entry's purpose, or the change's reason
    reference: str
    created_at: dt.datetime
    spent_on: dt.date | None = None
    change_kind: str | None = None
    to_line: LineStatus | None = None
    checks: tuple[str, ...] = ()
    check_reason: str | None = None
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    decision_note: str | None = None
    approvers: tuple[str, ...] = ()  # who may decide it now

    @property
    def delta(self) -> Decimal:
        """A change order's effect on `line` (negative for a decrease or a transfer out)."""
        return self.amount if self.change_kind == ChangeKind.INCREASE else -self.amount

    @property
    def spent_after(self) -> Decimal:
        """The line's spent once this entry is approved."""
        return self.line.spent + (self.amount if self.status == EntryStatus.PENDING else 0)

    @property
    def revised_after(self) -> Decimal:
        """The line's revised allocation once this change order is approved."""
        return self.line.revised + (self.delta if self.status == EntryStatus.PENDING else 0)


@dataclass(frozen=True)
class Decision:
    card: ApprovalCard
    line_alerts: list[LineAlert] = field(default_factory=list)
    runway_alert: Liquidity | None = None


class AlreadyDecided(UserError):
    """Somebody decided the item first (or it was voided); the message says who and how."""


def _line(uow: UnitOfWork, line_id: int) -> LineStatus:
    line = uow.funds.reload_line(line_id)
    assert line is not None
    return LineStatus.of(line)


def _approvers(
    uow: UnitOfWork, project: Project, role: str | None, requester: str, now: dt.datetime
) -> tuple[str, ...]:
    if role is None:
        return ()
    policy = fund_policy.policy_of(uow, project.id)
    found = fund_policy.approvers(
        project, policy, Role(role), reporter=requester, today=funds.project_today(project, now)
    )
    return tuple(found[1]) if found else ()


def entry_card(
    uow: UnitOfWork, project: Project, entry: FundEntry, now: dt.datetime
) -> ApprovalCard:
    return ApprovalCard(
        kind=ItemKind.ENTRY,
        id=entry.id,
        project=ProjectHeader.of(project),
        status=EntryStatus.PENDING
        if entry.voided_at is None and entry.status == EntryStatus.PENDING
        else entry.status,
        role=entry.approval_role,
        requester=entry.reporter,
        amount=entry.amount,
        line=_line(uow, entry.budget_line_id),
        text=entry.purpose,
        reference=entry.reference,
        created_at=entry.created_at,
        spent_on=entry.spent_on,
        checks=tuple(c for c in (entry.checks or "").split(",") if c),
        check_reason=entry.check_reason,
        decided_by=entry.decided_by or entry.voided_by,
        decided_at=entry.decided_at or entry.voided_at,
        decision_note=entry.decision_note or entry.void_reason,
        approvers=_approvers(uow, project, entry.approval_role, entry.reporter, now)
        if entry.status == EntryStatus.PENDING and entry.voided_at is None
        else (),
    )


def change_card(
    uow: UnitOfWork, project: Project, change: ChangeOrder, now: dt.datetime
) -> ApprovalCard:
    return ApprovalCard(
        kind=ItemKind.CHANGE,
        id=change.id,
        project=ProjectHeader.of(project),
        status=change.status,
        role=change.approval_role,
        requester=change.requested_by,
        amount=change.amount,
        line=_line(uow, change.line_id),
        text=change.reason,
        reference=change.reference,
        created_at=change.created_at,
        change_kind=change.kind,
        to_line=_line(uow, change.to_line_id) if change.to_line_id else None,
        decided_by=change.decided_by,
        decided_at=change.decided_at,
        decision_note=change.decision_note,
        approvers=_approvers(uow, project, change.approval_role, change.requested_by, now)
        if change.status == EntryStatus.PENDING
        else (),
    )


def card(
    uow: UnitOfWork, *, team_id: str, kind: ItemKind, item_id: int, now: dt.datetime
) -> ApprovalCard:
    """The entry or change order (of this workspace), or `NotFound`."""
    gone = _("That entry or change order no longer exists.")
    if kind == ItemKind.ENTRY:
        entry, project = with_project(uow, team_id, uow.control.entry(None, item_id), gone)
        return entry_card(uow, project, entry, now)
    change, project = with_project(uow, team_id, uow.control.change(None, item_id), gone)
    return change_card(uow, project, change, now)


def already_decided(card_: ApprovalCard) -> AlreadyDecided:
    what = (
        _("Entry #{id}", id=card_.id)
        if card_.kind == ItemKind.ENTRY
        else _("Change order #{id}", id=card_.id)
    )
    user = Mentions.of([card_.decided_by])
    if card_.status == EntryStatus.POSTED:
        message = _("{what} was already approved by {user}.", what=what, user=user)
    elif card_.status == EntryStatus.REJECTED:
        message = _("{what} was already rejected by {user}.", what=what, user=user)
    else:
        message = _("{what} was withdrawn (voided) by {user}.", what=what, user=user)
    return AlreadyDecided(message)


def may_decide(
    project: Project, policy: Policy, card_: ApprovalCard, user_id: str, today: dt.date
) -> bool:
    """Whether `user_id` may decide the item today: not its requester, and holding its role
    (the finance lead's when it has none) or a higher one."""
    role = Role(card_.role or Role.FINANCE)
    return fund_policy.may_approve(
        project, policy, role, user_id=user_id, reporter=card_.requester, today=today
    )


def waiting_for(
    uow: UnitOfWork, *, team_id: str, project_id: int, user_id: str, now: dt.datetime
) -> tuple[list[ApprovalCard], list[ApprovalCard]]:
    """(what `user_id` may decide, what they asked for that still waits), oldest first."""
    project = get_project(uow, team_id, project_id)
    cards = sorted(_pending(uow, project, now), key=lambda c: c.created_at)
    policy = fund_policy.policy_of(uow, project.id)
    today = funds.project_today(project, now)
    mine = [c for c in cards if may_decide(project, policy, c, user_id, today)]
    asked = [c for c in cards if c.requester == user_id]
    return mine, asked


def due_for_nudge(
    uow: UnitOfWork, *, project_id: int, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> list[ApprovalCard]:
    """Items still pending that were asked for in [start, end) shifted back by the project's
    nudge delay: each item falls in exactly one such window, so it is reminded once."""
    project = uow.projects.by_id(project_id)
    assert project is not None
    delay = dt.timedelta(hours=fund_policy.policy_of(uow, project_id).nudge_hours)
    low, high = start - delay, end - delay
    return [c for c in _pending(uow, project, now) if low <= c.created_at < high]


def _pending(uow: UnitOfWork, project: Project, now: dt.datetime) -> list[ApprovalCard]:
    """The cards of the project's pending entries, then of its pending change orders."""
    cards = [entry_card(uow, project, e, now) for e in uow.control.pending_entries(project.id)]
    return cards + [
        change_card(uow, project, c, now) for c in uow.control.pending_changes(project.id)
    ]
