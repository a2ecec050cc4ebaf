"""The `/funds policy` form: checking it, showing it, and saving the policy."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import fields
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

from bot.errors import FieldErrors
from bot.forms import Form, check_date, stripped, whole_in
from bot.i18n import Amount, Msg, _
from bot.money import parse_amount
from bot.services import membership
from bot.services.fund_policy.rules import DEFAULTS, MAX_PERCENT, Policy, policy_of
from bot.services.project_rows import audit_in
from bot.services.projects import pm_project
from storage.models import FundPolicy
from storage.uow import UnitOfWork


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


P = PolicyField


_PERCENTS: Final = (P.WARN_PERCENT, P.APPROVE_PERCENT, P.BLOCK_PERCENT)


_WHOLE: Final[dict[PolicyField, tuple[int, int]]] = {
    P.NUDGE_HOURS: (1, 7 * 24),
    P.SPLIT_DAYS: (1, 31),
}


def _blank(text: str | None) -> bool:
    return stripped(text).lower() in ("", "off", "-", "关")


def _thresholds(
    form: Form[PolicyField], currency: str, total_budget: Decimal, errors: dict[str, Msg]
) -> tuple[Decimal | None, Decimal | None]:
    """The finance lead's and the PM's thresholds: positive, within the budget, ascending."""
    amounts: dict[str, Decimal | None] = {}
    for field in (P.FINANCE_FROM, P.PM_FROM):
        text = form.text(field)
        amounts[field] = None
        if _blank(text):
            continue
        if stripped(text).startswith(("-", "−")):
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
                total=Amount(total_budget, currency),
            )
            continue
        amounts[field] = amount
    finance, pm = amounts[P.FINANCE_FROM], amounts[P.PM_FROM]
    if finance is not None and pm is not None and pm <= finance:
        errors[P.PM_FROM] = _(
            "The PM's threshold must be above the finance lead's ({amount}): approvals go up.",
            amount=Amount(finance, currency),
        )
    return finance, pm


def _levels(form: Form[PolicyField], errors: dict[str, Msg]) -> dict[str, int | None]:
    """The tolerance levels: whole percents, ascending."""
    percents: dict[str, int | None] = {}
    for field in _PERCENTS:
        text = stripped(form.text(field)).rstrip("%％").strip()
        percents[field] = None
        if _blank(text):
            continue
        percents[field] = whole_in(text, 1, MAX_PERCENT)
        if percents[field] is None:
            errors[field] = _(
                "Type a whole percent from 1 to {max}, or leave it empty to turn it off.",
                max=MAX_PERCENT,
            )
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
    form: Form[PolicyField], today: dt.date, errors: dict[str, Msg]
) -> tuple[dict[str, int], dt.date | None]:
    """The whole-number settings, and the delegation's last day (not past)."""
    whole: dict[str, int] = {}
    for whole_field, (low_n, high_n) in _WHOLE.items():
        number = whole_in(stripped(form.text(whole_field)), low_n, high_n)
        if number is None:
            errors[whole_field] = _(
                "Type a whole number from {low} to {high}.", low=low_n, high=high_n
            )
        else:
            whole[whole_field] = number
    until: dt.date | None = None
    if form.text(P.DELEGATE_UNTIL):
        until = check_date(form, P.DELEGATE_UNTIL, errors)
        if until is not None and until < today:
            errors[P.DELEGATE_UNTIL] = _("That day is past. Choose today or later.")
    return whole, until


def validate_policy(
    form: Form[PolicyField], *, currency: str, total_budget: Decimal, today: dt.date
) -> tuple[Policy, dict[str, Msg]]:
    """Check every field (pure): thresholds positive, at most the project's total budget and
    ascending by role; levels whole percents, ascending; the delegation's end not past."""
    errors: dict[str, Msg] = {}
    finance, pm = _thresholds(form, currency, total_budget, errors)
    percents = _levels(form, errors)
    whole, until = _whole_and_delegation(form, today, errors)
    delegate = form.text(P.DELEGATE) or None
    policy = Policy(
        finance_from=finance,
        pm_from=pm,
        warn_percent=percents[P.WARN_PERCENT],
        approve_percent=percents[P.APPROVE_PERCENT],
        block_percent=percents[P.BLOCK_PERCENT],
        nudge_hours=whole.get(P.NUDGE_HOURS, DEFAULTS.nudge_hours),
        split_days=whole.get(P.SPLIT_DAYS, DEFAULTS.split_days),
        duplicate_checks=form.flag(P.DUPLICATE_CHECKS),
        delegate_id=delegate,
        delegate_until=until if delegate else None,
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


def form_of(policy: Policy) -> Form[PolicyField]:
    """The policy modal's values for `policy` (an empty threshold or level is off)."""
    return Form.of(
        PolicyField,
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
) -> tuple[Form[PolicyField], str]:
    """The policy modal's starting values and the project's currency; PMs only."""
    project = pm_project(uow, team_id, project_id, user_id)
    return form_of(policy_of(uow, project_id)), project.currency


def save_policy(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    form: Form[PolicyField],
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
    audit_in(
        uow, project, user_id, "update", "fund_policy", project_id, before, snapshot(policy), at=now
    )
    uow.commit()
    return policy


def set_policy(uow: UnitOfWork, project_id: int, policy: Policy, *, now: dt.datetime) -> None:
    """Write the project's policy row (the caller commits)."""
    row = uow.control.policy(project_id)
    if row is None:
        row = FundPolicy(project_id=project_id)
        uow.control.add_policy(row)
    for field in fields(Policy):
        setattr(row, field.name, getattr(policy, field.name))
    row.updated_at = now
