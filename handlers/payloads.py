"""What buttons and views carry between requests: `pack` it, `unpack` it — never cut.

Slack refuses a button `value` over 2,000 characters and `private_metadata` over 3,000.
JSON that fits travels as it is; JSON that would not fit is kept in the `payloads` table
for `KEEP` under a random id, and the id travels instead (marked by `MARKER`, which no JSON
text starts with). Expired payloads are pruned when new ones are kept. Expiry is measured
on `deps.now`.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from pydantic import BaseModel

from bot.deps import Deps
from bot.errors import UserError
from bot.i18n import _
from bot.services import payloads

MARKER: Final = "~"  # no JSON text starts with it
KEEP: Final = dt.timedelta(days=30)
LIMIT: Final = 2000  # a button value's; private_metadata (3,000) fits it too


def pack(deps: Deps, data: BaseModel | str, *, limit: int = LIMIT) -> str:
    """`data` (a model, dumped to JSON, or text) as a string of at most `limit` characters
    that `unpack` turns back into the whole JSON text."""
    text = data.model_dump_json() if isinstance(data, BaseModel) else data
    if len(text) <= limit and not text.startswith(MARKER):
        return text
    with deps.uow() as uow:
        return MARKER + payloads.keep(uow, text, now=deps.now(), ttl=KEEP)


def unpack(deps: Deps, text: str) -> str:
    """The JSON text `pack` was given. Raises `UserError` when it was kept and has expired."""
    if not text.startswith(MARKER):
        return text
    with deps.reader() as uow:
        body = uow.payloads.get(text[len(MARKER) :], now=deps.now())
    if body is None:
        raise UserError(_("This button or form has expired. Please run the command again."))
    return body
