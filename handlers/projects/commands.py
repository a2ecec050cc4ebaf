"""`/icrm`: project set-up and administration (departments, roles, budget, settings,
export), and the lists those screens show."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from slack_bolt import App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import UserError
from bot.i18n import Translator, _, normalise_locale
from bot.services import budget, departments, export, project_settings, projects, roles
from handlers.common import Caller, tell
from handlers.digest import commands as digest_commands
from handlers.files import upload
from handlers.ids import Command
from handlers.imports import commands as imports
from handlers.kit import Invocation, ProjectRef, Sub, slash_command
from handlers.payloads import pack
from handlers.projects import views
from handlers.projects.views import ListPage
from handlers.projects.views import budget as budget_views
from handlers.projects.views import departments as department_views
from handlers.projects.views import roles as role_views
from handlers.scorecard import commands as scorecard

Reply = Callable[[str, list[Any]], None]


class SetupMeta(BaseModel):
    """Carried in the set-up modal's `private_metadata`."""

    channel_id: str


class AdminRef(BaseModel):
    """Which project and item a button or a modal is about; a button's `value` and a
    modal's `private_metadata` (where `channel_id` says where to answer)."""

    project_id: int
    channel_id: str | None = None
    item_id: int | None = None
    phase: str | None = None
    area: str | None = None

    def dump(self, deps: Deps) -> str:
        return pack(deps, self.model_dump_json(exclude_none=True))


def open_setup(inv: Invocation) -> None:
    caller, deps = inv.caller, inv.deps
    if not caller.channel_id or caller.channel_id.startswith("D"):
        raise UserError(
            _(
                "Run `/icrm setup` in the project's channel (its joint command centre), not in a direct message."
            )
        )
    with deps.uow() as uow:
        project = uow.projects.by_channel(caller.team_id, caller.channel_id)
        if project is not None:
            projects.require_pm(project, caller.user_id)
            form = projects.form_of(project)
        else:
            settings = deps.settings
            form = projects.default_form(
                user_id=caller.user_id,
                today=deps.now().date(),
                timezone=settings.default_timezone,
                currency=settings.default_currency,
                locale=normalise_locale(settings.default_locale),
            )
    view = views.setup_modal(
        form,
        inv.tr,
        editing=project is not None,
        metadata=pack(deps, SetupMeta(channel_id=caller.channel_id)),
    )
    inv.open_modal(view)


# -- the administration lists --------------------------------------------------------------


Show = Callable[..., None]


@dataclass(frozen=True)
class AdminList:
    """An administration list (`/icrm departments|budget|roles`): its query, its rows,
    each row's key and the ref its buttons carry, and its renderer. Called as
    `show(deps, client, caller, project, notice, reply=…)`, it sends the caller the list
    (through `reply`, e.g. on a slash command's ack; else ephemeral in a channel, or by
    DM); only PMs get the buttons."""

    load: Callable[..., Any]  # (uow, team_id=, project_id=) → the data
    rows: Callable[[Any], Iterable[Any]]
    ref_of: Callable[[int, Any], tuple[Any, AdminRef]]  # (project id, row) → key, ref
    render: Callable[[Any, Translator, ListPage], tuple[str, list[Any]]]

    def __call__(
        self,
        deps: Deps,
        client: WebClient,
        caller: Caller,
        project: ProjectRef,
        notice: str | None = None,
        *,
        reply: Reply | None = None,
    ) -> None:
        with deps.uow() as uow:
            data = self.load(uow, team_id=project.team_id, project_id=project.id)
        refs = (self.ref_of(project.id, row) for row in self.rows(data))
        page = ListPage(
            code=project.code,
            pm_ids=project.pm_ids,
            can_edit=caller.user_id in project.pm_ids,
            value_of={key: ref.dump(deps) for key, ref in refs},
            add_value=AdminRef(project_id=project.id).dump(deps),
            notice=notice,
        )
        text, blocks = self.render(data, project.tr, page)
        if reply is not None:
            reply(notice or text, blocks)
        else:
            tell(client, caller, notice or text, blocks=blocks)


