"""`/icrm roles`: the responsibility matrix, editing a row, adding an area."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.i18n import _
from bot.services import projects, roles
from bot.services.roles import RoleField, RolesForm
from handlers.common import Caller, tell
from handlers.project import views_roles as views
from handlers.project.admin import AdminRef, Reply, on_button, on_submit, open_modal, show_list
from handlers.project.ids import ProjectAction as A
from handlers.project.ids import ProjectView as V
from handlers.routing import Invocation, ProjectRef
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
    """Send the caller the matrix (ephemeral in a channel, else by DM)."""
    with deps.uow() as uow:
        matrix = roles.load_matrix(uow, team_id=project.team_id, project_id=project.id)
    value_of = {
        (r.phase, r.area): AdminRef(project_id=project.id, phase=r.phase, area=r.area).dump(deps)
        for r in matrix.rows
    }
    show_list(
        deps,
        client,
        caller,
        project,
        views.matrix_message,
        matrix,
        value_of=value_of,
        notice=notice,
        reply=reply,
    )


def run(inv: Invocation) -> None:
    assert inv.project is not None
    show(inv.deps, inv.client, inv.caller, inv.project, reply=inv.reply)


def register(app: App, deps: Deps) -> None:
    @on_button(app, deps, A.ROLES_ADD, A.ROLES_EDIT)
    def edit(client: WebClient, caller: Caller, ref: AdminRef, project: ProjectRef) -> None:
        with deps.uow() as uow:
            projects.pm_project(uow, caller.team_id, project.id, caller.user_id)
            matrix = roles.load_matrix(uow, team_id=caller.team_id, project_id=project.id)
        row = None
        if ref.phase is not None and ref.area is not None:
            row = matrix.row(ref.phase, ref.area)
            if row is None:
                tell(client, caller, project.tr(_("That row of the matrix no longer exists.")))
                return
        open_modal(
            deps,
            client,
            caller,
            ref,
            lambda meta: views.roles_modal(matrix, project.tr, row=row, metadata=meta),
        )

    @on_submit(app, deps, V.ROLES, show)
    def save(
        uow: UnitOfWork, caller: Caller, ref: AdminRef, project: ProjectRef, state: dict[str, Any]
    ) -> str:
        form = RolesForm(
            area=state.pop(RoleField.AREA, None),
            phase=state.pop(RoleField.PHASE, None),
            roles={k: v for k, v in state.items() if isinstance(v, str) or v is None},
        )
        row = (ref.phase, ref.area) if ref.phase is not None and ref.area is not None else None
        phase, area = roles.save_row(
            uow,
            team_id=caller.team_id,
            project_id=project.id,
            user_id=caller.user_id,
            row=row,
            form=form,
        )
        return project.tr(
            _("Saved the responsibilities for {row}."),
            row=views.row_title(project.tr, phase, area),
        )
