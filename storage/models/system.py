"""Cross-cutting records: the audit log, scheduled job runs, processed Slack events, claimed
modal submissions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, ProjectRef
from storage.types import UTCDateTime


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), index=True
    )
    actor: Mapped[str] = mapped_column(String(32))  # a Slack user id, "system" or "anonymous"
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class JobRun(Base):
    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "project_id", "period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    project_id: Mapped[ProjectRef]
    period_key: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))  # running, done, failed, skipped
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    # Why a run sent nothing (or was skipped), as a translatable message (`bot.i18n.msg_to_json`).
    reason: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    # Who is running it ("clock:<id>" or "manual:<id>"): the active clock may take over a
    # run left `running` by a clock that died; a manual run's only after it went stale.
    holder: Mapped[str | None] = mapped_column(String(100))
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # its last sign of life


class ProcessedEvent(Base):
    """A Slack event id claimed for processing; Slack's retries of it are dropped.

    `finished_at` stays empty while the event is being handled: a claim left unfinished
    by a crashed process can be taken over by Slack's next retry, so nothing is lost.
    """

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ClaimedView(Base):
    """A submitted modal (Slack's view id and hash) whose records were saved.

    Written in the same transaction as those records, so a second submission of the same
    view (a double click, or Submit pressed again after Slack showed a timeout) saves
    nothing. Only the day is kept: the row must not order or time what it was saved with.
    """

    __tablename__ = "claimed_views"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    view_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    view_hash: Mapped[str] = mapped_column(String(128), primary_key=True)
    claimed_on: Mapped[dt.date] = mapped_column(Date, index=True)
