"""Logging: a request id on every line, and no token or secret ever written."""

from __future__ import annotations

import contextvars
import logging
import re
import threading
import uuid
import weakref
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ClassVar, ParamSpec, TextIO, TypeVar

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_TOKEN = re.compile(r"xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+")
REDACTED = "[redacted]"
# Libraries whose DEBUG output would include request payloads (user ids): kept at INFO.
QUIET_LIBRARIES = ("slack_sdk", "slack_bolt")


class RedactingFilter(logging.Filter):
    """Adds `request_id` to each record and blanks out Slack tokens and known secrets."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 6]

    def redact(self, text: str) -> str:
        text = _TOKEN.sub(REDACTED, text)
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        message = record.getMessage()
        clean = self.redact(message)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


def configure_logging(
    level: str, secrets: Iterable[str], stream: TextIO | None = None
) -> logging.Handler:
    """Install one handler on the root logger that every library's records pass through."""
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter(secrets))
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")
    )
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_icrm", False):
            root.removeHandler(existing)
    handler._icrm = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())
    # slack_sdk's DEBUG lines print whole payloads (in Socket Mode every incoming envelope,
    # with the user id of whoever sent anonymous feedback or a survey answer). Our own loggers
    # follow LOG_LEVEL; the libraries' stay at INFO or above so anonymity survives debugging.
    floor = max(logging.getLevelName(level.upper()), logging.INFO)
    for library in QUIET_LIBRARIES:
        logging.getLogger(library).setLevel(floor)
    return handler


def new_request_id() -> str:
    value = uuid.uuid4().hex[:12]
    request_id.set(value)
    return value


P = ParamSpec("P")
T = TypeVar("T")


class ContextExecutor(ThreadPoolExecutor):
    """A thread pool whose tasks see the submitter's context variables (the request id).

    It counts the tasks in flight, so tests (and a graceful shutdown) can wait until every
    listener has finished its work after the acknowledgement (`wait_all_idle`).
    """

    _instances: ClassVar[weakref.WeakSet[ContextExecutor]] = weakref.WeakSet()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._busy = 0
        self._idle = threading.Condition()
        ContextExecutor._instances.add(self)

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        context = contextvars.copy_context()
        with self._idle:
            self._busy += 1
        future = super().submit(context.run, fn, *args, **kwargs)  # type: ignore[arg-type]
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any]) -> None:
        with self._idle:
            self._busy -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Block until no task is running or queued (or `timeout` s); True when idle."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout=timeout)

    @classmethod
    def wait_all_idle(cls, timeout: float = 10) -> bool:
        return all(executor.wait_idle(timeout) for executor in list(cls._instances))
