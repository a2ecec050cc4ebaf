"""Checks at entry: each a pure function of the new entry and the entries it is compared
with, so each is tested on its own; `bot.services.funds.record_entry` runs them all.

- a duplicate reference (invoice / contract no.) on the project;
- the same amount on the same line and day;
- a split payment: one reporter's entries on one line within a short window add up past an
  approval threshold while each stays under it (routed to that approval);
- the line is closed, or the entry takes it over its block level (a PM must approve).

All but the split need the reporter to give a reason to go on; the reason is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bot.i18n import Amount, Msg, _
from bot.services.fund_policy import ROLES, LineLevel, Policy, Role


class CheckKind(StrEnum):
    DUPLICATE_REFERENCE = "duplicate_reference"
    SAME_AMOUNT_DAY = "same_amount_day"
    SPLIT_PAYMENT = "split_payment"
    LINE_CLOSED = "line_closed"
    OVER_BLOCK = "over_block"


@dataclass(frozen=True)
class Seen:
    """An existing live (not void, not rejected) entry, as the checks see it."""

    id: int
    line_id: int
    amount: Decimal
    spent_on: dt.date
    reference: str
    reporter: str


@dataclass(frozen=True)
class Finding:
    kind: CheckKind
    field: str  # the fund-use modal's field it is about
    entry_ids: tuple[int, ...] = ()
    route_to: Role | None = None  # the approval it needs, if any
    total: Decimal | None = None  # a split payment's sum

    @property
    def needs_reason(self) -> bool:
        return self.kind != CheckKind.SPLIT_PAYMENT


def duplicate_reference(reference: str, seen: Sequence[Seen]) -> Finding | None:
    same = tuple(s.id for s in seen if s.reference.strip().casefold() == reference.casefold())
    return Finding(CheckKind.DUPLICATE_REFERENCE, "reference", same) if same else None


def same_amount_day(
    amount: Decimal, line_id: int, day: dt.date, seen: Sequence[Seen]
) -> Finding | None:
    same = tuple(
        s.id for s in seen if s.line_id == line_id and s.spent_on == day and s.amount == amount
    )
    return Finding(CheckKind.SAME_AMOUNT_DAY, "amount", same) if same else None


def split_payment(
    amount: Decimal,
    line_id: int,
    reporter: str,
    day: dt.date,
    seen: Sequence[Seen],
    policy: Policy,
) -> Finding | None:
    """The highest threshold that this entry and the reporter's others on the line within
    `policy.split_days` days (dated up to `day`) pass together while each stays under it."""
    start = day - dt.timedelta(days=policy.split_days - 1)
    recent = [
        s
        for s in seen
        if s.line_id == line_id and s.reporter == reporter and start <= s.spent_on <= day
    ]
    if not recent:
        return None
    total = amount + sum((s.amount for s in recent), Decimal(0))
    found: Finding | None = None
    for role in ROLES:
        limit = policy.threshold(role)
        if limit is None or amount >= limit or any(s.amount >= limit for s in recent):
            continue
        if total >= limit:
            found = Finding(
                CheckKind.SPLIT_PAYMENT,
                "amount",
                tuple(s.id for s in recent),
                route_to=role,
                total=total,
            )
    return found


def line_state(closed: bool, level: LineLevel) -> Finding | None:
    if closed:
        return Finding(CheckKind.LINE_CLOSED, "line", route_to=Role.PM)
    if level == LineLevel.BLOCK:
        return Finding(CheckKind.OVER_BLOCK, "line", route_to=Role.PM)
    return None


def _ids(ids: Sequence[int]) -> str:
    return ", ".join(f"#{i}" for i in ids)


def message(finding: Finding, *, currency: str, block_percent: int | None = None) -> Msg:
    """What the reporter reads about a finding (on the field it is about)."""
    if finding.kind == CheckKind.DUPLICATE_REFERENCE:
        return _(
            "This reference is already on entry {ids}. A duplicate invoice? Give a reason below to record it anyway.",
            ids=_ids(finding.entry_ids),
        )
    if finding.kind == CheckKind.SAME_AMOUNT_DAY:
        return _(
            "Entry {ids} has the same amount, line and day. Give a reason below to record it anyway.",
            ids=_ids(finding.entry_ids),
        )
    if finding.kind == CheckKind.SPLIT_PAYMENT:
        return _(
            "With your entries {ids} on this line this makes {total}, over an approval threshold: it goes to approval.",
            ids=_ids(finding.entry_ids),
            total=Amount(finding.total or Decimal(0), currency),
        )
    if finding.kind == CheckKind.LINE_CLOSED:
        return _("This budget line is closed. Give a reason below and a PM must approve it.")
    return _(
        "This takes the line over its block level ({percent}% of its revised allocation). Give a reason below and a PM must approve it.",
        percent=block_percent or 0,
    )
