"""The pure helpers the budget, department and project services share."""

from __future__ import annotations

from decimal import Decimal

from bot.services.budget import reallocate, rebased_alerts
from bot.services.departments import set_members
from storage.models import BudgetLine, Department, DepartmentMember


def test_a_new_line_takes_its_allocation_without_rebasing() -> None:
    line = BudgetLine(project_id=1, spent=Decimal(95), alerted_percent=0)
    reallocate(line, Decimal(100))
    assert (line.allocated, line.alerted_percent) == (Decimal(100), 0)


def test_a_changed_allocation_rebases_the_alerts_on_the_revised_figure() -> None:
    line = BudgetLine(project_id=1, allocated=Decimal(100), spent=Decimal(95), changes=Decimal(0))
    line.alerted_percent = 90
    reallocate(line, Decimal(100))  # unchanged: the alerts stay where they were
    assert line.alerted_percent == 90
    reallocate(line, Decimal(200))
    assert (line.allocated, line.alerted_percent) == (Decimal(200), 0)
    line.changes = Decimal(-110)  # revised 90: spent is past all of it
    assert rebased_alerts(line) == 100


def test_members_who_stay_keep_their_rows() -> None:
    ann, bob = DepartmentMember(user_id="U1"), DepartmentMember(user_id="U2")
    department = Department(project_id=1, members=[ann, bob])
    set_members(department, ["U3", "U1"])
    assert [m.user_id for m in department.members] == ["U3", "U1"]
    assert department.members[1] is ann
