"""`/icrm departments`: the list, the add / edit modal, removal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.app import Deps
from bot.i18n import _
from bot.services import departments
from bot.services.departments import DepartmentForm
from handlers.common import Caller, read_state, tell
from handlers.errors import guarded
from handlers.project import views_departments as views
from handlers.project.admin import AdminRef, answer_to, load, save_or_reject
from handlers.project.ids import ProjectAction as A
from handlers.project.ids import ProjectView as V
from handlers.routing import Invocation, ProjectRef


def show(
    deps: Deps, client: WebClient, caller: Caller, project: ProjectRef, notice: str | None = None
) -> None:
    """Send the caller the department list (ephemeral in a channel, else by DM)."""
    with deps.uow() as uow:
        rows = departments.list_departments(uow, team_id=project.team_id, project_id=project.id)
    text, blocks = views.department_list(
        rows,
        project.tr,
        code=project.code,
        pm_ids=project.pm_ids,
        can_edit=caller.user_id in project.pm_ids,
        value_of={r.id: AdminRef(project_id=project.id, item_id=r.id).dump() for r in rows},
        add_value=AdminRef(project_id=project.id).dump(),
        notice=notice,
    )
    tell(client, caller, notice or text, blocks=blocks)


def run(inv: Invocation) -> None:
    assert inv.project is not None
    show(inv.deps, inv.client, inv.caller, inv.project)


def register(app: App, deps: Deps) -> None:
    @app.action(A.DEPARTMENT_ADD)
    @app.action(A.DEPARTMENT_EDIT)
    @guarded(deps)
    def open_modal(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        ack()
        caller = Caller.of(body)
        ref, project = load(deps, caller, action["value"], context)
        with deps.uow() as uow:
            form = departments.department_form(
                uow,
                team_id=caller.team_id,
                project_id=project.id,
                user_id=caller.user_id,
                department_id=ref.item_id,
            )
        meta = ref.model_copy(update={"channel_id": caller.channel_id}).dump()
        view = views.department_modal(
            form, project.tr, editing=ref.item_id is not None, metadata=meta
        )
        client.views_open(trigger_id=caller.trigger_id, view=view)

    @app.action(A.DEPARTMENT_REMOVE)
    @guarded(deps)
    def remove(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        ack()
        caller = Caller.of(body)
        ref, project = load(deps, caller, action["value"], context)
        with deps.uow() as uow:
            name = departments.remove_department(
                uow,
                team_id=caller.team_id,
                project_id=project.id,
                user_id=caller.user_id,
                department_id=ref.item_id or 0,
            )
        notice = project.tr(_("Removed the department “{name}”."), name=name)
        show(deps, client, caller, project, notice)

    @app.view(V.DEPARTMENT)
    @guarded(deps)
    def submit(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        caller = Caller.of(body)
        ref, project = load(deps, caller, view["private_metadata"], context)
        form = DepartmentForm.model_validate(read_state(view))
        saved: list[departments.DepartmentRow] = []

        def save() -> None:
            with deps.uow() as uow:
                saved.append(
                    departments.save_department(
                        uow,
                        team_id=caller.team_id,
                        project_id=project.id,
                        user_id=caller.user_id,
                        department_id=ref.item_id,
                        form=form,
                    )
                )

        if not save_or_reject(ack, view, project.tr, save):
            return
        ack()
        notice = project.tr(_("Saved the department “{name}”."), name=saved[0].name)
        show(deps, client, answer_to(caller, ref), project, notice)
