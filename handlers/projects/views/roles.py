"""Block Kit for `/icrm roles`: the responsibility matrix, readable on a phone, and its modals."""

from __future__ import annotations

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.i18n import Translator, _
from bot.labels import PHASE, RACI, area_label
from bot.services.roles import NONE, Matrix, MatrixRow, RoleField, role_field
from handlers import blocks as b
from handlers.projects.ids import ProjectAction as A
from handlers.projects.ids import ProjectView as V
from handlers.projects.views import ListPage, pm_list
from handlers.text import esc, strong

# One section per row plus a header, a legend and the buttons stay under Slack's 50 blocks.
MAX_ROWS = 44


def row_title(tr: Translator, phase: str, area: str) -> str:
    return f"{b.label_of(PHASE, phase, tr)} · {strong(tr(area_label(area)))}"


def row_line(row: MatrixRow) -> str:
    """`R Finance · C Engineering · I Operations`: the roles of one row, R first."""
    return " · ".join(f"*{role}* {esc(name)}" for _id, name, role in row.roles)


def matrix_message(matrix: Matrix, tr: Translator, page: ListPage) -> tuple[str, list[Block]]:
    """The matrix, one section per phase · area row; PMs get Edit and Add area buttons."""
    title = tr(_("Responsibility matrix of {code}"), code=page.code)
    legend = " · ".join(f"*{role}* {tr(label)}" for role, label in RACI.items())
    rows: list[Block] = []
    for row in matrix.rows[:MAX_ROWS]:
        text = f"*{row_title(tr, row.phase, row.area)}*\n{row_line(row)}"
        button = page.edit(tr, A.ROLES_EDIT, (row.phase, row.area))
        rows.append(b.section(text, accessory=button))
    items = pm_list(
        tr,
        page,
        title,
        rows,
        below_title=[b.context(legend)],
        empty=_("The matrix is empty."),
        hidden=len(matrix.rows) - MAX_ROWS,
        more=_("…and {n} more rows not shown."),
        add=b.button(tr(_("Add area")), A.ROLES_ADD, page.add_value),
        only_pms=_("Only this project's PMs can change the matrix: {pms}."),
    )
    return title, items


def roles_modal(matrix: Matrix, tr: Translator, *, row: MatrixRow | None, metadata: str) -> View:
    """Edit one row (`row`) or add an area (`row` None): a R/A/C/I/— select per department."""
    choices = [(NONE, "—")] + [(role, f"{role} · {tr(label)}") for role, label in RACI.items()]
    held = {dept_id: role for dept_id, _name, role in row.roles} if row else {}
    items: list[Block] = []
    if row is None:
        phases = b.labelled(PHASE, tr)
        items += [
            b.text_input(
                RoleField.AREA,
                tr(_("Area")),
                max_length=50,
                placeholder=tr(_("e.g. Land acquisition")),
            ),
            b.select_input(RoleField.PHASE, tr(_("Phase")), phases),
        ]
    else:
        items.append(b.section(f"*{row_title(tr, row.phase, row.area)}*"))
    items.append(
        b.context(tr(_("One department Responsible (R) at least; at most one Accountable (A).")))
    )
    for dept_id, name in matrix.departments[:90]:
        items.append(
            b.select_input(role_field(dept_id), name, choices, initial=held.get(dept_id, NONE))
        )
    return b.form_modal(
        V.ROLES,
        tr(_("Add area") if row is None else _("Edit responsibilities")),
        items,
        tr,
        metadata=metadata,
    )
