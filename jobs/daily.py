"""Daily jobs at DAILY_AT project time; the period key is the local date.

- `risk_review`: one DM per person (the owner, else the department lead) listing their
  open risks past the next review date.
- `runway_check`: the funds domain's `check_runway`, so a runway that shrinks only because
  time passes (cash sitting still while the four-week burn window moves) still alerts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from bot.i18n import translator
from bot.services import funds, risks
from bot.services.risks import RiskCard
from handlers.clock.views import review_message
from handlers.funds.views import runway_alert_message
from jobs.registry import JobKind, register
from jobs.runner import RunContext
from storage.models import Project, RunwayAlert

DAILY_AT = dt.time(9, 0)


def daily_trigger(project: Project) -> BaseTrigger:
    return CronTrigger(
        hour=DAILY_AT.hour, minute=DAILY_AT.minute, timezone=ZoneInfo(project.timezone)
    )


def local_date(project: Project, due: dt.datetime) -> str:
    return due.astimezone(ZoneInfo(project.timezone)).date().isoformat()


def run_risk_review(ctx: RunContext) -> None:
    with ctx.deps.uow() as uow:
        project = uow.session.get(Project, ctx.project_id)
        assert project is not None
        code, locale = project.code, project.locale
        today = risks.today_in(project.timezone, ctx.due)
        due = risks.due_for_review(uow, project_id=project.id, today=today)
    mine: dict[str, list[RiskCard]] = defaultdict(list)
    for item in due:
        if item.remind is not None:  # no owner and no lead: it shows on the meeting agenda
            mine[item.remind].append(item.risk)
    tr = translator(locale)
    for user, cards in sorted(mine.items()):
        text, blocks = review_message(code, cards, today, tr)
        ctx.post(user, text, [block.to_dict() for block in blocks])


def run_runway_check(ctx: RunContext) -> None:
    """Alert once per crossing. `check_runway` flips the project's alert state under its
    row lock (shared with fund use and drawdowns, so only one of them alerts a crossing) and
    this run stamps the flip with its own fire time: a run resumed after a crash between the
    commit and the post finds the state flipped by itself and posts again through the outbox,
    which sends it at most once."""
    with ctx.deps.uow() as uow:
        project = uow.session.get(Project, ctx.project_id)
        assert project is not None
        today = funds.project_today(project, ctx.due)
        alert = funds.check_runway(uow, project, today, now=ctx.due)
        uow.commit()
        if alert is None:
            state = uow.session.get(RunwayAlert, project.id)
            if state is not None and state.below and state.changed_at == ctx.due:
                alert = funds.liquidity(uow, project, today)  # flipped by this run
        channel, code, currency, locale = (
            project.channel_id,
            project.code,
            project.currency,
            project.locale,
        )
    if alert is None:
        return
    text, blocks = runway_alert_message(
        alert, project_id=ctx.project_id, code=code, currency=currency, tr=translator(locale)
    )
    ctx.post(channel, text, [block.to_dict() for block in blocks])


register(
    JobKind(
        name="risk_review",
        describe="daily DM to owners (or leads) of open risks past their review date",
        trigger=daily_trigger,
        run=run_risk_review,
        period_key=local_date,
        lookback=dt.timedelta(days=2),
    )
)
register(
    JobKind(
        name="runway_check",
        describe="daily runway check; alert to the command channel once per crossing",
        trigger=daily_trigger,
        run=run_runway_check,
        period_key=local_date,
        lookback=dt.timedelta(days=2),
    )
)
