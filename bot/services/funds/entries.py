"""Recording and voiding fund use: the checks at entry, the approval route, the line alerts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from bot.errors import FieldErrors, UserError
from bot.forms import Form, check_amount
from bot.i18n import Command, Mentions, Msg, _
from bot.periods import project_today
from bot.services import fund_checks, fund_policy
from bot.services.fund_checks import Finding, Seen
from bot.services.fund_policy import LineLevel, Policy, Role
from bot.services.funds.access import (
    check_past_day,
    check_text,
    entry_snapshot,
    locked_entry,
    locked_line,
    managed_project,
    member_project,
)
from bot.services.funds.forms import FundField
from bot.services.funds.sources import check_runway
from bot.services.funds.status import LineAlert, LineStatus, NeedsReason, Outcome
from bot.services.project_rows import audit_in, committed
from bot.services.thresholds import THRESHOLDS, reaches
from storage.models import BudgetLine, EntryStatus, FundEntry, Project
from storage.uow import UnitOfWork


def record_entry(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    form: Form[FundField],
    now: dt.datetime,
    queue: Callable[[UnitOfWork, Outcome], None] | None = None,
) -> Outcome:
    """Record fund use and update its line's running total in one transaction (committed).

    Raises `FieldErrors` (nothing saved) for bad input, `PermissionDenied` for an outsider.
    The outcome lists each threshold (90, 100 %) the line crossed for the first time — each
    is reported once per line, even under concurrent entries — and the liquidity when the
    runway has just fallen below the project's threshold.
    """
    project = member_project(uow, team_id, project_id, user_id)
    today = project_today(project, now)
    valid = _valid_entry(uow, project, form, today)
    line, amount = valid.line, valid.amount
    policy = fund_policy.policy_of(uow, project.id)
    revised = line.allocated + line.changes
    level = fund_policy.line_level(line.spent + line.pending + amount, revised, policy)
    findings = _checks(uow, project, policy, valid, user_id, level)
    if not valid.reason and any(f.needs_reason for f in findings):
        raise _needs_reason(findings, project.currency, policy)
    role, people = _route(project, policy, findings, amount, level, user_id, today)
    entry, alerts = _save_entry(uow, project, valid, user_id, role, findings, now)
    _audit_created(uow, project, user_id, entry, line, now)
    runway = check_runway(uow, project, today, now=now) if role is None else None
    outcome = Outcome(
        entry.id,
        amount,
        line.name,
        alerts,
        runway,
        pending_role=role,
        approvers=people,
        line=LineStatus.of(line),
        level=level,
        findings=findings,
    )
    return committed(uow, outcome, queue)


def _save_entry(
    uow: UnitOfWork,
    project: Project,
    valid: _ValidEntry,
    user_id: str,
    role: Role | None,
    findings: list[Finding],
    now: dt.datetime,
) -> tuple[FundEntry, list[LineAlert]]:
    """Add the entry (posted, or pending for `role`) and keep its line's running totals;
    the alerts a posted entry set off."""
    line, amount = valid.line, valid.amount
    entry = FundEntry(
        project_id=project.id,
        budget_line_id=line.id,
        amount=amount,
        spent_on=valid.day,
        purpose=valid.purpose,
        reference=valid.reference,
        reporter=user_id,
        created_at=now,
        status=EntryStatus.PENDING if role else EntryStatus.POSTED,
        approval_role=role,
        checks=",".join(f.kind.value for f in findings),
        check_reason=valid.reason or None,
    )
    uow.funds.add_entry(entry)
    alerts: list[LineAlert] = []
    if role is None:
        line.spent = line.spent + amount
        uow.funds.add_to_day(project.id, valid.day, amount)
        alerts = crossed_alerts(line)
    else:
        line.pending = line.pending + amount
    uow.flush()
    return entry, alerts


def _audit_created(
    uow: UnitOfWork,
    project: Project,
    user_id: str,
    entry: FundEntry,
    line: BudgetLine,
    now: dt.datetime,
) -> None:
    """The audit row of a new entry, with its line's running totals after it."""
    after = {
        **entry_snapshot(entry),
        "line_spent": str(line.spent),
        "line_pending": str(line.pending),
    }
    audit_in(uow, project, user_id, "create", "fund_entry", entry.id, after=after, at=now)


@dataclass(frozen=True)
class _ValidEntry:
    line: BudgetLine
    amount: Decimal
    day: dt.date
    purpose: str
    reference: str
    reason: str


def _valid_entry(
    uow: UnitOfWork, project: Project, form: Form[FundField], today: dt.date
) -> _ValidEntry:
    """The form's values, checked; `FieldErrors` with one message per bad field. The line
    comes back locked."""
    errors: dict[str, Msg] = {}
    line = locked_line(
        uow,
        project.id,
        form,
        FundField.LINE,
        errors,
        not_listed=_("Choose a budget line from the list."),
    )
    amount = check_amount(form, FundField.AMOUNT, project.currency, errors)
    day = check_past_day(form, FundField.DATE, project, today, errors)
    purpose = check_text(
        form, FundField.PURPOSE, "purpose", errors, required=_("This field is required.")
    )
    reference = check_text(
        form,
        FundField.REFERENCE,
        "reference",
        errors,
        required=_("Give the invoice or contract number."),
    )
    reason = check_text(form, FundField.REASON, "reason", errors)
    if errors:
        raise FieldErrors(errors)
    assert line is not None and amount is not None and day is not None
    return _ValidEntry(line, amount, day, purpose, reference, reason)


