"""`/funds report`: open the report modal of the period a department lead owes."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.deps import Deps
from bot.i18n import Translator
from bot.services import reports
from handlers.common import Caller
from handlers.payloads import pack
from handlers.reports import views
from handlers.reports.ids import ReportMeta
from handlers.routing import Invocation


def open_report(inv: Invocation) -> None:
    """`/funds report`: the modal for the lead's department, a picker when they lead several,
    a short refusal naming the lead otherwise."""
    project, caller, deps = inv.required_project, inv.caller, inv.deps
    with deps.uow() as uow:
        departments = reports.departments_to_report(
            uow, team_id=caller.team_id, project_id=project.id, user_id=caller.user_id
        )
    if len(departments) > 1:
        text, blocks = views.department_picker(project.id, departments, inv.tr)
        inv.reply(text, blocks)
        return
    show_report_modal(
        deps, inv.client, caller, inv.tr, project_id=project.id, department_id=departments[0][0]
    )


def show_report_modal(
    deps: Deps,
    client: WebClient,
    caller: Caller,
    tr: Translator,
    *,
    project_id: int,
    department_id: int,
    period_key: str | None = None,
    dm_channel: str | None = None,
    dm_ts: str | None = None,
) -> None:
    """Open the report modal for the department (the period owed now, or `period_key`)."""
    with deps.uow() as uow:
        card = reports.open_report(
            uow,
            **caller.acting(project_id),
            department_id=department_id,
            now=deps.now(),
            period_key=period_key,
        )
    tr = card.project.tr
    meta = ReportMeta(
        project_id=project_id,
        department_id=department_id,
        period_key=card.period.key,
        channel_id=caller.channel_id,
        dm_channel=dm_channel,
        dm_ts=dm_ts,
        locale=card.project.locale,
    )
    view = views.report_modal(card, tr, metadata=pack(deps, meta))
    client.views_open(trigger_id=caller.trigger_id, view=view)
