"""The fortnightly fund-use report jobs, one period (`bot.periods`) at a time; the period
key is the period's own key (its first day):

- `report_prompt` when the period closes (local midnight after its last day): open the
  period's reports (idempotent) and DM each department lead the report prompt; a period
  before the report anchor has no reports;
- `report_nudge` `nudge_hours` later: DM the leads still pending and not snoozed;
- `report_summary` when the report is due (`report_due_days` local days after the close):
  mark what is still pending late and post the summary to the command channel.

Only a period its prompt opened is nudged and summarised: nobody else was asked to report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.i18n import Msg, _
from bot.periods import Period, period_by_key
from bot.services import projects, reports
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
        project = projects.project_by_id(uow, ctx.project_id)
        uow.detach(project)
    return project, period_by_key(project.report_anchor, ctx.period_key)


def _dates(period: Period) -> dict[str, str]:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def _dm_leads(ctx: RunContext, cards: list[reports.ReportCard], *, nudge: bool) -> None:
    for card in cards:
        if card.lead_user_id is None:
            continue
        text, blocks = prompt_message(card, card.project.tr, nudge=nudge)
        ctx.post(
            card.lead_user_id,
            text,
            blocks,
            slot=str(card.department_id),  # a lead of two departments gets two prompts
        )


def run_prompt(ctx: RunContext) -> Msg | None:
    project, period = _period(ctx)
    if period.index < 0:  # a manual run before the first period: nobody reports for it
        return _(
            "{start} – {end} is before the project's first report period (from {anchor}): nobody reports for it.",
            anchor=project.report_anchor.isoformat(),
            **_dates(period),
        )
    with ctx.deps.uow() as uow:
        cards = reports.open_period(uow, project_id=ctx.project_id, period=period)
    if not cards:
        return _(
            "Nobody to ask for the {start} – {end} report: every department with a lead has already reported, or none has a lead.",
            **_dates(period),
        )
    _dm_leads(ctx, cards, nudge=False)
    return None


def _not_prompted(period: Period) -> Msg:
    return _(
        "No reports were due for {start} – {end}: nobody was asked for them (the period's prompt never went out).",
        **_dates(period),
    )


def run_nudge(ctx: RunContext) -> Msg | None:
    _project, period = _period(ctx)
    with ctx.deps.uow() as uow:
        if not reports.was_opened(uow, project_id=ctx.project_id, period=period):
            return _not_prompted(period)  # a nudge never opens a period: it reminds
        cards = reports.due_for_nudge(
            uow, project_id=ctx.project_id, period=period, now=ctx.deps.now()
        )
    if not cards:
        return _(
            "No report of {start} – {end} is still pending (or each pending one is snoozed).",
            **_dates(period),
        )
    _dm_leads(ctx, cards, nudge=True)
    return None


def run_summary(ctx: RunContext) -> Msg | None:
    """Summarise a period its prompt opened; any other period had nobody asked to report
    (before the anchor, before the project existed, or its prompt was skipped)."""
    _project, period = _period(ctx)
    with ctx.deps.uow() as uow:
        if not reports.was_opened(uow, project_id=ctx.project_id, period=period):
            return _not_prompted(period)
        summary = reports.close_period(
            uow, project_id=ctx.project_id, period=period, now=ctx.deps.now()
        )
    text, blocks = summary_message(summary, summary.project.tr)
    ctx.post(summary.project.channel_id, text, blocks)
    return None


def _period_job(
    name: str,
    describe: str,
    trigger: Callable[[Project], PeriodTrigger],
    run: Callable[[RunContext], Msg | None],
) -> JobKind:
    """A job once per report period: its period key is the period of the fire time."""
    return JobKind(
        name=name,
        describe=describe,
        trigger=trigger,
        run=run,
        period_key=lambda p, due: trigger(p).period_of(due).key,
        lookback=LOOKBACK,
    )


register(
    _period_job(
        "report_prompt",
        "report prompt DM to each department lead when a 14-day period closes",
        prompt_trigger,
        run_prompt,
    )
)
register(
    _period_job(
        "report_nudge",
        "nudge DM to leads still pending, nudge_hours after the prompt",
        nudge_trigger,
        run_nudge,
    )
)
register(
    _period_job(
        "report_summary",
        "reports summary to the command channel when reports are due (pending → late)",
        summary_trigger,
        run_summary,
    )
)
