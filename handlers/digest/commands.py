"""`/icrm digest`: post this week's digest to the command channel now (PMs).

It runs the `weekly_digest` job for the current week (its period key, the ISO week) through
the same runner as the clock, so a second `/icrm digest` that week, and the scheduled
digest of that week, post nothing more; the reply says which happened.
"""

from __future__ import annotations

from typing import Final

from bot.errors import PermissionDenied
from bot.i18n import Msg, _
from handlers.routing import Invocation
from jobs.runner import Outcome
from jobs.weekly_digest import post_digest_now

# What the reply says for each way the run can end (the parameters: week, channel, error).
_ANSWERS: Final[dict[str, Msg]] = {
    Outcome.DONE: _(
        "Posted this week's digest ({week}) to {channel}; the scheduled one will not repeat it."
    ),
    Outcome.ALREADY: _(
        "This week's digest ({week}) was already posted to {channel}; it is posted once a week."
    ),
    Outcome.BUSY: _("This week's digest ({week}) is being posted right now."),
}
_FAILED: Final = _("The digest could not be posted ({error}); the clock tries again shortly.")


def run(inv: Invocation) -> None:
    project, caller, deps = inv.required_project, inv.caller, inv.deps
    tr = project.tr
    if caller.user_id not in project.pm_ids:
        raise PermissionDenied(
            _(
                "Only the PMs ({pms}) can post the digest; it is posted every week by itself.",
                pms=", ".join(f"<@{u}>" for u in project.pm_ids),
            )
        )

    def post() -> None:
        key, result = post_digest_now(deps, project.id, by=caller.user_id)
        answer = tr(
            _ANSWERS.get(result.outcome, _FAILED),
            week=key,
            channel=f"<#{project.channel_id}>",
            error=result.error or "?",
        )
        inv.reply(answer)

    inv.later(post)
