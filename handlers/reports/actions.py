"""The report modals and the prompt DM's buttons: submit, answer later, excuse."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.app import Deps
from bot.errors import FieldErrors, UserError
from bot.i18n import _, translator
from bot.services import reports
from bot.services.reports import ReportCard, ReportField, ReportForm
from handlers.common import Caller, field_errors, read_state, tell
from handlers.errors import guarded
from handlers.home.publish import republish_home
from handlers.reports import views
from handlers.reports.commands import show_report_modal
from handlers.reports.ids import ReportAction, ReportView
from handlers.reports.meta import ExcuseMeta, OpenValue, ReportMeta, ReportValue


def _message_of(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """The channel and ts of the message a button was pressed in."""
    container = body.get("container") or {}
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    return container.get("channel_id"), ts


def _update_prompt(
    client: WebClient, channel: str | None, ts: str | None, card: ReportCard
) -> None:
    if channel and ts:
        text, blocks = views.prompt_message(card, translator(card.locale))
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)


def register(app: App, deps: Deps) -> None:
    @app.action(ReportAction.OPEN)
    @app.action(ReportAction.PICK_DEPARTMENT)
    @guarded(deps)
    def open_modal(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        ack()
        value = OpenValue.model_validate_json(action["value"])
        caller = Caller.of(body)
        from_prompt = action["action_id"] == ReportAction.OPEN
        channel, ts = _message_of(body) if from_prompt else (None, None)
        show_report_modal(
            deps,
            client,
            caller,
            translator(context.get("locale")),
            project_id=value.p,
            department_id=value.d,
            period_key=value.k,
            dm_channel=channel,
            dm_ts=ts,
        )

    @app.view(ReportView.SUBMIT)
    @guarded(deps)
    def submit(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        caller = Caller.of(body)
        meta = ReportMeta.model_validate_json(view["private_metadata"])
        form = ReportForm.model_validate(read_state(view))
        try:
            with deps.uow() as uow:
                card = reports.submit_report(
                    uow,
                    team_id=caller.team_id,
                    project_id=meta.project_id,
                    department_id=meta.department_id,
                    period_key=meta.period_key,
                    user_id=caller.user_id,
                    form=form,
                    now=deps.now(),
                )
        except FieldErrors as error:
            ack(**field_errors(error, translator(meta.locale)))
            return
        except UserError as error:  # not the lead any more, period gone: say so in the modal
            message = translator(meta.locale)(error.message)[:150]
            ack(response_action="errors", errors={ReportField.SUMMARY: message})
            return
        ack()
        tr = translator(card.locale)
        context["locale"] = tr.locale
        _update_prompt(client, meta.dm_channel, meta.dm_ts, card)
        confirmation = tr(
            _("Thanks, your fund-use report for {department} ({dates}) is saved."),
            department=card.department_name,
            dates=f"{tr.date(card.period.start)} – {tr.date(card.period.end)}",
        )
        where = meta.dm_channel and meta.dm_ts
        if not where:
            tell(
                client,
                Caller(caller.team_id, caller.user_id, meta.channel_id, None, None),
                confirmation,
            )
        republish_home(deps, client, caller.team_id, [caller.user_id])

    @app.action(ReportAction.SNOOZE_2H)
    @app.action(ReportAction.SNOOZE_1D)
    @guarded(deps)
    def answer_later(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        ack()
        value = ReportValue.model_validate_json(action["value"])
        hours = 2 if action["action_id"] == ReportAction.SNOOZE_2H else 24
        caller = Caller.of(body)
        with deps.uow() as uow:
            card = reports.snooze(
                uow,
                team_id=caller.team_id,
                report_id=value.r,
                user_id=caller.user_id,
                hours=hours,
                now=deps.now(),
            )
        context["locale"] = card.locale
        channel, ts = _message_of(body)
        _update_prompt(client, channel, ts, card)

    @app.action(ReportAction.EXCUSE)
    @guarded(deps)
    def open_excuse(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        ack()
        value = ReportValue.model_validate_json(action["value"])
        caller = Caller.of(body)
        with deps.uow() as uow:
            card = reports.card_of(uow, team_id=caller.team_id, report_id=value.r)
        tr = translator(card.locale)
        context["locale"] = tr.locale
        channel, ts = _message_of(body)
        meta = ExcuseMeta(report_id=value.r, dm_channel=channel, dm_ts=ts, locale=card.locale)
        client.views_open(
            trigger_id=caller.trigger_id,
            view=views.excuse_modal(card, tr, metadata=meta.model_dump_json()),
        )

    @app.view(ReportView.EXCUSE)
    @guarded(deps)
    def excuse(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        caller = Caller.of(body)
        meta = ExcuseMeta.model_validate_json(view["private_metadata"])
        reason = read_state(view).get(ReportField.REASON)
        try:
            with deps.uow() as uow:
                card = reports.excuse(
                    uow,
                    team_id=caller.team_id,
                    report_id=meta.report_id,
                    user_id=caller.user_id,
                    reason=reason,
                    now=deps.now(),
                )
        except FieldErrors as error:
            ack(**field_errors(error, translator(meta.locale)))
            return
        except UserError as error:
            message = translator(meta.locale)(error.message)[:150]
            ack(response_action="errors", errors={ReportField.REASON: message})
            return
        ack()
        context["locale"] = card.locale
        _update_prompt(client, meta.dm_channel, meta.dm_ts, card)
        republish_home(deps, client, caller.team_id, [caller.user_id])
