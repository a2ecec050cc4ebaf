"""Scheduled jobs: `jobs/` decides *when*; services decide *what*.

Each job kind lives in its own module that calls `jobs.registry.register`; list the module
in `MODULES` and the clock, `jobs list` and `jobs run` know it.
"""

from __future__ import annotations

import importlib

from jobs.registry import REGISTRY, JobKind

MODULES = (
    "jobs.meeting_reminder",
    "jobs.reports",
    "jobs.weekly_digest",
    "jobs.surveys",
    "jobs.daily",
    "jobs.scorecard",
    "jobs.approval_nudge",
    "jobs.feedback_release",
)


def load_all() -> None:
    """Import every job module, so each registers its kind (idempotent)."""
    for name in MODULES:
        importlib.import_module(name)


def kind(name: str) -> JobKind:
    """The job kind `name`, every module loaded first (`KeyError` when there is none)."""
    load_all()
    return REGISTRY[name]
