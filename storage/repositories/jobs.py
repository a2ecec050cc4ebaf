"""Job runs and their outbox: the records that make every scheduled message go out once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select, update

from storage.models import JobRun, OutboxMessage, OutboxStatus, Project, RunStatus
from storage.repositories.base import Repository


class JobRepository(Repository):
    def run(self, job: str, project_id: int, period_key: str) -> JobRun | None:
        return self.session.scalar(
            select(JobRun).where(
                JobRun.job == job, JobRun.project_id == project_id, JobRun.period_key == period_key
            )
        )

    def run_by_id(self, run_id: int) -> JobRun | None:
        return self.session.get(JobRun, run_id)

    def add_run(self, run: JobRun) -> None:
        self.session.add(run)

    def add_outbox(self, row: OutboxMessage) -> None:
        """Stage a run's outbox row (committed by the caller)."""
        self.session.add(row)

    def outbox_by_id(self, row_id: int) -> OutboxMessage | None:
        return self.session.get(OutboxMessage, row_id)

    def take_over(
        self, run: JobRun, *, holder: str, now: dt.datetime, attempts: int | None = None
    ) -> bool:
        """Make `holder` the runner of `run` if nobody changed it since it was read."""
        return self._set_if(
            JobRun,
            JobRun.id == run.id,
            JobRun.status == run.status,
            JobRun.holder == run.holder if run.holder is not None else JobRun.holder.is_(None),
            JobRun.attempts == run.attempts,
            status=RunStatus.RUNNING,
            holder=holder,
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
            attempts=run.attempts + 1 if attempts is None else attempts,
        )

    def settled_periods(
        self, job: str, project_ids: Iterable[int], since: dt.datetime
    ) -> dict[tuple[int, str], JobRun]:
        """Runs of `job` started since `since`, by (project id, period key)."""
        ids = list(project_ids)
        if not ids:
            return {}
        runs = self.session.scalars(
            select(JobRun).where(
                JobRun.job == job, JobRun.project_id.in_(ids), JobRun.started_at >= since
            )
        ).all()
        return {(r.project_id, r.period_key): r for r in runs}

    def outbox(self, run_id: int, recipient: str) -> OutboxMessage | None:
        return self.session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.run_id == run_id, OutboxMessage.recipient == recipient
            )
        )

    # -- queued messages (no run; see jobs/outbox.py) ---------------------------------
    def queued(self, key: str) -> OutboxMessage | None:
        return self.session.scalar(select(OutboxMessage).where(OutboxMessage.key == key[:160]))

    def enqueue(self, row: OutboxMessage) -> None:
        self.session.add(row)
        self.session.flush()  # a second row with this key fails here, in the caller's change

    def queued_due(
        self,
        project_id: int | None,
        stale_before: dt.datetime,
        limit: int,
        keys: list[str] | None = None,
    ) -> list[OutboxMessage]:
        """Queued rows to send: pending, or `sending` since before `stale_before` (their
        deliverer died), oldest first."""
        query = select(OutboxMessage).where(
            OutboxMessage.run_id.is_(None),
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
        )
        if project_id is not None:
            query = query.where(OutboxMessage.project_id == project_id)
        if keys is not None:
            query = query.where(OutboxMessage.key.in_(keys))
        rows = self.session.scalars(query.order_by(OutboxMessage.id).limit(limit)).all()
        return [
            r
            for r in rows
            if r.status == OutboxStatus.PENDING
            or (r.sent_at is not None and r.sent_at < stale_before)
        ]

    def claim_queued(
        self, row_id: int, status: str, sent_at: dt.datetime | None, now: dt.datetime
    ) -> bool:
        """Mark a queued row `sending` if nobody changed it since it was read (status and
        send start as read): True for the one deliverer that did."""
        same_start = (
            OutboxMessage.sent_at.is_(None) if sent_at is None else OutboxMessage.sent_at == sent_at
        )
        return self._set_if(
            OutboxMessage,
            OutboxMessage.id == row_id,
            OutboxMessage.status == status,
            same_start,
            status=OutboxStatus.SENDING,
            sent_at=now,
            tries=OutboxMessage.tries + 1,
        )

    def mark_queued(
        self,
        row_id: int,
        status: OutboxStatus,
        *,
        now: dt.datetime,
        channel_id: str | None = None,
        ts: str | None = None,
        error: str | None = None,
    ) -> None:
        values: dict[str, Any] = {"status": status, "error": error}
        if ts is not None:
            values.update(channel_id=channel_id, ts=ts, sent_at=now)
        if status == OutboxStatus.PENDING:
            values["sent_at"] = None
        self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    def rewrite_pending(self, key: str, payload: dict[str, Any]) -> bool:
        """Replace the payload of the queued row `key` if no deliverer has taken it yet."""
        return self._set_if(
            OutboxMessage,
            OutboxMessage.key == key[:160],
            OutboxMessage.status == OutboxStatus.PENDING,
            payload=payload,
        )

    def active_projects(self, code: str | None = None) -> list[Project]:
        """Projects not archived whose workspace has the app (in every workspace), optionally
        only those with `code` (one per workspace)."""
        query = select(Project).where(Project.archived.is_(False), Project.active.is_(True))
        if code is not None:
            query = query.where(Project.code == code)
        return list(self.session.scalars(query.order_by(Project.id)).all())

    def prune(self, finished_before: dt.datetime) -> int:
        """Delete settled runs (done, skipped) finished before the cut-off, with their outbox
        rows; the number of runs deleted. Runs that failed or are running are kept."""
        settled = select(JobRun.id).where(
            JobRun.status.in_([RunStatus.DONE, RunStatus.SKIPPED]),
            JobRun.finished_at < finished_before,
        )
        self.session.execute(delete(OutboxMessage).where(OutboxMessage.run_id.in_(settled)))
        self.session.execute(  # queued messages long sent or refused
            delete(OutboxMessage).where(
                OutboxMessage.run_id.is_(None),
                OutboxMessage.status.in_([OutboxStatus.SENT, OutboxStatus.FAILED]),
                OutboxMessage.created_at < finished_before,
            )
        )
        return self._changed(delete(JobRun).where(JobRun.id.in_(settled)))
