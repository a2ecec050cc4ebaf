"""The funds service against a real database: running totals, alerts once, figures = SQL."""

from __future__ import annotations

import datetime as dt
import random
import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from bot.app import Deps
from bot.errors import FieldErrors, NotFound, PermissionDenied, UserError
from bot.forms import Form
from bot.i18n import Translator
from bot.services import funds
from bot.services.funds import DrawdownField, FundField, SourceField
from handlers.funds.views import summary_message
from storage.models import AuditLog, BudgetLine, Drawdown, FundEntry, FundingSource
from tests.conftest import LEAD, MEMBER, OTHER, PM, Clock
from tests.factories import fund_use, make_project, through_service, void_fund_use
from tests.fake_slack import TEAM_ID

NOW = dt.datetime(2026, 11, 27, 4, 0, tzinfo=dt.UTC)  # 12:00 in Shanghai
TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def frozen(clock: Clock) -> dt.datetime:
    clock.frozen = NOW
    return NOW


def entry(
    deps: Deps,
    project_id: int,
    line_id: int,
    amount: str,
    *,
    day: dt.date = TODAY,
    user: str = MEMBER,
) -> funds.Outcome:
    return fund_use(
        deps, project_id, line_id, amount, day=day, user=user, purpose="路基土方工程进度款", now=NOW
    )


def source(deps: Deps, project_id: int, name: str, committed: str, kind: str = "equity") -> int:
    with deps.uow() as uow:
        source_id, _created = funds.save_source(
            uow,
            team_id=TEAM_ID,
            project_id=project_id,
            user_id=PM,
            form=Form.of(SourceField, source_name=name, source_kind=kind, committed=committed),
        )
    return source_id


def draw(
    deps: Deps, project_id: int, source_id: int, amount: str, day: dt.date = TODAY
) -> funds.Outcome:
    form = Form.of(DrawdownField, source=str(source_id), amount=amount, date=day.isoformat())
    return through_service(deps, funds.record_drawdown, project_id, LEAD, NOW, form=form)


def void(
    deps: Deps, project_id: int, entry_id: int, user: str = PM, reason: str = "重复登记"
) -> None:
    void_fund_use(deps, project_id, entry_id, reason, user=user, now=NOW)


def test_thresholds_alert_once_each_and_voids_do_not_rearm(deps: Deps, frozen: dt.datetime) -> None:
    made = make_project(deps, budget={"Works": Decimal("1000")}, report_anchor="2026-10-01")
    line = made.lines["Works"]
    assert entry(deps, made.project_id, line, "899.99").line_alerts == []
    crossed = entry(deps, made.project_id, line, "0.01").line_alerts
    assert [a.percent for a in crossed] == [90]
    assert entry(deps, made.project_id, line, "50").line_alerts == []
    last = entry(deps, made.project_id, line, "50")
    assert [a.percent for a in last.line_alerts] == [100]
    void(deps, made.project_id, last.id)
    assert entry(deps, made.project_id, line, "50").line_alerts == []
    with deps.uow() as uow:
        saved = uow.session.get(BudgetLine, line)
        assert saved is not None and saved.spent == Decimal("1000.00")


def test_one_entry_crossing_both_thresholds_gives_both_alerts(
    deps: Deps, frozen: dt.datetime
) -> None:
    made = make_project(deps, budget={"Works": Decimal("1000")}, report_anchor="2026-10-01")
    alerts = entry(deps, made.project_id, made.lines["Works"], "1200").line_alerts
    assert [a.percent for a in alerts] == [90, 100]


