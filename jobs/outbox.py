"""Queued messages: written with the change they tell about, sent by a deliverer pass.

The one path for what the bot sends on its own initiative outside a job run (survey
invitations, reminders and results, scorecards…): the caller writes an outbox row with
`enqueue` in the same transaction as its business change (the survey's `invited_at`, the
month's `posted_at`), commits, then asks for a pass with `deliver_soon` (on
`deps.background`, so a request-triggered message is out within seconds) or runs
`deliver` itself. The clock runs a pass every `INTERVAL_SECONDS` too, so a row whose
process died after the commit is sent by the next pass, never lost.

This module is what services, handlers and jobs call (queue, rewrite, look up); the pass
itself (claim, send, recover) is `jobs.outbox_pass`, re-exported here.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from bot.deps import Deps
from bot.i18n import _, translator
from jobs.delivery import as_dicts
from jobs.outbox_pass import (
    BATCH,
    INTERVAL_SECONDS,
    STALE_AFTER,
    UNREACHABLE,
    deliver,
    delivery_for,
)
from storage.models import OutboxMessage, OutboxStatus
from storage.uow import UnitOfWork

__all__ = ["BATCH", "INTERVAL_SECONDS", "STALE_AFTER", "UNREACHABLE", "as_dicts", "deliver"]
__all__ += ["deliver_soon", "delivery_for", "enqueue", "enqueue_file", "fallback_hint"]
__all__ += ["fresh_key", "queued", "rewrite", "sent", "to_channel_in"]

T = TypeVar("T")


def enqueue(
    uow: UnitOfWork,
    *,
    project_id: int,
    kind: str,
    key: str,
    recipient: str,
    text: str,
    blocks: list[Any],
    fallback_user: str | None = None,
    fallback_hint: str | None = None,
) -> bool:
    """Queue one message in `uow`'s transaction (commit it with the business change); False
    if a message with this `key` was queued before (nothing is queued twice).

    `recipient`: a channel id or a user id (DM). `fallback_user` gets it by DM, with
    `fallback_hint` below, if the bot cannot post in the channel."""
    payload: dict[str, Any] = {"text": text, "blocks": as_dicts(blocks)}
    if fallback_user is not None:
        payload["fallback_user"] = fallback_user
        payload["fallback_hint"] = fallback_hint
    return _add(uow, project_id, kind, key, recipient, payload)


def enqueue_each(
    uow: UnitOfWork,
    *,
    project_id: int,
    kind: str,
    key_prefix: str,
    recipients: Iterable[str],
    text: str,
    blocks: list[Any],
) -> list[str]:
    """`enqueue` one DM to each of `recipients`, keyed `<key_prefix><user>`; the keys newly
    queued (a recipient queued before is skipped)."""
    payload = {"text": text, "blocks": as_dicts(blocks)}  # rendered once for all of them
    queued: list[str] = []
    for user in recipients:
        key = f"{key_prefix}{user}"
        if _add(uow, project_id, kind, key, user, dict(payload)):
            queued.append(key)
    return queued


def _add(
    uow: UnitOfWork, project_id: int, kind: str, key: str, recipient: str, payload: dict[str, Any]
) -> bool:
    """Stage the outbox row in `uow` unless `key` was queued before (then False)."""
    if uow.jobs.queued(key) is not None:
        return False
    uow.jobs.enqueue(
        OutboxMessage(
            project_id=project_id,
            kind=kind,
            key=key[:160],
            recipient=recipient[:64],
            payload=payload,
            status=OutboxStatus.PENDING,
            tries=0,
            created_at=uow.now(),
        )
    )
    return True


def queued(deps: Deps, put: Callable[[UnitOfWork], T]) -> T:
    """Run `put(uow)`, which queues (or rewrites) messages, in a transaction of its own and
    commit it; what `put` returns. For messages about a change committed before, or about
    none (a nudge)."""
    with deps.uow() as uow:
        done = put(uow)
        uow.commit()
    return done


def rewrite(uow: UnitOfWork, key: str, text: str, blocks: list[Any]) -> bool:
    """Say something else in the queued message `key`, in `uow`, if it is still `pending`
    (no deliverer has taken it); False if it was taken (or never queued)."""
    row = uow.jobs.queued(key)
    if row is None or row.status != OutboxStatus.PENDING:
        return False
    payload = {**(row.payload or {}), "text": text, "blocks": as_dicts(blocks)}
    return uow.jobs.rewrite_pending(key, payload)


def enqueue_file(
    uow: UnitOfWork,
    *,
    project_id: int,
    kind: str,
    key: str,
    channel: str,
    filename: str,
    title: str,
    content: bytes,
    after: str | None = None,
) -> bool:
    """Queue a file shared into `channel` (a user id: their DM); `after`, the key of the
    message it belongs to: the file follows it, into wherever that message landed."""
    file = {
        "filename": filename,
        "title": title,
        "content": base64.b64encode(content).decode("ascii"),
        "after": after,
    }
    return _add(uow, project_id, kind, key, channel, {"file": file})


def fresh_key(prefix: str) -> str:
    """A key of its own for a message whose change is claimed elsewhere (a modal's view
    claim, a service's compare-and-set): `prefix:<random>`."""
    return f"{prefix}:{uuid.uuid4().hex[:16]}"


def to_channel_in(
    uow: UnitOfWork,
    project: Any,
    kind: str,
    key: str,
    text: str,
    blocks: list[Any],
    *,
    fallback_user: str | None,
) -> bool:
    """Queue a message for the project's command channel (`project`: anything with `id`,
    `channel_id` and `locale`) in `uow`'s transaction — a service's `queue` callback, committed
    with the business change; by DM to `fallback_user` if the bot cannot post there. False
    if `key` was queued before."""
    return enqueue(
        uow,
        project_id=project.id,
        kind=kind,
        key=key,
        recipient=project.channel_id,
        text=text,
        blocks=blocks,
        fallback_user=fallback_user,
        fallback_hint=fallback_hint(project.locale, project.channel_id) if fallback_user else None,
    )


def sent(deps: Deps, key: str) -> tuple[str, str] | None:
    """(channel, ts) where the queued message `key` landed, once it is sent."""
    with deps.uow() as uow:
        row = uow.jobs.queued(key)
        if row is None or row.status != OutboxStatus.SENT or not row.ts:
            return None
        return str(row.channel_id), row.ts


def fallback_hint(locale: str, channel: str) -> str:
    """The line under a channel message that came by DM instead."""
    return translator(locale)(
        _(
            "I could not post in <#{channel}>. Invite me there with `/invite @ICRM`.",
            channel=channel,
        )
    )


def deliver_soon(deps: Deps, project_id: int | None = None) -> bool:
    """A pass on `deps.background` (right after the commit of a request's change); False if
    the pool is full (the clock's next pass sends the rows)."""
    return deps.background.submit(deliver, deps, project_id=project_id)
