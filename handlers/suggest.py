"""Type-ahead for selects of project data (Slack's `external_select` + `block_suggestion`).

A modal's select of budget lines, departments or funding sources holds every choice while
there are at most 100 (Slack refuses more); beyond that `handlers.blocks.select_input`
makes it an `external_select` whose `action_id` is a `choices.Kind`, and Slack asks the app
(`app.options`) for the options as the person types. The project is the one in the view's
`private_metadata` (every such modal carries `project_id`); only its people get answers.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import UserError
from bot.i18n import Translator, _
from bot.services import choices
from bot.services.choices import Kind
from handlers.blocks import option
from handlers.common import Caller
from handlers.errors import guarded
from handlers.payloads import unpack

log = logging.getLogger("icrm.suggest")


def picker(kind: Kind, tr: Translator) -> dict[str, Any]:
    """`select_input` keywords for a select of `kind` that becomes type-ahead when long."""
    return {"suggest": kind, "placeholder": tr(_("Type a few letters to search"))}


def project_in(view: dict[str, Any] | None, deps: Deps) -> int | None:
    """The project id a modal's `private_metadata` names, or None."""
    if not isinstance(view, dict):
        return None
    try:
        meta = json.loads(unpack(deps, str(view.get("private_metadata") or "")))
    except (UserError, ValueError):
        return None
    project_id = meta.get("project_id") if isinstance(meta, dict) else None
    return project_id if isinstance(project_id, int) and not isinstance(project_id, bool) else None


def answer(deps: Deps, kind: Kind, body: dict[str, Any]) -> list[dict[str, Any]]:
    """The options (at most 100) for a `block_suggestion` request; none for a stranger or a
    view that names no project of this workspace."""
    caller = Caller.of(body)
    project_id = project_in(body.get("view"), deps)
    query = body.get("value")
    if project_id is None or not isinstance(query, str):
        return []
    try:
        with deps.reader() as uow:
            found = choices.suggest(
                uow,
                kind,
                **caller.acting(project_id),
                query=query,
            )
    except UserError as refused:
        log.info("no suggestions for %s: %s", caller.user_id, refused.message.msgid)
        return []
    return [option(c.value, c.label).to_dict() for c in found]


def register(app: App, deps: Deps) -> None:
    for kind in Kind:
        app.options(kind.value)(guarded(deps)(_listener(deps, kind)))


def _listener(deps: Deps, kind: Kind) -> Callable[..., None]:
    def listener(
        ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]
    ) -> None:
        try:
            options = answer(deps, kind, body)
        except Exception:  # an answer, never an error page: Slack shows "no results"
            log.exception("suggestions for %s failed", kind)
            options = []
        ack(options=options)

    listener.__name__ = f"suggest_{kind.name.lower()}"
    return listener
