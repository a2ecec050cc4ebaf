"""`/funds`: record fund use, void entries, funding sources and drawdowns, the summary."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel
from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import charts
from bot.charts import LinePoint
from bot.deps import Deps
from bot.errors import NotFound, PermissionDenied, UserError
from bot.i18n import _
from bot.services import fund_entries, funds
from bot.services.approvals import ItemKind
from bot.services.fund_policy import LineLevel
from bot.services.funds import (
    DrawdownForm,
    FundUseForm,
    LineAlert,
    Liquidity,
    NeedsReason,
    Outcome,
    SourceForm,
)
from handlers.approvals import actions as control
from handlers.approvals import commands as controls
from handlers.approvals.views import pending_text
from handlers.common import Caller, post_to_channel, read_state, save_submission, tell
from handlers.errors import guarded
from handlers.files import upload
from handlers.funds import entries, views, views_entries
from handlers.funds.ids import FundsView
from handlers.ids import Command
from handlers.payloads import pack, unpack
from handlers.reports.commands import open_report
from handlers.routing import Invocation, ProjectRef, Sub, project_by_id, slash_command
from handlers.text import esc, strong
from storage.uow import UnitOfWork

log = logging.getLogger("icrm.funds")
T = TypeVar("T")


class FundsMeta(BaseModel):
    """Carried in every funds modal's `private_metadata`."""

    project_id: int
    channel_id: str | None = None


def _meta(inv: Invocation) -> str:
    assert inv.project is not None
    return pack(inv.deps, FundsMeta(project_id=inv.project.id, channel_id=inv.caller.channel_id))


def open_fund_use(inv: Invocation) -> None:
    project = inv.project
    assert project is not None
    with inv.deps.uow() as uow:
        model = funds.project_of(uow, project.team_id, project.id)
        funds.require_member(uow, model, inv.caller.user_id)
        today = funds.project_today(model, inv.deps.now())
        lines = funds.lines(uow, project.id)
    if not lines:
        raise UserError(
            _("This project has no budget lines yet. A PM adds them with `/icrm budget`.")
        )
    view = views.fund_use_modal(lines, inv.tr, today=today, metadata=_meta(inv))
    inv.client.views_open(trigger_id=inv.caller.trigger_id, view=view)


def show_summary(inv: Invocation) -> None:
    project = inv.project
    assert project is not None
    with inv.deps.uow() as uow:
        model = funds.project_of(uow, project.team_id, project.id)
        today = funds.project_today(model, inv.deps.now())
        result = funds.summary(uow, team_id=project.team_id, project_id=project.id, today=today)
    text, blocks = views.summary_message(
        result, code=project.code, currency=project.currency, tr=inv.tr
    )
    inv.reply(text, blocks)
    inv.later(lambda: send_chart(inv, result))


def send_chart(inv: Invocation, result: funds.Summary) -> None:
    """Budget vs actual as a picture, to the asker's DM (an ephemeral cannot carry a file)."""
    project = inv.project
    assert project is not None
    points = [LinePoint(line.name, line.allocated, line.spent) for line in result.lines]
    png = charts.budget_vs_actual(points, project.currency, inv.tr)
    if png is None:
        return
    try:
        title = inv.tr(_("Budget vs actual · {code}"), code=project.code)
        upload(
            inv.client,
            channel=inv.caller.user_id,
            filename=f"{project.code}-budget.png",
            title=title,
            content=png,
        )
    except Exception:  # the figures were delivered; a missing picture is only logged
        log.exception("could not upload the budget chart of %s", project.code)


def void(inv: Invocation) -> None:
    project = inv.project
    assert project is not None
    usage = _("Use `/funds void <id> <reason>`, e.g. `/funds void 42 duplicate invoice`.")
    if not inv.words:
        raise UserError(usage)
    word = inv.words[0].lstrip("#")
    if not word.isdigit() or len(word) > 12:
        raise UserError(
            _("“{word}” is not an entry number. {usage}", word=inv.words[0][:20], usage=usage)
        )
    with inv.deps.uow() as uow:
        outcome = funds.void_entry(
            uow,
            team_id=project.team_id,
            project_id=project.id,
            user_id=inv.caller.user_id,
            entry_id=int(word),
            reason=" ".join(inv.words[1:]),
            now=inv.deps.now(),
        )
    tr = project.tr
    text = tr(
        _("<@{user}> voided fund-use entry #{id} ({amount}, *{line}*): {reason}"),
        user=inv.caller.user_id,
        id=outcome.id,
        amount=tr.money_exact(outcome.amount, project.currency),
        line=strong(outcome.label),
        reason=esc(" ".join(inv.words[1:])[:500]),
    )

    def announce() -> None:
        _announce(inv.client, project, text, user=inv.caller.user_id)
        _alerts(inv.client, project, outcome, user=inv.caller.user_id)

    inv.later(announce)


