"""What the clock relies on: opening a period, nudges, closing it, and monthly timeliness."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from bot.app import Deps
from bot.i18n import translator
from bot.periods import Period
from bot.services import reports
from handlers.reports import views
from storage.models import AuditLog, DepartmentKind, Report, ReportStatus
from tests.conftest import LEAD
from tests.db import count
from tests.factories import Made, as_user, make_project, set_department, submit_report
from tests.fake_slack import TEAM_ID

ANCHOR = dt.date(2026, 11, 2)
P0, P1 = Period(ANCHOR, 0), Period(ANCHOR, 1)
CLOSED_P0 = dt.datetime(2026, 11, 16, 1, 0, tzinfo=dt.UTC)


def with_leads(deps: Deps) -> Made:
    """Finance led by LEAD, legal by ULEGAL, operations by UOPS; the rest without a lead."""
    made = make_project(deps, report_anchor=ANCHOR.isoformat())
    for kind, lead in ((DepartmentKind.LEGAL, "ULEGAL"), (DepartmentKind.OPERATIONS, "UOPS")):
        set_department(deps, made, kind, lead=lead)
    return made


def test_open_period_creates_one_pending_report_per_led_department_once(deps: Deps) -> None:
    made = with_leads(deps)
    with deps.uow() as uow:
        cards = reports.open_period(uow, project_id=made.project_id, period=P0)
    assert sorted(c.lead_user_id or "" for c in cards) == sorted([LEAD, "ULEGAL", "UOPS"])
    assert all(c.status == ReportStatus.PENDING and c.period == P0 for c in cards)
    with deps.uow() as uow:
        again = reports.open_period(uow, project_id=made.project_id, period=P0)
        opened = uow.session.scalars(select(AuditLog).where(AuditLog.action == "open_period")).all()
        assert len(opened) == 1
    assert [c.report_id for c in again] == [c.report_id for c in cards]
    assert count(deps, Report) == 3


def p0_with_finance_in(deps: Deps) -> tuple[Made, dict[str | None, reports.ReportCard]]:
    """The project with leads, period P0 opened and finance's report submitted as it closed:
    the project and P0's report cards by lead."""
    made = with_leads(deps)
    with deps.uow() as uow:
        cards = {
            c.lead_user_id: c
            for c in reports.open_period(uow, project_id=made.project_id, period=P0)
        }
    submit_report(deps, made, DepartmentKind.FINANCE, LEAD, P0, CLOSED_P0)
    return made, cards


def report_of(cards: dict[str | None, reports.ReportCard], lead: str) -> int:
    """The id of `lead`'s report among `cards`."""
    report_id = cards[lead].report_id
    assert report_id is not None
    return report_id


def test_nudges_skip_submitted_and_snoozed_reports(deps: Deps) -> None:
    made, cards = p0_with_finance_in(deps)
    legal_id = report_of(cards, "ULEGAL")
    with deps.uow() as uow:
        reports.snooze(
            uow, team_id=TEAM_ID, report_id=legal_id, user_id="ULEGAL", hours=24, now=CLOSED_P0
        )
    with deps.uow() as uow:
        due = reports.due_for_nudge(uow, project_id=made.project_id, period=P0, now=CLOSED_P0)
        assert [c.lead_user_id for c in due] == ["UOPS"]
        tomorrow = CLOSED_P0 + dt.timedelta(days=1)
        due = reports.due_for_nudge(uow, project_id=made.project_id, period=P0, now=tomorrow)
        assert sorted(c.lead_user_id or "" for c in due) == ["ULEGAL", "UOPS"]


def test_close_period_marks_pending_late_and_lists_everyone(deps: Deps) -> None:
    made, cards = p0_with_finance_in(deps)
    ops_id = report_of(cards, "UOPS")
    as_user(deps, reports.excuse, "UOPS", CLOSED_P0, report_id=ops_id, reason="Audit week")
    due = P0.due_at("Asia/Shanghai", 2)
    with deps.uow() as uow:
        summary = reports.close_period(uow, project_id=made.project_id, period=P0, now=due)
    assert [c.department_name for c in summary.submitted] == ["Finance"]
    assert [c.department_name for c in summary.missing] == ["Legal"]
    assert [c.excuse_reason for c in summary.excused] == ["Audit week"]
    with deps.uow() as uow:
        again = reports.close_period(uow, project_id=made.project_id, period=P0, now=due)
        statuses = sorted(r.status for r in uow.session.scalars(select(Report)))
    assert statuses == ["excused", "late", "submitted"]
    assert [c.department_name for c in again.missing] == ["Legal"]

    text, blocks = views.summary_message(summary, translator("en"))
    assert "1 submitted, 1 missing, 1 excused" in text
    rendered = json.dumps([b.to_dict() for b in blocks])
    assert "<@ULEGAL>" in rendered and "Audit week" in rendered
    assert f"<!date^{int(P0.ends_at('Asia/Shanghai').timestamp())}^" in rendered
    zh_text, _blocks = views.summary_message(summary, translator("zh-Hans"))
    assert "已提交 1 份" in zh_text


