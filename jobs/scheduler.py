"""The clock: APScheduler with one job per (job kind, project), in the project's timezone."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.schedulers.background import BackgroundScheduler

from bot.app import Deps
from jobs.webhooks import INTERVAL_SECONDS, webhook_round

log = logging.getLogger("icrm.clock")


@dataclass(frozen=True)
class Job:
    """A named job: `run(deps, project_code, at)` does one period's work, exactly once."""

    name: str
    run: Callable[[Deps, str | None, dt.datetime], int]
    describe: str


# Filled by the issues that add jobs (meeting reminders, report prompts, digests…).
JOBS: dict[str, Job] = {}


def build_scheduler(deps: Deps) -> BackgroundScheduler:
    """A scheduler holding every registered job for every active project (none yet)."""
    scheduler = BackgroundScheduler(timezone=dt.UTC)
    deliver = webhook_round(deps)
    if deliver is not None:
        scheduler.add_job(
            deliver,
            "interval",
            seconds=INTERVAL_SECONDS,
            id="webhooks",
            max_instances=1,
            coalesce=True,
        )
    log.info("clock ready with %d job kinds", len(JOBS))
    return scheduler
