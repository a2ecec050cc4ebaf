"""`/funds approvals|change|history|policy`: what waits for me, the change-order and policy
modals, a line's history."""

from __future__ import annotations

import datetime as dt

from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import UserError
from bot.i18n import _
from bot.services import approvals, change_orders, fund_policy, funds
from handlers.approvals import views
from handlers.common import Caller, tell
from handlers.kit import Invocation, ProjectMeta, ProjectRef


def open_approvals(inv: Invocation) -> None:
    """`/funds approvals`: what waits for me, with the buttons, and what I asked for."""
    project = inv.required_project
    with inv.deps.uow() as uow:
        mine, asked = approvals.waiting_for(
            uow,
            **inv.caller.acting(project.id),
            now=inv.deps.now(),
        )
    text, blocks = views.approvals_message(mine, asked, code=project.code, tr=inv.tr)
    tell(inv.client, inv.caller, text, blocks=blocks)


def member_lines(
    deps: Deps, project: ProjectRef, user_id: str
) -> tuple[dt.date, list[funds.LineStatus]]:
    """For a member's modal that names a budget line (a fund use, a change order): the
    project's today and its lines; `UserError` when it has none yet."""
    with deps.uow() as uow:
        model = funds.project_of(uow, project.team_id, project.id)
        funds.require_member(uow, model, user_id)
        today = funds.project_today(model, deps.now())
        lines = funds.lines(uow, project.id)
    if not lines:
        raise UserError(
            _("This project has no budget lines yet. A PM adds them with `/icrm budget`.")
        )
    return today, lines


def open_change_for(
    deps: Deps, client: WebClient, caller: Caller, project: ProjectRef, line_id: int | None
) -> None:
    _today, lines = member_lines(deps, project, caller.user_id)
    meta = ProjectMeta.packed(deps, project, caller)
    client.views_open(
        trigger_id=caller.trigger_id,
        view=views.change_modal(
            lines, project.currency, project.tr, metadata=meta, line_id=line_id
        ),
    )


def open_change(inv: Invocation) -> None:
    """`/funds change [line name]`: the change-order modal (the line preselected if named)."""
    project = inv.required_project
    line_id = None
    if inv.words:
        wanted = " ".join(inv.words).casefold()
        with inv.deps.uow() as uow:
            line_id = next(
                (x.id for x in funds.lines(uow, project.id) if x.name.casefold() == wanted), None
            )
    open_change_for(inv.deps, inv.client, inv.caller, project, line_id)


def show_history(
    deps: Deps, client: WebClient, caller: Caller, project: ProjectRef, line_id: int
) -> None:
    with deps.uow() as uow:
        history = change_orders.line_history(
            uow, team_id=project.team_id, project_id=project.id, line_id=line_id
        )
    text, blocks = views.history_message(history, project.tr, project_id=project.id)
    tell(client, caller, text, blocks=blocks)


def open_history(inv: Invocation) -> None:
    """`/funds history <line name>`: the line's figures and change orders."""
    project = inv.required_project
    wanted = " ".join(inv.words).casefold()
    with inv.deps.uow() as uow:
        found = [x for x in funds.lines(uow, project.id) if x.name.casefold() == wanted]
        names = [x.name for x in funds.lines(uow, project.id)]
    if not found:
        raise UserError(
            _(
                "Name a budget line: `/funds history <line>`. Lines: {names}",
                names=", ".join(names[:30]) or "—",
            )
        )
    show_history(inv.deps, inv.client, inv.caller, project, found[0].id)


def open_policy(inv: Invocation) -> None:
    """`/funds policy`: the approval policy modal (PMs)."""
    project = inv.required_project
    with inv.deps.uow() as uow:
        form, currency = fund_policy.policy_form(
            uow, team_id=project.team_id, project_id=project.id, user_id=inv.caller.user_id
        )
    meta = ProjectMeta.packed(inv.deps, project, inv.caller)
    inv.open_modal(views.policy_modal(form, currency, inv.tr, metadata=meta))
