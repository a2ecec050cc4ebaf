"""What the administration screens (departments, roles, budget, settings) share on Slack:
the ref their buttons and modals carry, showing a list, and the button and submit flows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from pydantic import BaseModel
from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import FieldErrors, NotFound, UserError
from bot.i18n import Translator, _
from handlers.buttons import Click, on_click
from handlers.common import Caller, field_errors, read_state, save_submission, tell
from handlers.errors import guarded
from handlers.payloads import pack, unpack
from handlers.routing import ProjectRef, project_by_id
from storage.uow import UnitOfWork


class AdminRef(BaseModel):
    """Which project and item a button or a modal is about; a button's `value` and a
    modal's `private_metadata` (where `channel_id` says where to answer)."""

    project_id: int
    channel_id: str | None = None
    item_id: int | None = None
    phase: str | None = None
    area: str | None = None

    def dump(self, deps: Deps) -> str:
        return pack(deps, self.model_dump_json(exclude_none=True))


def load(
    deps: Deps, caller: Caller, raw: str, context: dict[str, Any]
) -> tuple[AdminRef, ProjectRef]:
    """Parse a button value / modal metadata and find its project (in the caller's workspace)."""
    ref = AdminRef.model_validate_json(unpack(deps, raw))
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


Reply = Callable[[str, list[Any]], None]
Show = Callable[[Deps, WebClient, Caller, ProjectRef, str | None], None]
OnButton = Callable[[WebClient, Caller, AdminRef, ProjectRef], None]
Save = Callable[[UnitOfWork, Caller, AdminRef, ProjectRef, dict[str, Any]], str]


def show_list(
    deps: Deps,
    client: WebClient,
    caller: Caller,
    project: ProjectRef,
    render: Callable[..., tuple[str, list[Any]]],
    data: Any,
    *,
    value_of: dict[Any, str],
    notice: str | None,
    reply: Reply | None = None,
) -> None:
    """Send the caller a list rendered by `render` (through `reply`, e.g. on a slash
    command's ack; else ephemeral in a channel, or by DM): `value_of` gives each row's
    buttons their ref; only PMs get the buttons."""
    text, blocks = render(
        data,
        project.tr,
        code=project.code,
        pm_ids=project.pm_ids,
        can_edit=caller.user_id in project.pm_ids,
        value_of=value_of,
        add_value=AdminRef(project_id=project.id).dump(deps),
        notice=notice,
    )
    if reply is not None:
        reply(notice or text, blocks)
    else:
        tell(client, caller, notice or text, blocks=blocks)


def on_button(app: App, deps: Deps, *action_ids: str) -> Callable[[OnButton], OnButton]:
    """Register the decorated function for buttons whose value is an `AdminRef`: the click
    is acknowledged at once, then it gets the caller, the ref and its project."""

    def decorate(handle: OnButton) -> OnButton:
        @on_click(app, deps, *action_ids)
        def clicked(client: WebClient, click: Click) -> None:
            ref, project = load(deps, click.caller, click.action["value"], click.context)
            handle(client, click.caller, ref, project)

        return handle

    return decorate


def open_modal(
    deps: Deps, client: WebClient, caller: Caller, ref: AdminRef, view: Callable[[str], Any]
) -> None:
    """Open the modal `view(metadata)`; its metadata is `ref` plus where to answer."""
    meta = ref.model_copy(update={"channel_id": caller.channel_id}).dump(deps)
    client.views_open(trigger_id=caller.trigger_id, view=view(meta))


def on_submit(app: App, deps: Deps, callback_id: str, show: Show) -> Callable[[Save], Save]:
    """Register the decorated function for a modal whose metadata is an `AdminRef`: it saves
    the submitted values in one unit of work and returns the notice; the list is then shown
    again where the modal was opened. Bad input is answered on the form, nothing saved."""

    def decorate(save: Save) -> Save:
        @app.view(callback_id)
        @guarded(deps)
        def submit(
            ack: Ack,
            body: dict[str, Any],
            view: dict[str, Any],
            client: WebClient,
            context: dict[str, Any],
        ) -> None:
            caller = Caller.of(body)
            ref, project = load(deps, caller, view["private_metadata"], context)
            state = read_state(view)
            notice = save_submission(
                ack,
                deps,
                project.tr,
                lambda uow: save(uow, caller, ref, project, state),
                field=first_input(view),
            )
            if notice is not None:
                show(deps, client, answer_to(caller, ref), project, notice)

        return save

    return decorate
