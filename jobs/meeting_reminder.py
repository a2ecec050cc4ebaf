"""`meeting_reminder`: the weekly meeting's time, agenda and RSVP buttons, posted to the
project channel `reminder_lead_minutes` before the meeting, in the project's time."""

from __future__ import annotations

import datetime as dt

from apscheduler.triggers.base import BaseTrigger

from bot.i18n import translator
from bot.services import meetings
from handlers.meetings.views import reminder_message
from jobs.registry import JobKind, register, weekly
from jobs.runner import RunContext
from storage.models import Project

NAME = "meeting_reminder"


def trigger(project: Project) -> BaseTrigger:
    return weekly(
        project,
        project.meeting_weekday,
        project.meeting_time,
        minus_minutes=project.reminder_lead_minutes,
    )


def period_key(project: Project, due: dt.datetime) -> str:
    """The meeting's date: one reminder per meeting, even if its time is changed."""
    return meetings.meeting_date(project, due).isoformat()


def run(ctx: RunContext) -> None:
    deps = ctx.deps
    with deps.uow() as uow:
        project = uow.session.get(Project, ctx.project_id)
        assert project is not None
        meeting = meetings.open_meeting(uow, project, meetings.meeting_start(project, ctx.due))
        uow.commit()
        data = meetings.reminder(uow, meeting.id, deps.now())
        channel = project.channel_id
    text, blocks = reminder_message(data, translator(data.locale))
    ctx.post(channel, text, [block.to_dict() for block in blocks])


register(
    JobKind(
        name=NAME,
        describe="weekly meeting reminder to the project channel (meeting time − lead)",
        trigger=trigger,
        run=run,
        period_key=period_key,
        lookback=dt.timedelta(days=8),
    )
)
