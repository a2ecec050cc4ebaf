"""Job kinds: what each scheduled job is, registered by its domain, read by the clock.

A domain adds a job by calling `register(JobKind(...))` in its `jobs/<name>.py` and listing
that module in `jobs/__init__.py:MODULES`; the scheduler core never changes. A kind says
*when* (an APScheduler trigger computed from the project, in the project's timezone),
*which period* a fire time belongs to (the `job_runs` key), and *what* to do (`run`, which
sends through `RunContext.post` so every message is delivered exactly once, and returns why
when it sends nothing: a `Msg` kept on the run and shown translated by `jobs run`, the
sandbox and the log).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from bot.i18n import Msg, _
from bot.periods import project_today
from storage.models import Project

if TYPE_CHECKING:
    from jobs.runner import RunContext
    from storage.uow import UnitOfWork


def _default_period(project: Project, due: dt.datetime) -> str:
    """The fire time itself, in the project's time: `2026-12-07T09:00`."""
    return due.astimezone(ZoneInfo(project.timezone)).strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class JobKind:
    """One kind of scheduled job; the clock runs it once per project and period."""

    name: str
    describe: str
    # When, for this project (None: the project has no such job, e.g. a feature turned off).
    trigger: Callable[[Project], BaseTrigger | None]
    # What: one period's work for one project; posts only through `ctx.post`. Returns None
    # when it posted, else why it posted nothing ("no reports were due", …).
    run: Callable[[RunContext], Msg | None]
    # The `job_runs` period key of a fire time (default: the fire time in project time).
    period_key: Callable[[Project, dt.datetime], str] = field(default=_default_period)
    # How far back to look for the fire time a run belongs to: at least one period.
    lookback: dt.timedelta = dt.timedelta(days=35)
    # Why a second run of a period sends nothing (`{period}` is the period key).
    already: Msg = field(
        default_factory=lambda: _("Already run for {period}: nothing is posted twice.")
    )
    # Fire times read from the database instead of `trigger` (a survey's open, reminder and
    # close times): the clock schedules a `TimesTrigger` of them, re-read at each reconcile.
    fire_times: Callable[[UnitOfWork, Project], list[dt.datetime]] | None = None
    # Whether the period due at a fire time has work (project id, fire time): a period
    # without is neither run nor recorded (no `job_runs` row for an empty hour).
    has_work: Callable[[UnitOfWork, int, dt.datetime], bool] | None = None
    # How late a period may still be caught up (None: the clock's grace window).
    grace: dt.timedelta | None = None
    # Why `jobs run` runs nothing when no fire time is due yet (None: a generic "not due").
    not_due: Msg | None = None
    # Why nothing was run when `has_work` said no.
    idle: Msg = field(default_factory=lambda: _("Nothing to do for {period}."))


class TimesTrigger(BaseTrigger):  # type: ignore[misc]
    """Fires at each of a fixed set of instants (UTC), then never again."""

    def __init__(self, times: list[dt.datetime]) -> None:
        self.times = tuple(sorted({t.astimezone(dt.UTC) for t in times}))

    def get_next_fire_time(
        self, previous_fire_time: dt.datetime | None, now: dt.datetime
    ) -> dt.datetime | None:
        after = now if previous_fire_time is None else max(now, previous_fire_time)
        for time in self.times:
            if time >= after and (previous_fire_time is None or time > previous_fire_time):
                return time
        return None

    def __repr__(self) -> str:
        return f"TimesTrigger({', '.join(t.isoformat() for t in self.times)})"


def trigger_of(kind: JobKind, project: Project, uow: UnitOfWork) -> BaseTrigger | None:
    """The kind's trigger for the project: from the database for a `fire_times` kind (None
    when it has no time to fire at), else `kind.trigger(project)`."""
    if kind.fire_times is None:
        return kind.trigger(project)
    times = kind.fire_times(uow, project)
    return TimesTrigger(times) if times else None


REGISTRY: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    """Add a job kind (its name must be new)."""
    if kind.name in REGISTRY:
        raise ValueError(f"job kind {kind.name!r} is registered twice")
    REGISTRY[kind.name] = kind
    return kind


def daily(at: dt.time) -> Callable[[Project], BaseTrigger]:
    """A trigger for every day at `at`, in project time."""

    def trigger(project: Project) -> BaseTrigger:
        return CronTrigger(hour=at.hour, minute=at.minute, timezone=ZoneInfo(project.timezone))

    return trigger


def local_date(project: Project, due: dt.datetime) -> str:
    """A daily kind's period key: the date of the fire time in project time, `2026-12-07`."""
    return project_today(project, due).isoformat()


def daily_kind(
    name: str, describe: str, at: dt.time, run: Callable[[RunContext], Msg | None], **more: Any
) -> JobKind:
    """A kind run once a day at `at` (project time), its period the local date, caught up
    for two days; `more`: its other `JobKind` fields."""
    return JobKind(
        name=name,
        describe=describe,
        trigger=daily(at),
        run=run,
        period_key=local_date,
        lookback=dt.timedelta(days=2),
        **more,
    )


def weekly(project: Project, weekday: int, at: dt.time, *, minus_minutes: int = 0) -> CronTrigger:
    """Every week on `weekday` (0 = Monday) at `at` − `minus_minutes`, in project time.

    The subtraction is done on the wall clock, across midnight if need be (a 00:30 Monday
    meeting with a 60-minute lead is reminded on Sunday at 23:30), so DST never moves it.
    """
    minutes = (weekday * 24 * 60 + at.hour * 60 + at.minute - minus_minutes) % (7 * 24 * 60)
    day, rest = divmod(minutes, 24 * 60)
    return CronTrigger(
        day_of_week=day,
        hour=rest // 60,
        minute=rest % 60,
        timezone=ZoneInfo(project.timezone),
    )


def last_fire(trigger: BaseTrigger, at: dt.datetime, lookback: dt.timedelta) -> dt.datetime | None:
    """The latest fire time of `trigger` at or before `at` (within `lookback`), in UTC."""
    last = None
    fire = trigger.get_next_fire_time(None, at - lookback)
    while fire is not None and fire <= at:
        last = fire
        fire = trigger.get_next_fire_time(fire, fire + dt.timedelta(seconds=1))
    return last.astimezone(dt.UTC) if last is not None else None


def next_fire(trigger: BaseTrigger, after: dt.datetime) -> dt.datetime | None:
    """The first fire time of `trigger` strictly after `after`, in UTC."""
    fire = trigger.get_next_fire_time(None, after + dt.timedelta(seconds=1))
    return fire.astimezone(dt.UTC) if fire is not None else None