def _needs_reason(findings: list[Finding], currency: str, policy: Policy) -> NeedsReason:
    """The confirm step: per modal field, the first finding's message."""
    shown: dict[str, Msg] = {}
    for finding in findings:
        shown.setdefault(
            finding.field,
            fund_checks.message(finding, currency=currency, block_percent=policy.block_percent),
        )
    return NeedsReason(findings, shown)


def _route(
    project: Project,
    policy: Policy,
    findings: list[Finding],
    amount: Decimal,
    level: LineLevel,
    reporter: str,
    today: dt.date,
) -> tuple[Role | None, list[str]]:
    """The role the entry waits for (None: posted at once) and the people asked."""
    role = fund_policy.role_for_amount(amount, policy)
    if level >= LineLevel.APPROVE:
        role = fund_policy.higher(role, Role.FINANCE)
    for finding in findings:
        role = fund_policy.higher(role, finding.route_to)
    if role is None:
        return None, []
    found = fund_policy.approvers(project, policy, role, reporter=reporter, today=today)
    if found is None:
        raise UserError(
            _(
                "This entry needs an approval and nobody but you can give it. A PM can add another PM or name a delegate in {command}.",
                command=Command("/funds policy"),
            )
        )
    return found


def _seen(entry: FundEntry) -> Seen:
    return Seen(
        entry.id,
        entry.budget_line_id,
        entry.amount,
        entry.spent_on,
        entry.reference,
        entry.reporter,
    )


def _checks(
    uow: UnitOfWork,
    project: Project,
    policy: Policy,
    entry: _ValidEntry,
    reporter: str,
    level: LineLevel,
) -> list[Finding]:
    """Run every check at entry against the few entries each needs (indexed queries)."""
    line, amount, day, reference = entry.line, entry.amount, entry.day, entry.reference
    found: list[Finding | None] = []
    if policy.duplicate_checks:
        by_reference = [_seen(e) for e in uow.control.same_reference(project.id, reference)]
        found.append(fund_checks.duplicate_reference(reference, by_reference))
        same_day = [_seen(e) for e in uow.control.same_amount_day(line.id, day, amount)]
        found.append(fund_checks.same_amount_day(amount, line.id, day, same_day))
    start = day - dt.timedelta(days=policy.split_days - 1)
    recent = [_seen(e) for e in uow.control.recent_by_reporter(line.id, reporter, start, day)]
    found.append(fund_checks.split_payment(amount, line.id, reporter, day, recent, policy))
    found.append(fund_checks.line_state(bool(line.closed), level))
    return [f for f in found if f is not None]


def crossed_alerts(line: BudgetLine) -> list[LineAlert]:
    """Thresholds the (locked) line now meets and has not alerted; marks them alerted.

    A void does not re-arm them: a correction (void + new entry) must not repeat an alert.
    """
    alerts = []
    revised = line.allocated + line.changes  # alerts follow the revised allocation
    for percent in THRESHOLDS:
        if reaches(line.spent, revised, percent) and line.alerted_percent < percent:
            alerts.append(LineAlert(line.name, percent, line.spent, revised))
            line.alerted_percent = percent
    return alerts


def void_entry(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    entry_id: int,
    reason: str,
    now: dt.datetime,
    queue: Callable[[UnitOfWork, Outcome], None] | None = None,
) -> Outcome:
    """Mark an entry void (who, when, why) and take it off its line's total (committed).

    Only PMs and the finance lead; an unknown id is `NotFound`; a second void, or no
    reason, is a `UserError`.
    """
    project = managed_project(uow, team_id, project_id, user_id, _("void fund-use entries"))
    reason = reason.strip()
    entry = _voidable_entry(uow, project, entry_id, reason)
    line = uow.funds.lock_line(project.id, entry.budget_line_id)
    assert line is not None
    before = {**entry_snapshot(entry), "line_spent": str(line.spent)}
    entry.voided_at = now
    entry.voided_by = user_id
    entry.void_reason = reason[:2000]
    if entry.status == EntryStatus.POSTED:
        line.spent = line.spent - entry.amount
        uow.funds.add_to_day(project.id, entry.spent_on, -entry.amount)
    elif entry.status == EntryStatus.PENDING:  # withdrawn before anybody decided
        line.pending = line.pending - entry.amount
    after = {**entry_snapshot(entry), "line_spent": str(line.spent)}
    audit_in(uow, project, user_id, "void", "fund_entry", entry.id, before, after, at=now)
    runway = check_runway(uow, project, project_today(project, now), now=now)
    outcome = Outcome(entry.id, entry.amount, line.name, [], runway)
    return committed(uow, outcome, queue)


def _voidable_entry(uow: UnitOfWork, project: Project, entry_id: int, reason: str) -> FundEntry:
    """The entry to void, locked: a `UserError` without a reason or if it is already void,
    `NotFound` for an unknown id."""
    if not reason:
        raise UserError(
            _(
                "Say why: {command}, e.g. duplicate invoice.",
                command=Command(_("/funds void {id} <reason>", id=entry_id)),
            )
        )
    entry = locked_entry(uow, project, entry_id)
    if entry.voided_at is not None:
        raise UserError(
            _(
                "Entry #{id} was already voided by {user}: {reason}",
                id=entry_id,
                user=Mentions.of([entry.voided_by]),
                reason=entry.void_reason,
            )
        )
    return entry
