"""The clock: APScheduler with one job per (job kind, project), in the project's timezone.

`Clock.start()` waits for the clock lock (jobs/lock.py), then keeps the scheduler in step
with the database: every `reconcile_every` seconds it diffs the jobs wanted (each
registered kind × each active project, with the trigger computed from the project now)
against the jobs scheduled, so a changed meeting time takes effect within a minute, and it
catches up any period whose fire time passed without a finished run (downtime, a crash, a
failed send) if it is younger than the grace window, or records it as skipped if older.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from apscheduler.executors.pool import ThreadPoolExecutor as SchedulerPool
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient

from bot.deps import Deps
from bot.i18n import _
from bot.slack import make_web_client
from jobs import load_all, outbox_pass
from jobs.delivery import Delivery, Pacer
from jobs.lock import ClockLock, make_lock
from jobs.registry import REGISTRY, JobKind, last_fire, trigger_of
from jobs.runner import Outcome, Runner, RunResult
from jobs.webhooks import INTERVAL_SECONDS as WEBHOOK_INTERVAL
from jobs.webhooks import webhook_round
from storage.models import JobRun, Project, RunStatus

log = logging.getLogger("icrm.clock")

GRACE = dt.timedelta(hours=6)
RECONCILE_JOB = "reconcile"
WEBHOOK_JOB = "webhooks"
OUTBOX_JOB = "outbox"
HOUSEKEEPING = (RECONCILE_JOB, WEBHOOK_JOB, OUTBOX_JOB)
# Settled runs older than this (and queued outbox rows sent or refused before it) are
# deleted once a day: far beyond any kind's look-back and the catch-up grace, so the
# exactly-once check never needs them.
RETENTION = dt.timedelta(days=90)


def make_pacer(deps: Deps) -> Pacer:
    settings = deps.settings
    return Pacer(
        channel_rate=settings.slack_channel_rate,
        workspace_rate=settings.slack_workspace_rate,
        workspace_burst=max(1, int(settings.slack_workspace_rate)),
    )


def make_delivery(
    deps: Deps, client: WebClient | None = None, pacer: Pacer | None = None
) -> Delivery:
    """The clock's delivery: `client` (default: the configured bot token's) paced by `pacer`
    (default: the settings' rates)."""
    return Delivery(
        client or make_web_client(deps.settings, sleep=deps.sleep), pacer or make_pacer(deps)
    )


@dataclass(frozen=True)
class Due:
    """A period whose fire time has passed: run it (or skip it, past the grace window)."""

    kind: JobKind
    project_id: int
    project_code: str
    due: dt.datetime
    period_key: str


def job_id(kind: str, project_id: int) -> str:
    return f"{kind}:{project_id}"


class Clock:
    """The scheduler process's heart; `start()` returns at once, `stop()` ends it."""

    def __init__(
        self,
        deps: Deps,
        *,
        client: WebClient | None = None,
        kinds: Mapping[str, JobKind] | None = None,
        lock: ClockLock | None = None,
        pacer: Pacer | None = None,
        grace: dt.timedelta = GRACE,
        reconcile_every: float = 30.0,
        lock_poll: float = 10.0,
        workers: int = 8,
    ) -> None:
        load_all()
        # APScheduler logs every run of the reconcile job at INFO: keep its warnings only.
        logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
        self.deps = deps
        self.kinds = kinds if kinds is not None else REGISTRY
        self.holder = f"clock:{uuid.uuid4().hex[:12]}"
        self.lock = lock or make_lock(deps.engine, deps.session_factory, self.holder, deps.now)
        self.grace = grace
        self._pruned_at: dt.datetime | None = None
        self.reconcile_every = reconcile_every
        self.lock_poll = lock_poll
        self.workers = workers
        self.active = False
        self.runner = Runner(
            deps,
            make_delivery(deps, client, pacer),
            holder=self.holder,
            active_clock=lambda: self.active,
        )
        self.scheduler = BackgroundScheduler(
            timezone=dt.UTC,
            executors={"default": SchedulerPool(workers)},
            job_defaults={
                "coalesce": True,  # many missed fires of one job run once
                "max_instances": 1,
                "misfire_grace_time": int(grace.total_seconds()),
            },
        )
        self._stop = threading.Event()
        self._idle = threading.Condition()
        self._busy = 0
        self._thread: threading.Thread | None = None

    # -- life cycle ---------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._hold_lock, name="icrm-clock", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop firing, let the runs under way finish, then give the lock up."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        was_active, self.active = self.active, False
        if self.scheduler.running:
            self.scheduler.pause()
        with self._idle:
            # APScheduler's shutdown(wait=True) holds its job store lock while it waits for
            # the workers, and a reconcile under way needs that lock: wait for them here.
            self._idle.wait_for(lambda: self._busy == 0)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if was_active:
            self.lock.release()

    @contextlib.contextmanager
    def _working(self) -> Iterator[None]:
        with self._idle:
            self._busy += 1
        try:
            yield
        finally:
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    def _hold_lock(self) -> None:
        waiting_logged = False
        while not self._stop.is_set():
            try:
                if not self.active:
                    if self.lock.acquire():
                        self._activate()
                    elif not waiting_logged:
                        log.info("another clock is active; %s waits", self.holder)
                        waiting_logged = True
                elif not self.lock.renew():
                    self._deactivate()
            except Exception:
                log.exception("clock lock check failed")
            self._stop.wait(self.lock_poll)

    def _activate(self) -> None:
        log.info("%s is the active clock (%d job kinds)", self.holder, len(self.kinds))
        self.active = True
        if not self.scheduler.running:
            self.scheduler.start()
        # When APScheduler wakes up is its own affair, on its own (wall) clock; what is
        # due, and every stamp, comes from `deps.now`.
        wake = dt.datetime.now(dt.UTC)
        self._every(self.reconcile_every, self.reconcile, RECONCILE_JOB, next_run_time=wake)
        self._every(
            outbox_pass.INTERVAL_SECONDS, self.deliver_queued, OUTBOX_JOB, next_run_time=wake
        )
        deliver = webhook_round(self.deps)
        if deliver is not None:  # outbound webhooks, when ICRM_WEBHOOK_URL is set
            self._every(WEBHOOK_INTERVAL, deliver, WEBHOOK_JOB)

    def _every(
        self, seconds: float, job: Callable[[], object], job_id: str, **first: dt.datetime
    ) -> None:
        """Run `job` every `seconds` under `job_id` (replacing the job of that id); `first`:
        APScheduler's `next_run_time`, when the first run is not one interval away."""
        self.scheduler.add_job(
            job, IntervalTrigger(seconds=seconds), id=job_id, replace_existing=True, **first
        )

    def _deactivate(self) -> None:
        log.warning("%s lost the clock lock; waiting to get it back", self.holder)
        self.active = False
        self.scheduler.remove_all_jobs()

    def deliver_queued(self) -> int:
        """A pass over the queued outbox (`jobs/outbox.py`): sends what a request's process
        queued but did not send (it died, or its pool was full); how many were sent."""
        with self._working():
            if not self.active:
                return 0
            return outbox_pass.deliver(self.deps, delivery_of=self.runner.delivery_for)

    # -- keeping the schedule in step with the database ---------------------------
    def wanted(self) -> dict[str, tuple[JobKind, Project, BaseTrigger]]:
        """Every (kind, active project) with its trigger, by scheduler job id."""
        found = {}
        with self.deps.uow() as uow:
            projects = uow.jobs.active_projects()
            for kind in self.kinds.values():
                for project in projects:
                    trigger = trigger_of(kind, project, uow)
                    if trigger is not None:
                        found[job_id(kind.name, project.id)] = (kind, project, trigger)
            uow.detach_all()  # read after the unit of work ends
        return found

    def reconcile(self) -> None:
        """Add, change and remove scheduled jobs to match the database; then catch up."""
        with self._working():
            if self.active:
                self._reconcile()

    def _reconcile(self) -> None:
        wanted = self.wanted()
        scheduled = {j.id: j for j in self.scheduler.get_jobs() if j.id not in HOUSEKEEPING}
        for jid in scheduled.keys() - wanted.keys():
            self.scheduler.remove_job(jid)
            log.info("unscheduled %s", jid)
        for jid, (kind, project, trigger) in wanted.items():
            current = scheduled.get(jid)
            if current is not None and repr(current.trigger) == repr(trigger):
                continue
            self.scheduler.add_job(
                self.fire,
                trigger,
                args=(kind.name, project.id),
                id=jid,
                name=f"{kind.name} {project.code}",
                replace_existing=True,
            )
            log.info("%s %s: %r", "rescheduled" if current else "scheduled", jid, trigger)
        self.catch_up()
        self.prune()

    def prune(self) -> int:
        """Delete settled runs older than `RETENTION`, at most once a day; how many."""
        now = self.deps.now()
        if self._pruned_at is not None and now - self._pruned_at < dt.timedelta(days=1):
            return 0
        with self.deps.uow() as uow:
            deleted = uow.jobs.prune(now - RETENTION)
            uow.commit()
        self._pruned_at = now
        if deleted:
            log.info("pruned %d settled job runs older than %s", deleted, RETENTION)
        return deleted

    def fire(self, kind_name: str, project_id: int) -> RunResult | None:
        """APScheduler's entry: run the period that has just come due."""
        with self._working():
            for due in self.due(only=(kind_name, project_id)) if self.active else []:
                return self._run_or_skip(due)
        return None

    # -- catching up --------------------------------------------------------------
    def due(self, *, only: tuple[str, int] | None = None) -> list[Due]:
        """Periods whose fire time has passed (within each kind's lookback) unfinished."""
        return list(self._due(only))

    def _due(self, only: tuple[str, int] | None) -> Iterator[Due]:
        now = self.deps.now()
        with self.deps.uow() as uow:
            projects = uow.jobs.active_projects()
            for kind in self.kinds.values():
                if only and kind.name != only[0]:
                    continue
                chosen = [p for p in projects if not only or p.id == only[1]]
                runs = uow.jobs.settled_periods(
                    kind.name, [p.id for p in chosen], now - kind.lookback - self.grace
                )
                for project in chosen:
                    trigger = trigger_of(kind, project, uow)
                    fire = last_fire(trigger, now, kind.lookback) if trigger else None
                    if fire is None or fire < project.created_at:
                        continue
                    key = kind.period_key(project, fire)
                    if self._settled(runs.get((project.id, key)), now):
                        continue
                    if kind.has_work is not None and not kind.has_work(uow, project.id, fire):
                        continue  # nothing to do this period: no run, no row
                    yield Due(kind, project.id, project.code, fire, key)

    def _settled(self, run: JobRun | None, now: dt.datetime) -> bool:
        if run is None:
            return False
        if run.status in (RunStatus.DONE, RunStatus.SKIPPED):
            return True
        if run.status == RunStatus.RUNNING:
            return run.holder == self.holder  # ours and still going
        # Failed: try again, backing off (1, 2, 4 … up to 30 minutes between attempts).
        wait = dt.timedelta(minutes=min(2 ** max(run.attempts - 1, 0), 30))
        return run.finished_at is not None and now - run.finished_at < wait

    def catch_up(self) -> list[RunResult]:
        """Run every due period (several projects at once); skip those past the grace."""
        dues = self.due()
        if not dues:
            return []
        with ThreadPoolExecutor(self.workers, thread_name_prefix="icrm-job") as pool:
            return list(pool.map(self._run_or_skip, dues))

    def _run_or_skip(self, due: Due) -> RunResult:
        late = self.deps.now() - due.due
        grace = due.kind.grace or self.grace
        if late > grace:
            why = _(
                "Missed by {late}, past the {grace} catch-up window: skipped.",
                late=str(late).split(".")[0],
                grace=str(grace),
            )
            if self.runner.skip(
                due.kind, due.project_id, due.period_key, f"missed by {late}", why=why
            ):
                log.warning(
                    "%s for %s (%s) skipped: missed by %s, past the %s grace window",
                    due.kind.name,
                    due.project_code,
                    due.period_key,
                    late,
                    grace,
                )
            skipped = RunResult(due.kind.name, due.project_id, due.period_key, Outcome.SKIPPED)
            skipped.reason = why
            return skipped
        try:
            return self.runner.run(due.kind, due.project_id, due.due, due.period_key)
        except Exception as error:  # one project's failure never stops the others
            log.exception("%s for %s failed", due.kind.name, due.project_code)
            return RunResult(
                due.kind.name, due.project_id, due.period_key, Outcome.FAILED, error=str(error)
            )
