"""`approval_nudge`: every hour on the hour (project time), DM each approver the entries and
change orders that have waited the project's nudge delay (`/funds policy`).

Exactly once per item: the run for the hour ending at its fire time reminds the items asked
for in that hour shifted back by the delay, so each item falls in one run only, and each
(approver, item) message goes through `ctx.post` with its own slot.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from bot.i18n import translator
from bot.services import approvals
from handlers.approvals.views import approval_message
from jobs.registry import JobKind, register
from jobs.runner import RunContext
from storage.models import Project

WINDOW = dt.timedelta(hours=1)


def trigger(project: Project) -> BaseTrigger:
    return CronTrigger(minute=0, timezone=ZoneInfo(project.timezone))


def run(ctx: RunContext) -> None:
    with ctx.deps.uow() as uow:
        due = approvals.due_for_nudge(
            uow, project_id=ctx.project_id, start=ctx.due - WINDOW, end=ctx.due, now=ctx.due
        )
    for card in due:
        text, blocks = approval_message(card, translator(card.locale), nudge=True)
        for user in card.approvers:
            ctx.post(
                user, text, [block.to_dict() for block in blocks], slot=f"{card.kind}{card.id}"
            )


register(
    JobKind(
        name="approval_nudge",
        describe="hourly: remind approvers of entries and change orders waiting past the nudge delay",
        trigger=trigger,
        run=run,
        lookback=dt.timedelta(hours=2),
    )
)
