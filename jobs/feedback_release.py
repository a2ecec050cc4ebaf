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

from bot.i18n import Msg, _, translator
from bot.periods import project_today
from bot.services import feedback, projects
from handlers.feedback import views
from jobs import outbox
from jobs.registry import daily_kind, register
from jobs.runner import RunContext
from storage.uow import UnitOfWork

KIND = "feedback_lead"


def has_work(uow: UnitOfWork, project_id: int, due: dt.datetime) -> bool:
    project = uow.projects.by_id(project_id)
    return project is not None and feedback.waiting(uow, project_id, project_today(project, due))


def run_release(ctx: RunContext) -> Msg | None:
    keys: list[str] = []
    with ctx.deps.uow() as uow:
        project = projects.project_by_id(uow, ctx.project_id)
        try:
            items = feedback.release_held(uow, project, project_today(project, ctx.due))
        except feedback.ReleasedElsewhere:
            uow.rollback()
            return _("Another run released this feedback first; nothing was sent twice.")
        tr = translator(project.locale)
        for item in items:
            text, blocks = views.lead_message(item, tr, no_lead=item.lead_user_id is None)
            keys += outbox.enqueue_each(
                uow,
                project_id=project.id,
                kind=KIND,
                key_prefix=f"feedback:{item.id}:lead:",
                recipients=item.recipients,
                text=text,
                blocks=blocks,
            )
        uow.commit()
    if not keys:
        return _("No anonymous feedback was waiting to be released.")
    ctx.deliver_queued(keys)
    return None


register(
    daily_kind(
        "feedback_release",
        "daily release of the day's sealed anonymous feedback to the leads, all at once",
        feedback.RELEASE_AT,
        run_release,
        has_work=has_work,
        idle=_("No anonymous feedback is waiting to be released for {period}."),
    )
)
