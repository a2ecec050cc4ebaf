"""What a new project starts with: the usual departments and a responsibility matrix."""

from __future__ import annotations

from typing import Final

from bot.i18n import translator
from bot.labels import DEPARTMENT_KIND
from storage.models import (
    Department,
    DepartmentKind,
    Phase,
    Project,
    Raci,
    Responsibility,
)
from storage.uow import UnitOfWork

_R, _A, _C, _I = Raci.RESPONSIBLE, Raci.ACCOUNTABLE, Raci.CONSULTED, Raci.INFORMED
_K = DepartmentKind

# The usual set of departments a project starts with (the PM can change it).
DEFAULT_DEPARTMENTS: Final = (
    _K.FINANCE,
    _K.ENGINEERING,
    _K.LEGAL,
    _K.OPERATIONS,
    _K.DESIGN,
    _K.CONSTRUCTION,
    _K.SUPERVISION,
)

# The seed article: finance prepares the budget at the start, operations monitors fund use
# during execution; the rest is common project-finance practice.
DEFAULT_MATRIX: Final[dict[tuple[Phase, str], dict[DepartmentKind, Raci]]] = {
    (Phase.INITIATION, "budget_preparation"): {
        _K.FINANCE: _R,
        _K.ENGINEERING: _C,
        _K.DESIGN: _C,
        _K.OPERATIONS: _I,
    },
    (Phase.INITIATION, "feasibility_design"): {_K.DESIGN: _R, _K.ENGINEERING: _A, _K.FINANCE: _C},
    (Phase.FINANCING, "financing_plan"): {_K.FINANCE: _R, _K.LEGAL: _C, _K.OPERATIONS: _I},
    (Phase.FINANCING, "contract_review"): {_K.LEGAL: _R, _K.FINANCE: _C, _K.ENGINEERING: _C},
    (Phase.CONSTRUCTION, "fund_use_monitoring"): {
        _K.OPERATIONS: _R,
        _K.FINANCE: _A,
        _K.CONSTRUCTION: _C,
        _K.SUPERVISION: _I,
    },
    (Phase.CONSTRUCTION, "quality_supervision"): {
        _K.SUPERVISION: _R,
        _K.ENGINEERING: _A,
        _K.CONSTRUCTION: _C,
    },
    (Phase.CONSTRUCTION, "schedule_progress"): {
        _K.CONSTRUCTION: _R,
        _K.ENGINEERING: _A,
        _K.OPERATIONS: _I,
    },
    (Phase.OPERATION, "operation_maintenance"): {
        _K.OPERATIONS: _R,
        _K.ENGINEERING: _C,
        _K.FINANCE: _I,
    },
    (Phase.OPERATION, "debt_service"): {_K.FINANCE: _R, _K.LEGAL: _C, _K.OPERATIONS: _I},
}


def seed_departments(project: Project) -> None:
    """Give a new project the usual departments, named in its language."""
    tr = translator(project.locale)
    project.departments = [
        Department(kind=kind, name=tr(DEPARTMENT_KIND[kind]), responsibilities="")
        for kind in DEFAULT_DEPARTMENTS
    ]


def seed_matrix(uow: UnitOfWork, project: Project) -> None:
    """Fill the responsibility matrix from `DEFAULT_MATRIX` (departments must be flushed)."""
    by_kind = {d.kind: d for d in project.departments}
    for (phase, area), roles in DEFAULT_MATRIX.items():
        for kind, role in roles.items():
            department = by_kind.get(kind)
            if department is not None:
                uow.projects.add_responsibility(
                    Responsibility(
                        project_id=project.id,
                        phase=phase,
                        area=area,
                        department_id=department.id,
                        role=role,
                    )
                )
