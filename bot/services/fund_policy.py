"""A project's approval policy: amount thresholds by role, a budget line's graded tolerance
(warn / require approval / block), reminders, and who approves what (four eyes, delegation).

Pure parts (validation, the level an entry needs, who may approve) take plain values;
`policy_of` / `save_policy` read and write the project's row.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Any, Final

from pydantic import BaseModel

from bot.errors import FieldErrors
from bot.i18n import Msg, _
from bot.money import parse_amount
from bot.services import membership
from bot.services.projects import pm_project
from storage.models import DepartmentKind, FundPolicy, Project
from storage.uow import UnitOfWork


class Role(StrEnum):
    """Who approves, lowest first: the finance department's lead, then the PMs."""

    FINANCE = "finance"
    PM = "pm"


ROLES: Final = (Role.FINANCE, Role.PM)


class LineLevel(IntEnum):
    """What a line's tolerance says about an entry, in increasing severity."""

    OK = 0
    WARN = 1
    APPROVE = 2
    BLOCK = 3


@dataclass(frozen=True)
class Policy:
    finance_from: Decimal | None
    pm_from: Decimal | None
    warn_percent: int | None
    approve_percent: int | None
    block_percent: int | None
    nudge_hours: int = 24
    split_days: int = 7
    duplicate_checks: bool = True
    delegate_id: str | None = None
    delegate_until: dt.date | None = None

    def threshold(self, role: Role) -> Decimal | None:
        return self.finance_from if role == Role.FINANCE else self.pm_from

    def delegate_on(self, today: dt.date) -> str | None:
        """The PMs' delegate, while the delegation lasts."""
        if self.delegate_id and (self.delegate_until is None or today <= self.delegate_until):
            return self.delegate_id
        return None


# New projects, and existing ones through migration 0020: the finance lead approves from
# 50万, a PM from 500万 (in the project's currency); a line warns above 90 % of its revised
# allocation, needs approval above 100 % and is blocked above 110 %.
DEFAULTS: Final = Policy(
    finance_from=Decimal("500000"),
    pm_from=Decimal("5000000"),
    warn_percent=90,
    approve_percent=100,
    block_percent=110,
)
# Everything off: no approvals, no line tolerance, no duplicate checks.
OFF: Final = Policy(None, None, None, None, None, duplicate_checks=False)
MAX_PERCENT: Final = 1000


def policy_of(uow: UnitOfWork, project_id: int) -> Policy:
    """The project's policy (`DEFAULTS` when it never saved one)."""
    row = uow.control.policy(project_id)
    if row is None:
        return DEFAULTS
    return Policy(
        finance_from=row.finance_from,
        pm_from=row.pm_from,
        warn_percent=row.warn_percent,
        approve_percent=row.approve_percent,
        block_percent=row.block_percent,
        nudge_hours=row.nudge_hours,
        split_days=row.split_days,
        duplicate_checks=row.duplicate_checks,
        delegate_id=row.delegate_id,
        delegate_until=row.delegate_until,
    )


# -- the level an entry needs (pure) ---------------------------------------------------------


def role_for_amount(amount: Decimal, policy: Policy) -> Role | None:
    """The highest role whose amount threshold `amount` reaches ("from ¥50万": ≥)."""
    found = None
    for role in ROLES:
        limit = policy.threshold(role)
        if limit is not None and amount >= limit:
            found = role
    return found


def line_level(projected: Decimal, revised: Decimal, policy: Policy) -> LineLevel:
    """The tolerance level a line's projected use (spent + pending + this entry) exceeds, in
    % of its revised allocation; with nothing allocated any use exceeds every level."""
    level = LineLevel.OK
    for percent, result in (
        (policy.warn_percent, LineLevel.WARN),
        (policy.approve_percent, LineLevel.APPROVE),
        (policy.block_percent, LineLevel.BLOCK),
    ):
        if percent is not None and projected > 0 and projected * 100 > revised * percent:
            level = result
    return level


def higher(a: Role | None, b: Role | None) -> Role | None:
    if a is None or b is None:
        return a or b
    return a if ROLES.index(a) >= ROLES.index(b) else b


# -- who approves (pure) ---------------------------------------------------------------------


def holders(project: Project, policy: Policy, role: Role, today: dt.date) -> list[str]:
    """Who holds `role` today: the finance lead; or the PMs and their delegate."""
    if role == Role.FINANCE:
        return [
            d.lead_user_id
            for d in project.departments
            if d.kind == DepartmentKind.FINANCE and d.lead_user_id
        ]
    people = list(project.pm_ids)
    delegate = policy.delegate_on(today)
    if delegate:
        people.append(delegate)
    return list(dict.fromkeys(people))


