"""How one request is answered: on its acknowledgement while that is still open, else
through its `response_url`, and slow work handed to the background pool.

A slash command's acknowledgement can carry the answer itself (Bolt's
`ack(text=…, blocks=…, response_type="ephemeral")`): no Web API call, no rate limit, and it
works in channels the bot was never invited to and in the app's DM. A subcommand that is
quick (help, lists, refusals, summaries) replies before the ack; one that does slow work
(charts, exports, fan-outs) calls `later`, which acknowledges at once and runs the work on
`deps.background`, whose replies then go through the `response_url`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.errors import UserError
from bot.i18n import Translator, _
from bot.log import request_id
from bot.work import Background
from handlers.common import Caller, internal_error, respond, tell

log = logging.getLogger("icrm.handlers")


class Answer:
    """The answer channel of one request; safe to use from the listener and the pool."""

    def __init__(self, ack: Ack | None, client: WebClient, caller: Caller, tr: Translator) -> None:
        self._ack = ack
        self.client = client
        self.caller = caller
        self.tr = tr
        self._lock = threading.Lock()

    @property
    def open(self) -> bool:
        """True while the acknowledgement has not been sent (the answer can ride on it)."""
        return self._ack is not None and self._ack.response is None

    def reply(self, text: str, blocks: list[Any] | None = None) -> None:
        """Show `text` (and `blocks`) to the caller only: on the ack if it is still open,
        else through the `response_url`, else as an ephemeral or a DM (`tell`)."""
        with self._lock:
            if self.open:
                assert self._ack is not None
                self._ack(text=text, blocks=blocks, response_type="ephemeral")
                return
        url = self.caller.response_url
        if url and respond(url, text, blocks=blocks):
            return
        tell(self.client, self.caller, text, blocks=blocks, tr=self.tr)

    def acknowledge(self, text: str | None = None) -> None:
        """Send the acknowledgement now (empty, or with `text`) unless it was sent."""
        with self._lock:
            self._acknowledge(text)

    def _acknowledge(self, text: str | None) -> bool:
        """`acknowledge`, the lock held; whether the acknowledgement went now."""
        if not self.open:
            return False
        assert self._ack is not None
        if text is None:
            self._ack()
        else:
            self._ack(text=text, response_type="ephemeral")
        return True

    def later(
        self, background: Background, work: Callable[[], object], *, notice: str | None = None
    ) -> bool:
        """Acknowledge (with `notice`, e.g. "preparing…") and run `work` on the background
        pool. When the pool is full nothing runs and the caller is told to try again."""
        busy = self.tr(_("I am busy right now; try again in a minute."))
        # Held while submitting: a reply from `work` waits until the ack has gone out, so
        # it never takes the notice's place on the acknowledgement.

        def guarded() -> None:
            try:
                work()
            except UserError as error:
                self.reply(self.tr(error.message))
            except Exception:
                log.exception("work after the acknowledgement failed")
                self.reply(self.tr(internal_error(request_id.get())))

        with self._lock:
            accepted = background.submit(guarded)
            said = notice if accepted else busy
            if self._acknowledge(said):
                said = None
        if said is not None:
            self.reply(said)
        return accepted