def _by_id(project_id: int, row: Any) -> tuple[int, AdminRef]:
    return row.id, AdminRef(project_id=project_id, item_id=row.id)


def _by_cell(project_id: int, row: Any) -> tuple[tuple[str, str], AdminRef]:
    return (row.phase, row.area), AdminRef(project_id=project_id, phase=row.phase, area=row.area)


show_departments = AdminList(
    departments.list_departments, list, _by_id, department_views.department_list
)
show_budget = AdminList(
    budget.overview, lambda overview: overview.lines, _by_id, budget_views.budget_message
)
show_roles = AdminList(
    roles.load_matrix, lambda matrix: matrix.rows, _by_cell, role_views.matrix_message
)


def _lister(show: Show) -> Callable[[Invocation], None]:
    def run(inv: Invocation) -> None:
        show(inv.deps, inv.client, inv.caller, inv.required_project, reply=inv.reply)

    return run


def open_settings(inv: Invocation) -> None:
    """Open the settings modal (PMs only; others are told who the PMs are)."""
    project, caller = inv.required_project, inv.caller
    with inv.deps.uow() as uow:
        form = project_settings.settings_form(
            uow, team_id=project.team_id, project_id=project.id, user_id=caller.user_id
        )
    meta = AdminRef(project_id=project.id, channel_id=caller.channel_id).dump(inv.deps)
    inv.open_modal(views.settings_modal(form, project.tr, metadata=meta))


# -- /icrm export funds|risks|feedback|reports [from] [to]: a CSV or xlsx file in the PM's DM.
# The permission and the arguments are checked at once; the file is written to a temporary
# file on disk and streamed to Slack, then deleted.


def start_export(inv: Invocation) -> None:
    project, caller, deps = inv.required_project, inv.caller, inv.deps
    tr = project.tr
    request = export.parse_request(inv.words)
    with deps.uow() as uow:
        export.check_export(
            uow, team_id=caller.team_id, project_id=project.id, user_id=caller.user_id
        )
    notice = tr(
        _("Preparing the {kind} export of {code}; it will arrive in our DM."),
        kind=export.KIND_LABEL[request.kind],
        code=project.code,
    )
    inv.later(lambda: _send_export(inv, request), notice=notice)


def _send_export(inv: Invocation, request: export.ExportRequest) -> None:
    """Write the export to a temporary file and upload it to the caller's DM (slow)."""
    project, caller, deps = inv.required_project, inv.caller, inv.deps
    tr = project.tr
    handle, name = tempfile.mkstemp(
        prefix="icrm-export-", suffix=".xlsx" if request.xlsx else ".csv"
    )
    os.close(handle)
    path = Path(name)
    try:
        with deps.uow() as uow:
            rows = export.write_export(
                uow,
                **caller.acting(project.id),
                request=request,
                tr=tr,
                path=path,
            )
        filename = request.filename(project.code)
        upload(
            inv.client,
            channel=caller.user_id,
            filename=filename,
            title=filename,
            path=path,
            comment=tr(
                _("{code}: {kind} export, {rows} rows ({span})."),
                code=project.code,
                kind=export.KIND_LABEL[request.kind],
                rows=rows,
                span=_span(request, tr),
            ),
        )
    finally:
        path.unlink(missing_ok=True)


def _span(request: export.ExportRequest, tr: Translator) -> str:
    if request.first and request.last:
        return tr(_("{first} to {last}"), first=request.first, last=request.last)
    if request.first:
        return tr(_("from {first}"), first=request.first)
    if request.last:
        return tr(_("until {last}"), last=request.last)
    return tr(_("everything"))


SUBCOMMANDS: dict[str, Sub] = {
    "setup": Sub(open_setup, needs_project=False),
    "departments": Sub(_lister(show_departments)),
    "roles": Sub(_lister(show_roles)),
    "budget": Sub(_lister(show_budget)),
    "settings": Sub(open_settings),
    "export": Sub(start_export),
    "import": Sub(imports.run),
    "digest": Sub(digest_commands.run),
    "scorecard": Sub(scorecard.run),
}


def register(app: App, deps: Deps) -> None:
    slash_command(app, deps, Command.ICRM, SUBCOMMANDS)
