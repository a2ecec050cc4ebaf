"""`/icrm scorecard [YYYY-MM] [recompute]`: the monthly department scorecard.

The answer goes where it was asked: in the project's command channel it is posted there for
everyone (it is the command centre's shared scorecard); anywhere else it comes by DM, so a
project's numbers never land in an unrelated channel. The trend chart follows the message.
"""

from __future__ import annotations

from bot.errors import UserError
from bot.i18n import _
from bot.services import scorecard
from handlers.routing import Invocation
from handlers.scorecard import views
from jobs.scorecard import send_now

RECOMPUTE = "recompute"


def _parse(words: list[str]) -> tuple[str | None, bool]:
    recompute = any(w.lower() == RECOMPUTE for w in words)
    rest = [w for w in words if w.lower() != RECOMPUTE]
    if len(rest) > 1:
        raise UserError(_("Use `/icrm scorecard [YYYY-MM]`, like `/icrm scorecard 2026-10`."))
    return (rest[0] if rest else None), recompute


def run(inv: Invocation) -> None:
    project, caller = inv.required_project, inv.caller
    text, recompute = _parse(inv.words)
    month = scorecard.parse_month(text) if text is not None else None
    now = inv.deps.now()
    with inv.deps.uow() as uow:
        card = scorecard.show(
            uow,
            **caller.acting(project.id),
            month=month,
            now=now,
            recompute=recompute,
        )
        trend = scorecard.trend(uow, project.id, card.month)
    tr = project.tr
    if not card.has_data:
        inv.reply(views.no_data_message(card, tr))
        return
    here = caller.channel_id == project.channel_id
    inv.later(  # the chart is rendered after the ack; both go through the outbox
        lambda: send_now(
            inv.deps,
            channel=project.channel_id if here else caller.user_id,
            card=card,
            trend=trend,
            locale=tr.locale,
            fallback_user=caller.user_id,
        )
    )
