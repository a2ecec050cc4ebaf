"""The one way to write a listener: a modal submission, a button, a slash sub-command.

    @modal(app, deps, RiskView.CREATE, refusal_on=ids.TITLE)
    def submit(req: Request) -> None:
        meta = req.meta(RiskMeta)                 # private_metadata → the pydantic model
        project = req.about(meta.project_id)      # the project; its language from now on
        form = req.form(RiskField)                # the submitted values, by field enum
        with req.deps.uow() as uow:
            card = risks.create_risk(uow, ...)    # FieldErrors → `response_action: errors`
        req.close()                               # the modal closes (the kit does it anyway)
        tell(req.client, req.caller, ...)         # slow follow-ups after the acknowledgement

    @button(app, deps, RiskAction.ACKNOWLEDGE)    # acknowledged at once
    def acknowledge(req: Request) -> None:
        ref = req.value(RiskRef)                  # the button's value → the model
        ...
        req.update_message(lambda: views.card_message(card, req.tr))

A button that opens a modal: `req.open_modal(view)` (on its trigger), or, for a modal about
the message (a DM) it was pressed in, `req.open_for_message(Meta(...), locale,
partial(views.reply_modal, item))` (the `DmMeta` carries where that message is). A modal
about a project carries `ProjectMeta.packed(deps, project, caller)`; its submission reads
`meta, project, where = req.opened_from()` (`where`: the channel it was opened from).

Slash sub-commands: `slash_command(app, deps, Command.X, {"word": Sub(run)})` (from
`handlers.routing`, re-exported here): `run(inv)` gets an `Invocation` whose project is
worked out (the channel's, the caller's only one, or a picker) and whose language is set.

A shortcut: `@shortcut(app, deps, CALLBACK)` (acknowledged first, like a button). An event:
`@event(app, deps, "app_mention")` on `def on_mention(body, event, client) -> None`
(guarded, and handled once: its claim is released when it fails, so Slack's retry runs it).

Every kit listener is `@guarded` (errors become a message in the request's language; a
view submitted twice closes; the 2 s lock bound answers "busy"). The request's language
is set in one place, `Request.speak` (`about` calls it with the project's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, TypeVar, overload

from pydantic import BaseModel, ValidationError
from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import FieldErrors, UserError
from bot.forms import F, Form
from bot.i18n import Msg, Translator, _, translator
from handlers.blocks import any_index
from handlers.common import Caller, field_errors, read_state
from handlers.errors import LOCALE, first_input, guarded, speak
from handlers.middleware import handled_once
from handlers.payloads import pack, unpack
from handlers.routing import (
    Invocation,
    ProjectRef,
    Sub,
    find_project,
    find_project_by_code,
    own_projects,
    project_here,
    projects_of,
    slash_command,
)

__all__ = [
    "DmMeta",
    "Invocation",
    "ProjectMeta",
    "ProjectRef",
    "Request",
    "Sub",
    "button",
    "event",
    "find_project",
    "find_project_by_code",
    "message_of",
    "modal",
    "own_projects",
    "project_here",
    "projects_of",
    "shortcut",
    "slash_command",
    "speak",
    "update_message",
]

M = TypeVar("M", bound=BaseModel)
Listener = Callable[["Request"], None]
OUT_OF_DATE = _("This button or form has expired. Please run the command again.")


class ModalOf(Protocol):
    """A modal's renderer with its data bound (`functools.partial(views.reply_modal, item)`):
    the language and the packed `private_metadata` are what it still needs."""

    def __call__(self, tr: Translator, *, metadata: str) -> Any: ...


class ProjectMeta(BaseModel):
    """A modal's `private_metadata` when the modal is about a project: which one, and the
    channel it was opened from (where its follow-ups are told)."""

    project_id: int
    channel_id: str | None = None

    @classmethod
    def packed(cls, deps: Deps, project: ProjectRef, caller: Caller) -> str:
        """The metadata of a modal about `project` that `caller` opens where they are."""
        return pack(deps, cls(project_id=project.id, channel_id=caller.channel_id))


class DmMeta(BaseModel):
    """Part of a modal's `private_metadata`: the message (a DM) its button was pressed in,
    to update once the modal is submitted, and the locale of the field errors."""

    dm_channel: str | None = None
    dm_ts: str | None = None
    locale: str = "en"


def message_of(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """The channel and ts of the message a button was pressed in."""
    container = body.get("container") or {}
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    return container.get("channel_id"), ts


def update_message(
    client: WebClient,
    channel: str | None,
    ts: str | None,
    render: Callable[[], tuple[str, list[Any]]],
) -> None:
    """Replace the message at `channel`/`ts` (if there is one) by `render()`'s text and blocks."""
    if channel and ts:
        text, blocks = render()
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)


