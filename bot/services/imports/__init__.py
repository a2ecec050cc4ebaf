"""Importing a project's budget lines, departments, funding sources and history from a file.

`plan_import` compares what a parsed file holds with the project and says, per table, which
rows would be created, updated or left unchanged, and every problem; it changes nothing.
`apply_import` plans again in the transaction that applies, and applies only a plan with no
problems — all rows or none. Rows are matched by name (departments, budget lines, funding
sources); drawdowns and fund-use entries, which are never edited, by their content (source
or line, date, amount, reference) counted with multiplicity. Importing the same file twice
therefore changes nothing the second time. The import is one audit event with its counts.

The package: `plan` (the plan and the planner's state), `setup_tables` (departments,
budget lines), `fund_tables` (sources, drawdowns, history), `apply` (plan, apply, who may).
"""

from bot.services.imports.apply import (
    apply_import,
    check_importer,
    plan_import,
    table_label,
    user_refs,
)
from bot.services.imports.plan import Counts, Plan, UserResolver

__all__ = [
    "Counts",
    "Plan",
    "UserResolver",
    "apply_import",
    "check_importer",
    "plan_import",
    "table_label",
    "user_refs",
]
