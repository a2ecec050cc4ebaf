"""`weekly_digest`: the week's fund use, risks, feedback and open surveys, posted to the
project's command channel at `digest_weekday` / `digest_time` (project time), with a
budget-vs-actual chart shared right after it.

Exactly once: the message goes through `ctx.post`; the chart is shared through
`ctx.upload` only once the message is sent, under its own outbox row, so a resumed run
shares it at most once (see `Runner.upload`). The period is the ISO week of the local
date, so `/icrm digest` (which runs this same kind for the current week) and the
scheduled digest of that week post one digest between them.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger

from bot import charts
from bot.deps import Deps
from bot.i18n import Msg, _
from bot.services import digest, projects
from handlers.digest.views import digest_message
from handlers.funds.views import budget_chart_form
from jobs.registry import JobKind, register, weekly
from jobs.runner import RunContext, Runner, RunResult
from storage.models import Project

log = logging.getLogger("icrm.clock")

NAME = "weekly_digest"


def trigger(project: Project) -> BaseTrigger:
    return weekly(project, project.digest_weekday, project.digest_time)


def period_key(project: Project, due: dt.datetime) -> str:
    """The ISO week of the local date: `2026-W50`."""
    year, week, _day = due.astimezone(ZoneInfo(project.timezone)).date().isocalendar()
    return f"{year}-W{week:02d}"


def run(ctx: RunContext) -> Msg | None:
    with ctx.deps.uow() as uow:
        data = digest.weekly(uow, project_id=ctx.project_id, at=ctx.due)
    tr = data.project.tr
    text, blocks = digest_message(data, tr)
    ts = ctx.post(data.project.channel_id, text, blocks)
    if ts is None:
        return None  # the channel refused the digest (the run fails): no chart without it
    if budget_chart_form(data.lines) is not charts.Form.PNG:
        return None  # the digest carries Slack's own chart (or there is nothing to draw)
    points = [charts.LinePoint(line.name, line.revised, line.spent) for line in data.lines]
    try:
        png = charts.budget_vs_actual(points, data.project.currency, tr)
    except charts.NoChineseFont:
        log.warning("%s: no Chinese font; the digest goes without its chart", data.project.code)
        return None
    if png is None:
        return None
    ctx.upload(
        data.project.channel_id,
        filename=f"{data.project.code}-{ctx.period_key}-budget.png",
        title=tr(_("Budget vs actual · {code}"), code=data.project.code),
        content=png,
    )
    return None


KIND = register(
    JobKind(
        name=NAME,
        describe="weekly digest with a budget chart to the command channel (digest day/time)",
        trigger=trigger,
        run=run,
        period_key=period_key,
        lookback=dt.timedelta(days=8),
        already=_("Already posted this week ({period})."),
    )
)


def post_digest_now(deps: Deps, project_id: int, *, by: str) -> tuple[str, RunResult]:
    """`/icrm digest`: run this kind for the current week now, through the clock's runner
    and outbox (with the project's workspace client), as `command:<by>`; (week, result)."""
    from jobs.outbox_pass import delivery_for

    now = deps.now()
    with deps.uow() as uow:
        key = KIND.period_key(projects.project_by_id(uow, project_id), now)
    runner = Runner(
        deps, delivery_for(deps, project_id), holder=f"command:{by}:{uuid.uuid4().hex[:8]}"
    )
    return key, runner.run(KIND, project_id, now, key)