@dataclass
class Request:
    """One interaction as a kit listener sees it."""

    deps: Deps
    ack: Ack
    body: dict[str, Any]
    client: WebClient
    context: dict[str, Any]
    caller: Caller = field(init=False)
    tr: Translator = field(init=False)

    def __post_init__(self) -> None:
        self.caller = Caller.of(self.body)
        self.tr = translator(self.context.get(LOCALE) or self.deps.settings.default_locale)

    # -- the language and the project ------------------------------------------------------

    def speak(self, locale: str) -> Translator:
        """The request's language from now on: answers and error messages use it."""
        self.tr = speak(self.context, locale)
        return self.tr

    def about(self, project_id: int) -> ProjectRef:
        """The project this request is about; its language becomes the request's."""
        project = find_project(self.deps, self.caller.team_id, project_id)
        self.speak(project.locale)
        return project

    def opened_from(self) -> tuple[ProjectMeta, ProjectRef, Caller]:
        """A submitted modal about a project (its metadata a `ProjectMeta`): the metadata,
        the project (its language the request's), and where to tell the follow-ups: the
        channel the modal was opened from, else the project's."""
        meta = self.meta(ProjectMeta)
        project = self.about(meta.project_id)
        return meta, project, self.caller.told_in(meta.channel_id or project.channel_id)

    # -- what came in ------------------------------------------------------------------------

    @property
    def view(self) -> dict[str, Any]:
        view = self.body.get("view")
        return view if isinstance(view, dict) else {}

    @property
    def action(self) -> dict[str, Any]:
        actions = self.body.get("actions") or [{}]
        first = actions[0]
        return first if isinstance(first, dict) else {}

    @property
    def values(self) -> dict[str, Any]:
        """The submitted (or current) values of the view: block id → plain value."""
        return read_state(self.view)

    @overload
    def form(self, model: type[F]) -> Form[F]: ...

    @overload
    def form(self, model: type[M], *, only: Any = None) -> M: ...

    def form(self, model: type[F] | type[M], *, only: Any = None) -> Form[F] | M:
        """The view's values by the modal's field enum (`Form[XField]`), or, for a form
        with more than one value per field (a survey's questions), as the pydantic `model`
        (only the block ids in `only`, when given, and those with a value)."""
        values = self.values
        if issubclass(model, StrEnum):
            return Form(model, values)
        if only is not None:
            keep = set(only)
            values = {k: v for k, v in values.items() if v is not None and k in keep}
        return model.model_validate(values)

    def meta(self, model: type[M], *, stale: Msg = OUT_OF_DATE) -> M:
        """The view's `private_metadata` (packed by `handlers.payloads.pack`) as `model`;
        `UserError(stale)` when it does not parse."""
        return _decode(self.deps, model, str(self.view.get("private_metadata") or ""), stale)

    def value(self, model: type[M], *, stale: Msg = OUT_OF_DATE) -> M:
        """The pressed button's `value` (packed JSON) as `model`; `UserError(stale)` when
        it does not parse (a button from an older version)."""
        return _decode(self.deps, model, str(self.action.get("value") or ""), stale)

    def number(self, *, stale: Msg = OUT_OF_DATE) -> int:
        """The pressed button's `value` as a whole number (an item's id); `UserError(stale)`
        when it is not one."""
        value = str(self.action.get("value") or "")
        if not value.isdigit():
            raise UserError(stale)
        return int(value)

    @property
    def message(self) -> tuple[str | None, str | None]:
        """The channel and ts of the message the button was pressed in."""
        return message_of(self.body)

    @property
    def on_home(self) -> bool:
        """The button was pressed on the App Home (not in a message)."""
        return (self.body.get("container") or {}).get("type") == "view"

    # -- answering ---------------------------------------------------------------------------

    @property
    def open(self) -> bool:
        """True while the acknowledgement has not been sent."""
        return self.ack.response is None

    def close(self, **answer: Any) -> None:
        """Acknowledge a submission now (the modal closes, or does what `answer` says:
        `response_action="update"|"push"|"clear"`), unless it was acknowledged."""
        if self.open:
            self.ack(**answer)

    def errors(self, errors: dict[str, Any]) -> None:
        """Answer a submission with these messages (block id → `Msg`) on its form."""
        self.ack(**field_errors(errors, self.tr))

    def update_message(self, render: Callable[[], tuple[str, list[Any]]]) -> None:
        """Replace the message the button was pressed in (if any) by `render()`."""
        update_message(self.client, *self.message, render)

    def open_modal(self, view: Any) -> Any:
        """Open `view` on the request's trigger (valid 3 s, once); Slack's answer."""
        return self.client.views_open(trigger_id=self.caller.trigger_id, view=view)

    def open_for_message(self, meta: BaseModel, locale: str, modal: ModalOf) -> None:
        """Open `modal` in `locale` (the request's from now on) about the message the button
        was pressed in: `meta` (a `DmMeta`, or a model with its `dm_channel` and `dm_ts`)
        carries where that message is, to update it once the modal is submitted."""
        tr = self.speak(locale)
        channel, ts = self.message
        where = meta.model_copy(update={"dm_channel": channel, "dm_ts": ts})
        self.open_modal(modal(tr, metadata=pack(self.deps, where)))


