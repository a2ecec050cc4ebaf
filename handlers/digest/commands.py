"""`/icrm digest`: post this week's digest to the command channel now (PMs).

It runs the `weekly_digest` job for the current week (its period key, the ISO week) through
the same runner as the clock, so a second `/icrm digest` that week, and the scheduled
digest of that week, post nothing more; the reply says which happened.
"""

from __future__ import annotations

from bot.errors import PermissionDenied
from bot.i18n import _
from handlers.routing import Invocation
from jobs.runner import Outcome
from jobs.weekly_digest import post_digest_now


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
        channel = f"<#{project.channel_id}>"
        if result.outcome == Outcome.DONE:
            answer = tr(
                _(
                    "Posted this week's digest ({week}) to {channel}; the scheduled one will not repeat it."
                ),
                week=key,
                channel=channel,
            )
        elif result.outcome == Outcome.ALREADY:
            answer = tr(
                _(
                    "This week's digest ({week}) was already posted to {channel}; it is posted once a week."
                ),
                week=key,
                channel=channel,
            )
        elif result.outcome == Outcome.BUSY:
            answer = tr(_("This week's digest ({week}) is being posted right now."), week=key)
        else:
            answer = tr(
                _("The digest could not be posted ({error}); the clock tries again shortly."),
                error=result.error or "?",
            )
        inv.reply(answer)

    inv.later(post)
