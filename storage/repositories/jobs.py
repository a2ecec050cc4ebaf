"""Job runs and their outbox: the records that make every scheduled message go out once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.orm import Session

from storage.models import JobRun, OutboxMessage, Project, RunStatus


class JobRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def run(self, job: str, project_id: int, period_key: str) -> JobRun | None:
        return self.session.scalar(
            select(JobRun).where(
                JobRun.job == job, JobRun.project_id == project_id, JobRun.period_key == period_key
            )
        )

    def run_by_id(self, run_id: int) -> JobRun | None:
        return self.session.get(JobRun, run_id)

    def take_over(
        self, run: JobRun, *, holder: str, now: dt.datetime, attempts: int | None = None
    ) -> bool:
        """Make `holder` the runner of `run` if nobody changed it since it was read."""
        result = self.session.execute(
            update(JobRun)
            .where(
                JobRun.id == run.id,
                JobRun.status == run.status,
                JobRun.holder == run.holder if run.holder is not None else JobRun.holder.is_(None),
                JobRun.attempts == run.attempts,
            )
            .values(
                status=RunStatus.RUNNING,
                holder=holder,
                started_at=now,
                heartbeat_at=now,
                finished_at=None,
                attempts=run.attempts + 1 if attempts is None else attempts,
            )
            .execution_options(synchronize_session=False)
        )
        assert isinstance(result, CursorResult)
        return result.rowcount == 1

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

    def outbox_of(self, run_id: int) -> list[OutboxMessage]:
        return list(
            self.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.run_id == run_id)
                .order_by(OutboxMessage.id)
            ).all()
        )

    def active_projects(self) -> list[Project]:
        return list(
            self.session.scalars(
                select(Project)
                .where(Project.archived.is_(False), Project.active.is_(True))
                .order_by(Project.id)
            ).all()
        )

    def prune(self, finished_before: dt.datetime) -> int:
        """Delete settled runs (done, skipped) finished before the cut-off, with their outbox
        rows; the number of runs deleted. Runs that failed or are running are kept."""
        settled = select(JobRun.id).where(
            JobRun.status.in_([RunStatus.DONE, RunStatus.SKIPPED]),
            JobRun.finished_at < finished_before,
        )
        self.session.execute(delete(OutboxMessage).where(OutboxMessage.run_id.in_(settled)))
        result: CursorResult[Any] = self.session.execute(  # type: ignore[assignment]
            delete(JobRun).where(JobRun.id.in_(settled))
        )
        return int(result.rowcount or 0)