def test_close_period_creates_reports_the_prompt_never_made(deps: Deps) -> None:
    made = with_leads(deps)
    with deps.uow() as uow:
        summary = reports.close_period(uow, project_id=made.project_id, period=P0, now=CLOSED_P0)
    assert len(summary.missing) == 3 and count(deps, Report) == 3


def test_timeliness_per_department_per_month(deps: Deps) -> None:
    made = with_leads(deps)
    on_time = CLOSED_P0
    late = P1.due_at("Asia/Shanghai", 2) + dt.timedelta(hours=1)
    # P0 ends 11-15 and P1 ends 11-29: both in November.
    submit_report(deps, made, DepartmentKind.FINANCE, LEAD, P0, on_time)
    submit_report(deps, made, DepartmentKind.FINANCE, LEAD, P1, late)
    submit_report(deps, made, DepartmentKind.LEGAL, "ULEGAL", P0, on_time)
    with deps.uow() as uow:
        reports.close_period(uow, project_id=made.project_id, period=P0, now=on_time)
        summary = reports.close_period(uow, project_id=made.project_id, period=P1, now=late)
        ops = next(c for c in summary.missing if c.lead_user_id == "UOPS")
        assert ops.report_id is not None
        reports.excuse(
            uow,
            team_id=TEAM_ID,
            report_id=ops.report_id,
            user_id="UOPS",
            reason="Holiday",
            now=late,
        )
    with deps.uow() as uow:
        result = reports.timeliness(uow, project_id=made.project_id, month=dt.date(2026, 11, 1))
        december = reports.timeliness(uow, project_id=made.project_id, month=dt.date(2026, 12, 1))
    finance = result[made.departments[DepartmentKind.FINANCE]]
    legal = result[made.departments[DepartmentKind.LEGAL]]
    ops_result = result[made.departments[DepartmentKind.OPERATIONS]]
    assert (finance.expected, finance.on_time, str(finance.ratio)) == (2, 1, "0.5")
    assert (legal.expected, legal.on_time) == (2, 1)  # P0 on time, P1 missing
    assert (ops_result.expected, ops_result.on_time) == (1, 0)  # P0 missing, P1 excused
    assert december == {}


def test_resubmitting_keeps_the_first_timeliness(deps: Deps) -> None:
    made = with_leads(deps)
    submit_report(deps, made, DepartmentKind.FINANCE, LEAD, P0, CLOSED_P0)
    submit_report(deps, made, DepartmentKind.FINANCE, LEAD, P0, CLOSED_P0 + dt.timedelta(days=10))
    with deps.uow() as uow:
        [report] = uow.session.scalars(select(Report)).all()
        assert report.on_time is True


def test_demo_has_a_closed_period_of_reports(deps: Deps) -> None:
    from bot.demo import DEMO_CODE, DEMO_TEAM, load_demo

    load_demo(deps)
    with deps.uow() as uow:
        project = uow.projects.by_code(DEMO_TEAM, DEMO_CODE)
        assert project is not None
        rows = uow.session.scalars(select(Report).where(Report.project_id == project.id)).all()
        last_closed = reports.current_period(project, deps.now()).previous()
        by_period: dict[dt.date, list[tuple[str, bool | None]]] = {}
        for row in rows:
            by_period.setdefault(row.period_start, []).append((row.status, row.on_time))
    statuses = sorted(status for status, _on_time in by_period.pop(last_closed.start))
    assert statuses == ["excused", "late"] + ["submitted"] * 5
    # The demo's ten weeks: the earlier periods were all reported, a few of them late.
    assert len(by_period) >= 4 and max(by_period) < last_closed.start
    earlier = [r for period in by_period.values() for r in period]
    assert all(len(period) == 7 for period in by_period.values())
    assert {status for status, _on_time in earlier} == {"submitted"}
    assert 0 < sum(1 for _status, on_time in earlier if on_time is False) < len(earlier) // 4
