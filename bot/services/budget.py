"""Budget lines: allocations per category and department against the project's total."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from bot.errors import found
from bot.forms import Form, check_amount, stripped
from bot.i18n import Msg, _
from bot.money_format import as_typed
from bot.services.admin import refuse_errors, save_named
from bot.services.departments import clean_name
from bot.services.funds import LineStatus
from bot.services.funds.status import LineTotals
from bot.services.projects import get_project, pm_project
from bot.services.thresholds import crossed_threshold
from storage.models import BudgetCategory, BudgetLine
from storage.uow import UnitOfWork


class BudgetField(StrEnum):
    NAME = "name"
    CATEGORY = "category"
    DEPARTMENT = "department"  # a department id, or None for "no department"
    ALLOCATED = "allocated"
    CLOSED = "closed"  # ticked: no new fund use without a PM's approval


LineRow = LineStatus  # the budget list's rows are the one budget-vs-actual type


@dataclass(frozen=True)
class BudgetOverview(LineTotals):
    currency: str
    total_budget: Decimal
    lines: tuple[LineRow, ...]

    @property
    def unallocated(self) -> Decimal:
        """Total budget minus allocations; negative when the lines exceed the budget."""
        return self.total_budget - self.allocated


def validate_line(
    form: Form[BudgetField], *, currency: str, departments: dict[int, str]
) -> tuple[dict[str, Any], dict[str, Msg]]:
    """Check every field (pure); return clean values and an error per bad field."""
    errors: dict[str, Msg] = {}
    values: dict[str, Any] = {}
    values["name"] = clean_name(form, BudgetField.NAME, errors)
    category = form.text(BudgetField.CATEGORY)
    if not category:
        errors[BudgetField.CATEGORY] = _("This field is required.")
    elif category not in set(BudgetCategory):
        errors[BudgetField.CATEGORY] = _("Choose a category from the list.")
    values["category"] = category
    department = stripped(form.text(BudgetField.DEPARTMENT))
    values["department_id"] = None
    if department:
        if department.isdigit() and int(department) in departments:
            values["department_id"] = int(department)
        else:
            errors[BudgetField.DEPARTMENT] = _(
                "That department no longer exists. Choose another one."
            )
    values["allocated"] = check_amount(form, BudgetField.ALLOCATED, currency, errors)
    return values, errors


def _snapshot(line: BudgetLine) -> dict[str, Any]:
    return {
        "name": line.name,
        "category": line.category,
        "department_id": line.department_id,
        "allocated": str(line.allocated),
        "alerted_percent": line.alerted_percent,
        "closed": bool(line.closed),
    }


def _row(line: BudgetLine, departments: dict[int, str]) -> LineRow:
    """The line's row of the budget list, with the name of its department (if any)."""
    return LineStatus.of(line, departments.get(line.department_id) if line.department_id else None)


def overview(uow: UnitOfWork, *, team_id: str, project_id: int) -> BudgetOverview:
    """Every budget line with its running spent total, and the project's total budget."""
    project = get_project(uow, team_id, project_id)
    names = uow.projects.department_names(project_id)
    lines = tuple(_row(line, names) for line in uow.funds.lines(project_id))
    return BudgetOverview(project.currency, project.total_budget, lines)


def line_form(
    uow: UnitOfWork, *, team_id: str, project_id: int, user_id: str, line_id: int | None
) -> tuple[Form[BudgetField], dict[int, str], str]:
    """The modal's starting values, the department choices and the currency; PMs only."""
    project = pm_project(uow, team_id, project_id, user_id)
    departments = uow.projects.department_names(project_id)
    if line_id is None:
        return Form(BudgetField), departments, project.currency
    line = line_of(uow, project_id, line_id)
    form = Form.of(
        BudgetField,
        name=line.name,
        category=line.category,
        department=str(line.department_id) if line.department_id else None,
        allocated=as_typed(line.allocated, project.locale),
        closed=[BudgetField.CLOSED.value] if line.closed else [],
    )
    return form, departments, project.currency


def line_of(uow: UnitOfWork, project_id: int, line_id: int) -> BudgetLine:
    """A budget line of the project, or `NotFound`."""
    return found(
        uow.projects.budget_line(project_id, line_id), _("That budget line no longer exists.")
    )


def rebased_alerts(line: BudgetLine) -> int:
    """Where `line`'s 90 / 100 % alerts start from once its allocation has changed: the
    highest threshold it has already crossed at its revised allocation, so later fund use
    alerts for exactly the thresholds not yet announced."""
    return crossed_threshold(line.spent, line.allocated + (line.changes or 0))


def reallocate(line: BudgetLine, allocated: Decimal) -> None:
    """Give `line` its allocation (a new line has none yet); a change re-bases its alerts."""
    changed = line.allocated is not None and line.allocated != allocated
    line.allocated = allocated
    if changed:
        line.alerted_percent = rebased_alerts(line)


def save_line(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    line_id: int | None,
    form: Form[BudgetField],
) -> LineRow:
    """Create a budget line (`line_id` None) or edit one; PMs only.

    When the allocation changes, the line's alerts re-base (`rebased_alerts`). Raises
    `FieldErrors` (nothing saved) for bad input or a name another line of the project has.
    """
    project = pm_project(uow, team_id, project_id, user_id)
    line = None if line_id is None else line_of(uow, project_id, line_id)
    departments = uow.projects.department_names(project_id)
    values, errors = validate_line(form, currency=project.currency, departments=departments)
    others = uow.funds.lines(project_id)
    taken = _("This project already has a budget line called “{name}”.", name=values["name"])
    refuse_errors(errors, BudgetField.NAME, values["name"], others, line, taken)

    before = None if line is None else _snapshot(line)
    if line is None:
        line = BudgetLine(project_id=project_id, spent=Decimal(0), alerted_percent=0)
        uow.projects.add_budget_line(line)
    reallocate(line, values["allocated"])
    line.name = values["name"]
    line.category = values["category"]
    line.department_id = values["department_id"]
    line.closed = form.flag(BudgetField.CLOSED)
    save_named(
        uow,
        line,
        team_id=team_id,
        project_id=project_id,
        user_id=user_id,
        entity="budget_line",
        name_field=BudgetField.NAME,
        before=before,
        snapshot=_snapshot,
    )
    return _row(line, departments)
