"""Daily jobs at DAILY_AT project time; the period key is the local date.

- `risk_review`: one DM per person (the owner, else the department lead) listing their
  open risks past the next review date.
- `runway_check`: the funds domain's `check_runway`, so a runway that shrinks only because
  time passes (cash sitting still while the four-week burn window moves) still alerts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from bot.i18n import Msg, _, translator
from bot.services import funds, projects, risks
from bot.services.risks import RiskCard
from handlers.funds.views import runway_alert_message
from handlers.risks.views.review import review_message
from jobs.registry import daily, daily_kind, register
from jobs.runner import RunContext

DAILY_AT = dt.time(9, 0)


daily_trigger = daily(DAILY_AT)


def run_risk_review(ctx: RunContext) -> Msg | None:
    with ctx.deps.uow() as uow:
        project = projects.project_by_id(uow, ctx.project_id)
        code, locale = project.code, project.locale
        today = risks.today_in(project.timezone, ctx.due)
        due = risks.due_for_review(uow, project_id=project.id, today=today)
    mine: dict[str, list[RiskCard]] = defaultdict(list)
    for item in due:
        if item.remind is not None:  # no owner and no lead: it shows on the meeting agenda
            mine[item.remind].append(item.risk)
    if not mine:
        return _("No open risk with an owner or a department lead is past its review date.")
    tr = translator(locale)
    for user, cards in sorted(mine.items()):
        text, blocks = review_message(code, cards, today, tr)
        ctx.post(user, text, blocks)
    return None


def run_runway_check(ctx: RunContext) -> Msg | None:
    """Alert once per crossing. `check_runway` flips the project's alert state under its
    row lock (shared with fund use and drawdowns, so only one of them alerts a crossing) and
    this run stamps the flip with its own fire time: a run resumed after a crash between the
    commit and the post finds the state flipped by itself and posts again through the outbox,
    which sends it at most once."""
    with ctx.deps.uow() as uow:
        project = projects.project_by_id(uow, ctx.project_id)
        today = funds.project_today(project, ctx.due)
        alert = funds.check_runway(uow, project, today, now=ctx.due)
        uow.commit()
        state = uow.funds.runway_alert(project.id)
        if alert is None:
            if state is not None and state.below and state.changed_at == ctx.due:
                alert = funds.liquidity(uow, project, today)  # flipped by this run
            else:
                alerted = funds.project_today(project, state.changed_at) if state else None
                why = _quiet(funds.liquidity(uow, project, today), alerted)
        channel, code, currency, locale = (
            project.channel_id,
            project.code,
            project.currency,
            project.locale,
        )
    if alert is None:
        return why
    text, blocks = runway_alert_message(
        alert, project_id=ctx.project_id, code=code, currency=currency, tr=translator(locale)
    )
    ctx.post(channel, text, blocks)
    return None


def _quiet(now: funds.Liquidity, alerted: dt.date | None) -> Msg:
    """Why the runway check alerts nobody today."""
    runway = now.runway_weeks
    if not now.sources:
        return _("No funding source is set up, so there is no runway to check.")
    if runway is None:
        return _("Nothing was spent in the last four weeks, so the runway has no limit.")
    if now.below_threshold:  # and alerted when it fell below (a run of its own, or fund use)
        return _(
            "The runway ({weeks} weeks) is still under the {threshold}-week threshold; that was alerted on {date}.",
            weeks=str(runway),
            threshold=now.threshold_weeks,
            date=alerted.isoformat() if alerted is not None else "—",
        )
    return _(
        "The runway is {weeks} weeks, not under the {threshold}-week threshold.",
        weeks=str(runway),
        threshold=now.threshold_weeks,
    )


register(
    daily_kind(
        "risk_review",
        "daily DM to owners (or leads) of open risks past their review date",
        DAILY_AT,
        run_risk_review,
    )
)
register(
    daily_kind(
        "runway_check",
        "daily runway check; alert to the command channel once per crossing",
        DAILY_AT,
        run_runway_check,
    )
)
