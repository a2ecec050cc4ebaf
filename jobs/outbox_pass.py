"""A deliverer pass over the queued outbox (`jobs/outbox.py` writes the rows).

A pass claims each row (`pending` → `sending`, a conditional update only one deliverer
wins), sends it through `jobs.delivery.Delivery` (paced per channel and per workspace,
tagged with the row's key as message metadata, with the project's workspace token), and
marks it `sent` with Slack's channel and ts. A row left `sending` for `STALE_AFTER` (its
deliverer died mid-send) is taken over: looked up in the channel by its key, and sent again
only if it is not there. A file share carries no metadata, so a file row found `sending`
is never shared again (at most one copy). Two passes at once, a retry or a restart never
send a row twice.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from handlers import files
from handlers.blocks import context
from jobs.delivery import Delivery, Pacer, Posted, oldest_for, permanent
from storage.models import OutboxStatus

log = logging.getLogger("icrm.outbox")

# How often the active clock runs a pass (recovering rows whose process died).
INTERVAL_SECONDS = 30
# A row `sending` this long lost its deliverer (a send with all its retries is shorter).
STALE_AFTER = dt.timedelta(minutes=2)
# The refusals after which a channel message goes to `fallback_user` by DM instead.
UNREACHABLE = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
BATCH = 500


@dataclass
class _Row:
    id: int
    project_id: int
    key: str
    recipient: str
    payload: dict[str, Any]
    status: str
    sent_at: dt.datetime | None


# Pacing is per process: one pacer per workspace, shared by every pass of this process.
_PACERS: dict[tuple[int, str], Pacer] = {}
_PACERS_LOCK = threading.Lock()


def _pacer(deps: Deps, team_id: str) -> Pacer:
    from jobs.scheduler import make_pacer  # the clock's limits

    with _PACERS_LOCK:
        pacer = _PACERS.get((id(deps), team_id))
        if pacer is None:
            pacer = _PACERS[(id(deps), team_id)] = make_pacer(deps)
        return pacer


def delivery_for(deps: Deps, project_id: int) -> Delivery:
    """The project's workspace client (`deps.client_for`) with that workspace's pacer."""
    with deps.uow() as uow:
        project = uow.projects.by_id(project_id)
        assert project is not None
        team_id, enterprise_id = project.team_id, project.enterprise_id
    return Delivery(deps.client_for(team_id, enterprise_id), _pacer(deps, team_id))


def deliver(
    deps: Deps,
    *,
    project_id: int | None = None,
    keys: Iterable[str] | None = None,
    delivery: Delivery | None = None,
    delivery_of: Callable[[int], Delivery] | None = None,
) -> int:
    """One pass: send the queued rows (of one project, or all) that are pending, or were left
    `sending` by a deliverer that died; how many this pass sent. `keys`: only those rows.
    `delivery`: a client and pacer to use instead of each project's (a job run's);
    `delivery_of`: how to get a project's (the clock's runner, sharing its pacers)."""
    wanted = [k[:160] for k in keys] if keys is not None else None
    now = deps.now()
    with deps.uow() as uow:
        rows = [
            _Row(r.id, r.project_id or 0, r.key, r.recipient, r.payload or {}, r.status, r.sent_at)
            for r in uow.jobs.queued_due(project_id, now - STALE_AFTER, BATCH, wanted)
        ]
    sent = 0
    deliveries: dict[int, Delivery] = {}
    for row in rows:
        try:
            chosen = delivery or deliveries.get(row.project_id)
            if chosen is None:
                chosen = deliveries[row.project_id] = (
                    delivery_of(row.project_id)
                    if delivery_of
                    else delivery_for(deps, row.project_id)
                )
            sent += _send(deps, chosen, row)
        except Exception:
            # Left `sending`: the next pass after STALE_AFTER looks it up and sends it.
            log.exception("queued message %s could not be sent; the next pass retries", row.key)
    return sent


def _claim(deps: Deps, row: _Row) -> bool:
    with deps.uow() as uow:
        won = uow.jobs.claim_queued(row.id, row.status, row.sent_at, deps.now())
        uow.commit()
    return won


def _mark(
    deps: Deps,
    row_id: int,
    status: OutboxStatus,
    *,
    channel_id: str | None = None,
    ts: str | None = None,
    error: str | None = None,
) -> None:
    with deps.uow() as uow:
        uow.jobs.mark_queued(
            row_id, status, channel_id=channel_id, ts=ts, error=error, now=uow.now()
        )
        uow.commit()


def _landed(deps: Deps, row: _Row, posted: Posted) -> None:
    """The row was posted (now, or by a deliverer that died before it could say so)."""
    _mark(deps, row.id, OutboxStatus.SENT, channel_id=posted.channel_id, ts=posted.ts)


def _send(deps: Deps, delivery: Delivery, row: _Row) -> int:
    if not _claim(deps, row):
        return 0  # another deliverer has it
    if "file" in row.payload:
        return _share(deps, delivery, row)
    oldest = oldest_for(row.sent_at or deps.now())
    if row.status == OutboxStatus.SENDING:  # its deliverer died mid-send: was it posted?
        for where in {row.recipient, row.payload.get("fallback_user") or row.recipient}:
            found = delivery.lookup(where, row.key, oldest=oldest)
            if found is not None:
                _landed(deps, row, found)
                return 1
    text, blocks = row.payload["text"], row.payload["blocks"]
    try:
        posted = delivery.post_once(row.recipient, row.key, text, blocks, oldest=oldest)
    except SlackApiError as error:
        code = str(error.response.get("error"))
        fallback = row.payload.get("fallback_user")
        if not permanent(error):
            _settle_doubt(deps, delivery, row, oldest)
            raise
        if fallback is None or code not in UNREACHABLE:
            log.warning("queued message %s refused (%s)", row.key, code)
            _mark(deps, row.id, OutboxStatus.FAILED, error=code)
            return 0
        hint = row.payload.get("fallback_hint") or ""
        posted = delivery.post_once(
            fallback,
            row.key,
            f"{text}\n{hint}",
            [*blocks, context(hint).to_dict()],
            oldest=oldest,
        )
    _landed(deps, row, posted)
    return 1


def _settle_doubt(deps: Deps, delivery: Delivery, row: _Row, oldest: float) -> None:
    """After a send that failed (5xx, 429 past its retries): posted after all, or back to
    `pending` for the next pass (a row we cannot check stays `sending`, looked up later)."""
    try:
        found = delivery.find(row.recipient, row.key, oldest=oldest)
    except Exception:
        return
    if found is not None:
        _landed(deps, row, found)
    else:
        _mark(deps, row.id, OutboxStatus.PENDING)


def _share(deps: Deps, delivery: Delivery, row: _Row) -> int:
    if row.status == OutboxStatus.SENDING:
        # A share that may have happened is not repeated: at most one copy of the file.
        log.warning("queued file %s in doubt; not shared again", row.key)
        _mark(deps, row.id, OutboxStatus.FAILED, error="in doubt after a crash")
        return 0
    file = row.payload["file"]
    channel = row.recipient
    if file.get("after"):
        with deps.uow() as uow:
            message = uow.jobs.queued(file["after"])
            state = (message.status, message.channel_id) if message is not None else None
        if state is not None and state[0] == OutboxStatus.FAILED:
            _mark(deps, row.id, OutboxStatus.FAILED, error="its message was refused")
            return 0
        if state is not None and state[0] != OutboxStatus.SENT:
            _mark(deps, row.id, OutboxStatus.PENDING)  # after its message, in a later pass
            return 0
        if state is not None and state[1]:
            channel = state[1]  # where the message landed (a fallback DM)
    try:
        file_id = files.stage(
            delivery.client, filename=file["filename"], content=base64.b64decode(file["content"])
        )
    except Exception:
        _mark(deps, row.id, OutboxStatus.PENDING)  # staging is invisible: try again
        raise
    try:
        delivery.pacer.wait(channel)
        files.share(delivery.client, file_id, channel=channel, title=file["title"])
    except SlackApiError as error:
        if not permanent(error):
            raise
        _mark(deps, row.id, OutboxStatus.FAILED, error=str(error.response.get("error")))
        return 0
    _mark(deps, row.id, OutboxStatus.SENT, channel_id=channel, ts=file_id)
    return 1
