"""What Slack refuses, for the stand-in (`bot.sandbox.slack_api`): a call Slack would not
carry out gets Slack's error, with the reasons in `response_metadata.messages`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.sandbox.blockkit import problems_in_blocks, problems_in_view
from bot.sandbox.oauth import Failure as TokenFailure
from bot.sandbox.oauth import Grant
from bot.sandbox.slack_records import (
    MAX_MESSAGE_TEXT,
    MAX_UPDATE_TEXT,
    MESSAGE_METHODS,
    VIEW_METHODS,
    decoded,
    is_conversation,
    is_user,
    refusal,
)

if TYPE_CHECKING:
    from bot.sandbox.slack_api import FakeSlack


def other_workspace(
    fake: FakeSlack, grant: Grant | TokenFailure | None, method: str, args: dict[str, Any]
) -> dict[str, Any] | None:
    """A revoked or expired token; a channel or user of another workspace than the
    token's (Slack does not find them)."""
    if isinstance(grant, TokenFailure):
        return refusal(grant.error)
    if grant is None:
        return None
    mine = (
        {grant.team_id}
        if grant.team_id
        else {
            w.team_id
            for w in fake.oauth.workspaces.values()
            if w.enterprise_id == grant.enterprise_id
        }
    )
    for key, error in (("channel", "channel_not_found"), ("channel_id", "channel_not_found"),
                       ("user", "user_not_found"), ("users", "user_not_found")):  # fmt: skip
        for one in str(args.get(key) or "").split(","):
            owner = fake.oauth.owner(one[1:] if one.startswith("D") else one)  # a DM: its user
            if owner is not None and owner not in mine:
                return refusal(error)
    return None


def refused(fake: FakeSlack, method: str, args: dict[str, Any]) -> dict[str, Any] | None:
    """Slack's refusal of this call, or None when Slack would carry it out."""
    if method in MESSAGE_METHODS:
        return message_problems(fake, method, args) or placement(fake, method, args)
    if method in VIEW_METHODS:
        view, parsed = decoded(args.get("view"))
        if not parsed:
            return refusal("invalid_arguments", ["view must be JSON"])
        if not isinstance(view, dict):
            return refusal("invalid_arguments", ["missing required field: view"])
        problems = problems_in_view(view)
        return refusal("invalid_arguments", problems) if problems else None
    if method == "files.completeUploadExternal":
        channel = args.get("channel_id") or args.get("channels")
        for one in str(channel or "").split(","):
            if is_user(one):  # a file is shared into a conversation, not to a user id
                return refusal("channel_not_found")
            if one and (refused := bot_can_post(fake, one)):
                return refused
        return None
    if method == "conversations.join":
        found = fake.channels.get(str(args.get("channel")))
        if found is not None and found.private:
            return refusal("method_not_supported_for_channel_type")
        return None
    if method == "conversations.info":
        channel = str(args.get("channel") or "")
        found = fake.channels.get(channel)
        if found is not None and found.private and not found.bot_member:
            return refusal("channel_not_found")
        if not is_conversation(channel) or channel in fake.missing:
            return refusal("channel_not_found")
        return None
    if method == "users.info":
        user = str(args.get("user", ""))
        if not is_user(user) or user in fake.missing:
            return refusal("user_not_found")
    if method == "conversations.open":
        users = [u for u in str(args.get("users", "")).split(",") if u]
        if not users or not all(is_user(u) and u not in fake.missing for u in users):
            return refusal("user_not_found")
    return None


def message_problems(fake: FakeSlack, method: str, args: dict[str, Any]) -> dict[str, Any] | None:
    blocks, parsed = decoded(args.get("blocks"))
    if not parsed:
        return refusal("invalid_blocks_format")
    text = str(args.get("text") or "")
    deleting = method == "response_url" and args.get("delete_original")
    if not text and not blocks and not args.get("attachments") and not deleting:
        return refusal("no_text")
    limit = MAX_UPDATE_TEXT if method == "chat.update" else MAX_MESSAGE_TEXT
    if len(text) > limit:
        return refusal(
            "msg_too_long", [f"must be less than {limit + 1} characters [json-pointer:/text]"]
        )
    if blocks:
        if not isinstance(blocks, list):
            return refusal("invalid_blocks_format")
        problems = problems_in_blocks(blocks, "message")
        if problems:
            return refusal("invalid_blocks", problems)
    return None


def placement(fake: FakeSlack, method: str, args: dict[str, Any]) -> dict[str, Any] | None:
    """Refuse a message into a channel the bot (or, for an ephemeral, the user) is not in."""
    channel = str(args.get("channel") or "")
    if method == "chat.update":
        return None  # the message is already there
    refused = bot_can_post(fake, channel)
    if refused is not None:
        return refused
    if method == "chat.postEphemeral":
        found = fake.channels.get(channel)
        user = str(args.get("user") or "")
        if not is_user(user):
            return refusal("user_not_found")
        if found is not None and not found.has(user):
            return refusal("user_not_in_channel")
    return None


def bot_can_post(fake: FakeSlack, channel: str) -> dict[str, Any] | None:
    if channel in fake.missing or (channel.startswith("D") and channel[1:] in fake.missing):
        return refusal("channel_not_found")
    found = fake.channels.get(channel)
    if found is None or found.bot_member:
        return None
    return refusal("channel_not_found" if found.private else "not_in_channel")
