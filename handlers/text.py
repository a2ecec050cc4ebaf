"""User text made inert for Slack: one place for every renderer (see docs/architecture.md).

In mrkdwn (section and context text, fields, and the top-level `text` of a message) `&`,
`<` and `>` are control characters: unescaped, `<!channel>` pings a channel and
`<https://evil.example|Bank portal>` is a disguised link. Renderers pass every piece of
user text through `esc` (or `strong` inside the bot's own `*…*` / `_…_` wrappers); the bot's
own `<@U…>`, `<#C…>` and `<!date^…>` tokens are built from ids around it and stay live.
plain_text objects (headers, buttons, options, labels, initial values) are shown as typed
and are never escaped.

Also here: the few pieces of text every renderer writes alike (a Slack date token, a
percentage that may be unknown, a period's first and last day).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import replace
from decimal import Decimal
from typing import Any, Final
from zoneinfo import ZoneInfo

from bot.i18n import Msg, Translator
from bot.periods import Period

_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Inside a wrapper the formatting characters of user text would close or nest it; their
# full-width look-alikes read the same and format nothing.
_FORMATTING = str.maketrans({"*": "＊", "_": "＿", "~": "～", "`": "｀"})


def esc(text: object) -> str:
    """`text` as mrkdwn that shows exactly what was typed and pings or links nobody."""
    return "" if text is None else str(text).translate(_ESCAPE)


def strong(text: object) -> str:
    """`esc`, and also safe inside the bot's `*…*` / `_…_` / `~…~` wrappers: a `*` typed in
    a name does not end the bold one."""
    return esc(text).translate(_FORMATTING)


def slack_time(moment: dt.datetime, timezone: str = "UTC") -> str:
    """A `<!date>` token: each reader sees `moment` in their own timezone; where Slack cannot
    show it, the fallback is the time in `timezone`."""
    fallback = moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M %Z")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def percent(ratio: Decimal | float | None, tr: Translator) -> str:
    """`ratio` as a percentage, or "—" where there is none (nothing to divide by)."""
    return tr.percent(ratio) if ratio is not None else "—"


def period_dates(period: Period, tr: Translator) -> str:
    """The period's first and last day, as the reader's language writes dates."""
    return f"{tr.date(period.start)} – {tr.date(period.end)}"


def unescape(text: str) -> str:
    """Slash-command text as typed: Slack escapes `&`, `<` and `>` in it (decode once)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


_TOKEN = re.compile(r"<([^<>]*)>")


def _plain(token: str) -> str:
    body, _bar, label = token.partition("|")
    if body.startswith(("@", "#")):
        return f"{body[0]}{label.lstrip('@#')}" if label else body
    if body.startswith("!"):
        if label:
            return label
        word = body[1:].split("^", 1)[0]
        return f"@{word}"
    if label and label != body:
        return f"{label} ({body})"
    return body


def inert_mrkdwn(text: str) -> str:
    """A message's mrkdwn `text` as plain text to quote: `<@U1>` → `@U1`, `<@U1|ann>` →
    `@ann`, `<#C1|general>` → `#general`, `<!here>` → `@here`, `<!date^…|fallback>` →
    its fallback, `<https://x|label>` → `label (https://x)`; entities decoded."""
    return unescape(_TOKEN.sub(lambda m: _plain(m.group(1)), text))


# The parameters services fill with mentions they build from ids (`<@U…>`); every other
# text parameter of a service's message is taken for user text.
MENTIONS: Final = ("user", "owner", "lead", "pms", "people", "who")


def esc_params(
    message: Msg, *, live: Collection[str] = MENTIONS, wrapped: Collection[str] = ()
) -> Msg:
    """`message` with its text parameters escaped, for messages a service composed (agenda
    lines, errors): `live` ones are mentions built from ids and stay as they are; the
    `wrapped` ones sit inside the message's `*…*` and get `strong`."""
    params = {k: _escaped(k, v, live, wrapped) for k, v in message.params.items()}
    return replace(message, params=params)


def _escaped(key: str, value: Any, live: Collection[str], wrapped: Collection[str]) -> Any:
    if isinstance(value, Msg):  # a part of the message: its own parameters, the same way
        return esc_params(value, live=live, wrapped=wrapped)
    if key in live or not isinstance(value, str):
        return value
    return strong(value) if key in wrapped else esc(value)
