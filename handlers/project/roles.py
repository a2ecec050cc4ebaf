"""`/icrm roles`: the responsibility matrix, editing a row, adding an area."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.app import Deps
from bot.i18n import _
from bot.services import projects, roles
from bot.services.roles import RoleField, RolesForm
from handlers.common import Caller, read_state, tell
from handlers.errors import guarded
from handlers.project import views_roles as views
from handlers.project.admin import AdminRef, answer_to, load, save_or_reject
from handlers.project.ids import ProjectAction as A
from handlers.project.ids import ProjectView as V
from handlers.routing import Invocation, ProjectRef


def show(
    deps: Deps, client: WebClient, caller: Caller, project: ProjectRef, notice: str | None = None
) -> None:
    """Send the caller the matrix (ephemeral in a channel, else by DM)."""
    with deps.uow() as uow:
        matrix = roles.load_matrix(uow, team_id=project.team_id, project_id=project.id)
    text, blocks = views.matrix_message(
        matrix,
        project.tr,
        code=project.code,
        pm_ids=project.pm_ids,
        can_edit=caller.user_id in project.pm_ids,
        value_of={
            (r.phase, r.area): AdminRef(project_id=project.id, phase=r.phase, area=r.area).dump()
            for r in matrix.rows
        },
        add_value=AdminRef(project_id=project.id).dump(),
        notice=notice,
    )
    tell(client, caller, notice or text, blocks=blocks)


def run(inv: Invocation) -> None:
    assert inv.project is not None
    show(inv.deps, inv.client, inv.caller, inv.project)


def register(app: App, deps: Deps) -> None:
    @app.action(A.ROLES_ADD)
    @app.action(A.ROLES_EDIT)
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
            projects.pm_project(uow, caller.team_id, project.id, caller.user_id)
            matrix = roles.load_matrix(uow, team_id=caller.team_id, project_id=project.id)
        row = None
        if ref.phase is not None and ref.area is not None:
            row = matrix.row(ref.phase, ref.area)
            if row is None:
                tell(client, caller, project.tr(_("That row of the matrix no longer exists.")))
                return
        meta = ref.model_copy(update={"channel_id": caller.channel_id}).dump()
        view = views.roles_modal(matrix, project.tr, row=row, metadata=meta)
        client.views_open(trigger_id=caller.trigger_id, view=view)

    @app.view(V.ROLES)
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
        state = read_state(view)
        form = RolesForm(
            area=state.pop(RoleField.AREA, None),
            phase=state.pop(RoleField.PHASE, None),
            roles={k: v for k, v in state.items() if isinstance(v, str) or v is None},
        )
        row = (ref.phase, ref.area) if ref.phase is not None and ref.area is not None else None
        saved: list[tuple[str, str]] = []

        def save() -> None:
            with deps.uow() as uow:
                saved.append(
                    roles.save_row(
                        uow,
                        team_id=caller.team_id,
                        project_id=project.id,
                        user_id=caller.user_id,
                        row=row,
                        form=form,
                    )
                )

        if not save_or_reject(ack, view, project.tr, save):
            return
        ack()
        phase, area = saved[0]
        notice = project.tr(
            _("Saved the responsibilities for {row}."),
            row=views.row_title(project.tr, phase, area),
        )
        show(deps, client, answer_to(caller, ref), project, notice)
