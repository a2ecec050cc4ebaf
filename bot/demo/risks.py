"""Demo risks for HWY-42: the ones the seed article warns about, at different stages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Final

from bot.app import Deps
from bot.demo.project import DEMO_TEAM, PEOPLE, PM
from bot.forms import Form
from bot.services import risks
from bot.services.risks import RiskCard, RiskField
from storage.models import DepartmentKind, RiskCategory, RiskTreatment

_K = DepartmentKind
_C = RiskCategory
_T = RiskTreatment

# Days ago each risk of RISKS was raised: over the last ten weeks, one in the last week.
RAISED: Final = (54, 61, 66, 40, 26, 6, 33)

# title, description, category, likelihood, impact, owning department, mitigation, treatment
RISKS: Final = [
    (
        "资金链断裂：银团第二笔提款延迟",
        "银团贷款第二笔 3 亿元提款因担保文件未齐延迟，按近四周支出速度，账面资金仅够 6 周。",
        _C.FUNDING_LIQUIDITY,
        4,
        5,
        _K.FINANCE,
        "申请股东过桥借款 2 亿元；法务部本周补齐担保文件；与牵头行确认提款时间表。",
        _T.TREAT,
    ),
    (
        "合作方违约：路基标段施工单位资金紧张",
        "三标段施工单位连续两个月拖欠分包款，现场劳务人数下降 30%，存在停工风险。",
        _C.COUNTERPARTY_DEFAULT,
        3,
        4,
        _K.CONSTRUCTION,
        "监理单位每周核查现场人数；按合同启动履约保函核查；准备替代施工队伍名单。",
        _T.TREAT,
    ),
    (
        "征地延误：K12–K18 段拆迁补偿谈判未完成",
        "K12–K18 段 43 户拆迁补偿尚未签约，影响路基工程 11 月进场。",
        _C.SCHEDULE,
        4,
        3,
        _K.OPERATIONS,
        "与区征地办每周会商；调整施工顺序，先做 K18 以后段落。",
        _T.TREAT,
    ),
    (
        "钢材价格上涨导致桥梁工程成本超支",
        "螺纹钢价格较概算上涨 12%，桥梁工程预计超支约 1,800 万元。",
        _C.COST_OVERRUN,
        3,
        3,
        _K.ENGINEERING,
        "锁定下季度钢材采购价；评估预备费使用。",
        _T.TRANSFER,
    ),
    (
        "LPR 上调增加建设期利息",
        "若 LPR 上调 25 个基点，建设期利息增加约 600 万元。",
        _C.INTEREST_RATE,
        2,
        3,
        _K.FINANCE,
        "研究利率互换；在财务模型中做敏感性分析。",
        _T.TOLERATE,
    ),
    (
        "台风季影响跨海桥梁施工",
        "7–9 月台风季可能导致海上作业停工 3–4 周。",
        _C.FORCE_MAJEURE,
        3,
        3,
        _K.CONSTRUCTION,
        "投保建筑工程一切险；把海上作业安排在台风季之前。",
        _T.TRANSFER,
    ),
    (
        "环评批复附加条件变更",
        "环保部门拟对弃土场选址提出新的要求。",
        _C.REGULATORY_LEGAL,
        2,
        2,
        _K.LEGAL,
        "设计院提交弃土场比选方案。",
        _T.TREAT,
    ),
]


def seed(deps: Deps, project_id: int) -> None:
    """Raise the demo risks; acknowledge, update and close some so every state shows."""
    now = deps.now()
    cards = _raise(deps, project_id, now)
    funding, partner, land, _steel, _rate, _typhoon, permit = cards

    def ago(days: int) -> dt.datetime:
        return now - dt.timedelta(days=days)

    def by(
        user: str, days: int, change: Callable[..., RiskCard], card: RiskCard, **more: str
    ) -> None:
        """`user` makes `change` to `card` `days` ago, in a transaction of its own."""
        with deps.uow() as uow:
            change(uow, team_id=DEMO_TEAM, risk_id=card.id, user_id=user, now=ago(days), **more)

    by(PEOPLE[_K.FINANCE][0], 53, risks.acknowledge, funding)
    update = "股东会已同意过桥借款 2 亿元，预计下周到账。"
    by(PEOPLE[_K.FINANCE][0], 20, risks.add_update, funding, text=update, status="mitigating")
    by(PEOPLE[_K.CONSTRUCTION][0], 59, risks.take_ownership, partner)
    by(PEOPLE[_K.OPERATIONS][0], 65, risks.acknowledge, land)
    by(PM, 3, risks.close_risk, permit, note="环保部门已书面确认原弃土场方案。")


def _raise(deps: Deps, project_id: int, now: dt.datetime) -> list[RiskCard]:
    with deps.uow() as uow:
        departments = {d.kind: d.id for d in uow.projects.departments(project_id)}
    cards = []
    for index, (
        title,
        text,
        category,
        likelihood,
        impact,
        kind,
        mitigation,
        treatment,
    ) in enumerate(RISKS):
        lead = PEOPLE[kind][0]
        form = Form.of(
            RiskField,
            title=title,
            description=text,
            category=category,
            likelihood=str(likelihood),
            impact=str(impact),
            owner=lead if index != 1 else None,
            department=str(departments[kind]),
            mitigation=mitigation,
            treatment=treatment,
        )
        raiser = PEOPLE[kind][1][0]
        with deps.uow() as uow:
            cards.append(
                risks.create_risk(
                    uow,
                    team_id=DEMO_TEAM,
                    project_id=project_id,
                    user_id=raiser,
                    form=form,
                    now=now - dt.timedelta(days=RAISED[index]),
                )
            )
    return cards
