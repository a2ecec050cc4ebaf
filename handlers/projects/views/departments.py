"""Block Kit for `/icrm departments`: the list and the department modal (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, ButtonElement, ConfirmObject, PlainTextObject
from slack_sdk.models.views import View

from bot.forms import Form
from bot.i18n import Translator, _
from bot.labels import DEPARTMENT_KIND
from bot.services.departments import DepartmentField as F
from bot.services.departments import DepartmentRow
from handlers import blocks as b
from handlers.projects.ids import ProjectAction as A
from handlers.projects.ids import ProjectView as V
from handlers.projects.views import ListPage, pm_list
from handlers.text import esc, strong

# Two blocks per department plus a header, a footer and the buttons stay under Slack's 50.
MAX_SHOWN = 22


def _remove_button(tr: Translator, row: DepartmentRow, value: str) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=tr(_("Remove"))),
        action_id=A.DEPARTMENT_REMOVE,
        value=value,
        style="danger",
        confirm=ConfirmObject(
            title=b.clip(tr(_("Remove department?")), 100),
            text=b.clip(
                tr(
                    _(
                        "Remove “{name}” and its places in the responsibility matrix? This cannot be undone.",
                        name=esc(row.name),  # the dialog's text is mrkdwn
                    )
                ),
                300,
            ),
            confirm=tr(_("Remove")),
            deny=tr(_("Cancel")),
            style="danger",
        ),
    )


def department_list(
    rows: Sequence[DepartmentRow], tr: Translator, page: ListPage
) -> tuple[str, list[Block]]:
    """The departments of a project; PMs get Add, Edit and Remove buttons.

    `page.value_of` maps a department id to its buttons' value.
    """
    title = tr(_("Departments of {code}"), code=page.code)
    shown: list[Block] = []
    for row in rows[:MAX_SHOWN]:
        lead = tr(_("Lead: {user}"), user=f"<@{row.lead}>") if row.lead else tr(_("No lead yet"))
        members = tr(_("Members: {n}"), n=len(row.members))
        lines = [
            f"*{strong(row.name)}* · {b.label_of(DEPARTMENT_KIND, row.kind, tr)}",
            f"{lead} · {members}",
        ]
        if row.responsibilities:
            lines.append(esc(b.clip(row.responsibilities, 500)))
        shown.append(b.section("\n".join(lines)))
        if page.can_edit:
            shown.append(
                b.actions(
                    b.button(tr(_("Edit")), A.DEPARTMENT_EDIT, page.value_of[row.id]),
                    _remove_button(tr, row, page.value_of[row.id]),
                )
            )
    items = pm_list(
        tr,
        page,
        title,
        shown,
        empty=_("No departments yet."),
        hidden=len(rows) - MAX_SHOWN,
        more=_("…and {n} more departments not shown."),
        add=b.button(tr(_("Add department")), A.DEPARTMENT_ADD, page.add_value, style="primary"),
        only_pms=_("Only this project's PMs can change departments: {pms}."),
    )
    return title, items


def department_modal(form: Form[F], tr: Translator, *, editing: bool, metadata: str) -> View:
    """The add / edit department modal, prefilled from `form`."""
    kinds = b.labelled(DEPARTMENT_KIND, tr)
    items: list[Block] = [
        b.text_input(F.NAME, tr(_("Name")), initial=form.text(F.NAME), max_length=100),
        b.select_input(F.KIND, tr(_("Kind")), kinds, initial=form.text(F.KIND)),
        b.user_input(F.LEAD, tr(_("Lead")), initial=form.text(F.LEAD), optional=True),
        b.users_input(F.MEMBERS, tr(_("Members")), initial=form.many(F.MEMBERS), optional=True),
        b.text_input(
            F.RESPONSIBILITIES,
            tr(_("Responsibilities")),
            initial=form.text(F.RESPONSIBILITIES),
            optional=True,
            multiline=True,
            max_length=2000,
            hint=tr(_("What this department does for the others, in a few lines.")),
        ),
    ]
    return b.form_modal(
        V.DEPARTMENT,
        tr(_("Edit department") if editing else _("Add department")),
        items,
        tr,
        metadata=metadata,
    )
