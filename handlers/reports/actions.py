"""The report modals and the prompt DM's buttons: submit, answer later, excuse."""

from __future__ import annotations

from functools import partial

from slack_bolt import App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import UserError
from bot.i18n import _
from bot.services import reports
from bot.services.reports import ReportCard, ReportField
from handlers import blocks as b
from handlers.common import tell
from handlers.home.publish import republish_home
from handlers.kit import Request, button, modal, update_message
from handlers.reports import views
from handlers.reports.commands import show_report_modal
from handlers.reports.ids import (
    ExcuseMeta,
    OpenValue,
    ReportAction,
    ReportMeta,
    ReportValue,
    ReportView,
)
from handlers.text import esc


def _update_prompt(
    client: WebClient, channel: str | None, ts: str | None, card: ReportCard
) -> None:
    update_message(client, channel, ts, lambda: views.prompt_message(card, card.project.tr))


def register(app: App, deps: Deps) -> None:
    register_reports(app, deps)
    register_excuses(app, deps)


def register_reports(app: App, deps: Deps) -> None:
    @button(app, deps, ReportAction.PICK_DEPARTMENT, ReportAction.OPEN)
    def open_modal(req: Request) -> None:
        value = req.value(OpenValue)
        from_prompt = b.unindexed(req.action["action_id"]) == ReportAction.OPEN
        channel, ts = req.message if from_prompt else (None, None)
        show_report_modal(
            deps,
            req.client,
            req.caller,
            req.tr,
            project_id=value.p,
            department_id=value.d,
            period_key=value.k,
            dm_channel=channel,
            dm_ts=ts,
        )

    # A refusal (not the lead any more, the period is gone) is shown on the form.
    @modal(app, deps, ReportView.SUBMIT, refusal=UserError, refusal_on=ReportField.SUMMARY)
    def submit(req: Request) -> None:
        caller, meta = req.caller, req.meta(ReportMeta)
        req.speak(meta.locale)
        form = req.form(ReportField)
        with deps.uow() as uow:
            card = reports.submit_report(
                uow,
                **caller.acting(meta.project_id),
                department_id=meta.department_id,
                period_key=meta.period_key,
                form=form,
                now=deps.now(),
            )
        req.close()
        tr = req.speak(card.project.locale)
        _update_prompt(req.client, meta.dm_channel, meta.dm_ts, card)
        if not (meta.dm_channel and meta.dm_ts):
            confirmation = tr(
                _("Thanks, your fund-use report for {department} ({dates}) is saved."),
                department=esc(card.department_name),
                dates=f"{tr.date(card.period.start)} – {tr.date(card.period.end)}",
            )
            tell(req.client, caller.told_in(meta.channel_id), confirmation)
        republish_home(deps, req.client, caller.team_id, [caller.user_id])


def register_excuses(app: App, deps: Deps) -> None:
    @button(app, deps, ReportAction.SNOOZE_1D, ReportAction.SNOOZE_2H)
    def answer_later(req: Request) -> None:
        value = req.value(ReportValue)
        hours = 2 if req.action["action_id"] == ReportAction.SNOOZE_2H else 24
        with deps.uow() as uow:
            card = reports.snooze(
                uow,
                **req.caller.who(),
                report_id=value.r,
                hours=hours,
                now=deps.now(),
            )
        req.speak(card.project.locale)
        _update_prompt(req.client, *req.message, card)

    @button(app, deps, ReportAction.EXCUSE)
    def open_excuse(req: Request) -> None:
        value = req.value(ReportValue)
        with deps.uow() as uow:
            card = reports.card_of(uow, team_id=req.caller.team_id, report_id=value.r)
        meta = ExcuseMeta(report_id=value.r, locale=card.project.locale)
        req.open_for_message(meta, card.project.locale, partial(views.excuse_modal, card))

    @modal(app, deps, ReportView.EXCUSE, refusal=UserError, refusal_on=ReportField.REASON)
    def excuse(req: Request) -> None:
        meta = req.meta(ExcuseMeta)
        req.speak(meta.locale)
        reason = req.values.get(ReportField.REASON)
        with deps.uow() as uow:
            card = reports.excuse(
                uow,
                **req.caller.who(),
                report_id=meta.report_id,
                reason=reason,
                now=deps.now(),
            )
        req.close()
        req.speak(card.project.locale)
        _update_prompt(req.client, meta.dm_channel, meta.dm_ts, card)
        republish_home(deps, req.client, req.caller.team_id, [req.caller.user_id])
