"""Fund use against budget lines, funding sources and drawdowns, and the liquidity they give.

Every change keeps its running totals (`BudgetLine.spent`, `FundingSource.drawn`, the daily
totals in `fund_days`) in the same transaction as the row it writes, under a row lock, so a
summary costs one row per budget line and funding source whatever the number of entries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from pydantic import BaseModel

from bot.errors import FieldErrors, NotFound, PermissionDenied, UserError
from bot.i18n import Amount, Msg, _
from bot.money import parse_amount
from bot.periods import today_in
from bot.services import fund_checks, fund_policy, membership
from bot.services.fund_checks import Finding, Seen
from bot.services.fund_policy import LineLevel, Policy, Role
from bot.services.thresholds import THRESHOLDS, WARN_PERCENT, flag_level, reaches
from storage.models import (
    BudgetLine,
    DepartmentKind,
    Drawdown,
    EntryStatus,
    FundEntry,
    FundingKind,
    FundingSource,
    Project,
)
from storage.uow import UnitOfWork

BURN_WEEKS: Final = 4
CENT: Final = Decimal("0.01")


class FundField(StrEnum):
    """Fields of the fund-use modal; the modal uses the same names as block ids."""

    LINE = "line"
    AMOUNT = "amount"
    DATE = "date"
    PURPOSE = "purpose"
    REFERENCE = "reference"
    REASON = "reason"  # the confirm step: why record it despite what the checks found


class SourceField(StrEnum):
    NAME = "source_name"
    KIND = "source_kind"
    COMMITTED = "committed"


class DrawdownField(StrEnum):
    SOURCE = "source"
    AMOUNT = "amount"
    DATE = "date"
    REFERENCE = "reference"


class FundUseForm(BaseModel):
    line: str | None = None
    amount: str | None = None
    date: str | None = None
    purpose: str | None = None
    reference: str | None = None
    reason: str | None = None


class SourceForm(BaseModel):
    source_name: str | None = None
    source_kind: str | None = None
    committed: str | None = None


class DrawdownForm(BaseModel):
    source: str | None = None
    amount: str | None = None
    date: str | None = None
    reference: str | None = None


# -- what callers get back -------------------------------------------------------------------


class _Spending:
    """What a budget line, or all of them, has left of what was allocated.

    `allocated` is the original allocation; `changes` the approved change orders (net),
    `revised` their sum. `pending` is fund use waiting for approval, `pending_changes` change
    orders waiting (net). Spent counts approved (posted) entries only."""

    if TYPE_CHECKING:  # fields of a line, properties of the sum

        @property
        def allocated(self) -> Decimal: ...

        @property
        def spent(self) -> Decimal: ...

        @property
        def pending(self) -> Decimal: ...

        @property
        def changes(self) -> Decimal: ...

        @property
        def pending_changes(self) -> Decimal: ...

    @property
    def revised(self) -> Decimal:
        """Original allocation + approved changes."""
        return self.allocated + self.changes

    @property
    def variance(self) -> Decimal:
        """Revised − spent: what is left (negative when over budget)."""
        return self.revised - self.spent

    @property
    def ratio(self) -> Decimal | None:
        """Spent / revised, or None with nothing allocated."""
        return self.spent / self.revised if self.revised > 0 else None

    @property
    def alert_level(self) -> int:
        """The alert threshold (0, 90 or 100 %) spent has reached of the revised figure."""
        return flag_level(self.spent, self.revised)

    @property
    def projected(self) -> Decimal:
        """Spent + pending entries: the use if everything waiting is approved."""
        return self.spent + self.pending

    @property
    def projected_allocation(self) -> Decimal:
        """Revised + pending changes: the allocation if every change waiting is approved."""
        return self.revised + self.pending_changes

    @property
    def projected_remaining(self) -> Decimal:
        return self.projected_allocation - self.projected


@dataclass(frozen=True)
class LineStatus(_Spending):
    id: int
    name: str
    category: str
    department_id: int | None
    allocated: Decimal
    spent: Decimal
    pending: Decimal = Decimal(0)
    changes: Decimal = Decimal(0)
    pending_changes: Decimal = Decimal(0)
    closed: bool = False
    department: str | None = None  # the department's name, where the caller looked it up

    @property
    def ratio_of_allocated(self) -> Decimal | None:
        """Spent / the original allocation (the budget list, where allocations are set)."""
        return self.spent / self.allocated if self.allocated else None

    @classmethod
    def of(cls, line: BudgetLine, department: str | None = None) -> LineStatus:
        return cls(
            line.id,
            line.name,
            line.category,
            line.department_id,
            line.allocated,
            line.spent,
            line.pending or Decimal(0),
            line.changes or Decimal(0),
            line.pending_changes or Decimal(0),
            bool(line.closed),
            department,
        )


@dataclass(frozen=True)
class SourceStatus:
    id: int
    name: str
    kind: str
    committed: Decimal
    drawn: Decimal

    @property
    def undrawn(self) -> Decimal:
        return self.committed - self.drawn


@dataclass(frozen=True)
class Liquidity:
    """The project's cash position. `runway_weeks` is None when nothing was spent in the last
    four weeks (no burn, so no runway limit); it is 0 when cash on hand is not positive."""

    sources: list[SourceStatus]
    spent: Decimal
    burn_4w: Decimal
    threshold_weeks: int

    @property
    def committed(self) -> Decimal:
        return sum((s.committed for s in self.sources), Decimal(0))

    @property
    def drawn(self) -> Decimal:
        return sum((s.drawn for s in self.sources), Decimal(0))

    @property
    def undrawn(self) -> Decimal:
        return self.committed - self.drawn

    @property
    def cash(self) -> Decimal:
        return self.drawn - self.spent

    @property
    def weekly_burn(self) -> Decimal:
        return (self.burn_4w / BURN_WEEKS).quantize(CENT)

    @property
    def runway_weeks(self) -> Decimal | None:
        if self.cash <= 0:
            return Decimal(0)
        if self.burn_4w <= 0:
            return None
        return (self.cash * BURN_WEEKS / self.burn_4w).quantize(Decimal("0.1"))

    @property
    def below_threshold(self) -> bool:
        """Runway under the project's threshold; never when no funding source is set up."""
        runway = self.runway_weeks
        return bool(self.sources) and runway is not None and runway < self.threshold_weeks