def _decode(deps: Deps, model: type[M], raw: str, stale: Msg) -> M:
    try:
        return model.model_validate_json(unpack(deps, raw))
    except ValidationError:
        raise UserError(stale) from None


class _Never(UserError):
    """Raised by nothing: a modal without a refusal maps none."""


def modal(
    app: App,
    deps: Deps,
    callback_id: str,
    *,
    refusal: type[UserError] | None = None,
    refusal_on: str | Callable[[Request], str] | None = None,
) -> Callable[[Listener], Listener]:
    """Register the decorated function for submissions of the modal `callback_id`.

    Bad input it raises (`FieldErrors`) is answered on the form; a `refusal` (a `UserError`
    class: no longer allowed, the item is gone; `refusal_on` alone means any `UserError`)
    raised before the acknowledgement becomes an error on the `refusal_on` block (default:
    the form's first input). Nothing was saved in either case. Any other error closes the
    modal and is told to the user (`guarded`). When the function returns without
    answering, the modal closes."""
    refused: type[UserError] = refusal or (UserError if refusal_on is not None else _Never)

    def decorate(handle: Listener) -> Listener:
        @app.view(callback_id)
        @guarded(deps)
        def listener(
            ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]
        ) -> None:
            req = Request(deps, ack, body, client, context)
            try:
                handle(req)
            except refused as error:
                if not req.open or isinstance(error, FieldErrors):
                    raise  # `guarded` answers bad input on the form, the rest as a message
                where = refusal_on(req) if callable(refusal_on) else refusal_on
                req.errors({where or first_input(req.view) or "": error.message})
                return
            req.close()

        return handle

    return decorate


def _acked(deps: Deps, handle: Listener) -> Callable[..., None]:
    """A guarded Bolt listener that acknowledges, then runs `handle`."""

    @guarded(deps)
    def listener(
        ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]
    ) -> None:
        ack()
        handle(Request(deps, ack, body, client, context))

    return listener


def button(app: App, deps: Deps, *action_ids: str) -> Callable[[Listener], Listener]:
    """Register the decorated function for these buttons (and their indexed copies, see
    `handlers.blocks.indexed`); the press is acknowledged before it runs."""

    def decorate(handle: Listener) -> Listener:
        listener = _acked(deps, handle)
        for action_id in action_ids:
            app.action(any_index(action_id))(listener)
        return handle

    return decorate


def shortcut(app: App, deps: Deps, callback_id: str) -> Callable[[Listener], Listener]:
    """Register the decorated function for a global or message shortcut; acknowledged
    before it runs (its trigger opens a modal: nothing may call Slack before that)."""

    def decorate(handle: Listener) -> Listener:
        app.shortcut(callback_id)(_acked(deps, handle))
        return handle

    return decorate


EventListener = Callable[[dict[str, Any], dict[str, Any], WebClient], None]


def event(app: App, deps: Deps, name: str) -> Callable[[EventListener], EventListener]:
    """Register the decorated `handle(body, event, client)` for the Events API event `name`:
    guarded, and handled once (`handlers.middleware.handled_once`: its claim finished when
    it returns, released when it fails, so that Slack's retry tries again)."""

    def decorate(handle: EventListener) -> EventListener:
        @app.event(name)
        @guarded(deps)
        @handled_once(deps)
        def listener(
            ack: Ack,
            body: dict[str, Any],
            event: dict[str, Any],
            client: WebClient,
            context: dict[str, Any],
        ) -> None:
            handle(body, event, client)

        return handle

    return decorate
