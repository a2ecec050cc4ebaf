"""The administration renderers stay within Slack's 50 blocks a message, however big the project."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.i18n import Translator
from bot.services.budget import BudgetOverview, LineRow
from bot.services.departments import DepartmentRow
from bot.services.roles import Matrix, MatrixRow
from handlers.projects.views import ListPage
from handlers.projects.views.budget import budget_message
from handlers.projects.views.departments import department_list
from handlers.projects.views.roles import matrix_message, row_line

TR = Translator("zh-Hans")


def as_pm(value_of: dict[Any, str]) -> ListPage:
    """What every renderer is given for a PM who may edit."""
    return ListPage(
        code="X", pm_ids=["U01"], can_edit=True, value_of=value_of, add_value="a", notice="ok"
    )


def test_a_long_department_list_is_cut_with_a_note() -> None:
    rows = [DepartmentRow(i, f"部门{i}", "other", None, (), "") for i in range(60)]
    _, blocks = department_list(rows, TR, as_pm({i: "v" for i in range(60)}))
    assert len(blocks) <= 50 and "38" in str(blocks[-2].to_dict())


def test_a_big_matrix_fits_and_reads_r_first() -> None:
    row = MatrixRow("initiation", "budget_preparation", ((1, "财务部", "R"), (2, "工程部", "C")))
    assert row_line(row) == "*R* 财务部 · *C* 工程部"
    rows = tuple(MatrixRow("financing", f"area {i}", row.roles) for i in range(80))
    _, blocks = matrix_message(
        Matrix(((1, "财务部"), (2, "工程部")), rows),
        TR,
        as_pm({(r.phase, r.area): "v" for r in rows}),
    )
    assert len(blocks) <= 50


def test_a_long_budget_fits() -> None:
    lines = tuple(LineRow(i, f"L{i}", "land", None, Decimal(100), Decimal(95)) for i in range(90))
    _, blocks = budget_message(
        BudgetOverview("CNY", Decimal(1000), lines),
        TR,
        as_pm({i: "v" for i in range(90)}),
    )
    assert len(blocks) <= 50
    assert ":warning:" in str(blocks[2].to_dict())