@dataclass(frozen=True)
class Summary(_Spending):
    lines: list[LineStatus]
    liquidity: Liquidity
    total_budget: Decimal  # the project's total budget, beside the sum of the lines

    @property
    def allocated(self) -> Decimal:
        return sum((line.allocated for line in self.lines), Decimal(0))

    @property
    def spent(self) -> Decimal:
        return sum((line.spent for line in self.lines), Decimal(0))

    @property
    def pending(self) -> Decimal:
        return sum((line.pending for line in self.lines), Decimal(0))

    @property
    def changes(self) -> Decimal:
        return sum((line.changes for line in self.lines), Decimal(0))

    @property
    def pending_changes(self) -> Decimal:
        return sum((line.pending_changes for line in self.lines), Decimal(0))

    @property
    def revised_total(self) -> Decimal:
        """The project's total budget following the approved changes (transfers net out)."""
        return self.total_budget + self.changes


@dataclass(frozen=True)
class BudgetUsed:
    """How much of the budget is used, against both bases, so every surface shows (and
    names) the same two figures: None where the base is zero."""

    of_total: Decimal | None  # spent / the project's total budget
    of_allocated: Decimal | None  # spent / what the budget lines allocate


def budget_used(spent: Decimal, *, total_budget: Decimal, allocated: Decimal) -> BudgetUsed:
    return BudgetUsed(
        of_total=spent / total_budget if total_budget > 0 else None,
        of_allocated=spent / allocated if allocated > 0 else None,
    )


@dataclass(frozen=True)
class LineAlert:
    """A budget line crossed `percent` % of its allocation."""

    line_name: str
    percent: int
    spent: Decimal
    allocated: Decimal