def _manager_project(inv: Invocation, what: Any) -> tuple[ProjectRef, Any]:
    project = inv.project
    assert project is not None
    with inv.deps.uow() as uow:
        model = funds.project_of(uow, project.team_id, project.id)
        funds.require_manager(model, inv.caller.user_id, what)
        today = funds.project_today(model, inv.deps.now())
        sources = funds.liquidity(uow, model, today).sources
    return project, (today, sources)


def open_sources(inv: Invocation) -> None:
    project, (_today, sources) = _manager_project(inv, _("set up funding sources"))
    view = views.source_modal(sources, project.currency, inv.tr, metadata=_meta(inv))
    inv.client.views_open(trigger_id=inv.caller.trigger_id, view=view)


def open_drawdown(inv: Invocation) -> None:
    project, (today, sources) = _manager_project(inv, _("record drawdowns"))
    if not sources:
        raise UserError(
            _("This project has no funding sources yet. Add one first with `/funds sources`.")
        )
    view = views.drawdown_modal(sources, project.currency, inv.tr, today=today, metadata=_meta(inv))
    inv.client.views_open(trigger_id=inv.caller.trigger_id, view=view)


# Another domain adds `report` (the fortnightly report modal) here.
SUBCOMMANDS: dict[str, Sub] = {
    "": Sub(open_fund_use),
    "summary": Sub(show_summary),
    "void": Sub(void),
    "sources": Sub(open_sources),
    "drawdown": Sub(open_drawdown),
    "report": Sub(open_report),
    "list": Sub(entries.list_entries),
    "approvals": Sub(controls.open_approvals),
    "change": Sub(controls.open_change),
    "history": Sub(controls.open_history),
    "policy": Sub(controls.open_policy),
}


def _announce(client: WebClient, project: ProjectRef, text: str, *, user: str) -> None:
    post_to_channel(client, project.channel_id, text, [], tr=project.tr, fallback_user=user)


def _alerts(client: WebClient, project: ProjectRef, outcome: Outcome, *, user: str) -> None:
    """Post the threshold and runway alerts a change produced to the command channel."""
    post_alerts(client, project, outcome.line_alerts, outcome.runway_alert, user=user)


def post_alerts(
    client: WebClient,
    project: ProjectRef,
    line_alerts: list[LineAlert],
    runway_alert: Liquidity | None,
    *,
    user: str,
) -> None:
    """Post threshold and runway alerts to the command channel (also after an approval)."""
    tr = project.tr
    for alert in line_alerts:
        text, blocks = views.line_alert_message(
            alert, code=project.code, currency=project.currency, tr=tr
        )
        post_to_channel(client, project.channel_id, text, blocks, tr=tr, fallback_user=user)
    if runway_alert is not None:
        text, blocks = views.runway_alert_message(
            runway_alert,
            project_id=project.id,
            code=project.code,
            currency=project.currency,
            tr=tr,
        )
        post_to_channel(client, project.channel_id, text, blocks, tr=tr, fallback_user=user)


@dataclass(frozen=True)
class _Submission:
    """A submitted funds modal: who, the project it is about and the values entered."""

    caller: Caller
    meta: FundsMeta
    project: ProjectRef
    state: dict[str, Any]


Save = Callable[[UnitOfWork, _Submission], T]
Then = Callable[[WebClient, _Submission, T], None]


def _on_submit(
    app: App, deps: Deps, callback_id: str, *, save: Save[T], refused_field: str
) -> Callable[[Then[T]], Then[T]]:
    """Register the decorated function as what follows a successful `save` of the modal
    `callback_id`. Bad input, or a caller not allowed any more (on `refused_field`), is
    answered on the form and nothing is saved."""

    def decorate(then: Then[T]) -> Then[T]:
        @app.view(callback_id)
        @guarded(deps)
        def submit(
            ack: Ack,
            body: dict[str, Any],
            view: dict[str, Any],
            client: WebClient,
            context: dict[str, Any],
        ) -> None:
            caller = Caller.of(body)
            meta = FundsMeta.model_validate_json(unpack(deps, view["private_metadata"]))
            project = project_by_id(deps, caller.team_id, meta.project_id)
            if project is None:
                raise NotFound(_("That project no longer exists."))
            context["locale"] = project.locale
            sub = _Submission(caller, meta, project, read_state(view))
            try:
                result = save_submission(
                    ack,
                    deps,
                    project.tr,
                    lambda uow: save(uow, sub),
                    field=refused_field,
                    refusal=PermissionDenied,
                )
            except NeedsReason as needs:  # the confirm step: same values, say why
                ack(response_action="update", view=_confirm_view(deps, sub, needs))
                return
            if result is not None:
                then(client, sub, result)

        return then

    return decorate


