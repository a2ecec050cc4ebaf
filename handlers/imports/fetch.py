"""Getting an uploaded file from Slack, and looking up the people a file names.

The file's `url_private_download` comes from `files.info` (scope `files:read`); the bytes
are fetched with httpx and the bot token as a Bearer token, streamed, and refused past the
size limit without reading further.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import UserError
from bot.i18n import _
from bot.imports.read import MAX_BYTES, check_file


@dataclass(frozen=True)
class Upload:
    id: str
    name: str
    content: bytes


def file_info(client: WebClient, file_id: str) -> dict[str, Any]:
    try:
        return dict(client.files_info(file=file_id)["file"])
    except SlackApiError as error:
        raise UserError(
            _("Slack could not find the uploaded file. Upload it again with `/icrm import`.")
        ) from error


def download(client: WebClient, file_id: str) -> Upload:
    """The file's name and bytes; `UserError` when it is not a spreadsheet or too large."""
    info = file_info(client, file_id)
    name = str(info.get("name") or info.get("title") or file_id)
    check_file(name, int(info.get("size") or 0))
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    failed = UserError(_("The file could not be downloaded from Slack. Try again in a minute."))
    if not url:
        raise failed
    chunks: list[bytes] = []
    size = 0
    try:
        with httpx.stream(
            "GET", url, headers={"Authorization": f"Bearer {client.token}"}, timeout=60
        ) as response:
            if response.status_code != 200 or "text/html" in response.headers.get(
                "content-type", ""
            ):
                # Slack answers a download without the right token with its sign-in page.
                raise failed
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BYTES:
                    check_file(name, size)
                chunks.append(chunk)
    except httpx.HTTPError as error:
        raise failed from error
    return Upload(file_id, name, b"".join(chunks))


def resolve_users(client: WebClient, refs: Sequence[str]) -> dict[str, str | None]:
    """`U…` ids and `email:` references → the member's id, or None when not in the workspace
    (unknown, deactivated). Each person is asked about once."""
    found: dict[str, str | None] = {}
    for ref in refs:
        try:
            if ref.startswith("email:"):
                user = client.users_lookupByEmail(email=ref.removeprefix("email:"))["user"]
            else:
                user = client.users_info(user=ref)["user"]
        except SlackApiError as error:
            if error.response.get("error") in ("users_not_found", "user_not_found"):
                found[ref] = None
                continue
            raise
        found[ref] = None if user.get("deleted") or user.get("is_bot") else str(user["id"])
    return found
