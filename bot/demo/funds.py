"""Demo fund use for HWY-42 over the last ten weeks: invoices against the budget lines (the
large ones approved by the finance lead or the PM under the default policy), a duplicate
voided, one entry still waiting for approval, and two funding sources (资本金 and 银团贷款)
with drawdowns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from bot.app import Deps
from bot.forms import Form
from bot.services import approvals, funds
from bot.services.approvals import ItemKind
from bot.services.funds import DrawdownField, FundField, SourceField
from bot.services.projects import project_by_id
from storage.models import FundingKind

T = TypeVar("T")

PM: Final = "U0DEMOPM"
FINANCE_LEAD: Final = "U0FINLEAD"
REPORTER: Final = "U0FIN1"

# name, kind, committed
SOURCES: Final = [
    ("资本金", FundingKind.EQUITY, "3.6亿"),
    ("银团贷款", FundingKind.SENIOR_DEBT, "8.4亿"),
]
# source, amount, days ago, drawdown notice
DRAWDOWNS: Final = [
    ("资本金", "8000万", 68, "ZBJ-2026-01"),
    ("银团贷款", "6000万", 40, "TK-2026-003"),
    ("银团贷款", "4000万", 12, "TK-2026-004"),
]


def _lot1_payment(period: int, amount: str, days_ago: int) -> tuple[str, str, int, str, str]:
    """A monthly progress payment (计量) on lot 1's earthworks contract, HT-LJ01-2026."""
    return (
        "路基桥梁工程",
        amount,
        days_ago,
        f"一标段路基土石方工程进度款（第 {period} 期计量）",
        f"HT-LJ01-2026-{period:03d}",
    )


# budget line, amount, days ago, purpose, reference (invoice / contract no.): ten weeks of
# progress payments, so a week's spending is a part of the total and the chart has a shape.
ENTRIES: Final = [
    ("征地拆迁", "1,720万", 66, "K0+000–K8+500 段征地补偿款（第一批）", "ZD-2026-031"),
    _lot1_payment(1, "1,380万", 59),
    ("勘察设计", "300万", 52, "施工图设计第一阶段设计费", "SJ-2026-009 / 发票 04418817"),
    ("机电与收费系统", "368万", 45, "收费站车道设备采购预付款（30%）", "INV-44120931"),
    ("建设期利息", "612.4万", 33, "银团贷款第三季度利息", "LX-2026Q3"),
    _lot1_payment(2, "1,420万", 31),
    ("征地拆迁", "1,140万", 26, "K8+500–K12+000 段征地补偿款（第二批）", "ZD-2026-047"),
    ("勘察设计", "220万", 24, "施工图设计第二阶段设计费", "SJ-2026-012 / 发票 04419281"),
    ("路基桥梁工程", "1,286.5万", 17, "洪塘特大桥桩基施工进度款", "HT-QL02-2026-007"),
    _lot1_payment(3, "1,350万", 10),
    ("法律及咨询", "86万", 6, "项目融资法律顾问服务费", "INV-31009876"),
    ("预备费", "45.3万", 3, "台风过境后临时排水应急处置", "YB-2026-004"),
    ("路基桥梁工程", "932.8万", 1, "二标段涵洞及防护工程进度款", "HT-LJ02-2026-005"),
]
# An invoice entered twice (the reporter overrides the duplicate check); the finance lead
# voids the copy.
DUPLICATE: Final = ("法律及咨询", "86万", 6, "项目融资法律顾问服务费", "INV-31009876")
OVERRIDE: Final = "供应商称首笔未到账，重新提交"
# Waits for the finance lead's approval (from 50万 under the default policy).
PENDING: Final = ("预备费", "120万", 0, "K15 边坡防护应急加固", "YB-2026-005")


@dataclass(frozen=True)
class _When:
    """The demo project's days: `day` an entry's date, `at` when it was typed in."""

    team_id: str
    project_id: int
    now: dt.datetime
    today: dt.date
    began: dt.date

    def day(self, days_ago: int) -> str:
        return max(self.began, self.today - dt.timedelta(days=days_ago)).isoformat()

    def at(self, days_ago: int, hours: int = 0) -> dt.datetime:
        """When an entry of `days_ago` was typed in (and approved `hours` later): never ahead
        of the clock, so the audit trail reads as ten weeks of work."""
        return min(self.now, self.now - dt.timedelta(days=days_ago) + dt.timedelta(hours=hours))


def seed(deps: Deps, project_id: int) -> None:
    now = deps.now()
    with deps.uow() as uow:
        project = project_by_id(uow, project_id)
        when = _When(
            project.team_id,
            project_id,
            now,
            funds.project_today(project, now),
            funds.project_began(project),
        )
        lines = {line.name: line.id for line in uow.funds.lines(project_id)}
    _sources(deps, when)
    duplicate = _entries(deps, when, lines)
    _by(
        deps,
        when,
        FINANCE_LEAD,
        funds.void_entry,
        entry_id=duplicate.id,
        reason="发票重复登记（与前一笔同号 INV-31009876）",
        now=when.at(DUPLICATE[2], hours=20),
    )
    with deps.uow() as uow:  # the seed posts no alert: the first runway_check warns
        project = project_by_id(uow, project_id)
        funds.rearm_runway_alert(uow, project, now=now)
        uow.commit()


def _by(deps: Deps, when: _When, user: str, service: Callable[..., T], **arguments: Any) -> T:
    """`service(uow, team_id=…, project_id=…, user_id=user, **arguments)` on the demo project,
    in a transaction of its own."""
    with deps.uow() as uow:
        return service(
            uow, team_id=when.team_id, project_id=when.project_id, user_id=user, **arguments
        )


def _sources(deps: Deps, when: _When) -> None:
    source_ids = {}
    for name, kind, committed in SOURCES:
        form = Form.of(SourceField, source_name=name, source_kind=kind, committed=committed)
        source_ids[name], _created = _by(deps, when, PM, funds.save_source, form=form)
    for name, amount, days_ago, reference in DRAWDOWNS:
        drawdown = Form.of(
            DrawdownField,
            source=str(source_ids[name]),
            amount=amount,
            date=when.day(days_ago),
            reference=reference,
        )
        _by(deps, when, FINANCE_LEAD, funds.record_drawdown, form=drawdown, now=when.at(days_ago))


def _entries(deps: Deps, when: _When, lines: dict[str, int]) -> funds.Outcome:
    """Record the entries (the large ones approved); the duplicate, to be voided."""
    duplicate = None
    for line, amount, days_ago, purpose, reference in [*ENTRIES, DUPLICATE, PENDING]:
        entry = Form.of(
            FundField,
            line=str(lines[line]),
            amount=amount,
            date=when.day(days_ago),
            purpose=purpose,
            reference=reference,
            reason=OVERRIDE if reference == DUPLICATE[4] else None,
        )
        recorded = _by(deps, when, REPORTER, funds.record_entry, form=entry, now=when.at(days_ago))
        if recorded.pending_role is not None and reference != PENDING[4]:
            with deps.uow() as uow:
                approvals.decide(
                    uow,
                    team_id=when.team_id,
                    user_id=recorded.approvers[0],
                    kind=ItemKind.ENTRY,
                    item_id=recorded.id,
                    approve=True,
                    note=None,
                    now=when.at(days_ago, hours=3),
                )
        if reference == DUPLICATE[4] and recorded.findings:
            duplicate = recorded
    assert duplicate is not None
    return duplicate
