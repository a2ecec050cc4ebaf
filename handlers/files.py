"""Uploading files to Slack without holding them in memory.

slack_sdk's `files_upload_v2` reads the whole file into memory; an export of a million rows
should not. This follows the same external-upload protocol (files.getUploadURLExternal →
POST the bytes → files.completeUploadExternal) but streams the file from disk with httpx.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
from slack_sdk import WebClient

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
