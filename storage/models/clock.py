"""The clock's own records: the outbox of messages each job run sends, and the clock lease."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
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
    """One message of one job run, written before it is sent and marked after.

    `key` travels with the message as Slack message metadata, so a row left `sending` by a
    crash can be looked up in the channel before it is sent again.
    """

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("run_id", "recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("job_runs.id", ondelete="CASCADE"), index=True)
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
