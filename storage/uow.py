"""The unit of work: one transaction, with the repositories that work inside it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import TracebackType
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage import submissions
from storage.models import AuditLog, ClaimedView
from storage.repositories import (
    EventRepository,
    ExportRepository,
    FeedbackRepository,
    FundControlRepository,
    FundsRepository,
    JobRepository,
    MeetingRepository,
    PayloadRepository,
    ProjectRepository,
    ReportRepository,
    RiskRepository,
    ScorecardRepository,
    SurveyRepository,
    WebhookRepository,
    WorkspaceRepository,
)
from storage.webhooks import webhook_event


class UnitOfWork:
    """`with uow: ...; uow.commit()` — anything not committed is rolled back on exit.

    `now` is the injected clock (`Deps.now`): whatever the transaction stamps and has no
    time of its own (audit rows, created-at columns) reads it, never the wall clock.
    """

    session: Session
    exports: ExportRepository
    projects: ProjectRepository
    feedback: FeedbackRepository
    reports: ReportRepository
    risks: RiskRepository
    surveys: SurveyRepository
    funds: FundsRepository
    control: FundControlRepository
    jobs: JobRepository
    meetings: MeetingRepository
    scorecards: ScorecardRepository
    payloads: PayloadRepository
    workspaces: WorkspaceRepository
    events: EventRepository
    webhooks: WebhookRepository

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        now: Callable[[], dt.datetime],
        webhooks: bool = False,
        seal_key: bytes = b"",
    ) -> None:
        self._session_factory = session_factory
        self.now = now
        self._webhooks = webhooks
        self.seal_key = seal_key  # for sealed anonymous answers (storage.sealing)

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.exports = ExportRepository(self.session)
        self.projects = ProjectRepository(self.session)
        self.feedback = FeedbackRepository(self.session)
        self.reports = ReportRepository(self.session)
        self.risks = RiskRepository(self.session)
        self.surveys = SurveyRepository(self.session)
        self.funds = FundsRepository(self.session)
        self.control = FundControlRepository(self.session)
        self.jobs = JobRepository(self.session)
        self.meetings = MeetingRepository(self.session)
        self.scorecards = ScorecardRepository(self.session)
        self.payloads = PayloadRepository(self.session)
        self.workspaces = WorkspaceRepository(self.session)
        self.events = EventRepository(self.session)
        self.webhooks = WebhookRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        """Commit; while a modal submission is handled, its first commit also claims the
        submitted view (same transaction) and raises `AlreadySubmitted`, saving nothing,
        when that view was saved before."""
        submission = submissions.current.get()
        if submission is None or submission.claimed:
            self.session.commit()
            return
        self.session.flush()
        self.session.add(
            ClaimedView(
                team_id=submission.team_id,
                view_id=submission.view_id,
                view_hash=submission.view_hash,
                claimed_on=submission.day,
            )
        )
        try:
            self.session.flush()
        except IntegrityError as error:
            self.session.rollback()
            raise submissions.AlreadySubmitted(submission.view_id) from error
        self.session.commit()
        submission.claimed = True

    def rollback(self) -> None:
        self.session.rollback()

    def flush(self) -> None:
        """Send what is staged to the database (ids assigned, constraints checked) without
        committing."""
        self.session.flush()

    def detach(self, *rows: object) -> None:
        """Keep `rows` readable after the unit of work ends (they are no longer tracked)."""
        for row in rows:
            self.session.expunge(row)

    def detach_all(self) -> None:
        """Keep everything loaded so far readable after the unit of work ends."""
        self.session.expunge_all()

    def audit(
        self,
        *,
        team_id: str,
        project_id: int | None,
        actor: str,
        action: str,
        entity: str,
        entity_id: object,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        at: dt.datetime | None = None,
    ) -> None:
        """Record a change in the audit log, in this transaction, at `at` (default: the unit
        of work's clock); with outbound webhooks configured, also queue the event
        `<entity>.<action>` for delivery (same transaction), due at once."""
        entry = AuditLog(
            team_id=team_id,
            project_id=project_id,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=before,
            after=after,
            at=at or self.now(),
        )
        self.session.add(entry)
        if self._webhooks:
            self.session.add(webhook_event(entry))
