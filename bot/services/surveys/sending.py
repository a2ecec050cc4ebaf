"""What the survey jobs must send, and when they fire."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from bot.periods import project_today
from bot.services.surveys.answering import release_pending
from bot.services.surveys.forms import reminder_at
from storage.uow import UnitOfWork


# -- what the jobs send ------------------------------------------------------------------
def pending_invitations(
    uow: UnitOfWork, now: dt.datetime, project_id: int | None = None
) -> list[tuple[int, str]]:
    """(survey id, user id) of everyone of an open survey not yet invited (of one project,
    or of all)."""
    return [
        (s.id, p.user_id)
        for s in uow.surveys.open_at(now)
        if project_id in (None, s.project_id)
        for p in uow.surveys.participants(s.id)
        if p.invited_at is None and not p.answered
    ]


def due_reminders(
    uow: UnitOfWork, now: dt.datetime, project_id: int | None = None
) -> list[tuple[int, str]]:
    """(survey id, user id) of invited non-respondents of open surveys whose reminder is due
    (`reminder_at`), not yet reminded (of one project, or of all)."""
    return [
        (s.id, p.user_id)
        for s in uow.surveys.open_at(now)
        if reminder_at(s.opens_at, s.closes_at) <= now and project_id in (None, s.project_id)
        for p in uow.surveys.participants(s.id)
        if p.invited_at is not None and p.reminded_at is None and not p.answered
    ]


def close_due(uow: UnitOfWork, now: dt.datetime, project_id: int | None = None) -> list[int]:
    """Close surveys whose time is up; return the ids of closed surveys whose results are
    not posted yet (including those a PM closed), of one project or of all."""
    for survey in uow.surveys.due_to_close(now):
        if project_id in (None, survey.project_id):
            survey.closed_at = survey.closes_at
            survey.closed_by = "system"
            project = uow.projects.by_id(survey.project_id)
            if project is not None:
                release_pending(uow, survey, project, project_today(project, now), closing=True)
    uow.commit()
    return [s.id for s in uow.surveys.results_unposted() if project_id in (None, s.project_id)]


NEVER: Final = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class SurveyTimes:
    """When a project's surveys need the clock (UTC): each survey's opening (invitations),
    its reminder (`reminder_at`) and its close time (results)."""

    opens: tuple[dt.datetime, ...]
    reminders: tuple[dt.datetime, ...]
    closes: tuple[dt.datetime, ...]


def survey_times(uow: UnitOfWork, project_id: int, since: dt.datetime) -> SurveyTimes:
    """The times the survey jobs of `project_id` fire at, for the surveys closing after
    `since` (see `SurveyTimes`)."""
    found = uow.surveys.closing_between(project_id, since, NEVER)
    return SurveyTimes(
        tuple(sorted({s.opens_at for s in found})),
        tuple(sorted({reminder_at(s.opens_at, s.closes_at) for s in found})),
        tuple(sorted({s.closes_at for s in found})),
    )
