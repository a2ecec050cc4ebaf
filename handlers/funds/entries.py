"""`/funds list` and its buttons: page through entries, void one from the list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ValidationError
from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import FieldErrors, NotFound, UserError
from bot.i18n import _
from bot.services import fund_entries, funds
from bot.services.fund_entries import EntryFilter, EntryPage, ListedEntry
from handlers.common import (
    Caller,
    field_errors,
    post_to_channel,
    read_state,
    save_submission,
    tell,
)
from handlers.errors import guarded
from handlers.funds import ids, views, views_entries
from handlers.funds.ids import FundsAction, FundsView
from handlers.payloads import pack, unpack
from handlers.routing import Invocation, ProjectRef, project_by_id


class MoreValue(BaseModel):
    """The "more" button: the project, the filter and where the next page starts."""

    p: int
    f: EntryFilter
    d: dt.date
    e: int


class VoidValue(BaseModel):
    """A *Void* button (and the void modal's metadata): the project and the entry."""

    p: int
    e: int
    c: str | None = None  # the channel the list was shown in


def _project(deps: Deps, caller: Caller, project_id: int, context: dict[str, Any]) -> ProjectRef:
    project = project_by_id(deps, caller.team_id, project_id)
    if project is None:
        raise NotFound(_("That project no longer exists."))
    context["locale"] = project.locale
    return project


def _show(
    deps: Deps,
    client: WebClient,
    caller: Caller,
    project: ProjectRef,
    filter: EntryFilter,
    before: tuple[dt.date, int] | None,
) -> None:
    with deps.uow() as uow:
        page = fund_entries.list_entries(
            uow,
            team_id=project.team_id,
            project_id=project.id,
            user_id=caller.user_id,
            filter=filter,
            before=before,
        )
    text, blocks = _render(deps, caller, project, page)
    tell(client, caller, text, blocks=[blk.to_dict() for blk in blocks])


def _render(deps: Deps, caller: Caller, project: ProjectRef, page: EntryPage) -> Any:
    more = None
    if page.next_before is not None:
        day, entry_id = page.next_before
        more = pack(deps, MoreValue(p=project.id, f=page.filter, d=day, e=entry_id))

    def void_value(entry: ListedEntry) -> str:
        return pack(deps, VoidValue(p=project.id, e=entry.id, c=caller.channel_id))

    return views_entries.list_message(
        page,
        code=project.code,
        currency=project.currency,
        tr=project.tr,
        void_value=void_value,
        more_value=more,
    )


def list_entries(inv: Invocation) -> None:
    """`/funds list [line] [from] [to]`."""
    project = inv.project
    assert project is not None
    with inv.deps.uow() as uow:
        model = funds.project_of(uow, project.team_id, project.id)
        filter = fund_entries.parse_filter(uow, model, inv.words)
    _show(inv.deps, inv.client, inv.caller, project, filter, None)


def _value(model: type[BaseModel], deps: Deps, raw: str) -> Any:
    try:
        return model.model_validate_json(unpack(deps, raw))
    except ValidationError:
        raise UserError(_("That button is out of date. Run `/funds list` again.")) from None


def register(app: App, deps: Deps) -> None:
    @app.action(FundsAction.MORE)
    @guarded(deps)
    def more(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        ack()
        caller = Caller.of(body)
        value: MoreValue = _value(MoreValue, deps, str(action.get("value") or ""))
        project = _project(deps, caller, value.p, context)
        _show(deps, client, caller, project, value.f, (value.d, value.e))

    @app.action(FundsAction.VOID)
    @guarded(deps)
    def open_void(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        ack()
        caller = Caller.of(body)
        value: VoidValue = _value(VoidValue, deps, str(action.get("value") or ""))
        project = _project(deps, caller, value.p, context)
        with deps.uow() as uow:
            entry = fund_entries.entry_for_void(
                uow,
                team_id=caller.team_id,
                project_id=project.id,
                user_id=caller.user_id,
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
        view = views_entries.void_modal(
            entry, project.currency, project.tr, metadata=pack(deps, value)
        )
        client.views_open(trigger_id=caller.trigger_id, view=view)

    @app.view(FundsView.VOID)
    @guarded(deps)
    def submit_void(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        caller = Caller.of(body)
        value: VoidValue = _value(VoidValue, deps, view["private_metadata"])
        project = _project(deps, caller, value.p, context)
        try:
            reason = str(read_state(view).get(ids.VOID_REASON) or "").strip()
        except FieldErrors as error:  # text Slack would never send (a lone surrogate)
            ack(**field_errors(error, project.tr))
            return
        outcome = save_submission(
            ack,
            deps,
            project.tr,
            lambda uow: funds.void_entry(
                uow,
                team_id=caller.team_id,
                project_id=project.id,
                user_id=caller.user_id,
                entry_id=value.e,
                reason=reason,
                now=deps.now(),
            ),
            field=ids.VOID_REASON,
        )
        if outcome is None:
            return
        tr = project.tr
        text = views_entries.voided_text(
            user=caller.user_id,
            entry_id=outcome.id,
            amount=outcome.amount,
            line=outcome.label,
            reason=reason,
            currency=project.currency,
            tr=tr,
        )
        user = caller.user_id
        post_to_channel(client, project.channel_id, text, [], tr=tr, fallback_user=user)
        if outcome.runway_alert is not None:  # a void lowers spending: rarely, but say so
            alert, blocks = views.runway_alert_message(
                outcome.runway_alert,
                project_id=project.id,
                code=project.code,
                currency=project.currency,
                tr=tr,
            )
            post_to_channel(client, project.channel_id, alert, blocks, tr=tr, fallback_user=user)
