"""The fortnightly fund-use report jobs, one period (`bot.periods`) at a time; the period
key is the period's own key (its first day):

- `report_prompt` when the period closes (local midnight after its last day): open the
  period's reports (idempotent) and DM each department lead the report prompt;
- `report_nudge` `nudge_hours` later: DM the leads still pending and not snoozed;
- `report_summary` when the report is due (`report_due_days` local days after the close):
  mark what is still pending late and post the summary to the command channel.
"""

from __future__ import annotations

import datetime as dt

from bot.i18n import translator
from bot.periods import Period, period_by_key
from bot.services import reports
from handlers.reports.views import prompt_message, summary_message
from jobs.period_trigger import PeriodTrigger
from jobs.registry import JobKind, register
from jobs.runner import RunContext
from storage.models import Project

LOOKBACK = dt.timedelta(days=15)


def prompt_trigger(project: Project) -> PeriodTrigger:
    return PeriodTrigger(project.report_anchor, project.timezone)


def nudge_trigger(project: Project) -> PeriodTrigger:
    return PeriodTrigger(project.report_anchor, project.timezone, after_hours=project.nudge_hours)


def summary_trigger(project: Project) -> PeriodTrigger:
    return PeriodTrigger(
        project.report_anchor, project.timezone, after_days=project.report_due_days
    )


def _period(ctx: RunContext) -> tuple[Project, Period]:
    with ctx.deps.uow() as uow:
        project = uow.session.get(Project, ctx.project_id)
        assert project is not None
        uow.session.expunge(project)
    return project, period_by_key(project.report_anchor, ctx.period_key)


def _dm_leads(ctx: RunContext, cards: list[reports.ReportCard], *, nudge: bool) -> None:
    for card in cards:
        if card.lead_user_id is None:
            continue
        text, blocks = prompt_message(card, translator(card.locale), nudge=nudge)
        ctx.post(
            card.lead_user_id,
            text,
            [block.to_dict() for block in blocks],
            slot=str(card.department_id),  # a lead of two departments gets two prompts
        )


def run_prompt(ctx: RunContext) -> None:
    _project, period = _period(ctx)
    with ctx.deps.uow() as uow:
        cards = reports.open_period(uow, project_id=ctx.project_id, period=period)
    _dm_leads(ctx, cards, nudge=False)


def run_nudge(ctx: RunContext) -> None:
    _project, period = _period(ctx)
    with ctx.deps.uow() as uow:
        reports.open_period(uow, project_id=ctx.project_id, period=period)  # if never prompted
        cards = reports.due_for_nudge(
            uow, project_id=ctx.project_id, period=period, now=ctx.deps.now()
        )
    _dm_leads(ctx, cards, nudge=True)


def run_summary(ctx: RunContext) -> None:
    _project, period = _period(ctx)
    with ctx.deps.uow() as uow:
        summary = reports.close_period(
            uow, project_id=ctx.project_id, period=period, now=ctx.deps.now()
        )
    text, blocks = summary_message(summary, translator(summary.locale))
    ctx.post(summary.channel_id, text, [block.to_dict() for block in blocks])


register(
    JobKind(
        name="report_prompt",
        describe="report prompt DM to each department lead when a 14-day period closes",
        trigger=prompt_trigger,
        run=run_prompt,
        period_key=lambda p, due: prompt_trigger(p).period_of(due).key,
        lookback=LOOKBACK,
    )
)
register(
    JobKind(
        name="report_nudge",
        describe="nudge DM to leads still pending, nudge_hours after the prompt",
        trigger=nudge_trigger,
        run=run_nudge,
        period_key=lambda p, due: nudge_trigger(p).period_of(due).key,
        lookback=LOOKBACK,
    )
)
register(
    JobKind(
        name="report_summary",
        describe="reports summary to the command channel when reports are due (pending → late)",
        trigger=summary_trigger,
        run=run_summary,
        period_key=lambda p, due: summary_trigger(p).period_of(due).key,
        lookback=LOOKBACK,
    )
)
