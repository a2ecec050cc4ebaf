"""Global middleware: a request id for the logs, each Slack event handled once, each submitted
modal saved once."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse

from bot.deps import Deps
from bot.log import new_request_id
from bot.services import events
from storage.submissions import Submission

log = logging.getLogger("icrm.events")
SUBMISSION = "icrm_submission"  # the context key `guarded` reads


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

    @app.middleware
    def once_per_view(
        body: dict[str, Any], context: dict[str, Any], next: Callable[[], Any]
    ) -> Any:
        """A view submitted again after its records were saved (a double click, Submit
        pressed again after Slack showed a timeout) just closes: the key is Slack's view id
        and hash, claimed in the transaction that saves the records (`UnitOfWork.commit`)."""
        view = body.get("view") if body.get("type") == "view_submission" else None
        if not isinstance(view, dict) or not view.get("id"):
            return next()
        team = body.get("team")
        submission = Submission(
            team_id=str((team.get("id") if isinstance(team, dict) else None) or ""),
            view_id=str(view["id"])[:64],
            view_hash=str(view.get("hash") or "")[:128],
            day=deps.now().date(),
        )
        with deps.reader() as uow:  # a read: it never waits for a writer's lock
            seen = events.view_claimed(
                uow,
                team_id=submission.team_id,
                view_id=submission.view_id,
                view_hash=submission.view_hash,
            )
        if seen:
            log.info("closing a view submitted again after it was saved")
            return BoltResponse(status=200, body="")
        # Bolt runs listeners after every middleware has returned: `guarded` puts the
        # submission in the listener's context (storage.submissions.current).
        context[SUBMISSION] = submission
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
