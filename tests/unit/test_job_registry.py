"""Every job kind is registered with a description (moved from tests/e2e/test_clock.py: it
needs no database)."""

from __future__ import annotations

from jobs.registry import REGISTRY
from jobs.scheduler import Clock


def test_every_registered_kind_is_documented() -> None:
    Clock.__init__  # noqa: B018 — importing the scheduler loads every job module
    from jobs import load_all

    load_all()
    assert "meeting_reminder" in REGISTRY
    assert all(kind.describe for kind in REGISTRY.values())
