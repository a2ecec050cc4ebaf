"""`feedback_release`: each day at RELEASE_AT project time, the anonymous feedback waiting
sealed (`bot.services.feedback.release`) reaches the leads, all at once.

One transaction inserts the day's feedback in a shuffled order with its audit entries and
queues every lead's message (`feedback:<id>:lead:<user>`, jobs/outbox.py); the items are
deleted from the waiting table in it first. So a second run, a second clock or a manual
`jobs run` releases nothing twice, and a crash before the commit releases nothing at all
(the next run does). A day with nothing waiting is not run (no `job_runs` row).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from bot.i18n import Msg, _, translator
from bot.services import feedback
from handlers.feedback import views
from jobs import outbox
from jobs.registry import JobKind, register
from jobs.runner import RunContext
from storage.models import Project
from storage.uow import UnitOfWork

KIND = "feedback_lead"


def release_trigger(project: Project) -> BaseTrigger:
    at = feedback.RELEASE_AT
    return CronTrigger(hour=at.hour, minute=at.minute, timezone=ZoneInfo(project.timezone))


def _day(timezone: str, due: dt.datetime) -> dt.date:
    return due.astimezone(ZoneInfo(timezone)).date()


def local_date(project: Project, due: dt.datetime) -> str:
    return _day(project.timezone, due).isoformat()


def has_work(uow: UnitOfWork, project_id: int, due: dt.datetime) -> bool:
    project = uow.projects.by_id(project_id)
    return project is not None and feedback.waiting(uow, project_id, _day(project.timezone, due))


def run_release(ctx: RunContext) -> Msg | None:
    keys: list[str] = []
    with ctx.deps.uow() as uow:
        project = uow.projects.by_id(ctx.project_id)
        assert project is not None
        try:
            items = feedback.release_held(uow, project, _day(project.timezone, ctx.due))
        except feedback.ReleasedElsewhere:
            uow.rollback()
            return _("Another run released this feedback first; nothing was sent twice.")
        tr = translator(project.locale)
        for item in items:
            text, blocks = views.lead_message(item, tr, no_lead=item.lead_user_id is None)
            for user in item.recipients:
                key = f"feedback:{item.id}:lead:{user}"
                if outbox.enqueue(
                    uow,
                    project_id=project.id,
                    kind=KIND,
                    key=key,
                    recipient=user,
                    text=text,
                    blocks=blocks,
                ):
                    keys.append(key)
        uow.commit()
    if not keys:
        return _("No anonymous feedback was waiting to be released.")
    ctx.sent += outbox.deliver(ctx.deps, keys=keys, delivery=ctx.delivery)
    return None


register(
    JobKind(
        name="feedback_release",
        describe="daily release of the day's sealed anonymous feedback to the leads, all at once",
        trigger=release_trigger,
        run=run_release,
        period_key=local_date,
        lookback=dt.timedelta(days=2),
        has_work=has_work,
        idle=_("No anonymous feedback is waiting to be released for {period}."),
    )
)
