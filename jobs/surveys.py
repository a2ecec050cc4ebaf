"""Survey jobs for the clock: `survey_open`, `survey_reminder`, `survey_close`.

Each takes `deps`, a project code (ignored: a call covers every project) and the time to act
for, and returns how many messages it sent; the job kinds below run them per project. They are idempotent: each send is recorded before it is made (see
`handlers/surveys/delivery.py`), so a second call, a second clock or a restart sends nothing
twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from bot.deps import Deps
from bot.i18n import Msg, _
from bot.slack import make_web_client
from handlers.surveys import delivery
from jobs.registry import JobKind, register
from jobs.runner import RunContext
from storage.models import Project


def survey_open(deps: Deps, project_code: str | None, at: dt.datetime) -> int:
    """Invite the audience of every survey that has opened by `at` (DMs with an answer button)."""
    return delivery.send_invitations(deps, make_web_client(deps.settings, sleep=deps.sleep), at)


def survey_reminder(deps: Deps, project_code: str | None, at: dt.datetime) -> int:
    """Remind non-respondents of surveys closing within a day, once each."""
    return delivery.send_reminders(deps, make_web_client(deps.settings, sleep=deps.sleep), at)


def survey_close(deps: Deps, project_code: str | None, at: dt.datetime) -> int:
    """Close surveys whose time is up and post their results to the command channel, once."""
    return delivery.post_results(deps, make_web_client(deps.settings, sleep=deps.sleep), at)


# -- as job kinds on the clock ---------------------------------------------------------------
# Each runs every INTERVAL_MINUTES for each project (its own surveys only), through the
# functions above: their per-person claims already make every send exactly-once-or-never
# across runs, clocks and manual runs, and one person may get several survey DMs in one run,
# which `ctx.post` (one message per recipient and run) does not fit. The run counts what
# they sent; a missed fire is simply covered by the next one (they act on "everything due
# by now"), hence a lookback of two intervals.

INTERVAL_MINUTES = 5


def _trigger(project: Project) -> BaseTrigger:
    return CronTrigger(minute=f"*/{INTERVAL_MINUTES}", timezone=ZoneInfo(project.timezone))


def _kind(name: str, describe: str, send: Callable[..., int], quiet: Msg) -> JobKind:
    def run(ctx: RunContext) -> Msg | None:
        client = ctx.client  # the project's workspace's
        sent = send(ctx.deps, client, ctx.due, ctx.project_id)
        ctx.sent += sent
        return None if sent else quiet

    return register(
        JobKind(
            name=name,
            describe=describe,
            trigger=_trigger,
            run=run,
            lookback=dt.timedelta(minutes=2 * INTERVAL_MINUTES),
        )
    )


_kind(
    "survey_open",
    f"survey invitations to the audience of surveys that opened (every {INTERVAL_MINUTES} min)",
    delivery.send_invitations,
    _("No survey of this project has opened with someone still to invite."),
)
_kind(
    "survey_reminder",
    f"one reminder to non-respondents of surveys closing within a day (every {INTERVAL_MINUTES} min)",
    delivery.send_reminders,
    _("No survey closing within a day has someone left to remind."),
)
_kind(
    "survey_close",
    f"close surveys whose time is up, results to the command channel (every {INTERVAL_MINUTES} min)",
    delivery.post_results,
    _("No survey of this project is due to close."),
)
