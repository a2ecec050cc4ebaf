"""The stand-in's answers to the Web API methods it carries out (`FakeSlack.handle` calls
these once a call passed Slack's checks): messages, conversations, views, users, files and
custom steps' completion."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from bot.sandbox.oauth import Grant
from bot.sandbox.slack_records import (
    BOT_ID,
    BOT_USER_ID,
    FUNCTION_METHODS,
    Channel,
    decoded,
    output_problems,
    refusal,
)

if TYPE_CHECKING:
    from bot.sandbox.slack_api import FakeSlack


def answer_for(
    fake: FakeSlack, method: str, args: dict[str, Any], grant: Grant | None
) -> dict[str, Any]:
    """`_answer`, as the workspace of a token the stand-in issued (OAuth)."""
    if method in FUNCTION_METHODS:
        return complete(fake, method, args, grant)
    if grant is not None and method == "auth.test":
        workspace = fake.oauth.team_of(grant)
        return {
            "ok": True,
            "url": "https://fake.slack/",
            "team": workspace.name if workspace else grant.enterprise_id,
            "user": "icrm",
            "team_id": grant.team_id,
            "enterprise_id": grant.enterprise_id,
            "is_enterprise_install": grant.org_install,
            "user_id": fake.oauth.bot_user_id(grant),
            "bot_id": f"B{fake.oauth.bot_user_id(grant)}",
        }
    reply = fake._answer(method, args)  # a method: tests replace it to refuse one call
    message = reply.get("message")
    if grant is not None and method == "chat.postMessage" and isinstance(message, dict):
        message["team"] = grant.team_id or grant.enterprise_id  # whose bot posted it
    return reply


def complete(
    fake: FakeSlack, method: str, args: dict[str, Any], grant: Grant | None
) -> dict[str, Any]:
    """`functions.completeSuccess` / `completeError`: once per execution, with outputs
    that fit the function's output parameters; another workspace's execution is not
    found."""
    found = fake.executions.get(str(args.get("function_execution_id") or ""))
    if found is None or (grant is not None and grant.team_id not in (None, found.team_id)):
        return refusal("function_execution_not_found")
    if found.state != "running":
        return refusal("execution_not_in_running_state")
    if method == "functions.completeError":
        error = args.get("error")
        if not isinstance(error, str) or not error.strip():
            return refusal("invalid_arguments", ["missing required field: error"])
        found.state, found.error = "failed", error
        return {"ok": True}
    outputs, parsed = decoded(args.get("outputs"))
    if not parsed:
        return refusal("invalid_arguments", ["outputs must be JSON"])
    problems = output_problems(found.output_parameters, outputs)
    if problems or not isinstance(outputs, dict):
        return refusal("parameter_validation_failed", problems)
    found.state, found.outputs = "completed", dict(outputs)
    return {"ok": True}


def answer(fake: FakeSlack, method: str, args: dict[str, Any]) -> dict[str, Any]:
    """What Slack answers to a call it carries out."""
    if method == "auth.test":
        return {
            "ok": True,
            "url": "https://fake.slack/",
            "team": "Test",
            "user": "icrm",
            "team_id": fake.team_id,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
        }
    for part in (_chat, _conversations, _people_and_files):
        found = part(fake, method, args)
        if found is not None:
            return found
    return {"ok": True}


def _chat(fake: FakeSlack, method: str, args: dict[str, Any]) -> dict[str, Any] | None:
    channel = args.get("channel")
    if method in (
        "chat.postMessage",
        "chat.update",
        "chat.postEphemeral",
        "chat.scheduleMessage",
    ):
        if method == "chat.postMessage":
            channel = fake._dm(str(channel))
        ts = args.get("ts") or f"{1700000000 + next(fake._ts)}.000100"
        message = {**args, "channel": channel, "ts": ts, "user": BOT_USER_ID, "bot_id": BOT_ID}
        if method == "chat.postMessage":
            fake.messages.setdefault(str(channel), []).append(message)
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        return {"ok": True, "channel": channel, "ts": ts, "message": message}
    if method == "chat.getPermalink":
        ts = str(args.get("message_ts", "")).replace(".", "")
        return {
            "ok": True,
            "channel": channel,
            "permalink": f"https://fake.slack/archives/{channel}/p{ts}",
        }
    if method in ("views.open", "views.push", "views.update", "views.publish"):
        view = args.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        return {"ok": True, "view": {**(view or {}), "id": f"V{next(fake._ids)}"}}
    return None


def _conversations(fake: FakeSlack, method: str, args: dict[str, Any]) -> dict[str, Any] | None:
    channel = args.get("channel")
    if method == "conversations.join":
        found = fake.channels.get(str(channel))
        if found is not None:
            found.bot_member = True
        return {"ok": True, "channel": {"id": channel}}
    if method == "conversations.open":
        users = str(args.get("users", ""))
        return {"ok": True, "channel": {"id": "D" + users.split(",")[0]}}
    if method == "conversations.history":
        posted = list(reversed(fake.messages.get(str(channel), [])))
        if str(args.get("include_all_metadata")).lower() not in ("true", "1"):
            posted = [{k: v for k, v in m.items() if k != "metadata"} for m in posted]
        return {
            "ok": True,
            "messages": posted[: int(args.get("limit", 100))],
            "has_more": False,
        }
    if method == "conversations.info":
        found = fake.channels.get(str(channel)) or Channel(str(channel))
        return {
            "ok": True,
            "channel": {
                "id": channel,
                "name": f"chan-{channel}",
                "is_member": found.bot_member,
                "is_private": found.private,
            },
        }
    return None


def _people_and_files(fake: FakeSlack, method: str, args: dict[str, Any]) -> dict[str, Any] | None:
    if method == "users.info":
        user = args.get("user")
        return {
            "ok": True,
            "user": fake.users.get(
                str(user),
                {
                    "id": user,
                    "name": str(user).lower(),
                    "tz": "Asia/Shanghai",
                    "locale": "zh-CN",
                    "real_name": str(user),
                },
            ),
        }
    if method == "files.info":
        uploaded = fake.files.get(str(args.get("file")))
        if uploaded is None:
            return {"ok": False, "error": "file_not_found"}
        return {"ok": True, "file": dict(uploaded[0])}
    if method == "users.lookupByEmail":
        email = str(args.get("email", "")).lower()
        for user in fake.users.values():
            if str(user.get("profile", {}).get("email", "")).lower() == email:
                return {"ok": True, "user": user}
        return {"ok": False, "error": "users_not_found"}
    if method == "files.getUploadURLExternal":
        file_id = f"F{next(fake._ids)}"
        return {
            "ok": True,
            "upload_url": f"{fake.base_url}/upload/{file_id}",
            "file_id": file_id,
        }
    if method == "files.completeUploadExternal":
        files = args.get("files")
        if isinstance(files, str):
            files = json.loads(files)
        return {
            "ok": True,
            "files": [{"id": f["id"], "title": f.get("title")} for f in files or []],
        }
    return None
