"""`meeting_reminder`: the weekly meeting's time, agenda and RSVP buttons, posted to the
project channel `reminder_lead_minutes` before the meeting, in the project's time."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger

from bot.i18n import Msg, _
from bot.services import meetings, projects
from handlers.meetings.views import reminder_message
from jobs.registry import JobKind, register, weekly
from jobs.runner import RunContext
from storage.models import Project

log = logging.getLogger("icrm.clock")

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


def run(ctx: RunContext) -> Msg | None:
    """Remind the meeting this fire time is for, unless it has started: a reminder is about
    a meeting still to come (a catch-up or a manual run after it is skipped and logged)."""
    deps = ctx.deps
    now = deps.now()
    with deps.uow() as uow:
        project = projects.project_by_id(uow, ctx.project_id)
        starts_at = meetings.meeting_start(project, ctx.due)
        if starts_at <= ctx.as_of():
            upcoming = meetings.next_meeting_start(project, ctx.as_of())
            log.warning(
                "%s for %s (%s) skipped: the meeting started at %s",
                NAME,
                project.code,
                ctx.period_key,
                starts_at.isoformat(),
            )
            return _(
                "The meeting of {when} has already started, so it is not announced; the next one is on {next} (its reminder goes out {lead} minutes before).",
                when=_local(starts_at, project.timezone),
                next=_local(upcoming, project.timezone),
                lead=project.reminder_lead_minutes,
            )
        meeting = meetings.open_meeting(uow, project, starts_at)
        uow.commit()
        data = meetings.reminder(uow, meeting.id, now)
        channel = project.channel_id
    text, blocks = reminder_message(data, data.project.tr)
    ctx.post(channel, text, blocks)
    return None


def _local(instant: dt.datetime, timezone: str) -> str:
    return instant.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M %Z")


register(
    JobKind(
        name=NAME,
        describe="weekly meeting reminder to the project channel (meeting time − lead)",
        trigger=trigger,
        run=run,
        period_key=period_key,
        lookback=dt.timedelta(days=8),
        already=_("The reminder of the meeting of {period} was already posted."),
    )
)
