"""`/icrm departments`: the list, the add / edit modal, removal."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.i18n import _
from bot.services import departments
from bot.services.departments import DepartmentForm
from handlers.common import Caller
from handlers.project import views_departments as views
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
    """Send the caller the department list (ephemeral in a channel, else by DM)."""
    with deps.uow() as uow:
        rows = departments.list_departments(uow, team_id=project.team_id, project_id=project.id)
    value_of = {r.id: AdminRef(project_id=project.id, item_id=r.id).dump(deps) for r in rows}
    show_list(
        deps,
        client,
        caller,
        project,
        views.department_list,
        rows,
        value_of=value_of,
        notice=notice,
        reply=reply,
    )


def run(inv: Invocation) -> None:
    assert inv.project is not None
    show(inv.deps, inv.client, inv.caller, inv.project, reply=inv.reply)


def register(app: App, deps: Deps) -> None:
    @on_button(app, deps, A.DEPARTMENT_ADD, A.DEPARTMENT_EDIT)
    def edit(client: WebClient, caller: Caller, ref: AdminRef, project: ProjectRef) -> None:
        with deps.uow() as uow:
            form = departments.department_form(
                uow,
                team_id=caller.team_id,
                project_id=project.id,
                user_id=caller.user_id,
                department_id=ref.item_id,
            )
        open_modal(
            deps,
            client,
            caller,
            ref,
            lambda meta: views.department_modal(
                form, project.tr, editing=ref.item_id is not None, metadata=meta
            ),
        )

    @on_button(app, deps, A.DEPARTMENT_REMOVE)
    def remove(client: WebClient, caller: Caller, ref: AdminRef, project: ProjectRef) -> None:
        with deps.uow() as uow:
            name = departments.remove_department(
                uow,
                team_id=caller.team_id,
                project_id=project.id,
                user_id=caller.user_id,
                department_id=ref.item_id or 0,
            )
        notice = project.tr(_("Removed the department “{name}”."), name=esc(name))
        show(deps, client, caller, project, notice)

    @on_submit(app, deps, V.DEPARTMENT, show)
    def save(
        uow: UnitOfWork, caller: Caller, ref: AdminRef, project: ProjectRef, state: dict[str, Any]
    ) -> str:
        department = departments.save_department(
            uow,
            team_id=caller.team_id,
            project_id=project.id,
            user_id=caller.user_id,
            department_id=ref.item_id,
            form=DepartmentForm.model_validate(state),
        )
        return project.tr(_("Saved the department “{name}”."), name=esc(department.name))
