"""`monthly_scorecard`: on the 1st of each month, the month before, to the command channel.

Exactly once: the month is stored once (a snapshot); its `posted_at` is claimed (a
compare-and-set) in the same transaction that queues the message and its trend chart in the
outbox (`jobs/outbox.py`, keys `scorecard:<project>:<month>` and `…:chart`), and a deliverer
pass sends them. A second call, a second clock or a restart queues nothing twice; a crash
after the commit leaves rows the next pass sends.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient

from bot import charts
from bot.deps import Deps
from bot.errors import UserError
from bot.i18n import Translator, translator
from bot.services import projects, scorecard
from bot.services.project_header import ProjectHeader
from bot.services.scorecard import Scorecard, Trend
from handlers.scorecard import views
from handlers.scorecard.views import chart_of
from jobs import outbox
from jobs.delivery import Delivery
from jobs.registry import JobKind, register
from jobs.runner import RunContext
from storage.models import Project
from storage.uow import UnitOfWork

log = logging.getLogger("icrm.jobs.scorecard")
KIND = "scorecard"


def queue(
    uow: UnitOfWork,
    *,
    key: str,
    channel: str,
    card: Scorecard,
    trend: Trend,
    tr: Translator,
    locale: str,
    fallback_user: str | None = None,
) -> list[str]:
    """Queue the scorecard for `channel` (a user id: their DM) and its chart after it, in
    `uow`'s transaction; the keys queued (none if `key` was queued before)."""
    text, blocks = views.scorecard_message(card, tr, trend)
    dm = channel.startswith(("U", "W"))  # W: an Enterprise Grid user
    if not outbox.enqueue(
        uow,
        project_id=card.project_id,
        kind=KIND,
        key=key,
        recipient=channel,
        text=text,
        blocks=blocks,
        fallback_user=None if dm else fallback_user,
        fallback_hint=None if dm else outbox.fallback_hint(locale, channel),
    ):
        return []
    keys = [key]
    # The trend rides in the message as Slack's chart when it fits; else a PNG after it.
    png = chart_of(card, trend, tr) if views.trend_form(trend) is charts.Form.PNG else None
    if png is not None:
        chart = f"{key}:chart"
        outbox.enqueue_file(
            uow,
            project_id=card.project_id,
            kind=KIND,
            key=chart,
            channel=channel,
            filename=f"scorecard-{card.code}-{card.key}.png",
            title=views.chart_title(card, tr),
            content=png,
            after=key,
        )
        keys.append(chart)
    return keys


def send_now(
    deps: Deps,
    *,
    channel: str,
    card: Scorecard,
    trend: Trend,
    locale: str,
    fallback_user: str | None = None,
) -> int:
    """`/icrm scorecard`: queue this one answer (its own key) and send it; how many sent."""
    with deps.uow() as uow:
        keys = queue(
            uow,
            key=f"scorecard:{card.project_id}:{card.key}:ask:{uuid.uuid4().hex[:12]}",
            channel=channel,
            card=card,
            trend=trend,
            tr=translator(locale),
            locale=locale,
            fallback_user=fallback_user,
        )
        uow.commit()
    return outbox.deliver(deps, keys=keys)


def monthly_scorecard(
    deps: Deps,
    project_code: str | None,
    at: dt.datetime,
    *,
    delivery: Delivery | None = None,
    client: WebClient | None = None,
    team_id: str | None = None,
) -> int:
    """Compute (and store) the month before `at`, in each project's timezone, for the project
    with `project_code` (every active project when None) and post it with its trend chart to
    the command channel, once. Returns how many scorecards were posted now (a month queued by
    an earlier call that could not send it is sent, and counted, now). `delivery` / `client`:
    instead of the project's workspace client (a job run's, a test's)."""
    with deps.uow() as uow:
        targets = [
            ProjectHeader.of(p)
            for p in uow.jobs.active_projects(project_code)
            if team_id in (None, p.team_id)  # codes are unique per workspace only
        ]
    posted = 0
    for project in targets:
        month = scorecard.last_month(at, project.timezone)
        try:
            with deps.uow() as uow:
                card = scorecard.compute_month(
                    uow, project.id, month.year, month.month, now=deps.now()
                )
            if not card.stored:
                log.info("scorecard %s %s: no data, nothing to post", project.code, card.key)
                continue
            key = f"scorecard:{project.id}:{card.key}"
            keys = [key, f"{key}:chart"]  # queued before, perhaps: still to send?
            with deps.uow() as uow:
                row = uow.scorecards.month(card.project_id, card.month)
                if row is not None and uow.scorecards.claim_post(row.id, deps.now()):
                    queue(
                        uow,
                        key=key,
                        channel=project.channel_id,
                        card=card,
                        trend=scorecard.trend(uow, project.id, card.month),
                        tr=project.tr,
                        locale=project.locale,
                    )
                    uow.commit()  # the claim and the queued messages together
        except UserError as error:
            log.info("scorecard %s %s skipped: %s", project.code, month, error.message.msgid)
            continue
        chosen = delivery
        if chosen is None and client is not None:
            chosen = Delivery(client, outbox.delivery_for(deps, project.id).pacer)
        if outbox.deliver(deps, keys=keys[:1], delivery=chosen):
            posted += 1
        outbox.deliver(deps, keys=keys[1:], delivery=chosen)  # the chart after it
    return posted


def trigger(project: Project) -> CronTrigger:
    """The 1st of each month at 09:00, project time."""
    return CronTrigger(day=1, hour=9, minute=0, timezone=ZoneInfo(project.timezone))


def period_key(project: Project, due: dt.datetime) -> str:
    """The month scored: the one before the fire time, in project time."""
    month = scorecard.last_month(due, project.timezone)
    return f"{month.year:04d}-{month.month:02d}"


def run(ctx: RunContext) -> None:
    # Posting once is guaranteed by the month's `posted_at` claim and its queued rows (see
    # above), which also cover the chart upload that follows the message.
    with ctx.deps.uow() as uow:
        project = projects.project_by_id(uow, ctx.project_id)
        code, team = project.code, project.team_id
    ctx.sent += monthly_scorecard(ctx.deps, code, ctx.due, delivery=ctx.delivery, team_id=team)


register(
    JobKind(
        name="monthly_scorecard",
        describe="1st of the month 09:00: last month's scorecard and chart to the command channel",
        trigger=trigger,
        run=run,
        period_key=period_key,
        lookback=dt.timedelta(days=32),
    )
)
