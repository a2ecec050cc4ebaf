"""Slow work after an acknowledgement runs here, never on the threads that acknowledge Slack.

Bolt runs listeners on its listener executor (`bot/app.py`); a listener that renders a
chart, writes an export or waits out a 429 there keeps a thread from acknowledging the next
request. `Background` is a small pool with a bounded queue: `submit` answers False when it
is full, and the caller tells the user to try again instead of queueing without end.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from bot.log import ContextExecutor

log = logging.getLogger("icrm.work")


class Background:
    """`workers` threads and room for `queue` more tasks waiting; tasks see the submitter's
    context variables (the request id) and an exception is logged, not lost."""

    def __init__(self, *, workers: int = 4, queue: int = 32) -> None:
        self.workers = workers
        self.capacity = workers + queue
        self._slots = threading.BoundedSemaphore(self.capacity)
        self._executor: ContextExecutor | None = None
        self._lock = threading.Lock()

    def _pool(self) -> ContextExecutor:
        with self._lock:  # built on first use: nothing starts at import or in `Deps()`
            if self._executor is None:
                self._executor = ContextExecutor(
                    max_workers=self.workers, thread_name_prefix="icrm-background"
                )
            return self._executor

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> bool:
        """Run `fn(*args, **kwargs)` soon; False (and nothing runs) when the pool is full."""
        if not self._slots.acquire(blocking=False):
            log.warning("background pool full (%d tasks); refusing %s", self.capacity, fn)
            return False
        try:
            future = self._pool().submit(self._run, fn, args, kwargs)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _f: self._slots.release())
        return True

    @staticmethod
    def _run(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        try:
            fn(*args, **kwargs)
        except Exception:
            log.exception("background task %s failed", getattr(fn, "__name__", fn))

    def wait_idle(self, timeout: float) -> bool:
        executor = self._executor
        return executor is None or executor.wait_idle(timeout)
