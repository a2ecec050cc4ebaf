"""What every listener shares: reading a request, answering it, mapping errors to messages."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypedDict, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.errors import FieldErrors
from bot.i18n import Msg, Translator, _, translator
from bot.text import clean_text, has_lone_surrogate
from handlers.blocks import context

T = TypeVar("T")

log = logging.getLogger("icrm.handlers")


class Who(TypedDict):
    """The keyword arguments naming who acts, which every service takes."""

    team_id: str
    user_id: str


class Acting(Who):
    """`Who`, and on which project."""

    project_id: int


@dataclass(frozen=True)
class Caller:
    """Who asked, from where: the parts of a Slack payload every handler needs."""

    team_id: str
    user_id: str
    channel_id: str | None
    trigger_id: str | None
    response_url: str | None
    enterprise_id: str | None = None  # Enterprise Grid: the organisation

    def acting(self, project_id: int) -> Acting:
        """Who acts on which project, as a service's keyword arguments
        (`service(uow, **caller.acting(project.id), form=…)`)."""
        return Acting(team_id=self.team_id, project_id=project_id, user_id=self.user_id)

    def who(self) -> Who:
        """Who acts, as a service's keyword arguments, for a service that finds the project
        from the item it is given (`service(uow, **caller.who(), risk_id=…)`)."""
        return Who(team_id=self.team_id, user_id=self.user_id)

    def told_in(self, channel_id: str | None) -> Caller:
        """The caller, to be told in `channel_id` (a modal's follow-up, in the channel it
        was opened from): by `tell` there, not through the request's trigger or
        `response_url`."""
        return Caller(self.team_id, self.user_id, channel_id, None, None)

    @classmethod
    def of(cls, body: dict[str, Any]) -> Caller:
        user = body.get("user")
        user_id = body.get("user_id") or (user.get("id") if isinstance(user, dict) else user) or ""
        team = body.get("team")
        team_id = (
            body.get("team_id")
            or (team.get("id") if isinstance(team, dict) else None)
            or (user.get("team_id") if isinstance(user, dict) else None)
            or ""
        )
        channel = body.get("channel")
        channel_id = body.get("channel_id") or (
            channel.get("id") if isinstance(channel, dict) else channel
        )
        if channel_id is None and isinstance(body.get("container"), dict):
            channel_id = body["container"].get("channel_id")
        response_urls = body.get("response_urls") or []
        response_url = body.get("response_url") or (
            response_urls[0].get("response_url") if response_urls else None
        )
        enterprise = body.get("enterprise")
        enterprise_id = (
            body.get("enterprise_id")
            or (enterprise.get("id") if isinstance(enterprise, dict) else None)
            or (user.get("enterprise_id") if isinstance(user, dict) else None)
            or (team.get("enterprise_id") if isinstance(team, dict) else None)
        )
        return cls(
            team_id, user_id, channel_id, body.get("trigger_id"), response_url, enterprise_id
        )


# Slack ids: users (`U…`, `W…` on Enterprise Grid) and conversations (`C…`, `G…`, `D…`).
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")
_CONVERSATION_ID = re.compile(r"^[CGD][A-Z0-9]{2,20}$")
_USER_KINDS = ("users_select", "multi_users_select")
_CONVERSATION_KINDS = (
    "conversations_select",
    "multi_conversations_select",
    "channels_select",
    "multi_channels_select",
)
_OPTION_KINDS = ("static_select", "multi_static_select", "radio_buttons", "checkboxes")


def read_state(view: dict[str, Any]) -> dict[str, Any]:
    """A modal's submitted values as block id → plain value (str, list of str, or None).

    Every modal parser starts here, so the edge cases are settled once: text is trimmed of
    whitespace and invisible characters (nothing visible left: None, i.e. empty); a lone
    surrogate, a choice that was not among the options offered, or a user or conversation
    id that is not one raises `FieldErrors` on that block (nothing is saved)."""
    values: dict[str, Any] = {}
    errors: dict[str, Msg] = {}
    offered = _offered(view)
    for block_id, actions in view.get("state", {}).get("values", {}).items():
        for element in actions.values():
            value, error = _checked(element, _element_value(element), offered.get(block_id))
            values[block_id] = value
            if error is not None:
                errors[block_id] = error
    if errors:
        raise FieldErrors(errors)
    return values


def _offered(view: dict[str, Any]) -> dict[str, set[str] | None]:
    """block id → the option values its select offered (None: not a static choice)."""
    offered: dict[str, set[str] | None] = {}
    for block in view.get("blocks") or []:
        element = block.get("element") if isinstance(block, dict) else None
        if not isinstance(element, dict) or element.get("type") not in _OPTION_KINDS:
            continue
        options = list(element.get("options") or [])
        for group in element.get("option_groups") or []:
            options.extend(group.get("options") or [])
        offered[str(block.get("block_id"))] = {
            str(o.get("value")) for o in options if isinstance(o, dict)
        }
    return offered


def _checked(
    element: dict[str, Any], value: Any, offered: set[str] | None
) -> tuple[Any, Msg | None]:
    kind = element.get("type")
    if isinstance(value, list):
        items = [_checked(element, v, offered) for v in value]
        error = next((e for _v, e in items if e is not None), None)
        return [v for v, _e in items if v is not None], error
    if value is None:
        return None, None
    if not isinstance(value, str):
        return None, _("Choose one of the answers offered.")
    if has_lone_surrogate(value):
        return None, _(
            "This text has a character that cannot be saved (half of an emoji?). Remove it and try again."
        )
    text = clean_text(value)
    if not text:
        return None, None
    if offered is not None and text not in offered and not _plausible(text):
        # Not offered and not even a value a service could look up and refuse in its own
        # words (an integer beyond 64 bits would overflow the database driver).
        return None, _("Choose one of the answers offered.")
    if kind in _USER_KINDS and not _USER_ID.match(text):
        return None, _("Choose someone from the list of people.")
    if kind in _CONVERSATION_KINDS and not _CONVERSATION_ID.match(text):
        return None, _("Choose a channel from the list.")
    return text, None


def _plausible(value: str) -> bool:
    """A choice the services can check themselves: short, and no integer beyond 64 bits."""
    if len(value) > 150:  # Slack's limit for an option value
        return False
    number = value.lstrip("+-")
    return not (number.isdigit() and int(number) >= 2**63)


def _element_value(element: dict[str, Any]) -> Any:
    kind = element.get("type")
    if kind in ("multi_users_select", "multi_conversations_select", "multi_channels_select"):
        key = {"multi_users_select": "selected_users"}.get(kind, "selected_conversations")
        return list(element.get(key) or element.get("selected_channels") or [])
    if kind in ("multi_static_select", "checkboxes", "multi_external_select"):
        return [o["value"] for o in element.get("selected_options") or []]
    if kind in ("static_select", "radio_buttons", "external_select"):
        option = element.get("selected_option")
        return option["value"] if option else None
    if kind == "users_select":
        return element.get("selected_user")
    if kind in ("conversations_select", "channels_select"):
        return element.get("selected_conversation") or element.get("selected_channel")
    if kind == "datepicker":
        return element.get("selected_date")
    if kind == "timepicker":
        return element.get("selected_time")
    return element.get("value")


def field_errors(errors: Mapping[str, Msg], tr: Translator) -> dict[str, Any]:
    """The body of a `response_action: errors` acknowledgement: block id → its message in
    `tr`'s language, cut to the 150 characters Slack shows."""
    return {"response_action": "errors", "errors": {k: tr(v)[:150] for k, v in errors.items()}}


