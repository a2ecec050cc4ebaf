"""What the administration screens (departments, roles, budget, settings) share on Slack."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from pydantic import BaseModel
from slack_bolt import Ack

from bot.app import Deps
from bot.errors import FieldErrors, NotFound, UserError
from bot.i18n import Translator, _
from handlers.common import Caller, field_errors
from handlers.routing import ProjectRef, project_by_id


class AdminRef(BaseModel):
    """Which project and item a button or a modal is about; a button's `value` and a
    modal's `private_metadata` (where `channel_id` says where to answer)."""

    project_id: int
    channel_id: str | None = None
    item_id: int | None = None
    phase: str | None = None
    area: str | None = None

    def dump(self) -> str:
        return self.model_dump_json(exclude_none=True)


def load(
    deps: Deps, caller: Caller, raw: str, context: dict[str, Any]
) -> tuple[AdminRef, ProjectRef]:
    """Parse a button value / modal metadata and find its project (in the caller's workspace)."""
    ref = AdminRef.model_validate_json(raw)
    project = project_by_id(deps, caller.team_id, ref.project_id)
    if project is None:
        raise NotFound(_("That project no longer exists."))
    context["locale"] = project.locale
    return ref, project


def answer_to(caller: Caller, ref: AdminRef) -> Caller:
    """Where to send the follow-up of a modal: the channel it was opened from."""
    return replace(caller, channel_id=ref.channel_id or caller.channel_id)


def first_input(view: dict[str, Any]) -> str:
    return next(
        (blk["block_id"] for blk in view.get("blocks", []) if blk.get("type") == "input"), ""
    )


def save_or_reject(
    ack: Ack, view: dict[str, Any], tr: Translator, save: Callable[[], None]
) -> bool:
    """Run `save`; on bad input or a refusal, answer the modal with field errors (nothing
    was saved) and return False. On success the caller acknowledges."""
    try:
        save()
    except FieldErrors as error:
        ack(**field_errors(error, tr))
        return False
    except UserError as error:  # no longer a PM, or the item is gone: say so on the form
        ack(response_action="errors", errors={first_input(view): tr(error.message)[:150]})
        return False
    return True
