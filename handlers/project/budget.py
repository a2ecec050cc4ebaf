"""`/icrm budget`: budget lines against the project total, adding and editing lines."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.i18n import _
from bot.services import budget
from bot.services.budget import BudgetLineForm
from handlers.common import Caller
from handlers.project import views_budget as views
from handlers.project.admin import AdminRef, Reply, on_button, on_submit, open_modal, show_list
from handlers.project.ids import ProjectAction as A
from handlers.project.ids import ProjectView as V
from handlers.routing import Invocation, ProjectRef
from handlers.text import esc
from storage.uow import UnitOfWork


def show(
    deps: Deps,
    client: WebClient,
    caller: Caller,
    project: ProjectRef,
    notice: str | None = None,
    *,
    reply: Reply | None = None,
) -> None:
    """Send the caller the budget (ephemeral in a channel, else by DM)."""
    with deps.uow() as uow:
        overview = budget.overview(uow, team_id=project.team_id, project_id=project.id)
    value_of = {
        line.id: AdminRef(project_id=project.id, item_id=line.id).dump(deps)
        for line in overview.lines
    }
    show_list(
        deps,
        client,
        caller,
        project,
        views.budget_message,
        overview,
        value_of=value_of,
        notice=notice,
        reply=reply,
    )


def run(inv: Invocation) -> None:
    assert inv.project is not None
    show(inv.deps, inv.client, inv.caller, inv.project, reply=inv.reply)


def register(app: App, deps: Deps) -> None:
    @on_button(app, deps, A.BUDGET_ADD, A.BUDGET_EDIT)
    def edit(client: WebClient, caller: Caller, ref: AdminRef, project: ProjectRef) -> None:
        with deps.uow() as uow:
            form, departments, currency = budget.line_form(
                uow,
                team_id=caller.team_id,
                project_id=project.id,
                user_id=caller.user_id,
                line_id=ref.item_id,
            )
        open_modal(
            deps,
            client,
            caller,
            ref,
            lambda meta: views.budget_line_modal(
                form,
                project.tr,
                currency=currency,
                departments=departments,
                editing=ref.item_id is not None,
                metadata=meta,
            ),
        )

    @on_submit(app, deps, V.BUDGET_LINE, show)
    def save(
        uow: UnitOfWork, caller: Caller, ref: AdminRef, project: ProjectRef, state: dict[str, Any]
    ) -> str:
        line = budget.save_line(
            uow,
            team_id=caller.team_id,
            project_id=project.id,
            user_id=caller.user_id,
            line_id=ref.item_id,
            form=BudgetLineForm.model_validate(state),
        )
        return project.tr(_("Saved the budget line “{name}”."), name=esc(line.name))
