"""Approve / Reject buttons (in the approver's DM and in `/funds approvals`), the reject
modal, the change-order and policy modals, a line's history; and telling people."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel
from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.errors import NotFound, PermissionDenied, UserError
from bot.i18n import _, translator
from bot.services import approvals, change_orders, fund_policy, funds
from bot.services.approvals import ApprovalCard, Decision, ItemKind
from bot.services.change_orders import ChangeForm
from bot.services.fund_policy import PolicyForm
from handlers.approvals import views
from handlers.approvals.ids import ApprovalAction, ApprovalView
from handlers.buttons import Click, on_click, update_message
from handlers.common import Caller, read_state, save_submission, tell
from handlers.errors import guarded
from handlers.home.publish import republish_home
from handlers.payloads import pack, unpack
from handlers.routing import Invocation, ProjectRef, project_by_id

log = logging.getLogger("icrm.approvals")


class ControlMeta(BaseModel):
    """The change-order and policy modals' `private_metadata`."""

    project_id: int
    channel_id: str | None = None


def notify_approvers(
    deps: Deps, client: WebClient, team_id: str, kind: ItemKind, item_id: int
) -> ApprovalCard:
    """DM each approver the item with Approve / Reject; a DM Slack refuses is only logged."""
    with deps.uow() as uow:
        card = approvals.card(uow, team_id=team_id, kind=kind, item_id=item_id, now=deps.now())
    tr = translator(card.locale)
    text, blocks = views.approval_message(card, tr)
    for user in card.approvers:
        try:
            client.chat_postMessage(channel=user, text=text, blocks=blocks)
        except SlackApiError as error:
            log.warning("approval DM to %s failed: %s", user, error.response.get("error"))
    republish_home(deps, client, team_id, [*card.approvers, card.requester])  # pending figures
    return card


def _announce(client: WebClient, project: ProjectRef, decision: Decision, user: str) -> None:
    """Alerts an approval caused go to the command channel, as a new entry's would."""
    from handlers.funds.commands import post_alerts

    post_alerts(client, project, decision.line_alerts, decision.runway_alert, user=user)


def _told(deps: Deps, client: WebClient, decision: Decision, caller: Caller) -> None:
    """The requester is told the outcome; alerts the approval caused go to the channel."""
    card = decision.card
    tr = translator(card.locale)
    text, blocks = views.requester_message(card, tr)
    try:
        client.chat_postMessage(channel=card.requester, text=text, blocks=blocks)
    except SlackApiError as error:
        log.warning("outcome DM to %s failed: %s", card.requester, error.response.get("error"))
    project = project_by_id(deps, caller.team_id, card.project_id)
    if project is not None:
        _announce(client, project, decision, caller.user_id)
    republish_home(deps, client, caller.team_id, [caller.user_id, card.requester])


def _decide(
    deps: Deps, caller: Caller, ref: views.ItemRef, *, approve: bool, note: str | None
) -> Decision:
    with deps.uow() as uow:
        return approvals.decide(
            uow,
            team_id=caller.team_id,
            user_id=caller.user_id,
            kind=ref.kind,
            item_id=ref.id,
            approve=approve,
            note=note,
            now=deps.now(),
        )


def _refresh(client: WebClient, channel: str | None, ts: str | None, card: ApprovalCard) -> None:
    """The DM the button was in now shows the decision (no buttons left to press)."""
    if channel and channel.startswith("D"):
        update_message(
            client, channel, ts, lambda: views.approval_message(card, translator(card.locale))
        )


def _line_ref(deps: Deps, click: Click) -> tuple[ProjectRef, int | None]:
    """A line button's value, `<project id>:<line id>`."""
    project_id, _sep, line_id = str(click.action.get("value") or "").partition(":")
    project = project_by_id(
        deps, click.caller.team_id, int(project_id) if project_id.isdigit() else 0
    )
    if project is None:
        raise NotFound(_("That project no longer exists."))
    click.context["locale"] = project.locale
    return project, int(line_id) if line_id.isdigit() else None


