"""The checks at entry and the policy's pure parts, each on its own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bot.forms import Form
from bot.services import fund_checks as checks
from bot.services.fund_checks import CheckKind, Seen
from bot.services.fund_policy import (
    DEFAULTS,
    OFF,
    LineLevel,
    PolicyField,
    Role,
    line_level,
    role_for_amount,
    validate_policy,
)

DAY = dt.date(2026, 11, 27)


def seen(id_: int, amount: str, *, line: int = 1, day: dt.date = DAY, ref: str = "INV-1",
         who: str = "U1") -> Seen:  # fmt: skip
    return Seen(id_, line, Decimal(amount), day, ref, who)


def test_duplicate_reference() -> None:
    assert checks.duplicate_reference("INV-9", [seen(1, "5")]) is None
    found = checks.duplicate_reference("inv-1", [seen(1, "5"), seen(2, "6", ref="INV-2")])
    assert found is not None and found.kind == CheckKind.DUPLICATE_REFERENCE
    assert found.entry_ids == (1,) and found.field == "reference" and found.needs_reason


def test_same_amount_line_and_day() -> None:
    others = [seen(1, "100"), seen(2, "100", line=2), seen(3, "100", day=DAY - dt.timedelta(1))]
    found = checks.same_amount_day(Decimal("100"), 1, DAY, others)
    assert found is not None and found.entry_ids == (1,) and found.field == "amount"
    assert checks.same_amount_day(Decimal("100.01"), 1, DAY, others) is None


def test_split_payment_routes_to_the_threshold_passed_together() -> None:
    week = [seen(1, "200000", day=DAY - dt.timedelta(days=6)), seen(2, "200000")]
    found = checks.split_payment(Decimal("150000"), 1, "U1", DAY, week, DEFAULTS)
    assert found is not None and found.route_to == Role.FINANCE and not found.needs_reason
    assert found.total == Decimal("550000") and found.entry_ids == (1, 2)
    # under the threshold together; another reporter; outside the window; another line
    assert checks.split_payment(Decimal("50000"), 1, "U1", DAY, week, DEFAULTS) is None
    assert checks.split_payment(Decimal("150000"), 1, "U2", DAY, week, DEFAULTS) is None
    old = [seen(1, "400000", day=DAY - dt.timedelta(days=7))]
    assert checks.split_payment(Decimal("150000"), 1, "U1", DAY, old, DEFAULTS) is None
    assert checks.split_payment(Decimal("150000"), 2, "U1", DAY, week, DEFAULTS) is None
    # one piece already over the threshold is not a split (it went to approval itself)
    big = [seen(1, "600000")]
    assert checks.split_payment(Decimal("10000"), 1, "U1", DAY, big, DEFAULTS) is None
    # past the PM's threshold too: the PM
    many = [seen(i, "490000") for i in range(1, 11)]
    pm = checks.split_payment(Decimal("490000"), 1, "U1", DAY, many, DEFAULTS)
    assert pm is not None and pm.route_to == Role.PM
    assert checks.split_payment(Decimal("150000"), 1, "U1", DAY, week, OFF) is None


def test_line_state_and_levels() -> None:
    assert checks.line_state(False, LineLevel.APPROVE) is None
    closed = checks.line_state(True, LineLevel.OK)
    assert (
        closed is not None and closed.kind == CheckKind.LINE_CLOSED and closed.route_to == Role.PM
    )
    blocked = checks.line_state(False, LineLevel.BLOCK)
    assert blocked is not None and blocked.kind == CheckKind.OVER_BLOCK
    revised = Decimal("1000")
    assert line_level(Decimal("900"), revised, DEFAULTS) == LineLevel.OK  # not above 90 %
    assert line_level(Decimal("900.01"), revised, DEFAULTS) == LineLevel.WARN
    assert line_level(Decimal("1000"), revised, DEFAULTS) == LineLevel.WARN
    assert line_level(Decimal("1000.01"), revised, DEFAULTS) == LineLevel.APPROVE
    assert line_level(Decimal("1100.01"), revised, DEFAULTS) == LineLevel.BLOCK
    assert line_level(Decimal("1"), Decimal(0), DEFAULTS) == LineLevel.BLOCK
    assert line_level(Decimal("5000"), revised, OFF) == LineLevel.OK


def test_role_for_amount() -> None:
    assert role_for_amount(Decimal("499999.99"), DEFAULTS) is None
    assert role_for_amount(Decimal("500000"), DEFAULTS) == Role.FINANCE
    assert role_for_amount(Decimal("5000000"), DEFAULTS) == Role.PM
    assert role_for_amount(Decimal("10") ** 9, OFF) is None


def test_policy_validation() -> None:
    def errors(**values: str) -> dict[str, str]:
        form = Form.of(PolicyField, nudge_hours="24", split_days="7", **values)
        _policy, found = validate_policy(
            form, currency="CNY", total_budget=Decimal("10") ** 8, today=DAY
        )
        return {k: v.msgid for k, v in found.items()}

    assert errors(finance_from="50万", pm_from="500万", warn_percent="90") == {}
    assert "negative" in errors(finance_from="-1")["finance_from"]
    assert "above the finance lead" in errors(finance_from="500万", pm_from="500万")["pm_from"]
    assert "total budget" in errors(finance_from="2亿")["finance_from"]
    assert "Levels go up" in errors(warn_percent="90", block_percent="90")["block_percent"]
    assert "whole percent" in errors(approve_percent="0")["approve_percent"]
    assert "whole percent" in errors(approve_percent="5000")["approve_percent"]
    assert "past" in errors(delegate="U9", delegate_until="2026-11-01")["delegate_until"]
    policy, _none = validate_policy(
        Form.of(PolicyField, nudge_hours="8", split_days="3", approve_percent="105%"),
        currency="CNY",
        total_budget=Decimal(0),
        today=DAY,
    )
    assert (policy.finance_from, policy.approve_percent, policy.nudge_hours) == (None, 105, 8)
    assert not policy.duplicate_checks
