"""Demo fund-use reports: every 14-day period of the last ten weeks, reported by the leads.

The periods before the last were all reported, one or two late; the last closed period is
mostly submitted, with one department late (it never reported) and one excused.
"""

from __future__ import annotations

import datetime as dt
from typing import Final
from zoneinfo import ZoneInfo

from bot.app import Deps
from bot.demo.project import HISTORY_DAYS
from bot.forms import Form
from bot.periods import Period, period_at
from bot.services import reports
from bot.services.projects import project_by_id
from bot.services.reports import ReportField
from storage.models import DepartmentKind, Project

_K = DepartmentKind

# kind → (summary, next-period plan, issues) of the last closed period. Legal is left
# without a report: it turns late.
SUBMITTED: Final = {
    _K.FINANCE: (
        "支付建设期利息 1,250 万元,第二笔银团贷款提款已到账。",
        "准备第三笔提款申请,复核资金缺口测算。",
        "",
    ),
    _K.CONSTRUCTION: (
        "完成 K12–K15 路基土方,支付进度款 3,800 万元。",
        "开始 3 号特大桥桩基施工。",
        "雨季可能影响土方进度。",
    ),
    _K.ENGINEERING: ("机电系统招标完成,支付定金 600 万元。", "签订收费系统合同。", ""),
    _K.DESIGN: ("施工图第二批交付,支付设计费 420 万元。", "完成互通立交变更设计。", ""),
    _K.SUPERVISION: ("监理月报已交,无资金使用。", "加强桩基旁站监理。", ""),
}
EXCUSED: Final = (_K.OPERATIONS, "征地工作组本期全部在外协调拆迁,下期合并报告。")

# The earlier periods: what each department reported (the same few lines of work, period
# after period, as real reports read), and who was late in which period (periods back).
EARLIER: Final = {
    _K.FINANCE: ("完成本期资金收支核对,支付进度款及设计费。", "跟进银团贷款提款计划。"),
    _K.CONSTRUCTION: ("路基土石方按计划推进,完成本期计量。", "继续路基施工,准备桥梁桩基。"),
    _K.ENGINEERING: ("机电系统招标文件编制,完成技术评审。", "发布机电系统招标公告。"),
    _K.DESIGN: ("施工图设计按节点交付,配合现场技术交底。", "完成下一批施工图。"),
    _K.SUPERVISION: ("完成本期监理巡检与计量复核。", "重点检查隐蔽工程验收。"),
    _K.OPERATIONS: ("推进 K0–K12 段征地补偿签约。", "启动 K12–K18 段拆迁谈判。"),
    _K.LEGAL: ("审核贷款协议补充条款及施工合同变更。", "跟进担保文件办理。"),
}
LATE: Final = {2: _K.LEGAL, 3: _K.CONSTRUCTION, 4: _K.LEGAL}


def _periods(project: Project, now: dt.datetime) -> list[Period]:
    """The closed periods of the demo's history, the last one first."""
    last = period_at(project.report_anchor, now, project.timezone).previous()
    today = now.astimezone(ZoneInfo(project.timezone)).date()
    first_day = today - dt.timedelta(days=HISTORY_DAYS)
    found = [last]
    while (before := found[-1].previous()).end >= first_day and (
        before.start >= project.report_anchor
    ):
        found.append(before)
    return found


def seed(deps: Deps, project_id: int) -> None:
    """Add the reports of the demo's closed periods to the demo project."""
    now = deps.now()
    with deps.uow() as uow:
        project = project_by_id(uow, project_id)
        team_id, timezone, due_days = project.team_id, project.timezone, project.report_due_days
        periods = _periods(project, now)
        departments = {d.kind: d for d in uow.projects.departments(project_id)}
        leads = {k: (d.id, d.lead_user_id or "") for k, d in departments.items()}
    for back, period in reversed(list(enumerate(periods))):
        with deps.uow() as uow:
            cards = {
                c.department_id: c
                for c in reports.open_period(uow, project_id=project_id, period=period)
            }
        ends = period.ends_at(timezone)
        due = period.due_at(timezone, due_days)
        if back == 0:
            texts = SUBMITTED
        else:
            texts = {k: (summary, plan, "") for k, (summary, plan) in EARLIER.items()}
        for offset, (kind, (summary, plan, issues)) in enumerate(texts.items()):
            department_id, lead = leads[kind]
            late = LATE.get(back) == kind
            when = (
                (due + dt.timedelta(days=2)) if late else ends + dt.timedelta(hours=2 + 5 * offset)
            )
            with deps.uow() as uow:
                reports.submit_report(
                    uow,
                    team_id=team_id,
                    project_id=project_id,
                    department_id=department_id,
                    period_key=period.key,
                    user_id=lead,
                    form=Form.of(ReportField, summary=summary, next_plan=plan, issues=issues),
                    now=min(now, when),
                )
        if back == 0:
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
                uow,
                project_id=project_id,
                period=period,
                now=max(now, ends + dt.timedelta(days=2)) if back == 0 else due,
            )
