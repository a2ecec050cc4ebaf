"""The report modals and the prompt DM's buttons: submit, answer later, excuse."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.i18n import _, translator
from bot.services import reports
from bot.services.reports import ReportCard, ReportField, ReportForm
from handlers import blocks as b
from handlers.buttons import Click, on_click, update_message
from handlers.common import Caller, read_state, save_submission, tell
from handlers.errors import guarded
from handlers.home.publish import republish_home
from handlers.payloads import pack, unpack
from handlers.reports import views
from handlers.reports.commands import show_report_modal
from handlers.reports.ids import ReportAction, ReportView
from handlers.reports.meta import ExcuseMeta, OpenValue, ReportMeta, ReportValue
from handlers.text import esc


def _update_prompt(
    client: WebClient, channel: str | None, ts: str | None, card: ReportCard
) -> None:
    update_message(client, channel, ts, lambda: views.prompt_message(card, translator(card.locale)))


def register(app: App, deps: Deps) -> None:
    @on_click(app, deps, ReportAction.PICK_DEPARTMENT, ReportAction.OPEN)
    def open_modal(client: WebClient, click: Click) -> None:
        value = OpenValue.model_validate_json(unpack(deps, click.action["value"]))
        from_prompt = b.unindexed(click.action["action_id"]) == ReportAction.OPEN
        channel, ts = click.message if from_prompt else (None, None)
        show_report_modal(
            deps,
            client,
            click.caller,
            translator(click.context.get("locale")),
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
        meta = ReportMeta.model_validate_json(unpack(deps, view["private_metadata"]))
        form = ReportForm.model_validate(read_state(view))
        card = save_submission(  # a refusal: not the lead any more, the period is gone
            ack,
            deps,
            translator(meta.locale),
            lambda uow: reports.submit_report(
                uow,
                team_id=caller.team_id,
                project_id=meta.project_id,
                department_id=meta.department_id,
                period_key=meta.period_key,
                user_id=caller.user_id,
                form=form,
                now=deps.now(),
            ),
            field=ReportField.SUMMARY,
        )
        if card is None:
            return
        tr = translator(card.locale)
        context["locale"] = tr.locale
        _update_prompt(client, meta.dm_channel, meta.dm_ts, card)
        if not (meta.dm_channel and meta.dm_ts):
            confirmation = tr(
                _("Thanks, your fund-use report for {department} ({dates}) is saved."),
                department=esc(card.department_name),
                dates=f"{tr.date(card.period.start)} – {tr.date(card.period.end)}",
            )
            where = Caller(caller.team_id, caller.user_id, meta.channel_id, None, None)
            tell(client, where, confirmation)
        republish_home(deps, client, caller.team_id, [caller.user_id])

    @on_click(app, deps, ReportAction.SNOOZE_1D, ReportAction.SNOOZE_2H)
    def answer_later(client: WebClient, click: Click) -> None:
        value = ReportValue.model_validate_json(unpack(deps, click.action["value"]))
        hours = 2 if click.action["action_id"] == ReportAction.SNOOZE_2H else 24
        with deps.uow() as uow:
            card = reports.snooze(
                uow,
                team_id=click.caller.team_id,
                report_id=value.r,
                user_id=click.caller.user_id,
                hours=hours,
                now=deps.now(),
            )
        click.context["locale"] = card.locale
        _update_prompt(client, *click.message, card)

    @on_click(app, deps, ReportAction.EXCUSE)
    def open_excuse(client: WebClient, click: Click) -> None:
        value = ReportValue.model_validate_json(unpack(deps, click.action["value"]))
        with deps.uow() as uow:
            card = reports.card_of(uow, team_id=click.caller.team_id, report_id=value.r)
        tr = translator(card.locale)
        click.context["locale"] = tr.locale
        channel, ts = click.message
        meta = ExcuseMeta(report_id=value.r, dm_channel=channel, dm_ts=ts, locale=card.locale)
        client.views_open(
            trigger_id=click.caller.trigger_id,
            view=views.excuse_modal(card, tr, metadata=pack(deps, meta)),
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
        meta = ExcuseMeta.model_validate_json(unpack(deps, view["private_metadata"]))
        reason = read_state(view).get(ReportField.REASON)
        card = save_submission(
            ack,
            deps,
            translator(meta.locale),
            lambda uow: reports.excuse(
                uow,
                team_id=caller.team_id,
                report_id=meta.report_id,
                user_id=caller.user_id,
                reason=reason,
                now=deps.now(),
            ),
            field=ReportField.REASON,
        )
        if card is None:
            return
        context["locale"] = card.locale
        _update_prompt(client, meta.dm_channel, meta.dm_ts, card)
        republish_home(deps, client, caller.team_id, [caller.user_id])
