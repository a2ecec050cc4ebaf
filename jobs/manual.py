"""`jobs list` and `jobs run`: the schedule in project time, and a run on demand."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.deps import Deps
from bot.i18n import _
from jobs import kind as job_kind
from jobs import load_all
from jobs.registry import REGISTRY, last_fire, next_fire, trigger_of
from jobs.runner import Outcome, Runner, RunResult
from jobs.scheduler import make_delivery


@dataclass(frozen=True)
class Planned:
    job: str
    project: str
    timezone: str
    next_run: dt.datetime | None  # in the project's timezone


def schedule(deps: Deps) -> list[Planned]:
    """Each job's next run for each active project, in the project's time."""
    load_all()
    now = deps.now()
    rows = []
    with deps.uow() as uow:
        projects = uow.jobs.active_projects()
        triggers = {
            (kind.name, project.id): trigger_of(kind, project, uow)
            for kind in REGISTRY.values()
            for project in projects
        }
        uow.detach_all()  # read after the unit of work ends
    for kind in REGISTRY.values():
        for project in projects:
            trigger = triggers[kind.name, project.id]
            fire = next_fire(trigger, now) if trigger else None
            rows.append(
                Planned(
                    kind.name,
                    project.code,
                    project.timezone,
                    fire.astimezone(ZoneInfo(project.timezone)) if fire else None,
                )
            )
    return rows


def run_now(
    deps: Deps,
    name: str,
    *,
    project_code: str | None = None,
    at: dt.datetime | None = None,
    client: WebClient | None = None,
) -> list[RunResult]:
    """Run job `name` for the period containing `at` (default now): the one whose fire
    time is the latest at or before `at`. A period already done is not run again; the
    grace window does not apply (you asked for it), and the run is judged as of `at`
    (a reminder for a meeting that had not started by then is still posted)."""
    kind = job_kind(name)
    asked, at = at, at or deps.now()
    runner = Runner(deps, make_delivery(deps, client), holder=f"manual:{uuid.uuid4().hex[:12]}")
    with deps.uow() as uow:
        projects = uow.jobs.active_projects(project_code)
        triggers = {p.id: trigger_of(kind, p, uow) for p in projects}
        uow.detach_all()
    if project_code is not None and not projects:
        raise LookupError(project_code)
    results = []
    for project in projects:
        trigger = triggers[project.id]
        fire = last_fire(trigger, at, kind.lookback) if trigger else None
        if fire is None:
            result = RunResult(name, project.id, "-", Outcome.SKIPPED)
            result.reason = kind.not_due or _(
                "Not due: this job has no run for this project before that time."
            )
        else:
            key = kind.period_key(project, fire)
            try:
                result = runner.run(kind, project.id, fire, key, at=asked)
            except Exception as error:  # one project's failure never stops the others
                result = RunResult(name, project.id, key, Outcome.FAILED, error=str(error))
        result.locale = project.locale
        results.append(result)
    return results
