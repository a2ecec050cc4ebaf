"""The clock's own records: the outbox of every message the bot sends on its own initiative
(a job run's, or one enqueued with a business change), and the clock lease."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UTCDateTime


class RunStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"


class OutboxStatus(StrEnum):
    PENDING = "pending"  # planned, never tried
    SENDING = "sending"  # a send was started: it may or may not have reached Slack
    SENT = "sent"
    FAILED = "failed"  # Slack refused it for good (channel gone…)


class OutboxMessage(Base):
    """One message, written before it is sent and marked after.

    Either one message of a job run (`run_id`; the run re-computes its content), or a queued
    message (`run_id` empty) written in the same transaction as the change it tells about,
    with its content in `payload`, and sent by the next deliverer pass (`jobs/outbox.py`).
    `key` (unique: it names the business event, e.g. `survey:12:invite:U1`) travels with the
    message as Slack message metadata, so a row left `sending` by a crash can be looked up in
    the channel before it is sent again.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("run_id", "recipient"),
        Index("ix_outbox_queued", "status", "project_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("job_runs.id", ondelete="CASCADE"), index=True
    )
    # Queued messages: the project (whose workspace token sends it), what kind of message,
    # its content ({"text", "blocks", "fallback_user", "fallback_text", "fallback_blocks"}
    # or a file: {"file": {"filename", "title", "content" (base64)}}) and when it was queued.
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    kind: Mapped[str | None] = mapped_column(String(40))
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    recipient: Mapped[str] = mapped_column(String(64))  # a channel id or a user id (a DM)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=OutboxStatus.PENDING)
    channel_id: Mapped[str | None] = mapped_column(String(32))  # where it landed
    ts: Mapped[str | None] = mapped_column(String(32))
    tries: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ClockLease(Base):
    """Who runs the clock, on databases without advisory locks (SQLite).

    The holder renews `expires_at` well before it passes; a waiting clock takes the row
    over once it has passed, so a dead clock is replaced within one lease.
    """

    __tablename__ = "clock_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    renewed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