@dataclass(frozen=True)
class Outcome:
    """What a change did and what the command channel should be told."""

    id: int
    amount: Decimal
    label: str  # the budget line's or funding source's name
    line_alerts: list[LineAlert] = field(default_factory=list)
    runway_alert: Liquidity | None = None
    # Fund use waiting for approval: the role it waits for and who was asked.
    pending_role: Role | None = None
    approvers: list[str] = field(default_factory=list)
    # The line after the entry, and the tolerance level it reached (a warning to show).
    line: LineStatus | None = None
    level: LineLevel = LineLevel.OK
    findings: list[Finding] = field(default_factory=list)


class NeedsReason(UserError):
    """The checks at entry found something the reporter must confirm with a reason; nothing
    was saved. `errors` says, per modal field, what was found."""

    def __init__(self, findings: list[Finding], errors: dict[str, Msg]) -> None:
        super().__init__(next(iter(errors.values())))
        self.findings = findings
        self.errors = errors


@dataclass(frozen=True)
class EntryRow:
    id: int
    spent_on: dt.date
    amount: Decimal
    line_name: str
    department_id: int | None
    purpose: str
    reference: str
    reporter: str


@dataclass(frozen=True)
class Entries:
    entries: list[EntryRow]
    total: Decimal


@dataclass(frozen=True)
class WeekUse:
    this_week: Decimal
    to_date: Decimal
    allocated: Decimal  # revised: original + approved changes
    total_budget: Decimal  # the project's, following approved changes
    pending: Decimal = Decimal(0)  # waiting for approval, not in `to_date`


# -- dates and people ------------------------------------------------------------------------


def project_today(project: Project, now: dt.datetime) -> dt.date:
    """Today's date in the project's timezone (`bot.periods.today_in`)."""
    return today_in(project.timezone, now)


def project_began(project: Project) -> dt.date:
    """The first day fund use may be dated: the earlier of the day the project was created (in
    its timezone) and its report anchor, so money spent before set-up can still be recorded."""
    created = today_in(project.timezone, project.created_at)
    return min(created, project.report_anchor)


def managers(project: Project) -> list[str]:
    """Who may void entries and set up funding: the PMs and the finance department's lead."""
    people = list(project.pm_ids)
    for department in project.departments:
        if department.kind == DepartmentKind.FINANCE and department.lead_user_id:
            people.append(department.lead_user_id)
    return list(dict.fromkeys(people))


def require_manager(project: Project, user_id: str, what: Msg) -> None:
    if user_id not in managers(project):
        raise PermissionDenied(
            _(
                "Only the PMs and the finance lead can {what}: {people}. Ask one of them.",
                what=what,
                people=", ".join(f"<@{u}>" for u in managers(project)),
            )
        )


def require_member(uow: UnitOfWork, project: Project, user_id: str) -> None:
    """Fund use is recorded by the project's people: PMs, department leads and members."""
    membership.require_member(
        uow,
        project,
        user_id,
        _(
            "Only members of this project's departments can record fund use. Ask a PM to add you: {pms}.",
            pms=", ".join(f"<@{u}>" for u in project.pm_ids),
        ),
    )


def project_of(uow: UnitOfWork, team_id: str, project_id: int) -> Project:
    """The project, or `NotFound`."""
    project = uow.projects.get(team_id, project_id)
    if project is None:
        raise NotFound(_("That project no longer exists."))
    return project


def _text(value: str | None) -> str:
    return (value or "").strip()


def _check_date(
    value: str | None, project: Project, today: dt.date, errors: dict[str, Msg], key: str
) -> dt.date | None:
    text = _text(value)
    if not text:
        errors[key] = _("This field is required.")
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        errors[key] = _("Give a date as YYYY-MM-DD.")
        return None
    if day > today:
        errors[key] = _(
            "The date cannot be in the future (today is {today} in the project's time zone).",
            today=today.isoformat(),
        )
    elif day < project_began(project):
        errors[key] = _(
            "The date is before the project began ({began}).",
            began=project_began(project).isoformat(),
        )
    return day


