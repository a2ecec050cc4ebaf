"""`approval_nudge`: a pending entry is reminded once, after the project's nudge delay."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bot.app import Deps
from bot.services.fund_policy import DEFAULTS
from jobs.manual import run_now
from tests.conftest import LEAD, MEMBER
from tests.conftest import Clock as FrozenClock
from tests.factories import fund_use, make_project
from tests.fake_slack import FakeSlack

CST = dt.timezone(dt.timedelta(hours=8))
ASKED = dt.datetime(2026, 11, 27, 12, 0, tzinfo=CST)


def test_a_pending_entry_is_reminded_once_after_the_delay(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    made = make_project(deps, report_anchor="2026-10-01", policy=DEFAULTS)
    clock.frozen = ASKED
    line = made.lines["Construction works"]
    outcome = fund_use(
        deps, made.project_id, line, "55万", day="2026-11-27", user=MEMBER, purpose="进度款"
    )
    assert outcome.pending_role == "finance" and outcome.amount == Decimal("550000.00")

    def reminders() -> list[str]:
        return [
            m["text"] for m in fake_slack.messages.get("D" + LEAD, []) if "Reminder" in m["text"]
        ]

    # 24 h later, on the hour: the run of 12:00 the next day covers what was asked 11:00–12:00
    # the day before (exclusive), the one of 13:00 what was asked 12:00–13:00: this entry.
    [early] = run_now(deps, "approval_nudge", at=ASKED + dt.timedelta(hours=24))
    assert early.outcome == "done" and reminders() == []
    for _ in range(2):
        run_now(deps, "approval_nudge", at=ASKED + dt.timedelta(hours=25, minutes=5))
    assert len(reminders()) == 1 and f"#{outcome.id}" in reminders()[0]
    [later] = run_now(deps, "approval_nudge", at=ASKED + dt.timedelta(hours=26))
    assert later.sent == 0 and len(reminders()) == 1
