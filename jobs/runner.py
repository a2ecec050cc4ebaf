"""Running one job for one project and period, exactly once.

The run is claimed in `job_runs` (unique on job, project, period). Each message goes
through `RunContext.post`: its outbox row is written before the send (`sending`) and marked
after it (`sent`). A resumed run skips what was sent, sends what was never tried, and looks
a row left `sending` by a crash up in Slack by its metadata key before sending it again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError

from bot.deps import Deps
from bot.i18n import Msg, _, msg_from_json, msg_to_json
from handlers import files
from jobs.delivery import Delivery, Pacer, Posted, oldest_for, permanent
from jobs.registry import JobKind
from jobs.run_context import MessageFailed, Outcome, RunContext, RunResult
from storage.models import JobRun, OutboxMessage, OutboxStatus, RunStatus

__all__ = ["MessageFailed", "Outcome", "RunContext", "RunResult", "Runner"]

log = logging.getLogger("icrm.clock")

# A `running` run shows a heartbeat at each message. The active clock takes over another
# clock's run silent this long (that clock died: a send with all its retries is shorter);
# anybody takes over any run silent for STALE_AFTER (a manual `jobs run` may be slow).
SILENT_AFTER = dt.timedelta(minutes=2)
STALE_AFTER = dt.timedelta(minutes=15)

# Separates a recipient from a message's slot (or a file's name) in `outbox.recipient`.
SLOT = "/"


def _channel(recipient: str) -> str:
    return recipient.split(SLOT, 1)[0]


NOTHING = _("Nothing to send for {period}.")
BUSY = _("Already running elsewhere for {period}; try again in a few minutes.")


def _of_period(message: Msg, period_key: str) -> Msg:
    """`message` (`NOTHING`, `BUSY`, a kind's `idle` or `already`) said of `period_key`."""
    return replace(message, params={**message.params, "period": period_key})


class Runner:
    """Runs job kinds as `holder`; `active_clock` tells whether we hold the clock lock."""

    def __init__(
        self,
        deps: Deps,
        delivery: Delivery,
        *,
        holder: str,
        active_clock: Callable[[], bool] = lambda: False,
    ) -> None:
        self.deps = deps
        self.delivery = delivery
        self.holder = holder
        self.active_clock = active_clock
        # Test seams: called with the outbox key right before and right after a send.
        self.before_send: Callable[[str], None] | None = None
        self.after_send: Callable[[str], None] | None = None
        self._pacers: dict[str, Pacer] = {}

    def delivery_for(self, project_id: int) -> Delivery:
        """Single-workspace mode: our one delivery. OAuth mode: one with the bot token of the
        project's workspace (refreshed when it rotates) and that workspace's own pacing.
        Raises `NotInstalled` when the workspace has no installation."""
        if not self.deps.settings.oauth:
            return self.delivery
        with self.deps.uow() as uow:
            project = uow.projects.by_id(project_id)
            assert project is not None
            team_id, enterprise_id = project.team_id, project.enterprise_id
        client = self.deps.client_for(team_id, enterprise_id)
        pacer = self._pacers.get(team_id)
        if pacer is None:
            pacer = self._pacers[team_id] = self.delivery.pacer.sibling()
        return Delivery(client, pacer)

    # -- a run --------------------------------------------------------------------
    def run(
        self,
        kind: JobKind,
        project_id: int,
        due: dt.datetime,
        period_key: str,
        *,
        at: dt.datetime | None = None,
    ) -> RunResult:
        """Run `kind` for the period `period_key` unless it is done or running elsewhere
        (`at`: a manual run's instant, see `RunContext.at`)."""
        result = RunResult(kind.name, project_id, period_key, Outcome.DONE)
        result.locale = self._locale(project_id)
        if kind.has_work is not None and not self._has_work(kind, project_id, due):
            # Nothing to do: nothing recorded either (a later run of the period may have work).
            result.reason = _of_period(kind.idle, period_key)
            return result
        run = self._claim(kind.name, project_id, period_key, result)
        if run is None:
            if result.reason is None:
                why = kind.already if result.outcome == Outcome.ALREADY else BUSY
                result.reason = _of_period(why, period_key)
            return result
        ctx = RunContext(self.deps, kind, project_id, period_key, due, run.id, self, at)
        try:
            ctx.delivery = self.delivery_for(project_id)
            reason = kind.run(ctx)
            if ctx.failures:
                raise MessageFailed("; ".join(ctx.failures))
        except Exception as error:
            log.exception("%s for project %s (%s) failed", kind.name, project_id, period_key)
            result.outcome, result.error = Outcome.FAILED, f"{type(error).__name__}: {error}"
            self._finish(run.id, RunStatus.FAILED, result.error[:2000])
        else:
            if reason is None and ctx.sent == 0 and ctx.delivered == 0:
                reason = _of_period(NOTHING, period_key)
            result.reason = reason
            self._finish(run.id, RunStatus.DONE, None, reason)
            if reason is not None:
                log.info(
                    "%s for project %s (%s): nothing sent: %s",
                    kind.name,
                    project_id,
                    period_key,
                    result.explain(),  # the project's language, as jobs run shows it
                )
            else:
                log.info(
                    "%s for project %s (%s): %d sent", kind.name, project_id, period_key, ctx.sent
                )
        result.sent = ctx.sent
        return result

    def _has_work(self, kind: JobKind, project_id: int, due: dt.datetime) -> bool:
        assert kind.has_work is not None
        with self.deps.uow() as uow:
            return kind.has_work(uow, project_id, due)

    def _locale(self, project_id: int) -> str:
        with self.deps.uow() as uow:
            project = uow.projects.by_id(project_id)
            return project.locale if project is not None else "en"

    def skip(
        self,
        kind: JobKind,
        project_id: int,
        period_key: str,
        reason: str,
        *,
        why: Msg | None = None,
    ) -> bool:
        """Record a period as skipped (once), with `why` in words; True if this call
        recorded it."""
        with self.deps.uow() as uow:
            if uow.jobs.run(kind.name, project_id, period_key) is not None:
                return False
            now = self.deps.now()
            uow.jobs.add_run(
                self._new_run(
                    kind.name,
                    project_id,
                    period_key,
                    status=RunStatus.SKIPPED,
                    started_at=now,
                    finished_at=now,
                    error=reason,
                    reason=msg_to_json(why) if why is not None else None,
                    attempts=0,
                )
            )
            try:
                uow.commit()
            except IntegrityError:
                return False
        return True

    def _new_run(self, job: str, project_id: int, key: str, **columns: Any) -> JobRun:
        """A `job_runs` row of this runner for the period `key` (`columns`: the rest)."""
        return JobRun(job=job, project_id=project_id, period_key=key, holder=self.holder, **columns)

    def _claim(self, job: str, project_id: int, key: str, result: RunResult) -> JobRun | None:
        now = self.deps.now()
        with self.deps.uow() as uow:
            run = uow.jobs.run(job, project_id, key)
            if run is None:
                run = self._new_run(
                    job,
                    project_id,
                    key,
                    status=RunStatus.RUNNING,
                    started_at=now,
                    heartbeat_at=now,
                    attempts=1,
                )
                uow.jobs.add_run(run)
                try:
                    uow.commit()
                    return run
                except IntegrityError:
                    uow.rollback()
                    run = uow.jobs.run(job, project_id, key)
                    if run is None:
                        raise
            if run.status in (RunStatus.DONE, RunStatus.SKIPPED):
                result.outcome = Outcome.ALREADY
                if run.reason is not None:  # it sent nothing then, and said why
                    result.reason = msg_from_json(run.reason)
                return None
            if run.status == RunStatus.RUNNING and not self._may_take_over(run, now):
                result.outcome = Outcome.BUSY
                return None
            if not uow.jobs.take_over(run, holder=self.holder, now=now):
                result.outcome = Outcome.BUSY
                return None
            uow.commit()
            if run.status == RunStatus.RUNNING:
                log.warning(
                    "%s for project %s (%s): resuming after %s", job, project_id, key, run.holder
                )
            return uow.jobs.run_by_id(run.id)

    def _may_take_over(self, run: JobRun, now: dt.datetime) -> bool:
        if run.holder == self.holder:
            return False  # ours, in another thread of this process
        silent = now - (run.heartbeat_at or run.started_at)
        # Only one clock is active: another clock's run that went silent died with it.
        if self.active_clock() and (run.holder or "").startswith("clock:"):
            return silent > SILENT_AFTER
        return silent > STALE_AFTER

    def _finish(
        self, run_id: int, status: RunStatus, error: str | None, reason: Msg | None = None
    ) -> None:
        with self.deps.uow() as uow:
            run = uow.jobs.run_by_id(run_id)
            assert run is not None
            run.status, run.error, run.finished_at = status, error, self.deps.now()
            run.reason = msg_to_json(reason) if reason is not None else None
            uow.commit()

    # -- a message ----------------------------------------------------------------
    def deliver(
        self,
        ctx: RunContext,
        recipient: str,
        text: str,
        blocks: list[Any],
        *,
        slot: str | None = None,
    ) -> str | None:
        slotted = f"{recipient}{SLOT}{slot}" if slot else recipient
        key = f"{ctx.kind.name}:{ctx.project_id}:{ctx.period_key}:{slotted}"[:160]
        row = self._outbox_row(ctx.run_id, slotted, key)
        if row.status == OutboxStatus.SENT:
            ctx.delivered += 1
            return row.ts
        delivery = ctx.delivery or self.delivery
        if row.status == OutboxStatus.SENDING:
            found = self._find(delivery, row)
            if found is not None:
                return self._sent(ctx, row.id, found.channel_id, found.ts)
        self._mark(row.id, OutboxStatus.SENDING, tried=True)
        if self.before_send:
            self.before_send(key)
        oldest = oldest_for(self.deps.now())
        try:
            posted = delivery.post_once(recipient, key, text, blocks, oldest=oldest)
        except SlackApiError as error:
            if not permanent(error):
                raise  # the row stays `sending`; the next attempt looks it up
            self._refused(ctx, row.id, recipient, error)
            return None
        if self.after_send:
            self.after_send(key)
        return self._sent(ctx, row.id, posted.channel_id, posted.ts)

    def upload(
        self,
        ctx: RunContext,
        channel: str,
        filename: str,
        title: str,
        content: bytes,
        comment: str | None,
        thread_ts: str | None,
    ) -> str | None:
        recipient = f"{channel}{SLOT}{filename}"[:64]
        key = f"{ctx.kind.name}:{ctx.project_id}:{ctx.period_key}:{recipient}"[:160]
        row = self._outbox_row(ctx.run_id, recipient, key)
        if row.status == OutboxStatus.SENT:
            ctx.delivered += 1
            return row.ts
        if row.status in (OutboxStatus.SENDING, OutboxStatus.FAILED):
            # A share that may have happened is not repeated: at most one copy of the file.
            log.warning("%s: file %s in doubt or refused; not shared again", key, filename)
            return None
        client = ctx.client
        try:
            # Staging is invisible and safe to repeat; only the share must happen once.
            file_id = files.stage(client, filename=filename, content=content)
            self._mark(row.id, OutboxStatus.SENDING, tried=True)
            if self.before_send:
                self.before_send(key)
            files.share(
                client,
                file_id,
                channel=channel,
                title=title,
                comment=comment,
                thread_ts=thread_ts,
            )
        except SlackApiError as error:
            if not permanent(error):
                raise
            self._refused(ctx, row.id, recipient, error)
            return None
        if self.after_send:
            self.after_send(key)
        return self._sent(ctx, row.id, channel, file_id)

    def _sent(self, ctx: RunContext, row_id: int, channel_id: str, ts: str) -> str:
        """Mark the row sent (where it landed) and count it for the run; its `ts`."""
        self._mark(row_id, OutboxStatus.SENT, channel_id=channel_id, ts=ts)
        ctx.sent += 1
        ctx.delivered += 1
        return ts

    def _refused(self, ctx: RunContext, row_id: int, recipient: str, error: SlackApiError) -> None:
        """Slack refused the send for good: the row is `failed`, and the run says to whom."""
        code = str(error.response.get("error"))
        self._mark(row_id, OutboxStatus.FAILED, error=code)
        ctx.failures.append(f"{recipient}: {code}")

    def _outbox_row(self, run_id: int, recipient: str, key: str) -> OutboxMessage:
        with self.deps.uow() as uow:
            row = uow.jobs.outbox(run_id, recipient)
            if row is None:
                row = OutboxMessage(run_id=run_id, recipient=recipient, key=key, tries=0)
                uow.jobs.add_outbox(row)
                uow.commit()
            uow.detach(row)
            return row

    def _find(self, delivery: Delivery, row: OutboxMessage) -> Posted | None:
        oldest = oldest_for(row.sent_at or self.deps.now())
        return delivery.lookup(_channel(row.recipient), row.key, oldest=oldest)

    def _mark(
        self,
        row_id: int,
        status: OutboxStatus,
        *,
        channel_id: str | None = None,
        ts: str | None = None,
        error: str | None = None,
        tried: bool = False,
    ) -> None:
        with self.deps.uow() as uow:
            row = uow.jobs.outbox_by_id(row_id)
            assert row is not None
            run = uow.jobs.run_by_id(row.run_id) if row.run_id is not None else None
            if run is not None:
                run.heartbeat_at = self.deps.now()
            row.status, row.error = status, error
            if tried:
                row.tries += 1
                row.sent_at = self.deps.now()  # when the send started, until it is sent
            if ts is not None:
                row.channel_id, row.ts, row.sent_at = channel_id, ts, self.deps.now()
            uow.commit()
