"""Human names of stored enum values, in the translation layer."""

from __future__ import annotations

from typing import Final

from bot.i18n import Msg, _
from storage.models import BudgetCategory, DepartmentKind, Phase, Raci

DEPARTMENT_KIND: Final[dict[str, Msg]] = {
    DepartmentKind.FINANCE: _("Finance"),
    DepartmentKind.ENGINEERING: _("Engineering"),
    DepartmentKind.LEGAL: _("Legal"),
    DepartmentKind.OPERATIONS: _("Operations"),
    DepartmentKind.DESIGN: _("Design institute"),
    DepartmentKind.CONSTRUCTION: _("Construction contractor"),
    DepartmentKind.SUPERVISION: _("Supervision unit"),
    DepartmentKind.OTHER: _("Other"),
}

PHASE: Final[dict[str, Msg]] = {
    Phase.INITIATION: _("Initiation phase"),
    Phase.FINANCING: _("Financing phase"),
    Phase.CONSTRUCTION: _("Construction phase"),
    Phase.OPERATION: _("Operation phase"),
}

RACI: Final[dict[str, Msg]] = {
    Raci.RESPONSIBLE: _("Responsible"),
    Raci.ACCOUNTABLE: _("Accountable"),
    Raci.CONSULTED: _("Consulted"),
    Raci.INFORMED: _("Informed"),
}

BUDGET_CATEGORY: Final[dict[str, Msg]] = {
    BudgetCategory.LAND: _("Land acquisition"),
    BudgetCategory.CONSTRUCTION: _("Construction works"),
    BudgetCategory.EQUIPMENT: _("Equipment"),
    BudgetCategory.DESIGN: _("Design and surveys"),
    BudgetCategory.FINANCING_COSTS: _("Financing costs"),
    BudgetCategory.LEGAL: _("Legal and advisory"),
    BudgetCategory.OPERATIONS: _("Operating costs"),
    BudgetCategory.CONTINGENCY: _("Contingency"),
    BudgetCategory.OTHER: _("Other"),
}

# Responsibility areas of the default matrix, by key.
AREA: Final[dict[str, Msg]] = {
    "budget_preparation": _("Budget preparation"),
    "feasibility_design": _("Feasibility study and design"),
    "financing_plan": _("Financing plan and lender relations"),
    "contract_review": _("Contract review"),
    "fund_use_monitoring": _("Fund-use monitoring"),
    "quality_supervision": _("Quality and safety supervision"),
    "schedule_progress": _("Schedule and progress"),
    "operation_maintenance": _("Operation and maintenance"),
    "debt_service": _("Debt service and reporting"),
}

WEEKDAY: Final[tuple[Msg, ...]] = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)


def area_label(key: str) -> Msg:
    """The label of a responsibility area; a PM-added area is shown as typed."""
    return AREA.get(key) or Msg(key)