def _check_amount(
    value: str | None, currency: str, errors: dict[str, Msg], key: str
) -> Decimal | None:
    text = _text(value)
    if not text:
        errors[key] = _("This field is required.")
        return None
    try:
        return parse_amount(text, currency)
    except UserError as error:
        errors[key] = error.message
        return None


def _entry_snapshot(entry: FundEntry) -> dict[str, Any]:
    return {
        "budget_line_id": entry.budget_line_id,
        "amount": str(entry.amount),
        "spent_on": entry.spent_on.isoformat(),
        "purpose": entry.purpose,
        "reference": entry.reference,
        "reporter": entry.reporter,
        "voided_at": entry.voided_at.isoformat() if entry.voided_at else None,
        "voided_by": entry.voided_by,
        "void_reason": entry.void_reason,
        "status": entry.status,
        "approval_role": entry.approval_role,
        "checks": entry.checks,
        "check_reason": entry.check_reason,
    }


# -- changes ---------------------------------------------------------------------------------


def record_entry(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    form: FundUseForm,
    now: dt.datetime,
) -> Outcome:
    """Record fund use and update its line's running total in one transaction (committed).

    Raises `FieldErrors` (nothing saved) for bad input, `PermissionDenied` for an outsider.
    The outcome lists each threshold (90, 100 %) the line crossed for the first time — each
    is reported once per line, even under concurrent entries — and the liquidity when the
    runway has just fallen below the project's threshold.
    """
    project = project_of(uow, team_id, project_id)
    require_member(uow, project, user_id)
    today = project_today(project, now)
    errors: dict[str, Msg] = {}
    line: BudgetLine | None = None
    if not _text(form.line):
        errors[FundField.LINE] = _("Choose a budget line.")
    elif not _text(form.line).isdigit():
        errors[FundField.LINE] = _("Choose a budget line from the list.")
    else:
        line = uow.funds.lock_line(project.id, int(_text(form.line)))
        if line is None:
            errors[FundField.LINE] = _("That budget line no longer exists. Choose another.")
    amount = _check_amount(form.amount, project.currency, errors, FundField.AMOUNT)
    day = _check_date(form.date, project, today, errors, FundField.DATE)
    purpose = _text(form.purpose)
    if not purpose:
        errors[FundField.PURPOSE] = _("This field is required.")
    elif len(purpose) > 2000:
        errors[FundField.PURPOSE] = _("Keep the purpose under 2,000 characters.")
    reference = _text(form.reference)
    if not reference:
        errors[FundField.REFERENCE] = _("Give the invoice or contract number.")
    elif len(reference) > 100:
        errors[FundField.REFERENCE] = _("Keep the reference under 100 characters.")
    reason = _text(form.reason)
    if len(reason) > 2000:
        errors[FundField.REASON] = _("Keep the reason under 2,000 characters.")
    if errors:
        raise FieldErrors(errors)
    assert line is not None and amount is not None and day is not None

    policy = fund_policy.policy_of(uow, project.id)
    revised = line.allocated + line.changes
    level = fund_policy.line_level(line.spent + line.pending + amount, revised, policy)
    findings = _checks(uow, project, policy, line, amount, day, reference, user_id, level)
    confirm = [f for f in findings if f.needs_reason]
    if confirm and not reason:
        shown: dict[str, Msg] = {}
        for finding in findings:
            shown.setdefault(
                finding.field,
                fund_checks.message(
                    finding, currency=project.currency, block_percent=policy.block_percent
                ),
            )
        raise NeedsReason(findings, shown)
    role = fund_policy.role_for_amount(amount, policy)
    if level >= LineLevel.APPROVE:
        role = fund_policy.higher(role, Role.FINANCE)
    for finding in findings:
        role = fund_policy.higher(role, finding.route_to)
    people: list[str] = []
    if role is not None:
        found = fund_policy.approvers(project, policy, role, reporter=user_id, today=today)
        if found is None:
            raise UserError(
                _(
                    "This entry needs an approval and nobody but you can give it. A PM can add another PM or name a delegate in `/funds policy`."
                )
            )
        role, people = found

    entry = FundEntry(
        project_id=project.id,
        budget_line_id=line.id,
        amount=amount,
        spent_on=day,
        purpose=purpose,
        reference=reference,
        reporter=user_id,
        created_at=now,
        status=EntryStatus.PENDING if role else EntryStatus.POSTED,
        approval_role=role,
        checks=",".join(f.kind.value for f in findings),
        check_reason=reason or None,
    )
    uow.funds.add_entry(entry)
    alerts: list[LineAlert] = []
    if role is None:
        line.spent = line.spent + amount
        uow.funds.add_to_day(project.id, day, amount)
        alerts = _crossed(line)
    else:
        line.pending = line.pending + amount
    uow.flush()
    uow.audit(
        team_id=team_id,
        project_id=project.id,
        actor=user_id,
        action="create",
        entity="fund_entry",
        entity_id=entry.id,
        after={
            **_entry_snapshot(entry),
            "line_spent": str(line.spent),
            "line_pending": str(line.pending),
        },
        at=now,
    )
    runway = check_runway(uow, project, today, now=now) if role is None else None
    uow.commit()
    return Outcome(
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
    line: BudgetLine,
    amount: Decimal,
    day: dt.date,
    reference: str,
    reporter: str,
    level: LineLevel,
) -> list[Finding]:
    """Run every check at entry against the few entries each needs (indexed queries)."""
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


