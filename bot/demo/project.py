"""The demo project itself: a highway PPP in CNY with seven departments and budget lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Final

from bot.app import Deps
from bot.forms import Form
from bot.services.projects import ProjectField, save_project
from bot.services.scorecard import previous_month
from storage.models import BudgetCategory, BudgetLine, DepartmentKind, DepartmentMember

DEMO_TEAM: Final = "T0DEMO"
DEMO_CHANNEL: Final = "C0DEMOHWY"
DEMO_CODE: Final = "HWY-42"
PM: Final = "U0DEMOPM"

# kind → (lead, members): Slack user ids of the demo's people.
PEOPLE: Final = {
    DepartmentKind.FINANCE: ("U0FINLEAD", ["U0FIN1", "U0FIN2"]),
    DepartmentKind.ENGINEERING: ("U0ENGLEAD", ["U0ENG1", "U0ENG2", "U0ENG3"]),
    DepartmentKind.LEGAL: ("U0LEGLEAD", ["U0LEG1"]),
    DepartmentKind.OPERATIONS: ("U0OPSLEAD", ["U0OPS1", "U0OPS2"]),
    DepartmentKind.DESIGN: ("U0DESLEAD", ["U0DES1"]),
    DepartmentKind.CONSTRUCTION: ("U0CONLEAD", ["U0CON1", "U0CON2", "U0CON3"]),
    DepartmentKind.SUPERVISION: ("U0SUPLEAD", ["U0SUP1"]),
}

# name, category, department kind, allocated (CNY)
BUDGET: Final[list[tuple[str, BudgetCategory, DepartmentKind | None, Decimal]]] = [
    ("征地拆迁", BudgetCategory.LAND, DepartmentKind.OPERATIONS, Decimal("180000000")),
    (
        "路基桥梁工程",
        BudgetCategory.CONSTRUCTION,
        DepartmentKind.CONSTRUCTION,
        Decimal("620000000"),
    ),
    ("机电与收费系统", BudgetCategory.EQUIPMENT, DepartmentKind.ENGINEERING, Decimal("95000000")),
    ("勘察设计", BudgetCategory.DESIGN, DepartmentKind.DESIGN, Decimal("42000000")),
    ("建设期利息", BudgetCategory.FINANCING_COSTS, DepartmentKind.FINANCE, Decimal("150000000")),
    ("法律及咨询", BudgetCategory.LEGAL, DepartmentKind.LEGAL, Decimal("18000000")),
    ("预备费", BudgetCategory.CONTINGENCY, None, Decimal("95000000")),
]


# The demo's records span this many days before today (fund use, reports, feedback, risks,
# surveys), so a digest's week differs from the total and the scorecard has a trend.
HISTORY_DAYS: Final = 70


def first_report_day(today: dt.date) -> dt.date:
    """The demo's report anchor: a 14-day period boundary at least `HISTORY_DAYS` back (in
    step with the first of last month), so every period the demo seeds reports for is a
    real one — on or after the anchor, opened by its prompt — and fund use may be dated
    back that far."""
    anchor = previous_month(today)
    while anchor > today - dt.timedelta(days=HISTORY_DAYS):
        anchor -= dt.timedelta(days=14)
    return anchor


def create_project(deps: Deps) -> int:
    """Create HWY-42 with leads, members and budget lines; return its id."""
    with deps.uow() as uow:
        form = Form.of(
            ProjectField,
            code=DEMO_CODE,
            name="沿海高速公路 PPP 项目",
            currency="CNY",
            total_budget="12亿",
            timezone="Asia/Shanghai",
            locale="zh-Hans",
            meeting_weekday="0",
            meeting_time="10:00",
            report_anchor=first_report_day(deps.now().date()).isoformat(),
            pms=[PM],
        )
        saved = save_project(uow, team_id=DEMO_TEAM, channel_id=DEMO_CHANNEL, user_id=PM, form=form)
    with deps.uow() as uow:
        departments = {d.kind: d for d in uow.projects.departments(saved.project_id)}
        for kind, (lead, members) in PEOPLE.items():
            department = departments[kind]
            department.lead_user_id = lead
            department.members = [DepartmentMember(user_id=u) for u in [lead, *members]]
        for name, category, owner, allocated in BUDGET:
            uow.projects.add_budget_line(
                BudgetLine(
                    project_id=saved.project_id,
                    name=name,
                    category=category,
                    department_id=departments[owner].id if owner else None,
                    allocated=allocated,
                )
            )
        uow.commit()
    return saved.project_id
