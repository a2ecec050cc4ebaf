"""The funds modals (fund use with its confirm step, funding source, drawdown, void) and
the buttons of `/funds list` (more, void)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.deps import Deps
from bot.errors import PermissionDenied, UserError
from bot.forms import stripped
from bot.i18n import _
from bot.services import fund_entries, funds
from bot.services.approvals import ItemKind
from bot.services.fund_policy import LineLevel
from bot.services.funds import DrawdownField, FundField, NeedsReason, Outcome, SourceField
from handlers.approvals import actions as control
from handlers.approvals.views import pending_text
from handlers.common import tell
from handlers.funds import ids, views
from handlers.funds.commands import (
    MoreValue,
    VoidValue,
    announce,
    queue_outcome,
    show_entries,
    void_entry,
)
from handlers.funds.ids import FundsAction, FundsView
from handlers.funds.views import entries as views_entries
from handlers.kit import ProjectMeta, ProjectRef, Request, button, modal
from handlers.payloads import pack
from handlers.text import strong
from jobs import outbox
from storage.uow import UnitOfWork

STALE_LIST = _("That button is out of date. Run `/funds list` again.")


def _confirm_view(req: Request, meta: ProjectMeta, project: ProjectRef, needs: NeedsReason) -> Any:
    """The fund-use modal again with the values entered, what the checks found, and a
    required reason to record the entry anyway."""
    deps = req.deps
    with deps.uow() as uow:
        model = funds.project_of(uow, project.team_id, project.id)
        today = funds.project_today(model, deps.now())
        lines = funds.lines(uow, project.id)
    return views.fund_use_modal(
        lines,
        req.tr,
        today=today,
        metadata=pack(deps, meta),
        form=req.form(FundField),
        warnings=[req.tr(message) for message in needs.errors.values()],
    )


def queue_entry(uow: UnitOfWork, project: ProjectRef, outcome: Outcome, *, user: str) -> None:
    """Queue, in `uow` (`funds.record_entry`'s `queue`: committed with the entry), what a
    new entry causes: its approvers' requests if it is pending, its line and runway alerts
    (keyed `fund:entry:<id>:…`). The `/funds` modal and the workflow step share it."""
    if outcome.pending_role is not None:
        control.queue_requests(uow, project.team_id, ItemKind.ENTRY, outcome.id, uow.now())
    queue_outcome(uow, project, f"fund:entry:{outcome.id}", None, outcome, user=user)


def register_fund_use(app: App, deps: Deps) -> None:
    @modal(app, deps, FundsView.FUND_USE, refusal=PermissionDenied, refusal_on=FundField.LINE)
    def recorded(req: Request) -> None:
        meta, project, where = req.opened_from()
        caller, tr = req.caller, req.tr
        form = req.form(FundField)

        def queue(uow: UnitOfWork, outcome: Outcome) -> None:  # committed with the entry
            queue_entry(uow, project, outcome, user=caller.user_id)

        try:
            with deps.uow() as uow:
                outcome = funds.record_entry(
                    uow,
                    **caller.acting(project.id),
                    form=form,
                    now=deps.now(),
                    queue=queue,
                )
                can_void = fund_entries.can_void(
                    funds.project_of(uow, caller.team_id, project.id), caller.user_id
                )
        except NeedsReason as needs:  # the confirm step: same values, say why
            req.close(response_action="update", view=_confirm_view(req, meta, project, needs))
            return
        req.close()
        if outcome.pending_role is not None:
            control.show_pending(deps, req.client, caller.team_id, ItemKind.ENTRY, outcome.id)
            name = tr(
                _("Entry #{id} ({amount} on *{line}*)"),
                id=outcome.id,
                amount=tr.money_exact(outcome.amount, project.currency),
                line=strong(outcome.label),
            )
            said = pending_text(name, outcome.pending_role, outcome.approvers, tr)
            tell(req.client, where, said)
            return
        warn = outcome.line if outcome.level >= LineLevel.WARN else None
        text, blocks = views_entries.recorded_message(
            entry_id=outcome.id,
            line=outcome.label,
            amount=outcome.amount,
            currency=project.currency,
            tr=tr,
            can_void=can_void,
            warning=views.line_warning(warn, project.currency, tr) if warn else None,
        )
        tell(req.client, where, text, blocks=[blk.to_dict() for blk in blocks])
        outbox.deliver_soon(deps, project.id)  # the alerts `queue` committed with the entry


def register_sources(app: App, deps: Deps) -> None:
    @modal(app, deps, FundsView.SOURCE, refusal=PermissionDenied, refusal_on=SourceField.NAME)
    def source_saved(req: Request) -> None:
        _meta, project, _where = req.opened_from()
        form = req.form(SourceField)
        user = req.caller.user_id

        def queue(uow: UnitOfWork, source_id: int, created: bool) -> None:  # with the change
            name = stripped(form.text(SourceField.NAME))
            message = (
                _("<@{user}> added funding source *{name}*.")
                if created
                else _("<@{user}> updated funding source *{name}*.")
            )
            key = f"fund:source:{source_id}:saved:{uow.now().isoformat()}"
            announce(uow, project, key, req.tr(message, user=user, name=strong(name)), user=user)

        with deps.uow() as uow:
            funds.save_source(
                uow,
                **req.caller.acting(project.id),
                form=form,
                queue=queue,
            )
        req.close()
        outbox.deliver_soon(deps, project.id)

    @modal(app, deps, FundsView.DRAWDOWN, refusal=PermissionDenied, refusal_on=DrawdownField.SOURCE)
    def drawn(req: Request) -> None:
        _meta, project, _where = req.opened_from()
        form = req.form(DrawdownField)
        user, tr = req.caller.user_id, req.tr

        def queue(uow: UnitOfWork, outcome: Outcome) -> None:  # committed with the drawdown
            text = tr(
                _("<@{user}> recorded a drawdown of {amount} from *{source}*."),
                user=user,
                amount=tr.money_exact(outcome.amount, project.currency),
                source=strong(outcome.label),
            )
            announce(uow, project, f"fund:drawdown:{outcome.id}", text, user=user)

        with deps.uow() as uow:
            funds.record_drawdown(
                uow,
                **req.caller.acting(project.id),
                form=form,
                now=deps.now(),
                queue=queue,
            )
        req.close()
        outbox.deliver_soon(deps, project.id)


def register_entries(app: App, deps: Deps) -> None:
    @button(app, deps, FundsAction.MORE)
    def more(req: Request) -> None:
        value = req.value(MoreValue, stale=STALE_LIST)
        project = req.about(value.p)
        show_entries(deps, req.client, req.caller, project, value.f, (value.d, value.e))

    @button(app, deps, FundsAction.VOID)
    def open_void(req: Request) -> None:
        value = req.value(VoidValue, stale=STALE_LIST)
        project = req.about(value.p)
        with deps.uow() as uow:
            entry = fund_entries.entry_for_void(
                uow,
                **req.caller.acting(project.id),
                entry_id=value.e,
            )
        if entry.voided:
            raise UserError(
                _(
                    "Entry #{id} was already voided by <@{user}>: {reason}",
                    id=entry.id,
                    user=entry.voided_by,
                    reason=entry.void_reason,
                )
            )
        view = views_entries.void_modal(entry, project.currency, req.tr, metadata=pack(deps, value))
        req.open_modal(view)


def register_void(app: App, deps: Deps) -> None:
    @modal(app, deps, FundsView.VOID, refusal=UserError, refusal_on=ids.VOID_REASON)
    def submit_void(req: Request) -> None:
        value = req.meta(VoidValue, stale=STALE_LIST)
        project = req.about(value.p)
        reason = str(req.values.get(ids.VOID_REASON) or "").strip()
        void_entry(deps, req.caller, project, value.e, reason, req.tr)
        req.close()
        outbox.deliver_soon(deps, project.id)


def register(app: App, deps: Deps) -> None:
    register_fund_use(app, deps)
    register_sources(app, deps)
    register_entries(app, deps)
    register_void(app, deps)
