"""Block Kit for `/icrm budget`: budget lines against the total, and the line modal."""

from __future__ import annotations

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.forms import Form
from bot.i18n import Translator, _
from bot.labels import BUDGET_CATEGORY
from bot.services.budget import BudgetField as F
from bot.services.budget import BudgetOverview, LineRow
from bot.services.choices import Kind
from bot.services.thresholds import FULL_PERCENT, WARN_PERCENT, flag_level
from handlers import blocks as b
from handlers.projects.ids import ProjectAction as A
from handlers.projects.ids import ProjectView as V
from handlers.projects.views import ListPage, pm_list
from handlers.suggest import picker
from handlers.text import esc, percent, strong

FLAGS = {FULL_PERCENT: " :red_circle:", WARN_PERCENT: " :large_orange_circle:"}

# One section per line plus the header, the totals and the buttons stay under Slack's 50.
MAX_LINES = 42


def _line_text(line: LineRow, tr: Translator, currency: str) -> str:
    head = f"*{strong(line.name)}* · {b.label_of(BUDGET_CATEGORY, line.category, tr)}"
    if line.department:
        head += f" · {esc(line.department)}"
    ratio = line.ratio_of_allocated
    flag = FLAGS.get(flag_level(line.spent, line.allocated), "")
    used = tr(
        _("{spent} spent of {allocated} ({percent})"),
        spent=tr.money(line.spent, currency),
        allocated=tr.money(line.allocated, currency),
        percent=percent(ratio, tr),
    )
    return f"{head}\n{used}{flag}"


def _totals(budget: BudgetOverview, tr: Translator) -> str:
    c = budget.currency
    allocated = tr(
        _("Allocated {allocated} of the total budget {total}."),
        allocated=tr.money(budget.allocated, c),
        total=tr.money(budget.total_budget, c),
    )
    if budget.unallocated < 0:
        rest = tr(
            _(":warning: The lines exceed the total budget by {amount}."),
            amount=tr.money(-budget.unallocated, c),
        )
    else:
        rest = tr(_("Not yet allocated: {amount}."), amount=tr.money(budget.unallocated, c))
    spent = tr(_("Spent so far: {amount}."), amount=tr.money(budget.spent, c))
    return f"{allocated}\n{rest}\n{spent}"


def budget_message(
    budget: BudgetOverview, tr: Translator, page: ListPage
) -> tuple[str, list[Block]]:
    """Every line with spent and %, the sum against the project total; PMs get buttons."""
    title = tr(_("Budget of {code}"), code=page.code)
    rows: list[Block] = []
    for line in budget.lines[:MAX_LINES]:
        button = page.edit(tr, A.BUDGET_EDIT, line.id)
        rows.append(b.section(_line_text(line, tr, budget.currency), accessory=button))
    items = pm_list(
        tr,
        page,
        title,
        rows,
        below_title=[b.section(_totals(budget, tr)), b.divider()],
        empty=_("No budget lines yet."),
        hidden=len(budget.lines) - MAX_LINES,
        more=_("…and {n} more lines not shown."),
        add=b.button(tr(_("Add line")), A.BUDGET_ADD, page.add_value, style="primary"),
        only_pms=_("Only this project's PMs can change the budget: {pms}."),
    )
    summary = tr(
        _("{title}: {n} lines, allocated {allocated} of {total}."),
        title=title,
        n=len(budget.lines),
        allocated=tr.money(budget.allocated, budget.currency),
        total=tr.money(budget.total_budget, budget.currency),
    )
    return summary, items


def budget_line_modal(
    form: Form[F],
    tr: Translator,
    *,
    currency: str,
    departments: dict[int, str],
    editing: bool,
    metadata: str,
) -> View:
    """The add / edit budget-line modal, prefilled from `form`."""
    categories = b.labelled(BUDGET_CATEGORY, tr)
    items: list[Block] = [
        b.text_input(F.NAME, tr(_("Name")), initial=form.text(F.NAME), max_length=100),
        b.select_input(F.CATEGORY, tr(_("Category")), categories, initial=form.text(F.CATEGORY)),
    ]
    if departments:
        items.append(
            b.select_input(
                F.DEPARTMENT,
                tr(_("Department")),
                [(str(i), name) for i, name in departments.items()],
                initial=form.text(F.DEPARTMENT),
                optional=True,
                **picker(Kind.DEPARTMENT, tr),
            )
        )
    items.append(
        b.text_input(
            F.ALLOCATED,
            tr(_("Allocated ({currency})"), currency=currency),
            initial=form.text(F.ALLOCATED),
            placeholder="3500万",
            hint=tr(_("You can type 12亿, 3500万 or 1,234.50.")),
        )
    )
    if editing:
        closed = (F.CLOSED, tr(_("Closed: new fund use needs a reason and a PM's approval")))
        items.append(
            b.checkboxes_input(
                F.CLOSED,
                tr(_("Status")),
                [closed],
                ticked=[F.CLOSED] if form.flag(F.CLOSED) else [],
            )
        )
    return b.form_modal(
        V.BUDGET_LINE,
        tr(_("Edit budget line") if editing else _("Add budget line")),
        items,
        tr,
        metadata=metadata,
    )
