"""The sandbox's "run a job now" control: every scheduled job the bot knows, run at once.

Runs go through the same path as `python -m bot jobs run NAME` (so each period is still
posted once: a second run of a job for the same period sends nothing). Job modules are
found at run time, whichever of the clock's registry (`jobs.registry`) or the older
`jobs.scheduler.JOBS` list this checkout has.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import Any

from bot.app import Deps

log = logging.getLogger("icrm.sandbox")


@dataclass(frozen=True)
class JobInfo:
    name: str
    describe: str


def _registry() -> dict[str, Any] | None:
    """The clock's job registry (name → kind), or None in a checkout without it."""
    try:
        jobs = importlib.import_module("jobs")
        registry = importlib.import_module("jobs.registry")
    except ImportError:
        return None
    if hasattr(jobs, "load_all"):
        jobs.load_all()
    return dict(registry.REGISTRY)


def _legacy() -> dict[str, Any]:
    found: dict[str, Any] = {}
    scheduler = importlib.import_module("jobs.scheduler")
    found.update(getattr(scheduler, "JOBS", {}))
    try:
        surveys = importlib.import_module("jobs.surveys")
        found.update({job.name: job for job in getattr(surveys, "SURVEY_JOBS", [])})
    except ImportError:
        pass
    return found


def available() -> list[JobInfo]:
    """Every job that can be run now, by name."""
    kinds = _registry()
    if kinds is None:
        kinds = _legacy()
    return [
        JobInfo(name, str(getattr(kind, "describe", ""))) for name, kind in sorted(kinds.items())
    ]


def _detail(result: Any) -> str:
    """Why a run sent nothing, in the project's language (or its error)."""
    if getattr(result, "error", None):
        return f" ({result.error})"
    explain = getattr(result, "explain", None)
    text = explain() if explain is not None else ""
    return f" ({text})" if text else ""


def run(deps: Deps, name: str, project_code: str) -> str:
    """Run job `name` for the project now; a one-line account of what happened."""
    if _registry() is not None:
        manual = importlib.import_module("jobs.manual")
        results = manual.run_now(deps, name, project_code=project_code)
        return (
            "; ".join(f"{r.job}: {r.outcome}, {r.sent} message(s)" + _detail(r) for r in results)
            or f"{name}: nothing to do"
        )
    job = _legacy().get(name)
    if job is None:
        raise KeyError(name)
    sent = job.run(deps, project_code, deps.now())
    return f"{name}: {sent} message(s)"
