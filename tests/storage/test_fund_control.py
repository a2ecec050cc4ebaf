"""Fund control against a real database: figures = SQL over entries and change orders,
exactly one decision wins, four eyes, approvers who left, delegation, nothing half-saved."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import threading
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import case, func, select

from bot.app import Deps, make_deps
from bot.errors import FieldErrors, PermissionDenied, UserError
from bot.forms import Form
from bot.i18n import Translator
from bot.services import approvals, change_orders, funds
from bot.services.approvals import AlreadyDecided, ItemKind
from bot.services.change_orders import ChangeField
from bot.services.fund_policy import DEFAULTS, set_policy
from bot.settings import Settings
from handlers.funds.views import summary_message
from storage.models import (
    AuditLog,
    BudgetLine,
    ChangeOrder,
    Department,
    FundEntry,
    WebhookOutbox,
)
from tests.conftest import LEAD, MEMBER, PM, Clock
from tests.factories import as_user, fund_use, make_project, through_service, void_fund_use
from tests.fake_slack import TEAM_ID

NOW = dt.datetime(2026, 11, 27, 4, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 27)
PM2 = "UPM2"
BIG = {"Construction works": Decimal("100000000")}


@pytest.fixture(autouse=True)
def _frozen(clock: Clock) -> None:
    clock.frozen = NOW


def entry(
    deps: Deps, project_id: int, line_id: int, amount: str, *, user: str = MEMBER,
    ref: str | None = None, day: dt.date = TODAY, reason: str | None = None,
) -> funds.Outcome:  # fmt: skip
    reference = ref or f"INV-{random.random()}"
    return fund_use(
        deps, project_id, line_id, amount, day=day, user=user, purpose="进度款",
        reference=reference, reason=reason, now=NOW,
    )  # fmt: skip


def decide(deps: Deps, kind: ItemKind, item_id: int, user: str, approve: bool = True,
           note: str | None = None) -> approvals.Decision:  # fmt: skip
    return as_user(
        deps, approvals.decide, user, NOW, kind=kind, item_id=item_id, approve=approve, note=note
    )


def change(deps: Deps, project_id: int, kind: str, line: int, amount: str, *,
           to: int | None = None, user: str = MEMBER) -> change_orders.Requested:  # fmt: skip
    form = Form.of(
        ChangeField,
        change_kind=kind,
        line=str(line),
        to_line=str(to) if to else None,
        amount=amount,
        reason="设计变更",
    )
    return through_service(deps, change_orders.request_change, project_id, user, NOW, form=form)


def test_exactly_one_of_two_concurrent_approvers_wins(deps: Deps) -> None:
    made = make_project(deps, report_anchor="2026-10-01", policy=DEFAULTS, budget=BIG)
    with deps.uow() as uow:
        project = uow.projects.get(TEAM_ID, made.project_id)
        assert project is not None
        from storage.models import ProjectPM

        project.pms.append(ProjectPM(user_id=PM2))
        uow.commit()
    recorded = entry(deps, made.project_id, made.lines["Construction works"], "550万")
    assert recorded.pending_role == "pm" and set(recorded.approvers) == {PM, PM2}
    barrier = threading.Barrier(2)
    results: list[object] = []

    def work(user: str) -> None:
        barrier.wait()
        try:
            results.append(decide(deps, ItemKind.ENTRY, recorded.id, user))
        except AlreadyDecided as error:
            results.append(error)

    threads = [threading.Thread(target=work, args=(u,)) for u in (PM, PM2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [r for r in results if isinstance(r, approvals.Decision)]
    lost = [r for r in results if isinstance(r, AlreadyDecided)]
    assert len(won) == 1 and len(lost) == 1, results
    with deps.uow() as uow:
        line = uow.session.get(BudgetLine, made.lines["Construction works"])
        assert line is not None and line.spent == Decimal("5500000.00") and line.pending == 0


def test_four_eyes_left_the_project_and_delegation(deps: Deps) -> None:
    made = make_project(deps, report_anchor="2026-10-01", policy=DEFAULTS, budget=BIG)
    works = made.lines["Construction works"]
    # The PM, the only PM, reports a PM-level entry: nobody else could approve it.
    with pytest.raises(UserError, match="nobody but you"):
        entry(deps, made.project_id, works, "600万", user=PM)
    with deps.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(FundEntry)) == 0
        set_policy(
            uow, made.project_id, replace(DEFAULTS, delegate_id="UDELEGATE",
                                          delegate_until=TODAY), now=NOW,
        )  # fmt: skip
        uow.commit()
    delegated = entry(deps, made.project_id, works, "600万", user=PM)
    assert delegated.approvers == ["UDELEGATE"]
    with pytest.raises(PermissionDenied, match="four eyes"):
        decide(deps, ItemKind.ENTRY, delegated.id, PM)
    # The finance lead's entry goes up to the PM; the lead, once replaced, may not decide.
    lead_entry = entry(deps, made.project_id, works, "60万", user=MEMBER)
    assert lead_entry.approvers == [LEAD]
    with deps.uow() as uow:
        finance = uow.session.get(Department, made.departments["finance"])
        assert finance is not None
        finance.lead_user_id = "UNEWLEAD"
        uow.commit()
    with pytest.raises(PermissionDenied, match="no longer"):
        decide(deps, ItemKind.ENTRY, lead_entry.id, LEAD)
    with pytest.raises(UserError, match="Say why"):
        decide(deps, ItemKind.ENTRY, lead_entry.id, PM, approve=False)
    decide(deps, ItemKind.ENTRY, lead_entry.id, PM, approve=False, note="重复")  # a PM is higher
    decide(deps, ItemKind.ENTRY, delegated.id, "UDELEGATE")
    with pytest.raises(AlreadyDecided, match="already rejected"):
        decide(deps, ItemKind.ENTRY, lead_entry.id, "UNEWLEAD")


def test_a_change_that_would_make_a_line_negative_is_refused_and_nothing_is_half_saved(
    deps: Deps,
) -> None:
    made = make_project(
        deps, report_anchor="2026-10-01", policy=DEFAULTS,
        budget={"A": Decimal("1000"), "B": Decimal("1000")},
    )  # fmt: skip
    a, b = made.lines["A"], made.lines["B"]
    with pytest.raises(FieldErrors) as caught:
        change(deps, made.project_id, "decrease", a, "1000.01")
    assert "negative" in caught.value.errors["amount"].msgid
    with pytest.raises(FieldErrors) as same:
        change(deps, made.project_id, "transfer", a, "10", to=a)
    assert list(same.value.errors) == ["to_line"]
    # Waiting: +500 and −300 on A; a −1,000 then passes (the net waiting is an increase) …
    increase = change(deps, made.project_id, "increase", a, "500")
    smaller = change(deps, made.project_id, "decrease", a, "300")
    whole = change(deps, made.project_id, "transfer", a, "1000", to=b)
    decide(deps, ItemKind.CHANGE, increase.id, LEAD, approve=False, note="不需要")
    decide(deps, ItemKind.CHANGE, smaller.id, LEAD)
    # … but with the increase rejected it would now take A to −300: refused, nothing saved.
    with pytest.raises(UserError, match="negative"):
        decide(deps, ItemKind.CHANGE, whole.id, LEAD)
    with deps.uow() as uow:
        line_a, line_b = uow.session.get(BudgetLine, a), uow.session.get(BudgetLine, b)
        order = uow.session.get(ChangeOrder, whole.id)
        assert line_a is not None and line_b is not None and order is not None
        assert order.status == "pending"
        assert (line_a.changes, line_a.pending_changes) == (Decimal("-300.00"), Decimal("-1000.00"))
        assert (line_b.changes, line_b.pending_changes) == (0, Decimal("1000.00"))
    decide(deps, ItemKind.CHANGE, whole.id, LEAD, approve=False, note="超出")
    with deps.uow() as uow:
        line_b = uow.session.get(BudgetLine, b)
        assert line_b is not None and line_b.pending_changes == 0


def test_every_figure_equals_sql_over_entries_and_changes(deps: Deps) -> None:
    """Random entries (some pending, approved, rejected, voided) and change orders: spent,
    pending, changes, revised, projected and remaining all equal SQL sums, and show."""
    budget = {f"科目{i}": Decimal(random.Random(i).randint(10**6, 10**7)) for i in range(4)}
    made = make_project(deps, budget=budget, report_anchor="2026-06-01", policy=DEFAULTS)
    rng = random.Random(20261201)
    lines = list(made.lines.values())
    pending: list[tuple[ItemKind, int]] = []
    for _ in range(60):
        line = rng.choice(lines)
        if rng.random() < 0.25:
            kind = rng.choice(["increase", "decrease", "transfer"])
            other = rng.choice([x for x in lines if x != line])
            try:
                asked = change(deps, made.project_id, kind, line, str(rng.randint(1, 300_000)),
                               to=other if kind == "transfer" else None)  # fmt: skip
            except FieldErrors:
                continue
            pending.append((ItemKind.CHANGE, asked.id))
        else:
            amount = str(Decimal(rng.randint(1, 90_000_000)) / 100)
            day = TODAY - dt.timedelta(days=rng.randint(0, 60))
            try:
                recorded = entry(deps, made.project_id, line, amount, day=day,
                                 user=rng.choice([MEMBER, LEAD]), reason="测试")  # fmt: skip
            except UserError:
                continue
            if recorded.pending_role:
                pending.append((ItemKind.ENTRY, recorded.id))
        if pending and rng.random() < 0.5:
            kind, item = pending.pop(rng.randrange(len(pending)))
            with contextlib.suppress(UserError):  # e.g. a change that would now go negative
                decide(deps, kind, item, PM, approve=rng.random() < 0.7, note="否")
    with deps.uow() as uow:
        result = funds.summary(uow, team_id=TEAM_ID, project_id=made.project_id, today=TODAY)
        live = FundEntry.voided_at.is_(None)

        def by_line(status: str) -> dict[int, Decimal]:
            rows = uow.session.execute(
                select(FundEntry.budget_line_id, func.sum(FundEntry.amount))
                .where(live, FundEntry.status == status)
                .group_by(FundEntry.budget_line_id)
            ).all()
            return {k: Decimal(str(v)) for k, v in rows}

        def change_sums(status: str) -> dict[int, Decimal]:
            sums: dict[int, Decimal] = {}
            signed = case(
                (ChangeOrder.kind == "increase", ChangeOrder.amount), else_=-ChangeOrder.amount
            )
            for line_id, total in uow.session.execute(
                select(ChangeOrder.line_id, func.sum(signed))
                .where(ChangeOrder.status == status)
                .group_by(ChangeOrder.line_id)
            ).all():
                sums[line_id] = sums.get(line_id, Decimal(0)) + Decimal(str(total))
            for line_id, total in uow.session.execute(
                select(ChangeOrder.to_line_id, func.sum(ChangeOrder.amount))
                .where(ChangeOrder.status == status, ChangeOrder.kind == "transfer")
                .group_by(ChangeOrder.to_line_id)
            ).all():
                sums[line_id] = sums.get(line_id, Decimal(0)) + Decimal(str(total))
            return sums

        spent, waiting = by_line("posted"), by_line("pending")
        changes, pending_changes = change_sums("posted"), change_sums("pending")

    def money(value: Decimal | None) -> Decimal:
        return (value or Decimal(0)).quantize(Decimal("0.01"))

    assert any(waiting.values()) and any(changes.values())  # the data exercises both
    for line in result.lines:
        assert line.allocated == budget[line.name]
        assert line.spent == money(spent.get(line.id))
        assert line.pending == money(waiting.get(line.id))
        assert line.changes == money(changes.get(line.id))
        assert line.pending_changes == money(pending_changes.get(line.id))
        assert line.revised == line.allocated + money(changes.get(line.id))
        assert line.projected == money(spent.get(line.id)) + money(waiting.get(line.id))
        assert line.variance == line.revised - line.spent
        assert line.projected_remaining == (
            line.revised + money(pending_changes.get(line.id)) - line.projected
        )
    assert result.revised_total == result.total_budget + money(sum(changes.values(), Decimal(0)))
    assert result.liquidity.spent == result.spent
    for locale in ("en", "zh-Hans"):
        tr = Translator(locale)
        _title, blocks = summary_message(result, code="HWY-42", currency="CNY", tr=tr)
        shown = str([block.to_dict() for block in blocks])
        for figure in [result.spent, result.pending, result.revised, result.projected]:
            assert tr.money(figure, "CNY") in shown
        for line in result.lines:
            for figure in (line.spent, line.revised, line.allocated, line.changes):
                assert tr.money(figure, "CNY") in shown


def test_voiding_a_pending_entry_takes_it_off_pending(deps: Deps) -> None:
    made = make_project(deps, report_anchor="2026-10-01", policy=DEFAULTS, budget=BIG)
    works = made.lines["Construction works"]
    recorded = entry(deps, made.project_id, works, "55万")
    void_fund_use(deps, made.project_id, recorded.id, "撤回", now=NOW)
    with deps.uow() as uow:
        line = uow.session.get(BudgetLine, works)
        assert line is not None and (line.spent, line.pending) == (0, 0)
    with pytest.raises(AlreadyDecided, match="withdrawn"):
        decide(deps, ItemKind.ENTRY, recorded.id, LEAD)


def test_every_decision_is_audited_and_queued_as_a_webhook_event(
    settings: Settings, clock: Clock
) -> None:
    hooked = make_deps(
        settings.model_copy(update={"icrm_webhook_url": "http://127.0.0.1:9/hook"}), now=clock
    )
    made = make_project(hooked, report_anchor="2026-10-01", policy=DEFAULTS, budget=BIG)
    works = made.lines["Construction works"]
    approved = entry(hooked, made.project_id, works, "60万")
    rejected = entry(hooked, made.project_id, works, "70万")
    asked = change(hooked, made.project_id, "increase", works, "10万")
    decide(hooked, ItemKind.ENTRY, approved.id, LEAD)
    decide(hooked, ItemKind.ENTRY, rejected.id, LEAD, approve=False, note="发票不符")
    decide(hooked, ItemKind.CHANGE, asked.id, PM)
    with hooked.uow() as uow:
        events = uow.session.execute(
            select(WebhookOutbox.event_type, WebhookOutbox.payload).order_by(WebhookOutbox.id)
        ).all()
        audited = uow.session.scalars(
            select(AuditLog.action).where(AuditLog.action.in_(["approve", "reject"]))
        ).all()
    decisions = [
        (t, p["actor"], p["data"]["status"]) for t, p in events if t.endswith(("approve", "reject"))
    ]
    assert decisions == [
        ("fund_entry.approve", LEAD, "posted"),
        ("fund_entry.reject", LEAD, "rejected"),
        ("change_order.approve", PM, "posted"),
    ]
    assert sorted(audited) == ["approve", "approve", "reject"]
    assert [p["occurred_at"] for t, p in events if t == "fund_entry.reject"] == [NOW.isoformat()]
