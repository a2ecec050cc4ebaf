"""What a job run works with and answers: `RunContext` (the project, the period and a way to
post, given to a job's `run` function) and `RunResult` (what `Runner.run` reports)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient

from bot.deps import Deps
from bot.i18n import Msg, translator
from jobs import outbox_pass
from jobs.delivery import Delivery, as_dicts
from jobs.registry import JobKind

if TYPE_CHECKING:
    from jobs.runner import Runner


class Outcome:
    DONE = "done"
    ALREADY = "already done"
    BUSY = "running elsewhere"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass
class RunResult:
    job: str
    project_id: int
    period_key: str
    outcome: str
    sent: int = 0
    error: str | None = None
    reason: Msg | None = None  # why nothing was sent, when nothing was
    locale: str = "en"  # the project's, to show `reason` in

    def explain(self) -> str:
        """`reason` in the project's language ("" when there is none)."""
        return translator(self.locale)(self.reason) if self.reason is not None else ""


class MessageFailed(Exception):
    """Slack refused a message for good; the rest of the run went on."""


@dataclass
class RunContext:
    """What a job's `run` function gets: the project, the period and a way to post."""

    deps: Deps
    kind: JobKind
    project_id: int
    period_key: str
    due: dt.datetime  # the fire time this run is for (UTC)
    run_id: int
    runner: Runner
    # The instant a manual run was asked for (`jobs run --at`): the run is judged as of then
    # ("has the meeting started?"); None for the clock and a plain "run now".
    at: dt.datetime | None = None
    sent: int = 0
    delivered: int = 0  # messages and files this run has out, counting a resumed run's earlier ones
    failures: list[str] = field(default_factory=list)
    # Slack delivery with the token of the project's own workspace (OAuth mode: from the
    # installation store), paced per workspace.
    delivery: Delivery | None = None

    @property
    def client(self) -> WebClient:
        """The Web API client of the project's workspace."""
        return (self.delivery or self.runner.delivery).client

    def as_of(self) -> dt.datetime:
        """The instant the run is judged at: `at`, else now."""
        return self.at or self.deps.now()

    def post(
        self, recipient: str, text: str, blocks: list[Any], *, slot: str | None = None
    ) -> str | None:
        """Send one message to a channel or a user (DM) once per run; its ts, or None if
        Slack refused it for good (recorded, and the run goes on). `blocks`: dicts or the
        renderers' slack_sdk blocks. `slot` names one of several messages a run sends to the
        same recipient (e.g. one per department)."""
        return self.runner.deliver(self, recipient, text, as_dicts(blocks), slot=slot)

    def deliver_queued(self, keys: list[str]) -> None:
        """Send now, with the run's delivery, the outbox rows `keys` that the run queued in
        the transaction of its change (`jobs.outbox.enqueue`); counted in `sent`. A row a
        send leaves behind goes out with the clock's next pass."""
        self.sent += outbox_pass.deliver(self.deps, keys=keys, delivery=self.delivery)

    def upload(
        self,
        channel: str,
        *,
        filename: str,
        title: str,
        content: bytes,
        comment: str | None = None,
        thread_ts: str | None = None,
    ) -> str | None:
        """Share one file into `channel` once per run (its outbox row is keyed by the file
        name); the file id, or None if it was not shared (refused, or in doubt after a
        crash: a file share carries no metadata to look up, so it is never shared twice)."""
        return self.runner.upload(self, channel, filename, title, content, comment, thread_ts)
