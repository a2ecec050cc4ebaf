"""Risk storage and the queries the clock will use, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine, select

from bot.app import Deps
from bot.errors import FieldErrors
from bot.services import risks
from storage.models import Risk
from tests.conftest import LEAD, MEMBER, PM
from tests.factories import Made, as_user, make_project, risk_form
from tests.fake_slack import TEAM_ID

NOW = dt.datetime(2026, 11, 10, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


def raise_risk(
    deps: Deps,
    made: Made,
    title: str,
    likelihood: int,
    impact: int,
    *,
    now: dt.datetime = NOW,
    **extra: Any,
) -> risks.RiskCard:
    form = risk_form(title, likelihood, impact, category="schedule", **extra)
    with deps.uow() as uow:
        return risks.create_risk(
            uow, team_id=TEAM_ID, project_id=made.project_id, user_id=MEMBER, form=form, now=now
        )


def test_numbers_are_gap_free_under_parallel_submissions(deps: Deps, engine: Engine) -> None:
    """Many people flag risks at the same moment: numbers are 1..N, no gap, no duplicate.

    Runs on both engines: PostgreSQL exercises the row lock of the counter upsert; SQLite
    serialises writers with BEGIN IMMEDIATE.
    """
    made = make_project(deps)
    other = make_project(deps, code="PWR-7", channel="CPOWER")
    n, workers = 40, 8
    start = threading.Barrier(workers)

    def submit(i: int) -> int:
        if i < workers:
            start.wait()
        target = made if i % 4 else other
        return raise_risk(deps, target, f"Risk {i}", 2, 2, now=deps.now()).number

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(submit, range(n)))
    with deps.uow() as uow:
        for project, expected in ((made, n - n // 4), (other, n // 4)):
            numbers = sorted(
                uow.session.scalars(
                    select(Risk.number).where(Risk.project_id == project.project_id)
                )
            )
            assert numbers == list(range(1, expected + 1))


def test_a_failed_transaction_gives_its_number_back(deps: Deps) -> None:
    made = make_project(deps)
    with deps.uow() as uow:
        assert uow.risks.next_number(made.project_id) == 1
        uow.rollback()
    assert raise_risk(deps, made, "First", 1, 1).number == 1


def test_numbers_are_per_project(deps: Deps) -> None:
    a = make_project(deps)
    b = make_project(deps, code="PWR-7", channel="CPOWER")
    assert [raise_risk(deps, a, "a", 1, 1).ref, raise_risk(deps, b, "b", 1, 1).ref] == [
        "R-1",
        "R-1",
    ]


def test_clock_queries(deps: Deps) -> None:
    made = make_project(deps)
    today = dt.date(2026, 11, 10)
    finance = str(made.departments["finance"])
    overdue_review = raise_risk(deps, made, "征地延误", 2, 2, owner=LEAD, review="2026-11-12")
    no_owner = raise_risk(
        deps, made, "Design change", 2, 2, department=finance, review="2026-11-11"
    )
    high = raise_risk(deps, made, "资金链断裂", 5, 4, review="2026-12-30")
    late = raise_risk(deps, made, "Permit late", 1, 2, due="2026-11-11", review="2026-12-30")
    closed = raise_risk(deps, made, "合作方违约", 5, 5, review="2026-11-11", owner=PM)
    as_user(
        deps, risks.close_risk, PM, NOW + dt.timedelta(days=1), risk_id=closed.id, note="resolved"
    )

    later = dt.date(2026, 11, 20)
    with deps.uow() as uow:
        due = risks.due_for_review(uow, project_id=made.project_id, today=later)
        assert [(d.risk.ref, d.remind) for d in due] == [
            (no_owner.ref, LEAD),  # no owner: the department lead is reminded
            (overdue_review.ref, LEAD),
        ]
        agenda = risks.for_agenda(uow, project_id=made.project_id, today=later)
        assert [c.ref for c in agenda] == [high.ref, late.ref]
        assert risks.for_agenda(uow, project_id=made.project_id, today=today) == [
            c for c in agenda if c.ref == high.ref
        ]
        moved = risks.movement(
            uow, project_id=made.project_id, start=NOW, end=NOW + dt.timedelta(days=7)
        )
        assert len(moved.opened) == 5 and [c.ref for c in moved.closed] == [closed.ref]
        empty = risks.movement(
            uow,
            project_id=made.project_id,
            start=NOW + dt.timedelta(days=7),
            end=NOW + dt.timedelta(days=14),
        )
        assert (empty.opened, empty.closed) == ([], [])


def test_median_hours_to_acknowledge_per_department_and_month(deps: Deps) -> None:
    made = make_project(deps)
    finance = made.departments["finance"]
    for hours in (2, 4, 30):
        card = raise_risk(deps, made, f"{hours}h", 4, 4, department=str(finance))
        as_user(deps, risks.acknowledge, LEAD, NOW + dt.timedelta(hours=hours), risk_id=card.id)
    raise_risk(deps, made, "never acknowledged", 4, 4, department=str(finance))
    orphan = raise_risk(deps, made, "no department", 4, 4)
    as_user(deps, risks.take_ownership, PM, NOW + dt.timedelta(hours=1), risk_id=orphan.id)
    # raised in December (Shanghai time) though still November in UTC: not in November
    raise_risk(deps, made, "december", 4, 4, now=dt.datetime(2026, 11, 30, 17, tzinfo=dt.UTC))
    with deps.uow() as uow:
        november = risks.median_ack_hours(
            uow, project_id=made.project_id, year=2026, month=11, timezone="Asia/Shanghai"
        )
        december = risks.median_ack_hours(
            uow, project_id=made.project_id, year=2026, month=12, timezone="Asia/Shanghai"
        )
    assert november == {finance: 4.0, None: 1.0}
    assert december == {}


@pytest.mark.parametrize("field", ["due", "review"])
def test_dates_before_today_in_project_time_are_refused(deps: Deps, field: str) -> None:
    made = make_project(deps)
    # 23:30 UTC on the 9th is already the 10th in Shanghai: the 9th is in the past there.
    late = dt.datetime(2026, 11, 9, 23, 30, tzinfo=dt.UTC)
    with pytest.raises(FieldErrors) as raised:
        raise_risk(deps, made, "x", 1, 1, now=late, **{field: "2026-11-09"})
    assert list(raised.value.errors) == [field]
    assert raise_risk(deps, made, "x", 1, 1, now=late, **{field: "2026-11-10"}).number == 1
