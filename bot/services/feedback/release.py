"""Anonymous feedback waits, sealed, for the project's daily release (README, "Anonymity").

Given, it is only sealed (`storage.sealing`, the same key as anonymous survey answers) and
padded into `feedback_pending` with a random id and the day it will be released on: no
author, no time, no audit entry, no message, no log line. At `RELEASE_AT` project time the
`feedback_release` job calls `release_held`, which inserts everything waiting at once in a
shuffled order, each with the day it was given and an audit entry by "anonymous", in the
transaction the caller queues the leads' messages in. So its ids, rowids and audit entries
sit next to each other, not next to the author's own rows.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from bot.periods import local_midnight, project_today
from bot.services.feedback.cards import (
    ANONYMOUS_ACTOR,
    RELEASE_AT,
    FeedbackItem,
    Held,
    audit_created,
    new_feedback,
    to_item,
)
from bot.services.project_header import ProjectHeader
from bot.services.projects import departments_of, project_by_id
from storage import sealing
from storage.models import Department, Project
from storage.uow import UnitOfWork


class ReleasedElsewhere(RuntimeError):
    """Another release took these items first (two clocks, a manual run): release nothing."""


def release_day(now: dt.datetime, timezone: str) -> tuple[dt.date, bool]:
    """The project-local day feedback given at `now` is released on, and whether that is
    today (before `RELEASE_AT`) rather than tomorrow."""
    local = now.astimezone(ZoneInfo(timezone))
    if local.time() < RELEASE_AT:
        return local.date(), True
    return local.date() + dt.timedelta(days=1), False


def release_instant(day: dt.date, timezone: str) -> dt.datetime:
    return dt.datetime.combine(day, RELEASE_AT, ZoneInfo(timezone)).astimezone(dt.UTC)


def hold(
    uow: UnitOfWork,
    project: Project,
    *,
    target: Department,
    source: Department,
    rating: int,
    comment: str,
    now: dt.datetime,
) -> Held:
    """Seal anonymous feedback to wait for its release (flushed, not committed)."""
    day, today = release_day(now, project.timezone)
    given = project_today(project, now)
    content = {
        "to": target.id,
        "from": source.id,
        "rating": rating,
        "comment": comment,
        "given_on": given.isoformat(),
    }
    box = sealing.seal(uow.seal_key, json.dumps(content, ensure_ascii=False).encode())
    uow.feedback.hold(project.id, day, box)
    return Held(
        project=ProjectHeader.of(project),
        to_department=target.name,
        release_on=day,
        release_at=release_instant(day, project.timezone),
        today=today,
    )


def release_held(uow: UnitOfWork, project: Project, day: dt.date) -> list[FeedbackItem]:
    """Insert every anonymous feedback of `project` waiting for `day` or earlier, at once and
    shuffled, with audit entries by "anonymous" at the start of the day each was given; the
    released items, in the order inserted. Not committed: the caller queues the leads'
    messages in the same transaction and commits. `ReleasedElsewhere` if a concurrent release
    took them (nothing is then inserted). Feedback to a department deleted meanwhile is dropped."""
    waiting = uow.feedback.held(project.id, through=day)
    if not waiting:
        return []
    # Taken first, so of two concurrent releases only one inserts (the other's DELETE finds
    # the rows gone once the first commits, or fails to write on SQLite).
    if uow.feedback.drop_held([box.id for box in waiting]) != len(waiting):
        raise ReleasedElsewhere(project.code)
    departments = departments_of(uow, project.id)
    rows = []
    for box in waiting:
        content = json.loads(sealing.unseal(uow.seal_key, box.sealed))
        if content["to"] not in departments:
            continue
        given = dt.date.fromisoformat(content["given_on"])
        rows.append(
            new_feedback(
                project,
                content["to"],
                content["from"] if content["from"] in departments else None,
                content["rating"],
                content["comment"],
                author=None,
                at=local_midnight(given, project.timezone),
            )
        )
    released = uow.feedback.add_released(rows)
    for feedback in released:
        audit_created(uow, project, feedback, ANONYMOUS_ACTOR, at=feedback.created_at)
    return [to_item(project, feedback, departments) for feedback in released]


def release_now(uow: UnitOfWork, *, project_id: int, day: dt.date) -> list[FeedbackItem]:
    """`release_held` and commit, telling nobody (the demo's seeded history)."""
    project = project_by_id(uow, project_id)
    released = release_held(uow, project, day)
    uow.commit()
    return released


def waiting(uow: UnitOfWork, project_id: int, day: dt.date) -> bool:
    """Whether anything waits to be released on `day` or earlier."""
    return uow.feedback.held_count(project_id, through=day) > 0
