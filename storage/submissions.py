"""The modal submission being handled, if any: its idempotency key and how long its writes
may wait for a lock.

Set by the Slack edge for the duration of one `view_submission`; the unit of work claims
the key in the transaction that saves the submission's records (`UnitOfWork.commit`), and
the engine bounds lock waits until then (`storage.db`) so the acknowledgement is never late.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# Well under Slack's 3 s acknowledgement budget, with room for the rest of the request.
SUBMISSION_LOCK_WAIT = 2.0


@dataclass
class Submission:
    team_id: str
    view_id: str
    view_hash: str
    day: dt.date  # of the request, by the injected clock
    claimed: bool = False


current: contextvars.ContextVar[Submission | None] = contextvars.ContextVar(
    "icrm_submission", default=None
)


class AlreadySubmitted(Exception):
    """This view was submitted before and its records are saved: nothing more is saved."""


@contextmanager
def submitting(submission: Submission) -> Iterator[Submission]:
    token = current.set(submission)
    try:
        yield submission
    finally:
        current.reset(token)


def lock_wait() -> float | None:
    """Seconds a write may wait for a lock now (None: the engine's default)."""
    submission = current.get()
    if submission is not None and not submission.claimed:
        return SUBMISSION_LOCK_WAIT
    return None


def is_lock_timeout(error: BaseException) -> bool:
    """True for a write that gave up waiting for a lock (SQLite busy, PostgreSQL 55P03)."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        text = str(error).lower()
        if "database is locked" in text or "lock timeout" in text:
            return True
        if getattr(error, "sqlstate", None) == "55P03" or getattr(error, "pgcode", None) == "55P03":
            return True
        error = getattr(error, "orig", None) or error.__cause__  # type: ignore[assignment]
    return False