def register(app: App, deps: Deps) -> None:
    @on_click(app, deps, ApprovalAction.APPROVE)
    def approve(client: WebClient, click: Click) -> None:
        ref = views.ItemRef.model_validate_json(str(click.action.get("value") or "{}"))
        decision = _decide(deps, click.caller, ref, approve=True, note=None)
        click.context["locale"] = decision.card.locale
        _refresh(client, *click.message, decision.card)
        tell(
            client,
            click.caller,
            views.decided_text(decision.card, translator(decision.card.locale)),
        )
        _told(deps, client, decision, click.caller)

    @on_click(app, deps, ApprovalAction.REJECT)
    def open_reject(client: WebClient, click: Click) -> None:
        ref = views.ItemRef.model_validate_json(str(click.action.get("value") or "{}"))
        with deps.uow() as uow:
            card = approvals.card(
                uow, team_id=click.caller.team_id, kind=ref.kind, item_id=ref.id, now=deps.now()
            )
        click.context["locale"] = card.locale
        if card.status != "pending":
            raise approvals._already(card)
        channel, ts = click.message
        meta = views.RejectMeta(
            kind=ref.kind, id=ref.id, locale=card.locale, dm_channel=channel, dm_ts=ts
        )
        client.views_open(
            trigger_id=click.caller.trigger_id,
            view=views.reject_modal(card, translator(card.locale), metadata=pack(deps, meta)),
        )

    @app.view(ApprovalView.REJECT)
    @guarded(deps)
    def submit_reject(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        caller = Caller.of(body)
        meta = views.RejectMeta.model_validate_json(unpack(deps, view["private_metadata"]))
        context["locale"] = meta.locale
        tr = translator(meta.locale)
        note = read_state(view).get("reason")
        decision = save_submission(
            ack,
            deps,
            tr,
            lambda uow: approvals.decide(
                uow,
                team_id=caller.team_id,
                user_id=caller.user_id,
                kind=meta.kind,
                item_id=meta.id,
                approve=False,
                note=note,
                now=deps.now(),
            ),
            field="reason",
            refusal=UserError,
        )
        if decision is None:
            return
        _refresh(client, meta.dm_channel, meta.dm_ts, decision.card)
        _told(deps, client, decision, caller)

    @on_click(app, deps, ApprovalAction.LINE_HISTORY)
    def history(client: WebClient, click: Click) -> None:
        project, line_id = _line_ref(deps, click)
        show_history(deps, client, click.caller, project, line_id or 0)

    @on_click(app, deps, ApprovalAction.LINE_CHANGE)
    def change_from_line(client: WebClient, click: Click) -> None:
        project, line_id = _line_ref(deps, click)
        open_change_for(deps, client, click.caller, project, line_id)

    @app.view(ApprovalView.CHANGE)
    @guarded(deps)
    def submit_change(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        caller = Caller.of(body)
        meta = ControlMeta.model_validate_json(unpack(deps, view["private_metadata"]))
        project = project_by_id(deps, caller.team_id, meta.project_id)
        if project is None:
            raise NotFound(_("That project no longer exists."))
        context["locale"] = project.locale
        form = ChangeForm.model_validate(read_state(view))
        requested = save_submission(
            ack,
            deps,
            project.tr,
            lambda uow: change_orders.request_change(
                uow,
                team_id=caller.team_id,
                project_id=project.id,
                user_id=caller.user_id,
                form=form,
                now=deps.now(),
            ),
            field="line",
            refusal=PermissionDenied,
        )
        if requested is None:
            return
        card = notify_approvers(deps, client, caller.team_id, ItemKind.CHANGE, requested.id)
        tr = project.tr
        where = Caller(
            caller.team_id, caller.user_id, meta.channel_id or project.channel_id, None, None
        )
        tell(
            client,
            where,
            views.pending_text(
                tr(_("Change order #{id}"), id=card.id), requested.role, requested.approvers, tr
            ),
        )

    @app.view(ApprovalView.POLICY)
    @guarded(deps)
    def submit_policy(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        caller = Caller.of(body)
        meta = ControlMeta.model_validate_json(unpack(deps, view["private_metadata"]))
        project = project_by_id(deps, caller.team_id, meta.project_id)
        if project is None:
            raise NotFound(_("That project no longer exists."))
        context["locale"] = project.locale
        form = PolicyForm.model_validate(read_state(view))

        def save(uow: Any) -> fund_policy.Policy:
            model = funds.project_of(uow, caller.team_id, project.id)
            return fund_policy.save_policy(
                uow,
                team_id=caller.team_id,
                project_id=project.id,
                user_id=caller.user_id,
                form=form,
                now=deps.now(),
                today=funds.project_today(model, deps.now()),
            )

        saved = save_submission(
            ack,
            deps,
            project.tr,
            save,
            field=fund_policy.PolicyField.FINANCE_FROM,
            refusal=PermissionDenied,
        )
        if saved is None:
            return
        where = Caller(
            caller.team_id, caller.user_id, meta.channel_id or project.channel_id, None, None
        )
        tell(
            client, where, project.tr(_("Saved the approval policy of {code}."), code=project.code)
        )


# -- subcommands -----------------------------------------------------------------------------


def open_approvals(inv: Invocation) -> None:
    """`/funds approvals`: what waits for me, with the buttons, and what I asked for."""
    project = inv.project
    assert project is not None
    with inv.deps.uow() as uow:
        mine, asked = approvals.waiting_for(
            uow,
            team_id=project.team_id,
            project_id=project.id,
            user_id=inv.caller.user_id,
            now=inv.deps.now(),
        )
    text, blocks = views.approvals_message(mine, asked, code=project.code, tr=inv.tr)
    tell(inv.client, inv.caller, text, blocks=blocks)


def open_change_for(
    deps: Deps, client: WebClient, caller: Caller, project: ProjectRef, line_id: int | None
) -> None:
    with deps.uow() as uow:
        model = funds.project_of(uow, project.team_id, project.id)
        funds.require_member(uow, model, caller.user_id)
        lines = funds.lines(uow, project.id)
    if not lines:
        raise UserError(
            _("This project has no budget lines yet. A PM adds them with `/icrm budget`.")
        )
    meta = pack(deps, ControlMeta(project_id=project.id, channel_id=caller.channel_id))
    client.views_open(
        trigger_id=caller.trigger_id,
        view=views.change_modal(
            lines, project.currency, project.tr, metadata=meta, line_id=line_id
        ),
    )


def open_change(inv: Invocation) -> None:
    """`/funds change [line name]`: the change-order modal (the line preselected if named)."""
    project = inv.project
    assert project is not None
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
    project = inv.project
    assert project is not None
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
    project = inv.project
    assert project is not None
    with inv.deps.uow() as uow:
        form, currency = fund_policy.policy_form(
            uow, team_id=project.team_id, project_id=project.id, user_id=inv.caller.user_id
        )
    meta = pack(inv.deps, ControlMeta(project_id=project.id, channel_id=inv.caller.channel_id))
    inv.client.views_open(
        trigger_id=inv.caller.trigger_id,
        view=views.policy_modal(form, currency, inv.tr, metadata=meta),
    )
