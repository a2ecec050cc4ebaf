"""The app leaves a workspace: `app_uninstalled` and `tokens_revoked` (bot tokens).

OAuth mode: the workspace's installations are deleted (what Bolt's built-in listeners do)
and its projects become inactive, so the clock stops scheduling them; their data is kept
until `python -m bot purge-team`. A later "Add to Slack" makes them active again.
Single-workspace mode: the token is the operator's (SLACK_BOT_TOKEN), so nothing changes
here but a log line.

Not `guarded`: with the tokens gone there is nobody to tell. A failure releases the event's
claim, so Slack's retry tries again.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App

from bot.deps import Deps
from bot.services import workspaces
from handlers.middleware import handled_once

log = logging.getLogger("icrm.workspaces")


def register(app: App, deps: Deps) -> None:
    @app.event("app_uninstalled")
    @handled_once(deps)
    def on_uninstalled(ack: Ack, body: dict[str, Any], context: dict[str, Any]) -> None:
        _left(deps, context, "app_uninstalled")

    @app.event("tokens_revoked")
    @handled_once(deps)
    def on_tokens_revoked(
        ack: Ack, body: dict[str, Any], event: dict[str, Any], context: dict[str, Any]
    ) -> None:
        if (event.get("tokens") or {}).get("bot"):  # user tokens: the bot never keeps any
            _left(deps, context, "tokens_revoked")


def _left(deps: Deps, context: dict[str, Any], why: str) -> None:
    team_id, enterprise_id = context.get("team_id"), context.get("enterprise_id")
    if not deps.settings.oauth:
        log.warning("%s for team %s: SLACK_BOT_TOKEN no longer works there", why, team_id)
        return
    if context.get("is_enterprise_install"):
        team_id = None  # an org-wide install: every workspace of the organisation
    deps.installations().forget(team_id, enterprise_id)
    with deps.uow() as uow:
        stopped = workspaces.uninstalled(uow, team_id=team_id, enterprise_id=enterprise_id)
    log.info(
        "%s: team %s (enterprise %s), %d project(s) inactive", why, team_id, enterprise_id, stopped
    )