def _confirm_view(deps: Deps, sub: _Submission, needs: NeedsReason) -> Any:
    """The fund-use modal again with the values entered, what the checks found, and a
    required reason to record the entry anyway."""
    with deps.uow() as uow:
        model = funds.project_of(uow, sub.project.team_id, sub.project.id)
        today = funds.project_today(model, deps.now())
        lines = funds.lines(uow, sub.project.id)
    tr = sub.project.tr
    return views.fund_use_modal(
        lines,
        tr,
        today=today,
        metadata=pack(deps, sub.meta),
        form=FundUseForm.model_validate(sub.state),
        warnings=[tr(message) for message in needs.errors.values()],
    )


def register(app: App, deps: Deps) -> None:
    slash_command(app, deps, Command.FUNDS, SUBCOMMANDS, default="")
    entries.register(app, deps)

    @_on_submit(
        app,
        deps,
        FundsView.FUND_USE,
        refused_field="line",
        save=lambda uow, sub: (
            funds.record_entry(
                uow,
                team_id=sub.caller.team_id,
                project_id=sub.project.id,
                user_id=sub.caller.user_id,
                form=FundUseForm.model_validate(sub.state),
                now=deps.now(),
            ),
            fund_entries.can_void(
                funds.project_of(uow, sub.caller.team_id, sub.project.id), sub.caller.user_id
            ),
        ),
    )
    def recorded(client: WebClient, sub: _Submission, saved: tuple[Outcome, bool]) -> None:
        outcome, can_void = saved
        caller, project = sub.caller, sub.project
        where = Caller(
            caller.team_id, caller.user_id, sub.meta.channel_id or project.channel_id, None, None
        )
        tr = project.tr
        if outcome.pending_role is not None:
            control.notify_approvers(deps, client, caller.team_id, ItemKind.ENTRY, outcome.id)
            name = tr(
                _("Entry #{id} ({amount} on *{line}*)"),
                id=outcome.id,
                amount=tr.money_exact(outcome.amount, project.currency),
                line=strong(outcome.label),
            )
            tell(client, where, pending_text(name, outcome.pending_role, outcome.approvers, tr))
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
        tell(client, where, text, blocks=[blk.to_dict() for blk in blocks])
        _alerts(client, project, outcome, user=caller.user_id)

    def save_source(uow: UnitOfWork, sub: _Submission) -> tuple[bool, str]:
        form = SourceForm.model_validate(sub.state)
        _id, created = funds.save_source(
            uow,
            team_id=sub.caller.team_id,
            project_id=sub.project.id,
            user_id=sub.caller.user_id,
            form=form,
        )
        return created, (form.source_name or "").strip()

    @_on_submit(app, deps, FundsView.SOURCE, refused_field="source_name", save=save_source)
    def source_saved(client: WebClient, sub: _Submission, saved: tuple[bool, str]) -> None:
        created, name = saved
        message = (
            _("<@{user}> added funding source *{name}*.")
            if created
            else _("<@{user}> updated funding source *{name}*.")
        )
        user = sub.caller.user_id
        _announce(
            client, sub.project, sub.project.tr(message, user=user, name=strong(name)), user=user
        )

    @_on_submit(
        app,
        deps,
        FundsView.DRAWDOWN,
        refused_field="source",
        save=lambda uow, sub: funds.record_drawdown(
            uow,
            team_id=sub.caller.team_id,
            project_id=sub.project.id,
            user_id=sub.caller.user_id,
            form=DrawdownForm.model_validate(sub.state),
            now=deps.now(),
        ),
    )
    def drawn(client: WebClient, sub: _Submission, outcome: Outcome) -> None:
        project, user, tr = sub.project, sub.caller.user_id, sub.project.tr
        text = tr(
            _("<@{user}> recorded a drawdown of {amount} from *{source}*."),
            user=user,
            amount=tr.money_exact(outcome.amount, project.currency),
            source=strong(outcome.label),
        )
        _announce(client, project, text, user=user)
        _alerts(client, project, outcome, user=user)
