"""`monthly_scorecard`: on the 1st of each month, the month before, to the command channel.

Idempotent: the month is stored once (a snapshot) and its `posted_at` is claimed with a
compare-and-set before posting, so a second call, a second clock or a restart never posts
twice. A post that fails before the message went out releases the claim for the next run.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import UserError
from bot.i18n import translator
from bot.services import scorecard
from bot.slack import make_web_client
from handlers.scorecard import delivery
from jobs.registry import JobKind, register
from jobs.runner import RunContext
from storage.models import Project

log = logging.getLogger("icrm.jobs.scorecard")


def monthly_scorecard(
    deps: Deps,
    project_code: str | None,
    at: dt.datetime,
    *,
    client: WebClient | None = None,
    team_id: str | None = None,
) -> int:
    """Compute (and store) the month before `at`, in each project's timezone, for the project
    with `project_code` (every active project when None) and post it with its trend chart to
    the command channel, once. Returns how many scorecards were posted now."""
    client = client or make_web_client(deps.settings, sleep=deps.sleep)
    with deps.uow() as uow:
        targets = [
            (p.id, p.code, p.timezone, p.channel_id, p.locale)
            for p in uow.scorecards.active_projects(project_code)
            if team_id in (None, p.team_id)  # codes are unique per workspace only
        ]
    posted = 0
    for project_id, code, timezone, channel, locale in targets:
        month = scorecard.last_month(at, timezone)
        try:
            with deps.uow() as uow:
                card = scorecard.compute_month(
                    uow, project_id, month.year, month.month, now=deps.now()
                )
            if not card.stored:
                log.info("scorecard %s %s: no data, nothing to post", code, card.key)
                continue
            with deps.uow() as uow:
                if not scorecard.claim_post(uow, card, deps.now()):
                    continue
                trend = scorecard.trend(uow, project_id, card.month)
        except UserError as error:
            log.info("scorecard %s %s skipped: %s", code, month, error.message.msgid)
            continue
        try:
            delivery.send(client, channel=channel, card=card, trend=trend, tr=translator(locale))
        except Exception:
            log.exception("could not post the scorecard of %s %s", code, card.key)
            with deps.uow() as uow:
                scorecard.release_post(uow, card)
            continue
        posted += 1
    return posted


def trigger(project: Project) -> CronTrigger:
    """The 1st of each month at 09:00, project time."""
    return CronTrigger(day=1, hour=9, minute=0, timezone=ZoneInfo(project.timezone))


def period_key(project: Project, due: dt.datetime) -> str:
    """The month scored: the one before the fire time, in project time."""
    month = scorecard.last_month(due, project.timezone)
    return f"{month.year:04d}-{month.month:02d}"


def run(ctx: RunContext) -> None:
    # Posting once is guaranteed by the month's `posted_at` claim (see above), which also
    # covers `/icrm scorecard` and the chart upload that follows the message.
    with ctx.deps.uow() as uow:
        project = uow.session.get(Project, ctx.project_id)
        assert project is not None
        code, team = project.code, project.team_id
    ctx.sent += monthly_scorecard(ctx.deps, code, ctx.due, client=ctx.client, team_id=team)


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
