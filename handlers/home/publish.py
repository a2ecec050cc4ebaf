"""Publishing a user's Home: on `app_home_opened`, and again after a change that concerns them."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from slack_sdk import WebClient

from bot.deps import Deps
from bot.services import home
from handlers.home.views import home_view

log = logging.getLogger("icrm.home")


def publish_home(deps: Deps, client: WebClient, team_id: str, user_id: str) -> None:
    """Build and publish `user_id`'s Home (raises on a Slack error)."""
    with deps.uow() as uow:
        data = home.home_of(uow, team_id=team_id, user_id=user_id, now=deps.now())
    view = home_view(data, deps.settings.default_locale)
    client.views_publish(user_id=user_id, view=view)


def republish_home(
    deps: Deps, client: WebClient, team_id: str, user_ids: Iterable[str | None]
) -> None:
    """Refresh the Home of each user (once each; `None`s skipped). Call it after `ack()`.

    Never raises: a Home that could not be refreshed is logged, and the user sees the fresh
    one the next time they open it.
    """
    for user_id in dict.fromkeys(u for u in user_ids if u):
        try:
            publish_home(deps, client, team_id, user_id)
        except Exception:
            log.warning("could not republish the Home of %s", user_id, exc_info=True)
