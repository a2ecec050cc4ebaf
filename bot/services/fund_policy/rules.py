"""The policy's rules: the level an entry needs, and who approves it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Final

from storage.models import DepartmentKind, Project
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
    """A project's fund policy; a `FundPolicy` row has a column of each name."""

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
    return Policy(**{f.name: getattr(row, f.name) for f in fields(Policy)})


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