def approvers(
    project: Project, policy: Policy, role: Role, *, reporter: str, today: dt.date
) -> tuple[Role, list[str]] | None:
    """The first role from `role` up with somebody other than the reporter (four eyes),
    and those people; None when nobody but the reporter could approve."""
    for candidate in ROLES[ROLES.index(role) :]:
        people = [u for u in holders(project, policy, candidate, today) if u != reporter]
        if people:
            return candidate, people
    return None


def may_approve(
    project: Project, policy: Policy, role: Role, *, user_id: str, reporter: str, today: dt.date
) -> bool:
    """Whether `user_id` may decide something waiting at `role`: never the reporter; anyone
    holding that role or a higher one today."""
    if user_id == reporter:
        return False
    return any(user_id in holders(project, policy, r, today) for r in ROLES[ROLES.index(role) :])


# -- the policy screen ----------------------------------------------------------------------


class PolicyField(StrEnum):
    FINANCE_FROM = "finance_from"
    PM_FROM = "pm_from"
    WARN_PERCENT = "warn_percent"
    APPROVE_PERCENT = "approve_percent"
    BLOCK_PERCENT = "block_percent"
    NUDGE_HOURS = "nudge_hours"
    SPLIT_DAYS = "split_days"
    DUPLICATE_CHECKS = "duplicate_checks"
    DELEGATE = "delegate"
    DELEGATE_UNTIL = "delegate_until"


class PolicyForm(BaseModel):
    """What the policy modal submitted, as plain text; an empty threshold or level is off."""

    finance_from: str | None = None
    pm_from: str | None = None
    warn_percent: str | None = None
    approve_percent: str | None = None
    block_percent: str | None = None
    nudge_hours: str | None = None
    split_days: str | None = None
    duplicate_checks: list[str] | None = None
    delegate: str | None = None
    delegate_until: str | None = None


P = PolicyField
_PERCENTS: Final = (P.WARN_PERCENT, P.APPROVE_PERCENT, P.BLOCK_PERCENT)
_WHOLE: Final[dict[PolicyField, tuple[int, int]]] = {
    P.NUDGE_HOURS: (1, 7 * 24),
    P.SPLIT_DAYS: (1, 31),
}


def _blank(text: str | None) -> bool:
    return not (text or "").strip() or (text or "").strip().lower() in ("off", "-", "关")


def _thresholds(
    form: PolicyForm, currency: str, total_budget: Decimal, errors: dict[str, Msg]
) -> tuple[Decimal | None, Decimal | None]:
    """The finance lead's and the PM's thresholds: positive, within the budget, ascending."""
    amounts: dict[str, Decimal | None] = {}
    for field in (P.FINANCE_FROM, P.PM_FROM):
        text = getattr(form, field.value)
        amounts[field] = None
        if _blank(text):
            continue
        if (text or "").strip().startswith(("-", "−")):
            errors[field] = _("A threshold cannot be negative. Leave it empty to turn it off.")
            continue
        try:
            amount = parse_amount(text or "", currency)
        except Exception as error:  # UserError: not an amount, zero, too many decimals…
            errors[field] = getattr(error, "message", _("Type an amount, like 50万."))
            continue
        if total_budget > 0 and amount > total_budget:
            errors[field] = _(
                "That is more than the project's total budget ({total}): no entry would ever reach it.",
                total=f"{total_budget:,.2f} {currency}",
            )
            continue
        amounts[field] = amount
    finance, pm = amounts[P.FINANCE_FROM], amounts[P.PM_FROM]
    if finance is not None and pm is not None and pm <= finance:
        errors[P.PM_FROM] = _(
            "The PM's threshold must be above the finance lead's ({amount}): approvals go up.",
            amount=f"{finance:,.2f}",
        )
    return finance, pm


def _levels(form: PolicyForm, errors: dict[str, Msg]) -> dict[str, int | None]:
    """The tolerance levels: whole percents, ascending."""
    percents: dict[str, int | None] = {}
    for field in _PERCENTS:
        text = (getattr(form, field.value) or "").strip().rstrip("%％").strip()
        percents[field] = None
        if _blank(text):
            continue
        if not text.isdigit() or not 1 <= int(text) <= MAX_PERCENT:
            errors[field] = _(
                "Type a whole percent from 1 to {max}, or leave it empty to turn it off.",
                max=MAX_PERCENT,
            )
            continue
        percents[field] = int(text)
    given = [(f, percents[f]) for f in _PERCENTS if percents[f] is not None]
    for (_low_field, low), (high_field, high) in itertools.pairwise(given):
        assert low is not None and high is not None
        if high <= low and high_field not in errors:
            errors[high_field] = _(
                "Levels go up: warn < require approval < block. This one must be above {low}%.",
                low=low,
            )
    return percents


