"""Global middleware: a request id for the logs, and each Slack event handled once."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse

from bot.app import Deps
from bot.log import new_request_id
from bot.services import events

log = logging.getLogger("icrm.events")


def register(app: App, deps: Deps) -> None:
    @app.middleware
    def request_context(context: dict[str, Any], next: Callable[[], Any]) -> Any:
        context["request_id"] = new_request_id()
        return next()

    @app.middleware
    def once_per_event(body: dict[str, Any], next: Callable[[], Any]) -> Any:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            with deps.uow() as uow:
                first = events.claim(
                    uow, event_id=event_id, team_id=body.get("team_id", ""), now=deps.now()
                )
            if not first:
                log.info("dropping repeated event %s", event_id)
                return BoltResponse(status=200, body="")
        return next()


def handled_once(deps: Deps) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Wrap an event listener: finish its claim on success, release it on failure."""

    def decorate(listener: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(listener)
        def wrapper(*args: Any, **kwargs: Any) -> None:
            event_id = kwargs["body"].get("event_id")
            try:
                listener(*args, **kwargs)
            except Exception:
                if event_id:
                    with deps.uow() as uow:
                        events.release(uow, event_id=event_id)
                raise
            if event_id:
                with deps.uow() as uow:
                    events.finish(uow, event_id=event_id, now=deps.now())

        return wrapper

    return decorate