def test_concurrent_entries_alert_each_threshold_exactly_once(
    deps: Deps, frozen: dt.datetime
) -> None:
    made = make_project(deps, budget={"Works": Decimal("1000")}, report_anchor="2026-10-01")
    line = made.lines["Works"]
    threads_n = 8
    barrier = threading.Barrier(threads_n)
    alerts: list[int] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            barrier.wait()
            for _ in range(4):
                outcome = entry(deps, made.project_id, line, "40")  # 32 × 40 = 1,280
                with lock:
                    alerts.extend(a.percent for a in outcome.line_alerts)
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)

    threads = [threading.Thread(target=work) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(alerts) == [90, 100]
    with deps.uow() as uow:
        saved = uow.session.get(BudgetLine, line)
        total = uow.session.scalar(select(func.sum(FundEntry.amount)))
        assert saved is not None and saved.spent == Decimal(str(total)) == Decimal("1280.00")


def test_runway_alert_once_per_crossing_even_concurrently_and_rearms(
    deps: Deps, frozen: dt.datetime
) -> None:
    made = make_project(
        deps,
        budget={f"Line {i}": Decimal("1000000") for i in range(4)},
        report_anchor="2026-10-01",
    )
    equity = source(deps, made.project_id, "资本金", "1000000")
    assert draw(deps, made.project_id, equity, "100000").runway_alert is None  # no burn yet
    barrier = threading.Barrier(4)
    runway_alerts: list[funds.Liquidity] = []
    lock = threading.Lock()

    def work(line_id: int) -> None:
        barrier.wait()
        # 4 × 4 × 2,000 = 32,000 in four weeks: 8,000 a week; cash 68,000 → 8.5 weeks, then
        # each entry lowers it further below the 8-week threshold.
        for _ in range(5):
            outcome = entry(deps, made.project_id, line_id, "2000")
            if outcome.runway_alert is not None:
                with lock:
                    runway_alerts.append(outcome.runway_alert)

    threads = [threading.Thread(target=work, args=(line,)) for line in made.lines.values()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(runway_alerts) == 1
    assert runway_alerts[0].runway_weeks is not None and runway_alerts[0].runway_weeks < 8
    # A drawdown restores the runway (re-arms), spending again crosses again: a second alert.
    assert draw(deps, made.project_id, equity, "500000").runway_alert is None
    with deps.uow() as uow:
        project = uow.projects.get(TEAM_ID, made.project_id)
        assert project is not None
        assert not funds.liquidity(uow, project, TODAY).below_threshold
    line = next(iter(made.lines.values()))
    again = entry(deps, made.project_id, line, "400000")
    assert again.runway_alert is not None


def test_figures_equal_the_database(deps: Deps, frozen: dt.datetime) -> None:
    """Random entries, voids and drawdowns: every number the summary shows equals SQL."""
    budget = {f"科目{i}": Decimal(random.Random(i).randint(1, 10**7)) for i in range(5)}
    made = make_project(deps, budget=budget, report_anchor="2026-06-01")
    sources = [
        source(deps, made.project_id, "资本金", "50000000"),
        source(deps, made.project_id, "银团贷款", "90000000", "senior_debt"),
    ]
    rng = random.Random(20261127)
    ids: list[int] = []
    for _ in range(150):
        line = rng.choice(list(made.lines.values()))
        cents = rng.randint(1, 50_000_000)
        day = TODAY - dt.timedelta(days=rng.randint(0, 120))
        ids.append(entry(deps, made.project_id, line, f"{Decimal(cents) / 100}", day=day).id)
        if rng.random() < 0.2:
            void(deps, made.project_id, ids.pop(rng.randrange(len(ids))))
        if rng.random() < 0.1:
            draw(deps, made.project_id, rng.choice(sources), str(rng.randint(1, 500_000)))

    with deps.uow() as uow:
        result = funds.summary(uow, team_id=TEAM_ID, project_id=made.project_id, today=TODAY)
        live = FundEntry.voided_at.is_(None)
        per_line = dict(
            uow.session.execute(
                select(FundEntry.budget_line_id, func.sum(FundEntry.amount))
                .where(live)
                .group_by(FundEntry.budget_line_id)
            ).all()
        )
        burn = uow.session.scalar(
            select(func.coalesce(func.sum(FundEntry.amount), 0)).where(
                live, FundEntry.spent_on > TODAY - dt.timedelta(days=28)
            )
        )
        drawn = dict(
            uow.session.execute(
                select(Drawdown.source_id, func.sum(Drawdown.amount)).group_by(Drawdown.source_id)
            ).all()
        )
        committed = dict(
            uow.session.execute(select(FundingSource.id, FundingSource.committed)).all()
        )

    def money(value: object) -> Decimal:
        return Decimal(str(value or 0)).quantize(Decimal("0.01"))

    for line in result.lines:
        assert line.spent == money(per_line.get(line.id))
        assert line.allocated == budget[line.name]
        assert line.variance == line.allocated - money(per_line.get(line.id))
    assert result.spent == money(sum(Decimal(str(v)) for v in per_line.values()))
    assert result.allocated == sum(budget.values())
    liquidity = result.liquidity
    assert liquidity.burn_4w == money(burn)
    for s in liquidity.sources:
        assert s.drawn == money(drawn.get(s.id)) and s.committed == committed[s.id]
    assert liquidity.drawn == money(sum(Decimal(str(v)) for v in drawn.values()))
    assert liquidity.cash == liquidity.drawn - result.spent
    assert liquidity.undrawn == sum(committed.values()) - liquidity.drawn

    # and the rendered message shows exactly those numbers, in both languages
    for locale in ("en", "zh-Hans"):
        tr = Translator(locale)
        _title, blocks = summary_message(result, code="HWY-42", currency="CNY", tr=tr)
        shown = str([block.to_dict() for block in blocks])
        figures = [result.spent, result.allocated, result.variance, liquidity.cash]
        figures += [liquidity.drawn, liquidity.undrawn, liquidity.weekly_burn]
        figures += [line.spent for line in result.lines] + [line.variance for line in result.lines]
        for figure in figures:
            assert tr.money(figure, "CNY") in shown


def test_entries_between_by_department_and_helpers(deps: Deps, frozen: dt.datetime) -> None:
    made = make_project(
        deps, budget={"A": Decimal("100"), "B": Decimal("1000")}, report_anchor="2026-10-01"
    )
    first = entry(deps, made.project_id, made.lines["A"], "95", day=TODAY - dt.timedelta(days=20))
    entry(deps, made.project_id, made.lines["B"], "10", day=TODAY - dt.timedelta(days=3))
    voided = entry(deps, made.project_id, made.lines["B"], "7", day=TODAY - dt.timedelta(days=2))
    void(deps, made.project_id, voided.id)
    with deps.uow() as uow:
        project = uow.projects.get(TEAM_ID, made.project_id)
        assert project is not None
        period = funds.entries_between(uow, made.project_id, TODAY - dt.timedelta(days=13), TODAY)
        assert [e.amount for e in period.entries] == [Decimal("10.00")] and period.total == 10
        start = dt.date(2026, 1, 1)
        finance, legal = made.departments["finance"], made.departments["legal"]
        everything = funds.entries_between(
            uow, made.project_id, start, TODAY, department_id=finance
        )
        assert everything.total == Decimal("105.00") and everything.entries[0].id == first.id
        none = funds.entries_between(uow, made.project_id, start, TODAY, department_id=legal)
        assert none.entries == [] and none.total == 0
        assert [s.name for s in funds.lines_over(uow, made.project_id)] == ["A"]
        week = funds.week_use(uow, project, TODAY - dt.timedelta(days=6), TODAY)
        assert (week.this_week, week.to_date, week.allocated) == (10, 105, 1100)


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"amount": "-5"}, "amount", "more than zero"),
        ({"amount": "abc"}, "amount", "not an amount"),
        ({"amount": "1.234"}, "amount", "two decimals"),
        ({"amount": "USD 5"}, "amount", "project's currency"),
        ({"amount": ""}, "amount", "required"),
        ({"date": "2026-11-28"}, "date", "future"),
        ({"date": "2026-09-30"}, "date", "before the project began"),
        ({"purpose": "  "}, "purpose", "required"),
        ({"reference": ""}, "reference", "invoice or contract"),
        ({"line": "999999"}, "line", "no longer exists"),
        ({"line": None}, "line", "Choose a budget line"),
    ],
)
def test_bad_entries_are_field_errors_and_save_nothing(
    deps: Deps, frozen: dt.datetime, changes: dict[str, str], field: str, fragment: str
) -> None:
    made = make_project(deps, report_anchor="2026-10-01")
    good = {
        "line": str(made.lines["Construction works"]),
        "amount": "100",
        "date": "2026-11-27",
        "purpose": "进度款",
        "reference": "INV-9",
    }
    with deps.uow() as uow, pytest.raises(FieldErrors) as caught:
        funds.record_entry(
            uow,
            team_id=TEAM_ID,
            project_id=made.project_id,
            user_id=MEMBER,
            form=Form.of(FundField, **{**good, **changes}),
            now=NOW,
        )
    assert list(caught.value.errors) == [field]
    assert fragment in caught.value.errors[field].msgid
    with deps.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(FundEntry)) == 0


