"""Approve / Reject buttons (in the approver's DM and in `/funds approvals`), the reject,
change-order and policy modals, a line's buttons; and telling people."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import PermissionDenied, UserError
from bot.i18n import _
from bot.services import approvals, change_orders, fund_policy, funds
from bot.services.approvals import ApprovalCard, Decision, ItemKind
from bot.services.change_orders import ChangeField
from handlers.approvals import views
from handlers.approvals.commands import open_change_for, show_history
from handlers.approvals.ids import ApprovalAction, ApprovalView
from handlers.common import Caller, tell
from handlers.home.publish import republish_home
from handlers.kit import ProjectRef, Request, button, modal, update_message
from handlers.routing import ref_of
from jobs import outbox
from storage.uow import UnitOfWork

log = logging.getLogger("icrm.approvals")


def queue_requests(
    uow: UnitOfWork, team_id: str, kind: ItemKind, item_id: int, now: dt.datetime
) -> ApprovalCard:
    """Queue, in `uow` (committed with the item), each approver's DM with Approve / Reject,
    keyed `approval:<kind><id>:ask:<user>`; a DM Slack refuses is only logged."""
    card = approvals.card(uow, team_id=team_id, kind=kind, item_id=item_id, now=now)
    text, blocks = views.approval_message(card, card.project.tr)
    outbox.enqueue_each(
        uow,
        project_id=card.project.id,
        kind="approval_request",
        key_prefix=f"approval:{card.kind}{card.id}:ask:",
        recipients=card.approvers,
        text=text,
        blocks=blocks,
    )
    return card


def show_pending(
    deps: Deps, client: WebClient, team_id: str, kind: ItemKind, item_id: int
) -> ApprovalCard:
    """After the commit of an item queued with `queue_requests`: a deliverer pass, and the
    Homes of its approvers and requester show the pending figures."""
    with deps.uow() as uow:
        card = approvals.card(uow, team_id=team_id, kind=kind, item_id=item_id, now=deps.now())
    outbox.deliver_soon(deps, card.project.id)
    republish_home(deps, client, team_id, [*card.approvers, card.requester])
    return card


def _queue_told(uow: UnitOfWork, decision: Decision, team_id: str, user: str) -> None:
    """Queue, in `uow` (committed with the decision), the requester's outcome DM and the
    alerts the approval caused for the command channel (as a new entry's would)."""
    from handlers.funds.commands import queue_alerts

    card = decision.card
    text, blocks = views.requester_message(card, card.project.tr)
    key = f"approval:{card.kind}{card.id}"
    outbox.enqueue(
        uow,
        project_id=card.project.id,
        kind="approval_outcome",
        key=f"{key}:outcome",
        recipient=card.requester,
        text=text,
        blocks=blocks,
    )
    project = uow.projects.get(team_id, card.project.id)
    if project is None:
        return  # the decision stands; there is no channel left to announce it in
    alerts, runway = decision.line_alerts, decision.runway_alert
    queue_alerts(uow, ref_of(project), key, alerts, runway, user=user)


def _decide(req: Request, kind: ItemKind, item_id: int, approve: bool, note: Any) -> Decision:
    """`approvals.decide`, with who is told queued in its transaction."""
    caller = req.caller

    def queue(uow: UnitOfWork, decision: Decision) -> None:
        _queue_told(uow, decision, caller.team_id, caller.user_id)

    with req.deps.uow() as uow:
        return approvals.decide(
            uow,
            **caller.who(),
            kind=kind,
            item_id=item_id,
            approve=approve,
            note=note,
            now=req.deps.now(),
            queue=queue,
        )


def _told(deps: Deps, client: WebClient, decision: Decision, caller: Caller) -> None:
    """After the decision's commit: a deliverer pass sends what `_queue_told` queued; the
    Homes show it."""
    outbox.deliver_soon(deps, decision.card.project.id)
    republish_home(deps, client, caller.team_id, [caller.user_id, decision.card.requester])


def _refresh(client: WebClient, channel: str | None, ts: str | None, card: ApprovalCard) -> None:
    """The DM the button was in now shows the decision (no buttons left to press)."""
    if channel and channel.startswith("D"):
        update_message(
            client,
            channel,
            ts,
            lambda: views.approval_message(card, card.project.tr),
        )


def _line_ref(req: Request) -> tuple[ProjectRef, int | None]:
    """A line button's value, `<project id>:<line id>`, and its project."""
    project_id, _sep, line_id = str(req.action.get("value") or "").partition(":")
    project = req.about(int(project_id) if project_id.isdigit() else 0)
    return project, int(line_id) if line_id.isdigit() else None


def register_decisions(app: App, deps: Deps) -> None:
    @button(app, deps, ApprovalAction.APPROVE)
    def approve(req: Request) -> None:
        ref = req.value(views.ItemRef)
        decision = _decide(req, ref.kind, ref.id, True, None)
        tr = req.speak(decision.card.project.locale)
        _refresh(req.client, *req.message, decision.card)
        tell(req.client, req.caller, views.decided_text(decision.card, tr))
        _told(deps, req.client, decision, req.caller)

    @button(app, deps, ApprovalAction.REJECT)
    def open_reject(req: Request) -> None:
        ref = req.value(views.ItemRef)
        with deps.uow() as uow:
            card = approvals.card(
                uow, team_id=req.caller.team_id, kind=ref.kind, item_id=ref.id, now=deps.now()
            )
        req.speak(card.project.locale)
        if card.status != "pending":
            raise approvals._already(card)
        meta = views.RejectMeta(kind=ref.kind, id=ref.id, locale=card.project.locale)
        req.open_for_message(meta, card.project.locale, partial(views.reject_modal, card))

    @modal(app, deps, ApprovalView.REJECT, refusal=UserError, refusal_on="reason")
    def submit_reject(req: Request) -> None:
        meta = req.meta(views.RejectMeta)
        req.speak(meta.locale)
        note = req.values.get("reason")
        decision = _decide(req, meta.kind, meta.id, False, note)
        req.close()
        _refresh(req.client, meta.dm_channel, meta.dm_ts, decision.card)
        _told(deps, req.client, decision, req.caller)


def register_controls(app: App, deps: Deps) -> None:
    @button(app, deps, ApprovalAction.LINE_HISTORY)
    def history(req: Request) -> None:
        project, line_id = _line_ref(req)
        show_history(deps, req.client, req.caller, project, line_id or 0)

    @button(app, deps, ApprovalAction.LINE_CHANGE)
    def change_from_line(req: Request) -> None:
        project, line_id = _line_ref(req)
        open_change_for(deps, req.client, req.caller, project, line_id)

    @modal(app, deps, ApprovalView.CHANGE, refusal=PermissionDenied, refusal_on=ChangeField.LINE)
    def submit_change(req: Request) -> None:
        _meta, project, where = req.opened_from()
        form = req.form(ChangeField)
        team_id = req.caller.team_id

        def queue(uow: UnitOfWork, requested: change_orders.Requested) -> None:  # with it
            queue_requests(uow, team_id, ItemKind.CHANGE, requested.id, deps.now())

        with deps.uow() as uow:
            requested = change_orders.request_change(
                uow,
                **req.caller.acting(project.id),
                form=form,
                now=deps.now(),
                queue=queue,
            )
        req.close()
        card = show_pending(deps, req.client, team_id, ItemKind.CHANGE, requested.id)
        tr = req.tr
        title = tr(_("Change order #{id}"), id=card.id)
        said = views.pending_text(title, requested.role, requested.approvers, tr)
        tell(req.client, where, said)

    @modal(
        app,
        deps,
        ApprovalView.POLICY,
        refusal=PermissionDenied,
        refusal_on=fund_policy.PolicyField.FINANCE_FROM,
    )
    def submit_policy(req: Request) -> None:
        _meta, project, where = req.opened_from()
        form = req.form(fund_policy.PolicyField)
        with deps.uow() as uow:
            model = funds.project_of(uow, req.caller.team_id, project.id)
            fund_policy.save_policy(
                uow,
                **req.caller.acting(project.id),
                form=form,
                now=deps.now(),
                today=funds.project_today(model, deps.now()),
            )
        req.close()
        said = req.tr(_("Saved the approval policy of {code}."), code=project.code)
        tell(req.client, where, said)


def register(app: App, deps: Deps) -> None:
    register_decisions(app, deps)
    register_controls(app, deps)
