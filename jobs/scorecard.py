"""`monthly_scorecard`: on the 1st of each month, the month before, to the command channel.

Idempotent: the month is stored once (a snapshot) and its `posted_at` is claimed with a
compare-and-set before posting, so a second call, a second clock or a restart never posts
twice. A post that fails before the message went out releases the claim for the next run.
"""

from __future__ import annotations

import datetime as dt
import logging

from bot.app import Deps
from bot.errors import UserError
from bot.i18n import translator
from bot.services import scorecard
from bot.slack import make_web_client
from handlers.scorecard import delivery
from jobs.scheduler import Job

log = logging.getLogger("icrm.jobs.scorecard")


def monthly_scorecard(deps: Deps, project_code: str | None, at: dt.datetime) -> int:
    """Compute (and store) the month before `at`, in each project's timezone, for the project
    with `project_code` (every active project when None) and post it with its trend chart to
    the command channel, once. Returns how many scorecards were posted now."""
    client = make_web_client(deps.settings)
    with deps.uow() as uow:
        targets = [
            (p.id, p.code, p.timezone, p.channel_id, p.locale)
            for p in uow.scorecards.active_projects(project_code)
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


SCORECARD_JOBS = [
    Job(
        "monthly_scorecard",
        monthly_scorecard,
        "1st of the month 09:00: last month's scorecard to the command channel",
    ),
]