def _whole_and_delegation(
    form: PolicyForm, today: dt.date, errors: dict[str, Msg]
) -> tuple[dict[str, int], dt.date | None]:
    """The whole-number settings, and the delegation's last day (not past)."""
    whole: dict[str, int] = {}
    for whole_field, (low_n, high_n) in _WHOLE.items():
        text = (getattr(form, whole_field.value) or "").strip()
        if not text.isdigit() or not low_n <= int(text) <= high_n:
            errors[whole_field] = _(
                "Type a whole number from {low} to {high}.", low=low_n, high=high_n
            )
        else:
            whole[whole_field] = int(text)
    until: dt.date | None = None
    if form.delegate_until:
        try:
            until = dt.date.fromisoformat(form.delegate_until)
        except ValueError:
            errors[P.DELEGATE_UNTIL] = _("Give a date as YYYY-MM-DD.")
        else:
            if until < today:
                errors[P.DELEGATE_UNTIL] = _("That day is past. Choose today or later.")
    return whole, until


def validate_policy(
    form: PolicyForm, *, currency: str, total_budget: Decimal, today: dt.date
) -> tuple[Policy, dict[str, Msg]]:
    """Check every field (pure): thresholds positive, at most the project's total budget and
    ascending by role; levels whole percents, ascending; the delegation's end not past."""
    errors: dict[str, Msg] = {}
    finance, pm = _thresholds(form, currency, total_budget, errors)
    percents = _levels(form, errors)
    whole, until = _whole_and_delegation(form, today, errors)
    policy = Policy(
        finance_from=finance,
        pm_from=pm,
        warn_percent=percents[P.WARN_PERCENT],
        approve_percent=percents[P.APPROVE_PERCENT],
        block_percent=percents[P.BLOCK_PERCENT],
        nudge_hours=whole.get(P.NUDGE_HOURS, DEFAULTS.nudge_hours),
        split_days=whole.get(P.SPLIT_DAYS, DEFAULTS.split_days),
        duplicate_checks=bool(form.duplicate_checks),
        delegate_id=(form.delegate or None),
        delegate_until=until if form.delegate else None,
    )
    return policy, errors


def _text(value: Decimal | int | None) -> str | None:
    if value is None:
        return None
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def snapshot(policy: Policy) -> dict[str, Any]:
    return {
        "finance_from": _text(policy.finance_from),
        "pm_from": _text(policy.pm_from),
        "warn_percent": policy.warn_percent,
        "approve_percent": policy.approve_percent,
        "block_percent": policy.block_percent,
        "nudge_hours": policy.nudge_hours,
        "split_days": policy.split_days,
        "duplicate_checks": policy.duplicate_checks,
        "delegate_id": policy.delegate_id,
        "delegate_until": policy.delegate_until.isoformat() if policy.delegate_until else None,
    }


def form_of(policy: Policy) -> PolicyForm:
    return PolicyForm(
        finance_from=_text(policy.finance_from),
        pm_from=_text(policy.pm_from),
        warn_percent=_text(policy.warn_percent),
        approve_percent=_text(policy.approve_percent),
        block_percent=_text(policy.block_percent),
        nudge_hours=str(policy.nudge_hours),
        split_days=str(policy.split_days),
        duplicate_checks=["on"] if policy.duplicate_checks else [],
        delegate=policy.delegate_id,
        delegate_until=policy.delegate_until.isoformat() if policy.delegate_until else None,
    )


def policy_form(
    uow: UnitOfWork, *, team_id: str, project_id: int, user_id: str
) -> tuple[PolicyForm, str]:
    """The policy modal's starting values and the project's currency; PMs only."""
    project = pm_project(uow, team_id, project_id, user_id)
    return form_of(policy_of(uow, project_id)), project.currency


def save_policy(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    form: PolicyForm,
    now: dt.datetime,
    today: dt.date,
) -> Policy:
    """Store the policy (PMs only), audited; `FieldErrors` (nothing saved) on bad input."""
    project = pm_project(uow, team_id, project_id, user_id)
    policy, errors = validate_policy(
        form, currency=project.currency, total_budget=project.total_budget, today=today
    )
    if policy.delegate_id and not membership.is_member(uow, project, policy.delegate_id):
        errors[P.DELEGATE] = _(
            "The delegate must be one of the project's people (a PM, lead or member)."
        )
    if errors:
        raise FieldErrors(errors)
    before = snapshot(policy_of(uow, project_id))
    set_policy(uow, project_id, policy, now=now)
    uow.audit(
        team_id=team_id,
        project_id=project_id,
        actor=user_id,
        action="update",
        entity="fund_policy",
        entity_id=project_id,
        before=before,
        after=snapshot(policy),
        at=now,
    )
    uow.commit()
    return policy


def set_policy(uow: UnitOfWork, project_id: int, policy: Policy, *, now: dt.datetime) -> None:
    """Write the project's policy row (the caller commits)."""
    row = uow.control.policy(project_id)
    if row is None:
        row = FundPolicy(project_id=project_id)
        uow.control.add_policy(row)
    for key in snapshot(policy):
        setattr(row, key, getattr(policy, key))
    row.updated_at = now