def test_began_is_the_earlier_of_creation_and_anchor(deps: Deps, frozen: dt.datetime) -> None:
    made = make_project(deps, report_anchor="2026-12-20")  # anchor after creation (today)
    with deps.uow() as uow:
        project = uow.projects.get(TEAM_ID, made.project_id)
        assert project is not None
        assert (
            funds.project_began(project)
            == project.created_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
        )


def test_void_rules_and_audit(deps: Deps, frozen: dt.datetime) -> None:
    made = make_project(deps, report_anchor="2026-10-01")
    line = made.lines["Construction works"]
    recorded = entry(deps, made.project_id, line, "500")
    with pytest.raises(PermissionDenied) as refused:
        void(deps, made.project_id, recorded.id, user=MEMBER)
    assert refused.value.message.params["people"].mrkdwn == f"<@{PM}>, <@{LEAD}>"
    with pytest.raises(UserError, match="Say why"):
        void(deps, made.project_id, recorded.id, reason=" ")
    with pytest.raises(NotFound):
        void(deps, made.project_id, 987654)
    void(deps, made.project_id, recorded.id, user=LEAD)
    with pytest.raises(UserError, match="already voided"):
        void(deps, made.project_id, recorded.id)
    with deps.uow() as uow:
        saved = uow.session.get(FundEntry, recorded.id)
        assert saved is not None and saved.voided_by == LEAD and saved.void_reason == "重复登记"
        assert saved.voided_at == NOW
        assert uow.funds.spent_between(made.project_id, TODAY, TODAY) == 0
        row = uow.session.scalar(select(AuditLog).where(AuditLog.action == "void"))
        assert row is not None and row.before is not None and row.after is not None
        assert row.before["line_spent"] == "500.00" and row.after["line_spent"] == "0.00"
        assert row.after["void_reason"] == "重复登记" and row.before["voided_at"] is None


