"""Files to and from Slack, without holding more in memory than needed.

Up: slack_sdk's `files_upload_v2` reads the whole file into memory; an export of a million
rows should not. This follows the same external-upload protocol (files.getUploadURLExternal
→ POST the bytes → files.completeUploadExternal) but streams the file from disk with httpx.

Down: an uploaded file's `url_private_download` comes from `files.info` (scope
`files:read`); the bytes are fetched with httpx and the bot token as a Bearer token,
streamed, and refused past the size limit without reading further.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import UserError
from bot.i18n import _
from bot.imports.read import MAX_BYTES, check_file

CHUNK = 256 * 1024


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def upload(
    client: WebClient,
    *,
    channel: str,
    filename: str,
    title: str,
    path: Path | None = None,
    content: bytes | None = None,
    comment: str | None = None,
    thread_ts: str | None = None,
) -> str:
    """Upload `path` (streamed) or `content` to `channel` (a channel or a user's DM); the file id."""
    file_id = stage(client, filename=filename, path=path, content=content)
    share(client, file_id, channel=channel, title=title, comment=comment, thread_ts=thread_ts)
    return file_id


def stage(
    client: WebClient, *, filename: str, path: Path | None = None, content: bytes | None = None
) -> str:
    """Send the bytes to Slack without showing them to anyone (safe to repeat); the file id."""
    size = os.path.getsize(path) if path is not None else len(content or b"")
    ticket = client.files_getUploadURLExternal(filename=filename, length=size)
    body: bytes | Iterator[bytes] = _chunks(path) if path is not None else (content or b"")
    headers = {"Content-Length": str(size), "Content-Type": "application/octet-stream"}
    response = httpx.post(str(ticket["upload_url"]), content=body, headers=headers, timeout=120)
    response.raise_for_status()
    return str(ticket["file_id"])


def share(
    client: WebClient,
    file_id: str,
    *,
    channel: str,
    title: str,
    comment: str | None = None,
    thread_ts: str | None = None,
) -> None:
    """Share a staged file into `channel` (a user id: their DM with the bot)."""
    if channel.startswith(("U", "W")):  # W: an Enterprise Grid user
        channel = str(client.conversations_open(users=channel)["channel"]["id"])
    client.files_completeUploadExternal(
        files=[{"id": file_id, "title": title}],
        channel_id=channel,
        initial_comment=comment,
        thread_ts=thread_ts,
    )


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