def _crossed(line: BudgetLine) -> list[LineAlert]:
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
) -> Outcome:
    """Mark an entry void (who, when, why) and take it off its line's total (committed).

    Only PMs and the finance lead; an unknown id is `NotFound`; a second void, or no
    reason, is a `UserError`.
    """
    project = project_of(uow, team_id, project_id)
    require_manager(project, user_id, _("void fund-use entries"))
    reason = reason.strip()
    if not reason:
        raise UserError(
            _("Say why: `/funds void {id} <reason>`, e.g. duplicate invoice.", id=entry_id)
        )
    entry = uow.funds.lock_entry(project.id, entry_id)
    if entry is None:
        raise NotFound(_("There is no fund-use entry #{id} in this project.", id=entry_id))
    if entry.voided_at is not None:
        raise UserError(
            _(
                "Entry #{id} was already voided by <@{user}>: {reason}",
                id=entry_id,
                user=entry.voided_by,
                reason=entry.void_reason,
            )
        )
    line = uow.funds.lock_line(project.id, entry.budget_line_id)
    assert line is not None
    before = {**_entry_snapshot(entry), "line_spent": str(line.spent)}
    entry.voided_at = now
    entry.voided_by = user_id
    entry.void_reason = reason[:2000]
    if entry.status == EntryStatus.POSTED:
        line.spent = line.spent - entry.amount
        uow.funds.add_to_day(project.id, entry.spent_on, -entry.amount)
    elif entry.status == EntryStatus.PENDING:  # withdrawn before anybody decided
        line.pending = line.pending - entry.amount
    uow.audit(
        team_id=team_id,
        project_id=project.id,
        actor=user_id,
        action="void",
        entity="fund_entry",
        entity_id=entry.id,
        before=before,
        after={**_entry_snapshot(entry), "line_spent": str(line.spent)},
        at=now,
    )
    runway = check_runway(uow, project, project_today(project, now), now=now)
    uow.commit()
    return Outcome(entry.id, entry.amount, line.name, [], runway)