# Slack's answers to chat.postEphemeral when the bot cannot reach the channel.
UNREACHABLE = ("not_in_channel", "channel_not_found")


def respond(url: str, text: str, *, blocks: list[Any] | None = None) -> bool:
    """An ephemeral answer through a command's or action's `response_url` (valid 30 min,
    5 posts); True when Slack took it. It works in any channel, joined or not, and in DMs."""
    payload = [b.to_dict() if hasattr(b, "to_dict") else b for b in blocks or []]
    try:
        response = WebhookClient(url, timeout=15).send(
            text=text, blocks=payload or None, response_type="ephemeral", replace_original=False
        )
    except Exception:
        log.warning("response_url post failed", exc_info=True)
        return False
    if response.status_code != 200:
        log.info("response_url answered %s: %s", response.status_code, response.body[:200])
    return response.status_code == 200


def tell(
    client: WebClient,
    caller: Caller,
    text: str,
    *,
    blocks: list[Any] | None = None,
    tr: Translator | None = None,
) -> None:
    """A short message only the caller sees: an ephemeral in the channel if we can post one;
    else (the bot is not in the channel, a private channel, a DM) through the request's
    `response_url` with a line on how to invite the bot; a DM only when there is neither."""
    hint = None
    if caller.channel_id and not caller.channel_id.startswith("D"):
        try:
            client.chat_postEphemeral(
                channel=caller.channel_id, user=caller.user_id, text=text, blocks=blocks
            )
            return
        except SlackApiError as error:
            code = error.response.get("error")
            log.info("ephemeral to %s failed (%s)", caller.channel_id, code)
            if code in UNREACHABLE:
                hint = (tr or translator("en"))(
                    _("I am not in this channel: add me with `/invite @ICRM`.")
                )
    if caller.response_url:
        said = f"{text}\n{hint}" if hint else text
        if respond(
            caller.response_url,
            said,
            blocks=[*blocks, context(hint)] if blocks and hint else blocks,
        ):
            return
    client.chat_postMessage(channel=caller.user_id, text=text, blocks=blocks)


def internal_error(ref: str) -> Msg:
    return _(
        "Sorry, something went wrong on our side and nothing was changed. Try again in a "
        "minute; if it keeps happening, tell your admin (reference {ref}).",
        ref=ref,
    )


def post_to_channel(
    client: WebClient,
    channel_id: str,
    text: str,
    blocks: list[Any],
    *,
    tr: Translator,
    fallback_user: str | None = None,
) -> str | None:
    """Post to a project channel, joining it if we were not invited; the message's ts.

    If the bot cannot post there (a private channel it is not in), `fallback_user` gets the
    message by DM with a line saying how to invite the bot.
    """
    for attempt in range(2):
        try:
            response = client.chat_postMessage(channel=channel_id, text=text, blocks=blocks)
            return str(response["ts"])
        except SlackApiError as error:
            code = error.response.get("error")
            if code == "not_in_channel" and attempt == 0:
                try:
                    client.conversations_join(channel=channel_id)
                    continue
                except SlackApiError:
                    pass
            if fallback_user is None or code not in (
                "not_in_channel",
                "channel_not_found",
                "is_archived",
            ):
                raise
            break
    hint = tr(
        _(
            "I could not post in <#{channel}>. Invite me there with `/invite @ICRM`.",
            channel=channel_id,
        )
    )
    if fallback_user is not None:
        client.chat_postMessage(
            channel=fallback_user, text=f"{text}\n{hint}", blocks=[*blocks, context(hint)]
        )
    return None
