"""Demo fund-use reports: the last closed period, mostly submitted, one late, one excused."""

from __future__ import annotations

import datetime as dt
from typing import Final

from bot.app import Deps
from bot.periods import period_at
from bot.services import reports
from bot.services.reports import ReportForm
from storage.models import DepartmentKind, Project

# kind → (summary, next-period plan, issues). Legal is left without a report: it turns late.
SUBMITTED: Final = {
    DepartmentKind.FINANCE: (
        "支付建设期利息 1,250 万元,第二笔银团贷款提款已到账。",
        "准备第三笔提款申请,复核资金缺口测算。",
        "",
    ),
    DepartmentKind.CONSTRUCTION: (
        "完成 K12–K15 路基土方,支付进度款 3,800 万元。",
        "开始 3 号特大桥桩基施工。",
        "雨季可能影响土方进度。",
    ),
    DepartmentKind.ENGINEERING: ("机电系统招标完成,支付定金 600 万元。", "签订收费系统合同。", ""),
    DepartmentKind.DESIGN: ("施工图第二批交付,支付设计费 420 万元。", "完成互通立交变更设计。", ""),
    DepartmentKind.SUPERVISION: ("监理月报已交,无资金使用。", "加强桩基旁站监理。", ""),
}
EXCUSED: Final = (DepartmentKind.OPERATIONS, "征地工作组本期全部在外协调拆迁,下期合并报告。")


def seed(deps: Deps, project_id: int) -> None:
    """Add the last closed period's reports to the demo project."""
    now = deps.now()
    with deps.uow() as uow:
        project = uow.session.get(Project, project_id)
        assert project is not None
        team_id, timezone = project.team_id, project.timezone
        period = period_at(project.report_anchor, now, timezone).previous()
        departments = {d.kind: d for d in uow.projects.departments(project_id)}
        leads = {k: (d.id, d.lead_user_id or "") for k, d in departments.items()}
        cards = {
            c.department_id: c
            for c in reports.open_period(uow, project_id=project_id, period=period)
        }
    ends = period.ends_at(timezone)
    for offset, (kind, (summary, plan, issues)) in enumerate(SUBMITTED.items()):
        department_id, lead = leads[kind]
        with deps.uow() as uow:
            reports.submit_report(
                uow,
                team_id=team_id,
                project_id=project_id,
                department_id=department_id,
                period_key=period.key,
                user_id=lead,
                form=ReportForm(summary=summary, next_plan=plan, issues=issues),
                now=ends + dt.timedelta(hours=2 + 5 * offset),
            )
    kind, reason = EXCUSED
    department_id, lead = leads[kind]
    report_id = cards[department_id].report_id
    assert report_id is not None
    with deps.uow() as uow:
        reports.excuse(
            uow, team_id=team_id, report_id=report_id, user_id=lead, reason=reason, now=ends
        )
    with deps.uow() as uow:
        reports.close_period(
            uow, project_id=project_id, period=period, now=max(now, ends + dt.timedelta(days=2))
        )