def save_source(
    uow: UnitOfWork, *, team_id: str, project_id: int, user_id: str, form: SourceForm
) -> tuple[int, bool]:
    """Add a funding source, or change the kind and commitment of the one with that name.

    Returns (source id, created). PMs and the finance lead only; a commitment below what
    was already drawn is a field error.
    """
    project = project_of(uow, team_id, project_id)
    require_manager(project, user_id, _("set up funding sources"))
    errors: dict[str, Msg] = {}
    name = _text(form.source_name)
    if not name:
        errors[SourceField.NAME] = _("This field is required.")
    elif len(name) > 100:
        errors[SourceField.NAME] = _("Keep the name under 100 characters.")
    kind = _text(form.source_kind)
    if kind not in set(FundingKind):
        errors[SourceField.KIND] = _("Choose a kind of funding.")
    committed = _check_amount(form.committed, project.currency, errors, SourceField.COMMITTED)
    existing = uow.funds.source_named(project.id, name) if name else None
    if existing is not None and committed is not None and committed < existing.drawn:
        errors[SourceField.COMMITTED] = _(
            "{drawn} is already drawn from this source; the commitment cannot be less.",
            drawn=Amount(existing.drawn, project.currency),
        )
    if errors:
        raise FieldErrors(errors)
    assert committed is not None
    if existing is None:
        source = FundingSource(
            project_id=project.id,
            name=name,
            kind=kind,
            committed=committed,
            drawn=Decimal(0),
            created_at=uow.now(),
        )
        uow.funds.add_source(source)
        before = None
    else:
        source = existing
        before = {"name": source.name, "kind": source.kind, "committed": str(source.committed)}
        source.kind, source.committed = kind, committed
    uow.flush()
    uow.audit(
        team_id=team_id,
        project_id=project.id,
        actor=user_id,
        action="create" if existing is None else "update",
        entity="funding_source",
        entity_id=source.id,
        before=before,
        after={"name": source.name, "kind": source.kind, "committed": str(source.committed)},
    )
    uow.commit()
    return source.id, existing is None


def record_drawdown(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    form: DrawdownForm,
    now: dt.datetime,
) -> Outcome:
    """Record a drawdown and add it to its source's `drawn` in one transaction (committed).

    PMs and the finance lead only; more than the undrawn commitment is a field error.
    """
    project = project_of(uow, team_id, project_id)
    require_manager(project, user_id, _("record drawdowns"))
    today = project_today(project, now)
    errors: dict[str, Msg] = {}
    source: FundingSource | None = None
    if not _text(form.source).isdigit():
        errors[DrawdownField.SOURCE] = _("Choose a funding source.")
    else:
        source = uow.funds.lock_source(project.id, int(_text(form.source)))
        if source is None:
            errors[DrawdownField.SOURCE] = _("That funding source no longer exists.")
    amount = _check_amount(form.amount, project.currency, errors, DrawdownField.AMOUNT)
    day = _check_date(form.date, project, today, errors, DrawdownField.DATE)
    reference = _text(form.reference)
    if len(reference) > 100:
        errors[DrawdownField.REFERENCE] = _("Keep the reference under 100 characters.")
    if source is not None and amount is not None and amount > (source.committed - source.drawn):
        errors[DrawdownField.AMOUNT] = _(
            "Only {undrawn} of this source's commitment is undrawn.",
            undrawn=Amount(source.committed - source.drawn, project.currency),
        )
    if errors:
        raise FieldErrors(errors)
    assert source is not None and amount is not None and day is not None
    drawdown = Drawdown(
        project_id=project.id,
        source_id=source.id,
        amount=amount,
        drawn_on=day,
        reference=reference,
        recorded_by=user_id,
        created_at=now,
    )
    uow.funds.add_drawdown(drawdown)
    before = {"drawn": str(source.drawn)}
    source.drawn = source.drawn + amount
    uow.flush()
    uow.audit(
        team_id=team_id,
        project_id=project.id,
        actor=user_id,
        action="create",
        entity="drawdown",
        entity_id=drawdown.id,
        before=before,
        after={
            "source_id": source.id,
            "amount": str(amount),
            "drawn_on": day.isoformat(),
            "reference": reference,
            "drawn": str(source.drawn),
        },
    )
    runway = check_runway(uow, project, today, now=now)
    uow.commit()
    return Outcome(drawdown.id, amount, source.name, [], runway)