def test_sources_and_drawdowns(deps: Deps, frozen: dt.datetime) -> None:
    made = make_project(deps, report_anchor="2026-10-01")
    with deps.uow() as uow, pytest.raises(PermissionDenied):
        funds.save_source(
            uow,
            team_id=TEAM_ID,
            project_id=made.project_id,
            user_id=OTHER,
            form=Form.of(SourceField, source_name="X", source_kind="equity", committed="1"),
        )
    loan = source(deps, made.project_id, "银团贷款", "1000", "senior_debt")
    draw(deps, made.project_id, loan, "600")
    with pytest.raises(FieldErrors) as too_much:
        draw(deps, made.project_id, loan, "400.01")
    assert "undrawn" in too_much.value.errors["amount"].msgid
    with pytest.raises(FieldErrors) as below_drawn:
        source(deps, made.project_id, "银团贷款", "500", "senior_debt")
    assert list(below_drawn.value.errors) == ["committed"]
    assert source(deps, made.project_id, "银团贷款", "2000", "senior_debt") == loan
    draw(deps, made.project_id, loan, "1400")
    with deps.uow() as uow:
        saved = uow.session.get(FundingSource, loan)
        assert saved is not None and (saved.committed, saved.drawn) == (2000, 2000)
        actions = uow.session.execute(select(AuditLog.entity, AuditLog.action)).all()
        assert sorted(actions) == sorted(
            [("funding_source", "create"), ("funding_source", "update")]
            + [("drawdown", "create")] * 2
            + [("project", "create")]
        )


def test_the_meeting_agenda_measures_lines_against_their_revised_allocation(
    deps: Deps, frozen: dt.datetime
) -> None:
    """The agenda, the alerts and the Home use one figure: allocation plus approved changes."""
    from bot.services.meetings import over_budget_lines
    from handlers.meetings.views import agenda_text

    made = make_project(deps, budget={"Works": Decimal("1000"), "Design": Decimal("1000")})
    entry(deps, made.project_id, made.lines["Works"], "950")
    entry(deps, made.project_id, made.lines["Design"], "950")
    with deps.uow() as uow:
        works = uow.session.get(BudgetLine, made.lines["Works"])
        assert works is not None
        works.changes = Decimal("500")  # an approved change order: revised 1,500, 63 % used
        uow.commit()
    with deps.uow() as uow:
        project = uow.projects.by_id(made.project_id)
        assert project is not None
        agenda = over_budget_lines(uow, project, NOW)
    tr = Translator("en")
    assert [tr(agenda_text(line.item)) for line in agenda] == [
        "Budget line *Design* has used 95% of its allocation"
    ]
