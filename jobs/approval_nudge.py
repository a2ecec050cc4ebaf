"""`approval_nudge`: every hour on the hour (project time), DM each approver the entries and
change orders that have waited the project's nudge delay (`/funds policy`).

An hour with nothing to nudge writes no `job_runs` row (`has_work`): the clock asks first.

Exactly once per item: the run for the hour ending at its fire time reminds the items asked
for in that hour shifted back by the delay, so each item falls in one run only, and each
(approver, item) message goes through `ctx.post` with its own slot.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from bot.i18n import _
from bot.services import approvals
from handlers.approvals.views import approval_message
from jobs.registry import JobKind, register
from jobs.runner import RunContext
from storage.models import Project
from storage.uow import UnitOfWork

WINDOW = dt.timedelta(hours=1)


def trigger(project: Project) -> BaseTrigger:
    return CronTrigger(minute=0, timezone=ZoneInfo(project.timezone))


def _due(uow: UnitOfWork, project_id: int, at: dt.datetime) -> list[approvals.ApprovalCard]:
    return approvals.due_for_nudge(uow, project_id=project_id, start=at - WINDOW, end=at, now=at)


def has_work(uow: UnitOfWork, project_id: int, at: dt.datetime) -> bool:
    """Whether the hour ending at `at` has an item to nudge about."""
    return bool(_due(uow, project_id, at))


def run(ctx: RunContext) -> None:
    with ctx.deps.uow() as uow:
        due = _due(uow, ctx.project_id, ctx.due)
    for card in due:
        text, blocks = approval_message(card, card.project.tr, nudge=True)
        for user in card.approvers:
            ctx.post(user, text, blocks, slot=f"{card.kind}{card.id}")


register(
    JobKind(
        name="approval_nudge",
        describe="hourly: remind approvers of entries and change orders waiting past the nudge delay",
        trigger=trigger,
        run=run,
        lookback=dt.timedelta(hours=2),
        has_work=has_work,
        idle=_("Nothing waits for an approver past the nudge delay in the hour to {period}."),
    )
)