def check_runway(
    uow: UnitOfWork, project: Project, today: dt.date, *, now: dt.datetime
) -> Liquidity | None:
    """Decide, under the project's runway-alert lock, whether the runway has just fallen below
    the threshold: returns the liquidity to alert about once per crossing (the state re-arms
    when the runway recovers). The caller commits."""
    state = uow.funds.lock_runway_alert(project.id, now=now)
    current = liquidity(uow, project, today)
    below = current.below_threshold
    if below == state.below:
        return None
    state.below, state.changed_at = below, now
    return current if below else None


def rearm_runway_alert(uow: UnitOfWork, project: Project, *, now: dt.datetime) -> None:
    """Forget that a runway crossing was alerted. For loads that record fund use through
    these services without posting the alerts they return (the demo): the next
    `runway_check` then warns once if the project starts below its threshold. The caller
    commits."""
    state = uow.funds.lock_runway_alert(project.id, now=now)
    state.below, state.changed_at = False, now


# -- reading ---------------------------------------------------------------------------------


def liquidity(uow: UnitOfWork, project: Project, today: dt.date) -> Liquidity:
    """Committed / drawn per source, cash on hand, undrawn, and the burn of the four weeks
    ending `today`: a few rows per source and line plus at most 28 daily totals."""
    sources = [
        SourceStatus(s.id, s.name, s.kind, s.committed, s.drawn)
        for s in uow.funds.sources(project.id)
    ]
    spent = sum((line.spent for line in uow.funds.lines(project.id)), Decimal(0))
    start = today - dt.timedelta(days=7 * BURN_WEEKS - 1)
    burn = uow.funds.spent_between(project.id, start, today)
    return Liquidity(sources, spent, burn, project.runway_threshold_weeks)


def summary(uow: UnitOfWork, *, team_id: str, project_id: int, today: dt.date) -> Summary:
    """Budget vs actual per line (voids excluded) and the project's liquidity."""
    project = project_of(uow, team_id, project_id)
    lines = [LineStatus.of(line) for line in uow.funds.lines(project.id)]
    return Summary(lines, liquidity(uow, project, today), project.total_budget)


def lines(uow: UnitOfWork, project_id: int) -> list[LineStatus]:
    """The project's budget lines with their running totals, in creation order."""
    return [LineStatus.of(line) for line in uow.funds.lines(project_id)]


def lines_over(uow: UnitOfWork, project_id: int, percent: int = WARN_PERCENT) -> list[LineStatus]:
    """Budget lines whose fund use is at least `percent` % of their allocation (the meeting
    agenda), most used first."""
    found = [
        LineStatus.of(line)
        for line in uow.funds.lines(project_id)
        if reaches(line.spent, line.allocated + line.changes, percent)
    ]
    return sorted(
        found, key=lambda s: s.ratio if s.ratio is not None else Decimal(10**9), reverse=True
    )


def entries_between(
    uow: UnitOfWork,
    project_id: int,
    start: dt.date,
    end: dt.date,
    *,
    department_id: int | None = None,
) -> Entries:
    """Non-void entries dated `start`..`end` (inclusive), optionally only those on budget
    lines of `department_id`, oldest first, with their total (the fortnightly report)."""
    rows = [
        EntryRow(
            e.id,
            e.spent_on,
            e.amount,
            line.name,
            line.department_id,
            e.purpose,
            e.reference,
            e.reporter,
        )
        for e, line in uow.funds.entries_between(
            project_id, start, end, department_id=department_id
        )
    ]
    return Entries(rows, sum((r.amount for r in rows), Decimal(0)))


def week_use(uow: UnitOfWork, project: Project, week_start: dt.date, today: dt.date) -> WeekUse:
    """Fund use from `week_start` to `today`, to date, and the budget (the weekly digest)."""
    lines = uow.funds.lines(project.id)
    return WeekUse(
        this_week=uow.funds.spent_between(project.id, week_start, today),
        to_date=sum((line.spent for line in lines), Decimal(0)),
        allocated=sum((line.allocated + line.changes for line in lines), Decimal(0)),
        total_budget=project.total_budget + sum((line.changes for line in lines), Decimal(0)),
        pending=sum((line.pending for line in lines), Decimal(0)),
    )
